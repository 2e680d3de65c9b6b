/**
 * Error responses, shaped per endpoint family as the specs define them:
 * - `org-v1` (Organizations v1): ApplicationError list `{errors:[{id,status,code,title,detail}]}`
 *   (status as a string), ProxyError `{code,message}` for 401, 429 and gateway 502/503.
 * - `org-v2` (Organizations v2 directories, users/search, suspend/restore): `Errors` for every status.
 * - `user-mgmt` (User management): `{key,...}` bodies; 429 and 5xx are undocumented there: ProxyError.
 * - `admin-control`: undocumented; ProxyError for 401/429/502/503, the error list otherwise.
 */
import { randomUUID } from 'node:crypto';

export const ErrorStyle = {
  ORG_V1: 'org-v1',
  ORG_V2: 'org-v2',
  USER_MGMT: 'user-mgmt',
  ADMIN_CONTROL: 'admin-control',
} as const;
export type ErrorStyle = (typeof ErrorStyle)[keyof typeof ErrorStyle];

/** Thrown by handlers; rendered by the server in the route's style. */
export class SimHttpError extends Error {
  constructor(
    readonly status: number,
    /** ApplicationError code (`ADMIN-404-2`) or, for user management, the `key`. */
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    /** User management 409: the `context` object. */
    readonly context?: Record<string, unknown>,
  ) {
    super(`${status} ${code}: ${detail}`);
  }
}

const PROXY_STATUSES = new Set([401, 429, 502, 503]);
const USER_MGMT_DEFAULT_KEYS: Record<number, string> = {
  400: 'bodyParseFailure',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'notFound',
  409: 'conflict.lifecycleErrors',
};

const proxy = (e: SimHttpError) => ({ code: e.status, message: e.detail });
const list = (e: SimHttpError) => ({
  errors: [{ id: randomUUID(), status: String(e.status), code: e.code, title: e.title, detail: e.detail }],
});

export function errorBody(style: ErrorStyle, e: SimHttpError): unknown {
  switch (style) {
    case ErrorStyle.ORG_V2:
      return list(e);
    case ErrorStyle.USER_MGMT: {
      const key = e.code.startsWith('ADMIN-') ? USER_MGMT_DEFAULT_KEYS[e.status] : e.code;
      if (!key) return proxy(e);
      return e.context ? { key, context: e.context } : { key };
    }
    default:
      return PROXY_STATUSES.has(e.status) ? proxy(e) : list(e);
  }
}

/** Errors raised by the request pipeline itself, the same for every route. */
export const PipelineErrors = {
  unauthenticated: () =>
    new SimHttpError(401, 'ADMIN-401-2', 'Unauthorized', 'Unauthorized; the API key is missing or not valid'),
  rateLimited: () =>
    new SimHttpError(429, 'ADMIN-429-1', 'Rate limit exceeded', 'Too many requests; retry after X-RateLimit-Reset'),
  internal: () => new SimHttpError(500, 'ADMIN-500-1', 'Internal error', 'An unexpected error occurred (simulated)'),
  gateway: (status: 502 | 503) =>
    new SimHttpError(
      status,
      'ADMIN-500-1',
      status === 502 ? 'Bad Gateway' : 'Service Unavailable',
      status === 502 ? 'Bad gateway (simulated)' : 'Service unavailable (simulated)',
    ),
  orgNotFound: (orgId: string) =>
    new SimHttpError(404, 'ADMIN-404-2', 'Organization not found', `No organization with id ${orgId}`),
  unknownPath: (path: string) => new SimHttpError(404, 'ADMIN-404-1', 'Unknown resource', `No resource at ${path}`),
  badBody: (detail: string) => new SimHttpError(400, 'ADMIN-400-24', 'Invalid request body', detail),
  badCursor: (cursor: string) =>
    new SimHttpError(
      400,
      'ADMIN-400-1',
      'Invalid page cursor',
      `The cursor ${JSON.stringify(cursor.slice(0, 40))} is not valid`,
    ),
} as const;
