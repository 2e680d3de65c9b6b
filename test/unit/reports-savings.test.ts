import { describe, expect, it } from 'vitest';
import {
  attributeSavings,
  periodContaining,
  proRatedCost,
  savingsIn,
  savingsYearToDate,
  seatEffect,
  shiftPeriod,
  totalChanges,
  type BillingCycle,
  type SavingsOptions,
} from '../../lambdas/reports/index.js';
import { change, POLICIES, PREMIUM, STANDARD } from '../helpers/reports.js';

const at = (iso: string) => Date.parse(iso);
const CYCLE: BillingCycle = { billingDay: 15, timeZone: 'Europe/Berlin' };
const OPTS: SavingsOptions = { rule: STANDARD, cycle: CYCLE, seatPrice: 4.5 };
const nonbillableWithConfluence = {
  status: 'active' as const,
  policyId: POLICIES.nonbillableId,
  products: ['confluence'],
};

describe('seat effect of an executed change', () => {
  it.each([
    ['DEACTIVATE of a billed account frees a seat', change({ executedAt: 'x' }), 'freed', 'freed'],
    [
      'DEACTIVATE of a nonbillable member frees nothing on Standard, a seat on Premium',
      change({ executedAt: 'x', before: nonbillableWithConfluence }),
      'none',
      'freed',
    ],
    [
      'MOVE_TO_NONBILLABLE of a Confluence user frees a seat on Standard only',
      change({ executedAt: 'x', action: 'MOVE_TO_NONBILLABLE' }),
      'freed',
      'none',
    ],
    [
      'MOVE_TO_NONBILLABLE of a Trello-only user frees a seat on both',
      change({
        executedAt: 'x',
        action: 'MOVE_TO_NONBILLABLE',
        before: { status: 'active', policyId: POLICIES.billableId, products: ['trello'] },
      }),
      'freed',
      'freed',
    ],
    [
      'MOVE_TO_BILLABLE adds a seat on Standard only',
      change({ executedAt: 'x', action: 'MOVE_TO_BILLABLE', before: nonbillableWithConfluence }),
      'added',
      'none',
    ],
    [
      'MOVE_TO_BILLABLE of an account with no access adds nothing',
      change({
        executedAt: 'x',
        action: 'MOVE_TO_BILLABLE',
        before: { status: 'active', policyId: POLICIES.nonbillableId, products: [] },
      }),
      'none',
      'none',
    ],
    [
      'a change to an account whose policy was not read is unknown',
      change({ executedAt: 'x', before: { status: 'active', products: ['trello'] } }),
      'unknown',
      'unknown',
    ],
  ] as const)('%s', (_n, c, standard, premium) => {
    expect(seatEffect(c, STANDARD)).toBe(standard);
    expect(seatEffect(c, PREMIUM)).toBe(premium);
  });

  it('totals changes by action and by effect', () => {
    const all = [
      change({ executedAt: 'x' }),
      change({ executedAt: 'x', action: 'MOVE_TO_NONBILLABLE' }),
      change({ executedAt: 'x', action: 'MOVE_TO_NONBILLABLE' }),
      change({ executedAt: 'x', action: 'MOVE_TO_BILLABLE', before: nonbillableWithConfluence }),
      change({ executedAt: 'x', before: { status: 'active', products: ['jira-software'] } }),
    ];
    expect(totalChanges(all, STANDARD)).toEqual({
      deactivated: 2,
      movedToNonbillable: 2,
      movedToBillable: 1,
      seatsFreed: 3,
      seatsAdded: 1,
      unknownEffect: 1,
    });
  });
});

describe('attributed savings start in the next period, never the current one', () => {
  // Billing day 15 in Berlin: the period of 20 March runs 15 March..14 April.
  const freedMarch = change({ executedAt: '2026-03-20T10:00:00Z' });
  const freedLastMinute = change({ executedAt: '2026-04-14T21:59:59Z' }); // 23:59:59 CEST on 14 April
  const freedAtStart = change({ executedAt: '2026-04-14T22:00:00Z' }); // 00:00 on 15 April: next period
  const addedMarch = change({
    executedAt: '2026-03-25T10:00:00Z',
    action: 'MOVE_TO_BILLABLE',
    before: nonbillableWithConfluence,
  });
  const all = [freedMarch, freedLastMinute, freedAtStart, addedMarch];

  it('names the first day of the period after the change', () => {
    expect(attributeSavings(all, OPTS).map((s) => [s.effect, s.from, s.perPeriod])).toEqual([
      ['freed', '2026-04-15', 4.5],
      ['freed', '2026-04-15', 4.5],
      ['freed', '2026-05-15', 4.5],
      ['added', '2026-04-15', -4.5],
    ]);
  });

  it('saves nothing in the period of the change, then every period after', () => {
    const march = periodContaining(at('2026-03-20T10:00:00Z'), CYCLE);
    expect(savingsIn(march, all, OPTS)).toMatchObject({ seatsFreed: 0, seatsAdded: 0, amount: 0 });
    expect(savingsIn(shiftPeriod(march, 1, CYCLE), all, OPTS)).toMatchObject({
      seatsFreed: 2,
      seatsAdded: 1,
      amount: 4.5,
    });
    expect(savingsIn(shiftPeriod(march, 2, CYCLE), all, OPTS)).toMatchObject({
      seatsFreed: 3,
      seatsAdded: 1,
      amount: 9,
    });
  });

  it('adds up the periods of the calendar year so far', () => {
    // Periods starting in 2026 up to the one of 20 May: 15 Jan, 15 Feb, 15 Mar (0), 15 Apr (4.5), 15 May (9).
    expect(savingsYearToDate(at('2026-05-20T00:00:00Z'), all, OPTS)).toBe(13.5);
    expect(savingsYearToDate(at('2026-04-20T00:00:00Z'), all, OPTS)).toBe(4.5);
    expect(savingsYearToDate(at('2026-04-01T00:00:00Z'), all, OPTS)).toBe(0);
    // The year restarts: the period of 15 Jan 2027 is the first one counted.
    expect(savingsYearToDate(at('2027-01-20T00:00:00Z'), all, OPTS)).toBe(9);
    // 10 Jan 2027 is in the period that started on 15 Dec 2026: that year's periods are summed.
    expect(savingsYearToDate(at('2027-01-10T00:00:00Z'), all, OPTS)).toBe(4.5 + 8 * 9);
  });

  it('follows the tier: a nonbillable move saves nothing on Premium for a Confluence user', () => {
    const move = change({ executedAt: '2026-03-20T10:00:00Z', action: 'MOVE_TO_NONBILLABLE' });
    const april = periodContaining(at('2026-04-20T00:00:00Z'), CYCLE);
    expect(savingsIn(april, [move], OPTS).amount).toBe(4.5);
    expect(savingsIn(april, [move], { ...OPTS, rule: PREMIUM }).amount).toBe(0);
  });
});

describe('pro-rated cost of a move back to billable', () => {
  it.each([
    // [instant, billing day, zone, days left incl. that day, days in period]
    ['2026-03-01T10:00:00Z', 1, 'UTC', 31, 31],
    ['2026-03-31T10:00:00Z', 1, 'UTC', 1, 31],
    ['2026-02-15T10:00:00Z', 1, 'UTC', 14, 28],
    ['2028-02-28T10:00:00Z', 15, 'UTC', 16, 29],
    ['2026-03-31T22:30:00Z', 1, 'Europe/Berlin', 30, 30], // already 1 April in Berlin
  ] as const)('%s (day %i, %s): %i of %i days', (iso, day, tz, left, days) => {
    const cost = proRatedCost(at(iso), { billingDay: day, timeZone: tz }, 6.2);
    expect(cost).toEqual({ daysLeft: left, days, amount: (6.2 * left) / days });
  });
});
