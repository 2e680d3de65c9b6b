import type { AuditEntry, AuditRecord, TamperEvidence } from './audit.js';
import type { ApprovalToken, Ballot, LinkKind, LinkTokens } from './ballot.js';
import type { ItemState } from './item-states.js';
import type { ProposalItem, ProposalMeta, ProposalStatus } from './proposal.js';
import type { RunRecord } from './run.js';
import type { SeatSnapshot } from './snapshot.js';

/**
 * The ports every use case talks through. Each holds only the methods some core calls; the
 * DynamoDB adapters in store/ implement them, a use case narrows them with Pick in its own ports.ts.
 */

/** The audit port: append-only, hash-chained streams (one per run or proposal). */
export interface AuditLog {
  /** Appends in order; safe when several writers share the stream (conflicts are retried). */
  append(stream: string, entries: readonly AuditEntry[]): Promise<AuditRecord[]>;
  /** Appends many records in parallel; only for a stream this writer owns alone (a run's own stream). */
  appendOwned(stream: string, entries: readonly AuditEntry[]): Promise<AuditRecord[]>;
}

/** What archiving a record did: stored it, or found its place taken (by `existing`). */
export type ArchivePut = { stored: true } | { stored: false; existing: AuditRecord };

/**
 * The audit archive: a copy of every audit record outside its writers' reach (S3 Object Lock in
 * compliance mode on AWS, a write-once directory locally). Nothing in it is ever overwritten.
 */
export interface AuditArchive {
  /** Stores a record under its (stream, seq) unless that place holds one: then returns the one there. */
  putRecord(record: AuditRecord): Promise<ArchivePut>;
  /**
   * putRecord for a whole batch, one answer per record in order (a place given twice in the batch:
   * the second answer is the first record). The S3 archive writes one object per stream of the batch.
   */
  putRecords(records: readonly AuditRecord[]): Promise<ArchivePut[]>;
  putTamper(evidence: TamperEvidence): Promise<void>;
  /** The archived records of one stream, in seq order. */
  records(stream: string): AsyncIterable<AuditRecord>;
  /** Tamper evidence kept for one stream. */
  tampering(stream: string): AsyncIterable<TamperEvidence>;
}

/** A lease-based lock: two overlapping runs cannot both proceed. Raises LockHeldError. */
export interface LockStore {
  /**
   * Takes the lock, renews it for `holder`, or takes over a lapsed lease. `takeOverFrom`: a holder
   * whose id starts with it is an earlier, dead delivery of the same run (a retry comes only after
   * the invocation ended), so its lease is taken over at once.
   */
  acquire(name: string, holder: string, leaseMs: number, options?: { takeOverFrom?: string }): Promise<void>;
  release(name: string, holder: string): Promise<void>;
}

/** Proposals and their items. State changes are conditional and raise StateConflictError. */
export interface ProposalStore {
  /** Creates a proposal unless one with this id exists; returns the existing one then. */
  create(meta: ProposalMeta): Promise<{ created: boolean; proposal: ProposalMeta }>;
  get(proposalId: string): Promise<ProposalMeta | undefined>;
  /** Writes items (idempotent puts). Only while the proposal is BUILDING. */
  putItems(items: readonly ProposalItem[]): Promise<unknown>;
  /** Moves the proposal's status from one of `from` to `to`, with extra fields. */
  setStatus(
    proposalId: string,
    from: readonly ProposalStatus[],
    to: ProposalStatus,
    fields?: Partial<ProposalMeta>,
  ): Promise<void>;
  /** Every item of a proposal, page by page. */
  items(proposalId: string): AsyncIterable<ProposalItem>;
  item(proposalId: string, accountId: string): Promise<ProposalItem | undefined>;
  /** Moves one item forward to `to`, only from a state allowed to precede it (item-states.ts). */
  moveItem(
    proposalId: string,
    accountId: string,
    to: ItemState,
    fields?: { decidedBy?: string; note?: string },
  ): Promise<void>;
  /** Moves one item to `to` only if it is in `from` now (a narrower condition than moveItem's). */
  moveItemFrom(
    proposalId: string,
    accountId: string,
    from: ItemState,
    to: ItemState,
    fields?: { decidedBy?: string; note?: string; outcomeCode?: string; outcomeMessage?: string; executedAt?: string },
  ): Promise<void>;
}

/** Proposals the hourly sweep looks at. */
export interface OpenProposals {
  /** READY proposals (for expiry). */
  ready(orgId: string): AsyncIterable<ProposalMeta>;
  /** Decided proposals whose items were not all moved yet (an interrupted decision). */
  unsettled(orgId: string): AsyncIterable<ProposalMeta>;
}

/** Run records: one per delivery of a scheduled job, with its checkpoint. */
export interface RunStore {
  get(runId: string): Promise<RunRecord | undefined>;
  /**
   * Starts attempt `record.attempt`; raises StateConflictError if another attempt got further.
   * With `first`, also the first record of the attempt's audit stream, in one step: both or neither.
   */
  start(record: RunRecord, first?: { stream: string; entry: AuditEntry }): Promise<void>;
  update(runId: string, fields: Partial<Omit<RunRecord, 'runId'>>): Promise<void>;
}

/** Guard seat snapshots. */
export interface SeatStore {
  put(snapshot: SeatSnapshot): Promise<void>;
  /** Snapshots of an org taken in [from, to) (ISO strings), oldest first. */
  range(orgId: string, from: string, to: string): AsyncIterable<SeatSnapshot>;
  /** The latest snapshot of an org taken before `before` (ISO string). */
  latest(orgId: string, before: string): Promise<SeatSnapshot | undefined>;
}

/** Review-link tokens and the ballots they cast. */
export interface TokenStore {
  put(token: ApprovalToken): Promise<void>;
  get(tokenHash: string): Promise<ApprovalToken | undefined>;
  /** Spends the token and records its ballot at once; raises TokenSpentError saying why not. */
  castBallot(tokenHash: string, ballot: Ballot, nowEpochSeconds: number): Promise<void>;
  ballots(proposalId: string): Promise<Ballot[]>;
  /** Stores a fresh keep or undo link (only its hash). */
  putLink<K extends LinkKind>(kind: K, token: LinkTokens[K]): Promise<void>;
  getLink<K extends LinkKind>(kind: K, tokenHash: string): Promise<LinkTokens[K] | undefined>;
  /** Marks a keep or undo link used; false when it was used already (conditional). */
  spendLink(kind: LinkKind, tokenHash: string, at: string): Promise<boolean>;
}

export interface MailAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Uint8Array;
  /**
   * `inline`: shown in the HTML where it says `cid:{contentId}` (a chart Outlook and Gmail render;
   * a data: URL they would block). @default attachment
   */
  readonly disposition?: 'inline' | 'attachment';
  /** Required for inline parts: the id the HTML refers to (without `cid:`). */
  readonly contentId?: string;
}

export interface MailMessage {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly attachments?: readonly MailAttachment[];
}

/** Sends one message (the SES mailer in mail/ implements it). */
export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
}

/**
 * The seam from approval to execution. `start` is called when items of a proposal become
 * APPROVED: once when the approvers' quorum approves the proposal, and, when the configuration
 * auto-approves some action kinds, once when the proposal is sent (for those items, while the rest
 * waits for people). An implementation acts only on items in state APPROVED and moves them forward
 * by conditional writes, so the second call never repeats the first one's work.
 */
export interface ExecutionStarter {
  start(proposalId: string): Promise<void>;
}
