/**
 * One run of the execution engine for the command line and the demo: the same state-machine
 * definition the stack deploys, run locally (runExecutionLocally) with progress lines per step, and
 * the outcome counted from the items' states, so a run that failed or was stopped still says where
 * it stands. Running it again resumes where it stopped.
 */
import type { OutcomeCounts } from '../lambdas/domain/execution.js';
import type { ProposalItem } from '../lambdas/domain/index.js';
import {
  assertExecutable,
  countOutcomes,
  NotExecutableError,
  type ChunkReport,
  type ExecDeps,
  type FinishReport,
  type Prepared,
} from '../lambdas/execute/index.js';
import { runExecutionLocally } from '../local/execution-engine.js';
import { States } from '../lib/execution-definition.js';

export interface ExecuteOutcome {
  readonly proposalId: string;
  /** `done`: the machine ended (items may wait for their grace period); `failed`: it failed or refused to start. */
  readonly status: 'done' | 'failed';
  readonly outcome: OutcomeCounts;
  /** When items wait for their grace period: run again after this time. */
  readonly resumeAt?: string;
  /** Why the run failed. */
  readonly error?: string;
  /** Items whose call failed, with the API's reason. */
  readonly failedItems: readonly ProposalItem[];
}

/** Step Functions' `{Error, Cause}` as one line (Cause may be a Lambda's JSON error). */
function describeError(e: { Error?: string; Cause?: string } | undefined): string {
  let cause = e?.Cause ?? '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string };
    if (parsed.errorMessage) cause = parsed.errorMessage;
  } catch {
    // plain text
  }
  return `${e?.Error ?? 'Error'}${cause ? `: ${cause}` : ''}`;
}

/**
 * Runs (or resumes) the execution of one proposal to its end and reports the outcome.
 * `progress` gets one line per step: prepared, each chunk, finish, a recorded failure.
 */
export async function executeProposal(
  deps: ExecDeps,
  proposalId: string,
  options: { progress?: (line: string) => void; startedBy?: string } = {},
): Promise<ExecuteOutcome> {
  const progress = options.progress ?? (() => undefined);
  let chunks = 0;
  let failure: string | undefined;
  try {
    // Refuse before starting the machine: an unknown or undecided proposal is an operator's mistake,
    // not an execution failure to audit and alert the approvers about.
    await assertExecutable(deps, proposalId);
  } catch (err) {
    if (!(err instanceof NotExecutableError)) throw err;
    return { ...(await standing(deps, proposalId)), status: 'failed', error: err.message };
  }
  const onStep = (state: string, input: unknown, output: unknown) => {
    if (state === States.PREPARE) {
      const p = output as Prepared;
      chunks = p.chunks.length;
      progress(
        `prepared: ${p.itemCount} item(s) in ${chunks} chunk(s), round ${p.round}${p.resumed ? ' (resuming a started execution)' : ''}`,
      );
    } else if (state === States.RUN_CHUNK) {
      const c = output as ChunkReport;
      const more = c.more ? ', out of time: runs again' : '';
      const wait = c.resumeAt ? ` (due from ${c.resumeAt})` : '';
      progress(`chunk ${c.index + 1}/${chunks}: ${c.settled} settled, ${c.waiting} waiting${wait}${more}`);
    } else if (state === States.FINISH) {
      const f = output as FinishReport;
      progress(
        f.resumeAt
          ? `finish: ${f.outcome.waiting} item(s) wait for the grace period until ${f.resumeAt}`
          : `finish: outcome recorded${f.mailed ? ', results mailed to the approvers' : ' (already recorded)'}`,
      );
    } else if (state === States.RECORD_FAILURE) {
      failure = describeError((input as { error?: { Error?: string; Cause?: string } }).error);
      progress(`failed: ${failure} (audited, approvers alerted)`);
    }
  };
  let finished: FinishReport | undefined;
  try {
    const out = await runExecutionLocally(
      deps,
      { proposalId, ...(options.startedBy && { startedBy: options.startedBy }) },
      { onStep },
    );
    finished = out.finished as FinishReport | undefined;
  } catch (err) {
    failure ??= `${(err as Error).name}: ${(err as Error).message}`;
  }
  const now = await standing(deps, proposalId);
  return {
    ...now,
    status: failure || !finished ? 'failed' : 'done',
    ...(finished?.resumeAt && { resumeAt: finished.resumeAt }),
    ...(failure && { error: failure }),
  };
}

/**
 * The proposal's decided items counted by outcome, as they stand (undecided ones are no outcome, and
 * in a large proposal most of what a full read would carry: read with the store-side filter).
 */
async function standing(
  deps: ExecDeps,
  proposalId: string,
): Promise<Pick<ExecuteOutcome, 'proposalId' | 'outcome' | 'failedItems' | 'resumeAt'>> {
  const items: ProposalItem[] = [];
  for await (const i of deps.proposals.decidedItems(proposalId)) items.push(i);
  const { resumeAt, ...outcome } = countOutcomes(items, deps.clock.now());
  return {
    proposalId,
    outcome,
    failedItems: items.filter((i) => i.state === 'FAILED'),
    ...(resumeAt && outcome.waiting > 0 && { resumeAt }),
  };
}

/** The summary printed at the end: one line of counts, then the failed items with their reasons. */
export function formatOutcome(r: ExecuteOutcome): string {
  const o = r.outcome;
  const lines = [
    `${r.proposalId}: ${r.status === 'done' ? 'executed' : 'FAILED'}: done ${o.done}, failed ${o.failed}, skipped ${o.skipped}, handed off ${o.handedOff}, waiting ${o.waiting}`,
  ];
  if (r.error) lines.push(`  error: ${r.error}`);
  if (o.waiting > 0)
    lines.push(
      r.resumeAt
        ? `  ${o.waiting} item(s) wait for the grace period after the warning mail; run execute again after ${r.resumeAt}.`
        : `  ${o.waiting} item(s) are not settled yet; run execute again to resume.`,
    );
  for (const i of r.failedItems.slice(0, 20)) {
    const f = i as ProposalItem & { outcomeCode?: string; outcomeMessage?: string };
    lines.push(
      `  failed ${i.action} ${i.email ?? i.accountId}: ${f.outcomeCode ?? ''} ${f.outcomeMessage ?? ''}`.trimEnd(),
    );
  }
  if (r.failedItems.length > 20) lines.push(`  ... and ${r.failedItems.length - 20} more failed item(s)`);
  return lines.join('\n');
}

/** Exit code: 0 when the run ended with no failed item, 1 when it failed or an item failed. */
export function exitCodeOf(r: ExecuteOutcome): number {
  return r.status === 'done' && r.outcome.failed === 0 ? 0 : 1;
}
