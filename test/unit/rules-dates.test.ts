import { describe, expect, it } from 'vitest';
import { dayCounter, isoDate, parseInstant } from '../../lambdas/rules/dates.js';
import { RuleContextError } from '../../lambdas/rules/index.js';
import { inZone, makeContext } from '../helpers/accounts.js';

const day = (timeZone: string, iso: string) => isoDate(dayCounter(timeZone)(Date.parse(iso)));

describe('parseInstant', () => {
  it.each([
    ['2026-06-11T10:00:00Z', '2026-06-11T10:00:00.000Z'],
    ['2026-06-11T10:00:00.081Z', '2026-06-11T10:00:00.081Z'],
    ['2025-11-06T23:07:29.936941226Z', '2025-11-06T23:07:29.936Z'],
    ['2026-06-11T10:00Z', '2026-06-11T10:00:00.000Z'],
    ['2026-06-11T12:00:00+02:00', '2026-06-11T10:00:00.000Z'],
    ['2026-06-11T05:30:00-04:30', '2026-06-11T10:00:00.000Z'],
    ['2026-06-11T12:00:00+0200', '2026-06-11T10:00:00.000Z'],
    ['2026-06-11t10:00:00z', '2026-06-11T10:00:00.000Z'],
    [' 2026-06-11T10:00:00Z ', '2026-06-11T10:00:00.000Z'],
    ['2026-06-11T10:00:00', '2026-06-11T10:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2026-06-11', '2026-06-11T23:59:59.999Z'],
  ])('reads %j as %s', (raw, expected) => {
    expect(new Date(parseInstant(raw)!).toISOString()).toBe(expected);
  });

  it.each([
    ['an impossible day', '2026-02-30T10:00:00Z'],
    ['29 February of a common year', '2026-02-29'],
    ['month 13', '2026-13-01'],
    ['day 0', '2026-06-00'],
    ['hour 24', '2026-06-11T24:00:00Z'],
    ['minute 60', '2026-06-11T10:60:00Z'],
    ['second 60', '2026-06-11T10:00:60Z'],
    ['an offset of 25 hours', '2026-06-11T10:00:00+25:00'],
    ['a prose date', 'June 11, 2026'],
    ['an epoch number', '1781172000000'],
    ['an empty string', ''],
    ['a sentinel year 1', '0001-01-01T00:00:00Z'],
    ['the epoch sentinel', '1970-01-01T00:00:00Z'],
    ['a two-digit year', '26-06-11'],
    ['a date with slashes', '2026/06/11'],
    ['trailing garbage', '2026-06-11T10:00:00Zjunk'],
  ])('refuses %s (%j)', (_what, raw) => {
    expect(parseInstant(raw)).toBeUndefined();
  });

  it('refuses date-only values and timestamps without an offset when an offset is required', () => {
    expect(parseInstant('2026-06-11', { requireOffset: true })).toBeUndefined();
    expect(parseInstant('2026-06-11T10:00:00', { requireOffset: true })).toBeUndefined();
    expect(parseInstant('2026-06-11T10:00:00Z', { requireOffset: true })).toBe(Date.parse('2026-06-11T10:00:00Z'));
  });
});

describe('calendar days in the run time zone', () => {
  it.each([
    ['UTC', '2026-10-31T23:30:00Z', '2026-10-31'],
    ['Europe/Berlin', '2026-10-31T23:30:00Z', '2026-11-01'],
    ['America/New_York', '2026-11-01T03:30:00Z', '2026-10-31'],
    ['Asia/Kolkata', '2026-10-31T18:45:00Z', '2026-11-01'],
    ['Pacific/Kiritimati', '2026-10-31T10:00:00Z', '2026-11-01'],
    ['Etc/UTC', '2026-10-31T23:59:59.999Z', '2026-10-31'],
  ])('in %s, %s is on %s', (timeZone, instant, expected) => {
    expect(day(timeZone, instant)).toBe(expected);
  });

  it('counts whole calendar days across the spring DST change (a 23-hour day)', () => {
    const berlin = dayCounter('Europe/Berlin');
    // 23:30 on 28 March (CET) to 23:30 on 29 March (CEST): 23 hours apart, one calendar day.
    const before = berlin(Date.parse('2026-03-28T23:30:00+01:00'));
    const after = berlin(Date.parse('2026-03-29T23:30:00+02:00'));
    expect(after - before).toBe(1);
  });

  it('counts whole calendar days across the autumn DST change (a 25-hour day)', () => {
    const berlin = dayCounter('Europe/Berlin');
    // 00:30 on 25 October (CEST) to 23:30 the same day (CET): 24 hours apart, still the same day.
    expect(berlin(Date.parse('2026-10-25T23:30:00+01:00')) - berlin(Date.parse('2026-10-25T00:30:00+02:00'))).toBe(0);
  });
});

describe('createRuleContext', () => {
  it('takes the run date in the configured time zone', () => {
    expect(makeContext(inZone('Europe/Berlin'), '2026-10-31T23:30:00Z').runDate).toBe('2026-11-01');
    expect(makeContext(inZone('UTC'), '2026-10-31T23:30:00Z').runDate).toBe('2026-10-31');
  });

  it('accepts a Date as the run instant', () => {
    expect(makeContext(inZone('UTC'), new Date('2026-10-31T23:30:00Z')).runDate).toBe('2026-10-31');
  });

  it.each(['2026-11-01', '2026-11-01T02:00:00', 'yesterday', '2026-02-30T00:00:00Z'])(
    'refuses the run instant %j with a fix',
    (now) => {
      expect(() => makeContext(undefined, now)).toThrow(RuleContextError);
      expect(() => makeContext(undefined, now)).toThrow(/pass a Date or a string like 2026-11-01T02:00:00Z/);
    },
  );
});
