import pLimit, { type LimitFunction } from 'p-limit';
import type { z } from 'zod';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { throttleWait, transientWait, parseReset, parseRetryAfter, type HeaderGetter } from './backoff.js';
import { DEFAULT_CONCURRENCY, type EndpointClass } from './endpoint-class.js';
import { AtlassianError, BudgetExhaustedError, MalformedResponseError, ThrottledError } from './errors.js';
import { errorFromResponse } from './error-mapping.js';
import { RatePacer } from './pacer.js';

export interface TransportOptions {
  /** e.g. https://api.atlassian.com (the simulator's URL locally). */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Per-request timeout. @default 30000 */
  readonly timeoutMs?: number;
  /** 429s survived per request before ThrottledError. @default 10 */
  readonly throttleRetries?: number;
  /** 5xx/reset/timeout/malformed-read retries per request before BudgetExhaustedError. @default 4 */
  readonly transientRetries?: number;
  /** Concurrency per endpoint class. @default DEFAULT_CONCURRENCY */
  readonly concurrency?: Partial<Record<EndpointClass, number>>;
  /** Epoch ms after which no wait may end (the invocation's end). @default none */
  readonly deadline?: () => number;
  /** Requests left unspent per rate-limit window. @default 1 */
  readonly rateReserve?: number;
  readonly random?: () => number;
  readonly fetch?: typeof fetch;
}

export interface ApiRequest<S extends z.ZodType | undefined> {
  readonly cls: EndpointClass;
  readonly method: 'GET' | 'POST';
  /** Path template for messages and metrics, e.g. `/admin/v1/orgs/{orgId}/users`. */
  readonly template: string;
  /** Concrete path, e.g. `/admin/v1/orgs/123/users`. */
  readonly path: string;
  readonly query?: Record<string, string | undefined>;
  readonly body?: unknown;
  /** Schema of a successful body; undefined for 204-style answers. */
  readonly schema: S;
  readonly accountId?: string;
}

export interface ApiResponse<T> {
  readonly status: number;
  readonly data: T;
}

/** Counters of what the transport did, for benchmarks and progress lines. */
export interface TransportStats {
  requests: number;
  byEndpoint: Record<string, number>;
  throttled: number;
  transientRetries: number;
  paceWaitMs: number;
}

type Outcome<T> =
  | { kind: 'ok'; value: ApiResponse<T> }
  | { kind: 'throttled'; header: HeaderGetter; sentAt: number }
  | { kind: 'transient'; why: string; retryAfterMs?: number; cause?: unknown; unreachable?: boolean };

/**
 * One HTTP door to the admin APIs: auth, timeout, pacing, retries with separate throttle and
 * transient budgets, schema validation. The API key lives only in a private field and the
 * Authorization header; it is never put in a log line or an error.
 */
export class Transport {
  readonly #apiKey: string;
  private readonly pacer: RatePacer;
  private readonly limits = new Map<EndpointClass, LimitFunction>();
  readonly stats: TransportStats = { requests: 0, byEndpoint: {}, throttled: 0, transientRetries: 0, paceWaitMs: 0 };

  private readonly options: Omit<TransportOptions, 'apiKey'>;

  constructor({ apiKey, ...options }: TransportOptions) {
    this.#apiKey = apiKey;
    this.options = options;
    this.pacer = new RatePacer(options.clock, options.rateReserve ?? 1);
  }

  private limit(cls: EndpointClass): LimitFunction {
    let l = this.limits.get(cls);
    if (!l) {
      l = pLimit(this.options.concurrency?.[cls] ?? DEFAULT_CONCURRENCY[cls]);
      this.limits.set(cls, l);
    }
    return l;
  }

  private timeLeft(): number {
    const d = this.options.deadline?.();
    return d === undefined ? Number.POSITIVE_INFINITY : d - this.options.clock.now();
  }

  async send<S extends z.ZodType | undefined>(
    req: ApiRequest<S>,
  ): Promise<ApiResponse<S extends z.ZodType ? z.output<S> : undefined>> {
    const endpoint = `${req.method} ${req.template}`;
    const { clock, logger } = this.options;
    const random = this.options.random ?? Math.random;
    const maxThrottle = this.options.throttleRetries ?? 10;
    const maxTransient = this.options.transientRetries ?? 4;
    let throttles = 0;
    let transients = 0;
    for (;;) {
      // The budget is taken once a request may go out (inside the class's concurrency limit): a
      // request that took it and then queued could leave after the window's reset, outside the
      // window it was counted in, and overspend the next one.
      const outcome = await this.limit(req.cls)(async () => {
        const { waited: paced, ticket } = await this.pacer.take(req.cls, this.timeLeft());
        if (paced && paced.ms > this.timeLeft()) {
          throw new ThrottledError(
            `${endpoint}: the ${req.cls} rate-limit window resets in ${Math.ceil(paced.ms / 1000)} s, after this invocation must end; the scheduled run is retried later.`,
            { endpoint, retryAfterMs: paced.ms, accountId: req.accountId },
          );
        }
        if (paced) this.stats.paceWaitMs += paced.ms;
        return this.attempt(req, endpoint, ticket);
      });
      if (outcome.kind === 'ok') return outcome.value as ApiResponse<S extends z.ZodType ? z.output<S> : undefined>;
      if (outcome.kind === 'throttled') {
        this.stats.throttled += 1;
        const reset = parseReset(outcome.header('x-ratelimit-reset'));
        this.pacer.throttledAt(req.cls, reset, outcome.sentAt);
        const wait = throttleWait(outcome.header, clock.now(), throttles, random, this.pacer.marginMs(req.cls));
        this.pacer.exhaust(req.cls, reset ?? clock.now() + wait.ms);
        throttles += 1;
        if (throttles > maxThrottle || wait.ms > this.timeLeft()) {
          const why =
            throttles > maxThrottle
              ? `still throttled after ${maxThrottle} retries`
              : `asked to wait ${Math.ceil(wait.ms / 1000)} s, longer than this invocation has left`;
          throw new ThrottledError(
            `${endpoint}: rate limited (429), ${why}. The scheduled run is retried later; if this repeats, schedule the plan at a quieter hour (schedules.plan) or ask Atlassian about the org's rate limit.`,
            { endpoint, status: 429, retryAfterMs: wait.ms, accountId: req.accountId },
          );
        }
        logger.log('warn', 'atlassian.throttled', {
          endpoint,
          waitMs: wait.ms,
          source: wait.source,
          attempt: throttles,
        });
        await clock.sleep(wait.ms);
        continue;
      }
      transients += 1;
      this.stats.transientRetries += 1;
      if (transients > maxTransient) {
        if (outcome.cause instanceof AtlassianError) throw outcome.cause;
        throw new BudgetExhaustedError(
          outcome.unreachable
            ? `${endpoint}: atlassian.baseUrl ${this.options.baseUrl} could not be reached (${outcome.why}); gave up after ${maxTransient} retries. ` +
                "Check atlassian.baseUrl (https://api.atlassian.com for Atlassian Cloud, or the simulator's URL) and that this machine can reach it."
            : `${endpoint}: ${outcome.why}; gave up after ${maxTransient} retries. Atlassian may be degraded (status.atlassian.com); the run can be resumed.`,
          { endpoint, attempts: transients, accountId: req.accountId, cause: outcome.cause },
        );
      }
      const ms = Math.min(outcome.retryAfterMs ?? transientWait(transients - 1, random), Math.max(0, this.timeLeft()));
      logger.log('warn', 'atlassian.retry', { endpoint, why: outcome.why, waitMs: ms, attempt: transients });
      await clock.sleep(ms);
    }
  }

  private async attempt<S extends z.ZodType | undefined>(
    req: ApiRequest<S>,
    endpoint: string,
    ticket?: number,
  ): Promise<Outcome<unknown>> {
    const url = new URL(req.path, this.options.baseUrl);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const sentAt = this.options.clock.now();
    this.stats.requests += 1;
    this.stats.byEndpoint[endpoint] = (this.stats.byEndpoint[endpoint] ?? 0) + 1;
    let res: Response;
    let text: string;
    try {
      res = await (this.options.fetch ?? fetch)(url, {
        method: req.method,
        headers: {
          Authorization: `Bearer ${this.#apiKey}`,
          Accept: 'application/json',
          ...(req.body !== undefined && { 'Content-Type': 'application/json' }),
        },
        ...(req.body !== undefined && { body: JSON.stringify(req.body) }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
      text = await res.text();
    } catch (cause) {
      const e = cause as Error & { cause?: { code?: string; message?: string; errors?: { code?: string }[] } };
      // undici puts the socket's code on the cause (on an AggregateError's errors for a name with several addresses).
      const code = e.cause?.code ?? e.cause?.errors?.[0]?.code;
      const why =
        e.name === 'TimeoutError'
          ? `no answer within ${this.options.timeoutMs ?? 30_000} ms`
          : `connection failed (${code ?? e.cause?.message ?? e.message})`;
      // No connection at all (refused, unknown host): most often a wrong atlassian.baseUrl.
      const unreachable = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(code ?? '');
      return { kind: 'transient', why, cause: new Error(why), unreachable };
    }
    const header: HeaderGetter = (n) => res.headers.get(n);
    this.pacer.update(req.cls, header, res.status === 429, ticket);
    if (res.status === 429) return { kind: 'throttled', header, sentAt };
    if (res.status >= 500) {
      return {
        kind: 'transient',
        why: `server error ${res.status}`,
        retryAfterMs: parseRetryAfter(header('retry-after'), this.options.clock.now()),
      };
    }
    if (res.status >= 400) throw errorFromResponse(endpoint, res.status, text, req.accountId);
    if (req.schema === undefined) return { kind: 'ok', value: { status: res.status, data: undefined } };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return {
        kind: 'transient',
        why: `response body is not valid JSON (${text.length} bytes, starts ${JSON.stringify(text.slice(0, 40))})`,
        cause: new MalformedResponseError(`${endpoint}: response body is not valid JSON`, {
          endpoint,
          status: res.status,
          field: '(body)',
        }),
      };
    }
    const parsed = req.schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.map(String).join('.') || '(body)';
      throw new MalformedResponseError(
        `${endpoint}: response field ${field} does not match the documented schema: ${issue.message}. Nothing from this response was used.`,
        { endpoint, status: res.status, field, accountId: req.accountId },
      );
    }
    return { kind: 'ok', value: { status: res.status, data: parsed.data } };
  }
}

export { AtlassianError };
