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
  /** Window length per class, once the same gap (1 s or more) has separated three successive announced resets. */
  private readonly windowMs = new Map<EndpointClass, number>();
  /** The latest reset announced per class (kept after its window ends, to measure the next gap). */
  private readonly lastReset = new Map<EndpointClass, number>();
  /** The gap between the two latest announced resets per class. */
  private readonly lastGap = new Map<EndpointClass, number>();
  /** Classes whose windows did not end when this machine's clock said: the full margin for good. */
  private readonly unsure = new Set<EndpointClass>();
  /** Total time spent waiting for windows to reset, per class (for benchmarks). */
  readonly waitedMs = new Map<EndpointClass, number>();

  constructor(
    private readonly clock: Clock,
    /** Requests left unspent in each window, for other clients of the same org. @default 1 */
    private readonly reserve = 1,
  ) {}

  /** Requests reserved so far per class: a response's ticket tells how many left after it. */
  private readonly sent = new Map<EndpointClass, number>();

  /** Waits (on the clock) until a request of this class may go, then reserves it. */
  async acquire(cls: EndpointClass, maxWaitMs: number): Promise<PaceWait | undefined> {
    return (await this.take(cls, maxWaitMs)).waited;
  }

  /**
   * As {@link acquire}, and returns the request's ticket for {@link update} (none when the wait
   * would be longer than `maxWaitMs`: nothing is reserved then).
   */
  async take(cls: EndpointClass, maxWaitMs: number): Promise<{ waited?: PaceWait; ticket?: number }> {
    let waited: PaceWait | undefined;
    for (;;) {
      const w = this.windows.get(cls);
      const now = this.clock.now();
      if (!w || now >= w.resetAt) {
        if (w) this.windows.delete(cls);
        return { ...(waited && { waited }), ticket: this.reserveOne(cls) };
      }
      if (w.remaining > this.reserve) {
        w.remaining -= 1;
        return { ...(waited && { waited }), ticket: this.reserveOne(cls) };
      }
      const ms = w.resetAt - now + this.marginMs(cls);
      if (ms > maxWaitMs) return { waited: { ms, cls } };
      this.waitedMs.set(cls, (this.waitedMs.get(cls) ?? 0) + ms);
      await this.clock.sleep(ms);
      waited = { ms: (waited?.ms ?? 0) + ms, cls };
    }
  }

  private reserveOne(cls: EndpointClass): number {
    const n = (this.sent.get(cls) ?? 0) + 1;
    this.sent.set(cls, n);
    return n;
  }

  /**
   * Records what a response said about the window. With the request's `ticket` (from {@link take}),
   * the requests sent after it are taken off the announced remaining: they were not counted when it
   * was answered. (Without that, the requests sent at a window's start, before any response told
   * its budget, were spent twice: 2 of every 20 requests drew a 429 at 4 at once.)
   */
  update(cls: EndpointClass, header: HeaderGetter, throttled = false, ticket?: number): void {
    const limit = Number(header('x-ratelimit-limit'));
    const announced = Number(header('x-ratelimit-remaining'));
    const remaining = ticket === undefined ? announced : Math.max(0, announced - ((this.sent.get(cls) ?? 0) - ticket));
    const resetAt = parseReset(header('x-ratelimit-reset'));
    if (
      !Number.isFinite(limit) ||
      !Number.isFinite(announced) ||
      resetAt === undefined ||
      header('x-ratelimit-remaining') === null
    )
      return;
    const last = this.lastReset.get(cls);
    if (!throttled && (last === undefined || resetAt > last)) {
      if (last !== undefined) {
        // Fixed windows announce resets a whole window apart; a reset that moves with each request
        // (a sliding window) gives gaps that rarely repeat, and one odd gap teaches nothing.
        const gap = resetAt - last;
        if (gap >= 1_000 && gap === this.lastGap.get(cls)) this.windowMs.set(cls, gap);
        this.lastGap.set(cls, gap);
      }
      this.lastReset.set(cls, resetAt);
    }
    const w = this.windows.get(cls);
    // Responses can arrive out of order: within one window, the smallest remaining is the truth.
    if (w && w.resetAt === resetAt) {
      w.remaining = Math.min(w.remaining, remaining);
      w.limit = limit;
    } else if (!w || resetAt > w.resetAt) {
      this.windows.set(cls, { limit, remaining, resetAt });
    }
  }

  /**
   * Time added after an announced reset before sending again, so the request lands in the new
   * window although the two clocks differ a little: {@link RESET_MARGIN_MS} for windows of a minute
   * or more (Atlassian's), a sixtieth of the window for shorter ones once three successive resets
   * have shown its length (20 ms at least). A full second after a 1-second window would skip every
   * other window and halve the rate. Back to the full margin for good once a 429 shows that a
   * window the clock says has ended had not ({@link throttledAt}).
   */
  marginMs(cls: EndpointClass): number {
    const windowMs = this.unsure.has(cls) ? undefined : this.windowMs.get(cls);
    return windowMs === undefined
      ? RESET_MARGIN_MS
      : Math.min(RESET_MARGIN_MS, Math.max(20, Math.round(windowMs / 60)));
  }

  /**
   * After a 429 announcing `resetAt` for a request sent at `sentAt` (this machine's clock): a request
   * sent after the window's announced end and still counted in it means the server's clock is behind
   * ours or its windows are not fixed, so the short margin is given up. (A 429 whose window ends
   * while the answer travels says nothing of the kind.)
   */
  throttledAt(cls: EndpointClass, resetAt: number | undefined, sentAt: number): void {
    if (resetAt !== undefined && resetAt <= sentAt) this.unsure.add(cls);
  }

  /** Marks the window spent (after a 429), until its reset. */
  exhaust(cls: EndpointClass, resetAt: number): void {
    const w = this.windows.get(cls);
    this.windows.set(cls, { limit: w?.limit ?? 0, remaining: 0, resetAt: Math.max(resetAt, w?.resetAt ?? 0) });
  }
}
