/** The Atlassian simulator's own behaviour: rate limits, pagination, state changes, tasks. */
import { afterEach, describe, expect, it } from 'vitest';
import { parseOrgFixture } from '../sim/org/fixture.js';
import { syntheticOrg } from '../sim/org/index.js';
import { startAtlassianSim, type AtlassianSim, type AtlassianSimOptions } from '../sim/atlassian/index.js';
import { call, fakeClock } from '../sim/atlassian/testing.js';

const KEY = 'behaviour-key';
let sim: AtlassianSim | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function start(size: number, extra: Partial<AtlassianSimOptions> = {}): Promise<AtlassianSim> {
  sim = await startAtlassianSim({ org: syntheticOrg({ size, seed: 11 }), apiKey: KEY, ...extra });
  return sim;
}
const get = (s: AtlassianSim, path: string) => call(s.url, 'GET', path, { apiKey: KEY });
const post = (s: AtlassianSim, path: string, body?: unknown) => call(s.url, 'POST', path, { apiKey: KEY, body });

describe('rate limiting', () => {
  it('counts down X-RateLimit-Remaining, answers 429 once the window budget is spent, and resets with the window', async () => {
    const clock = fakeClock('2026-11-01T00:00:10.000Z');
    const s = await start(20, { clock: clock.now, rateLimits: { 'users-read': { limit: 3, windowMs: 60_000 } } });
    const path = `/admin/v1/orgs/${s.org.orgId}/users`;
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await get(s, path);
      expect(r.status).toBe(200);
      expect(r.headers.get('x-ratelimit-limit')).toBe('3');
      expect(r.headers.get('x-ratelimit-reset')).toBe('2026-11-01T00:01:00.000Z');
      remaining.push(r.headers.get('x-ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await get(s, path);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ code: 429, message: expect.any(String) });
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('retry-after')).toBeNull();
    // Other classes have their own budget.
    expect(
      (
        await get(
          s,
          `/admin/v1/orgs/${s.org.orgId}/directory/users/${encodeURIComponent(s.org.people[3]!.accountId)}/last-active-dates`,
        )
      ).status,
    ).toBe(200);
    clock.advance(50_000);
    expect((await get(s, path)).status).toBe(200);
    expect(s.counters()).toMatchObject({ throttled: 1, peakPerWindow: { 'users-read': 4, 'last-active': 1 } });
  });

  it('sends Retry-After in seconds only when asked to', async () => {
    const clock = fakeClock('2026-11-01T00:00:15.000Z');
    const s = await start(5, {
      clock: clock.now,
      retryAfterHeader: true,
      rateLimits: { 'user-write': { limit: 1, windowMs: 60_000 } },
    });
    const enable = `/users/${encodeURIComponent(s.org.people[2]!.accountId)}/manage/lifecycle/enable`;
    expect((await post(s, enable)).status).toBe(204);
    const r = await post(s, enable);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('45');
  });

  it('limits last-active-dates to the documented 200 requests per minute', async () => {
    const clock = fakeClock();
    const s = await start(5, { clock: clock.now });
    const path = `/admin/v1/orgs/${s.org.orgId}/directory/users/${encodeURIComponent(s.org.people[0]!.accountId)}/last-active-dates`;
    const statuses = await Promise.all(Array.from({ length: 201 }, () => get(s, path).then((r) => r.status)));
    expect(statuses.filter((x) => x === 200)).toHaveLength(200);
    expect(statuses.filter((x) => x === 429)).toHaveLength(1);
  });
});

describe('seeding', () => {
  it('serves an org loaded from a fixture, app accounts included in v1 only', async () => {
    const org = parseOrgFixture({
      people: [
        { email: 'ada@example.com', orgAdmin: true },
        { email: 'bot@connect.atlassian.com', accountType: 'app' },
      ],
    });
    sim = await startAtlassianSim({ org, apiKey: KEY });
    const v1 = await get(sim, `/admin/v1/orgs/${org.orgId}/users`);
    expect(v1.body.data.map((u: any) => [u.email, u.account_type, u.access_billable])).toEqual([
      ['ada@example.com', 'atlassian', true],
      ['bot@connect.atlassian.com', 'app', false],
    ]);
    const v2 = await post(sim, `/admin/v2/orgs/${org.orgId}/directories/-/users/search`, {});
    expect(v2.body.data.map((u: any) => u.email)).toEqual(['ada@example.com']);
  });
});

describe('pagination', () => {
  it('v1 users: 50 per page, links.next as a full URL, everyone exactly once, meta.total', async () => {
    const s = await start(237);
    const seen: string[] = [];
    let next: string | undefined = `${s.url}/admin/v1/orgs/${s.org.orgId}/users`;
    let pages = 0;
    while (next) {
      const r = await call(next, 'GET', '', { apiKey: KEY });
      expect(r.status).toBe(200);
      expect(r.body.meta.total).toBe(237);
      seen.push(...r.body.data.map((u: any) => u.account_id));
      next = r.body.links.next;
      pages++;
    }
    expect(pages).toBe(5);
    expect(seen).toEqual(s.org.people.map((p) => p.accountId));
  });

  it('v1 users: links.next is the bare cursor when v1NextLink is "cursor"', async () => {
    const s = await start(60, { v1NextLink: 'cursor' });
    const first = await get(s, `/admin/v1/orgs/${s.org.orgId}/users`);
    expect(first.body.links.next).not.toContain('/');
    const second = await get(
      s,
      `/admin/v1/orgs/${s.org.orgId}/users?cursor=${encodeURIComponent(first.body.links.next)}`,
    );
    expect(second.body.data).toHaveLength(10);
    expect(second.body.links.next).toBeUndefined();
  });

  it('v2 search: every atlassian account once, app accounts never, filters by email (any case) and org-admin role', async () => {
    const s = await start(237);
    const path = `/admin/v2/orgs/${s.org.orgId}/directories/-/users/search`;
    const seen: string[] = [];
    let body: Record<string, unknown> = { limit: 100 };
    for (;;) {
      const r = await post(s, path, body);
      seen.push(...r.body.data.map((u: any) => u.accountId));
      if (!r.body.links.next) break;
      body = { cursor: r.body.links.next };
    }
    expect(seen).toEqual(s.org.people.filter((p) => p.accountType === 'atlassian').map((p) => p.accountId));
    expect(s.org.people.some((p) => p.accountType === 'app')).toBe(true);
    const target = s.org.people.find((p) => p.accountType === 'atlassian' && p.index > 2)!;
    const byEmail = await post(s, path, { emails: [target.atlassianEmail.toUpperCase()] });
    expect(byEmail.body.data.map((u: any) => u.accountId)).toEqual([target.accountId]);
    const admins = await post(s, path, { roleIds: ['atlassian/org-admin'], expand: ['platformRoles'], limit: 100 });
    expect(admins.body.data.map((u: any) => u.accountId)).toEqual(
      s.org.people.filter((p) => p.orgAdmin).map((p) => p.accountId),
    );
    expect(admins.body.data.every((u: any) => u.platformRoles.includes('atlassian/org-admin'))).toBe(true);
  });
});

describe('state changes', () => {
  const billable = (s: AtlassianSim) =>
    s.org.people.find(
      (p) =>
        p.index > 2 &&
        p.accountType === 'atlassian' &&
        p.accountStatus === 'active' &&
        p.membershipStatus === 'active' &&
        p.managementSource !== 'synced' &&
        p.policyId === s.org.policies.billableId &&
        p.products.length > 0,
    )!;
  async function v1View(s: AtlassianSim, accountId: string): Promise<any> {
    const r = await get(s, `/admin/v1/orgs/${s.org.orgId}/users`);
    return r.body.data.find((u: any) => u.account_id === accountId);
  }
  async function v2View(s: AtlassianSim, accountId: string): Promise<any> {
    const r = await post(s, `/admin/v2/orgs/${s.org.orgId}/directories/-/users/search`, { accountIds: [accountId] });
    return r.body.data[0];
  }

  it('disable makes an account inactive and not billable; enable reverts both', async () => {
    const s = await start(40);
    const p = billable(s);
    expect(await v1View(s, p.accountId)).toMatchObject({ account_status: 'active', access_billable: true });
    expect(
      (await post(s, `/users/${encodeURIComponent(p.accountId)}/manage/lifecycle/disable`, { message: 'stale' }))
        .status,
    ).toBe(204);
    expect(await v1View(s, p.accountId)).toMatchObject({ account_status: 'inactive', access_billable: false });
    expect(await v2View(s, p.accountId)).toMatchObject({ accountStatus: 'inactive', status: 'deactivated' });
    expect((await post(s, `/users/${encodeURIComponent(p.accountId)}/manage/lifecycle/disable`)).status).toBe(204);
    expect((await post(s, `/users/${encodeURIComponent(p.accountId)}/manage/lifecycle/enable`)).status).toBe(204);
    expect(await v1View(s, p.accountId)).toMatchObject({ account_status: 'active', access_billable: true });
    expect(s.mutations().map((m) => [m.kind, m.accountId, m.outcome])).toEqual([
      ['disable', p.accountId, 'applied'],
      ['disable', p.accountId, 'noop'],
      ['enable', p.accountId, 'applied'],
    ]);
  });

  it('answers 409 to a no-op lifecycle change when lifecycleConflictOnNoop is set', async () => {
    const s = await start(10, { lifecycleConflictOnNoop: true });
    const r = await post(s, `/users/${encodeURIComponent(billable(s).accountId)}/manage/lifecycle/enable`);
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({
      key: 'conflict.lifecycleErrors',
      context: { errorCodes: [{ code: 'ALREADY_ACTIVE' }] },
    });
  });

  it('suspend makes the membership suspended and the user not billable; restore reverts', async () => {
    const s = await start(40);
    const p = billable(s);
    const base = `/admin/v2/orgs/${s.org.orgId}/directories/${s.org.directoryId}/users/${encodeURIComponent(p.accountId)}`;
    expect((await post(s, `${base}/suspend`)).status).toBe(204);
    expect(await v2View(s, p.accountId)).toMatchObject({ membershipStatus: 'suspended', status: 'suspended' });
    expect(await v1View(s, p.accountId)).toMatchObject({ access_billable: false });
    expect((await post(s, `${base}/restore`)).status).toBe(204);
    expect(await v1View(s, p.accountId)).toMatchObject({ access_billable: true });
    expect(s.mutations().map((m) => m.kind)).toEqual(['suspend', 'restore']);
  });

  it('an add-users task finishes after the delay, with partial failures, and moves the others into the policy', async () => {
    const clock = fakeClock();
    const s = await start(60, { clock: clock.now, taskDelayMs: 500 });
    const candidates = s.org.people
      .filter((p) => p.accountType === 'atlassian' && p.policyId === s.org.policies.billableId && p.index > 2)
      .slice(0, 3);
    const [a, b, c] = candidates.map((p) => p!);
    s.setFaults('policy', { taskFailures: { emails: [c!.atlassianEmail.toUpperCase()] } });
    const ac = `/admin/control/v1/orgs/${s.org.orgId}`;
    const created = await post(s, `${ac}/auth-policy/${s.org.policies.nonbillableId}/add-users`, {
      users: [a!.atlassianEmail.toUpperCase(), b!.atlassianEmail, c!.atlassianEmail, 'ghost@example.com'],
    });
    expect(created.status).toBe(202);
    expect(created.body.taskLink).toBe(`${s.url}${ac}/auth-policy/task/${created.body.taskId}`);
    clock.advance(499);
    expect((await call(created.body.taskLink, 'GET', '', { apiKey: KEY })).body).toEqual({
      inProgressCount: 4,
      successCount: 0,
      failureCount: 0,
      failureReasons: [],
    });
    expect(s.person(a!.accountId)!.policyId).toBe(s.org.policies.billableId);
    clock.advance(1);
    const done = await call(created.body.taskLink, 'GET', '', { apiKey: KEY });
    expect(done.body).toMatchObject({ inProgressCount: 0, successCount: 2, failureCount: 2 });
    expect(done.body.failureReasons).toEqual(
      expect.arrayContaining([
        { emails: [c!.atlassianEmail], details: expect.objectContaining({ status: 400 }) },
        { emails: ['ghost@example.com'], details: expect.objectContaining({ status: 404 }) },
      ]),
    );
    expect([a, b, c].map((p) => s.person(p!.accountId)!.policyId)).toEqual([
      s.org.policies.nonbillableId,
      s.org.policies.nonbillableId,
      s.org.policies.billableId,
    ]);
    const fetched = await post(s, `${ac}/users/auth-policies/bulk-fetch`, { accountIds: [a!.accountId, c!.accountId] });
    expect(fetched.body.map((x: any) => x.policyType)).toEqual(['nonbillable', 'billable']);
    expect((await v1View(s, a!.accountId)).access_billable).toBe(false);
    expect(s.mutations().map((m) => [m.kind, m.accountId, m.email, m.policyId, m.outcome, m.at])).toEqual([
      [
        'add-users',
        a!.accountId,
        a!.atlassianEmail.toUpperCase(),
        s.org.policies.nonbillableId,
        'applied',
        '2026-11-01T00:00:00.500Z',
      ],
      [
        'add-users',
        b!.accountId,
        b!.atlassianEmail,
        s.org.policies.nonbillableId,
        'applied',
        '2026-11-01T00:00:00.500Z',
      ],
      [
        'add-users',
        c!.accountId,
        c!.atlassianEmail,
        s.org.policies.nonbillableId,
        'refused',
        '2026-11-01T00:00:00.500Z',
      ],
      [
        'add-users',
        undefined,
        'ghost@example.com',
        s.org.policies.nonbillableId,
        'refused',
        '2026-11-01T00:00:00.500Z',
      ],
    ]);
    expect(s.mutations()[2]!.reason).toMatch(/^400 /);
  });
});
