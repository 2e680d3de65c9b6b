import type { Config } from '../config/index.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { AuditLog } from '../store/audit-log.js';
import type { ItemState } from '../store/item-states.js';
import type { ProposalItem, ProposalMeta, ProposalStatus } from '../store/proposal-types.js';
import type { RunRecord } from '../store/runs.js';
import type { ApprovalToken, Ballot } from '../store/tokens.js';

export interface MailAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Uint8Array;
}

export interface MailMessage {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly attachments?: readonly MailAttachment[];
}

/** Sends one message (SesMailer: SES v2 SendEmail). */
export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
}

/**
 * The seam to execution (built by a later issue). `start` is called when items of a proposal
 * become APPROVED: once when the approvers' quorum approves the proposal, and, when the
 * configuration auto-approves some action kinds, once when the proposal is sent (for those items,
 * while the rest waits for people). An implementation acts only on items in state APPROVED and
 * moves them forward by conditional writes, so the second call never repeats the first one's work.
 */
export interface ExecutionStarter {
  start(proposalId: string): Promise<void>;
}

/** What the approval step reads and changes of proposals (DynamoProposalStore implements it). */
export interface ProposalAccess {
  get(proposalId: string): Promise<ProposalMeta | undefined>;
  items(proposalId: string): AsyncIterable<ProposalItem>;
  setStatus(
    proposalId: string,
    from: readonly ProposalStatus[],
    to: ProposalStatus,
    fields?: Partial<ProposalMeta>,
  ): Promise<void>;
  moveItem(
    proposalId: string,
    accountId: string,
    to: ItemState,
    fields?: { decidedBy?: string; note?: string },
  ): Promise<void>;
}

/** Proposals the hourly sweep looks at. */
export interface OpenProposals {
  /** READY proposals (for expiry). */
  ready(orgId: string): AsyncIterable<ProposalMeta>;
  /** Decided proposals whose items were not all moved yet (an interrupted decision). */
  unsettled(orgId: string): AsyncIterable<ProposalMeta>;
}

/** Review-link tokens and ballots (DynamoTokenStore implements it). */
export interface TokenStore {
  put(token: ApprovalToken): Promise<void>;
  get(tokenHash: string): Promise<ApprovalToken | undefined>;
  castBallot(tokenHash: string, ballot: Ballot, nowEpochSeconds: number): Promise<void>;
  ballots(proposalId: string): Promise<Ballot[]>;
}

/** The plan's run record, for the seat count taken by the run that built the proposal. */
export interface RunSummaries {
  get(runId: string): Promise<Pick<RunRecord, 'summary'> | undefined>;
}

export interface ApprovalDeps {
  readonly config: Config;
  readonly proposals: ProposalAccess;
  readonly tokens: TokenStore;
  readonly openProposals: OpenProposals;
  readonly runs: RunSummaries;
  readonly mailer: Mailer;
  readonly audit: Pick<AuditLog, 'append' | 'appendOwned'>;
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * Starts execution of approved items.
   * @default none: decisions are recorded and audited, and a warning says no executor is wired
   */
  readonly execution?: ExecutionStarter;
}
