import { whyBillable, type AccountFacts, type BillingRule } from './billing.js';
import { isoDate, localDate } from './local-time.js';
import { toCsv } from './mail-kit.js';
import type { StoredSnapshot } from './ports.js';

/**
 * CSV files for finance. Cells go through approval's writer: RFC 4180 quoting, CRLF, a BOM for
 * Excel, and a leading `'` on any cell starting with = + - @ (OWASP CSV injection): names and
 * departments come from the directory, so one may well be "=HYPERLINK(...)".
 */
export const SNAPSHOT_COLUMNS = [
  'taken_at',
  'local_date',
  'run_id',
  'tier',
  'managed',
  'active',
  'billable',
  'deactivated',
  'suspended',
  'billable_unknown',
  'active_billable_policy',
  'active_nonbillable_policy',
  'active_other_policy',
  'active_unknown_policy',
  'changes_deactivated',
  'changes_moved_to_nonbillable',
  'changes_moved_to_billable',
  'changes_seats_freed',
  'changes_seats_added',
] as const;

/** One row per snapshot, oldest first; fields an older snapshot lacks are empty. */
export function snapshotRows(
  snapshots: readonly StoredSnapshot[],
  timeZone: string,
): (string | number | undefined)[][] {
  return [...snapshots]
    .sort((a, b) => Date.parse(a.takenAt) - Date.parse(b.takenAt))
    .map((s) => [
      s.takenAt,
      isoDate(localDate(Date.parse(s.takenAt), timeZone)),
      s.runId,
      s.tier,
      s.managed,
      s.active,
      s.billable,
      s.deactivated,
      s.suspended,
      s.billableUnknown,
      s.byPolicyClass?.billable,
      s.byPolicyClass?.nonbillable,
      s.byPolicyClass?.other,
      s.byPolicyClass?.unknown,
      s.changes?.deactivated,
      s.changes?.movedToNonbillable,
      s.changes?.movedToBillable,
      s.changes?.seatsFreed,
      s.changes?.seatsAdded,
    ]);
}

export const snapshotsCsv = (snapshots: readonly StoredSnapshot[], timeZone: string): string =>
  toCsv(SNAPSHOT_COLUMNS, snapshotRows(snapshots, timeZone));

export const BILLED_COLUMNS = [
  'account_id',
  'email',
  'name',
  'department',
  'organization',
  'policy_id',
  'products',
  'reason',
  'evidence',
] as const;

/** One row per billed account under the tier, by department then email. */
export function billedAccountsCsv(accounts: Iterable<AccountFacts>, rule: BillingRule): string {
  const rows: { a: AccountFacts; reason: string; evidence: string }[] = [];
  for (const a of accounts) {
    const v = whyBillable(a, rule);
    if (v.billable === true) rows.push({ a, reason: v.reason, evidence: v.evidence });
  }
  rows.sort(
    (x, y) =>
      (x.a.department ?? '').localeCompare(y.a.department ?? '') ||
      (x.a.email ?? x.a.accountId).localeCompare(y.a.email ?? y.a.accountId),
  );
  return toCsv(
    BILLED_COLUMNS,
    rows.map(({ a, reason, evidence }) => [
      a.accountId,
      a.email,
      a.name,
      a.department,
      a.organization,
      a.policyId,
      [...new Set(a.products)].sort().join(' '),
      reason,
      evidence,
    ]),
  );
}
