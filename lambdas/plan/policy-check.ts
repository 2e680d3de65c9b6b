/**
 * A configured policy id that the org's policy reads never return is a safety problem, not a detail:
 * Atlassian has no API that lists authentication policies, so a mistyped `policies.billableId` would
 * count every seat as unbilled ("Guard seats 0 → 0, saving $0.00") and still propose deactivations.
 * The plan watches the policy ids its reads return and blocks the run, naming the id, when a
 * configured one never appeared while accounts sit in a policy the configuration does not name (an
 * org whose accounts are all in the configured policies, one of them still empty, is left alone:
 * nothing suggests a wrong id there).
 */
import type { PlanDeps } from './ports.js';

export interface PolicyWatch {
  /** The plan's ports with the org's policy reads observed. */
  readonly deps: PlanDeps;
  /** One safety alert per configured policy id never seen (see above); empty when none is. */
  unseen(): string[];
}

const SHOWN = 5;

export function watchPolicyIds(deps: PlanDeps): PolicyWatch {
  const seen = new Map<string, number>();
  const { org } = deps;
  const watched: PlanDeps['org'] = {
    pages: (options) => org.pages(options),
    lastActiveDates: (accountId) => org.lastActiveDates(accountId),
    accountsByEmail: (emails) => org.accountsByEmail(emails),
    orgAdminIds: () => org.orgAdminIds(),
    async policyAssignments(accountIds) {
      const assignments = await org.policyAssignments(accountIds);
      for (const a of assignments) seen.set(a.policyId, (seen.get(a.policyId) ?? 0) + 1);
      return assignments;
    },
  };
  return {
    deps: { ...deps, org: watched },
    unseen: () => unseenPolicyAlerts(deps.config.policies, seen),
  };
}

/** The alerts for configured ids absent from `seen` (policy id → accounts read in it). Pure. */
export function unseenPolicyAlerts(
  policies: { readonly billableId: string; readonly nonbillableId: string },
  seen: ReadonlyMap<string, number>,
): string[] {
  const configured = new Set([policies.billableId, policies.nonbillableId]);
  if (![...seen.keys()].some((id) => !configured.has(id))) return [];
  const read = [...seen.values()].reduce((a, b) => a + b, 0);
  const found = [...seen.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, SHOWN)
    .map(([id, n]) => `${id} (${n})`)
    .join(', ');
  const settings = [
    ['policies.billableId', policies.billableId],
    ['policies.nonbillableId', policies.nonbillableId],
  ] as const;
  return settings
    .filter(([, id]) => !seen.has(id))
    .map(
      ([setting, id]) =>
        `${setting} "${id}" is not the policy of any of the ${read} accounts read (policy ids seen: ${found}${seen.size > SHOWN ? ', ...' : ''}). ` +
        `It is probably not this org's policy id: copy the id from the policy's page in admin.atlassian.com (Security → Authentication policies; the id is in its URL) into ${setting}. ` +
        'If the policy is right but has no members yet, add one account to it there. Nothing was proposed.',
    );
}
