/**
 * Errors of the Entra reader. Every error thrown by lambdas/entra is an EntraError; vendor errors
 * (@azure/identity, the Graph client, undici) are translated at the boundary and never escape raw,
 * because some of them can echo a request body that carries the client secret.
 */
import type { GraphPermission } from './permissions.js';

export interface EntraErrorFields {
  /** HTTP status of the last response, when there was one. */
  readonly status?: number;
  /** Graph `error.code` or OAuth `error`, e.g. `Authorization_RequestDenied`, `invalid_client`. */
  readonly code?: string;
  /** Graph `request-id`, for a support ticket with Microsoft. */
  readonly requestId?: string;
  readonly cause?: unknown;
}

/** Base class: something went wrong reading Entra ID. */
export class EntraError extends Error {
  override readonly name: string = 'EntraError';
  readonly status?: number;
  readonly code?: string;
  readonly requestId?: string;

  constructor(message: string, fields: EntraErrorFields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    if (fields.status !== undefined) this.status = fields.status;
    if (fields.code !== undefined) this.code = fields.code;
    if (fields.requestId !== undefined) this.requestId = fields.requestId;
  }
}

/** The client secret could not be resolved (missing variable, unreadable secret). Never carries the value. */
export class EntraSecretError extends EntraError {
  override readonly name: string = 'EntraSecretError';
}

/** The token endpoint refused the app's credentials, or could not be reached. */
export class EntraAuthError extends EntraError {
  override readonly name: string = 'EntraAuthError';
}

/** Graph answered 403: the app registration lacks an application permission (with admin consent). */
export class EntraPermissionError extends EntraError {
  override readonly name: string = 'EntraPermissionError';
  constructor(
    message: string,
    /** The least-privileged application permission that would allow the call. */
    readonly permission: GraphPermission,
    fields: EntraErrorFields = {},
  ) {
    super(message, fields);
  }
}

/** signInActivity needs a Microsoft Entra ID P1 (or P2) licence in the tenant, not only a permission. */
export class EntraLicenseError extends EntraPermissionError {
  override readonly name: string = 'EntraLicenseError';
  readonly licence = 'Microsoft Entra ID P1' as const;
}

/** Graph kept answering 429 (or 503/504 with Retry-After) past the retry budget or the time left. */
export class EntraThrottledError extends EntraError {
  override readonly name: string = 'EntraThrottledError';
  constructor(
    message: string,
    /** What Graph last asked us to wait, in milliseconds. */
    readonly retryAfterMs: number | undefined,
    readonly attempts: number,
    fields: EntraErrorFields = {},
  ) {
    super(message, fields);
  }
}

/** 5xx, connection resets and timeouts that outlasted the retry budget. */
export class EntraUnavailableError extends EntraError {
  override readonly name: string = 'EntraUnavailableError';
  constructor(
    message: string,
    readonly attempts: number,
    fields: EntraErrorFields = {},
  ) {
    super(message, fields);
  }
}

/** TLS to the token endpoint or Graph failed: a certificate not trusted, expired or for another host. */
export class EntraTlsError extends EntraError {
  override readonly name: string = 'EntraTlsError';
  constructor(
    message: string,
    /** The host the certificate was presented by. */
    readonly host: string,
    fields: EntraErrorFields = {},
  ) {
    super(message, fields);
  }
}

/** A configured group id does not exist in the tenant (404). */
export class EntraGroupNotFoundError extends EntraError {
  override readonly name: string = 'EntraGroupNotFoundError';
  constructor(
    message: string,
    readonly groupId: string,
    fields: EntraErrorFields = {},
  ) {
    super(message, fields);
  }
}

/** Graph answered something this reader cannot use (bad JSON, foreign nextLink, 400, a page loop). */
export class EntraResponseError extends EntraError {
  override readonly name: string = 'EntraResponseError';
}
