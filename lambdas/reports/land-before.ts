import type { BillingCycle } from './cycle.js';
import { daysBetween, localDate, type LocalDate } from './local-time.js';
import { firstBilledPeriodAfter } from './savings.js';

/**
 * Billing-day deadlines (`finance.landBeforeBillingDay`). Under maximum quantity billing a seat
 * freed before the next period starts is off that period's bill; one freed on or after it is billed
 * for one more period, and nothing is ever credited in the current period. A change lands some time
 * after its approval: a move at once, a deactivation only after the warning period
 * (`execution.warnBeforeDays`). Both get a margin (`marginDays`) for a slow execution.
 */
export interface LandBeforeSettings {
  readonly enabled: boolean;
  /** Calendar days before the billing day from which a proposal names the deadline. */
  readonly windowDays: number;
  /** Days kept between a change's expected landing and the billing day. */
  readonly marginDays: number;
}

export interface LandBeforeOptions {
  readonly cycle: BillingCycle;
  readonly land: LandBeforeSettings;
  /** `execution.warnBeforeDays`: an approved deactivation waits this long after the warning mail. */
  readonly warnBeforeDays: number;
}

/** The two kinds of seat-lowering change: moves to the nonbillable policy land at once, deactivations after the warning. */
export const LandingKind = { MOVES: 'moves', DEACTIVATIONS: 'deactivations' } as const;
export type LandingKind = (typeof LandingKind)[keyof typeof LandingKind];

export interface KindDeadline {
  /** Days from approval to the change, margin included. */
  readonly leadDays: number;
  /** ISO instant: a change of this kind approved before it lands before the billing day. */
  readonly decideBy: string;
}

/** What the plan records (run summary `billingDeadline`) and the proposal mail and review page show. */
export interface BillingDeadline {
  /** The billing day: first day (YYYY-MM-DD, billing zone) of the next period. */
  readonly billingDay: string;
  /** ISO instant the next period starts (local midnight of the billing day). */
  readonly billingDayStart: string;
  /** First day of the period after it: where a saving that misses the billing day starts. */
  readonly periodAfter: string;
  /** Calendar days from the plan's date to the billing day. */
  readonly daysLeft: number;
  readonly marginDays: number;
  readonly moves: KindDeadline;
  readonly deactivations: KindDeadline;
}

const DAY_MS = 86_400_000;

const parseDay = (iso: string): LocalDate => {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return { year, month, day };
};

/**
 * The next billing day and, per kind, the last moment an approval still lands before it; undefined
 * when the setting is off or the billing day is more than `windowDays` calendar days away.
 */
export function billingDeadline(nowMs: number, o: LandBeforeOptions): BillingDeadline | undefined {
  if (!o.land.enabled) return undefined;
  const next = firstBilledPeriodAfter(nowMs, o.cycle);
  const daysLeft = daysBetween(localDate(nowMs, o.cycle.timeZone), parseDay(next.firstDay));
  if (daysLeft > o.land.windowDays) return undefined;
  const kind = (leadDays: number): KindDeadline => ({
    leadDays,
    decideBy: new Date(next.startMs - leadDays * DAY_MS).toISOString(),
  });
  return {
    billingDay: next.firstDay,
    billingDayStart: next.start,
    periodAfter: firstBilledPeriodAfter(next.startMs, o.cycle).firstDay,
    daysLeft,
    marginDays: o.land.marginDays,
    moves: kind(o.land.marginDays),
    deactivations: kind(o.warnBeforeDays + o.land.marginDays),
  };
}

export interface Landing {
  /** Approved at `atMs`, the change is expected to land before the billing day. */
  readonly onTime: boolean;
  /** First day of the period the saving starts in, for an approval at `atMs`. */
  readonly savesFrom: string;
}

/**
 * Where a change of `kind` approved at `atMs` lands: the saving starts in the period after the one
 * the change lands in (the same rule as the executed changes' savings), never the current one.
 */
export function landing(deadline: BillingDeadline, kind: LandingKind, atMs: number, cycle: BillingCycle): Landing {
  const d = deadline[kind];
  return {
    onTime: atMs < Date.parse(d.decideBy),
    savesFrom: firstBilledPeriodAfter(atMs + d.leadDays * DAY_MS, cycle).firstDay,
  };
}

const isKind = (v: unknown): v is KindDeadline =>
  typeof v === 'object' &&
  v !== null &&
  Number.isInteger((v as KindDeadline).leadDays) &&
  !Number.isNaN(Date.parse(String((v as KindDeadline).decideBy)));
const isDay = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);

/** The deadline a plan run recorded in its summary, if it recorded a well-formed one. */
export function deadlineFromSummary(summary: Record<string, unknown> | undefined): BillingDeadline | undefined {
  const d = summary?.billingDeadline as Partial<BillingDeadline> | undefined;
  if (typeof d !== 'object' || d === null) return undefined;
  const ok =
    isDay(d.billingDay) &&
    isDay(d.periodAfter) &&
    !Number.isNaN(Date.parse(String(d.billingDayStart))) &&
    Number.isInteger(d.daysLeft) &&
    Number.isInteger(d.marginDays) &&
    isKind(d.moves) &&
    isKind(d.deactivations);
  return ok ? (d as BillingDeadline) : undefined;
}
