import type { ProposalItem } from '../domain/proposal.js';
import { AccountState } from './billing.js';
import type { BillingRule } from './billing.js';
import type { ExecutedChange } from './changes.js';
import type { AccountFactsSource, ExecutedChangeSource } from './ports.js';
import { countAccounts, recordSnapshot, type RecordSnapshotDeps, type RecordSnapshotOptions } from './record.js';
import type { FinanceSnapshot } from './snapshot.js';

/**
 * The executed change an item records, or undefined when the item was not carried out (only DONE
 * items with an execution time count). The account as it was comes from the item's evidence: the
 * plan read its policy and product access when it proposed the change, and execution re-checked
 * them just before acting (an item whose account moved on is skipped, never DONE).
 */
export function changeFromItem(
  item: Pick<ProposalItem, 'proposalId' | 'accountId' | 'action' | 'state' | 'executedAt' | 'evidence'>,
): ExecutedChange | undefined {
  if (item.state !== 'DONE' || !item.executedAt) return undefined;
  const ev = item.evidence as { policyId?: unknown; products?: unknown };
  const products = Array.isArray(ev.products)
    ? ev.products.flatMap((p: unknown) =>
        typeof (p as { key?: unknown })?.key === 'string' ? [(p as { key: string }).key] : [],
      )
    : [];
  return {
    accountId: item.accountId,
    action: item.action,
    executedAt: item.executedAt,
    proposalId: item.proposalId,
    before: {
      status: item.action === 'REACTIVATE' ? AccountState.DEACTIVATED : AccountState.ACTIVE,
      ...(typeof ev.policyId === 'string' && { policyId: ev.policyId }),
      products,
    },
  };
}

/** Keeps executed changes for the report (the seats table's CHANGES partition on AWS). */
export interface ChangeLog extends ExecutedChangeSource {
  put(orgId: string, changes: readonly ExecutedChange[]): Promise<void>;
}

/**
 * What execution's finish step records for finance: the changes its DONE items made (before the
 * finish is recorded; idempotent puts, so a retried finish writes the same), then a fresh count of
 * the org as a snapshot carrying the changes executed since the previous one.
 */
export class ExecutionFinanceRecorder {
  constructor(
    private readonly deps: RecordSnapshotDeps & { readonly accounts: AccountFactsSource; readonly log: ChangeLog },
    private readonly o: Omit<RecordSnapshotOptions, 'runId'> & { readonly rule: BillingRule },
  ) {}

  /** Stores the executed changes of these items; returns how many there were. */
  async recordChanges(items: readonly Parameters<typeof changeFromItem>[0][]): Promise<number> {
    const changes = items.flatMap((i) => changeFromItem(i) ?? []);
    if (changes.length > 0) await this.deps.log.put(this.o.orgId, changes);
    return changes.length;
  }

  /**
   * Counts the org now (the full listing; `signal` stops it between accounts) and returns what
   * stores the count as a snapshot taken when the listing ended: the finish step counts while it
   * writes and mails, and stores the snapshot only once it is done.
   */
  async count(signal?: AbortSignal): Promise<{ record(runId: string): Promise<FinanceSnapshot> }> {
    const counter = await countAccounts(this.deps, this.o, signal);
    const takenAtMs = this.deps.clock.now();
    return {
      record: (runId) =>
        recordSnapshot({ ...this.deps, changes: this.deps.log }, counter, { ...this.o, runId }, takenAtMs),
    };
  }
}
