import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  BadRequestError,
  BudgetExhaustedError,
  MalformedResponseError,
  ThrottledError,
  UnauthorizedError,
} from '../../lambdas/atlassian/index.js';
import { Transport } from '../../lambdas/atlassian/transport.js';
import { ManualClock, memoryLogger } from '../../lambdas/shared/index.js';
import { scriptedFetch, type ScriptedAnswer } from '../helpers/scripted-fetch.js';

const KEY = 'ATSECRET-key-0123456789abcdef';
const schema = z.object({ ok: z.boolean() });

function setup(answers: ScriptedAnswer[], extra: { deadlineMs?: number } = {}) {
  const clock = new ManualClock();
  const start = clock.now();
  const logger = memoryLogger();
  const f = scriptedFetch(answers);
  const t = new Transport({
    baseUrl: 'http://sim.test',
    apiKey: KEY,
    clock,
    logger,
    fetch: f.fetch,
    random: () => 0.5,
    ...(extra.deadlineMs !== undefined && { deadline: () => start + extra.deadlineMs! }),
  });
  const get = () =>
    t.send({
      cls: 'users-read',
      method: 'GET',
      template: '/admin/v1/orgs/{orgId}/users',
      path: '/admin/v1/orgs/o/users',
      schema,
    });
  return { clock, start, logger, f, t, get };
}

const ok: ScriptedAnswer = { body: { ok: true } };
const iso = (ms: number) => new Date(ms).toISOString();

describe('Atlassian transport', () => {
  it('waits as long as Retry-After says, then succeeds', async () => {
    const s = setup([{ status: 429, headers: { 'retry-after': '7' } }, ok]);
    expect((await s.get()).data).toEqual({ ok: true });
    expect(s.clock.now() - s.start).toBe(7_000);
  });

  it('without Retry-After waits for X-RateLimit-Reset plus one second', async () => {
    const clock0 = new ManualClock().now();
    const s = setup([
      {
        status: 429,
        headers: {
          'x-ratelimit-reset': iso(clock0 + 12_000),
          'x-ratelimit-remaining': '0',
          'x-ratelimit-limit': '100',
        },
      },
      ok,
    ]);
    await s.get();
    expect(s.clock.now() - s.start).toBe(13_000);
  });

  it('with neither header falls back to a doubling, jittered wait', async () => {
    const s = setup([{ status: 429 }, { status: 429 }, ok]);
    await s.get();
    // 5 s and 10 s, each +12.5% jitter at random() = 0.5
    expect(s.clock.now() - s.start).toBe(5_625 + 11_250);
  });

  it('retries 5xx and connection resets with backoff, then succeeds', async () => {
    const s = setup([{ status: 503, body: { errors: [] } }, { reset: true }, { status: 500 }, ok]);
    expect((await s.get()).data.ok).toBe(true);
    expect(s.f.calls).toHaveLength(4);
    expect(s.t.stats.transientRetries).toBe(3);
  });

  it('gives up on transient failures after its budget with BudgetExhaustedError', async () => {
    const s = setup(Array.from({ length: 10 }, () => ({ status: 502 })));
    await expect(s.get()).rejects.toBeInstanceOf(BudgetExhaustedError);
    expect(s.f.calls).toHaveLength(5);
  });

  it('gives up on throttling after its own, separate budget with ThrottledError', async () => {
    const s = setup(Array.from({ length: 20 }, () => ({ status: 429, headers: { 'retry-after': '1' } })));
    const err = await s.get().catch((e) => e);
    expect(err).toBeInstanceOf(ThrottledError);
    expect(err.retryAfterMs).toBe(1_000);
    expect(s.f.calls).toHaveLength(11);
  });

  it('never sleeps past the invocation deadline: a long Retry-After is surfaced at once', async () => {
    const s = setup([{ status: 429, headers: { 'retry-after': '120' } }, ok], { deadlineMs: 60_000 });
    await expect(s.get()).rejects.toThrow(/longer than this invocation has left/);
    expect(s.clock.now()).toBe(s.start);
  });

  it('does not retry a 4xx other than 429', async () => {
    const s = setup([{ status: 400, body: { errors: [{ code: 'ADMIN-400-1', title: 'Bad cursor' }] } }, ok]);
    const err = await s.get().catch((e) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err.errorCodes).toEqual(['ADMIN-400-1']);
    expect(s.f.calls).toHaveLength(1);
  });

  it('names the endpoint and the field of a response that breaks the schema, and uses none of it', async () => {
    const s = setup([{ body: { ok: 'yes' } }]);
    const err = await s.get().catch((e) => e);
    expect(err).toBeInstanceOf(MalformedResponseError);
    expect(err.field).toBe('ok');
    expect(err.message).toContain('GET /admin/v1/orgs/{orgId}/users');
  });

  it('retries a truncated JSON body, then reports it as malformed', async () => {
    const s = setup(Array.from({ length: 6 }, () => ({ text: '{"ok": tr' })));
    const err = await s.get().catch((e) => e);
    expect(err).toBeInstanceOf(MalformedResponseError);
    expect(s.f.calls).toHaveLength(5);
  });

  it('paces from X-RateLimit-Remaining: spends the window, then waits for its reset instead of drawing a 429', async () => {
    const c0 = new ManualClock().now();
    const window = { 'x-ratelimit-limit': '3', 'x-ratelimit-reset': iso(c0 + 10_000) };
    const s = setup([
      { body: { ok: true }, headers: { ...window, 'x-ratelimit-remaining': '2' } },
      { body: { ok: true }, headers: { ...window, 'x-ratelimit-remaining': '1' } },
      ok,
    ]);
    await s.get();
    await s.get();
    expect(s.clock.now()).toBe(s.start);
    await s.get();
    expect(s.clock.now() - s.start).toBe(11_000);
    expect(s.t.stats.throttled).toBe(0);
  });

  it('sends the key only in the Authorization header, and never in errors or logs', async () => {
    const s = setup([
      { status: 429 },
      { status: 503 },
      { reset: true },
      { status: 401, body: { code: 401, message: 'Unauthorized' } },
    ]);
    const err = await s.get().catch((e) => e);
    expect(err).toBeInstanceOf(UnauthorizedError);
    expect(s.f.calls[0]!.headers.Authorization).toBe(`Bearer ${KEY}`);
    const everything = [
      err.message,
      err.stack,
      JSON.stringify(err),
      JSON.stringify(err.cause ?? null),
      ...s.logger.lines,
    ].join('\n');
    expect(everything).not.toContain(KEY);
    expect(s.logger.lines.length).toBeGreaterThan(0);
  });

  it('never has more requests of one endpoint class in flight than its concurrency limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow = (async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight -= 1;
      return new Response(JSON.stringify({ ok: true }), { status: 200 });
    }) as unknown as typeof fetch;
    const t = new Transport({
      baseUrl: 'http://sim.test',
      apiKey: KEY,
      clock: new ManualClock(),
      logger: memoryLogger(),
      fetch: slow,
      concurrency: { 'last-active': 3 },
    });
    await Promise.all(
      Array.from({ length: 20 }, () =>
        t.send({ cls: 'last-active', method: 'GET', template: '/x', path: '/x', schema }),
      ),
    );
    expect(peak).toBe(3);
  });

  it('gives up on a server that does not answer within the per-request timeout', async () => {
    const hang = ((_url: unknown, init?: RequestInit) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)),
      )) as unknown as typeof fetch;
    const t = new Transport({
      baseUrl: 'http://sim.test',
      apiKey: KEY,
      clock: new ManualClock(),
      logger: memoryLogger(),
      fetch: hang,
      timeoutMs: 20,
      transientRetries: 2,
    });
    const err = await t.send({ cls: 'users-read', method: 'GET', template: '/x', path: '/x', schema }).catch((e) => e);
    expect(err).toBeInstanceOf(BudgetExhaustedError);
    expect(err.message).toContain('no answer within 20 ms');
  });
});
