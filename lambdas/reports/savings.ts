import type { BillingRule } from './billing.js';
import { seatEffect, SeatEffect, type ExecutedChange } from './changes.js';
import { periodContaining, shiftPeriod, type BillingCycle, type BillingPeriod } from './cycle.js';
import { daysBetween, localDate } from './local-time.js';

/**
 * What executed changes save. Under maximum quantity billing a removal gives no credit in the
 * period it happens in: a freed seat saves from the NEXT period on, never the current one.
 * (https://support.atlassian.com/subscriptions-and-billing/docs/how-maximum-quantity-billing-works/)
 */
export interface SavingsOptions {
  readonly rule: BillingRule;
  readonly cycle: BillingCycle;
  /** Price of one seat per period. */
  readonly seatPrice: number;
}

/** One change's effect on the bill: from which period, and how much per period. */
export interface AttributedSaving {
  readonly change: ExecutedChange;
  readonly effect: SeatEffect;
  /** First day (YYYY-MM-DD) of the period the effect starts in: the one after the change. */
  readonly from: string;
  /** Per period: +price for a freed seat, -price for an added one, 0 otherwise. */
  readonly perPeriod: number;
}

const SIGN: Readonly<Record<SeatEffect, number>> = { freed: 1, added: -1, none: 0, unknown: 0 };

/** The first period a change made at `epochMs` shows on the bill: the one after the period it is made in. */
export const firstBilledPeriodAfter = (epochMs: number, cycle: BillingCycle): BillingPeriod =>
  shiftPeriod(periodContaining(epochMs, cycle), 1, cycle);

export function attributeSavings(changes: readonly ExecutedChange[], o: SavingsOptions): AttributedSaving[] {
  return changes.map((change) => {
    const effect = seatEffect(change, o.rule);
    const next = firstBilledPeriodAfter(Date.parse(change.executedAt), o.cycle);
    return { change, effect, from: next.firstDay, perPeriod: SIGN[effect] * o.seatPrice };
  });
}

export interface PeriodSavings {
  readonly period: BillingPeriod;
  readonly seatsFreed: number;
  readonly seatsAdded: number;
  /** (freed - added) x price: what the bill of this period is lower by. */
  readonly amount: number;
}

/** Savings in a period: from every change executed before it started. */
export function savingsIn(period: BillingPeriod, changes: readonly ExecutedChange[], o: SavingsOptions): PeriodSavings {
  const earlier = changes.filter((c) => Date.parse(c.executedAt) < period.startMs);
  const effects = earlier.map((c) => seatEffect(c, o.rule));
  const seatsFreed = effects.filter((e) => e === SeatEffect.FREED).length;
  const seatsAdded = effects.filter((e) => e === SeatEffect.ADDED).length;
  return { period, seatsFreed, seatsAdded, amount: (seatsFreed - seatsAdded) * o.seatPrice };
}

/**
 * Savings of every period from the first one that starts in the calendar year of the period
 * containing `nowMs`, through that period.
 */
export function savingsYearToDate(nowMs: number, changes: readonly ExecutedChange[], o: SavingsOptions): number {
  const current = periodContaining(nowMs, o.cycle);
  const year = current.firstDay.slice(0, 4);
  let total = 0;
  for (let p = current; p.firstDay.startsWith(year); p = shiftPeriod(p, -1, o.cycle))
    total += savingsIn(p, changes, o).amount;
  return total;
}

/**
 * The most a move back to billable at `atMs` adds to the current bill: the seat pro rata for the
 * days left in the period, the day of the move included. Atlassian charges it only when the count
 * goes above the period's billed quantity (a seat freed earlier in the period is reused for free).
 */
export function proRatedCost(
  atMs: number,
  cycle: BillingCycle,
  seatPrice: number,
): { daysLeft: number; days: number; amount: number } {
  const period = periodContaining(atMs, cycle);
  const [y, m, d] = period.lastDay.split('-').map(Number) as [number, number, number];
  const daysLeft = daysBetween(localDate(atMs, cycle.timeZone), { year: y, month: m, day: d }) + 1;
  return { daysLeft, days: period.days, amount: (seatPrice * daysLeft) / period.days };
}
