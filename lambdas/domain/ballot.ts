/**
 * One approver's review link for one proposal. Only the sha256 of the random token is stored, so a
 * read of the table (or a backup) yields no usable link.
 */
export interface ApprovalToken {
  /** sha256 hex of the raw token. */
  readonly tokenHash: string;
  readonly proposalId: string;
  /** The approver (email) the link was sent to. */
  readonly approver: string;
  /** The proposal's content hash when the link was sent: a changed proposal refuses the link. */
  readonly contentHash: string;
  readonly issuedAt: string;
  /** Epoch seconds; the State table's TTL attribute, so DynamoDB deletes spent links eventually. */
  readonly expiresAt: number;
  /** Set once, when the link casts its ballot. */
  readonly usedAt?: string;
  /** The send attempt that issued the link (ProposalMeta.sendId): a link of another attempt refuses. */
  readonly sendId?: string;
  /** Set when the link was withdrawn because its send failed: it refuses from then on. */
  readonly revokedAt?: string;
}

/**
 * A person's signed single-use "keep my account" link (warn-before). Stored apart from review
 * links (another sort key), so it can never be presented as one; only its sha256 is stored.
 */
export interface KeepToken {
  readonly tokenHash: string;
  readonly proposalId: string;
  readonly accountId: string;
  readonly issuedAt: string;
  /** Epoch seconds: the deactivation date; the link works until then. Also the table's TTL attribute. */
  readonly expiresAt: number;
  /** Set once, when the link kept the account. */
  readonly usedAt?: string;
}

/**
 * An approver's signed single-use "ask to undo" link, in the results mail of an execution: it
 * proposes reversing executed changes, as a new proposal the approvers decide. Stored under its own
 * sort key, like the keep link.
 */
export interface UndoToken {
  readonly tokenHash: string;
  readonly proposalId: string;
  readonly approver: string;
  readonly issuedAt: string;
  /** Epoch seconds (also the table's TTL attribute). */
  readonly expiresAt: number;
  readonly usedAt?: string;
}

/** The single-use links other than review links, by kind. */
export interface LinkTokens {
  readonly KEEP: KeepToken;
  readonly UNDO: UndoToken;
}
export type LinkKind = keyof LinkTokens;

/**
 * The AWS identity whose credentials ran an operator's command (STS GetCallerIdentity), recorded
 * beside the email the operator typed. Only commands run against AWS have one.
 */
export interface AwsCaller {
  readonly arn: string;
  readonly account: string;
  readonly userId: string;
}

export const BallotDecision = { APPROVE: 'approve', REJECT: 'reject' } as const;
export type BallotDecision = (typeof BallotDecision)[keyof typeof BallotDecision];

/** One approver's decision on one proposal (at most one per approver and proposal). */
export interface Ballot {
  readonly proposalId: string;
  readonly approver: string;
  readonly decision: BallotDecision;
  /** Pending items the approver deselected (approve only); every other pending item was kept. */
  readonly deselected: readonly string[];
  /** The approver ticked the over-cap override. */
  readonly override: boolean;
  readonly castAt: string;
  /** Short prefix of the token hash, to tie the ballot to its link without storing the link. */
  readonly tokenRef: string;
  /**
   * Who signed in to cast it (approver sign-in on): the Entra object id (`oid`) and the username.
   * Absent when sign-in is off (the link alone decided).
   */
  readonly signedIn?: { readonly oid: string; readonly username?: string };
  /** Who ran the command, by their AWS credentials (a `lifecycle approve|reject` against AWS); absent locally. */
  readonly awsCaller?: AwsCaller;
}

/** Why a review link cannot cast a ballot. */
export const SpentReason = {
  MISSING: 'missing',
  USED: 'used',
  EXPIRED: 'expired',
  ALREADY_DECIDED: 'already-decided',
  CONFLICT: 'conflict',
  /** The link was withdrawn (its send failed). */
  REVOKED: 'revoked',
  /** The signed-in person (Entra oid) already decided on the proposal with another approver's link. */
  SAME_PERSON: 'same-person',
} as const;
export type SpentReason = (typeof SpentReason)[keyof typeof SpentReason];
