import { describe, expect, it } from 'vitest';
import {
  billingDeadline,
  proposalBilling,
  type BillingCycle,
  type ItemSeat,
  type ProposalBillingOptions,
} from '../../lambdas/reports/index.js';

const at = (iso: string) => Date.parse(iso);
const UTC15: BillingCycle = { billingDay: 15, timeZone: 'UTC' };
const PLAN = at('2026-12-05T02:00:00Z');
const DEADLINE = billingDeadline(PLAN, {
  cycle: UTC15,
  land: { enabled: true, windowDays: 14, marginDays: 1 },
  warnBeforeDays: 7,
})!;
let n = 0;
const item = (action: ItemSeat['action'], seat: ItemSeat['seat'], pending = true): ItemSeat => ({
  accountId: `acct-${++n}`,
  action,
  seat,
  pending,
});
const options = (o: Partial<ProposalBillingOptions> = {}): ProposalBillingOptions => ({
  cycle: UTC15,
  seatPrice: 5,
  currency: 'EUR',
  nowMs: PLAN,
  deadline: DEADLINE,
  ...o,
});

describe('landing lines of a proposal', () => {
  const items = [
    item('DEACTIVATE', 1),
    item('DEACTIVATE', 1),
    item('DEACTIVATE', 0),
    item('DEACTIVATE', 1, false),
    item('MOVE_TO_NONBILLABLE', 1),
    item('MOVE_TO_BILLABLE', -1),
  ];

  it('counts the pending seats each kind frees, moves first, with the price per period and the decide-by date', () => {
    expect(proposalBilling(items, options()).landings).toEqual([
      {
        kind: 'moves',
        seats: 1,
        perPeriod: 5,
        leadDays: 1,
        decideBy: '2026-12-14T00:00:00.000Z',
        onTime: true,
        savesFrom: '2026-12-15',
      },
      {
        kind: 'deactivations',
        seats: 2,
        perPeriod: 10,
        leadDays: 8,
        decideBy: '2026-12-07T00:00:00.000Z',
        onTime: true,
        savesFrom: '2026-12-15',
      },
    ]);
  });

  it('says the saving starts one period later once the decide-by date has passed', () => {
    const late = proposalBilling(items, options({ nowMs: at('2026-12-07T00:00:00Z') })).landings;
    expect(late.map((l) => [l.kind, l.onTime, l.savesFrom])).toEqual([
      ['moves', true, '2026-12-15'],
      ['deactivations', false, '2027-01-15'],
    ]);
    const lastMinute = proposalBilling(items, options({ nowMs: at('2026-12-06T23:59:59.999Z') })).landings;
    expect(lastMinute[1]).toMatchObject({ onTime: true, savesFrom: '2026-12-15' });
  });

  it('has none without a deadline, or when nothing pending frees a seat', () => {
    const { deadline: _d, ...noDeadline } = options();
    const b = proposalBilling(items, noDeadline);
    expect(b.landings).toEqual([]);
    expect(b.deadline).toBeUndefined();
    expect(proposalBilling([item('DEACTIVATE', 0), item('DEACTIVATE', 1, false)], options()).landings).toEqual([]);
    expect(proposalBilling(items, options()).deadline).toBe(DEADLINE);
  });
});

describe('pro-rated cost of the seats a proposal adds', () => {
  it('flags each item that adds a seat with price x days left / period days, and totals them', () => {
    // Period 15 November - 14 December 2026 (30 days); 1 December to 14 December is 14 days.
    const add1 = item('MOVE_TO_BILLABLE', -1);
    const add2 = item('REACTIVATE', -1, false);
    const none = item('MOVE_TO_BILLABLE', 0);
    const b = proposalBilling(
      [add1, add2, none, item('DEACTIVATE', 1)],
      options({ nowMs: at('2026-12-01T10:00:00Z') }),
    );
    expect([...b.proRated.keys()]).toEqual([add1.accountId, add2.accountId]);
    expect(b.proRated.get(add1.accountId)).toEqual({ daysLeft: 14, days: 30, amount: (5 * 14) / 30 });
    expect(b.proRatedTotal).toBeCloseTo((2 * 5 * 14) / 30, 10);
    expect(b.periodLastDay).toBe('2026-12-14');
    expect(b).toMatchObject({ seatPrice: 5, currency: 'EUR' });
  });

  it('charges the whole price on the billing day itself and one day on the last day of the period', () => {
    const add = item('MOVE_TO_BILLABLE', -1);
    const onDay = proposalBilling([add], options({ nowMs: at('2026-12-15T00:00:00Z') }));
    expect(onDay.proRated.get(add.accountId)).toEqual({ daysLeft: 31, days: 31, amount: 5 });
    expect(onDay.periodLastDay).toBe('2027-01-14');
    const lastDay = proposalBilling([add], options({ nowMs: at('2026-12-14T23:59:59.999Z') }));
    expect(lastDay.proRated.get(add.accountId)).toEqual({ daysLeft: 1, days: 30, amount: 5 / 30 });
  });

  it('divides by 29 in February of a leap year and 28 otherwise', () => {
    const first: BillingCycle = { billingDay: 1, timeZone: 'UTC' };
    const add = item('MOVE_TO_BILLABLE', -1);
    const leap = proposalBilling([add], options({ cycle: first, nowMs: at('2028-02-29T12:00:00Z') }));
    expect(leap.proRated.get(add.accountId)).toEqual({ daysLeft: 1, days: 29, amount: 5 / 29 });
    const common = proposalBilling([add], options({ cycle: first, nowMs: at('2027-02-28T12:00:00Z') }));
    expect(common.proRated.get(add.accountId)).toEqual({ daysLeft: 1, days: 28, amount: 5 / 28 });
  });

  it('totals nothing when no item adds a seat', () => {
    const b = proposalBilling([item('DEACTIVATE', 1), item('MOVE_TO_BILLABLE', 0)], options());
    expect(b.proRated.size).toBe(0);
    expect(b.proRatedTotal).toBe(0);
  });
});
