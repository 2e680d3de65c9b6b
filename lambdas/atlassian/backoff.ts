/**
 * How long to wait before retrying, from the response itself (STYLE.md, octokit plugin-throttling):
 * `Retry-After` first, then `X-RateLimit-Reset` plus a margin (pacer.ts: 1 s, less for short windows), then the documented fallback.
 *
 * Sources: Atlassian's rate-limit headers (organization.openapi.json, "rate limits":
 * X-RateLimit-Limit / Remaining / Reset, the reset as ISO 8601 UTC); the Retry-After header is not
 * documented for the admin APIs but Atlassian's Jira Cloud guidance says to honour it when present;
 * with neither, Atlassian's app-migration guidance ("Request backoff": double the delay after each
 * successive 429 up to a maximum, with jitter) gives the fallback below.
 */
import { parseRetryAfter } from '../shared/retry-after.js';

export const THROTTLE_FALLBACK = { initialMs: 5_000, maxMs: 60_000 } as const;
export const TRANSIENT_BACKOFF = { initialMs: 500, maxMs: 20_000 } as const;
/** Margin added after an announced reset, so the retry lands in the new window. */
export const RESET_MARGIN_MS = 1_000;

export type HeaderGetter = (name: string) => string | null;

export { parseRetryAfter };

/** X-RateLimit-Reset (ISO 8601) as an epoch ms; undefined when absent or unreadable. */
export function parseReset(value: string | null): number | undefined {
  if (!value) return undefined;
  const at = Date.parse(value.trim());
  return Number.isNaN(at) ? undefined : at;
}

export interface ThrottleWait {
  readonly ms: number;
  readonly source: 'retry-after' | 'ratelimit-reset' | 'fallback';
}

/** The wait before retrying a throttled request; `attempt` counts 429s of this request from 0. */
export function throttleWait(
  header: HeaderGetter,
  now: number,
  attempt: number,
  random: () => number = Math.random,
  marginMs: number = RESET_MARGIN_MS,
): ThrottleWait {
  const retryAfter = parseRetryAfter(header('retry-after'), now);
  if (retryAfter !== undefined) return { ms: retryAfter, source: 'retry-after' };
  const reset = parseReset(header('x-ratelimit-reset'));
  if (reset !== undefined) return { ms: Math.max(0, reset - now) + marginMs, source: 'ratelimit-reset' };
  const base = Math.min(THROTTLE_FALLBACK.maxMs, THROTTLE_FALLBACK.initialMs * 2 ** attempt);
  // Jitter is only ever added: waiting less than asked walks straight back into the limit.
  return { ms: Math.round(base * (1 + 0.25 * random())), source: 'fallback' };
}

/** Full-jitter exponential backoff for 5xx, resets and timeouts; `attempt` from 0. */
export function transientWait(attempt: number, random: () => number = Math.random): number {
  const cap = Math.min(TRANSIENT_BACKOFF.maxMs, TRANSIENT_BACKOFF.initialMs * 2 ** attempt);
  return Math.round(cap / 2 + (cap / 2) * random());
}
