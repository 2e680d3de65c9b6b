import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RatePacer } from '../../lambdas/atlassian/pacer.js';
import { RESET_MARGIN_MS, throttleWait } from '../../lambdas/atlassian/backoff.js';
import { Transport } from '../../lambdas/atlassian/transport.js';
import { ManualClock, silentLogger } from '../../lambdas/shared/index.js';

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
  it('is a full second while the window length is not known (one gap is not enough)', async () => {
    expect(await waitAfter([T0 + 400])).toBe(400 + RESET_MARGIN_MS);
    expect(await waitAfter([T0 - 600, T0 + 400])).toBe(400 + RESET_MARGIN_MS);
  });

  it('is a sixtieth of the window once the same gap separates three resets (20 ms at least), so no 1-second window is skipped', async () => {
    expect(await waitAfter([T0 - 1_600, T0 - 600, T0 + 400])).toBe(400 + 20);
    expect(await waitAfter([T0 - 9_600, T0 - 4_600, T0 + 400])).toBe(400 + 83);
  });

  it('stays a full second for minute-long windows (the real API)', async () => {
    expect(await waitAfter([T0 - 119_600, T0 - 59_600, T0 + 400])).toBe(400 + 1_000);
  });

  it('learns nothing from gaps that differ or are under a second (resets that move with each request)', async () => {
    expect(await waitAfter([T0 - 3_100, T0 - 1_900, T0 + 400])).toBe(400 + RESET_MARGIN_MS);
    expect(await waitAfter([T0 - 200, T0 + 100, T0 + 400])).toBe(400 + RESET_MARGIN_MS);
  });

  it('learns the window across its end (the pacer forgets an ended window but not its reset)', async () => {
    const clock = new ManualClock(T0);
    const pacer = new RatePacer(clock);
    pacer.update('user-write', headers(5, T0 + 400));
    for (const end of [T0 + 1_400, T0 + 2_400]) {
      clock.advance(end - 1_000 + 100 - clock.now());
      await pacer.acquire('user-write', 600_000); // the window has ended: no wait, and it is forgotten
      pacer.update('user-write', headers(0, end));
    }
    const before = clock.now();
    await pacer.acquire('user-write', 600_000);
    expect(clock.now() - before).toBe(T0 + 2_400 - before + 20);
  });

  it('gives the short margin up for good after a 429 on a request sent past the announced reset', async () => {
    const clock = new ManualClock(T0);
    const pacer = new RatePacer(clock);
    for (const r of [T0 - 1_600, T0 - 600, T0 + 400]) pacer.update('user-write', headers(5, r));
    expect(pacer.marginMs('user-write')).toBe(20);
    pacer.throttledAt('user-write', T0 + 400, T0 + 300); // sent before the reset: says nothing
    expect(pacer.marginMs('user-write')).toBe(20);
    pacer.throttledAt('user-write', T0 + 400, T0 + 420); // sent after it, and still counted in it
    expect(pacer.marginMs('user-write')).toBe(RESET_MARGIN_MS);
    for (const r of [T0 + 1_400, T0 + 2_400, T0 + 3_400]) pacer.update('user-write', headers(5, r));
    expect(pacer.marginMs('user-write')).toBe(RESET_MARGIN_MS);
  });

  it('a 429 with only X-RateLimit-Reset waits for the reset plus the margin given', () => {
    const h = (name: string) => (name === 'x-ratelimit-reset' ? new Date(T0 + 300).toISOString() : null);
    expect(throttleWait(h, T0, 0, () => 0.5, 20)).toEqual({ ms: 320, source: 'ratelimit-reset' });
    expect(throttleWait(h, T0, 0, () => 0.5)).toEqual({ ms: 1_300, source: 'ratelimit-reset' });
  });
});

type Server = (serverNow: number) => { status: number; headers: Record<string, string> };

/** Fixed windows aligned on the server's clock (as the simulator's). */
function fixedWindows(windowMs: number, limit: number): Server {
  let start = -1;
  let used = 0;
  return (now) => {
    const s = Math.floor(now / windowMs) * windowMs;
    if (s !== start) [start, used] = [s, 0];
    const ok = used < limit;
    if (ok) used++;
    return {
      status: ok ? 200 : 429,
      headers: {
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': String(limit - used),
        'x-ratelimit-reset': new Date(s + windowMs).toISOString(),
      },
    };
  };
}

/** A sliding log: the reset is when the oldest counted request leaves the window. */
function slidingWindow(windowMs: number, limit: number): Server {
  const log: number[] = [];
  return (now) => {
    while (log.length > 0 && log[0]! <= now - windowMs) log.shift();
    const ok = log.length < limit;
    if (ok) log.push(now);
    return {
      status: ok ? 200 : 429,
      headers: {
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': String(limit - log.length),
        'x-ratelimit-reset': new Date((log[0] ?? now) + windowMs).toISOString(),
      },
    };
  };
}

/** Sends `n` requests one after another (`gapMs` apart) to a server whose clock is `skewMs` behind ours. */
async function run(server: Server, skewMs: number, n: number, gapMs: number) {
  const clock = new ManualClock(T0);
  let throttled = 0;
  const fetch = (async () => {
    clock.advance(15);
    const answer = server(clock.now() - skewMs);
    if (answer.status === 429) throttled++;
    clock.advance(15);
    return new Response(answer.status === 200 ? '{"ok":true}' : '', { status: answer.status, headers: answer.headers });
  }) as typeof globalThis.fetch;
  const t = new Transport({ baseUrl: 'http://x', apiKey: 'k', clock, logger: silentLogger, fetch, random: () => 0.5 });
  let failed = 0;
  const started = clock.now();
  for (let i = 0; i < n; i++) {
    await t
      .send({ cls: 'user-write', method: 'GET', template: '/t', path: '/t', schema: z.object({ ok: z.boolean() }) })
      .catch(() => failed++);
    await clock.sleep(gapMs);
  }
  return { throttled, failed, seconds: (clock.now() - started) / 1000 };
}

describe('pacing against servers whose clocks or windows differ from ours', () => {
  it('same clock, 1-second windows: the rate stays near the limit (no window skipped)', async () => {
    const r = await run(fixedWindows(1_000, 20), 0, 400, 0);
    expect(r.failed).toBe(0);
    expect(r.throttled).toBe(0);
    // 400 requests at 19 per window (one kept in reserve): 21 windows at the least, two more while
    // the window's length is learnt; a full second after every reset would take about 42 s.
    expect(r.seconds).toBeLessThan(25);
  });

  it('server clock 400 ms behind, 1-second windows: a few 429s, then the full margin, none failed', async () => {
    const r = await run(fixedWindows(1_000, 20), 400, 400, 0);
    expect(r.failed).toBe(0);
    expect(r.throttled).toBeLessThanOrEqual(3);
  });

  it('a sliding minute with the server clock 600 ms behind: nothing fails', async () => {
    const r = await run(slidingWindow(60_000, 10), 600, 40, 1_200);
    expect(r.failed).toBe(0);
  });
});

describe('pacing concurrent requests', () => {
  it("takes the requests sent before a window's first answer off its budget: no 429, one request of each window kept in reserve", async () => {
    const clock = new ManualClock(T0);
    const windows = new Map<number, number>();
    let throttled = 0;
    const server = fixedWindows(1_000, 20);
    const fetch = (async () => {
      const answer = server(clock.now());
      if (answer.status === 429) throttled++;
      else {
        const w = Math.floor(clock.now() / 1_000);
        windows.set(w, (windows.get(w) ?? 0) + 1);
      }
      // the answer comes back after the other requests under way have gone out
      await new Promise((r) => setImmediate(r));
      clock.advance(3);
      return new Response('{"ok":true}', { status: answer.status, headers: answer.headers });
    }) as typeof globalThis.fetch;
    const t = new Transport({
      baseUrl: 'http://x',
      apiKey: 'k',
      clock,
      logger: silentLogger,
      fetch,
      random: () => 0.5,
      concurrency: { 'user-write': 4 },
    });
    const results = await Promise.allSettled(
      Array.from({ length: 300 }, () =>
        t.send({ cls: 'user-write', method: 'GET', template: '/t', path: '/t', schema: z.object({ ok: z.boolean() }) }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(throttled).toBe(0);
    expect(Math.max(...windows.values())).toBe(19);
  });
});
