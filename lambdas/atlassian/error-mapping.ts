import type { AtlassianError, LifecycleErrorCode } from './errors.js';
import {
  AccountNotFoundError,
  ActionForbiddenError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  LifecycleConflictError,
  NotFoundError,
  ScimManagedError,
  UnauthorizedError,
} from './errors.js';

/** The restriction reason of a SCIM-provisioned account (user-management.openapi.json). */
export const SCIM_REASON = 'externalDirectory.scim';

export interface ErrorBody {
  /** Error key first (`errors[].code`, `code`, `key`, `errorKey`), then a 409's lifecycle codes. */
  readonly codes: string[];
  /** The message Atlassian gave, at most 300 characters. */
  readonly detail?: string;
  /** 403 `forbidden.action`: `context.reason.key`. */
  readonly reason?: string;
  /** 409 `conflict.lifecycleErrors`: `context.errorCodes`. */
  readonly lifecycleErrors?: LifecycleErrorCode[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** User management `context` of 403 `forbidden.action` and 409 `conflict.lifecycleErrors`. */
function readContext(context: unknown): Pick<ErrorBody, 'reason' | 'lifecycleErrors'> & { message?: string } {
  if (!context || typeof context !== 'object') return {};
  const c = context as Record<string, unknown>;
  const reason = str((c.reason as Record<string, unknown> | undefined)?.key);
  const lifecycleErrors = Array.isArray(c.errorCodes)
    ? (c.errorCodes as Record<string, unknown>[]).flatMap((e) => {
        const code = str(e?.code);
        if (!code) return [];
        const message = str(e.message);
        const link = str(e.link);
        return [{ code, ...(message && { message }), ...(link && { link }) }];
      })
    : undefined;
  const message = str(c.message);
  return { ...(reason && { reason }), ...(lifecycleErrors && { lifecycleErrors }), ...(message && { message }) };
}

/**
 * Error codes and message from any of the admin APIs' error bodies: Organizations
 * `{errors:[{code,title,detail}]}`, the proxy's `{code,message}`, User management `{key,...}` /
 * `{errorKey}` with its `context` (403 `forbidden.action` reason, 409 lifecycle error codes).
 */
export function errorCodesOf(text: string): ErrorBody {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { codes: [] };
  }
  if (!body || typeof body !== 'object') return { codes: [] };
  const b = body as Record<string, unknown>;
  const codes: string[] = [];
  let detail: string | undefined;
  if (Array.isArray(b.errors)) {
    for (const e of b.errors as Record<string, unknown>[]) {
      if (e && typeof e.code === 'string') codes.push(e.code);
      detail ??= [e?.title, e?.detail].filter((x) => typeof x === 'string').join(': ') || undefined;
    }
  }
  for (const k of ['code', 'key', 'errorKey'] as const) {
    const v = b[k];
    if (typeof v === 'string' || typeof v === 'number') codes.push(String(v));
  }
  for (const k of ['message', 'errorMessage', 'detail'] as const) {
    if (typeof b[k] === 'string') detail ??= b[k] as string;
  }
  const { message, ...context } = readContext(b.context);
  detail ??= message;
  codes.push(...(context.lifecycleErrors ?? []).map((e) => e.code));
  return { codes, ...(detail && { detail: detail.slice(0, 300) }), ...context };
}

/** Translates a 4xx answer into the client's typed error, at the boundary (STYLE.md). */
export function errorFromResponse(endpoint: string, status: number, text: string, accountId?: string): AtlassianError {
  const { codes, detail, reason, lifecycleErrors } = errorCodesOf(text);
  const fields = { endpoint, status, errorCodes: codes, accountId, ...(detail && { apiMessage: detail }) };
  const said = detail ? ` Atlassian said: ${detail}` : '';
  const who = accountId ? ` (account ${accountId})` : '';
  const key = codes[0];
  switch (status) {
    case 401:
      return new UnauthorizedError(
        `${endpoint}: the API key was refused (401).${said} It is missing, wrong, expired or revoked: create an org admin API key in admin.atlassian.com > Settings > API keys and store it where configuration atlassian.apiKey points.`,
        fields,
      );
    case 403:
      if (key === 'forbidden.action' && reason === SCIM_REASON)
        return new ScimManagedError(
          `${endpoint}${who}: forbidden.action (403), reason ${SCIM_REASON}: the account is provisioned by SCIM from the identity provider, and Atlassian does not let the API change it. Deactivate it in the identity provider (Entra ID: disable the user or remove them from the provisioning group) instead; retrying cannot succeed.`,
          { ...fields, reason },
        );
      if (key === 'forbidden.action')
        return new ActionForbiddenError(
          `${endpoint}${who}: forbidden.action (403), reason ${reason ?? '(none given)'}.${said} The API key may manage this account, but not take this action on it; check the account in admin.atlassian.com.`,
          { ...fields, ...(reason && { reason }) },
        );
      return new ForbiddenError(
        `${endpoint}${who}: forbidden (403).${said} Check that the API key belongs to this organization and has the admin scopes, and that the account is a managed account you may manage.`,
        fields,
      );
    case 404:
      if (key === 'accountNotFound')
        return new AccountNotFoundError(
          `${endpoint}${who}: accountNotFound (404): the account does not exist (any more).${said}`,
          fields,
        );
      return new NotFoundError(
        `${endpoint}${who}: not found (404).${said} Check orgId, policy and directory ids in the configuration.`,
        fields,
      );
    case 409:
      if (key === 'conflict.lifecycleErrors')
        return new LifecycleConflictError(
          `${endpoint}${who}: conflict.lifecycleErrors (409): the account is not eligible for this change (${(lifecycleErrors ?? []).map((e) => e.code).join(', ') || 'no code given'}).${said} This is a fact about the account, not retried.`,
          { ...fields, lifecycleErrors: lifecycleErrors ?? [] },
        );
      return new ConflictError(`${endpoint}${who}: conflict (409).${said}`, fields);
    default:
      return new BadRequestError(`${endpoint}${who}: request refused (${status}).${said} This is not retried.`, fields);
  }
}
