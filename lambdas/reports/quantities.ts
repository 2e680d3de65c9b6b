import type { BillingPeriod } from './cycle.js';

/** What the quantities read of a snapshot. */
export type SeatPoint = { readonly takenAt: string; readonly billable: number };

export const QuantityBasis = {
  /** The first snapshot taken in the period: the count at its start. */
  FIRST_IN_PERIOD: 'first-in-period',
  /** No snapshot in the period yet: the last one before it (the previous period's last count). */
  LAST_BEFORE_PERIOD: 'last-before-period',
  /** The latest count: what the next period will bill if nothing changes. */
  LATEST: 'latest-count',
  NONE: 'none',
} as const;
export type QuantityBasis = (typeof QuantityBasis)[keyof typeof QuantityBasis];

export interface BilledQuantity {
  /** Seats billed for the period; undefined when no snapshot tells. */
  readonly quantity?: number;
  readonly basis: QuantityBasis;
  /** When the snapshot used was taken. */
  readonly takenAt?: string;
  /**
   * The highest count seen in the period so far. Maximum quantity billing charges the seats above
   * `quantity` pro rata, so a peak above it means extra cost this period.
   */
  readonly peak?: number;
}

const byTime = (a: SeatPoint, b: SeatPoint) => Date.parse(a.takenAt) - Date.parse(b.takenAt);

/** The quantity billed for a period: the count at its start, and which snapshot said so. */
export function billedQuantity(period: BillingPeriod, snapshots: readonly SeatPoint[]): BilledQuantity {
  const sorted = [...snapshots].sort(byTime);
  const inPeriod = sorted.filter(
    (s) => Date.parse(s.takenAt) >= period.startMs && Date.parse(s.takenAt) < period.endMs,
  );
  const before = sorted.filter((s) => Date.parse(s.takenAt) < period.startMs).at(-1);
  const basis = inPeriod[0] ?? before;
  if (!basis) return { basis: QuantityBasis.NONE };
  return {
    quantity: basis.billable,
    basis: inPeriod[0] ? QuantityBasis.FIRST_IN_PERIOD : QuantityBasis.LAST_BEFORE_PERIOD,
    takenAt: basis.takenAt,
    peak: Math.max(basis.billable, ...inPeriod.map((s) => s.billable)),
  };
}

/** The next period's quantity if nothing changes: the latest count (at or before `asOf`). */
export function nextQuantity(snapshots: readonly SeatPoint[], asOfMs = Infinity): BilledQuantity {
  const latest = [...snapshots]
    .sort(byTime)
    .filter((s) => Date.parse(s.takenAt) <= asOfMs)
    .at(-1);
  if (!latest) return { basis: QuantityBasis.NONE };
  return { quantity: latest.billable, basis: QuantityBasis.LATEST, takenAt: latest.takenAt };
}
