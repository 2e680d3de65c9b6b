import { periodStarting, type BillingCycle } from './cycle.js';
import { SeatsQueryError } from './errors.js';

/**
 * The instant a report is made as of. No month: now (the scheduled run on the billing day, and
 * `lifecycle report`). A month (YYYY-MM): the billing period starting in that month, as of its
 * last moment, or now while that period is still running; a period not begun yet is refused.
 */
export function reportAsOf(month: string | undefined, nowMs: number, cycle: BillingCycle): number {
  if (month === undefined) return nowMs;
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12)
    throw new SeatsQueryError(
      `--month: expected a month like 2026-03 (received ${JSON.stringify(month)})`,
      'month',
      month,
    );
  const period = periodStarting({ year: Number(m[1]), month: Number(m[2]), day: cycle.billingDay }, cycle);
  if (period.startMs > nowMs)
    throw new SeatsQueryError(
      `--month ${month}: its billing period starts on ${period.firstDay}, which has not begun yet; pick a month up to the current one`,
      'month',
      month,
    );
  return Math.min(nowMs, period.endMs - 1);
}
