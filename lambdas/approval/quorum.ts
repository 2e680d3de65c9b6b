import { BallotDecision, type Ballot } from '../domain/ballot.js';

export type QuorumOutcome =
  | { readonly kind: 'pending'; readonly approvals: number; readonly needed: number }
  | { readonly kind: 'rejected'; readonly by: readonly string[] }
  | { readonly kind: 'approved'; readonly approvers: readonly string[]; readonly deselected: ReadonlySet<string> };

/**
 * Combines the approvers' ballots. The rule is deliberately the safe one:
 * - a rejection by any current approver rejects the whole proposal (a veto);
 * - otherwise the proposal is approved once `quorum` current approvers approved it, and an item
 *   runs only if every approving approver kept it selected (the intersection of their selections);
 *   an item any of them deselected is rejected.
 * Ballots of people no longer in the approvers list do not count.
 */
export function tallyBallots(ballots: readonly Ballot[], quorum: number, approvers: readonly string[]): QuorumOutcome {
  const current = ballots
    .filter((b) => approvers.includes(b.approver))
    .sort((a, b) => (a.castAt < b.castAt ? -1 : a.castAt > b.castAt ? 1 : 0));
  const rejecting = current.filter((b) => b.decision === BallotDecision.REJECT);
  if (rejecting.length > 0) return { kind: 'rejected', by: rejecting.map((b) => b.approver) };
  const approving = current.filter((b) => b.decision === BallotDecision.APPROVE);
  if (approving.length < quorum) return { kind: 'pending', approvals: approving.length, needed: quorum };
  return {
    kind: 'approved',
    approvers: approving.map((b) => b.approver),
    deselected: new Set(approving.flatMap((b) => b.deselected)),
  };
}

/**
 * Who may decide a proposal, and how many approvals it needs: the approvers it was sent to who are
 * still approvers, and the stricter of the quorum at sending and the current one. Lowering the
 * quorum or adding an approver after the mail went out never approves a proposal on its own;
 * removing an approver revokes their vote.
 */
export function quorumOf(
  proposal: { readonly sentTo?: { readonly approvers: readonly string[]; readonly quorum: number } },
  approval: { readonly approvers: readonly string[]; readonly quorum: number },
): { quorum: number; approvers: string[] } {
  const sent = proposal.sentTo;
  if (!sent) return { quorum: approval.quorum, approvers: [...approval.approvers] };
  return {
    quorum: Math.max(sent.quorum, approval.quorum),
    approvers: sent.approvers.filter((a) => approval.approvers.includes(a)),
  };
}

/** Tallies a proposal's ballots under `quorumOf`. */
export function tallyProposal(
  ballots: readonly Ballot[],
  proposal: Parameters<typeof quorumOf>[0],
  approval: Parameters<typeof quorumOf>[1],
): QuorumOutcome {
  const q = quorumOf(proposal, approval);
  return tallyBallots(ballots, q.quorum, q.approvers);
}
