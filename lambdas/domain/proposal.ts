import type { ActionKind } from '../config/actions.js';
import type { ItemState } from './item-states.js';

export const ProposalStatus = {
  /** Items are being written; never sent, never executed. */
  BUILDING: 'BUILDING',
  /** Complete and waiting for a decision. */
  READY: 'READY',
  /** The plan that built it failed or was superseded; never sent, never executed. */
  ABANDONED: 'ABANDONED',
  /** The plan found nothing to propose: closed at once, nothing to send or decide. */
  EMPTY: 'EMPTY',
  /** The approvers' quorum approved it (all of it or a subset): its APPROVED items go to execution. */
  APPROVED: 'APPROVED',
  /** An approver rejected it, or every item was deselected: nothing is executed. */
  REJECTED: 'REJECTED',
  /** Not decided before `expiresAt`: never executed. */
  EXPIRED: 'EXPIRED',
} as const;
export type ProposalStatus = (typeof ProposalStatus)[keyof typeof ProposalStatus];

export interface ProposalMeta {
  readonly proposalId: string;
  readonly runId: string;
  readonly orgId: string;
  readonly status: ProposalStatus;
  readonly createdAt: string;
  readonly completedAt?: string;
  /** Items per action kind. */
  readonly counts?: Partial<Record<ActionKind, number>>;
  readonly itemCount?: number;
  /** Managed accounts read by the plan (for the % cap and the email). */
  readonly managedCount?: number;
  /** sha256 over the sorted items (account, action): approvals are bound to it. */
  readonly contentHash?: string;
  readonly suspicious?: boolean;
  readonly suspiciousReasons?: readonly string[];
  readonly abandonedReason?: string;
  /** ISO 8601 time the proposal email went out (set once, by the approval step). */
  readonly sentAt?: string;
  /** The current send attempt: only links it issued work, and none decides before `sentAt` is set. */
  readonly sendId?: string;
  /** The approvers and quorum in force when the proposal was sent: a later configuration change can tighten, never loosen, them. */
  readonly sentTo?: { readonly approvers: readonly string[]; readonly quorum: number };
  /** ISO 8601 time every item move of the decision was applied (absent: the decision still needs applying). */
  readonly settledAt?: string;
  /**
   * ISO 8601 deadline for a decision; an undecided proposal becomes EXPIRED after it. A string on
   * purpose: `expiresAt` is the State table's TTL attribute, and DynamoDB TTL only deletes items
   * whose attribute is a Number, so the proposal itself is never deleted by TTL.
   */
  readonly expiresAt?: string;
  /** ISO 8601 time the proposal was approved, rejected or expired. */
  readonly decidedAt?: string;
  /** Who decided: approver emails (comma-separated), `system:auto-approve` or `system:expiry`. */
  readonly decidedBy?: string;
  /** Items approved without a human at send time (action kinds in `approval.autoApprove`). */
  readonly autoApproved?: number;
  /** Outcome counts of the last finished execution round. */
  readonly executionOutcome?: {
    readonly done: number;
    readonly failed: number;
    readonly skipped: number;
    readonly handedOff: number;
    readonly waiting: number;
  };
  /** ISO 8601 time the last execution round finished. */
  readonly executedAt?: string;
  /** An undo proposal: the proposal whose executed changes it reverses. */
  readonly undoOf?: string;
}

export interface ProposalItem {
  readonly proposalId: string;
  readonly accountId: string;
  readonly email?: string;
  readonly name?: string;
  readonly action: ActionKind;
  readonly reason: string;
  readonly summary: string;
  readonly evidence: Record<string, unknown>;
  readonly state: ItemState;
  readonly updatedAt: string;
  readonly decidedBy?: string;
  readonly note?: string;
  /** Execution: skip reason, HANDED_OFF, or the API's error key. */
  readonly outcomeCode?: string;
  readonly outcomeMessage?: string;
  readonly executedAt?: string;
  /** Warn-before: not acted on before this ISO time. */
  readonly notBefore?: string;
  readonly warnedAt?: string;
}
