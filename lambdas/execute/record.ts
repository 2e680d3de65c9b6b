/**
 * Records settled items: the audit record first (RESULT closes an INTENT; SKIPPED and HANDED_OFF
 * for items never called), then the item's forward move. A crash between the two leaves the item
 * where it was, and the next attempt settles it again (an IN_FLIGHT one by reading the account).
 */
import pLimit from 'p-limit';
import { AuditEvent } from '../domain/index.js';
import { StateConflictError } from '../domain/index.js';
import { ItemState } from '../domain/index.js';
import type { ProposalItem } from '../domain/index.js';
import type { CallResult } from './act.js';
import { resultEntry } from './audit-entries.js';
import type { ExecDeps } from './ports.js';
import { chunkStream } from './streams.js';
import type { ChunkRecord } from '../domain/execution.js';

export interface Settled {
  readonly item: ProposalItem;
  readonly result: CallResult;
  /** An in-doubt item found already in its target state. */
  readonly reconciled?: boolean;
}

const TARGET: Readonly<Record<CallResult['kind'], ItemState>> = {
  done: ItemState.DONE,
  failed: ItemState.FAILED,
  skip: ItemState.SKIPPED,
  handoff: ItemState.HANDED_OFF,
};

function codeOf(r: CallResult): string | undefined {
  if (r.kind === 'skip') return r.reason;
  if (r.kind === 'failed') return r.code;
  if (r.kind === 'handoff') return 'HANDED_OFF';
  return undefined;
}

function eventOf(s: Settled) {
  if (s.item.state === ItemState.IN_FLIGHT) return AuditEvent.RESULT;
  return s.result.kind === 'handoff' ? AuditEvent.HANDED_OFF : AuditEvent.SKIPPED;
}

export async function record(deps: ExecDeps, chunk: ChunkRecord, settled: readonly Settled[]): Promise<void> {
  if (settled.length === 0) return;
  await deps.audit.appendOwned(
    chunkStream(chunk.proposalId, chunk.round, chunk.index),
    settled.map((s) =>
      resultEntry(
        s.item,
        TARGET[s.result.kind],
        {
          ...(codeOf(s.result) && { code: codeOf(s.result) }),
          detail: s.result.detail,
          ...(s.reconciled && { reconciled: true }),
        },
        eventOf(s),
      ),
    ),
  );
  const at = new Date(deps.clock.now()).toISOString();
  const limit = pLimit(8);
  // Every move settles before the first failure is thrown: none is still under way (or yet to
  // start) when the step is retried.
  const outcomes = await Promise.allSettled(
    settled.map((s) =>
      limit(async () => {
        const to = TARGET[s.result.kind];
        const code = codeOf(s.result);
        try {
          await deps.proposals.moveItem(s.item.proposalId, s.item.accountId, to, {
            note: s.result.detail,
            executedAt: at,
            ...(code && { outcomeCode: code }),
            outcomeMessage: s.result.detail,
          });
        } catch (err) {
          if (!(err instanceof StateConflictError) || err.actual !== to) throw err;
        }
      }),
    ),
  );
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
}
