import { SNAPSHOT_COLUMNS, snapshotRows, snapshotsCsv } from './csv.js';
import { SeatsQueryError } from './errors.js';
import type { SnapshotSource, StoredSnapshot } from './ports.js';

/** Output formats of `lifecycle seats`. */
export const SeatsFormat = { TABLE: 'table', CSV: 'csv', JSON: 'json' } as const;
export type SeatsFormat = (typeof SeatsFormat)[keyof typeof SeatsFormat];

const TABLE_COLUMNS = [
  ['taken_at', 'Taken at'],
  ['local_date', 'Day'],
  ['tier', 'Tier'],
  ['managed', 'Managed'],
  ['active', 'Active'],
  ['billable', 'Billed'],
  ['deactivated', 'Deactivated'],
  ['active_nonbillable_policy', 'Nonbillable'],
  ['changes_seats_freed', 'Freed'],
  ['changes_seats_added', 'Added'],
] as const;

/** Snapshots as an aligned text table (numbers right-aligned), CSV (the snapshots CSV) or JSON. */
export function formatSeats(snapshots: readonly StoredSnapshot[], format: SeatsFormat, timeZone: string): string {
  if (format === SeatsFormat.CSV) return snapshotsCsv(snapshots, timeZone);
  if (format === SeatsFormat.JSON)
    return `${JSON.stringify(
      [...snapshots].sort((a, b) => Date.parse(a.takenAt) - Date.parse(b.takenAt)),
      null,
      2,
    )}\n`;
  if (snapshots.length === 0) return 'No snapshots in this range.\n';
  const index = TABLE_COLUMNS.map(([key]) => (SNAPSHOT_COLUMNS as readonly string[]).indexOf(key));
  const rows = snapshotRows(snapshots, timeZone).map((r) => index.map((i) => (r[i] === undefined ? '' : String(r[i]))));
  const header = TABLE_COLUMNS.map(([, label]) => label);
  const numeric = index.map((_, c) => c > 2);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((v, c) => (numeric[c] ? v.padStart(widths[c]!) : v.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return `${[line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')}\n`;
}

/** Parses the range of `lifecycle seats --from --to`: dates (YYYY-MM-DD, UTC midnight) or ISO instants. */
export function seatsRange(from: string, to: string): { from: string; to: string } {
  const parse = (field: string, v: string) => {
    const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
    if (!Number.isFinite(ms))
      throw new SeatsQueryError(
        `--${field}: expected a date like 2026-03-01 or an ISO 8601 instant (received ${JSON.stringify(v)})`,
        field,
        v,
      );
    return new Date(ms).toISOString();
  };
  const range = { from: parse('from', from), to: parse('to', to) };
  if (range.from >= range.to)
    throw new SeatsQueryError(`--to must be after --from (received from ${from}, to ${to})`, 'to', to);
  return range;
}

/** The seats table for a date range, read from the snapshot store. */
export async function seatsReport(
  source: SnapshotSource,
  q: { orgId: string; from: string; to: string; format: SeatsFormat; timeZone: string },
): Promise<string> {
  if (!Object.values(SeatsFormat).includes(q.format))
    throw new SeatsQueryError(
      `--format: expected table, csv or json (received ${JSON.stringify(q.format)})`,
      'format',
      q.format,
    );
  const range = seatsRange(q.from, q.to);
  const snapshots: StoredSnapshot[] = [];
  for await (const s of source.range(q.orgId, range.from, range.to)) snapshots.push(s);
  return formatSeats(snapshots, q.format, q.timeZone);
}
