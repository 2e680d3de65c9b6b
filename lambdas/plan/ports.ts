import type { AccountPage, ListOptions } from '../atlassian/client.js';
import type { ManagedAccount, PolicyAssignment, ProductActivity } from '../atlassian/types.js';
import type { Config } from '../config/index.js';
import type { EntraDirectory } from '../entra/index.js';
import type { ExecutedChangeSource } from '../reports/ports.js';
import type { AuditLog, LockStore, ProposalStore, RunStore, SeatStore } from '../domain/ports.js';
import type { ProposalMeta } from '../domain/proposal.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';

/** What the plan reads from Atlassian (AtlassianClient implements it). */
export interface OrgDirectory {
  pages(options?: ListOptions): AsyncIterable<AccountPage>;
  policyAssignments(accountIds: readonly string[]): Promise<PolicyAssignment[]>;
  lastActiveDates(accountId: string): Promise<{ addedToOrg?: string; products: ProductActivity[] }>;
  /** v2 search by exact emails (at most 100), for the break-glass check before the listing. */
  accountsByEmail(emails: readonly string[]): Promise<ManagedAccount[]>;
  /** Account ids on the org's admin list (v2 search filtered by role `atlassian/org-admin`, 100 per page). */
  orgAdminIds(): Promise<ReadonlySet<string>>;
}

/** What the plan writes of proposals. */
export type ProposalWriter = Pick<ProposalStore, 'create' | 'putItems' | 'setStatus' | 'get'>;

export type RunLog = RunStore;

export type SeatLog = Pick<SeatStore, 'put'> & Partial<Pick<SeatStore, 'latest'>>;

/** Called once a proposal is READY: the approval step (email) takes it from there. */
export type ProposalHandoff = (proposal: ProposalMeta) => Promise<void>;

/** Tells people that a run proposed nothing because a safety check blocked it or it failed. */
export type RunAlerter = (alert: {
  runId: string;
  kind: 'blocked' | 'failed';
  reasons: readonly string[];
  at: number;
}) => Promise<void>;

export interface PlanDeps {
  readonly config: Config;
  readonly org: OrgDirectory;
  readonly entra: EntraDirectory;
  readonly proposals: ProposalWriter;
  readonly audit: AuditLog;
  readonly runs: RunLog;
  readonly locks: LockStore;
  readonly seats: SeatLog;
  /** Changes executed since the previous snapshot, counted in this run's. @default none counted */
  readonly executedChanges?: ExecutedChangeSource;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly handoff?: ProposalHandoff;
  readonly alert?: RunAlerter;
}
