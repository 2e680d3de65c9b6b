/** What the audit log records (DESIGN.md: every event, with time, actor, run, account, action, outcome). */
export const AuditEvent = {
  PLAN_STARTED: 'PLAN_STARTED',
  PLAN_FINISHED: 'PLAN_FINISHED',
  PLAN_FAILED: 'PLAN_FAILED',
  PLAN_DRY_RUN: 'PLAN_DRY_RUN',
  SAFETY_ALERT: 'SAFETY_ALERT',
  ITEM_PROPOSED: 'ITEM_PROPOSED',
  ACCOUNT_EXCLUDED: 'ACCOUNT_EXCLUDED',
  PROPOSAL_SENT: 'PROPOSAL_SENT',
  /** A review link was stored for one approver (before it is mailed): its hash prefix, never the token. */
  LINK_ISSUED: 'LINK_ISSUED',
  /** A review link was withdrawn (its send failed); it refuses from then on. */
  LINK_REVOKED: 'LINK_REVOKED',
  APPROVED: 'APPROVED',
  REJECTED: 'REJECTED',
  EXPIRED: 'EXPIRED',
  DECISION_REFUSED: 'DECISION_REFUSED',
  /** One approver's decision (a ballot), before or at the quorum. */
  DECISION_RECORDED: 'DECISION_RECORDED',
  EXECUTION_STARTED: 'EXECUTION_STARTED',
  EXECUTION_FINISHED: 'EXECUTION_FINISHED',
  EXECUTION_FAILED: 'EXECUTION_FAILED',
  /** Warn-before: the person was mailed that their account will be deactivated. */
  WARNING_SENT: 'WARNING_SENT',
  /** The person followed their "keep my account" link. */
  ACCOUNT_KEPT: 'ACCOUNT_KEPT',
  /** Someone asked to reverse executed changes of this proposal (the undo proposal is in the details). */
  UNDO_REQUESTED: 'UNDO_REQUESTED',
  /** An item was not acted on after the re-check (the reason is the outcome). */
  SKIPPED: 'SKIPPED',
  /** A SCIM-synced account handed to the Entra admin. */
  HANDED_OFF: 'HANDED_OFF',
  INTENT: 'INTENT',
  RESULT: 'RESULT',
  ERROR: 'ERROR',
} as const;
export type AuditEvent = (typeof AuditEvent)[keyof typeof AuditEvent];

/** One event, as the core hands it to the log. */
export interface AuditEntry {
  readonly event: AuditEvent;
  /** Who did it: `system:plan`, `approver:alice@example.com`, ... */
  readonly actor: string;
  readonly runId?: string;
  readonly proposalId?: string;
  readonly accountId?: string;
  readonly action?: string;
  readonly outcome?: string;
  /** Small, secret-free details (reason, evidence summary, error message). */
  readonly details?: Record<string, unknown>;
}

/** A stored record: the entry plus its place in the hash chain. */
export interface AuditRecord extends AuditEntry {
  readonly stream: string;
  readonly seq: number;
  /** ISO 8601 time of the event. */
  readonly at: string;
  /** YYYY-MM-DD (UTC) of `at`, for the by-day index. */
  readonly day: string;
  readonly prevHash: string;
  readonly hash: string;
}

export interface ChainVerdict {
  readonly stream: string;
  readonly records: number;
  readonly ok: boolean;
  /** First problem found: a gap in seq, a broken link, or a record whose hash does not match. */
  readonly problem?: { readonly seq: number; readonly kind: 'gap' | 'link' | 'hash'; readonly message: string };
}

/** A change the audit table's change stream reports (DynamoDB Streams, NEW_AND_OLD_IMAGES). */
export interface AuditChange {
  /** The stream event's id: unique per change, so a redelivered change is stored once. */
  readonly eventId: string;
  readonly kind: 'INSERT' | 'MODIFY' | 'REMOVE';
  /** ISO time DynamoDB recorded the change. */
  readonly at: string;
  readonly newRecord?: AuditRecord;
  readonly oldRecord?: AuditRecord;
}

/** Kept when a stored record was changed, removed or written over: the evidence of tampering. */
export interface TamperEvidence {
  readonly stream: string;
  readonly seq: number;
  readonly eventId: string;
  readonly kind: 'MODIFY' | 'REMOVE' | 'REWRITE';
  readonly at: string;
  /** What the archive holds for that place (the original). */
  readonly archived?: AuditRecord;
  readonly oldRecord?: AuditRecord;
  readonly newRecord?: AuditRecord;
}
