/** Graph-shaped answers: `{error:{code,message,innerError:{date,request-id,client-request-id}}}`. */
import { randomUUID } from 'node:crypto';

export interface SimResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** JSON body; undefined = none. */
  readonly body?: unknown;
}

export class GraphSimError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function ok(body: unknown, headers: Record<string, string> = {}): SimResponse {
  return {
    status: 200,
    headers: {
      'Content-Type':
        'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
      ...headers,
    },
    body,
  };
}

export function graphError(
  status: number,
  code: string,
  message: string,
  clientRequestId: string | undefined,
  headers: Record<string, string> = {},
): SimResponse {
  const requestId = randomUUID();
  return {
    status,
    headers: {
      'Content-Type': 'application/json',
      'request-id': requestId,
      ...(clientRequestId && { 'client-request-id': clientRequestId }),
      ...headers,
    },
    body: {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().slice(0, 19),
          'request-id': requestId,
          ...(clientRequestId && { 'client-request-id': clientRequestId }),
        },
      },
    },
  };
}

export function fromError(e: GraphSimError, clientRequestId: string | undefined): SimResponse {
  return graphError(e.status, e.code, e.message, clientRequestId, e.headers);
}

/** Graph's texts for the errors the simulator produces. */
export const Errors = {
  denied: () =>
    new GraphSimError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  nonPremium: () =>
    new GraphSimError(
      403,
      'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
      "Neither tenant is B2C or tenant doesn't have premium license",
    ),
  notFound: (id: string) =>
    new GraphSimError(
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    ),
  badRequest: (message: string) => new GraphSimError(400, 'Request_BadRequest', message),
  unsupported: (message: string) => new GraphSimError(400, 'Request_UnsupportedQuery', message),
  noSegment: (segment: string) =>
    new GraphSimError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`),
  unauthenticated: () => new GraphSimError(401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.'),
  throttled: (retryAfterSeconds: number | undefined) =>
    new GraphSimError(
      429,
      'TooManyRequests',
      'Too many requests.',
      retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) },
    ),
  server: (status: number, retryAfterSeconds: number | undefined) =>
    new GraphSimError(
      status,
      status === 503 ? 'serviceNotAvailable' : status === 504 ? 'gatewayTimeout' : 'UnknownError',
      status === 503 ? 'The service is temporarily unavailable.' : 'An internal server error occurred.',
      retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) },
    ),
} as const;
