import type { Context, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import type { EntraError } from './errors.js';
import type { RetryCount, RetryDecision } from './retry-policy.js';
import type { StatsCounter } from './stats.js';

/**
 * Per-request state carried through the Graph client's middleware chain as a middleware option.
 * The Graph client wraps anything a middleware throws into a lossy GraphError, so a middleware puts
 * its typed EntraError here and the transport rethrows it.
 */
export class RequestTrace implements MiddlewareOptions {
  readonly count: RetryCount = { throttled: 0, transient: 0 };
  /** HTTP attempts made (1 + retries). */
  attempts = 0;
  /** Why the retry middleware stopped retrying, when it did. */
  gaveUp?: Extract<RetryDecision, { retry: false }>;
  failure?: EntraError;

  constructor(readonly stats: StatsCounter) {}
}

export function traceOf(context: Context): RequestTrace {
  const trace = context.middlewareControl?.getMiddlewareOptions(RequestTrace);
  if (trace instanceof RequestTrace) return trace;
  throw new Error('internal error: a Graph request was sent without a RequestTrace middleware option');
}

export function requestUrl(context: Context): string {
  return typeof context.request === 'string' ? context.request : context.request.url;
}

/** Path and query of a URL without the host, for logs. */
export function pathOf(url: string): string {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}
