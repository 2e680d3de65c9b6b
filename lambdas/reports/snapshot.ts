import type { SeatSnapshot } from '../domain/snapshot.js';
import type { PolicyClass } from './billing.js';
import {
  AccountState,
  classifyPolicy,
  ReasonCode,
  whyBillable,
  type AccountFacts,
  type BillingRule,
} from './billing.js';
import { totalChanges, type ChangeTotals, type ExecutedChange } from './changes.js';
import type { GuardTier } from './settings.js';

export const FINANCE_SNAPSHOT_VERSION = 1 as const;
export const NO_DEPARTMENT = '(none)';
export const OTHER_DEPARTMENTS = 'Other';

/**
 * Guard seat counts at one moment: the plan's SeatSnapshot (domain/snapshot.ts; `billable` counted
 * under `tier`) and the finance fields, so a stored SeatSnapshot reads as a partial one of these.
 */
export interface FinanceSnapshot extends SeatSnapshot {
  readonly version: typeof FINANCE_SNAPSHOT_VERSION;
  readonly tier: GuardTier;
  readonly deactivated: number;
  readonly suspended: number;
  /** Active accounts per class of policy. */
  readonly byPolicyClass: Readonly<Record<PolicyClass, number>>;
  /** Billed accounts per class of policy (Premium bills some outside the billable policy). */
  readonly billedByPolicyClass: Readonly<Record<PolicyClass, number>>;
  /** Active accounts with access whose billing we cannot tell (policy unknown). */
  readonly billableUnknown: number;
  /** Every listed account per reason code (billed or not). */
  readonly byReason: Readonly<Record<ReasonCode, number>>;
  /** Billed accounts per department: the largest by count, the rest under "Other". */
  readonly byDepartment: Readonly<Record<string, number>>;
  /** Changes executed after `changesSince` (the previous snapshot) up to `takenAt`. */
  readonly changes: ChangeTotals;
  readonly changesSince?: string;
}

const zeroClasses = (): Record<PolicyClass, number> => ({ billable: 0, nonbillable: 0, other: 0, unknown: 0 });
const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);

/** The `top` largest departments (ties by name), the rest summed under "Other". */
export function topDepartments(counts: Readonly<Record<string, number>>, top: number): Record<string, number> {
  const sorted = Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const out: Record<string, number> = Object.fromEntries(sorted.slice(0, top));
  const rest = sorted.slice(top).reduce((n, [, c]) => n + c, 0);
  if (rest > 0) out[OTHER_DEPARTMENTS] = (out[OTHER_DEPARTMENTS] ?? 0) + rest;
  return out;
}

/** Counts accounts as they stream by (no per-account state kept), then builds the snapshot. */
export class SnapshotCounter {
  private managed = 0;
  private active = 0;
  private billable = 0;
  private deactivated = 0;
  private suspended = 0;
  private unknown = 0;
  private readonly perPolicy: Record<string, number> = {};
  private readonly perProduct: Record<string, number> = {};
  private readonly byClass = zeroClasses();
  private readonly billedByClass = zeroClasses();
  private readonly byReason = Object.fromEntries(Object.values(ReasonCode).map((r) => [r, 0])) as Record<
    ReasonCode,
    number
  >;
  private readonly departments: Record<string, number> = {};

  constructor(private readonly rule: BillingRule) {}

  add(facts: AccountFacts): void {
    this.managed += 1;
    const verdict = whyBillable(facts, this.rule);
    this.byReason[verdict.reason] += 1;
    if (facts.status === AccountState.DEACTIVATED) this.deactivated += 1;
    if (facts.status === AccountState.SUSPENDED) this.suspended += 1;
    if (facts.status !== AccountState.ACTIVE) return;
    this.active += 1;
    const cls = classifyPolicy(facts.policyId, this.rule.policies);
    bump(this.perPolicy, facts.policyId ?? 'unknown');
    this.byClass[cls] += 1;
    for (const p of new Set(facts.products)) bump(this.perProduct, p);
    if (verdict.billable === 'unknown') this.unknown += 1;
    if (verdict.billable !== true) return;
    this.billable += 1;
    this.billedByClass[cls] += 1;
    bump(this.departments, facts.department?.trim() || NO_DEPARTMENT);
  }

  snapshot(o: SnapshotMeta): FinanceSnapshot {
    const since = o.previous?.takenAt;
    const changes = (o.changes ?? []).filter(
      (c) => (since === undefined || c.executedAt > since) && c.executedAt <= o.takenAt,
    );
    return {
      orgId: o.orgId,
      takenAt: o.takenAt,
      runId: o.runId,
      managed: this.managed,
      active: this.active,
      billable: this.billable,
      perPolicy: { ...this.perPolicy },
      perProduct: { ...this.perProduct },
      version: FINANCE_SNAPSHOT_VERSION,
      tier: this.rule.tier,
      deactivated: this.deactivated,
      suspended: this.suspended,
      byPolicyClass: { ...this.byClass },
      billedByPolicyClass: { ...this.billedByClass },
      billableUnknown: this.unknown,
      byReason: { ...this.byReason },
      byDepartment: topDepartments(this.departments, o.topDepartments),
      changes: totalChanges(changes, this.rule),
      ...(since !== undefined && { changesSince: since }),
    };
  }
}

export interface SnapshotMeta {
  readonly orgId: string;
  readonly runId: string;
  /** ISO 8601 instant of the count. */
  readonly takenAt: string;
  readonly topDepartments: number;
  /** The previous snapshot: changes are counted from its `takenAt` (exclusive) to this one's (inclusive). */
  readonly previous?: Pick<FinanceSnapshot, 'takenAt'>;
  /** Executed changes around this snapshot; those outside (previous, takenAt] are ignored. */
  readonly changes?: readonly ExecutedChange[];
}

/** The snapshot of a list of accounts. */
export function buildSnapshot(
  accounts: Iterable<AccountFacts>,
  rule: BillingRule,
  meta: SnapshotMeta,
): FinanceSnapshot {
  const counter = new SnapshotCounter(rule);
  for (const a of accounts) counter.add(a);
  return counter.snapshot(meta);
}
