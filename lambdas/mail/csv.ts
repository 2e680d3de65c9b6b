import type { ProposalItem } from '../domain/proposal.js';
import { lastActiveByProduct } from './format.js';

type Cell = string | number | undefined;

/** Characters a spreadsheet reads as the start of a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One RFC 4180 field: a value that could start a formula gets a leading `'` (so a name like
 * `=HYPERLINK(...)` stays text in Excel and Sheets), then any field with a comma, quote, CR or LF
 * is quoted with quotes doubled.
 */
export function csvCell(value: Cell): string {
  let s = value === undefined ? '' : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV document: CRLF line ends (RFC 4180), a UTF-8 byte order mark so Excel reads accents. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** Columns a caller appends to the proposal CSV (the approval step adds the pro-rated cost). */
export interface ExtraColumns {
  readonly header: readonly string[];
  readonly cells: (item: ProposalItem) => readonly Cell[];
}

/** Every item of a proposal, one row each, with last activity per product as separate columns. */
export function proposalCsv(items: readonly ProposalItem[], timeZone: string, extra?: ExtraColumns): string {
  const products = [...new Set(items.flatMap((i) => lastActiveByProduct(i, timeZone).map((p) => p.key)))].sort();
  const header = [
    'account_id',
    'name',
    'email',
    'action',
    'state',
    'decided_by',
    'reason',
    'summary',
    'policy_id',
    'inactive_days',
    ...products.map((p) => `last_active_${p}`),
    ...(extra?.header ?? []),
  ];
  const rows = items.map((i) => {
    const ev = i.evidence as { policyId?: unknown; inactiveDays?: unknown };
    const byKey = new Map(lastActiveByProduct(i, timeZone).map((p) => [p.key, p.date]));
    return [
      i.accountId,
      i.name,
      i.email,
      i.action,
      i.state,
      i.decidedBy,
      i.reason,
      i.summary,
      typeof ev.policyId === 'string' ? ev.policyId : undefined,
      typeof ev.inactiveDays === 'number' ? ev.inactiveDays : undefined,
      ...products.map((p) => byKey.get(p) ?? 'no access'),
      ...(extra?.cells(i) ?? []),
    ];
  });
  return toCsv(header, rows);
}
