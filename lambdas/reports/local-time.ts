/**
 * Calendar dates in an IANA time zone with nothing but Intl: billing periods start at local
 * midnight, and their lengths are counted in calendar days (a DST day is still one day).
 */
export interface LocalDate {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  readonly day: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock fields of an instant in the zone, as if they were UTC (ms). */
function wallClock(epochMs: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(epochMs)))
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}

/** The zone's offset from UTC at an instant (ms; positive east of Greenwich). */
const offsetAt = (epochMs: number, timeZone: string): number =>
  wallClock(epochMs, timeZone) - (epochMs - (((epochMs % 1000) + 1000) % 1000));

export function localDate(epochMs: number, timeZone: string): LocalDate {
  const d = new Date(wallClock(epochMs, timeZone));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * The first instant of `date` in the zone (local midnight). The offset in force may differ before
 * and after a DST change, so both are tried and the earliest instant that falls on the date wins;
 * where a zone skips midnight itself, that is the end of the gap (01:00).
 */
export function startOfLocalDay(date: LocalDate, timeZone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day);
  const onDay = [wall - offsetAt(wall - DAY_MS, timeZone), wall - offsetAt(wall + DAY_MS, timeZone)].filter(
    (t) => daysBetween(date, localDate(t, timeZone)) === 0,
  );
  return onDay.length > 0 ? Math.min(...onDay) : wall - offsetAt(wall, timeZone);
}

/** The same day of the month `n` months later (day must exist in every month: 1-28). */
export function addMonths(date: LocalDate, n: number): LocalDate {
  const index = date.year * 12 + (date.month - 1) + n;
  return { year: Math.floor(index / 12), month: (index % 12) + 1, day: date.day };
}

/** Calendar days from `a` to `b` (b - a). */
export const daysBetween = (a: LocalDate, b: LocalDate): number =>
  Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY_MS);

export const isoDate = (d: LocalDate): string =>
  `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

export const compareDates = (a: LocalDate, b: LocalDate): number => daysBetween(b, a);
