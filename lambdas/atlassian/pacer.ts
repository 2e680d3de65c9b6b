import type { Clock } from '../shared/clock.js';
import { parseReset, RESET_MARGIN_MS, type HeaderGetter } from './backoff.js';
import type { EndpointClass } from './endpoint-class.js';

interface Window {
  limit: number;
  /** Remaining requests as last announced, minus requests sent since. */
  remaining: number;
  resetAt: number;
}

export interface PaceWait {
  readonly ms: number;
  readonly cls: EndpointClass;
}

/**
 * Keeps each endpoint class just under its limit instead of bouncing off 429s: it spends the
 * window's announced budget (`X-RateLimit-Remaining`, less a reserve) and then waits for
 * `X-RateLimit-Reset` before sending more. Reservation is synchronous, so concurrent callers
 * never overspend the budget between two responses.
 */
export class RatePacer {
  private readonly windows = new Map<EndpointClass, Window>();
  /** Total time spent waiting for windows to reset, per class (for benchmarks). */
  readonly waitedMs = new Map<EndpointClass, number>();

  constructor(
    private readonly clock: Clock,
    /** Requests left unspent in each window, for other clients of the same org. @default 1 */
    private readonly reserve = 1,
  ) {}

  /** Waits (on the clock) until a request of this class may go, then reserves it. */
  async acquire(cls: EndpointClass, maxWaitMs: number): Promise<PaceWait | undefined> {
    let waited: PaceWait | undefined;
    for (;;) {
      const w = this.windows.get(cls);
      const now = this.clock.now();
      if (!w || now >= w.resetAt) {
        if (w) this.windows.delete(cls);
        return waited;
      }
      if (w.remaining > this.reserve) {
        w.remaining -= 1;
        return waited;
      }
      const ms = w.resetAt - now + RESET_MARGIN_MS;
      if (ms > maxWaitMs) return { ms, cls };
      this.waitedMs.set(cls, (this.waitedMs.get(cls) ?? 0) + ms);
      await this.clock.sleep(ms);
      waited = { ms: (waited?.ms ?? 0) + ms, cls };
    }
  }

  /** Records what a response said about the window. */
  update(cls: EndpointClass, header: HeaderGetter): void {
    const limit = Number(header('x-ratelimit-limit'));
    const remaining = Number(header('x-ratelimit-remaining'));
    const resetAt = parseReset(header('x-ratelimit-reset'));
    if (
      !Number.isFinite(limit) ||
      !Number.isFinite(remaining) ||
      resetAt === undefined ||
      header('x-ratelimit-remaining') === null
    )
      return;
    const w = this.windows.get(cls);
    // Responses can arrive out of order: within one window, the smallest remaining is the truth.
    if (w && w.resetAt === resetAt) {
      w.remaining = Math.min(w.remaining, remaining);
      w.limit = limit;
    } else if (!w || resetAt > w.resetAt) {
      this.windows.set(cls, { limit, remaining, resetAt });
    }
  }

  /** Marks the window spent (after a 429), until its reset. */
  exhaust(cls: EndpointClass, resetAt: number): void {
    const w = this.windows.get(cls);
    this.windows.set(cls, { limit: w?.limit ?? 0, remaining: 0, resetAt: Math.max(resetAt, w?.resetAt ?? 0) });
  }
}
