import type { Config } from '../config/index.js';
import type { AuditRecord } from '../domain/audit.js';
import type { RunRecord } from '../domain/run.js';
import type { AuditLog, ExecutionStarter, Mailer, OpenProposals, ProposalStore, TokenStore } from '../domain/ports.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { MailRequest } from './mail-requests.js';
import type { SignInDeps } from './signin/index.js';

/** What the approval step reads and changes of proposals. */
export type ProposalAccess = Pick<
  ProposalStore,
  'get' | 'items' | 'item' | 'setStatus' | 'moveItem' | 'moveItemFrom' | 'create' | 'putItems'
>;

/** Withdrawing the review links of a failed send (DynamoTokenStore.revoke). */
export interface LinkRevocation {
  /** Marks the link withdrawn; false when no such link exists. */
  revoke(tokenHash: string, at: string): Promise<boolean>;
}

/** Reads of audit streams (the sweep checks which records an interrupted decision left out). */
export interface AuditTrail {
  /** One stream's records in order, read consistently. */
  stream(name: string): AsyncIterable<AuditRecord>;
}

/** The plan's run record, for the seat count taken by the run that built the proposal. */
export interface RunSummaries {
  get(runId: string): Promise<Pick<RunRecord, 'summary'> | undefined>;
}

/**
 * Where the review site's mail goes (mail-requests.ts): a request with ids only. On AWS the site's
 * adapter invokes the mailer function; locally the request is fulfilled in process.
 */
export interface MailRequests {
  request(req: MailRequest): Promise<void>;
}

export interface ApprovalDeps {
  readonly config: Config;
  readonly proposals: ProposalAccess;
  readonly tokens: TokenStore & LinkRevocation;
  readonly openProposals: OpenProposals;
  readonly runs: RunSummaries;
  readonly mailer: Mailer;
  readonly audit: Pick<AuditLog, 'append' | 'appendOwned'>;
  readonly auditTrail: AuditTrail;
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * Starts execution of approved items.
   * @default none: decisions are recorded and audited, and a warning says no executor is wired
   */
  readonly execution?: ExecutionStarter;
  /**
   * Mail the review site asks for (an undo proposal, a keep notice).
   * @default fulfilled in process with these dependencies (fulfilMailRequest)
   */
  readonly mailRequests?: MailRequests;
  /**
   * How approvers sign in (`approval.signIn`): where its client secret comes from.
   * @default none: with sign-in required, every review link fails closed with a setup error
   */
  readonly signIn?: SignInDeps;
}
