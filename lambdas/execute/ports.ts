/** What execution reads and changes, as the minimum set of methods it calls (STYLE.md, "Ports"). */
import type { ManagedAccount, PolicyAssignment, TaskOutcome } from '../atlassian/types.js';
import type { Config } from '../config/index.js';
import type { EntraDirectory } from '../entra/index.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { AuditLog } from '../domain/index.js';
import type { ProposalStore } from '../domain/ports.js';
import type { ItemState } from '../domain/index.js';
import type { ProposalItem, ProposalMeta } from '../domain/index.js';
import type { Ballot } from '../domain/index.js';
import type { ExecutionStore } from '../domain/execution.js';

/** Atlassian, as execution uses it: bulk re-reads and the write calls (AtlassianClient implements it). */
export interface OrgWriter {
  /** v2 search by exact emails (100 per request). */
  accountsByEmail(emails: readonly string[]): Promise<ManagedAccount[]>;
  /** v2 search by account ids (10 per request): for accounts whose email is hidden. */
  accountsById(accountIds: readonly string[]): Promise<ManagedAccount[]>;
  /** Policy bulk-fetch (100 per request). */
  policyAssignments(accountIds: readonly string[]): Promise<PolicyAssignment[]>;
  /** The org's admins (users search by role, 100 per request): an admin is never touched, whatever the listing shows. */
  orgAdminIds(): Promise<Set<string>>;
  disable(accountId: string, message?: string): Promise<void>;
  enable(accountId: string): Promise<void>;
  suspend(accountId: string): Promise<void>;
  restore(accountId: string): Promise<void>;
  addUsersToPolicy(policyId: string, emails: readonly string[]): Promise<string>;
  waitForTask(taskId: string, requested: readonly string[]): Promise<TaskOutcome>;
}

/** Extra fields an item carries once execution has touched it (see ProposalItem). */
export type ItemExecutionFields = Partial<
  Pick<ProposalItem, 'note' | 'outcomeCode' | 'outcomeMessage' | 'executedAt' | 'notBefore' | 'warnedAt'>
>;

export interface ExecProposals extends Pick<ProposalStore, 'get' | 'items' | 'setStatus'> {
  /** The items still to act on (APPROVED or IN_FLIGHT), filtered in the store, with the fields the split needs. */
  runnable(proposalId: string): AsyncIterable<Pick<ProposalItem, 'accountId' | 'state' | 'decidedBy'>>;
  /** Every item but the undecided (PROPOSED) ones, filtered in the store. */
  decidedItems(proposalId: string): AsyncIterable<ProposalItem>;
  /** Items by account id (BatchGetItem); missing ones are left out. */
  itemsByIds(proposalId: string, accountIds: readonly string[]): Promise<ProposalItem[]>;
  moveItem(proposalId: string, accountId: string, to: ItemState, fields?: ItemExecutionFields): Promise<void>;
  /** Sets fields on an item without moving it (only while it is in `state`). */
  annotateItem(proposalId: string, accountId: string, state: ItemState, fields: ItemExecutionFields): Promise<void>;
}

export interface Ballots {
  ballots(proposalId: string): Promise<Ballot[]>;
}

/** The mails of execution: warnings to people, results and alerts to approvers. */
export interface ExecMail {
  /** Warn-before: tells a person their account will be deactivated after `notBefore`. */
  warn(item: ProposalItem, notBefore: string, keepUrl: string | undefined): Promise<void>;
  results(proposal: ProposalMeta, items: readonly ProposalItem[], finishedAt: number): Promise<void>;
  alert(proposalId: string, reasons: readonly string[], at: number): Promise<void>;
}

/** Issues the signed single-use "keep my account" link for one item (the approval token store). */
export type KeepLinkIssuer = (item: ProposalItem, expiresAtMs: number) => Promise<string | undefined>;

export interface ExecDeps {
  readonly config: Config;
  readonly org: OrgWriter;
  readonly entra: EntraDirectory;
  readonly proposals: ExecProposals;
  readonly executions: ExecutionStore;
  readonly ballots: Ballots;
  readonly audit: Pick<AuditLog, 'append' | 'appendOwned'>;
  readonly mail: ExecMail;
  readonly clock: Clock;
  readonly logger: Logger;
  /** @default none: warnings go out without a keep link (the person can still use a product to keep the account) */
  readonly keepLink?: KeepLinkIssuer;
  /** Epoch ms by which the invocation must stop taking new work. @default none */
  readonly deadline?: () => number;
  /** Records executed changes and a seat snapshot for finance when an execution finishes. @default none */
  readonly finance?: ExecutionFinance;
}

/** Finance's part of the finish step (reports/ExecutionFinanceRecorder implements it). */
export interface ExecutionFinance {
  /** Stores the changes the DONE items made (idempotent); returns how many. */
  recordChanges(items: readonly ProposalItem[]): Promise<number>;
  /**
   * Counts the org now (a full listing; `signal` stops it between accounts); the result stores the
   * count as a seat snapshot taken when the listing ended.
   */
  count(signal?: AbortSignal): Promise<{ record(runId: string): Promise<unknown> }>;
}
