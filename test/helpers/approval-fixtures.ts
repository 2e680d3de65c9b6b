import type { ActionKind } from '../../lambdas/config/index.js';
import { contentHash } from '../../lambdas/plan/index.js';
import type { ProposalItem, ProposalMeta } from '../../lambdas/domain/index.js';

/** Factories for the approval tests: items and proposals shaped like the plan writes them. */

export const PROPOSAL_ID = 'sched-2026-11-01';
export const BILLABLE = 'policy-sso-billable';
export const NONBILLABLE = 'policy-nonbillable';

let counter = 0;

/** A pending item: a stale, billed account proposed for deactivation, unless overridden. */
export function makeItem(overrides: Partial<ProposalItem> = {}): ProposalItem {
  counter += 1;
  const n = String(counter).padStart(4, '0');
  return {
    proposalId: PROPOSAL_ID,
    accountId: `712020:acct-${n}`,
    email: `person.${n}@example.com`,
    name: `Person ${n}`,
    action: 'DEACTIVATE',
    reason: 'STALE',
    summary: 'No activity in any product for 200 days (since 2026-04-15); stale after 90 days.',
    evidence: {
      timeZone: 'Europe/Berlin',
      runDate: '2026-11-01',
      staleAfterDays: 90,
      newAccountGraceDays: 30,
      inactiveDays: 200,
      policyId: BILLABLE,
      products: [{ key: 'confluence', lastActive: '2026-04-15T08:00:00Z' }, { key: 'jira-software' }],
    },
    state: 'PROPOSED',
    updatedAt: '2026-11-01T02:05:00.000Z',
    ...overrides,
  };
}

/** An item of the given action with matching evidence (policy). */
export function itemOf(action: ActionKind, overrides: Partial<ProposalItem> = {}): ProposalItem {
  const base = makeItem(overrides);
  const policyId = action === 'MOVE_TO_BILLABLE' ? NONBILLABLE : BILLABLE;
  const reason =
    action === 'DEACTIVATE' ? 'STALE' : action === 'MOVE_TO_NONBILLABLE' ? 'NO_CONFLUENCE_NEED' : 'NEEDS_CONFLUENCE';
  return { ...base, action, reason, evidence: { ...base.evidence, policyId }, ...overrides };
}

/** A READY proposal over the items, with their content hash. */
export function makeProposal(items: readonly ProposalItem[], overrides: Partial<ProposalMeta> = {}): ProposalMeta {
  const counts: Partial<Record<ActionKind, number>> = {};
  for (const i of items) counts[i.action] = (counts[i.action] ?? 0) + 1;
  return {
    proposalId: items[0]?.proposalId ?? PROPOSAL_ID,
    runId: items[0]?.proposalId ?? PROPOSAL_ID,
    orgId: '0f6e9a5c-5b7d-4c1e-9a55-3e2d8c1b7a10',
    status: 'READY',
    createdAt: '2026-11-01T02:00:00.000Z',
    completedAt: '2026-11-01T02:05:00.000Z',
    counts,
    itemCount: items.length,
    managedCount: 1000,
    contentHash: contentHash(items),
    suspicious: false,
    suspiciousReasons: [],
    ...overrides,
  };
}

/** A display name built to break naive HTML, CSV and header handling. */
export const HOSTILE_NAME = `<img src=x onerror="alert('xss')">&"Bobby'</td>`;
