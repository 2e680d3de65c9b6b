import { FinanceSettingsError } from './errors.js';
import { addMonths, daysBetween, isoDate, localDate, startOfLocalDay, type LocalDate } from './local-time.js';
import { dateTimeFormat } from '../shared/intl.js';

/**
 * Monthly billing periods. Atlassian bills a monthly Guard subscription on the user count at the
 * start of each period ("maximum quantity billing"): additions mid-period are charged pro rata,
 * removals give no credit until the next period, and the count on the last day becomes the next
 * period's quantity.
 *   https://support.atlassian.com/subscriptions-and-billing/docs/how-maximum-quantity-billing-works/
 *   https://www.atlassian.com/licensing/maximum-quantity-billing
 */
export interface BillingCycle {
  /** Day of the month a period starts, 1-28. */
  readonly billingDay: number;
  /** IANA zone whose midnight starts the billing day. */
  readonly timeZone: string;
}

/** One billing period: [start, end) as instants, and its calendar days in the zone. */
export interface BillingPeriod {
  readonly startMs: number;
  readonly endMs: number;
  /** ISO 8601 instants. */
  readonly start: string;
  readonly end: string;
  /** First and last calendar day (inclusive), YYYY-MM-DD in the zone. */
  readonly firstDay: string;
  readonly lastDay: string;
  readonly days: number;
}

export function checkCycle(cycle: BillingCycle): void {
  const day = cycle.billingDay;
  if (!Number.isInteger(day) || day < 1 || day > 28)
    throw new FinanceSettingsError(
      `finance.billingDay: expected a whole day of the month from 1 to 28 (received ${JSON.stringify(day)}); 29-31 do not exist in every month`,
      'billingDay',
      day,
    );
  try {
    dateTimeFormat('en-US', { timeZone: cycle.timeZone });
  } catch {
    throw new FinanceSettingsError(
      `finance.timeZone: expected an IANA time zone like Europe/Berlin or UTC (received ${JSON.stringify(cycle.timeZone)})`,
      'timeZone',
      cycle.timeZone,
    );
  }
}

/** The period that starts on the local date `first` (its day is the billing day). */
export function periodStarting(first: LocalDate, cycle: BillingCycle): BillingPeriod {
  checkCycle(cycle);
  const next = addMonths(first, 1);
  const startMs = startOfLocalDay(first, cycle.timeZone);
  const endMs = startOfLocalDay(next, cycle.timeZone);
  const last = localDate(endMs - 1, cycle.timeZone);
  return {
    startMs,
    endMs,
    start: new Date(startMs).toISOString(),
    end: new Date(endMs).toISOString(),
    firstDay: isoDate(first),
    lastDay: isoDate(last),
    days: daysBetween(first, next),
  };
}

/** The period an instant falls in. */
export function periodContaining(epochMs: number, cycle: BillingCycle): BillingPeriod {
  checkCycle(cycle);
  const today = localDate(epochMs, cycle.timeZone);
  const thisMonth = { year: today.year, month: today.month, day: cycle.billingDay };
  return periodStarting(today.day >= cycle.billingDay ? thisMonth : addMonths(thisMonth, -1), cycle);
}

/** The period `n` periods after (negative: before) the given one. */
export function shiftPeriod(period: BillingPeriod, n: number, cycle: BillingCycle): BillingPeriod {
  const [y, m] = period.firstDay.split('-').map(Number) as [number, number];
  return periodStarting(addMonths({ year: y, month: m, day: cycle.billingDay }, n), cycle);
}
