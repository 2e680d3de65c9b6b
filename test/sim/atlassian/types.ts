/** Public types of the Atlassian admin API simulator (see index.ts for the entry point). */
import type { SyntheticOrg } from '../org/index.js';

/** Rate-limit classes: each has its own fixed window. */
export const ENDPOINT_CLASSES = ['users-read', 'last-active', 'user-write', 'policy'] as const;
export type EndpointClass = (typeof ENDPOINT_CLASSES)[number];

export interface RateLimit {
  readonly limit: number;
  readonly windowMs: number;
}

/**
 * Documented defaults: last-active 200/min per org is Atlassian's published limit; the others are
 * not published, 1000/min is our assumption.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<EndpointClass, RateLimit>> = {
  'users-read': { limit: 1000, windowMs: 60_000 },
  'last-active': { limit: 200, windowMs: 60_000 },
  'user-write': { limit: 1000, windowMs: 60_000 },
  policy: { limit: 1000, windowMs: 60_000 },
};

export const MALFORMED_KINDS = ['truncated-json', 'missing-field'] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

/** Broken listing pages (v1 users and v2 users/search). */
export interface MalformedPages {
  /** `truncated-json`: the body stops half-way; `missing-field`: the first user lacks its id. */
  readonly kind: MalformedKind;
  /** 1-based page numbers of a listing (page 1 = the request without a cursor). */
  readonly pages?: readonly number[];
  /** Probability that any listing page is malformed. @default 0 */
  readonly rate?: number;
  /** A listed page is malformed only the first `times` times it is served. @default Infinity */
  readonly times?: number;
}

export interface TaskFailures {
  /** These emails (any case) fail in add-users tasks with `details.status` 400. */
  readonly emails?: readonly string[];
  /** Probability that any other known user fails. @default 0 */
  readonly rate?: number;
}

/** Faults of one endpoint class; all deterministic for a given seed and request order. */
export interface FaultConfig {
  /** Probability of a 500/502/503 (spec-shaped bodies). @default 0 */
  readonly status5xxRate?: number;
  /** Probability that the socket is destroyed without a response. @default 0 */
  readonly resetRate?: number;
  /** Wall-clock delay before every response of the class, in ms (not the injected clock). @default 0 */
  readonly delayMs?: number;
  readonly malformedPages?: MalformedPages;
  /** The next N requests of the class answer 429 whatever the budget (counted from setFaults). */
  readonly storm429?: number;
  /** Only for class `policy`: users who fail in add-users tasks. */
  readonly taskFailures?: TaskFailures;
  /**
   * Only for class `users-read`: how v2 users/search (`expand: platformRoles`) shows the roles of
   * org admins. `omitted` leaves `platformRoles` out (seen on a live org), `empty` shows `[]` as if
   * they held no admin role. The role itself is intact: a search filtered by
   * `roleIds: ["atlassian/org-admin"]` still finds them. @default shown as held
   */
  readonly adminRolesInListing?: AdminRolesView;
}

export const ADMIN_ROLES_VIEWS = ['omitted', 'empty'] as const;
export type AdminRolesView = (typeof ADMIN_ROLES_VIEWS)[number];

export interface AtlassianSimOptions {
  /** The people served. Cloned at start: `sim.org` is the live, mutated copy. */
  readonly org: SyntheticOrg;
  /** Expected in `Authorization: Bearer <apiKey>`. */
  readonly apiKey: string;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** Epoch ms; drives rate-limit windows, task completion and the mutation log. @default Date.now */
  readonly clock?: () => number;
  /** Per class overrides. @default DEFAULT_RATE_LIMITS */
  readonly rateLimits?: Partial<Record<EndpointClass, RateLimit>>;
  /** Send `Retry-After` (seconds) on 429s; Atlassian does not document it. @default false */
  readonly retryAfterHeader?: boolean;
  /** An add-users task finishes this long after creation (injected clock). @default 200 */
  readonly taskDelayMs?: number;
  /** v1 `links.next` as a full URL or as the bare cursor. @default 'url' */
  readonly v1NextLink?: 'url' | 'cursor';
  /** Faults active from the start. @default none */
  readonly faults?: Partial<Record<EndpointClass, FaultConfig>>;
  /** Seed of the fault and task randomness. @default org.seed */
  readonly seed?: number;
  /** Disabling an inactive account (or enabling an active one) answers 409 instead of 204. @default false */
  readonly lifecycleConflictOnNoop?: boolean;
}

/** The simulator's truth about one account (`GET /__sim/state/{accountId}`). */
export interface SimAccountState {
  readonly accountId: string;
  readonly email: string;
  readonly accountType: 'atlassian' | 'app';
  readonly accountStatus: 'active' | 'inactive' | 'closed';
  readonly membershipStatus: 'active' | 'suspended';
  /** v2 composite status. */
  readonly status: 'active' | 'suspended' | 'deactivated';
  readonly policyId: string;
  /** `managementSource === 'synced'`: provisioned by SCIM, refused by lifecycle and suspend calls. */
  readonly synced: boolean;
  readonly managementSource: 'invited' | 'synced' | null;
}

export type MutationKind = 'disable' | 'enable' | 'suspend' | 'restore' | 'add-users';

/**
 * `applied` changed the account; `noop` found it already so (answered as success); `refused`: the
 * account exists but the API refused the change (403 SCIM-synced or not manageable, 409 closed or
 * a no-op conflict, a user failed in an add-users task): nothing changed.
 */
export const MUTATION_OUTCOMES = ['applied', 'noop', 'refused'] as const;
export type MutationOutcome = (typeof MUTATION_OUTCOMES)[number];

/** One attempted change of one account. An add-users task gives one record per requested user. */
export interface MutationRecord {
  /** Injected-clock time the change took effect (task completion for add-users). */
  readonly atMs: number;
  readonly at: string;
  readonly kind: MutationKind;
  readonly method: string;
  readonly path: string;
  /** Absent only for an add-users email that names no managed account. */
  readonly accountId?: string;
  /** add-users: the email as requested. */
  readonly email?: string;
  /** add-users: the target policy. */
  readonly policyId?: string;
  readonly taskId?: string;
  readonly outcome: MutationOutcome;
  /** `refused`: the error key or code the API answered (`forbidden.action`, `ACCOUNT_CLOSED`, ...). */
  readonly reason?: string;
}

export interface RequestRecord {
  readonly atMs: number;
  readonly method: string;
  /** Path template with its API prefix (`/admin/v1/orgs/{orgId}/users`), or `unmatched`. */
  readonly template: string;
  /** Path and query as received. */
  readonly path: string;
  /** Parsed JSON body; the raw string when it is not JSON; undefined when empty. */
  readonly body: unknown;
  /** HTTP status sent; 0 when the socket was destroyed (reset fault). */
  readonly status: number;
  readonly endpointClass?: EndpointClass;
}

export interface SimCounters {
  readonly total: number;
  /** Key `METHOD template`, e.g. `GET /admin/v1/orgs/{orgId}/users`. */
  readonly byEndpoint: Readonly<Record<string, number>>;
  readonly byStatus: Readonly<Record<string, number>>;
  /** Requests per rate-limit class (429ed ones included). */
  readonly byClass: Readonly<Partial<Record<EndpointClass, number>>>;
  /** 429s sent (budget spent or storm). */
  readonly throttled: number;
  /** 429s per rate-limit class. */
  readonly throttledByClass: Readonly<Partial<Record<EndpointClass, number>>>;
  readonly resets: number;
  /** Most requests received in one rate-limit window, per class (429ed ones included). */
  readonly peakPerWindow: Readonly<Record<EndpointClass, number>>;
}
