import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ManagedAccount } from '../../lambdas/atlassian/types.js';
import { dayCounter, parseInstant } from '../../lambdas/rules/dates.js';
import {
  checkBreakGlass,
  checkCaps,
  createTally,
  evaluateAccount,
  isBreakGlass,
  planVerdict,
  tallyDecision,
  type AccountInput,
  type Decision,
  type EntraFacts,
  type RuleContext,
} from '../../lambdas/rules/index.js';
import { makeConfig } from '../helpers/config.js';
import {
  BILLABLE,
  EXCLUSION_GROUP,
  NONBILLABLE,
  NOW,
  OTHER_POLICY,
  daysBefore,
  makeContext,
} from '../helpers/accounts.js';

const DAY = 86_400_000;
const NOW_MS = Date.parse(NOW);
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Pacific/Auckland'] as const;
const RULES = ['group', 'group-or-product-access', 'group-or-recent-activity'] as const;

// A handful of configurations, parsed once (parsing per run would dominate the test time).
const contexts: RuleContext[] = ZONES.flatMap((timeZone, i) =>
  [true, false].map((leavers) =>
    makeContext((raw) => {
      raw.schedules.timeZone = timeZone;
      raw.entra.confluenceRule = RULES[i % RULES.length];
      raw.deactivation.deactivateEntraDisabled = leavers;
      raw.deactivation.deactivateEntraDeleted = leavers || i % 2 === 0;
      if (i % 2 === 0) raw.entra.tenantDomains = ['example.com', 'partner.example.org'];
      raw.deactivation.staleAfterDays = [90, 30, 180, 1, 365][i];
      raw.deactivation.newAccountGraceDays = [30, 0, 200, 7, 14][i];
      raw.breakGlass.push({ email: 'breakglass-3@example.com', accountId: 'bg-3' });
      raw.exclusions.accountIds = ['excluded-id'];
    }),
  ),
);
const contextArb = fc.constantFrom(...contexts);

const timestampArb = fc.integer({ min: -3 * DAY, max: 500 * DAY }).map((ago) => new Date(NOW_MS - ago).toISOString());
const dateOnlyArb = fc
  .integer({ min: 0, max: 500 })
  .map((ago) => new Date(NOW_MS - ago * DAY).toISOString().slice(0, 10));
const malformedArb = fc.constantFrom(
  'garbage',
  '',
  '2026-02-30',
  '0001-01-01T00:00:00Z',
  'June 1, 2026',
  '1781172000000',
);
const dateArb = fc.oneof(
  { weight: 6, arbitrary: timestampArb },
  { weight: 2, arbitrary: dateOnlyArb },
  { weight: 1, arbitrary: malformedArb },
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const accountArb: fc.Arbitrary<ManagedAccount> = fc.record({
  accountId: fc.constantFrom('id-1', 'id-2', 'bg-3', 'excluded-id'),
  email: fc.constantFrom(
    undefined,
    'jane@example.com',
    'BreakGlass-1@example.com',
    'breakglass-3@example.com',
    'ceo@example.com',
    'x@partner.example.org',
    'y@eu.partner.example.org',
    'z@other.com',
  ),
  name: fc.constant('Someone'),
  accountType: fc.constantFrom('atlassian', 'atlassian', 'atlassian', 'app', 'customer'),
  accountStatus: fc.constantFrom('active', 'active', 'active', 'inactive', 'closed'),
  membershipStatus: fc.constantFrom(undefined, 'active', 'active', 'suspended', 'no_membership'),
  lastActive: maybe(dateArb),
  addedToOrg: maybe(dateArb),
  products: fc.array(
    fc.record({ key: fc.constantFrom('confluence', 'jira-software', 'trello'), lastActive: maybe(dateArb) }),
    { maxLength: 4 },
  ),
  platformRoles: maybe(fc.subarray(['atlassian/org-admin', 'atlassian/site-admin'])),
});
const entraArb: fc.Arbitrary<EntraFacts | undefined> = maybe(
  fc.record({
    found: maybe(fc.boolean()),
    accountEnabled: maybe(fc.boolean()),
    inConfluenceGroup: fc.boolean(),
    exclusionGroupIds: fc.subarray([EXCLUSION_GROUP, 'grp-other']),
  }),
);
const inputArb: fc.Arbitrary<AccountInput> = fc.record({
  account: accountArb,
  policyId: fc.constantFrom(undefined, BILLABLE, NONBILLABLE, OTHER_POLICY),
  entra: entraArb,
  onOrgAdminList: fc.constantFrom(undefined, false, false, false, true),
});

const RUNS = { numRuns: 2000 };
const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
};
const isDeactivation = (d: Decision) => d.kind === 'action' && d.action === 'DEACTIVATE';

describe('evaluateAccount, for any account', () => {
  it('returns a well-formed, JSON-safe decision and never throws', () => {
    fc.assert(
      fc.property(contextArb, inputArb, (ctx, input) => {
        const d = evaluateAccount(ctx, input);
        expect(d.summary).toMatch(/^[A-Z].*\.$/);
        if (d.kind === 'needs-data') expect(new Set(d.missing).size).toBe(d.missing.length);
        if (d.kind === 'needs-data') expect(d.missing.length).toBeGreaterThan(0);
        expect(JSON.parse(JSON.stringify(d))).toStrictEqual(d);
      }),
      RUNS,
    );
  });

  it('is deterministic and does not change its input', () => {
    fc.assert(
      fc.property(contextArb, inputArb, (ctx, input) => {
        const frozen = deepFreeze(input); // any write to it throws (ES modules are strict)
        expect(evaluateAccount(ctx, frozen)).toStrictEqual(evaluateAccount(ctx, frozen));
      }),
      RUNS,
    );
  });

  it('never acts on break-glass, admin, app, customer, closed, inactive or suspended accounts', () => {
    fc.assert(
      fc.property(contextArb, inputArb, (ctx, input) => {
        const a = input.account;
        const protectedAccount =
          isBreakGlass(ctx, a) ||
          (a.platformRoles?.includes('atlassian/org-admin') ?? false) ||
          a.accountType !== 'atlassian' ||
          a.accountStatus !== 'active' ||
          a.membershipStatus === 'suspended' ||
          a.membershipStatus === 'no_membership';
        const d = evaluateAccount(ctx, input);
        if (protectedAccount) expect(d.kind).toBe('excluded');
        if (isBreakGlass(ctx, a)) expect(d).toMatchObject({ kind: 'excluded', reason: 'BREAK_GLASS' });
      }),
      RUNS,
    );
  });

  it('never acts on configured exclusions or members of an Entra exclusion group', () => {
    fc.assert(
      fc.property(contextArb, inputArb, (ctx, input) => {
        const email = input.account.email?.toLowerCase();
        const configured =
          input.account.accountId === 'excluded-id' ||
          email === 'ceo@example.com' ||
          email?.endsWith('@partner.example.org');
        const inGroup = input.entra?.exclusionGroupIds.includes(EXCLUSION_GROUP) ?? false;
        if (configured || inGroup) expect(evaluateAccount(ctx, input).kind).toBe('excluded');
      }),
      RUNS,
    );
  });

  it('never proposes an action without knowing the admin roles and the org admin list', () => {
    fc.assert(
      fc.property(contextArb, inputArb, (ctx, input) => {
        const d = evaluateAccount(ctx, input);
        if (input.account.platformRoles === undefined) expect(d.kind).not.toBe('action');
        if (input.onOrgAdminList === undefined) expect(d.kind).not.toBe('action');
      }),
      RUNS,
    );
  });

  it('never proposes anyone on the org admin list, whatever the listing says of their roles', () => {
    fc.assert(
      fc.property(contextArb, inputArb, (ctx, input) => {
        const d = evaluateAccount(ctx, { ...input, onOrgAdminList: true });
        expect(d.kind).toBe('excluded');
        if (!isBreakGlass(ctx, input.account)) expect(d).toMatchObject({ reason: 'ORG_ADMIN' });
      }),
      RUNS,
    );
  });

  it('moves a policy only from the policy the move is about', () => {
    fc.assert(
      fc.property(contextArb, inputArb, (ctx, input) => {
        const d = evaluateAccount(ctx, input);
        if (d.kind !== 'action') return;
        if (d.action === 'MOVE_TO_BILLABLE')
          expect([input.policyId, d.reason]).toEqual([NONBILLABLE, 'NEEDS_CONFLUENCE']);
        if (d.action === 'MOVE_TO_NONBILLABLE')
          expect([input.policyId, d.reason]).toEqual([BILLABLE, 'NO_CONFLUENCE_NEED']);
        if (d.action === 'DEACTIVATE')
          expect(['STALE', 'NEVER_ACTIVE', 'ENTRA_DISABLED', 'ENTRA_NOT_FOUND']).toContain(d.reason);
      }),
      RUNS,
    );
  });

  it('deactivates for staleness only on parsable dates past the threshold', () => {
    fc.assert(
      fc.property(contextArb, inputArb, (ctx, input) => {
        const d = evaluateAccount(ctx, input);
        if (d.kind !== 'action') return;
        if (d.reason === 'STALE') {
          expect(d.evidence.inactiveDays).toBeGreaterThan(ctx.staleAfterDays);
          expect(d.evidence.unparsable).toBeUndefined();
        }
        if (d.reason === 'NEVER_ACTIVE') {
          expect(d.evidence.daysSinceAdded).toBeGreaterThan(Math.max(ctx.staleAfterDays, ctx.newAccountGraceDays));
          expect(d.evidence.lastActivity).toBeUndefined();
        }
        if (d.reason === 'ENTRA_DISABLED')
          expect([ctx.deactivateEntraDisabled, d.evidence.leaverRule]).toEqual([
            true,
            'deactivation.deactivateEntraDisabled',
          ]);
        if (d.reason === 'ENTRA_NOT_FOUND') {
          expect([ctx.deactivateEntraDeleted, d.evidence.leaverRule]).toEqual([
            true,
            'deactivation.deactivateEntraDeleted',
          ]);
          expect(d.evidence.notInEntra?.tenantDomain).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('never deactivates an account active within the threshold, unless Entra says it left', () => {
    fc.assert(
      fc.property(contextArb, inputArb, fc.nat(), (ctx, input, seed) => {
        const recent = { key: 'jira-software', lastActive: daysBefore(seed % ctx.staleAfterDays) };
        const d = evaluateAccount(ctx, {
          ...input,
          account: { ...input.account, products: [...input.account.products, recent] },
        });
        const domain = input.account.email?.split('@').at(-1)?.toLowerCase() ?? '';
        const gone = input.entra?.found === false && input.account.email !== undefined;
        const deleted = ctx.deactivateEntraDeleted && gone && ctx.tenantDomains?.has(domain) === true;
        const leaver = deleted || (ctx.deactivateEntraDisabled && input.entra?.accountEnabled === false);
        if (!leaver) expect(isDeactivation(d)).toBe(false);
        if (d.kind === 'action') expect(['STALE', 'NEVER_ACTIVE']).not.toContain(d.reason);
      }),
      RUNS,
    );
  });

  it('deactivates an otherwise ordinary account exactly when its inactivity passes staleAfterDays', () => {
    const utc = contexts[0]!; // UTC, stale after 90
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: DAY - 1 }), (days, msIntoDay) => {
        const lastActive = new Date(Math.floor(NOW_MS / DAY) * DAY - days * DAY + msIntoDay).toISOString();
        const account: ManagedAccount = {
          accountId: 'id-1',
          email: 'jane@example.com',
          name: 'Jane',
          accountType: 'atlassian',
          accountStatus: 'active',
          products: [{ key: 'confluence', lastActive }],
          platformRoles: [],
        };
        const d = evaluateAccount(utc, {
          account,
          policyId: BILLABLE,
          entra: { found: true, accountEnabled: true, inConfluenceGroup: true, exclusionGroupIds: [] },
          onOrgAdminList: false,
        });
        expect(isDeactivation(d)).toBe(days > 90);
      }),
      RUNS,
    );
  });
});

describe('dates, for any instant', () => {
  it('round-trips every ISO timestamp', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
        (date) => {
          expect(parseInstant(date.toISOString())).toBe(date.getTime());
        },
      ),
    );
  });

  it('gives calendar days that never go backwards and stay within a day of UTC', () => {
    const counters = ZONES.map((tz) => dayCounter(tz));
    const utc = dayCounter('UTC');
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2000-01-01'), max: Date.parse('2099-01-01') }),
        fc.integer({ min: 0, max: 3 * DAY }),
        (t, step) => {
          for (const dayOf of counters) {
            expect(dayOf(t + step)).toBeGreaterThanOrEqual(dayOf(t));
            expect(Math.abs(dayOf(t) - utc(t))).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });
});

describe('plan-level safety, for any counters', () => {
  it('caps: never suspicious within both caps, always beyond either, and monotone', () => {
    fc.assert(
      fc.property(
        fc.nat(20_000),
        fc.nat(100_000),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 100 }),
        fc.nat(50),
        (actions, managed, maxCount, percent, floor) => {
          const caps = { maxActionsPerRun: maxCount, maxPercentOfOrg: percent, minActionsFloor: floor };
          const check = checkCaps(actions, managed, caps);
          const within = actions <= maxCount && (actions * 100 <= percent * managed || actions <= floor);
          expect(check.suspicious).toBe(!within);
          expect(check.reasons.length > 0).toBe(check.suspicious);
          if (check.suspicious) expect(checkCaps(actions + 1, managed, caps).suspicious).toBe(true);
        },
      ),
    );
  });

  it('verdict: an incomplete read or any break-glass alert proposes nothing, whatever the caps', () => {
    const config = makeConfig();
    const alerts = checkBreakGlass(config, []);
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.boolean(),
        fc.nat(1000),
        fc.nat(1000),
        (readComplete, withAlerts, actions, managed) => {
          const verdict = planVerdict({
            readComplete,
            breakGlassAlerts: withAlerts ? alerts : [],
            caps: checkCaps(actions, managed, config.caps),
          });
          if (!readComplete || withAlerts) expect(verdict.kind).toBe('propose-nothing');
          else expect(verdict.kind).not.toBe('propose-nothing');
        },
      ),
    );
  });

  it('tally: every decision is counted exactly once', () => {
    fc.assert(
      fc.property(contextArb, fc.array(inputArb, { maxLength: 30 }), (ctx, inputs) => {
        const tally = createTally();
        for (const input of inputs) tallyDecision(tally, evaluateAccount(ctx, input));
        const excluded = Object.values(tally.byExclusion).reduce((a, b) => a + b, 0);
        const actions = Object.values(tally.byAction).reduce((a, b) => a + b, 0);
        expect(tally.managed).toBe(inputs.length);
        expect(actions).toBe(tally.actions);
        expect(tally.actions + excluded + tally.kept + tally.needsData).toBe(inputs.length);
      }),
    );
  });
});
