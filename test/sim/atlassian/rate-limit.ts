/**
 * Fixed-window rate limiting per endpoint class. Windows are aligned to multiples of `windowMs`
 * on the injected clock; `X-RateLimit-Reset` is the end of the current window (ISO 8601 UTC).
 */
import { DEFAULT_RATE_LIMITS, ENDPOINT_CLASSES, type EndpointClass, type RateLimit } from './types.js';

export interface RateDecision {
  readonly allowed: boolean;
  readonly headers: Record<string, string>;
}

interface Window {
  start: number;
  /** Requests that passed (the budget spent). */
  used: number;
  /** Every request received in the window, 429ed ones included. */
  received: number;
  peak: number;
}

export class RateLimiter {
  private readonly limits: Record<EndpointClass, RateLimit>;
  private readonly windows = new Map<EndpointClass, Window>();

  constructor(
    overrides: Partial<Record<EndpointClass, RateLimit>> | undefined,
    private readonly retryAfterHeader: boolean,
  ) {
    this.limits = { ...DEFAULT_RATE_LIMITS, ...overrides };
    for (const [cls, l] of Object.entries(this.limits)) {
      if (!(l.limit >= 1 && l.windowMs >= 1))
        throw new Error(`rateLimits.${cls} must have limit >= 1 and windowMs >= 1, got ${JSON.stringify(l)}`);
    }
  }

  private window(cls: EndpointClass, now: number): Window {
    const { windowMs } = this.limits[cls];
    const start = Math.floor(now / windowMs) * windowMs;
    let w = this.windows.get(cls);
    if (!w) this.windows.set(cls, (w = { start, used: 0, received: 0, peak: 0 }));
    if (w.start !== start) Object.assign(w, { start, used: 0, received: 0 });
    return w;
  }

  private headers(
    cls: EndpointClass,
    w: Window,
    now: number,
    remaining: number,
    throttled: boolean,
  ): Record<string, string> {
    const reset = w.start + this.limits[cls].windowMs;
    return {
      'X-RateLimit-Limit': String(this.limits[cls].limit),
      'X-RateLimit-Remaining': String(Math.max(0, remaining)),
      'X-RateLimit-Reset': new Date(reset).toISOString(),
      ...(throttled &&
        this.retryAfterHeader && { 'Retry-After': String(Math.max(1, Math.ceil((reset - now) / 1000))) }),
    };
  }

  /** Counts a request and spends budget; `forceThrottle` (a 429 storm) answers 429 without spending. */
  take(cls: EndpointClass, now: number, forceThrottle = false): RateDecision {
    const w = this.window(cls, now);
    w.received++;
    w.peak = Math.max(w.peak, w.received);
    const allowed = !forceThrottle && w.used < this.limits[cls].limit;
    if (allowed) w.used++;
    const remaining = forceThrottle ? 0 : this.limits[cls].limit - w.used;
    return { allowed, headers: this.headers(cls, w, now, remaining, !allowed) };
  }

  /** Headers describing the window without counting a request (for 401s). */
  peek(cls: EndpointClass, now: number): Record<string, string> {
    const w = this.window(cls, now);
    return this.headers(cls, w, now, this.limits[cls].limit - w.used, false);
  }

  peaks(): Record<EndpointClass, number> {
    return Object.fromEntries(ENDPOINT_CLASSES.map((c) => [c, this.windows.get(c)?.peak ?? 0])) as Record<
      EndpointClass,
      number
    >;
  }

  resetPeaks(): void {
    for (const w of this.windows.values()) w.peak = 0;
  }
}
