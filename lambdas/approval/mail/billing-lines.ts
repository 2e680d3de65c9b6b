import { dateTime, money, plural } from '../../mail/format.js';
import type { LandingLine, ProposalBilling, ProRatedFlag } from '../../reports/proposal-billing.js';

/**
 * The billing sentences of the proposal mail and the review page: when to approve so the freed
 * seats are off the next bill, and what the seats a proposal adds cost this period. Maximum quantity
 * billing: nothing is ever credited in the current period, so no sentence promises that.
 */
const WHAT: Readonly<Record<LandingLine['kind'], (n: number) => string>> = {
  moves: (n) => plural(n, 'move to the nonbillable policy', 'moves to the nonbillable policy'),
  deactivations: (n) => plural(n, 'deactivation'),
};

function lead(line: LandingLine, marginDays: number): string {
  const margin = `a ${marginDays}-day margin`;
  return line.kind === 'moves'
    ? `moves run at once after approval, plus ${margin}`
    : `deactivations wait the ${line.leadDays - marginDays}-day warning period, plus ${margin}`;
}

/** One sentence per kind of change that frees seats: approve by when, to save how much from when. */
export function landingSentences(b: ProposalBilling, timeZone: string): string[] {
  const d = b.deadline;
  if (!d) return [];
  return b.landings.map((l) => {
    const saving = `${plural(l.seats, 'seat')} × ${money(b.seatPrice, b.currency)} = ${money(l.perPeriod, b.currency)} a period`;
    return l.onTime
      ? `${WHAT[l.kind](l.seats)}: approve by ${dateTime(Date.parse(l.decideBy), timeZone)} to save ${saving} from the period starting ${d.billingDay} (${lead(l, d.marginDays)}). Approved later, the saving starts one period later, on ${d.periodAfter}.`
      : `${WHAT[l.kind](l.seats)}: the billing day ${d.billingDay} can no longer be met (${lead(l, d.marginDays)}; the last approval in time was ${dateTime(Date.parse(l.decideBy), timeZone)}). Approved now, they save ${saving} from the period starting ${l.savesFrom}, one period later.`;
  });
}

export const NO_CURRENT_CREDIT =
  'Nothing is credited in the current period: Atlassian bills each period on the count at its start (maximum quantity billing).';

/** "Adds a seat mid-period: up to €2.33 this period (14 of 30 days)". */
export const proRatedFlagText = (f: ProRatedFlag, currency: string): string =>
  `Adds a seat mid-period: up to ${money(f.amount, currency)} this period (${f.daysLeft} of ${f.days} days, pro rata)`;

/** The total of the pro-rated flags, or undefined when the proposal adds no seat. */
export function proRatedSummary(b: ProposalBilling): string | undefined {
  const n = b.proRated.size;
  if (n === 0) return undefined;
  return `${plural(n, 'change adds', 'changes add')} a seat mid-period: up to ${money(b.proRatedTotal, b.currency)} pro-rated for the current period (to ${b.periodLastDay}; ${money(b.seatPrice, b.currency)} × days left ÷ days in the period, each), then ${money(n * b.seatPrice, b.currency)} a period from the next one. Atlassian charges the pro-rated part only when the count goes above the quantity billed for this period.`;
}

/** The billing-day deadline and the pro-rated costs, one sentence each; empty when there is neither. */
export function billingLines(b: ProposalBilling, timeZone: string): string[] {
  const landings = landingSentences(b, timeZone);
  const proRated = proRatedSummary(b);
  if (landings.length === 0 && !proRated) return [];
  return [...landings, ...(proRated ? [proRated] : []), NO_CURRENT_CREDIT];
}
