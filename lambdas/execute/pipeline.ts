/**
 * Per-user calls (disable, enable, suspend, restore) with the store's writes kept off their path.
 * The items go in batches of PIPELINE_BATCH: while one batch's calls run, the next batch is claimed
 * (its INTENT records, then APPROVED → IN_FLIGHT) and the previous batch's results are recorded, so
 * a chunk takes about as long as its calls rather than its calls plus its writes.
 *
 * What stays as in a chunk done in turn: every item's INTENT and claim are written before its call
 * and its RESULT after it; at most two batches are claimed and not yet called; on a failure no
 * batch is claimed or called any more, every write already started settles, the results gathered
 * are recorded, and only then the first failure is thrown (claimed items not called are IN_FLIGHT
 * with an intent, and the retried step reconciles them by reading the account before any call).
 */
import pLimit from 'p-limit';
import type { ManagedAccount } from '../atlassian/types.js';
import type { ProposalItem } from '../domain/index.js';
import type { ChunkRecord } from '../domain/execution.js';
import { actPerUser, ExecutionStepError, type CallResult } from './act.js';
import { claim } from './claim.js';
import type { ExecDeps } from './ports.js';
import { record } from './record.js';

/** Items claimed, called and recorded together: the calls of one batch cover the writes of two. */
export const PIPELINE_BATCH = 20;

/** Per-user calls under way at once, across batches (as actPerUser on its own). */
const CALL_CONCURRENCY = 4;

/**
 * Calls and records `inFlight` (already IN_FLIGHT with an intent: a retried step's items whose
 * account is not yet where it should be) and `approved` (claimed here first). Returns the number of
 * items whose result was recorded.
 */
export async function actPerUserPipelined(
  deps: ExecDeps,
  chunk: ChunkRecord,
  inFlight: readonly ProposalItem[],
  approved: readonly ProposalItem[],
  accounts: ReadonlyMap<string, ManagedAccount | undefined>,
  batchSize = PIPELINE_BATCH,
): Promise<number> {
  const batches = batchesOf(inFlight, approved, batchSize);
  if (batches.length === 0) return 0;
  // The first failure of a claim, a call or a write; once there is one, nothing new starts.
  let failure: { readonly error: unknown } | undefined;
  const fail = (error: unknown) => void (failure ??= { error });
  // The store's writes in one lane, in order: an audit stream is appended by one writer at a time.
  let lane: Promise<unknown> = Promise.resolve();
  const onStore = <T>(f: () => Promise<T>): Promise<T> => {
    const p = lane.then(f);
    lane = p.catch(() => undefined);
    return p;
  };
  // A claim whose turn comes after a failure writes nothing (its items stay APPROVED).
  const claimOf = (b: Batch) =>
    onStore(async () =>
      failure ? [] : [...b.inFlight, ...(await claim(deps, chunk, b.approved, accounts).catch(rethrowAfter(fail)))],
    );
  // The calls share their slots across batches; a call whose turn comes after a failure is not made
  // (its item stays IN_FLIGHT with its intent, and the retried step reads the account first).
  const calls = { limit: pLimit(CALL_CONCURRENCY), stopped: () => failure !== undefined, onThrown: fail };
  const recordBatch = async (items: readonly ProposalItem[], results: ReadonlyMap<string, CallResult>) => {
    const byId = new Map(items.map((i) => [i.accountId, i]));
    await record(
      deps,
      chunk,
      [...results].map(([id, result]) => ({ item: byId.get(id)!, result })),
    );
    return results.size;
  };
  const failed0 = (err: unknown) => {
    fail(err);
    return 0;
  };
  const recorded: Promise<number>[] = [];
  let claiming: Promise<ProposalItem[]> | undefined = claimOf(batches[0]!);
  let previous: Promise<unknown> = Promise.resolve();
  for (let k = 0; claiming; k++) {
    const items = await claiming.catch(() => [] as ProposalItem[]);
    claiming = undefined;
    if (failure) break;
    if (items.length > 0) {
      const called = actPerUser(deps, items, accounts, calls).catch((err: unknown) => {
        fail(err);
        return err instanceof ExecutionStepError ? err.partial : new Map<string, CallResult>();
      });
      // A call made is recorded, whatever happened elsewhere since (unless the store itself fails).
      recorded.push(called.then((results) => onStore(() => recordBatch(items, results)).catch(failed0)));
      // The next batch is claimed once the batch before this one has been called: while this one's calls run.
      await previous;
      previous = called;
    }
    if (!failure && batches[k + 1]) claiming = claimOf(batches[k + 1]!);
  }
  // Everything started settles before the step returns or fails.
  const counts = await Promise.all(recorded);
  await lane;
  if (failure) throw failure.error;
  return counts.reduce((n, x) => n + x, 0);
}

const rethrowAfter =
  (f: (e: unknown) => void) =>
  (e: unknown): never => {
    f(e);
    throw e;
  };

interface Batch {
  readonly inFlight: readonly ProposalItem[];
  readonly approved: readonly ProposalItem[];
}

/** In-flight items first (they need no claim), then the approved ones, `size` at a time. */
function batchesOf(inFlight: readonly ProposalItem[], approved: readonly ProposalItem[], size: number): Batch[] {
  const all = [...inFlight.map((i) => ({ i, claimed: true })), ...approved.map((i) => ({ i, claimed: false }))];
  const out: Batch[] = [];
  for (let s = 0; s < all.length; s += size) {
    const part = all.slice(s, s + size);
    out.push({
      inFlight: part.filter((p) => p.claimed).map((p) => p.i),
      approved: part.filter((p) => !p.claimed).map((p) => p.i),
    });
  }
  return out;
}
