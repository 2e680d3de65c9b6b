import { Client, ResponseType, TelemetryHandler } from '@microsoft/microsoft-graph-client';
import { Agent, fetch as undiciFetch } from 'undici';
import { AuthMiddleware } from './auth-middleware.js';
import type { TokenSource } from './credential.js';
import { EntraError, EntraResponseError, EntraUnavailableError } from './errors.js';
import { FetchMiddleware, type FetchLike } from './fetch-middleware.js';
import { graphFailure, type RequestPurpose } from './graph-errors.js';
import type { EntraLogger } from './logger.js';
import { RequestTrace } from './request-trace.js';
import type { Clock, RetryPolicy } from './retry-policy.js';
import { RetryMiddleware } from './retry-middleware.js';
import type { StatsCounter } from './stats.js';

export interface GraphTransportOptions {
  readonly graphBaseUrl: string;
  readonly clientId: string;
  readonly tokens: TokenSource;
  readonly policy: RetryPolicy;
  readonly clock: Clock;
  readonly logger: EntraLogger;
  readonly requestTimeoutMs: number;
  /** Extra CA (PEM) to trust for the Graph host. */
  readonly ca?: string;
  readonly fetch?: FetchLike;
}

/** One response inside a `$batch` answer. */
export interface InnerResponse {
  readonly status: number;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export const GRAPH_VERSION = 'v1.0';
/** Graph's documented `$batch` limit. */
export const MAX_BATCH = 20;

/**
 * The Graph client (@microsoft/microsoft-graph-client) with this module's middleware chain:
 * retry (injectable time, two budgets) > auth (token only for the Graph origin) > telemetry (the
 * SDK's client-request-id and SdkVersion headers) > fetch (undici, trusting an extra CA if given).
 */
export class GraphTransport {
  private readonly client: Client;
  /** `https://graph.microsoft.com/v1.0`: absolute nextLinks must start with it. */
  readonly versionRoot: string;

  constructor(private readonly o: GraphTransportOptions) {
    const origin = new URL(o.graphBaseUrl).origin;
    this.versionRoot = `${origin}/${GRAPH_VERSION}`;
    const dispatcher = o.ca === undefined ? undefined : new Agent({ connect: { ca: o.ca } });
    this.client = Client.initWithMiddleware({
      baseUrl: origin,
      defaultVersion: GRAPH_VERSION,
      customHosts: new Set([new URL(origin).hostname]),
      middleware: [
        new RetryMiddleware(o.policy, o.clock, o.logger),
        new AuthMiddleware(o.tokens, origin),
        new TelemetryHandler(),
        new FetchMiddleware(o.fetch ?? (undiciFetch as unknown as FetchLike), dispatcher, o.requestTimeoutMs),
      ],
    });
  }

  /** GETs a collection page (path relative to the version root, or an absolute nextLink); returns the JSON body or throws an EntraError. */
  async get(url: string, purpose: RequestPurpose, stats: StatsCounter): Promise<Record<string, unknown>> {
    const trace = new RequestTrace(stats);
    const { res, body } = await this.sendForJson(trace, purpose, () =>
      this.client.api(url).middlewareOptions([trace]).responseType(ResponseType.RAW).get(),
    );
    if (res.ok && body && typeof body === 'object') return body as Record<string, unknown>;
    if (res.ok)
      throw new EntraResponseError(
        `Microsoft Graph answered ${res.status} with no JSON object while trying to ${purpose.action}. Report it: this reader expected a collection page.`,
      );
    throw graphFailure(res.status, body, res.headers.get('retry-after'), purpose, {
      clientId: this.o.clientId,
      attempts: trace.attempts,
      now: this.o.clock.now(),
      ...(trace.gaveUp && { gaveUp: trace.gaveUp }),
    });
  }

  /** POSTs one `$batch` of GETs (at most 20; urls relative to the version root). Inner failures are returned, not thrown. */
  async batch(
    requests: readonly { id: string; url: string }[],
    stats: StatsCounter,
  ): Promise<Map<string, InnerResponse>> {
    if (requests.length > MAX_BATCH)
      throw new Error(`internal error: a $batch of ${requests.length} requests (Graph allows ${MAX_BATCH})`);
    const trace = new RequestTrace(stats);
    stats.batchRequests++;
    stats.batchedSubRequests += requests.length;
    const payload = { requests: requests.map((r) => ({ id: r.id, method: 'GET', url: r.url })) };
    const purpose: RequestPurpose = {
      action: `run a $batch of ${requests.length} reads`,
      permission: 'GroupMember.Read.All',
    };
    const { res, body } = await this.sendForJson(trace, purpose, () =>
      this.client.api('/$batch').middlewareOptions([trace]).responseType(ResponseType.RAW).post(payload),
    );
    if (!res.ok)
      throw graphFailure(res.status, body, res.headers.get('retry-after'), purpose, {
        clientId: this.o.clientId,
        attempts: trace.attempts,
        now: this.o.clock.now(),
        ...(trace.gaveUp && { gaveUp: trace.gaveUp }),
      });
    const responses = (body as { responses?: unknown } | undefined)?.responses;
    if (!Array.isArray(responses))
      throw new EntraResponseError(
        'Microsoft Graph answered a $batch without a "responses" array. Report it; meanwhile set useBatch to false.',
      );
    const out = new Map<string, InnerResponse>();
    for (const r of responses as { id?: unknown; status?: unknown; headers?: unknown; body?: unknown }[]) {
      if (typeof r.id !== 'string' || typeof r.status !== 'number')
        throw new EntraResponseError(
          'Microsoft Graph answered a $batch with a response lacking id or status. Report it; meanwhile set useBatch to false.',
        );
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries((r.headers as Record<string, unknown>) ?? {}))
        if (typeof v === 'string') headers[k.toLowerCase()] = v;
      out.set(r.id, { status: r.status, headers, body: r.body });
    }
    return out;
  }

  /**
   * Sends and reads the JSON body. A 2xx whose body breaks off (cut connection, JSON cut short) is a
   * transient failure like a reset: retried within the same transient budget, then reported. A body
   * that is not JSON at all (an HTML page: a wrong entra.graphBaseUrl) is not retried.
   */
  private async sendForJson(
    trace: RequestTrace,
    purpose: RequestPurpose,
    call: () => Promise<unknown>,
  ): Promise<{ res: Response; body: unknown }> {
    for (;;) {
      const res = await this.send(trace, call);
      const text = await res.text().catch(() => undefined);
      if (text !== undefined && !(res.ok && cutShort(text))) return { res, body: this.json(text, res, purpose) };
      const decision = this.o.policy.decide({ kind: 'transient' }, trace.count, this.o.clock.now());
      if (!decision.retry)
        throw new EntraUnavailableError(
          `Microsoft Graph's answer (${res.status}) broke off while trying to ${purpose.action}, after ${trace.attempts} attempt(s) (gave up: ${decision.reason}). The read can be re-run.`,
          trace.attempts,
        );
      trace.stats.transientRetries++;
      this.o.logger.warn('Graph answer was cut short; the request will be retried', {
        action: purpose.action,
        delayMs: decision.delayMs,
        attempt: trace.attempts,
      });
      await this.o.clock.sleep(decision.delayMs);
      trace.stats.waitedMs += decision.delayMs;
    }
  }

  private async send(trace: RequestTrace, call: () => Promise<unknown>): Promise<Response> {
    try {
      return (await call()) as Response;
    } catch (error) {
      if (trace.failure) throw trace.failure;
      if (error instanceof EntraError) throw error;
      // Not expected: the middleware translates everything. Keep only a name, never a vendor object.
      const name = error instanceof Error ? error.name : 'Error';
      throw new EntraUnavailableError(
        `The Graph client failed before any response (${name}). Re-run the read; report it if it repeats.`,
        trace.attempts,
      );
    }
  }

  private json(text: string, res: Response, purpose: RequestPurpose): unknown {
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new EntraResponseError(
        `Microsoft Graph answered ${res.status} with a body that is not JSON while trying to ${purpose.action} (starts with ${JSON.stringify(text.slice(0, 60))}). Check entra.graphBaseUrl points at Microsoft Graph.`,
        { status: res.status },
      );
    }
  }
}

/** A body that starts as JSON and does not parse: the answer was cut short on the way. */
function cutShort(text: string): boolean {
  if (!/^\s*[{[]/.test(text)) return false;
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
}
