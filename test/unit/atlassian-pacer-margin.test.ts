import { describe, expect, it } from 'vitest';
import { RatePacer } from '../../lambdas/atlassian/pacer.js';
import { RESET_MARGIN_MS } from '../../lambdas/atlassian/backoff.js';
import { ManualClock } from '../../lambdas/shared/index.js';

const T0 = Date.parse('2026-11-01T02:00:00Z');
const headers = (remaining: number, resetAt: number) => (name: string) =>
  ({
    'x-ratelimit-limit': '20',
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': new Date(resetAt).toISOString(),
  })[name] ?? null;

/** How long a request waits once the window's budget is spent, after the pacer saw these resets. */
async function waitAfter(resets: number[]): Promise<number> {
  const clock = new ManualClock(T0);
  const pacer = new RatePacer(clock);
  for (const r of resets) pacer.update('user-write', headers(5, r));
  pacer.update('user-write', headers(0, resets[resets.length - 1]!));
  const before = clock.now();
  await pacer.acquire('user-write', 600_000);
  return clock.now() - before;
}

describe('the wait after an announced reset', () => {
  it('is a full second while the window length is unknown (one reset seen)', async () => {
    expect(await waitAfter([T0 + 400])).toBe(400 + RESET_MARGIN_MS);
  });

  it('is a sixtieth of the window once two successive resets show it (20 ms at least), so no 1-second window is skipped', async () => {
    expect(await waitAfter([T0 - 600, T0 + 400])).toBe(400 + 20);
    expect(await waitAfter([T0 - 1_600, T0 - 600, T0 + 400])).toBe(400 + 20);
  });

  it('learns the window across its end (the pacer forgets an ended window but not its reset)', async () => {
    const clock = new ManualClock(T0);
    const pacer = new RatePacer(clock);
    pacer.update('user-write', headers(5, T0 + 400));
    clock.advance(500);
    await pacer.acquire('user-write', 600_000); // the window has ended: no wait, and it is forgotten
    expect(clock.now()).toBe(T0 + 500);
    pacer.update('user-write', headers(0, T0 + 1_400));
    await pacer.acquire('user-write', 600_000);
    expect(clock.now()).toBe(T0 + 1_400 + 20);
  });

  it('stays a full second for minute-long windows (the real API) and at least 20 ms', async () => {
    expect(await waitAfter([T0 - 59_600, T0 + 400])).toBe(400 + 1_000);
    expect(await waitAfter([T0 - 4_600, T0 + 400])).toBe(400 + 83);
  });

  it('learns nothing from resets less than a second apart (a sliding window) and takes the shortest gap seen', async () => {
    expect(await waitAfter([T0 - 200, T0 + 400])).toBe(400 + RESET_MARGIN_MS);
    expect(await waitAfter([T0 - 5_600, T0 - 3_600, T0 + 400])).toBe(400 + 33);
  });

  it('a 429 with only X-RateLimit-Reset waits for the reset plus the same margin', async () => {
    const { throttleWait } = await import('../../lambdas/atlassian/backoff.js');
    const h = (name: string) => (name === 'x-ratelimit-reset' ? new Date(T0 + 300).toISOString() : null);
    expect(throttleWait(h, T0, 0, () => 0.5, 17)).toEqual({ ms: 317, source: 'ratelimit-reset' });
    expect(throttleWait(h, T0, 0, () => 0.5)).toEqual({ ms: 1_300, source: 'ratelimit-reset' });
  });
});
