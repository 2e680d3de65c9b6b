/** The vocabulary of execution: why an approved item was not acted on, and what a run recorded. */
import type { ActionKind } from '../config/index.js';

/** Why an approved item was skipped when it was re-checked just before acting. */
export const SkipReason = {
  /** Active in some product since the plan read it. */
  BECAME_ACTIVE: 'BECAME_ACTIVE',
  /** Joined the Entra Confluence group (or otherwise needs Confluence now): no move to nonbillable. */
  NOW_NEEDS_CONFLUENCE: 'NOW_NEEDS_CONFLUENCE',
  /** Left the Entra Confluence group: no move to billable. */
  NO_LONGER_NEEDS_CONFLUENCE: 'NO_LONGER_NEEDS_CONFLUENCE',
  /** Became an org admin, or its roles could not be read (unknown is never read as "not an admin"). */
  ORG_ADMIN: 'ORG_ADMIN',
  /** A configured break-glass account: never touched. */
  BREAK_GLASS: 'BREAK_GLASS',
  /** Matches a configured exclusion (account id, email, domain, Entra exclusion group). */
  EXCLUDED: 'EXCLUDED',
  /** Already in the target state (deactivated, suspended, or in the target policy). */
  ALREADY_IN_TARGET_STATE: 'ALREADY_IN_TARGET_STATE',
  /** The account is no longer in the org's listing, or is closed. */
  ACCOUNT_GONE: 'ACCOUNT_GONE',
  /** No longer an active managed Atlassian account (deactivated or closed by someone else, an app, a customer). */
  NOT_ACTIONABLE: 'NOT_ACTIONABLE',
  /** The person followed the "keep my account" link during the grace period. */
  USER_KEPT: 'USER_KEPT',
  /** An undo would give access back to someone disabled or deleted in Entra ID (a leaver): never done by an undo. */
  LEFT_IN_ENTRA: 'LEFT_IN_ENTRA',
  /** Its policy could not be read just before acting: nothing is done on a guess. */
  STATE_UNKNOWN: 'STATE_UNKNOWN',
} as const;
export type SkipReason = (typeof SkipReason)[keyof typeof SkipReason];

/** What the re-check says to do with one approved item. */
export type RecheckVerdict =
  | { readonly kind: 'act' }
  | { readonly kind: 'skip'; readonly reason: SkipReason; readonly detail: string }
  /** Synced from the identity provider by SCIM: the change must be made in Entra ID, never by an API call. */
  | { readonly kind: 'handoff'; readonly detail: string };

/**
 * Which approved items an execution takes: `auto` runs the items approved by configuration when the
 * proposal is sent (people still decide the rest); `main` runs everything approved once the
 * approvers' quorum decided. Each round is executed once (its chunks are fixed when it starts).
 */
export const Round = { AUTO: 'auto', MAIN: 'main' } as const;
export type Round = (typeof Round)[keyof typeof Round];

/** An execution of one proposal's approved items, driven in chunks. */
export interface ExecutionRecord {
  readonly proposalId: string;
  readonly round: Round;
  /** Chunk ids in order (0 .. chunkCount-1). */
  readonly chunkCount: number;
  readonly itemCount: number;
  readonly startedAt: string;
  /** Who started it: `system:approval`, `operator:alice@example.com`. */
  readonly startedBy: string;
  readonly finishedAt?: string;
  readonly outcome?: OutcomeCounts;
}

/** A slice of the approved items, executed in one invocation (and resumed from its items' states). */
export interface ChunkRecord {
  readonly proposalId: string;
  readonly round: Round;
  readonly index: number;
  readonly accountIds: readonly string[];
  /** Add-users tasks submitted for this chunk, stored before polling so a retry polls the same task. */
  readonly tasks?: readonly PolicyTask[];
  readonly doneAt?: string;
}

export interface PolicyTask {
  readonly policyId: string;
  readonly taskId: string;
  readonly accountIds: readonly string[];
}

export interface OutcomeCounts {
  readonly done: number;
  readonly failed: number;
  readonly skipped: number;
  readonly handedOff: number;
  /** Approved and waiting (the grace period before a warned deactivation). */
  readonly waiting: number;
}

/** The action an item asks for, with the target the API call needs. */
export interface Act {
  readonly accountId: string;
  readonly email?: string;
  readonly action: ActionKind;
}

/** Execution progress in the State table: the execution record and its chunks. */
export interface ExecutionStore {
  get(proposalId: string, round: Round): Promise<ExecutionRecord | undefined>;
  /** Creates the record and its chunks unless a record exists; returns the stored one. */
  create(record: ExecutionRecord, chunks: readonly ChunkRecord[]): Promise<ExecutionRecord>;
  chunk(proposalId: string, round: Round, index: number): Promise<ChunkRecord | undefined>;
  /** Stores a submitted task, only if no task for that policy is stored yet (conditional). */
  addTask(proposalId: string, round: Round, index: number, task: PolicyTask): Promise<void>;
  markChunkDone(proposalId: string, round: Round, index: number, at: string): Promise<void>;
  finish(proposalId: string, round: Round, fields: Pick<ExecutionRecord, 'finishedAt' | 'outcome'>): Promise<void>;
}
