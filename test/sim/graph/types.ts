/** Options, faults and counters of the Microsoft Graph simulator. */
import type { SyntheticOrg } from '../org/index.js';
import type { SimDomain } from './domains.js';

/** The application permissions the simulator knows; a request lacking its permission gets Graph's 403. */
export const SIM_PERMISSIONS = [
  'GroupMember.Read.All',
  'User.Read.All',
  'AuditLog.Read.All',
  'Domain.Read.All',
] as const;
export type SimPermission = (typeof SIM_PERMISSIONS)[number];

/** Route names, for fault targeting and counters. */
export const ROUTE_NAMES = ['openid', 'token', 'transitiveMembers', 'users', 'user', 'domains', 'batch'] as const;
export type RouteName = (typeof ROUTE_NAMES)[number];

export type Fault =
  /** 429 Too Many Requests, with `Retry-After: <seconds>` unless omitted. */
  | { readonly kind: 'throttle'; readonly retryAfterSeconds?: number }
  /** A 5xx Graph error, optionally with Retry-After (Graph sends it on some 503s). */
  | { readonly kind: 'status'; readonly status: 500 | 502 | 503 | 504; readonly retryAfterSeconds?: number }
  /** The TCP connection is destroyed without an answer (direct requests only). */
  | { readonly kind: 'reset' }
  /** The answer is delayed (direct requests only). */
  | { readonly kind: 'slow'; readonly delayMs: number }
  /** 200 with a truncated JSON body (direct requests only). */
  | { readonly kind: 'malformed' };

export interface FaultRule {
  readonly fault: Fault;
  /** Routes it applies to. @default every Graph route (never the identity endpoints unless listed) */
  readonly routes?: readonly RouteName[];
  /** Requests sent directly, inside a `$batch`, or both. @default "any" */
  readonly where?: 'direct' | 'inner' | 'any';
  /** How many matching requests get the fault. @default Infinity (until cleared) */
  readonly times?: number;
  /** Matching requests let through before the first fault. @default 0 */
  readonly skip?: number;
}

export interface GraphSimOptions {
  /** The people and groups to serve (same emails as the Atlassian simulator's org). */
  readonly org: SyntheticOrg;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default as in config/example.local.json */
  readonly tenantId?: string;
  /** @default as in config/example.local.json */
  readonly clientId?: string;
  /** @default "graph-sim-client-secret-value" */
  readonly clientSecret?: string;
  /** Granted application permissions (changeable at runtime). @default all of SIM_PERMISSIONS */
  readonly permissions?: readonly SimPermission[];
  /** The tenant has Entra ID P1 (signInActivity readable). @default true */
  readonly premium?: boolean;
  /** The tenant's domains (`GET /domains`). @default DEFAULT_TENANT_DOMAINS (example.com verified) */
  readonly domains?: readonly SimDomain[];
  /** Worst-case identity provider: error descriptions echo the client_secret received. @default false */
  readonly echoSecretInErrors?: boolean;
  readonly faults?: readonly FaultRule[];
}

export interface GraphSimCounters {
  /** HTTP requests received (a `$batch` counts once). */
  readonly total: number;
  /** Direct requests per route. */
  readonly byRoute: Readonly<Partial<Record<RouteName, number>>>;
  /** Requests that arrived inside a `$batch`, per route. */
  readonly inner: Readonly<Partial<Record<RouteName, number>>>;
  /** Direct responses per status ("reset" for destroyed connections). */
  readonly byStatus: Readonly<Record<string, number>>;
  /** Faults injected (direct and inner). */
  readonly faults: number;
  /** Token requests answered with a token. */
  readonly tokensIssued: number;
}
