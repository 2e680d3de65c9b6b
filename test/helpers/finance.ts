/** The simulator's own Guard counts (an oracle written apart from lambdas/reports), and finance plumbing for tests. */
import pLimit from 'p-limit';
import type { ExecDeps } from '../../lambdas/execute/index.js';
import type { PlanDeps } from '../../lambdas/plan/index.js';
import { executionFinanceFor, financeStores } from '../../lambdas/wiring/index.js';
import type { AtlassianClient } from '../../lambdas/atlassian/index.js';
import { ItemState, type ProposalItem } from '../../lambdas/domain/index.js';
import type { Person } from '../sim/org/index.js';
import type { ExecWorld } from './execute.js';

export type Tier = 'standard' | 'premium';

/** Premium counts Jira (not Service Management or Product Discovery) and Confluence. */
const PREMIUM_KEYS = /^(confluence|jira-software|jira-core|jira-work-management|jira)$/;

/** Billed under the tier, from the simulator's person record. */
export function simBilled(p: Person, tier: Tier, policies: { billableId: string; nonbillableId: string }): boolean {
  if (p.accountType !== 'atlassian' || p.accountStatus !== 'active' || p.membershipStatus !== 'active') return false;
  if (p.products.length === 0) return false;
  if (p.policyId === policies.billableId) return true;
  return (
    tier === 'premium' && p.policyId === policies.nonbillableId && p.products.some((x) => PREMIUM_KEYS.test(x.key))
  );
}

export interface SimCounts {
  managed: number;
  active: number;
  deactivated: number;
  billable: number;
  activeBillablePolicy: number;
  activeNonbillablePolicy: number;
  /** Billed accounts per department ("(none)" without one). */
  billedByDepartment: Record<string, number>;
}

export function simCounts(
  people: readonly Person[],
  tier: Tier,
  policies: { billableId: string; nonbillableId: string },
): SimCounts {
  // The v2 directory listing holds Atlassian accounts only: app accounts are not managed users.
  const managed = people.filter((p) => p.accountType === 'atlassian');
  const active = managed.filter((p) => p.accountStatus === 'active' && p.membershipStatus === 'active');
  return {
    managed: managed.length,
    active: active.length,
    deactivated: managed.filter((p) => p.accountStatus !== 'active').length,
    billable: people.filter((p) => simBilled(p, tier, policies)).length,
    activeBillablePolicy: active.filter((p) => p.policyId === policies.billableId).length,
    activeNonbillablePolicy: active.filter((p) => p.policyId === policies.nonbillableId).length,
    billedByDepartment: people
      .filter((p) => simBilled(p, tier, policies))
      .reduce<Record<string, number>>((m, p) => {
        const d = p.department ?? '(none)';
        m[d] = (m[d] ?? 0) + 1;
        return m;
      }, {}),
  };
}

/** The execution world with finance wired as on AWS: plan and finish step write to the seats table. */
export function financeWorld(w: ExecWorld) {
  const stores = financeStores(w.db, w.tables.seats);
  const plan: PlanDeps = { ...w.deps, executedChanges: stores.changes };
  const exec: ExecDeps = {
    ...w.exec,
    finance: executionFinanceFor(w.exec.config, {
      db: w.db,
      seatsTable: w.tables.seats,
      org: w.deps.org as AtlassianClient,
      clock: w.clock,
    }),
  };
  return { stores, plan, exec };
}

/** Approves the items `keep` picks (the rest rejected), as a quorum would. */
export async function approveSome(
  w: ExecWorld,
  proposalId: string,
  keep: (i: ProposalItem, n: number) => boolean,
): Promise<ProposalItem[]> {
  const all = (await w.items(proposalId)).sort((a, b) => a.accountId.localeCompare(b.accountId));
  const limit = pLimit(8);
  const chosen = all.filter((i, n) => keep(i, n));
  await Promise.all(
    all.map((i) =>
      limit(() =>
        w.store.moveItem(proposalId, i.accountId, chosen.includes(i) ? ItemState.APPROVED : ItemState.REJECTED, {
          decidedBy: 'test',
        }),
      ),
    ),
  );
  const at = new Date(w.clock.now()).toISOString();
  await w.store.setStatus(proposalId, ['READY'], 'APPROVED', { decidedAt: at, decidedBy: 'approver@example.com' });
  return chosen;
}
