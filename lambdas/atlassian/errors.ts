/**
 * Typed errors of the Atlassian client. Messages say what went wrong, the value received and the
 * fix; none ever carries the API key, a request header or a full request body.
 */
export interface AtlassianErrorFields {
  /** e.g. "GET /admin/v1/orgs/{orgId}/users" */
  readonly endpoint: string;
  readonly status?: number;
  /**
   * Atlassian error codes from the response body (`errors[].code`, `code`, `key`, then a 409's
   * `context.errorCodes[].code`); the first is the error key.
   */
  readonly errorCodes?: readonly string[];
  /** The message Atlassian gave (`detail`, `message`, a 409's `context.message`), at most 300 chars. */
  readonly apiMessage?: string;
  readonly accountId?: string;
  readonly cause?: unknown;
}

export class AtlassianError extends Error {
  override readonly name: string = 'AtlassianError';
  readonly endpoint: string;
  readonly status?: number;
  readonly errorCodes: readonly string[];
  /**
   * The API's error key (`forbidden.action`, `conflict.lifecycleErrors`, `accountNotFound`,
   * `ADMIN-404-8`, ...): what an execution records on a FAILED item, with `apiMessage`.
   */
  readonly errorKey?: string;
  readonly apiMessage?: string;
  readonly accountId?: string;
  constructor(message: string, fields: AtlassianErrorFields) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.endpoint = fields.endpoint;
    this.status = fields.status;
    this.errorCodes = fields.errorCodes ?? [];
    this.errorKey = this.errorCodes[0];
    this.apiMessage = fields.apiMessage;
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
  override readonly name: string = 'ForbiddenError';
}

/**
 * 403 `forbidden.action` (User management lifecycle): the key may manage the account but not take
 * this action; `reason` is the restriction key the body gives (`context.reason.key`), e.g.
 * `administrative`, `blocked.exportControl`, `externalDirectory.google`.
 */
export class ActionForbiddenError extends ForbiddenError {
  override readonly name: string = 'ActionForbiddenError';
  readonly reason?: string;
  constructor(message: string, fields: AtlassianErrorFields & { readonly reason?: string }) {
    super(message, fields);
    this.reason = fields.reason;
  }
}

/**
 * 403 `forbidden.action` with reason `externalDirectory.scim`: the account is provisioned by SCIM
 * from the identity provider, and Atlassian refuses to change its lifecycle through the API. The
 * change belongs in the identity provider (Entra ID): hand it off, never retry.
 */
export class ScimManagedError extends ActionForbiddenError {
  override readonly name = 'ScimManagedError';
}

export class NotFoundError extends AtlassianError {
  override readonly name: string = 'NotFoundError';
}

/**
 * 404 `accountNotFound` (User management): the account does not exist (any more). Organizations
 * v2 404s (suspend/restore) do not say whether the user, the directory or the org is missing, so
 * they stay plain NotFoundError.
 */
export class AccountNotFoundError extends NotFoundError {
  override readonly name = 'AccountNotFoundError';
}

/** 409 or a 400 that reports a state conflict; `errorCodes` tells which. */
export class ConflictError extends AtlassianError {
  override readonly name: string = 'ConflictError';
}

/** One entry of a 409 `conflict.lifecycleErrors` body's `context.errorCodes`. */
export interface LifecycleErrorCode {
  readonly code: string;
  readonly message?: string;
  readonly link?: string;
}

/**
 * 409 `conflict.lifecycleErrors`: the account is not eligible for the change (already deactivated,
 * closed, ...). A fact to record, not something to retry; `lifecycleErrors` carries Atlassian's
 * codes and messages (also in `errorCodes`, after the key).
 */
export class LifecycleConflictError extends ConflictError {
  override readonly name = 'LifecycleConflictError';
  readonly lifecycleErrors: readonly LifecycleErrorCode[];
  constructor(
    message: string,
    fields: AtlassianErrorFields & { readonly lifecycleErrors: readonly LifecycleErrorCode[] },
  ) {
    super(message, fields);
    this.lifecycleErrors = fields.lifecycleErrors;
  }
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
