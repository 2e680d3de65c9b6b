import type { ActionKind } from '../config/actions.js';
import type { ItemState } from './item-states.js';

export const ProposalStatus = {
  /** Items are being written; never sent, never executed. */
  BUILDING: 'BUILDING',
  /** Complete and waiting for a decision. */
  READY: 'READY',
  /** The plan that built it failed or was superseded; never sent, never executed. */
  ABANDONED: 'ABANDONED',
} as const;
export type ProposalStatus = (typeof ProposalStatus)[keyof typeof ProposalStatus] | string;

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
}
