/**
 * Typed errors of the Atlassian client. Messages say what went wrong, the value received and the
 * fix; none ever carries the API key, a request header or a full request body.
 */
export interface AtlassianErrorFields {
  /** e.g. "GET /admin/v1/orgs/{orgId}/users" */
  readonly endpoint: string;
  readonly status?: number;
  /** Atlassian error codes from the response body (`errors[].code`, `code`, `key`). */
  readonly errorCodes?: readonly string[];
  readonly accountId?: string;
  readonly cause?: unknown;
}

export class AtlassianError extends Error {
  override readonly name: string = 'AtlassianError';
  readonly endpoint: string;
  readonly status?: number;
  readonly errorCodes: readonly string[];
  readonly accountId?: string;
  constructor(message: string, fields: AtlassianErrorFields) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.endpoint = fields.endpoint;
    this.status = fields.status;
    this.errorCodes = fields.errorCodes ?? [];
    this.accountId = fields.accountId;
  }
}

/** 429 after the throttle budget was spent, or a wait longer than the time left. */
export class ThrottledError extends AtlassianError {
  override readonly name = 'ThrottledError';
  constructor(message: string, fields: AtlassianErrorFields & { readonly retryAfterMs: number }) {
    super(message, fields);
    this.retryAfterMs = fields.retryAfterMs;
  }
  readonly retryAfterMs: number;
}

/** 5xx, reset or timeout that outlasted the transient-retry budget. */
export class BudgetExhaustedError extends AtlassianError {
  override readonly name = 'BudgetExhaustedError';
  constructor(message: string, fields: AtlassianErrorFields & { readonly attempts: number }) {
    super(message, fields);
    this.attempts = fields.attempts;
  }
  readonly attempts: number;
}

/** 401: the API key is missing, wrong, expired or revoked. */
export class UnauthorizedError extends AtlassianError {
  override readonly name = 'UnauthorizedError';
}

/** 403: the key lacks a scope or the target is not manageable (not a managed account, an admin...). */
export class ForbiddenError extends AtlassianError {
  override readonly name = 'ForbiddenError';
}

export class NotFoundError extends AtlassianError {
  override readonly name = 'NotFoundError';
}

/** 409 or a 400 that reports a state conflict; `errorCodes` tells which. */
export class ConflictError extends AtlassianError {
  override readonly name = 'ConflictError';
}

/** Any other 4xx: the request was wrong; never retried. */
export class BadRequestError extends AtlassianError {
  override readonly name = 'BadRequestError';
}

/** The response did not match the documented schema; nothing of it was used. */
export class MalformedResponseError extends AtlassianError {
  override readonly name = 'MalformedResponseError';
  constructor(message: string, fields: AtlassianErrorFields & { readonly field: string }) {
    super(message, fields);
    this.field = fields.field;
  }
  readonly field: string;
}
