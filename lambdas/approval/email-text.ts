import { money } from './format.js';
import type { SeatImpact } from './seats.js';

/** A rendered message, ready for a Mailer. */
export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** "Guard seats: 1,234 -> 1,190 (-44); monthly saving $198.00 at $4.50 per seat". */
export function seatsText(s: SeatImpact): string {
  const delta = s.added - s.removed;
  const change = `${delta > 0 ? '+' : delta < 0 ? '-' : '±'}${Math.abs(delta)}`;
  const seats =
    s.before !== undefined
      ? `${s.before.toLocaleString('en-US')} -> ${s.after!.toLocaleString('en-US')} (${change})`
      : `${change} (seat count of the run not recorded)`;
  const money_ = money(Math.abs(s.monthlySaving), s.currency);
  return `Guard seats: ${seats}; monthly ${s.monthlySaving >= 0 ? 'saving' : 'cost'} ${money_} at ${money(s.seatPrice, s.currency)} per seat`;
}
