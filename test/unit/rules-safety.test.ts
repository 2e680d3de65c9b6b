import { describe, expect, it } from 'vitest';
import type { ManagedAccount } from '../../lambdas/atlassian/types.js';
import {
  checkBreakGlass,
  checkCaps,
  createTally,
  evaluateAccount,
  planVerdict,
  tallyDecision,
  type BreakGlassAlert,
  type BreakGlassSighting,
  type CapsCheck,
} from '../../lambdas/rules/index.js';
import { makeConfig } from '../helpers/config.js';
import { BILLABLE, NONBILLABLE, makeAccount, makeContext, makeInput, staleAccount } from '../helpers/accounts.js';

// breakglass-1@ and breakglass-2@example.com; the second also pinned to an account id.
const config = makeConfig((raw) => (raw.breakGlass[1].accountId = '712020:bg-2'));
/** A break-glass sighting; `policyId: null` = policy unknown. */
const bg1 = (account: Partial<ManagedAccount> = {}, policyId: string | null = NONBILLABLE): BreakGlassSighting => ({
  account: makeAccount({ accountId: '712020:bg-1', email: 'breakglass-1@example.com', products: [], ...account }),
  ...(policyId !== null && { policyId }),
});
const bg2 = (account: Partial<ManagedAccount> = {}, policyId: string | null = NONBILLABLE): BreakGlassSighting =>
  bg1({ accountId: '712020:bg-2', email: 'breakglass-2@example.com', ...account }, policyId);
const problems = (alerts: readonly BreakGlassAlert[]) => alerts.map((a) => `${a.email}:${a.problem}`);

describe('checkBreakGlass', () => {
  it('raises nothing when every break-glass account is active and outside the billable policy', () => {
    expect(checkBreakGlass(config, [bg1(), bg2()])).toEqual([]);
  });

  it('raises nothing for a break-glass account unused for years', () => {
    expect(
      checkBreakGlass(config, [bg1({ lastActive: '2021-01-01T00:00:00Z', addedToOrg: '2020-01-01T00:00:00Z' }), bg2()]),
    ).toEqual([]);
  });

  it.each<[string, BreakGlassSighting[], string[]]>([
    ['one is missing from the listing', [bg2()], ['breakglass-1@example.com:MISSING']],
    ['none is found', [], ['breakglass-1@example.com:MISSING', 'breakglass-2@example.com:MISSING']],
    ['one is deactivated', [bg1({ accountStatus: 'inactive' }), bg2()], ['breakglass-1@example.com:NOT_ACTIVE']],
    ['one is closed', [bg1(), bg2({ accountStatus: 'closed' })], ['breakglass-2@example.com:NOT_ACTIVE']],
    ['one is suspended', [bg1({ membershipStatus: 'suspended' }), bg2()], ['breakglass-1@example.com:SUSPENDED']],
    [
      'one is in the SSO-enforced billable policy',
      [bg1({}, BILLABLE), bg2()],
      ['breakglass-1@example.com:IN_BILLABLE_POLICY'],
    ],
    ['the policy of one is unknown', [bg1(), bg2({}, null)], ['breakglass-2@example.com:POLICY_UNKNOWN']],
    [
      'one is found by email under another account id than configured',
      [bg1(), bg2({ accountId: '712020:impostor' })],
      ['breakglass-2@example.com:ACCOUNT_ID_MISMATCH'],
    ],
    [
      'one is closed and in the billable policy',
      [bg1({ accountStatus: 'closed' }, BILLABLE), bg2()],
      ['breakglass-1@example.com:NOT_ACTIVE', 'breakglass-1@example.com:IN_BILLABLE_POLICY'],
    ],
  ])('alerts when %s', (_what, seen, expected) => {
    expect(problems(checkBreakGlass(config, seen))).toEqual(expected);
  });

  it('finds a break-glass account by email in another case, or by its configured account id when the email is hidden', () => {
    expect(checkBreakGlass(config, [bg1({ email: 'BreakGlass-1@Example.com' }), bg2({ email: undefined })])).toEqual(
      [],
    );
  });

  it('ignores accounts that are not break-glass', () => {
    expect(
      checkBreakGlass(config, [
        bg1(),
        bg2(),
        { account: makeAccount({ accountStatus: 'closed' }), policyId: BILLABLE },
      ]),
    ).toEqual([]);
  });

  it('writes a message naming the account, what is wrong and what to do', () => {
    const [inBillable] = checkBreakGlass(config, [bg1({}, BILLABLE), bg2()]);
    expect(inBillable?.message).toBe(
      `Break-glass account breakglass-1@example.com (account id 712020:bg-1) is in the SSO-enforced billable policy ${BILLABLE}: an SSO outage would lock it out; move it to a policy without SSO enforcement.`,
    );
    const [missing] = checkBreakGlass(config, [bg1()]);
    expect(missing?.message).toMatch(
      /^Break-glass account breakglass-2@example.com \(account id 712020:bg-2\) was not found among the org's managed accounts/,
    );
  });

  it('works on the sightings the planner collects from evaluateAccount', () => {
    const ctx = makeContext();
    const listing = [bg1({}, BILLABLE), bg2(), { account: makeAccount(), policyId: BILLABLE }];
    const seen = listing.filter((input) => {
      const decision = evaluateAccount(ctx, { ...input, entra: undefined });
      return decision.kind === 'excluded' && decision.reason === 'BREAK_GLASS';
    });
    expect(seen).toHaveLength(2);
    expect(problems(checkBreakGlass(config, seen))).toEqual(['breakglass-1@example.com:IN_BILLABLE_POLICY']);
  });
});

describe('checkCaps', () => {
  const caps = { maxActionsPerRun: 200, maxPercentOfOrg: 5, minActionsFloor: 0 };
  it.each([
    [0, 10_000, false],
    [200, 10_000, false],
    [201, 10_000, true],
    [50, 1_000, false],
    [51, 1_000, true],
    [1, 10, true], // 5% of 10 is half an account: any action is too many
    [0, 0, false],
    [1, 0, true],
  ])('%i actions over %i managed accounts: suspicious %s', (actions, managed, suspicious) => {
    expect(checkCaps(actions, managed, caps).suspicious).toBe(suspicious);
  });

  it.each([
    [0.57, 10_000, 57], // 0.57 × 10000 / 100 is 56.99999999999999 in floating point
    [2.3, 3_000, 69], // 68.99999999999999
    [9.7, 3_000, 291], // 290.99999999999994
    [0.29, 10_000, 29],
  ])('allows a proposal exactly at a fractional cap (%s%% of %i = %i)', (percent, managed, atCap) => {
    const caps = { maxActionsPerRun: 1_000, maxPercentOfOrg: percent, minActionsFloor: 0 };
    expect(checkCaps(atCap, managed, caps)).toMatchObject({ suspicious: false, maxByPercent: atCap });
    expect(checkCaps(atCap + 1, managed, caps).suspicious).toBe(true);
  });

  describe('with a floor (caps.minActionsFloor): at most N% or M accounts, whichever is larger', () => {
    const floored = { maxActionsPerRun: 200, maxPercentOfOrg: 5, minActionsFloor: 10 };

    it('lets a 17-person org propose a few actions (5% of 17 is not one whole account)', () => {
      expect(checkCaps(3, 17, floored)).toMatchObject({ suspicious: false, maxByPercent: 10 });
      expect(checkCaps(10, 17, floored).suspicious).toBe(false);
      expect(checkCaps(11, 17, floored)).toMatchObject({ suspicious: true });
      expect(checkCaps(11, 17, floored).reasons).toEqual([
        '11 proposed actions are 64.7% of 17 managed accounts, over caps.maxPercentOfOrg (5%, or caps.minActionsFloor: at most 10).',
      ]);
    });

    it('still caps a large org by its percentage', () => {
      const large = { ...floored, maxActionsPerRun: 5_000 };
      expect(checkCaps(500, 10_000, large)).toMatchObject({ suspicious: false, maxByPercent: 500 });
      expect(checkCaps(501, 10_000, large).suspicious).toBe(true);
      expect(checkCaps(11, 200, large).suspicious).toBe(true);
    });

    it('never lifts the count cap', () => {
      expect(checkCaps(6, 17, { ...floored, maxActionsPerRun: 5 }).suspicious).toBe(true);
    });
  });

  it('gives one reason per cap exceeded', () => {
    const both = checkCaps(300, 1_000, caps);
    expect(both.reasons).toEqual([
      '300 proposed actions exceed caps.maxActionsPerRun (200).',
      '300 proposed actions are 30.0% of 1000 managed accounts, over caps.maxPercentOfOrg (5%, at most 50).',
    ]);
    expect(checkCaps(201, 100_000, caps).reasons).toHaveLength(1);
  });
});

describe('planVerdict', () => {
  const within: CapsCheck = checkCaps(10, 1_000, { maxActionsPerRun: 200, maxPercentOfOrg: 5, minActionsFloor: 10 });
  const over: CapsCheck = checkCaps(500, 1_000, { maxActionsPerRun: 200, maxPercentOfOrg: 5, minActionsFloor: 10 });
  const alert = checkBreakGlass(config, [bg2()]);

  it.each([
    ['a complete read, no alerts, within caps', true, [], within, 'propose'],
    ['over the caps', true, [], over, 'needs-override'],
    ['an incomplete read', false, [], within, 'propose-nothing'],
    ['a break-glass alert', true, alert, within, 'propose-nothing'],
    ['an incomplete read over the caps', false, [], over, 'propose-nothing'],
    ['a break-glass alert over the caps', true, alert, over, 'propose-nothing'],
  ])('%s: %s', (_what, readComplete, breakGlassAlerts, caps, expected) => {
    expect(planVerdict({ readComplete, breakGlassAlerts, caps }).kind).toBe(expected);
  });

  it('lists every blocking reason, the read first', () => {
    const verdict = planVerdict({
      readComplete: false,
      readProblem: 'page 12 failed with 503',
      breakGlassAlerts: alert,
      caps: over,
    });
    expect(verdict.reasons).toEqual([
      'The read of the org was incomplete (page 12 failed with 503): a partial read cannot tell who is stale.',
      alert[0]!.message,
    ]);
  });

  it('carries the caps reasons when an override is needed', () => {
    expect(planVerdict({ readComplete: true, breakGlassAlerts: [], caps: over }).reasons).toEqual(over.reasons);
  });
});

describe('tally', () => {
  it('counts decisions as a streaming planner sees them', () => {
    const ctx = makeContext();
    const tally = createTally();
    const inputs = [
      makeInput(),
      makeInput({ account: staleAccount() }),
      makeInput({ account: staleAccount({ accountId: 'b' }) }),
      makeInput({ entra: { inConfluenceGroup: false } }),
      makeInput({ account: { email: 'ceo@example.com' } }),
      makeInput({ policyId: 'unknown', account: { platformRoles: undefined } }),
    ];
    for (const input of inputs) tallyDecision(tally, evaluateAccount(ctx, input));
    expect(tally).toEqual({
      managed: 6,
      actions: 3,
      byAction: { DEACTIVATE: 2, MOVE_TO_NONBILLABLE: 1 },
      byExclusion: { EXCLUDED_EMAIL: 1 },
      byMissing: { policy: 1, platformRoles: 1 },
      kept: 1,
      needsData: 1,
    });
    expect(
      checkCaps(tally.actions, tally.managed, { maxActionsPerRun: 2, maxPercentOfOrg: 100, minActionsFloor: 0 })
        .suspicious,
    ).toBe(true);
  });
});
