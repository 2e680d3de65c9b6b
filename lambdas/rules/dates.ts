/**
 * Strict parsing of the dates Atlassian sends, and calendar days in the run's time zone.
 *
 * Definitions (the rules rely on them):
 * - A timestamp (`2026-06-11T10:00:00Z`, any number of fraction digits, `Z` or `±hh:mm`) is one
 *   instant. Without an offset it is read as UTC, as the Atlassian contract states all its
 *   timestamps are UTC.
 * - A date-only value (`2026-06-11`, the per-user last-active-dates format) is a UTC day, as the
 *   contract states, with no time. It is taken as the LAST instant of that UTC day, so its calendar
 *   day in the run's time zone is the latest it can be: inactivity is never over-counted (in
 *   Europe/Berlin a date-only 2026-06-11 is the local 2026-06-12; in America/New_York, 2026-06-11).
 * - Anything else is unparsable: impossible dates (`2026-02-30`), other formats (`June 11, 2026`,
 *   epoch numbers) and years before 2000 (sentinels like `0001-01-01` or `1970-01-01` mean "unknown",
 *   not "inactive for decades"). `Date.parse` is not used: it silently rolls 2026-02-30 to March 2.
 * - The calendar day of an instant is its date (YYYY-MM-DD) on a wall clock in the time zone, as
 *   Intl reports it, counted as days since 1970-01-01. Days between two instants are the difference
 *   of their calendar days, so DST changes (23- or 25-hour days) do not matter.
 */

const DAY_MS = 86_400_000;
const EARLIEST_PLAUSIBLE_YEAR = 2000;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/** Maps an instant (epoch ms) to its calendar day (days since 1970-01-01) in one time zone. */
export type DayCounter = (epochMs: number) => number;

function utcMidnight(year: number, month: number, day: number): number | undefined {
  if (year < EARLIEST_PLAUSIBLE_YEAR || month < 1 || month > 12 || day < 1) return undefined;
  const ms = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 2026-02-30 over to March: a date that does not survive the round trip is impossible.
  return new Date(ms).getUTCDate() === day ? ms : undefined;
}

/**
 * The instant (epoch ms) of an Atlassian date or timestamp, or `undefined` when it is unparsable.
 * `requireOffset` refuses date-only values and timestamps without `Z`/offset (for the run's `now`).
 */
export function parseInstant(raw: string, options: { requireOffset?: boolean } = {}): number | undefined {
  const text = raw.trim();
  const date = DATE_ONLY.exec(text);
  if (date) {
    if (options.requireOffset) return undefined;
    const midnight = utcMidnight(Number(date[1]), Number(date[2]), Number(date[3]));
    return midnight === undefined ? undefined : midnight + DAY_MS - 1;
  }
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zulu, sign, oh, om] = m;
  const hasOffset = zulu !== undefined || sign !== undefined;
  if (options.requireOffset && !hasOffset) return undefined;
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const offsetHours = Number(oh ?? 0);
  const offsetMinutes = Number(om ?? 0);
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const midnight = utcMidnight(Number(y), Number(mo), Number(d));
  if (midnight === undefined) return undefined;
  const millis = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  const offsetMs = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return midnight + ((hour * 60 + minute) * 60 + second) * 1000 + millis - offsetMs;
}

const UTC_ZONES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Etc/Zulu', 'Universal', 'Zulu']);

/** A day counter for `timeZone` (an IANA name, validated by the configuration schema). Build once per run. */
export function dayCounter(timeZone: string): DayCounter {
  if (UTC_ZONES.has(timeZone)) return (epochMs) => Math.floor(epochMs / DAY_MS);
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    calendar: 'gregory',
    numberingSystem: 'latn',
  });
  return (epochMs) => {
    let year = 0;
    let month = 0;
    let day = 0;
    for (const part of format.formatToParts(epochMs)) {
      if (part.type === 'year') year = Number(part.value);
      else if (part.type === 'month') month = Number(part.value);
      else if (part.type === 'day') day = Number(part.value);
    }
    return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
  };
}

/** YYYY-MM-DD of a calendar day (days since 1970-01-01). */
export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
