import { describe, expect, it } from 'vitest';
import { evaluateAccount, type Decision } from '../../lambdas/rules/index.js';
import { fromV2 } from '../../lambdas/atlassian/mappers.js';
import { BILLABLE, NONBILLABLE, daysBefore, makeContext, makeInput, staleAccount, used } from '../helpers/accounts.js';

const outcome = (d: Decision) =>
  d.kind === 'action'
    ? `${d.action}/${d.reason}`
    : d.kind === 'needs-data'
      ? `needs-data:${d.missing.join('+')}`
      : d.kind;
const leaversOn = makeContext();

describe('precedence between actions', () => {
  it.each([
    [
      'stale and no Confluence need in the billable policy: DEACTIVATE',
      staleAccount(),
      { inConfluenceGroup: false },
      BILLABLE,
      'DEACTIVATE/STALE',
    ],
    [
      'stale and needing Confluence in the nonbillable policy: DEACTIVATE',
      staleAccount(),
      { inConfluenceGroup: true },
      NONBILLABLE,
      'DEACTIVATE/STALE',
    ],
    [
      'never active and past the threshold, in the nonbillable policy: DEACTIVATE',
      { products: [], addedToOrg: daysBefore(120) },
      {},
      NONBILLABLE,
      'DEACTIVATE/NEVER_ACTIVE',
    ],
    [
      'leaver in the nonbillable policy: DEACTIVATE',
      {},
      { accountEnabled: false },
      NONBILLABLE,
      'DEACTIVATE/ENTRA_DISABLED',
    ],
    [
      'recent, needing Confluence, nonbillable: MOVE_TO_BILLABLE',
      {},
      { inConfluenceGroup: true },
      NONBILLABLE,
      'MOVE_TO_BILLABLE/NEEDS_CONFLUENCE',
    ],
    [
      'recent, no need, billable: MOVE_TO_NONBILLABLE',
      {},
      { inConfluenceGroup: false },
      BILLABLE,
      'MOVE_TO_NONBILLABLE/NO_CONFLUENCE_NEED',
    ],
    [
      'never active within the grace, no need, billable: MOVE_TO_NONBILLABLE',
      { products: [], addedToOrg: daysBefore(3) },
      { inConfluenceGroup: false },
      BILLABLE,
      'MOVE_TO_NONBILLABLE/NO_CONFLUENCE_NEED',
    ],
  ])('%s', (_what, account, entra, policyId, expected) => {
    expect(outcome(evaluateAccount(leaversOn, makeInput({ account, entra, policyId })))).toBe(expected);
  });
});

describe('needs-data: never guess', () => {
  it('asks for Entra facts when an account with an email has none, even when it is stale', () => {
    const decision = evaluateAccount(leaversOn, makeInput({ account: staleAccount(), entra: 'none' }));
    expect(decision).toMatchObject({
      kind: 'needs-data',
      missing: ['entra'],
      summary: expect.stringContaining('no Entra ID facts'),
    });
  });

  it('lists every missing field at once', () => {
    const decision = evaluateAccount(
      leaversOn,
      makeInput({ account: { products: [], addedToOrg: undefined, platformRoles: undefined }, entra: 'none' }),
    );
    expect(decision).toMatchObject({ kind: 'needs-data', missing: ['entra', 'addedToOrg', 'platformRoles'] });
  });

  it('does not ask for the policy of a hidden-email account: it cannot be moved anyway', () => {
    const decision = evaluateAccount(
      leaversOn,
      makeInput({ account: { email: undefined }, entra: 'none', policyId: 'unknown' }),
    );
    expect(outcome(decision)).toBe('keep');
  });

  it('holds back an action until the admin roles are known (v1 listing has no platformRoles)', () => {
    const decision = evaluateAccount(leaversOn, makeInput({ account: staleAccount({ platformRoles: undefined }) }));
    expect(decision).toMatchObject({ kind: 'needs-data', missing: ['platformRoles'], pendingAction: 'DEACTIVATE' });
    expect(decision.summary).toMatch(
      /^Cannot decide yet: DEACTIVATE is due \(no activity in any product for 200 days .*\) but admin roles are unknown; needs platformRoles\.$/,
    );
  });

  it('holds back a policy move until the admin roles are known', () => {
    const decision = evaluateAccount(
      leaversOn,
      makeInput({ account: { platformRoles: undefined }, entra: { inConfluenceGroup: false } }),
    );
    expect(decision).toMatchObject({
      kind: 'needs-data',
      missing: ['platformRoles'],
      pendingAction: 'MOVE_TO_NONBILLABLE',
    });
  });

  it('never proposes a stale account whose listing omitted platformRoles (it could be an org admin)', () => {
    const account = fromV2({
      accountId: '712020:admin-without-roles',
      accountType: 'atlassian',
      accountStatus: 'active',
      email: 'admin@example.com',
      addedToOrg: '2020-01-01T00:00:00Z',
      productAccess: [{ key: 'confluence', lastActiveTimestamp: '2025-01-01T00:00:00Z' }],
    });
    // Not through makeInput: its default account carries `platformRoles: []`.
    const decision = evaluateAccount(leaversOn, { ...makeInput(), account });
    expect(decision).toMatchObject({ kind: 'needs-data', missing: ['platformRoles'], pendingAction: 'DEACTIVATE' });
  });

  it.each([
    ['a role string it does not know', ['atlassian/org-owner']],
    ['a known role next to an unknown one', ['atlassian/user', 'Atlassian/Org-Admin']],
  ])('leaves an account with %s undecided', (_, platformRoles) => {
    const decision = evaluateAccount(leaversOn, makeInput({ account: staleAccount({ platformRoles }) }));
    expect(decision).toMatchObject({ kind: 'needs-data', missing: ['platformRoles'], pendingAction: 'DEACTIVATE' });
  });

  it('still acts on an account whose roles are all known and not org admin', () => {
    const decision = evaluateAccount(
      leaversOn,
      makeInput({ account: staleAccount({ platformRoles: ['atlassian/user', 'atlassian/site-admin'] }) }),
    );
    expect(decision).toMatchObject({ kind: 'action', action: 'DEACTIVATE' });
  });

  it('does not ask for admin roles when nothing would be done', () => {
    expect(outcome(evaluateAccount(leaversOn, makeInput({ account: { platformRoles: undefined } })))).toBe('keep');
  });
});

describe('evidence', () => {
  it('records what the decision was based on', () => {
    const entra = {
      found: true,
      accountEnabled: true,
      inConfluenceGroup: false,
      exclusionGroupIds: [],
      lastSignIn: '2026-10-30T08:00:00Z',
    };
    const products = [
      { key: 'confluence', name: 'Confluence', lastActive: '2026-06-11T09:12:00Z' },
      { key: 'jira-software' },
    ];
    const decision = evaluateAccount(leaversOn, {
      account: { ...makeInput().account, products, addedToOrg: '2023-02-01T00:00:00Z' },
      policyId: BILLABLE,
      entra,
      onOrgAdminList: false,
    });
    expect(decision).toStrictEqual({
      kind: 'action',
      action: 'DEACTIVATE',
      reason: 'STALE',
      summary: 'No activity in any product for 143 days (last: Confluence on 2026-06-11); threshold 90 days.',
      evidence: {
        timeZone: 'Europe/Berlin',
        runDate: '2026-11-01',
        staleAfterDays: 90,
        newAccountGraceDays: 30,
        lastActivity: {
          at: '2026-06-11T09:12:00Z',
          date: '2026-06-11',
          source: 'confluence',
          sourceName: 'Confluence',
        },
        inactiveDays: 143,
        products: [{ key: 'confluence', lastActive: '2026-06-11T09:12:00Z' }, { key: 'jira-software' }],
        addedToOrg: '2023-02-01T00:00:00Z',
        entra,
        policyId: BILLABLE,
      },
    });
  });

  it('records the Confluence need behind a policy move', () => {
    const decision = evaluateAccount(
      leaversOn,
      makeInput({ entra: { inConfluenceGroup: false }, account: { products: [used('jira-software', 1)] } }),
    );
    expect(decision).toMatchObject({
      evidence: {
        confluenceNeed: { rule: 'group', needed: false, because: 'not in the Entra Confluence group' },
        policyId: BILLABLE,
      },
    });
  });

  it('is JSON-safe: no undefined values', () => {
    const decisions = [
      evaluateAccount(
        leaversOn,
        makeInput({
          account: { products: [], addedToOrg: undefined, email: undefined },
          entra: 'none',
          policyId: 'unknown',
        }),
      ),
      evaluateAccount(
        leaversOn,
        makeInput({
          account: { products: [used('confluence', 1), { key: 'confluence', lastActive: 'x' }] },
          entra: 'none',
        }),
      ),
      evaluateAccount(
        makeContext((raw) => (raw.entra.confluenceRule = 'group-or-recent-activity')),
        makeInput({
          account: { products: [used('jira-software', 1), { key: 'confluence', lastActive: 'x' }] },
          entra: { inConfluenceGroup: false },
        }),
      ),
    ];
    for (const decision of decisions) expect(JSON.parse(JSON.stringify(decision))).toStrictEqual(decision);
  });
});
