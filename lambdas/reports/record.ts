import type { AccountFacts, BillingRule } from './billing.js';
import type { ExecutedChange } from './changes.js';
import type { AccountFactsSource, ExecutedChangeSource, ReportClock, SnapshotSink, StoredSnapshot } from './ports.js';
import { SnapshotCounter, type FinanceSnapshot } from './snapshot.js';

/** Where snapshots are kept: written one per plan run and after each execution. */
export interface SnapshotStore extends SnapshotSink {
  /** The latest snapshot taken before `before` (ISO instant). @default none: the first snapshot counts no changes */
  latest?(orgId: string, before: string): Promise<StoredSnapshot | undefined>;
}

export interface RecordSnapshotDeps {
  readonly store: SnapshotStore;
  /** @default none: the snapshot counts no executed changes */
  readonly changes?: ExecutedChangeSource;
  readonly clock: ReportClock;
}

export interface RecordSnapshotOptions {
  readonly orgId: string;
  readonly runId: string;
  readonly topDepartments: number;
}

/**
 * Stores the counter's snapshot, taken now, with the changes executed since the previous snapshot
 * (exclusive) up to now (inclusive). The first snapshot of an org counts none: there is no
 * "since" to count them from.
 */
export async function recordSnapshot(
  deps: RecordSnapshotDeps,
  counter: SnapshotCounter,
  o: RecordSnapshotOptions,
  /** When the count was taken. @default now */
  takenAtMs = deps.clock.now(),
): Promise<FinanceSnapshot> {
  const nowMs = takenAtMs;
  const takenAt = new Date(nowMs).toISOString();
  const previous = await deps.store.latest?.(o.orgId, takenAt);
  const changes: ExecutedChange[] = [];
  if (previous && deps.changes)
    for await (const c of deps.changes.between(o.orgId, previous.takenAt, new Date(nowMs + 1).toISOString()))
      changes.push(c);
  const snapshot = counter.snapshot({
    orgId: o.orgId,
    runId: o.runId,
    takenAt,
    topDepartments: o.topDepartments,
    changes,
    ...(previous && { previous }),
  });
  await deps.store.put(snapshot);
  return snapshot;
}

/** Counts every account of the org now (a full listing) and records the snapshot. */
export async function takeSnapshot(
  deps: RecordSnapshotDeps & { readonly accounts: AccountFactsSource },
  o: RecordSnapshotOptions & { readonly rule: BillingRule },
): Promise<FinanceSnapshot> {
  return recordSnapshot(deps, await countAccounts(deps, o), o);
}

/** Every account of the org, counted as the listing streams by. */
export async function countAccounts(
  deps: { readonly accounts: AccountFactsSource },
  o: { readonly orgId: string; readonly rule: BillingRule },
  /** Stops the listing between accounts and before each of its requests (the source's own check). */
  signal?: AbortSignal,
): Promise<SnapshotCounter> {
  const counter = new SnapshotCounter(o.rule);
  for await (const a of deps.accounts.accounts(o.orgId, signal)) {
    signal?.throwIfAborted();
    counter.add(a satisfies AccountFacts);
  }
  return counter;
}
