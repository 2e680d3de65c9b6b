/**
 * The first step of an execution: checks the proposal may be executed, splits the approved items of
 * the round into chunks and stores them, once. A second call (a retried step, a resumed run)
 * returns the stored chunks: the split never changes under a running execution.
 */
import { AuditEvent } from '../domain/index.js';
import { ItemState } from '../domain/index.js';
import type { ProposalItem, ProposalMeta } from '../domain/index.js';
import { AUTO_APPROVER } from '../approval/proposal-view.js';
import { executable } from './guard.js';
import type { ExecDeps } from './ports.js';
import { executionStream, SYSTEM_EXECUTOR } from './streams.js';
import { Round, type ChunkRecord, type ExecutionRecord } from '../domain/execution.js';

export class NotExecutableError extends Error {
  override readonly name = 'NotExecutableError';
  constructor(
    message: string,
    readonly proposalId: string,
  ) {
    super(message);
  }
}

export interface Prepared {
  readonly proposalId: string;
  readonly round: Round;
  readonly chunks: readonly number[];
  readonly itemCount: number;
  readonly resumed: boolean;
}

export interface Guarded {
  readonly proposal: ProposalMeta;
  readonly round: Round;
  /** Whether an item of this proposal may be acted on in this round. */
  readonly allows: (item: Pick<ProposalItem, 'decidedBy'>) => boolean;
}

/**
 * The proposal's guard, checked again before every chunk: throws NotExecutableError when it fails.
 * While the proposal waits for people, only the items approved by configuration may run.
 */
export async function assertExecutable(deps: ExecDeps, proposalId: string): Promise<Guarded> {
  const proposal = await deps.proposals.get(proposalId);
  const verdict = executable(proposal, await deps.ballots.ballots(proposalId), deps.clock.now());
  if (!verdict.ok) throw new NotExecutableError(`proposal ${proposalId} is not executed: ${verdict.why}.`, proposalId);
  const round = verdict.autoApprovedOnly ? Round.AUTO : Round.MAIN;
  const allows = verdict.autoApprovedOnly
    ? (i: Pick<ProposalItem, 'decidedBy'>) => i.decidedBy === AUTO_APPROVER
    : () => true;
  return { proposal: proposal!, round, allows };
}

const RUNNABLE = new Set<string>([ItemState.APPROVED, ItemState.IN_FLIGHT]);

export async function prepare(deps: ExecDeps, proposalId: string, startedBy = SYSTEM_EXECUTOR): Promise<Prepared> {
  const { round, allows } = await assertExecutable(deps, proposalId);
  const existing = await deps.executions.get(proposalId, round);
  if (existing) return toPrepared(existing, true);
  const size = deps.config.execution.chunkSize;
  const ids: string[] = [];
  for await (const item of deps.proposals.runnable(proposalId))
    if (RUNNABLE.has(item.state) && allows(item)) ids.push(item.accountId);
  const chunks: ChunkRecord[] = [];
  for (let i = 0; i * size < ids.length; i++)
    chunks.push({ proposalId, round, index: i, accountIds: ids.slice(i * size, (i + 1) * size) });
  const record: ExecutionRecord = {
    proposalId,
    round,
    chunkCount: chunks.length,
    itemCount: ids.length,
    startedAt: new Date(deps.clock.now()).toISOString(),
    startedBy,
  };
  const stored = await deps.executions.create(record, chunks);
  const resumed = stored.startedAt !== record.startedAt || stored.startedBy !== record.startedBy;
  if (!resumed)
    await deps.audit.append(executionStream(proposalId), [
      {
        event: AuditEvent.EXECUTION_STARTED,
        actor: startedBy,
        proposalId,
        outcome: 'started',
        details: { round, items: ids.length, chunks: chunks.length, chunkSize: size },
      },
    ]);
  deps.logger.log('info', 'execution prepared', {
    proposalId,
    round,
    items: stored.itemCount,
    chunks: stored.chunkCount,
  });
  return toPrepared(stored, resumed);
}

function toPrepared(r: ExecutionRecord, resumed: boolean): Prepared {
  return {
    proposalId: r.proposalId,
    round: r.round,
    chunks: Array.from({ length: r.chunkCount }, (_, i) => i),
    itemCount: r.itemCount,
    resumed,
  };
}
