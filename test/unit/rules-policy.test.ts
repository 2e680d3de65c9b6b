import { describe, expect, it } from 'vitest';
import type { ProductActivity } from '../../lambdas/atlassian/types.js';
import { evaluateAccount, type Decision } from '../../lambdas/rules/index.js';
import { BILLABLE, NONBILLABLE, OTHER_POLICY, makeContext, makeInput, used } from '../helpers/accounts.js';

type Rule = 'group' | 'group-or-product-access' | 'group-or-recent-activity';
const withRule = (rule: Rule) => makeContext((raw) => (raw.entra.confluenceRule = rule));
const outcome = (d: Decision) =>
  d.kind === 'action' ? d.action : d.kind === 'needs-data' ? `needs-data:${d.missing.join('+')}` : d.kind;

// Jira keeps every account here recent, so only the policy rules decide.
const jira = used('jira-software', 2);
const noConfluence: ProductActivity[] = [jira];
const confluenceAccessNeverUsed: ProductActivity[] = [jira, { key: 'confluence' }];
const confluenceUsed = (days: number): ProductActivity[] => [jira, used('confluence', days)];

describe('Confluence need and policy moves', () => {
  it.each<[Rule, boolean, ProductActivity[], string, string]>([
    // rule: group (the Entra group alone decides)
    ['group', true, noConfluence, NONBILLABLE, 'MOVE_TO_BILLABLE'],
    ['group', true, noConfluence, BILLABLE, 'keep'],
    ['group', false, confluenceUsed(1), BILLABLE, 'MOVE_TO_NONBILLABLE'],
    ['group', false, noConfluence, NONBILLABLE, 'keep'],
    // rule: group-or-product-access
    ['group-or-product-access', false, confluenceAccessNeverUsed, BILLABLE, 'keep'],
    ['group-or-product-access', false, confluenceAccessNeverUsed, NONBILLABLE, 'MOVE_TO_BILLABLE'],
    ['group-or-product-access', false, noConfluence, BILLABLE, 'MOVE_TO_NONBILLABLE'],
    ['group-or-product-access', true, noConfluence, NONBILLABLE, 'MOVE_TO_BILLABLE'],
    // rule: group-or-recent-activity (within staleAfterDays = 90; exactly 90 days is recent)
    ['group-or-recent-activity', false, confluenceUsed(90), BILLABLE, 'keep'],
    ['group-or-recent-activity', false, confluenceUsed(90), NONBILLABLE, 'MOVE_TO_BILLABLE'],
    ['group-or-recent-activity', false, confluenceUsed(91), BILLABLE, 'MOVE_TO_NONBILLABLE'],
    ['group-or-recent-activity', false, confluenceAccessNeverUsed, BILLABLE, 'MOVE_TO_NONBILLABLE'],
    ['group-or-recent-activity', true, confluenceUsed(300), NONBILLABLE, 'MOVE_TO_BILLABLE'],
    ['group-or-recent-activity', false, confluenceUsed(91), NONBILLABLE, 'keep'],
  ])('rule %s, in group %s, products %j, policy %s: %s', (rule, inGroup, products, policyId, expected) => {
    const decision = evaluateAccount(
      withRule(rule),
      makeInput({ account: { products }, entra: { inConfluenceGroup: inGroup }, policyId }),
    );
    expect(outcome(decision)).toBe(expected);
  });

  it('explains the move in one sentence', () => {
    const toNonbillable = evaluateAccount(
      withRule('group-or-product-access'),
      makeInput({ account: { products: noConfluence }, entra: { inConfluenceGroup: false } }),
    );
    expect(toNonbillable).toMatchObject({
      kind: 'action',
      reason: 'NO_CONFLUENCE_NEED',
      summary: `Does not need Confluence (not in the Entra Confluence group and no Confluence product access) but is in the billable policy ${BILLABLE}.`,
      evidence: { policyId: BILLABLE, confluenceNeed: { rule: 'group-or-product-access', needed: false } },
    });
    const toBillable = evaluateAccount(withRule('group'), makeInput({ policyId: NONBILLABLE }));
    expect(toBillable).toMatchObject({
      reason: 'NEEDS_CONFLUENCE',
      summary: `Needs Confluence (in the Entra Confluence group) but is in the nonbillable policy ${NONBILLABLE}.`,
    });
  });

  it('matches only the product key "confluence" for product access', () => {
    const decision = evaluateAccount(
      withRule('group-or-product-access'),
      makeInput({ account: { products: [jira, { key: 'Confluence-Cloud' }] }, entra: { inConfluenceGroup: false } }),
    );
    expect(outcome(decision)).toBe('MOVE_TO_NONBILLABLE');
  });

  it('counts recent Confluence activity in the run time zone', () => {
    // Run at 00:30 on 1 November in Berlin (31 October in UTC); Confluence last used at noon UTC on 2 August.
    const products = [jira, { key: 'confluence', lastActive: '2026-08-02T12:00:00Z' }];
    const edit = (tz: string) => (raw: Record<string, any>) => {
      raw.entra.confluenceRule = 'group-or-recent-activity';
      raw.schedules.timeZone = tz;
    };
    const input = makeInput({ account: { products }, entra: { inConfluenceGroup: false } });
    const run = '2026-10-31T23:30:00Z';
    expect(outcome(evaluateAccount(makeContext(edit('UTC'), run), input))).toBe('keep');
    expect(outcome(evaluateAccount(makeContext(edit('Europe/Berlin'), run), input))).toBe('MOVE_TO_NONBILLABLE');
  });

  it('uses the latest of several Confluence sites', () => {
    const products = [jira, used('confluence', 300), used('confluence', 10)];
    const decision = evaluateAccount(
      withRule('group-or-recent-activity'),
      makeInput({ account: { products }, entra: { inConfluenceGroup: false } }),
    );
    expect(decision).toMatchObject({
      kind: 'keep',
      evidence: { confluenceNeed: { needed: true, because: 'active in Confluence 10 days ago' } },
    });
  });

  it('does not guess when the Confluence date is unparsable and the group does not settle it', () => {
    const products = [jira, { key: 'confluence', lastActive: 'yesterday' }];
    const notInGroup = evaluateAccount(
      withRule('group-or-recent-activity'),
      makeInput({ account: { products }, entra: { inConfluenceGroup: false } }),
    );
    expect(notInGroup).toMatchObject({
      kind: 'needs-data',
      missing: ['lastActive'],
      summary: expect.stringContaining('Confluence last-active date unparsable'),
    });
    const inGroup = evaluateAccount(
      withRule('group-or-recent-activity'),
      makeInput({ account: { products }, policyId: NONBILLABLE }),
    );
    expect(outcome(inGroup)).toBe('MOVE_TO_BILLABLE');
  });

  it('treats someone not found in Entra as outside the Confluence group when the deleted are not deactivated', () => {
    const ctx = makeContext((raw) => (raw.deactivation.deactivateEntraDeleted = false));
    const decision = evaluateAccount(ctx, makeInput({ entra: { found: false, inConfluenceGroup: false } }));
    expect(decision).toMatchObject({
      kind: 'action',
      action: 'MOVE_TO_NONBILLABLE',
      summary: expect.stringContaining('not found in Entra ID'),
    });
  });
});

describe('the current policy', () => {
  it.each([
    ['in the Confluence group', true],
    ['outside the Confluence group', false],
  ])('asks for the policy when it is unknown (%s)', (_what, inGroup) => {
    const decision = evaluateAccount(
      withRule('group'),
      makeInput({ entra: { inConfluenceGroup: inGroup }, policyId: 'unknown' }),
    );
    expect(decision).toMatchObject({
      kind: 'needs-data',
      missing: ['policy'],
      summary: expect.stringContaining('policy is unknown'),
    });
  });

  it.each([true, false])(
    'leaves alone an account in a policy that is neither billable nor nonbillable (in group: %s)',
    (inGroup) => {
      const decision = evaluateAccount(
        withRule('group'),
        makeInput({ entra: { inConfluenceGroup: inGroup }, policyId: OTHER_POLICY }),
      );
      expect(decision).toMatchObject({
        kind: 'keep',
        summary: expect.stringContaining(`the policy ${OTHER_POLICY}, neither billable nor nonbillable`),
      });
    },
  );

  it('explains a keep with activity, need and policy', () => {
    const decision = evaluateAccount(withRule('group'), makeInput());
    expect(decision).toMatchObject({
      kind: 'keep',
      summary: `Last active 3 days ago (Confluence on 2026-10-29; threshold 90 days); needs Confluence (in the Entra Confluence group) and is already in the billable policy ${BILLABLE}.`,
    });
  });

  it('moves nobody whose email is hidden (add-users names users by email)', () => {
    const decision = evaluateAccount(
      withRule('group'),
      makeInput({ account: { email: undefined }, entra: 'none', policyId: NONBILLABLE }),
    );
    expect(decision).toMatchObject({ kind: 'keep', summary: expect.stringContaining('email hidden') });
  });
});
