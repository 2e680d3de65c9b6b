/** Factories for the decision engine's tests: accounts, Entra facts, inputs and run contexts. */
import type { ManagedAccount, ProductActivity } from '../../lambdas/atlassian/types.js';
import { createRuleContext, type AccountInput, type EntraFacts, type RuleContext } from '../../lambdas/rules/index.js';
import { makeConfig } from './config.js';

/** The default run: 02:00 UTC on 2026-11-01 (03:00 in Europe/Berlin, the example's time zone). */
export const NOW = '2026-11-01T02:00:00Z';
export const BILLABLE = 'policy-sso-billable';
export const NONBILLABLE = 'policy-nonbillable';
export const OTHER_POLICY = 'policy-contractors';
export const EXCLUSION_GROUP = 'grp-lifecycle-exempt';

const DAY = 86_400_000;

/** The instant `days` whole days before `from` (same time of day), as ISO 8601 UTC. */
export function daysBefore(days: number, from: string = NOW): string {
  return new Date(Date.parse(from) - days * DAY).toISOString();
}

/** A product visit `days` days before NOW. */
export function used(key: string, days: number, from: string = NOW): ProductActivity {
  return { key, lastActive: daysBefore(days, from) };
}

/**
 * An ordinary person: active, managed, not an admin, last used Confluence 3 days ago.
 * `platformRoles: []` means "roles read, none held" (absent means unknown).
 */
export function makeAccount(overrides: Partial<ManagedAccount> = {}): ManagedAccount {
  return {
    accountId: '712020:aaaa-0001',
    email: 'jane.doe@example.com',
    name: 'Jane Doe',
    accountType: 'atlassian',
    accountStatus: 'active',
    membershipStatus: 'active',
    addedToOrg: '2024-01-15T09:00:00Z',
    products: [used('confluence', 3), used('jira-software', 10)],
    platformRoles: [],
    ...overrides,
  };
}

/** A person Entra knows, enabled, in the Confluence group, in no exclusion group. */
export function makeEntra(overrides: Partial<EntraFacts> = {}): EntraFacts {
  return { found: true, accountEnabled: true, inConfluenceGroup: true, exclusionGroupIds: [], ...overrides };
}

/**
 * The default input keeps: recent, needs Confluence, in the billable policy, and not on the org's
 * admin list (read). `onOrgAdminList: 'unread'` leaves the list out (not read).
 */
export function makeInput(
  parts: {
    account?: Partial<ManagedAccount>;
    entra?: Partial<EntraFacts> | 'none';
    policyId?: string | 'unknown';
    onOrgAdminList?: boolean | 'unread';
  } = {},
): AccountInput {
  const entra = parts.entra === 'none' ? undefined : makeEntra(parts.entra);
  const account = makeAccount(parts.account);
  const listed = parts.onOrgAdminList ?? false;
  return {
    account,
    ...(parts.policyId !== 'unknown' && { policyId: parts.policyId ?? BILLABLE }),
    entra,
    ...(listed !== 'unread' && { onOrgAdminList: listed }),
  };
}

/** A stale account (last activity 200 days ago) that would be DEACTIVATEd unless something protects it. */
export function staleAccount(overrides: Partial<ManagedAccount> = {}): Partial<ManagedAccount> {
  return { products: [used('confluence', 200), used('jira-software', 250)], ...overrides };
}

type ConfigEdit = (raw: Record<string, any>) => void;

/** A rule context from the example configuration (staleAfterDays 90, grace 30, Europe/Berlin), edited. */
export function makeContext(edit: ConfigEdit = () => undefined, now: string | Date = NOW): RuleContext {
  return createRuleContext(makeConfig(edit), now);
}

/** Config edit helper: set the run's time zone. */
export const inZone =
  (timeZone: string, edit: ConfigEdit = () => undefined): ConfigEdit =>
  (raw) => {
    raw.schedules.timeZone = timeZone;
    edit(raw);
  };
