import { describe, expect, it } from 'vitest';
import type { ManagedAccount } from '../../lambdas/atlassian/types.js';
import { DirectoryScope, EmailJoin, EntraMembership } from '../../lambdas/entra/index.js';
import { evaluateWithFollowUp } from '../../lambdas/plan/follow-up.js';
import type { PlanDeps } from '../../lambdas/plan/index.js';
import { BILLABLE, daysBefore, makeAccount, makeContext } from '../helpers/accounts.js';

function world(
  accounts: ManagedAccount[],
  dates: Record<string, { addedToOrg?: string; products: { key: string; lastActive?: string }[] }>,
) {
  const calls: string[] = [];
  const membership = new EntraMembership({
    confluenceGroupId: 'grp-confluence-users',
    exclusionGroupIds: [],
    scope: DirectoryScope.ALL_USERS,
    signInActivity: { state: 'not-requested' },
    members: accounts.map((a, i) => ({
      id: `e${i}`,
      userPrincipalName: a.email!,
      mail: a.email!,
      accountEnabled: true,
      inConfluenceGroup: true,
      exclusionGroupIds: [],
    })),
  });
  const org = {
    policyAssignments: async (ids: readonly string[]) =>
      ids.map((id) => ({ accountId: id, email: accounts.find((a) => a.accountId === id)!.email!, policyId: BILLABLE })),
    lastActiveDates: async (id: string) => {
      calls.push(id);
      return dates[id] ?? { products: [] };
    },
  };
  return { deps: { org } as unknown as PlanDeps, join: new EmailJoin(membership), membership, calls };
}

describe('plan follow-up for accounts the listing cannot settle', () => {
  it('asks the per-user last-active dates only for the account whose date it could not read, then decides it', async () => {
    const clear = makeAccount({ accountId: 'a-clear', email: 'clear@example.com' });
    // 30 February: Date.parse rolls it over to March, the rules refuse it, so they cannot settle this account alone.
    const odd = makeAccount({
      accountId: 'a-odd',
      email: 'odd@example.com',
      products: [{ key: 'jira-software', lastActive: '2026-02-30T10:00:00Z' }],
    });
    const w = world([clear, odd], { 'a-odd': { products: [{ key: 'jira-software', lastActive: daysBefore(200) }] } });
    const out = await evaluateWithFollowUp(w.deps, makeContext(), w.join, w.membership, [clear, odd], new Set());
    expect(w.calls).toEqual(['a-odd']);
    expect(out.find((e) => e.account.accountId === 'a-clear')?.decision.kind).toBe('keep');
    expect(out.find((e) => e.account.accountId === 'a-odd')?.decision).toMatchObject({
      kind: 'action',
      action: 'DEACTIVATE',
      reason: 'STALE',
    });
  });

  it('leaves the account undecided when the per-user dates do not settle it either', async () => {
    const odd = makeAccount({
      accountId: 'a-odd',
      email: 'odd@example.com',
      products: [{ key: 'jira-software', lastActive: '2026-02-30T10:00:00Z' }],
    });
    const w = world([odd], {});
    const [e] = await evaluateWithFollowUp(w.deps, makeContext(), w.join, w.membership, [odd], new Set());
    expect(w.calls).toEqual(['a-odd']);
    expect(e!.decision.kind).toBe('needs-data');
  });

  it('excludes an account on the org admin list as ORG_ADMIN although its listed roles are empty', async () => {
    const admin = makeAccount({ accountId: 'a-admin', email: 'admin@example.com', products: [], platformRoles: [] });
    const other = makeAccount({ accountId: 'a-other', email: 'other@example.com', products: [], platformRoles: [] });
    const w = world([admin, other], {});
    const out = await evaluateWithFollowUp(
      w.deps,
      makeContext(),
      w.join,
      w.membership,
      [admin, other],
      new Set(['a-admin']),
    );
    expect(out.map((e) => [e.account.accountId, e.decision.kind, 'reason' in e.decision && e.decision.reason])).toEqual(
      [
        ['a-admin', 'excluded', 'ORG_ADMIN'],
        ['a-other', 'action', 'NEVER_ACTIVE'],
      ],
    );
  });
});
