import { describe, expect, it } from 'vitest';
import { classifyStatus, parseRetryAfter, RetryPolicy, type RetryCount } from '../../lambdas/entra/retry-policy.js';

const NOW = Date.parse('2026-11-01T00:00:00.000Z');
const fresh = (): RetryCount => ({ throttled: 0, transient: 0 });

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates as milliseconds', () => {
    expect(parseRetryAfter('30', NOW)).toBe(30_000);
    expect(parseRetryAfter('1.5', NOW)).toBe(1_500);
    expect(parseRetryAfter(new Date(NOW + 12_000).toUTCString(), NOW)).toBe(12_000);
  });

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
  });
});

describe('classifyStatus', () => {
  it('treats 429 as throttling and 500/502/503/504 as transient, keeping Retry-After', () => {
    expect(classifyStatus(429, '7', NOW)).toEqual({ kind: 'throttled', retryAfterMs: 7000 });
    expect(classifyStatus(503, '2', NOW)).toEqual({ kind: 'transient', retryAfterMs: 2000 });
    expect(classifyStatus(504, null, NOW)).toEqual({ kind: 'transient' });
  });

  it('leaves successes and client errors final', () => {
    for (const s of [200, 400, 401, 403, 404]) expect(classifyStatus(s, '5', NOW)).toBeUndefined();
  });
});

describe('RetryPolicy', () => {
  it('waits exactly Retry-After (plus bounded jitter) for a throttled response', () => {
    expect(
      new RetryPolicy({ random: () => 0 }).decide({ kind: 'throttled', retryAfterMs: 60_000 }, fresh(), NOW),
    ).toEqual({ retry: true, delayMs: 60_000 });
    const worst = new RetryPolicy({ random: () => 0.999 }).decide(
      { kind: 'throttled', retryAfterMs: 60_000 },
      fresh(),
      NOW,
    );
    expect(worst.retry && worst.delayMs).toBeGreaterThanOrEqual(60_000);
    expect(worst.retry && worst.delayMs).toBeLessThan(61_000);
  });

  it('keeps separate budgets for throttled and transient failures', () => {
    const policy = new RetryPolicy({ maxThrottledRetries: 2, maxTransientRetries: 1, random: () => 0 });
    const count = fresh();
    expect(policy.decide({ kind: 'throttled' }, count, NOW).retry).toBe(true);
    expect(policy.decide({ kind: 'throttled' }, count, NOW).retry).toBe(true);
    expect(policy.decide({ kind: 'transient' }, count, NOW).retry).toBe(true);
    expect(policy.decide({ kind: 'throttled' }, count, NOW)).toMatchObject({ retry: false, reason: 'budget' });
    expect(policy.decide({ kind: 'transient' }, count, NOW)).toMatchObject({ retry: false, reason: 'budget' });
    expect(count).toEqual({ throttled: 2, transient: 1 });
  });

  it('backs off exponentially with jitter when no Retry-After is given', () => {
    const policy = new RetryPolicy({ baseDelayMs: 1000, maxTransientRetries: 5, random: () => 0.5 });
    const count = fresh();
    const delays = [0, 1, 2].map(() => {
      const d = policy.decide({ kind: 'transient' }, count, NOW);
      return d.retry ? d.delayMs : -1;
    });
    expect(delays).toEqual([750, 1500, 3000]);
  });

  it('refuses a wait that would end after the invocation deadline', () => {
    const policy = new RetryPolicy({ deadline: () => NOW + 10_000, random: () => 0 });
    expect(policy.decide({ kind: 'throttled', retryAfterMs: 30_000 }, fresh(), NOW)).toEqual({
      retry: false,
      reason: 'deadline',
      delayMs: 30_000,
    });
    expect(policy.decide({ kind: 'throttled', retryAfterMs: 5_000 }, fresh(), NOW).retry).toBe(true);
  });

  it('does not wait for a Retry-After longer than the longest allowed wait', () => {
    expect(
      new RetryPolicy({ maxDelayMs: 60_000, random: () => 0 }).decide(
        { kind: 'throttled', retryAfterMs: 300_000 },
        fresh(),
        NOW,
      ),
    ).toMatchObject({ retry: false, reason: 'too-long' });
  });
});
