/** What the planner gets from Entra ID, as the core sees it (Graph field names mapped once, in the reader). */
import type { EntraMembership } from './membership.js';
import type { GraphPermission } from './permissions.js';

/** One Entra user, with the groups of interest it belongs to (transitively). Small on purpose: no Graph payload. */
export interface EntraMember {
  /** Entra object id (GUID). */
  readonly id: string;
  readonly userPrincipalName: string;
  /** The `mail` attribute; absent when the user has no mailbox address. */
  readonly mail?: string;
  /** false: disabled in Entra (a leaver, or blocked from sign-in). */
  readonly accountEnabled: boolean;
  /** A transitive member of the Confluence group. */
  readonly inConfluenceGroup: boolean;
  /** Configured exclusion groups this user is a transitive member of (empty: none). */
  readonly exclusionGroupIds: readonly string[];
  /**
   * signInActivity.lastSuccessfulSignInDateTime (ISO 8601). Absent when the user never signed in OR
   * when sign-in activity was not read: check `EntraMembership.signInActivity` before reading absence
   * as "never signed in".
   */
  readonly lastSignIn?: string;
}

/** Which users the membership holds, so that "not found" can be read correctly. */
export const DirectoryScope = {
  /** Only transitive members of the Confluence and exclusion groups: "not found" = in none of them. */
  GROUP_MEMBERS: 'group-members',
  /** Every user of the tenant: "not found" = no Entra user has this email (deleted, or never existed). */
  ALL_USERS: 'all-users',
} as const;
export type DirectoryScope = (typeof DirectoryScope)[keyof typeof DirectoryScope];

/** Whether `lastSignIn` values mean anything. */
export type SignInActivityStatus =
  | { readonly state: 'not-requested' }
  | { readonly state: 'read' }
  /** Degraded (configuration allowed it): Graph refused; `lastSignIn` is absent for everyone. */
  | {
      readonly state: 'unavailable';
      readonly permission: GraphPermission;
      readonly code?: string;
      readonly reason: string;
    };

/** Cost of one read, for logs and metrics. */
export interface EntraReadStats {
  /** HTTP requests sent to Graph, counting each `$batch` once and every retry (token requests excluded). */
  readonly httpRequests: number;
  /** `$batch` requests among httpRequests. */
  readonly batchRequests: number;
  /** Requests that travelled inside a `$batch`. */
  readonly batchedSubRequests: number;
  /** Collection pages received. */
  readonly pages: number;
  readonly throttledRetries: number;
  readonly transientRetries: number;
  /** Time spent waiting on Retry-After and back-off. */
  readonly waitedMs: number;
  readonly durationMs: number;
}

/** Result of looking an Atlassian email up in the membership. */
export type EntraLookup =
  | { readonly found: false }
  | {
      readonly found: true;
      readonly member: EntraMember;
      /** Matched on `mail`, or (when no mail matched) on `userPrincipalName`. */
      readonly matchedBy: 'mail' | 'userPrincipalName';
      /** More than one Entra user carries this email: do not act on it without a human. */
      readonly ambiguous: boolean;
    };

/**
 * One account's Entra facts in the shape the rules engine takes (lambdas/rules EntraFacts).
 * `found: false` means absent from the membership: with scope "all-users" that is "not in Entra"
 * (deleted); with scope "group-members" only "in none of the read groups".
 */
export interface EntraAccountFacts {
  readonly found: boolean;
  readonly accountEnabled?: boolean;
  readonly inConfluenceGroup: boolean;
  readonly exclusionGroupIds: readonly string[];
  readonly lastSignIn?: string;
}

/** The port the planner calls. */
export interface EntraDirectory {
  /** Reads the whole membership; resolves only with a complete read, throws an EntraError otherwise. */
  readMembership(): Promise<EntraMembership>;
  /**
   * The tenant's verified domains (GET /domains, `isVerified`), lower-cased, each once: the domains
   * on which "no Entra user has this email" means deleted. Throws an EntraError otherwise.
   */
  readTenantDomains(): Promise<string[]>;
}
