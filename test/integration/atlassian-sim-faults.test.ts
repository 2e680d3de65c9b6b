/** The Atlassian simulator's fault injection, request log and counters. */
import { afterEach, describe, expect, it } from 'vitest';
import { syntheticOrg } from '../sim/org/index.js';
import { startAtlassianSim, type AtlassianSim, type AtlassianSimOptions } from '../sim/atlassian/index.js';
import { call, fakeClock } from '../sim/atlassian/testing.js';

const KEY = 'faults-key';
const sims: AtlassianSim[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.stop()));
});

async function start(extra: Partial<AtlassianSimOptions> = {}): Promise<AtlassianSim> {
  const s = await startAtlassianSim({
    org: syntheticOrg({ size: 120, seed: 5 }),
    apiKey: KEY,
    clock: fakeClock().now,
    ...extra,
  });
  sims.push(s);
  return s;
}
const users = (s: AtlassianSim, cursor?: string) =>
  call(s.url, 'GET', `/admin/v1/orgs/${s.org.orgId}/users${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`, {
    apiKey: KEY,
  });
const search = (s: AtlassianSim, body: unknown) =>
  call(s.url, 'POST', `/admin/v2/orgs/${s.org.orgId}/directories/-/users/search`, { apiKey: KEY, body });
const nextCursor = (link: string) => new URL(link).searchParams.get('cursor')!;

describe('faults', () => {
  it('status5xxRate answers 500, 502 and 503, the same sequence for the same seed', async () => {
    const run = async () => {
      const s = await start({ faults: { 'users-read': { status5xxRate: 0.5 } }, seed: 42 });
      const out: number[] = [];
      for (let i = 0; i < 30; i++) out.push((await users(s)).status);
      return out;
    };
    const first = await run();
    expect(new Set(first)).toEqual(new Set([200, 500, 502, 503]));
    expect(await run()).toEqual(first);
  });

  it('resetRate destroys the socket without a response, and the request log shows status 0', async () => {
    const s = await start({ faults: { 'user-write': { resetRate: 1 } } });
    await expect(
      call(s.url, 'POST', `/users/${encodeURIComponent(s.org.people[3]!.accountId)}/manage/lifecycle/disable`, {
        apiKey: KEY,
      }),
    ).rejects.toThrow();
    expect(s.requests().at(-1)).toMatchObject({ status: 0, endpointClass: 'user-write' });
    expect(s.counters().resets).toBe(1);
    expect(s.mutations()).toEqual([]);
  });

  it('delayMs slows every response of the class, and only that class', async () => {
    const s = await start();
    s.setFaults('policy', { delayMs: 120 });
    const t0 = performance.now();
    expect((await users(s)).status).toBe(200);
    const fast = performance.now() - t0;
    const t1 = performance.now();
    const r = await call(s.url, 'POST', `/admin/control/v1/orgs/${s.org.orgId}/users/auth-policies/bulk-fetch`, {
      apiKey: KEY,
      body: { accountIds: [s.org.people[0]!.accountId] },
    });
    expect(r.status).toBe(200);
    expect(performance.now() - t1).toBeGreaterThanOrEqual(115);
    expect(fast).toBeLessThan(115);
  });

  it('malformedPages truncated-json breaks the listed page, once when times is 1', async () => {
    const s = await start({
      faults: { 'users-read': { malformedPages: { kind: 'truncated-json', pages: [2], times: 1 } } },
    });
    const p1 = await users(s);
    const cursor = nextCursor(p1.body.links.next);
    const broken = await users(s, cursor);
    expect(broken.status).toBe(200);
    expect(() => JSON.parse(broken.text)).toThrow();
    const retried = await users(s, cursor);
    expect(retried.body.data).toHaveLength(50);
  });

  it('malformedPages missing-field drops the first user id on v2 pages too; a rate of 1 breaks every page', async () => {
    const s = await start({ faults: { 'users-read': { malformedPages: { kind: 'missing-field', rate: 1 } } } });
    const r = await search(s, { limit: 10 });
    expect(r.body.data[0].accountId).toBeUndefined();
    expect(r.body.data[1].accountId).toEqual(expect.any(String));
    expect((await users(s)).body.data[0].account_id).toBeUndefined();
  });

  it('storm429 answers the next N requests 429 with rate-limit headers, then recovers', async () => {
    const s = await start({ retryAfterHeader: true });
    s.setFaults('users-read', { storm429: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await users(s);
      statuses.push(r.status);
      if (r.status === 429) {
        expect(r.headers.get('x-ratelimit-remaining')).toBe('0');
        expect(r.headers.get('x-ratelimit-reset')).toEqual(expect.any(String));
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    }
    expect(statuses).toEqual([429, 429, 200]);
    expect(s.counters().throttled).toBe(2);
  });

  it('taskFailures rate 1 fails every known user of an add-users task with status 400', async () => {
    const clock = fakeClock();
    const s = await start({ clock: clock.now, taskDelayMs: 10, faults: { policy: { taskFailures: { rate: 1 } } } });
    const emails = s.org.people
      .filter((p) => p.accountType === 'atlassian')
      .slice(3, 6)
      .map((p) => p.atlassianEmail);
    const created = await call(
      s.url,
      'POST',
      `/admin/control/v1/orgs/${s.org.orgId}/auth-policy/${s.org.policies.nonbillableId}/add-users`,
      { apiKey: KEY, body: { users: emails } },
    );
    clock.advance(10);
    const done = await call(created.body.taskLink, 'GET', '', { apiKey: KEY });
    expect(done.body).toMatchObject({
      successCount: 0,
      failureCount: 3,
      failureReasons: [{ emails, details: { status: 400 } }],
    });
  });

  it('refuses fault rates outside 0..1', async () => {
    const s = await start();
    expect(() => s.setFaults('users-read', { status5xxRate: 2 })).toThrow(/status5xxRate must be within 0..1, got 2/);
  });
});

describe('request log and counters', () => {
  it('logs method, template, path, body and status, and counts per endpoint until reset', async () => {
    const s = await start();
    await users(s);
    await search(s, { limit: 1 });
    await call(s.url, 'GET', `/admin/v1/orgs/${s.org.orgId}/users`, { apiKey: 'nope' });
    await call(s.url, 'GET', '/nothing/here', { apiKey: KEY });
    expect(s.requests().map((r) => [r.method, r.template, r.status])).toEqual([
      ['GET', '/admin/v1/orgs/{orgId}/users', 200],
      ['POST', '/admin/v2/orgs/{orgId}/directories/{directoryId}/users/search', 200],
      ['GET', '/admin/v1/orgs/{orgId}/users', 401],
      ['GET', 'unmatched', 404],
    ]);
    expect(s.requests()[1]).toMatchObject({
      path: `/admin/v2/orgs/${s.org.orgId}/directories/-/users/search`,
      body: { limit: 1 },
      endpointClass: 'users-read',
    });
    expect(s.counters()).toMatchObject({
      total: 4,
      byEndpoint: {
        'GET /admin/v1/orgs/{orgId}/users': 2,
        'POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/search': 1,
        'GET unmatched': 1,
      },
      byStatus: { '200': 2, '401': 1, '404': 1 },
      peakPerWindow: { 'users-read': 2 },
    });
    s.resetCounters();
    expect(s.counters()).toMatchObject({ total: 0, byEndpoint: {}, throttled: 0, peakPerWindow: { 'users-read': 0 } });
    expect(s.requests()).toHaveLength(4);
  });
});
