/** Factories for the execution core's unit tests: proposals, ballots, re-check facts and deps that must not be used. */
import type { ManagedAccount } from '../../lambdas/atlassian/types.js';
import type { ActionKind, Config } from '../../lambdas/config/index.js';
import type { Ballot, ProposalMeta } from '../../lambdas/domain/index.js';
import type { ExecDeps } from '../../lambdas/execute/index.js';
import type { ApprovedItem, FreshFacts } from '../../lambdas/execute/index.js';
import { createRuleContext, type EntraFacts, type RuleContext } from '../../lambdas/rules/index.js';
import { makeConfig } from './config.js';

/** The re-check's instant; the plan ran a few days earlier. */
export const EXEC_NOW = '2026-11-08T10:00:00.000Z';
export const EXEC_NOW_MS = Date.parse(EXEC_NOW);
export const BILLABLE = 'policy-sso-billable';
export const NONBILLABLE = 'policy-nonbillable';
export const OTHER_POLICY = 'policy-contractors';
export const EXCLUSION_GROUP = 'grp-lifecycle-exempt';
export const BREAK_GLASS_ID = '712020:bg-3';
export const EXCLUDED_ID = '712020:excluded-id';

/** The activity the plan saw (and the item's evidence records): stale in both products. */
export const SEEN_CONFLUENCE = '2026-04-15T08:00:00.000Z';
export const SEEN_JIRA = '2026-03-01T12:00:00.000Z';

const HOUR = 3_600_000;
/** An ISO instant `hours` hours from EXEC_NOW (negative: before). */
export const hoursFromNow = (hours: number): string => new Date(EXEC_NOW_MS + hours * HOUR).toISOString();

// ---- the guard ---------------------------------------------------------------------------------

/** An APPROVED proposal decided an hour ago, sent with a deadline a day from now, not over the caps. */
export function approvedProposal(overrides: Partial<ProposalMeta> = {}): ProposalMeta {
  return {
    proposalId: 'sched-2026-11-01',
    runId: 'sched-2026-11-01',
    orgId: '0f6e9a5c-5b7d-4c1e-9a55-3e2d8c1b7a10',
    status: 'APPROVED',
    createdAt: hoursFromNow(-72),
    expiresAt: hoursFromNow(24),
    decidedAt: hoursFromNow(-1),
    decidedBy: 'it-admin@example.com',
    suspicious: false,
    ...overrides,
  };
}

export function ballot(overrides: Partial<Ballot> = {}): Ballot {
  return {
    proposalId: 'sched-2026-11-01',
    approver: 'it-admin@example.com',
    decision: 'approve',
    deselected: [],
    override: false,
    castAt: hoursFromNow(-1),
    tokenRef: 'abcd1234',
    ...overrides,
  };
}

// ---- the re-check ------------------------------------------------------------------------------

/**
 * The configuration the re-check tests run with: the example (break-glass breakglass-1@ and -2@,
 * exclusions ceo@example.com and the domain partner.example.org, Entra exclusion group
 * grp-lifecycle-exempt, Confluence rule `group`), plus a break-glass entry by account id and an
 * excluded account id.
 */
export function recheckConfig(edit: (raw: Record<string, any>) => void = () => undefined): Config {
  return makeConfig((raw) => {
    raw.breakGlass.push({ email: 'breakglass-3@example.com', accountId: BREAK_GLASS_ID });
    raw.exclusions.accountIds = [EXCLUDED_ID];
    edit(raw);
  });
}

export function recheckContext(edit?: (raw: Record<string, any>) => void): RuleContext {
  return createRuleContext(recheckConfig(edit), new Date(EXEC_NOW));
}

/** An ordinary active, invited, non-admin account with the activity the plan saw. */
export function freshAccount(overrides: Partial<ManagedAccount> = {}): ManagedAccount {
  return {
    accountId: '712020:jane',
    email: 'jane.doe@example.com',
    name: 'Jane Doe',
    accountType: 'atlassian',
    accountStatus: 'active',
    membershipStatus: 'active',
    managementSource: 'invited',
    addedToOrg: '2024-01-15T09:00:00Z',
    products: [
      { key: 'confluence', lastActive: SEEN_CONFLUENCE },
      { key: 'jira-software', lastActive: SEEN_JIRA },
    ],
    platformRoles: [],
    ...overrides,
  };
}

export function entraFacts(overrides: Partial<EntraFacts> = {}): EntraFacts {
  return { found: true, accountEnabled: true, inConfluenceGroup: false, exclusionGroupIds: [], ...overrides };
}

/** One re-check case: the approved item and the facts read again just now. */
export interface Situation {
  readonly item: ApprovedItem;
  readonly fresh: FreshFacts;
}

/** What a situation changes from the happy path of its action. */
export interface Change {
  readonly account?: Partial<ManagedAccount> | 'gone';
  readonly policyId?: string | 'unknown';
  readonly entra?: Partial<EntraFacts> | 'unknown';
  readonly seen?: Readonly<Record<string, string | undefined>>;
}

/**
 * The situation in which each action is still right (the re-check says `act`), changed by `change`:
 * - DEACTIVATE: active, stale as the plan saw it, not in the Confluence group, in the billable policy;
 * - MOVE_TO_NONBILLABLE: not in the Confluence group, in the billable policy;
 * - MOVE_TO_BILLABLE: in the Confluence group, in the nonbillable policy;
 * - REACTIVATE: deactivated (accountStatus inactive).
 */
export function situation(action: ActionKind, change: Change = {}): Situation {
  const base: Partial<ManagedAccount> = action === 'REACTIVATE' ? { accountStatus: 'inactive' } : {};
  const account = change.account === 'gone' ? undefined : freshAccount({ ...base, ...change.account });
  const basePolicy = action === 'MOVE_TO_BILLABLE' ? NONBILLABLE : BILLABLE;
  const policyId = change.policyId === 'unknown' ? undefined : (change.policyId ?? basePolicy);
  const entra =
    change.entra === 'unknown'
      ? undefined
      : entraFacts({ inConfluenceGroup: action === 'MOVE_TO_BILLABLE', ...change.entra });
  const seen = change.seen ?? { confluence: SEEN_CONFLUENCE, 'jira-software': SEEN_JIRA };
  return {
    item: { accountId: account?.accountId ?? '712020:jane', action, seenActivity: seen },
    fresh: { account, policyId, entra },
  };
}

// ---- steps -------------------------------------------------------------------------------------

/** Thrown by `untouchableDeps` the moment anything reads a dependency. */
export class DepsTouchedError extends Error {
  override readonly name = 'DepsTouchedError';
}

/** ExecDeps whose every property read throws: a step given these proves it did nothing before failing. */
export function untouchableDeps(): ExecDeps {
  return new Proxy({} as ExecDeps, {
    get(_target, prop) {
      // `then` is read by `await` on any value: answering it would make the proxy look like a promise.
      if (prop === 'then') return undefined;
      throw new DepsTouchedError(`the step read deps.${String(prop)}`);
    },
  });
}
