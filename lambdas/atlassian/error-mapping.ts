import type { AtlassianError } from './errors.js';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError, UnauthorizedError } from './errors.js';

/**
 * Error codes from any of the admin APIs' error bodies: Organizations `{errors:[{code,title,detail}]}`,
 * the proxy's `{code,message}`, User management `{key,...}` / `{errorKey}`.
 */
export function errorCodesOf(text: string): { codes: string[]; detail?: string } {
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
  return { codes, ...(detail && { detail: detail.slice(0, 300) }) };
}

/** Translates a 4xx answer into the client's typed error, at the boundary (STYLE.md). */
export function errorFromResponse(endpoint: string, status: number, text: string, accountId?: string): AtlassianError {
  const { codes, detail } = errorCodesOf(text);
  const fields = { endpoint, status, errorCodes: codes, accountId };
  const said = detail ? ` Atlassian said: ${detail}` : '';
  const who = accountId ? ` (account ${accountId})` : '';
  switch (status) {
    case 401:
      return new UnauthorizedError(
        `${endpoint}: the API key was refused (401).${said} It is missing, wrong, expired or revoked: create an org admin API key in admin.atlassian.com > Settings > API keys and store it where configuration atlassian.apiKey points.`,
        fields,
      );
    case 403:
      return new ForbiddenError(
        `${endpoint}${who}: forbidden (403).${said} Check that the API key belongs to this organization and has the admin scopes, and that the account is a managed account you may manage.`,
        fields,
      );
    case 404:
      return new NotFoundError(
        `${endpoint}${who}: not found (404).${said} Check orgId, policy and directory ids in the configuration.`,
        fields,
      );
    case 409:
      return new ConflictError(`${endpoint}${who}: conflict (409).${said}`, fields);
    default:
      return new BadRequestError(`${endpoint}${who}: request refused (${status}).${said} This is not retried.`, fields);
  }
}
