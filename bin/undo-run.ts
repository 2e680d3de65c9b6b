/**
 * `lifecycle undo`: reverses executed changes of a proposal as a new small undo proposal. With
 * `--operator EMAIL` the operator approves it (recorded as the decider) and it is executed at once
 * by the same engine as `lifecycle execute`; with `--propose` it is mailed to the approvers and
 * needs their approval like any proposal.
 */
import type { ProposalMeta } from '../lambdas/domain/index.js';
import { approveAsOperator, proposeUndo, UndoError, type ExecDeps, type UndoDeps } from '../lambdas/execute/index.js';
import { executeProposal, type ExecuteOutcome } from './execute-run.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type UndoMode =
  | { readonly kind: 'operator'; readonly operator: string }
  | { readonly kind: 'propose'; readonly requestedBy: string; readonly send: (p: ProposalMeta) => Promise<unknown> };

export interface UndoRun {
  readonly proposal: ProposalMeta;
  readonly created: boolean;
  readonly items: number;
  /** Operator mode: the execution's outcome. */
  readonly executed?: ExecuteOutcome;
}

export async function runUndo(
  deps: { exec: ExecDeps; undo: UndoDeps },
  sourceProposalId: string,
  accountIds: readonly string[] | undefined,
  mode: UndoMode,
  progress: (line: string) => void = () => undefined,
): Promise<UndoRun> {
  if (mode.kind === 'operator' && !EMAIL.test(mode.operator))
    throw new UndoError(
      `--operator must be your email address (it is recorded as the one who approved the undo), got "${mode.operator}".`,
    );
  const requestedBy = mode.kind === 'operator' ? `operator:${mode.operator}` : mode.requestedBy;
  const undo = await proposeUndo(deps.undo, {
    sourceProposalId,
    requestedBy,
    ...(accountIds && accountIds.length > 0 && { accountIds }),
  });
  const id = undo.proposal.proposalId;
  progress(
    `${undo.created ? 'proposed' : 'found the earlier'} undo proposal ${id}: ${undo.items.length} item(s), status ${undo.proposal.status}`,
  );
  if (mode.kind === 'propose') {
    await mode.send(undo.proposal);
    progress(`mailed to the approvers for a decision; once approved it is executed like any proposal`);
    return { proposal: undo.proposal, created: undo.created, items: undo.items.length };
  }
  const approved = await approveAsOperator(deps.undo, id, mode.operator);
  progress(`approved by operator:${mode.operator} (recorded in the audit log)`);
  const executed = await executeProposal(deps.exec, id, { progress, startedBy: `operator:${mode.operator}` });
  return { proposal: approved, created: undo.created, items: undo.items.length, executed };
}
