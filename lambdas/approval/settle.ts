import pLimit from 'p-limit';
import { AuditEvent } from '../domain/audit.js';
import { StateConflictError } from '../domain/errors.js';
import { ItemState } from '../domain/item-states.js';
import { ProposalStatus, type ProposalItem, type ProposalMeta } from '../domain/proposal.js';
import { approverActor, auditStep, itemEntries } from './audit-entries.js';
import type { ApprovalDeps } from './ports.js';
import type { QuorumOutcome } from './quorum.js';

export type Settlement =
  | { readonly kind: 'pending'; readonly approvals: number; readonly needed: number }
  | { readonly kind: 'approved'; readonly approved: number; readonly rejected: number; readonly by: readonly string[] }
  | { readonly kind: 'rejected'; readonly rejected: number; readonly by: readonly string[]; readonly why: string }
  /** Someone else moved the proposal first (a concurrent ballot, or expiry). */
  | { readonly kind: 'already-decided'; readonly status: string | undefined };

/**
 * Moves items forward; an item already in the target state (a retried settle) is fine. Every move
 * is attempted even when one fails; the first failure is thrown after all have finished, so the
 * caller never leaves writes running unawaited.
 */
export async function moveAll(
  deps: ApprovalDeps,
  items: readonly ProposalItem[],
  to: ItemState,
  decidedBy: string,
): Promise<void> {
  const limit = pLimit(8);
  const results = await Promise.allSettled(
    items.map((i) =>
      limit(async () => {
        try {
          await deps.proposals.moveItem(i.proposalId, i.accountId, to, { decidedBy });
        } catch (err) {
          if (!(err instanceof StateConflictError) || err.actual !== to) throw err;
        }
      }),
    ),
  );
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) {
    throw new Error(
      `${failed.length} of ${items.length} item(s) could not be moved to ${to} (first: ${(failed[0]!.reason as Error).message}); the hourly sweep applies the decision again.`,
      { cause: failed[0]!.reason },
    );
  }
}

/** Marks a decided proposal as fully applied to its items (the sweep skips it from then on). */
export async function markSettled(deps: ApprovalDeps, proposalId: string, status: ProposalStatus): Promise<void> {
  await deps.proposals.setStatus(proposalId, [status], status, { settledAt: new Date(deps.clock.now()).toISOString() });
}

/**
 * Applies a quorum outcome to a READY proposal. The conditional status change comes first and is
 * the commit point: of two approvers completing the quorum at once only one moves the items. The
 * decision is audited next, then the items move, then the proposal is marked settled and
 * execution starts. An interruption after the commit point leaves items PROPOSED under a decided
 * proposal, which execution never touches; the hourly sweep (`applyUnsettled`) finishes the job.
 */
export async function settle(
  deps: ApprovalDeps,
  proposal: ProposalMeta,
  pending: readonly ProposalItem[],
  outcome: QuorumOutcome,
): Promise<Settlement> {
  if (outcome.kind === 'pending') return outcome;
  const id = proposal.proposalId;
  const at = new Date(deps.clock.now()).toISOString();
  const keep = outcome.kind === 'approved' ? pending.filter((i) => !outcome.deselected.has(i.accountId)) : [];
  const drop = outcome.kind === 'approved' ? pending.filter((i) => outcome.deselected.has(i.accountId)) : pending;
  const by = outcome.kind === 'approved' ? outcome.approvers : outcome.by;
  const approve = keep.length > 0;
  const status = approve ? ProposalStatus.APPROVED : ProposalStatus.REJECTED;
  const why = outcome.kind === 'rejected' ? 'rejected by an approver' : 'every item was deselected';
  try {
    await deps.proposals.setStatus(id, [ProposalStatus.READY], status, { decidedAt: at, decidedBy: by.join(',') });
  } catch (err) {
    if (!(err instanceof StateConflictError)) throw err;
    return { kind: 'already-decided', status: err.actual };
  }
  const actor = approverActor(by);
  await auditStep(
    deps,
    'DECISION',
    id,
    [
      ...itemEntries(AuditEvent.APPROVED, actor, keep, 'approved'),
      ...itemEntries(AuditEvent.REJECTED, actor, drop, approve ? 'deselected' : 'rejected'),
    ],
    [
      {
        event: approve ? AuditEvent.APPROVED : AuditEvent.REJECTED,
        actor,
        proposalId: id,
        outcome: approve ? 'approved' : 'rejected',
        details: { approved: keep.length, rejected: drop.length, by, ...(!approve && { why }) },
      },
    ],
  );
  await moveAll(deps, keep, ItemState.APPROVED, by.join(','));
  await moveAll(deps, drop, ItemState.REJECTED, by.join(','));
  await markSettled(deps, id, status);
  deps.logger.log('info', approve ? 'approval.approved' : 'approval.rejected', {
    proposalId: id,
    approved: keep.length,
    rejected: drop.length,
    approvers: by.length,
  });
  if (approve) await startExecution(deps, id);
  return approve
    ? { kind: 'approved', approved: keep.length, rejected: drop.length, by }
    : { kind: 'rejected', rejected: drop.length, by, why };
}

/** Hands approved items to execution, or says plainly that no executor is wired. */
export async function startExecution(deps: ApprovalDeps, proposalId: string): Promise<void> {
  if (!deps.execution) {
    deps.logger.log('warn', 'approval.no-executor', {
      proposalId,
      message: 'approved items wait: no ExecutionStarter is wired into the approval service',
    });
    return;
  }
  await deps.execution.start(proposalId);
}
