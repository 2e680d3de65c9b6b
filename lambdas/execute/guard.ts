/**
 * Whether a proposal may be executed at all. Checked before every chunk, not only at the start:
 * nothing is ever called for an item of a proposal that is not approved, or of an over-cap
 * proposal that was not approved with the explicit override (DESIGN.md, "Safety rules").
 */
import type { ProposalMeta } from '../domain/index.js';
import type { Ballot } from '../domain/index.js';

export type Executable =
  /** `autoApprovedOnly`: the proposal still waits for people; only items approved by configuration may run. */
  { readonly ok: true; readonly autoApprovedOnly: boolean } | { readonly ok: false; readonly why: string };

export function executable(proposal: ProposalMeta | undefined, ballots: readonly Ballot[], nowMs: number): Executable {
  if (!proposal) return { ok: false, why: 'no such proposal' };
  if (proposal.status === 'READY' && (proposal.autoApproved ?? 0) > 0 && !proposal.suspicious && !proposal.undoOf) {
    if (proposal.expiresAt && !(nowMs < Date.parse(proposal.expiresAt)))
      return { ok: false, why: `the proposal expired at ${proposal.expiresAt} before it was decided` };
    return { ok: true, autoApprovedOnly: true };
  }
  if (proposal.status !== 'APPROVED')
    return { ok: false, why: `the proposal is ${proposal.status}, not APPROVED: nothing of it is executed` };
  if (proposal.suspicious) {
    const approvals = ballots.filter((b) => b.decision === 'approve');
    if (approvals.length === 0 || approvals.some((b) => !b.override))
      return {
        ok: false,
        why: 'the proposal is over the caps and was not approved with the explicit override by every approver who approved it',
      };
  }
  if (!proposal.decidedAt) return { ok: false, why: 'the proposal has no decision time: it was never decided' };
  const decided = Date.parse(proposal.decidedAt);
  if (Number.isNaN(decided))
    return { ok: false, why: `the decision time ${JSON.stringify(proposal.decidedAt)} does not parse` };
  if (proposal.expiresAt && Number.isNaN(Date.parse(proposal.expiresAt)))
    return { ok: false, why: `the deadline ${JSON.stringify(proposal.expiresAt)} does not parse` };
  if (proposal.expiresAt && decided > Date.parse(proposal.expiresAt))
    return {
      ok: false,
      why: `the decision (${proposal.decidedAt}) came after the proposal expired (${proposal.expiresAt})`,
    };
  if (decided > nowMs) return { ok: false, why: `the decision time ${proposal.decidedAt} is in the future` };
  return { ok: true, autoApprovedOnly: false };
}
