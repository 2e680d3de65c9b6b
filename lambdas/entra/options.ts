import type { TokenSource } from './credential.js';
import type { FetchLike } from './fetch-middleware.js';
import { silentLogger, type EntraLogger } from './logger.js';
import { systemClock, type Clock, type RetryOptions } from './retry-policy.js';
import { DirectoryScope } from './types.js';

/** How signInActivity is read. */
export const SignInActivityMode = {
  /** Not read; `lastSignIn` is always absent. */
  OFF: 'off',
  /** Read; a missing AuditLog.Read.All or P1 licence fails the whole read. */
  REQUIRED: 'required',
  /** Read when Graph allows it; on 403 the membership says `signInActivity.state: "unavailable"`. */
  BEST_EFFORT: 'best-effort',
} as const;
export type SignInActivityMode = (typeof SignInActivityMode)[keyof typeof SignInActivityMode];

export interface EntraDirectoryOptions {
  readonly tenantId: string;
  readonly clientId: string;
  /** The client secret VALUE, already resolved (see SecretResolver). Held only inside the credential's closure. */
  readonly clientSecret: string;
  /** Where the secret came from, for messages only. @default "the configured client secret" */
  readonly clientSecretSource?: string;
  readonly confluenceGroupId: string;
  /** @default [] */
  readonly exclusionGroupIds?: readonly string[];
  /** @default "off" */
  readonly signInActivity?: SignInActivityMode;
  /** Which users to hold; see DirectoryScope. @default "group-members" */
  readonly scope?: DirectoryScope;
  /** @default https://login.microsoftonline.com */
  readonly authorityHost?: string;
  /** @default https://graph.microsoft.com */
  readonly graphBaseUrl?: string;
  /** Extra CA certificate (PEM) to trust for both hosts, e.g. the Graph simulator's. @default system CAs only */
  readonly ca?: string;
  /** Combine two or more due page requests in one `$batch`. @default true */
  readonly useBatch?: boolean;
  /** HTTP requests in flight at once. @default 4 */
  readonly concurrency?: number;
  /** Per attempt, including the body. @default 30000 */
  readonly requestTimeoutMs?: number;
  /** @default see RetryOptions */
  readonly retry?: RetryOptions;
  /** @default 10000 */
  readonly maxPagesPerCollection?: number;
  /** @default the system clock */
  readonly clock?: Clock;
  /** @default silent */
  readonly logger?: EntraLogger;
  /** Replaces the ClientSecretCredential (tests without a token endpoint). @default ClientSecretCredential */
  readonly tokenSource?: TokenSource;
  /** Replaces undici's fetch (unit tests: no socket). @default undici fetch */
  readonly fetch?: FetchLike;
}

export interface ResolvedEntraOptions {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecretSource: string;
  readonly confluenceGroupId: string;
  readonly exclusionGroupIds: readonly string[];
  readonly signInActivity: SignInActivityMode;
  readonly scope: DirectoryScope;
  readonly authorityHost: string;
  readonly graphBaseUrl: string;
  readonly ca?: string;
  readonly useBatch: boolean;
  readonly concurrency: number;
  readonly requestTimeoutMs: number;
  readonly retry: RetryOptions;
  readonly maxPagesPerCollection: number;
  readonly clock: Clock;
  readonly logger: EntraLogger;
}

function httpsUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${field} must be a URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:')
    throw new TypeError(
      `${field} must be https:// (the Graph client and @azure/identity only talk https), got ${JSON.stringify(value)}`,
    );
  return url.origin;
}

/** Every default, resolved in one place. The secret is deliberately not part of the result. */
export function resolveEntraOptions(o: EntraDirectoryOptions): ResolvedEntraOptions {
  const concurrency = o.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new TypeError(`concurrency must be a whole number of at least 1, got ${concurrency}`);
  return {
    tenantId: o.tenantId,
    clientId: o.clientId,
    clientSecretSource: o.clientSecretSource ?? 'the configured client secret',
    confluenceGroupId: o.confluenceGroupId,
    exclusionGroupIds: [...new Set(o.exclusionGroupIds ?? [])],
    signInActivity: o.signInActivity ?? SignInActivityMode.OFF,
    scope: o.scope ?? DirectoryScope.GROUP_MEMBERS,
    authorityHost: httpsUrl(o.authorityHost ?? 'https://login.microsoftonline.com', 'authorityHost'),
    graphBaseUrl: httpsUrl(o.graphBaseUrl ?? 'https://graph.microsoft.com', 'graphBaseUrl'),
    ...(o.ca !== undefined && { ca: o.ca }),
    useBatch: o.useBatch ?? true,
    concurrency,
    requestTimeoutMs: o.requestTimeoutMs ?? 30_000,
    retry: o.retry ?? {},
    maxPagesPerCollection: o.maxPagesPerCollection ?? 10_000,
    clock: o.clock ?? systemClock,
    logger: o.logger ?? silentLogger,
  };
}
