/**
 * When to retry a Graph request and how long to wait. Throttled (429) and transient (5xx, reset,
 * timeout) failures have separate budgets; Retry-After wins over computed back-off; no wait may end
 * after the invocation's deadline. Graph guidance: learn.microsoft.com/graph/throttling ("wait the
 * number of seconds specified in the Retry-After header"; without it, back off exponentially).
 */
import { parseRetryAfter } from '../shared/retry-after.js';

export { systemClock, type Clock } from '../shared/clock.js';

export interface RetryOptions {
  /** Retries of 429 responses, per request. @default 6 */
  readonly maxThrottledRetries?: number;
  /** Retries of 5xx responses, connection resets and timeouts, per request. @default 4 */
  readonly maxTransientRetries?: number;
  /** First transient back-off, doubled on each retry, with jitter. @default 1000 */
  readonly baseDelayMs?: number;
  /** Wait after a 429 that carries no Retry-After, doubled on each retry. @default 5000 */
  readonly throttleFallbackMs?: number;
  /** Longest single wait; a Retry-After longer than this is not waited for (the read fails and can be resumed). @default 120000 */
  readonly maxDelayMs?: number;
  /** Epoch milliseconds after which no wait may end (the Lambda's deadline minus a margin). @default no deadline */
  readonly deadline?: () => number | undefined;
  /** Uniform random in [0, 1), for jitter. @default Math.random */
  readonly random?: () => number;
}

export type FailureKind = 'throttled' | 'transient';

export interface Failure {
  readonly kind: FailureKind;
  /** From Retry-After, when the response carried one. */
  readonly retryAfterMs?: number;
}

/** Retries used so far by one request. */
export interface RetryCount {
  throttled: number;
  transient: number;
}

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number }
  | { readonly retry: false; readonly reason: 'budget' | 'deadline' | 'too-long'; readonly delayMs?: number };

export { parseRetryAfter };

/** Classifies an HTTP status; undefined when the response is final (success or a non-retryable error). */
export function classifyStatus(
  status: number,
  retryAfter: string | null | undefined,
  now: number,
): Failure | undefined {
  const retryAfterMs = parseRetryAfter(retryAfter, now);
  const extra = retryAfterMs === undefined ? {} : { retryAfterMs };
  if (status === 429) return { kind: 'throttled', ...extra };
  if (status === 500 || status === 502 || status === 503 || status === 504) return { kind: 'transient', ...extra };
  return undefined;
}

export class RetryPolicy {
  private readonly maxThrottled: number;
  private readonly maxTransient: number;
  private readonly baseDelayMs: number;
  private readonly throttleFallbackMs: number;
  private readonly maxDelayMs: number;
  private readonly deadline: () => number | undefined;
  private readonly random: () => number;

  constructor(options: RetryOptions = {}) {
    this.maxThrottled = options.maxThrottledRetries ?? 6;
    this.maxTransient = options.maxTransientRetries ?? 4;
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.throttleFallbackMs = options.throttleFallbackMs ?? 5000;
    this.maxDelayMs = options.maxDelayMs ?? 120_000;
    this.deadline = options.deadline ?? (() => undefined);
    this.random = options.random ?? Math.random;
  }

  /** Decides the next step after a failure; increments `count` when it says retry. */
  decide(failure: Failure, count: RetryCount, now: number): RetryDecision {
    const used = failure.kind === 'throttled' ? count.throttled : count.transient;
    const budget = failure.kind === 'throttled' ? this.maxThrottled : this.maxTransient;
    if (used >= budget)
      return {
        retry: false,
        reason: 'budget',
        ...(failure.retryAfterMs !== undefined && { delayMs: failure.retryAfterMs }),
      };
    const delayMs = this.delay(failure, used);
    if (failure.retryAfterMs !== undefined && failure.retryAfterMs > this.maxDelayMs)
      return { retry: false, reason: 'too-long', delayMs };
    const deadline = this.deadline();
    if (deadline !== undefined && now + delayMs > deadline) return { retry: false, reason: 'deadline', delayMs };
    if (failure.kind === 'throttled') count.throttled++;
    else count.transient++;
    return { retry: true, delayMs };
  }

  private delay(failure: Failure, used: number): number {
    // A little jitter on top of Retry-After, so parallel requests do not return in the same millisecond.
    if (failure.retryAfterMs !== undefined)
      return failure.retryAfterMs + Math.floor(this.random() * Math.min(1000, failure.retryAfterMs * 0.1 + 50));
    const base = failure.kind === 'throttled' ? this.throttleFallbackMs : this.baseDelayMs;
    const ceiling = Math.min(this.maxDelayMs, base * 2 ** used);
    // "Equal jitter": half fixed, half random.
    return Math.floor(ceiling / 2 + this.random() * (ceiling / 2));
  }
}
