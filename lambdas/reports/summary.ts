import type { BillingRule } from './billing.js';
import { totalChanges, type ChangeTotals, type ExecutedChange } from './changes.js';
import { periodContaining, shiftPeriod, type BillingCycle, type BillingPeriod } from './cycle.js';
import type { StoredSnapshot } from './ports.js';
import { billedQuantity, nextQuantity, type BilledQuantity } from './quantities.js';
import { savingsIn, savingsYearToDate, type PeriodSavings } from './savings.js';

/** The figures of the monthly report, all as of `nowMs`. */
export interface ReportSummary {
  readonly nowMs: number;
  readonly period: BillingPeriod;
  readonly previousPeriod: BillingPeriod;
  /** Seats billed this period (the count at its start). */
  readonly billedNow: BilledQuantity;
  /** Seats the next period will bill if nothing changes (the latest count). */
  readonly nextPeriod: BilledQuantity;
  /** Latest count minus the previous period's billed quantity; undefined when either is unknown. */
  readonly changeOverMonth?: number;
  /** What this period's bill is lower by, from changes executed before it started. */
  readonly savingsThisPeriod: PeriodSavings;
  /** What the next period's bill will be lower by, this period's changes included. */
  readonly savingsNextPeriod: PeriodSavings;
  readonly savingsYearToDate: number;
  /** Changes executed in the current period so far. */
  readonly executedThisPeriod: ChangeTotals;
  /** Billed seats per department at the latest snapshot, largest first ("Other" last). */
  readonly departments: readonly (readonly [string, number])[];
}

export interface SummaryInput {
  readonly nowMs: number;
  readonly snapshots: readonly StoredSnapshot[];
  readonly changes: readonly ExecutedChange[];
  readonly rule: BillingRule;
  readonly cycle: BillingCycle;
  readonly seatPrice: number;
}

export function summarize(input: SummaryInput): ReportSummary {
  const { nowMs, cycle } = input;
  const opts = { rule: input.rule, cycle, seatPrice: input.seatPrice };
  const period = periodContaining(nowMs, cycle);
  const previousPeriod = shiftPeriod(period, -1, cycle);
  const known = input.snapshots.filter((s) => Date.parse(s.takenAt) <= nowMs);
  const billedNow = billedQuantity(period, known);
  const next = nextQuantity(known, nowMs);
  const before = billedQuantity(previousPeriod, known).quantity;
  const latest = [...known].sort((a, b) => Date.parse(a.takenAt) - Date.parse(b.takenAt)).at(-1);
  const departments = Object.entries(latest?.byDepartment ?? {}).sort(
    ([a, x], [b, y]) => Number(a === 'Other') - Number(b === 'Other') || y - x || a.localeCompare(b),
  );
  const done = input.changes.filter((c) => Date.parse(c.executedAt) <= nowMs);
  return {
    nowMs,
    period,
    previousPeriod,
    billedNow,
    nextPeriod: next,
    ...(next.quantity !== undefined && before !== undefined && { changeOverMonth: next.quantity - before }),
    savingsThisPeriod: savingsIn(period, done, opts),
    savingsNextPeriod: savingsIn(shiftPeriod(period, 1, cycle), done, opts),
    savingsYearToDate: savingsYearToDate(nowMs, done, opts),
    executedThisPeriod: totalChanges(
      done.filter((c) => Date.parse(c.executedAt) >= period.startMs),
      input.rule,
    ),
    departments,
  };
}
