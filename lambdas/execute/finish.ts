/**
 * The last step: counts the round's items by outcome, stores the counts on the execution record and
 * the proposal, audits the end, and mails the approvers the results (once no item waits any more).
 */
import { AuditEvent, ItemState, type ProposalItem } from '../domain/index.js';
import type { ExecDeps } from './ports.js';
import { executionStream, SYSTEM_EXECUTOR } from './streams.js';
import pLimit from 'p-limit';
import type { ExecutionRecord, OutcomeCounts, Round } from '../domain/execution.js';

export interface FinishReport {
  readonly proposalId: string;
  readonly round: Round;
  readonly outcome: OutcomeCounts;
  /** Items still waiting for their grace period: the execution resumes at `resumeAt`. */
  readonly resumeAt?: string;
  readonly mailed: boolean;
}

export function countOutcomes(items: readonly ProposalItem[], nowMs: number): OutcomeCounts & { resumeAt?: string } {
  const c = { done: 0, failed: 0, skipped: 0, handedOff: 0, waiting: 0 };
  let resume: number | undefined;
  for (const i of items) {
    if (i.state === ItemState.DONE) c.done++;
    else if (i.state === ItemState.FAILED) c.failed++;
    else if (i.state === ItemState.SKIPPED) c.skipped++;
    else if (i.state === ItemState.HANDED_OFF) c.handedOff++;
    else if (i.state === ItemState.APPROVED || i.state === ItemState.IN_FLIGHT) {
      c.waiting++;
      const nb = (i as { notBefore?: string }).notBefore;
      const parsed = nb ? Date.parse(nb) : NaN;
      const t = Number.isNaN(parsed) ? nowMs : Math.max(parsed, nowMs);
      resume = resume === undefined ? t : Math.min(resume, t);
    }
  }
  return { ...c, ...(resume !== undefined && { resumeAt: new Date(resume).toISOString() }) };
}

export async function finish(deps: ExecDeps, proposalId: string, round: Round): Promise<FinishReport> {
  const proposal = await deps.proposals.get(proposalId);
  if (!proposal) throw new Error(`proposal ${proposalId} does not exist`);
  const record = await deps.executions.get(proposalId, round);
  // A retried step after the execution was recorded finished: its outcome is on the record, and the
  // items need not be read again (only a finish with nothing waiting is ever recorded).
  if (record?.finishedAt && record.outcome) return { proposalId, round, outcome: record.outcome, mailed: false };
  // The seat count is a listing of the whole org, paced by the API: it runs beside this step's
  // reads, writes and mail, and is stored as a snapshot only once the execution is recorded
  // finished. When every chunk is done (nothing waits) it starts at once, beside the read of the
  // decided items; otherwise only once that read shows that nothing waits.
  const listing = new AbortController();
  const startCount = () => settle(deps.finance && Promise.resolve().then(() => deps.finance!.count(listing.signal)));
  let counting = !record?.finishedAt && (await everyChunkDone(deps, record)) ? startCount() : undefined;
  try {
    const items: ProposalItem[] = [];
    // Undecided items are no result (and in a large proposal most of what a full read would carry).
    for await (const i of deps.proposals.decidedItems(proposalId)) items.push(i);
    const now = deps.clock.now();
    const { resumeAt, ...outcome } = countOutcomes(items, now);
    const at = new Date(now).toISOString();
    if (resumeAt) {
      await stop(listing, counting);
      deps.logger.log('info', 'execution waits for the grace period', {
        proposalId,
        round,
        waiting: outcome.waiting,
        resumeAt,
      });
      return { proposalId, round, outcome, resumeAt, mailed: false };
    }
    if (record?.finishedAt) return { proposalId, round, outcome: record.outcome ?? outcome, mailed: false };
    counting ??= startCount();
    // Savings are attributed from these records: stored before the finish is, so a retry stores them too.
    await deps.finance?.recordChanges(items);
    await deps.audit.append(executionStream(proposalId), [
      {
        event: AuditEvent.EXECUTION_FINISHED,
        actor: SYSTEM_EXECUTOR,
        proposalId,
        outcome: 'finished',
        details: { round, ...outcome },
      },
    ]);
    await deps.proposals.setStatus(proposalId, [proposal.status], proposal.status, {
      executionOutcome: outcome,
      executedAt: at,
    });
    await deps.mail.results({ ...proposal, executionOutcome: outcome }, items, now);
    await deps.executions.finish(proposalId, round, { finishedAt: at, outcome });
    deps.logger.log('info', 'execution finished', { proposalId, round, ...outcome });
    await financeSnapshot(deps, await counting, proposalId, round);
    return { proposalId, round, outcome, mailed: true };
  } catch (err) {
    // The listing stops (after the page under way) and has settled before the step fails; a
    // retried finish counts again.
    await stop(listing, counting);
    throw err;
  }
}

/** Stops a count under way (if any) and waits until it has settled. */
async function stop(listing: AbortController, counting: Promise<unknown> | undefined): Promise<void> {
  listing.abort();
  await counting;
}

/**
 * Whether every chunk of the round is marked done (a chunk with waiting items is not). Only a hint
 * for starting the count early: a failed read, or the first chunk found not done, answers no, and
 * the reads still queued are not made. Every read has settled when it answers.
 */
async function everyChunkDone(deps: ExecDeps, record: ExecutionRecord | undefined): Promise<boolean> {
  if (!record || !deps.finance || record.chunkCount < 1) return false;
  let done = true;
  const limit = pLimit(8);
  await Promise.all(
    Array.from({ length: record.chunkCount }, (_, i) =>
      limit(async () => {
        if (!done) return;
        const chunk = await deps.executions.chunk(record.proposalId, record.round, i).catch(() => undefined);
        if (chunk?.doneAt === undefined) done = false;
      }),
    ),
  );
  return done;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown } | undefined;

/** A promise that never rejects, so it can wait while other work fails. */
function settle<T>(p: Promise<T> | undefined): Promise<Settled<T>> {
  return p
    ? p.then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      )
    : Promise.resolve(undefined);
}

/**
 * A seat snapshot right after the execution. A failure (say, Atlassian throttling the listing) is
 * logged, not thrown: the execution is done and recorded, and the next plan run counts again.
 */
async function financeSnapshot(
  deps: ExecDeps,
  counted: Settled<{ record(runId: string): Promise<unknown> }>,
  proposalId: string,
  round: Round,
): Promise<void> {
  if (!counted) return;
  try {
    if (!counted.ok) throw counted.error;
    await counted.value.record(`exec-${proposalId}-${round}`);
  } catch (err) {
    deps.logger.log('warn', 'finance snapshot after execution failed; the next plan run counts again', {
      proposalId,
      round,
      error: `${(err as Error).name}: ${(err as Error).message}`,
    });
  }
}

/** The Catch of the state machine: audits the failure and alerts the approvers; items stay as they are, to be resumed. */
export async function recordFailure(
  deps: ExecDeps,
  proposalId: string,
  error: { name?: string; message?: string },
): Promise<void> {
  const message = (error.message || 'unknown error').slice(0, 1000);
  await deps.audit.append(executionStream(proposalId), [
    {
      event: AuditEvent.EXECUTION_FAILED,
      actor: SYSTEM_EXECUTOR,
      proposalId,
      outcome: 'failed',
      details: { error: error.name ?? 'Error', message },
    },
  ]);
  await deps.mail.alert(proposalId, [`${error.name ?? 'Error'}: ${message}`], deps.clock.now());
  deps.logger.log('error', 'execution failed', { proposalId, error: error.name, message });
}
