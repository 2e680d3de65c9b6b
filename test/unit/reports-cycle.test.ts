import { describe, expect, it } from 'vitest';
import {
  billedQuantity,
  FinanceSettingsError,
  nextQuantity,
  periodContaining,
  shiftPeriod,
  type BillingCycle,
} from '../../lambdas/reports/index.js';

const at = (iso: string) => Date.parse(iso);
const UTC1: BillingCycle = { billingDay: 1, timeZone: 'UTC' };

describe('periodContaining', () => {
  it.each([
    // [instant, billing day, zone, first day, last day, days]
    ['2026-03-15T12:00:00Z', 1, 'UTC', '2026-03-01', '2026-03-31', 31],
    ['2026-03-01T00:00:00Z', 1, 'UTC', '2026-03-01', '2026-03-31', 31],
    ['2026-02-28T23:59:59Z', 1, 'UTC', '2026-02-01', '2026-02-28', 28],
    ['2026-03-14T23:59:59Z', 15, 'UTC', '2026-02-15', '2026-03-14', 28],
    ['2026-03-15T00:00:00Z', 15, 'UTC', '2026-03-15', '2026-04-14', 31],
    ['2028-03-14T10:00:00Z', 15, 'UTC', '2028-02-15', '2028-03-14', 29],
    ['2028-02-29T10:00:00Z', 28, 'UTC', '2028-02-28', '2028-03-27', 29],
    ['2027-02-28T10:00:00Z', 28, 'UTC', '2027-02-28', '2027-03-27', 28],
    ['2027-02-27T10:00:00Z', 28, 'UTC', '2027-01-28', '2027-02-27', 31],
    ['2026-12-31T23:00:00Z', 5, 'UTC', '2026-12-05', '2027-01-04', 31],
    ['2027-01-03T23:00:00Z', 5, 'UTC', '2026-12-05', '2027-01-04', 31],
    // 23:30 UTC on 31 Jan is already 1 Feb in Berlin: a new period there.
    ['2026-01-31T23:30:00Z', 1, 'Europe/Berlin', '2026-02-01', '2026-02-28', 28],
    ['2026-01-31T23:30:00Z', 1, 'UTC', '2026-01-01', '2026-01-31', 31],
    // 03:00 UTC on 1 Mar is still 28 Feb in New York.
    ['2026-03-01T03:00:00Z', 1, 'America/New_York', '2026-02-01', '2026-02-28', 28],
  ] as const)('%s with billing day %i in %s falls in %s..%s (%i days)', (iso, day, tz, first, last, days) => {
    const p = periodContaining(at(iso), { billingDay: day, timeZone: tz });
    expect([p.firstDay, p.lastDay, p.days]).toEqual([first, last, days]);
    expect(p.startMs).toBeLessThanOrEqual(at(iso));
    expect(p.endMs).toBeGreaterThan(at(iso));
  });

  it('starts at local midnight, also across a DST change inside the period', () => {
    const p = periodContaining(at('2026-03-20T12:00:00Z'), { billingDay: 10, timeZone: 'Europe/Berlin' });
    expect(p.start).toBe('2026-03-09T23:00:00.000Z'); // CET, +01:00
    expect(p.end).toBe('2026-04-09T22:00:00.000Z'); // CEST, +02:00
    expect(p.days).toBe(31);
    const ny = periodContaining(at('2026-11-02T12:00:00Z'), { billingDay: 1, timeZone: 'America/New_York' });
    expect([ny.start, ny.end]).toEqual(['2026-11-01T04:00:00.000Z', '2026-12-01T05:00:00.000Z']);
  });

  it('finds the first instant of a day whose midnight is skipped (Santiago springs forward at 00:00)', () => {
    const p = periodContaining(at('2026-09-10T12:00:00Z'), { billingDay: 6, timeZone: 'America/Santiago' });
    expect(p.firstDay).toBe('2026-09-06');
    expect(p.start).toBe('2026-09-06T04:00:00.000Z'); // 01:00 -03; 23:59:59 -04 the instant before
    expect(periodContaining(p.startMs - 1, { billingDay: 6, timeZone: 'America/Santiago' }).firstDay).toBe(
      '2026-08-06',
    );
  });

  it('moves by whole periods across a year end', () => {
    const p = periodContaining(at('2026-12-10T00:00:00Z'), { billingDay: 8, timeZone: 'UTC' });
    expect(shiftPeriod(p, 1, { billingDay: 8, timeZone: 'UTC' }).firstDay).toBe('2027-01-08');
    expect(shiftPeriod(p, -12, { billingDay: 8, timeZone: 'UTC' }).firstDay).toBe('2025-12-08');
    expect(shiftPeriod(p, 1, { billingDay: 8, timeZone: 'UTC' }).startMs).toBe(p.endMs);
  });

  it.each([0, 29, 31, 1.5, Number.NaN])('refuses billing day %s and says the range', (day) => {
    expect(() => periodContaining(0, { billingDay: day, timeZone: 'UTC' })).toThrow(FinanceSettingsError);
    expect(() => periodContaining(0, { billingDay: day, timeZone: 'UTC' })).toThrow(/from 1 to 28/);
  });

  it('refuses an unknown time zone, naming it', () => {
    expect(() => periodContaining(0, { billingDay: 1, timeZone: 'Mars/Olympus' })).toThrow(/Mars\/Olympus/);
  });
});

describe('billed quantities', () => {
  const march = periodContaining(at('2026-03-10T00:00:00Z'), UTC1);
  const snaps = [
    { takenAt: '2026-02-27T02:00:00Z', billable: 120 },
    { takenAt: '2026-02-28T02:00:00Z', billable: 118 },
    { takenAt: '2026-03-01T02:00:00Z', billable: 117 },
    { takenAt: '2026-03-05T02:00:00Z', billable: 125 },
    { takenAt: '2026-03-09T02:00:00Z', billable: 100 },
  ];

  it('bills the period on the first snapshot at or after its start, and says which', () => {
    expect(billedQuantity(march, [...snaps].reverse())).toEqual({
      quantity: 117,
      basis: 'first-in-period',
      takenAt: '2026-03-01T02:00:00Z',
      peak: 125,
    });
  });

  it('falls back to the last snapshot before the period when none was taken in it', () => {
    const april = shiftPeriod(march, 1, UTC1);
    expect(billedQuantity(april, snaps)).toEqual({
      quantity: 100,
      basis: 'last-before-period',
      takenAt: '2026-03-09T02:00:00Z',
      peak: 100,
    });
    expect(billedQuantity(shiftPeriod(march, -2, UTC1), snaps)).toEqual({ basis: 'none' });
  });

  it('counts a snapshot exactly at the start in the new period, and one at the end in the next', () => {
    const edge = [
      { takenAt: '2026-03-01T00:00:00.000Z', billable: 5 },
      { takenAt: '2026-04-01T00:00:00.000Z', billable: 9 },
    ];
    expect(billedQuantity(march, edge)).toMatchObject({ quantity: 5, basis: 'first-in-period', peak: 5 });
  });

  it('takes the latest count as the next quantity, as of a moment', () => {
    expect(nextQuantity(snaps)).toEqual({ quantity: 100, basis: 'latest-count', takenAt: '2026-03-09T02:00:00Z' });
    expect(nextQuantity(snaps, at('2026-03-05T02:00:00Z'))).toMatchObject({ quantity: 125 });
    expect(nextQuantity([])).toEqual({ basis: 'none' });
  });
});
