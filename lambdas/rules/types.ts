/** Inputs and outputs of the decision engine: one account in, at most one action out. */
import type { ManagedAccount } from '../atlassian/types.js';
import type { Config } from '../config/index.js';
import type { ActionKind } from '../config/index.js';

/**
 * What Entra ID says about the person behind an account, joined by email by the planner.
 * Pass `undefined` (not `found: false`) when the account could not be joined at all: its email is
 * hidden, or the join is ambiguous (several Entra users carry the email). The engine then proposes
 * nothing for an account that has an email (needs-data `entra`): an unknown is never read as "gone".
 */
export interface EntraFacts {
  /**
   * `true`: an Entra user has this email. `false`: none has, in a read of EVERY tenant user
   * (`DirectoryScope.ALL_USERS`): a leaver. Absent: existence unknown, e.g. the read covered only
   * group members (`GROUP_MEMBERS`), where "not found" only means "in none of the groups".
   * A `false` on an account with a hidden email is ignored (nothing could have been looked up).
   */
  readonly found?: boolean;
  /** `accountEnabled` from Graph; absent when not read. Only an explicit `false` is a leaver. */
  readonly accountEnabled?: boolean;
  /** Transitive member of `entra.confluenceGroupId`. */
  readonly inConfluenceGroup: boolean;
  /** Ids of configured exclusion groups the person is a transitive member of (others are ignored). */
  readonly exclusionGroupIds: readonly string[];
  /** ISO 8601; informational only (shown as evidence, never decides). */
  readonly lastSignIn?: string;
}

/** One account as the planner hands it to `evaluateAccount`. */
export interface AccountInput {
  readonly account: ManagedAccount;
  /** The authentication policy the account is in now; `undefined` = unknown (not fetched). */
  readonly policyId?: string;
  readonly entra: EntraFacts | undefined;
  /**
   * Whether the account is on the org's admin list, read in bulk before the listing (v2
   * users/search filtered by `roleIds: ["atlassian/org-admin"]`). `true`: excluded as ORG_ADMIN
   * whatever its `platformRoles` say (a listing has shown admins with no or empty roles). `false`:
   * the list was read and the account is not on it. Absent: the list was not read, so no action is
   * proposed (needs-data `orgAdminList`).
   */
  readonly onOrgAdminList?: boolean;
}

/** Why an action is proposed. */
export const ReasonCode = {
  /** No activity in any product for longer than `staleAfterDays`. */
  STALE: 'STALE',
  /** Never active in any product, added to the org longer than `staleAfterDays` ago (and past the grace). */
  NEVER_ACTIVE: 'NEVER_ACTIVE',
  /** Entra ID has the person with `accountEnabled: false` (`deactivation.deactivateEntraDisabled`). */
  ENTRA_DISABLED: 'ENTRA_DISABLED',
  /**
   * Deleted from Entra ID (`deactivation.deactivateEntraDeleted`): no Entra user has this email in
   * a read of every tenant user, and the email is on one of the tenant's own domains.
   */
  ENTRA_NOT_FOUND: 'ENTRA_NOT_FOUND',
  /** Does not need Confluence under `entra.confluenceRule`, sits in the billable policy. */
  NO_CONFLUENCE_NEED: 'NO_CONFLUENCE_NEED',
  /** Needs Confluence under `entra.confluenceRule`, sits in the nonbillable policy. */
  NEEDS_CONFLUENCE: 'NEEDS_CONFLUENCE',
} as const;
export type ReasonCode = (typeof ReasonCode)[keyof typeof ReasonCode];

/** Why an account is left alone whatever else is true of it, in precedence order. */
export const ExclusionCode = {
  BREAK_GLASS: 'BREAK_GLASS',
  ORG_ADMIN: 'ORG_ADMIN',
  APP_ACCOUNT: 'APP_ACCOUNT',
  CUSTOMER_ACCOUNT: 'CUSTOMER_ACCOUNT',
  ACCOUNT_CLOSED: 'ACCOUNT_CLOSED',
  ACCOUNT_INACTIVE: 'ACCOUNT_INACTIVE',
  MEMBERSHIP_SUSPENDED: 'MEMBERSHIP_SUSPENDED',
  /** In none of the org's directories (v2 `no_membership`): nothing of ours to change. */
  NO_MEMBERSHIP: 'NO_MEMBERSHIP',
  /** An account type, status or membership value the rules do not know: left alone, never guessed. */
  UNRECOGNISED_ACCOUNT: 'UNRECOGNISED_ACCOUNT',
  EXCLUDED_ACCOUNT_ID: 'EXCLUDED_ACCOUNT_ID',
  EXCLUDED_EMAIL: 'EXCLUDED_EMAIL',
  EXCLUDED_DOMAIN: 'EXCLUDED_DOMAIN',
  ENTRA_EXCLUSION_GROUP: 'ENTRA_EXCLUSION_GROUP',
} as const;
export type ExclusionCode = (typeof ExclusionCode)[keyof typeof ExclusionCode];

/**
 * Data the engine needed and did not get. The planner can fetch some (`addedToOrg`, `lastActive`
 * from the per-user last-active-dates; `policy` from the bulk policy fetch; `platformRoles` from
 * the v2 user) and evaluate again; it never proposes an account in this state.
 */
export const MissingData = {
  /** A never-active account whose `addedToOrg` is absent or unparsable. */
  ADDED_TO_ORG: 'addedToOrg',
  /** A last-active date is unparsable and the valid ones do not settle the question. */
  LAST_ACTIVE: 'lastActive',
  POLICY: 'policy',
  /** The account has an email but no Entra facts were joined to it. */
  ENTRA: 'entra',
  /**
   * Admin roles unknown (v1 listing, a v2 listing that left them out, or a role id the rules do not
   * know) and the account would otherwise get an action.
   */
  PLATFORM_ROLES: 'platformRoles',
  /** The org's admin list was not read (`AccountInput.onOrgAdminList` absent) and an action is due. */
  ORG_ADMIN_LIST: 'orgAdminList',
  /** Absent from Entra, `deactivateEntraDeleted` on, and the tenant's domains are not known. */
  TENANT_DOMAINS: 'tenantDomains',
} as const;
export type MissingData = (typeof MissingData)[keyof typeof MissingData];

export const LeaverRule = {
  DISABLED: 'deactivation.deactivateEntraDisabled',
  DELETED: 'deactivation.deactivateEntraDeleted',
} as const;
export type LeaverRule = (typeof LeaverRule)[keyof typeof LeaverRule];

/** The most recent activity found, and where. */
export interface LastActivity {
  /** The raw value, as received. */
  readonly at: string;
  /** Calendar date in the run's time zone (YYYY-MM-DD). */
  readonly date: string;
  /** Product key, or `any` for the overall v1 `last_active` when no product carries that date. */
  readonly source: string;
  /** Product name for people (`Confluence`), or `any product`. */
  readonly sourceName: string;
}

export interface ConfluenceNeedEvidence {
  readonly rule: Config['entra']['confluenceRule'];
  /** Absent when the rule could not be settled with the data at hand. */
  readonly needed?: boolean;
  /** Human phrase: "in the Entra Confluence group", "has Confluence access", ... */
  readonly because: string;
}

/** Everything a decision was based on, for the proposal CSV and the audit log. JSON-safe. */
export interface Evidence {
  readonly timeZone: string;
  /** The run's calendar date in `timeZone`. */
  readonly runDate: string;
  readonly staleAfterDays: number;
  readonly newAccountGraceDays: number;
  readonly lastActivity?: LastActivity;
  /** Whole calendar days from `lastActivity.date` to `runDate`. */
  readonly inactiveDays?: number;
  /** Per-product last-active, as received. */
  readonly products: readonly { readonly key: string; readonly lastActive?: string }[];
  readonly addedToOrg?: string;
  readonly daysSinceAdded?: number;
  /** Fields whose date could not be parsed (`lastActive`, `products[confluence].lastActive`, `addedToOrg`). */
  readonly unparsable?: readonly string[];
  readonly entra?: EntraFacts;
  /**
   * Entra has no user with this email: its domain, and whether that is one of the tenant's own
   * (only then does absence mean deleted). Absent when the tenant's domains are not known.
   */
  readonly notInEntra?: { readonly emailDomain: string; readonly tenantDomain: boolean };
  /** The leaver rule that fired, by its setting; absent for any other decision. */
  readonly leaverRule?: LeaverRule;
  readonly confluenceNeed?: ConfluenceNeedEvidence;
  readonly policyId?: string;
}

export interface ActionDecision {
  readonly kind: 'action';
  readonly action: ActionKind;
  readonly reason: ReasonCode;
  /** One sentence for the proposal email. */
  readonly summary: string;
  readonly evidence: Evidence;
}

export interface ExcludedDecision {
  readonly kind: 'excluded';
  readonly reason: ExclusionCode;
  readonly summary: string;
}

export interface KeepDecision {
  readonly kind: 'keep';
  readonly summary: string;
  readonly evidence: Evidence;
}

export interface NeedsDataDecision {
  readonly kind: 'needs-data';
  /** Non-empty, without duplicates. */
  readonly missing: readonly MissingData[];
  /** The action already certain if the missing data does not change it (only for the admin facts). */
  readonly pendingAction?: ActionKind;
  readonly summary: string;
  readonly evidence: Evidence;
}

export type Decision = ActionDecision | ExcludedDecision | KeepDecision | NeedsDataDecision;
