/**
 * Claiming items before any call: the INTENT records first, then APPROVED → IN_FLIGHT by a
 * conditional write. An item found IN_FLIGHT after a crash always has its intent, and is reconciled
 * by reading the account. (An intent whose claim another runner won stays without a result; that
 * item was not called here.)
 */
import pLimit from 'p-limit';
import { StateConflictError, ItemState, type ProposalItem } from '../domain/index.js';
import type { ManagedAccount } from '../atlassian/types.js';
import type { ChunkRecord } from '../domain/execution.js';
import { callName } from './act.js';
import { intentEntry } from './audit-entries.js';
import type { ExecDeps } from './ports.js';
import { chunkStream } from './streams.js';

/** Claims written at once (conditional UpdateItems of the chunk's items). */
const CLAIM_CONCURRENCY = 8;

/** Returns the items this runner claimed, IN_FLIGHT, in the given order; items another runner took are left out. */
export async function claim(
  deps: ExecDeps,
  chunk: ChunkRecord,
  items: readonly ProposalItem[],
  accounts: ReadonlyMap<string, ManagedAccount | undefined>,
): Promise<ProposalItem[]> {
  if (items.length === 0) return [];
  await deps.audit.appendOwned(
    chunkStream(chunk.proposalId, chunk.round, chunk.index),
    items.map((i) => intentEntry(i, callName(deps, i, accounts.get(i.accountId)))),
  );
  // Several claims at once, each its own conditional write; every claim settles before the step
  // goes on or fails, so no write is still under way when the step is retried.
  const limit = pLimit(CLAIM_CONCURRENCY);
  const executedAt = new Date(deps.clock.now()).toISOString();
  const outcomes = await Promise.allSettled(
    items.map((item) =>
      limit(async () => {
        try {
          await deps.proposals.moveItem(item.proposalId, item.accountId, ItemState.IN_FLIGHT, { executedAt });
          return { ...item, state: ItemState.IN_FLIGHT };
        } catch (err) {
          if (!(err instanceof StateConflictError)) throw err;
          deps.logger.log('warn', 'item taken by another step', {
            proposalId: item.proposalId,
            accountId: item.accountId,
            actual: err.actual,
          });
          return undefined;
        }
      }),
    ),
  );
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
  return outcomes.flatMap((o) => (o.status === 'fulfilled' && o.value ? [o.value] : []));
}
