import { describe, expect, it } from 'vitest';
import {
  billingDeadline,
  deadlineFromSummary,
  landing,
  periodContaining,
  resolveFinanceSettings,
  type BillingCycle,
  type LandBeforeOptions,
} from '../../lambdas/reports/index.js';

const at = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;
const ON = { enabled: true, windowDays: 14, marginDays: 1 };
const UTC15: BillingCycle = { billingDay: 15, timeZone: 'UTC' };
const opts = (cycle: BillingCycle, land = ON, warnBeforeDays = 7): LandBeforeOptions => ({
  cycle,
  land,
  warnBeforeDays,
});

describe('finance.landBeforeBillingDay setting', () => {
  const base = { seatPrice: 5, currency: 'EUR' };

  it('is off by default, with a 14-day window and a 1-day margin', () => {
    expect(resolveFinanceSettings(base).landBeforeBillingDay).toEqual({
      enabled: false,
      windowDays: 14,
      marginDays: 1,
    });
    expect(resolveFinanceSettings({ ...base, landBeforeBillingDay: { enabled: true } }).landBeforeBillingDay).toEqual({
      enabled: true,
      windowDays: 14,
      marginDays: 1,
    });
  });

  it.each([
    [{ windowDays: 1 }, true],
    [{ windowDays: 28 }, true],
    [{ windowDays: 0 }, false],
    [{ windowDays: 29 }, false],
    [{ windowDays: 2.5 }, false],
    [{ marginDays: 0 }, true],
    [{ marginDays: 7 }, true],
    [{ marginDays: -1 }, false],
    [{ marginDays: 8 }, false],
  ])('accepts %j: %s', (field, ok) => {
    const parse = () => resolveFinanceSettings({ ...base, landBeforeBillingDay: { enabled: true, ...field } });
    if (ok) expect(parse().landBeforeBillingDay).toMatchObject(field);
    else expect(parse).toThrow(new RegExp(`finance\\.landBeforeBillingDay\\.${Object.keys(field)[0]}: .*received`));
  });

  it('names the field, the value and the fix', () => {
    expect(() => resolveFinanceSettings({ ...base, landBeforeBillingDay: { enabled: true, windowDays: 40 } })).toThrow(
      'finance.landBeforeBillingDay.windowDays: expected 1 to 28 days (received 40)',
    );
    expect(() => resolveFinanceSettings({ ...base, landBeforeBillingDay: { enabled: true, marginDays: '1' } })).toThrow(
      'finance.landBeforeBillingDay.marginDays: expected a number of days from 0 to 7 (received "1")',
    );
    expect(() => resolveFinanceSettings({ ...base, landBeforeBillingDay: { enabled: true, windowDays: 3.5 } })).toThrow(
      'finance.landBeforeBillingDay.windowDays: expected a whole number of days from 1 to 28 (received 3.5)',
    );
    expect(() => resolveFinanceSettings({ ...base, landBeforeBillingDay: { enabled: true, marginDays: -1 } })).toThrow(
      'finance.landBeforeBillingDay.marginDays: expected 0 to 7 days (received -1)',
    );
    expect(() => resolveFinanceSettings({ ...base, landBeforeBillingDay: { enabled: 'yes' } })).toThrow(
      'finance.landBeforeBillingDay.enabled: expected true or false (received "yes")',
    );
    expect(() => resolveFinanceSettings({ ...base, landBeforeBillingDay: { enabled: true, leadDays: 3 } })).toThrow(
      /landBeforeBillingDay/,
    );
  });
});

describe('billing deadline of a plan run', () => {
  it('is absent when the setting is off', () => {
    expect(billingDeadline(at('2026-12-10T02:00:00Z'), opts(UTC15, { ...ON, enabled: false }))).toBeUndefined();
  });

  it('names the billing day once it is windowDays calendar days away, not a day earlier', () => {
    expect(billingDeadline(at('2026-12-01T23:59:59.999Z'), opts(UTC15))?.daysLeft).toBe(14);
    expect(billingDeadline(at('2026-12-01T00:00:00Z'), opts(UTC15))?.daysLeft).toBe(14);
    expect(billingDeadline(at('2026-11-30T23:59:59.999Z'), opts(UTC15))).toBeUndefined();
    expect(billingDeadline(at('2026-11-30T12:00:00Z'), opts(UTC15, { ...ON, windowDays: 15 }))?.daysLeft).toBe(15);
  });

  it('puts the decide-by date a margin before the billing day for moves, and the warning period more for deactivations', () => {
    expect(billingDeadline(at('2026-12-05T02:00:00Z'), opts(UTC15))).toEqual({
      billingDay: '2026-12-15',
      billingDayStart: '2026-12-15T00:00:00.000Z',
      periodAfter: '2027-01-15',
      daysLeft: 10,
      marginDays: 1,
      moves: { leadDays: 1, decideBy: '2026-12-14T00:00:00.000Z' },
      deactivations: { leadDays: 8, decideBy: '2026-12-07T00:00:00.000Z' },
    });
    const noWarnNoMargin = billingDeadline(at('2026-12-05T02:00:00Z'), opts(UTC15, { ...ON, marginDays: 0 }, 0))!;
    expect(noWarnNoMargin.moves).toEqual({ leadDays: 0, decideBy: '2026-12-15T00:00:00.000Z' });
    expect(noWarnNoMargin.deactivations).toEqual({ leadDays: 0, decideBy: '2026-12-15T00:00:00.000Z' });
  });

  it('on the billing day itself looks at the next one, a period away (outside any window)', () => {
    expect(billingDeadline(at('2026-12-15T00:00:00Z'), opts(UTC15, { ...ON, windowDays: 28 }))).toBeUndefined();
    const lastMoment = billingDeadline(at('2026-12-14T23:59:59.999Z'), opts(UTC15))!;
    expect(lastMoment.billingDay).toBe('2026-12-15');
    expect(lastMoment.daysLeft).toBe(1);
  });

  it('counts days in the billing zone: midnight in Berlin, not UTC', () => {
    const berlin1: BillingCycle = { billingDay: 1, timeZone: 'Europe/Berlin' };
    const before = billingDeadline(at('2026-11-30T22:59:59.999Z'), opts(berlin1))!;
    expect(before.billingDay).toBe('2026-12-01');
    expect(before.billingDayStart).toBe('2026-11-30T23:00:00.000Z');
    expect(before.daysLeft).toBe(1);
    expect(before.moves.decideBy).toBe('2026-11-29T23:00:00.000Z');
    // 00:30 on 1 December in Berlin is already the billing day: the next one is 1 January.
    expect(billingDeadline(at('2026-11-30T23:30:00Z'), opts(berlin1, { ...ON, windowDays: 28 }))).toBeUndefined();
  });

  it('crosses month ends and leap days: 1 March is 10 days after 20 February 2028, 9 in 2027', () => {
    const first: BillingCycle = { billingDay: 1, timeZone: 'UTC' };
    const leap = billingDeadline(at('2028-02-20T02:00:00Z'), opts(first))!;
    expect(leap).toMatchObject({ billingDay: '2028-03-01', periodAfter: '2028-04-01', daysLeft: 10 });
    expect(leap.deactivations.decideBy).toBe('2028-02-22T00:00:00.000Z');
    const common = billingDeadline(at('2027-02-20T02:00:00Z'), opts(first))!;
    expect(common).toMatchObject({ billingDay: '2027-03-01', daysLeft: 9 });
    expect(common.deactivations.decideBy).toBe('2027-02-21T00:00:00.000Z');
    const dec = billingDeadline(at('2026-12-31T12:00:00Z'), opts(first))!;
    expect(dec).toMatchObject({ billingDay: '2027-01-01', periodAfter: '2027-02-01', daysLeft: 1 });
  });

  it('subtracts whole 24-hour days across a DST change, as the warning period waits', () => {
    const d = billingDeadline(at('2026-10-20T10:00:00Z'), opts({ billingDay: 1, timeZone: 'Europe/Berlin' }))!;
    expect(d.billingDayStart).toBe('2026-10-31T23:00:00.000Z');
    expect(Date.parse(d.billingDayStart) - Date.parse(d.deactivations.decideBy)).toBe(8 * DAY);
  });
});

describe('landing of a change approved at a given moment', () => {
  const d = billingDeadline(at('2026-12-05T02:00:00Z'), opts(UTC15))!;

  it.each(['moves', 'deactivations'] as const)(
    '%s: approved before the decide-by date, it saves from the billing day',
    (kind) => {
      const by = Date.parse(d[kind].decideBy);
      expect(landing(d, kind, by - 1, UTC15)).toEqual({ onTime: true, savesFrom: '2026-12-15' });
      expect(landing(d, kind, by, UTC15)).toEqual({ onTime: false, savesFrom: '2027-01-15' });
      expect(landing(d, kind, by + DAY, UTC15)).toEqual({ onTime: false, savesFrom: '2027-01-15' });
    },
  );

  it('approved after the billing day, it saves from the period after the one it lands in', () => {
    expect(landing(d, 'deactivations', at('2027-01-10T00:00:00Z'), UTC15).savesFrom).toBe('2027-02-15');
    expect(landing(d, 'moves', at('2027-01-10T00:00:00Z'), UTC15).savesFrom).toBe('2027-01-15');
  });

  it('never promises a saving in the period the approval falls in', () => {
    for (let t = at('2026-12-01T06:00:00Z'); t < at('2027-01-31T00:00:00Z'); t += 2 * DAY + 3_600_000)
      for (const kind of ['moves', 'deactivations'] as const)
        expect(landing(d, kind, t, UTC15).savesFrom > periodContaining(t, UTC15).firstDay).toBe(true);
  }, 30_000);
});

describe('billing deadline read back from the run summary', () => {
  const d = billingDeadline(at('2026-12-05T02:00:00Z'), opts(UTC15))!;

  it('returns the recorded deadline', () => {
    expect(deadlineFromSummary({ seats: {}, billingDeadline: JSON.parse(JSON.stringify(d)) })).toEqual(d);
  });

  it.each([
    ['no summary', undefined],
    ['no deadline', { seats: {} }],
    ['null', { billingDeadline: null }],
    ['billingDay not a date', { billingDeadline: { ...d, billingDay: '15.12.2026' } }],
    ['billingDay with a suffix', { billingDeadline: { ...d, billingDay: '2026-12-15T00:00' } }],
    ['billingDay with a prefix', { billingDeadline: { ...d, billingDay: 'x2026-12-15' } }],
    ['billingDay not a string', { billingDeadline: { ...d, billingDay: ['2026-12-15'] } }],
    ['periodAfter missing', { billingDeadline: { ...d, periodAfter: undefined } }],
    ['billingDayStart garbage', { billingDeadline: { ...d, billingDayStart: 'soon' } }],
    ['daysLeft fractional', { billingDeadline: { ...d, daysLeft: 1.5 } }],
    ['marginDays missing', { billingDeadline: { ...d, marginDays: undefined } }],
    ['moves missing', { billingDeadline: { ...d, moves: undefined } }],
    [
      'deactivations leadDays text',
      { billingDeadline: { ...d, deactivations: { ...d.deactivations, leadDays: '8' } } },
    ],
    ['moves decideBy garbage', { billingDeadline: { ...d, moves: { ...d.moves, decideBy: 'x' } } }],
    ['moves null', { billingDeadline: { ...d, moves: null } }],
  ])('ignores a malformed one: %s', (_what, summary) => {
    expect(deadlineFromSummary(summary as Record<string, unknown> | undefined)).toBeUndefined();
  });
});
