import { BallotDecision, type Ballot } from '../store/tokens.js';

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
  const current = ballots.filter((b) => approvers.includes(b.approver)).sort((a, b) => (a.castAt < b.castAt ? -1 : a.castAt > b.castAt ? 1 : 0));
  const rejecting = current.filter((b) => b.decision === BallotDecision.REJECT);
  if (rejecting.length > 0) return { kind: 'rejected', by: rejecting.map((b) => b.approver) };
  const approving = current.filter((b) => b.decision === BallotDecision.APPROVE);
  if (approving.length < quorum) return { kind: 'pending', approvals: approving.length, needed: quorum };
  return { kind: 'approved', approvers: approving.map((b) => b.approver), deselected: new Set(approving.flatMap((b) => b.deselected)) };
}
