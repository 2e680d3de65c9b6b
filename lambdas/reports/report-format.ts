import type { ChangeTotals } from './changes.js';
import type { BillingPeriod } from './cycle.js';
import type { BilledQuantity } from './quantities.js';
import { GuardTier } from './settings.js';
import { dateTimeFormat } from '../shared/intl.js';

export const TIER_LABEL: Readonly<Record<GuardTier, string>> = {
  [GuardTier.STANDARD]: 'Guard Standard',
  [GuardTier.PREMIUM]: 'Guard Premium',
};

const dayFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const dayMonthFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** "15 Mar 2026" from a local YYYY-MM-DD. */
export const dayLabel = (isoDay: string): string => dayFmt.format(Date.parse(`${isoDay}T00:00:00Z`));

/** "15 Mar – 14 Apr 2026", or "15 Dec 2026 – 14 Jan 2027" across a year end (local YYYY-MM-DD days). */
export const rangeLabel = (first: string, last: string): string =>
  `${first.slice(0, 4) === last.slice(0, 4) ? dayMonthFmt.format(Date.parse(`${first}T00:00:00Z`)) : dayLabel(first)} – ${dayLabel(last)}`;

export const periodLabel = (p: BillingPeriod): string => rangeLabel(p.firstDay, p.lastDay);

export const count = (n: number | undefined): string => (n === undefined ? 'unknown' : n.toLocaleString('en-US'));

/** "+12", "−3" (minus sign), "±0". */
export const signed = (n: number): string =>
  n > 0 ? `+${n.toLocaleString('en-US')}` : n < 0 ? `−${Math.abs(n).toLocaleString('en-US')}` : '±0';

/** Where a quantity came from, for a person: "count of 15 Mar 2026, 02:00 UTC". */
export function basisText(q: BilledQuantity, timeZone: string): string {
  if (q.takenAt === undefined) return 'no snapshot yet';
  const when = dateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(Date.parse(q.takenAt));
  return q.basis === 'last-before-period' ? `last count before the period, ${when}` : `count of ${when}`;
}

export const CHANGE_ROWS: readonly (readonly [keyof ChangeTotals, string])[] = [
  ['deactivated', 'Deactivated'],
  ['movedToNonbillable', 'Moved to the nonbillable policy'],
  ['movedToBillable', 'Moved back to the billable policy'],
  ['seatsFreed', 'Seats freed (saved from the next period)'],
  ['seatsAdded', 'Seats added (charged pro rata now)'],
];
