import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { requestUrl, traceOf } from './request-trace.js';

/** The fetch this module calls: undici's, or a fake in unit tests (no socket). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * Last middleware (in place of the Graph client's HTTPMessageHandler, which calls the global fetch
 * and cannot be given a dispatcher that trusts the simulator's CA). Reads the whole body inside the
 * attempt, so a connection reset or timeout mid-body is retried like any transient failure.
 */
export class FetchMiddleware implements Middleware {
  constructor(
    private readonly fetchImpl: FetchLike,
    private readonly dispatcher: unknown,
    private readonly timeoutMs: number,
  ) {}

  async execute(context: Context): Promise<void> {
    const trace = traceOf(context);
    trace.attempts++;
    trace.stats.httpRequests++;
    const init: RequestInit = { ...(context.options as RequestInit), signal: AbortSignal.timeout(this.timeoutMs) };
    // undici's own Agent (trusting an extra CA); typed loosely because Node's global types pin another undici.
    if (this.dispatcher !== undefined) (init as { dispatcher?: unknown }).dispatcher = this.dispatcher;
    const res = await this.fetchImpl(requestUrl(context), init);
    const text = await res.text();
    context.response = new Response(NULL_BODY.has(res.status) ? null : text, {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
  }
}
