/**
 * The simulator's test-only control endpoints (/__sim/...): the mutation log per account, its reset,
 * an account's true state and the counts; outside the API's rate limits, faults and counters.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { syntheticOrg, type Person } from '../sim/org/index.js';
import {
  SimControlClient,
  startAtlassianSim,
  type AtlassianSim,
  type AtlassianSimOptions,
} from '../sim/atlassian/index.js';
import { call, fakeClock } from '../sim/atlassian/testing.js';

const KEY = 'control-key';
let sim: AtlassianSim | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function start(
  extra: Partial<AtlassianSimOptions> = {},
): Promise<{ s: AtlassianSim; control: SimControlClient }> {
  sim = await startAtlassianSim({
    org: syntheticOrg({ size: 120, seed: 4, scimSyncedShare: 0 }),
    apiKey: KEY,
    ...extra,
  });
  return { s: sim, control: new SimControlClient(sim.url) };
}
const post = (s: AtlassianSim, path: string, body?: unknown) => call(s.url, 'POST', path, { apiKey: KEY, body });
const ordinary = (s: AtlassianSim, n: number): Person[] =>
  s.org.people
    .filter(
      (p) =>
        p.index > 2 &&
        p.accountType === 'atlassian' &&
        p.accountStatus === 'active' &&
        p.membershipStatus === 'active' &&
        p.policyId === s.org.policies.billableId,
    )
    .slice(0, n);

describe('simulator control endpoints', () => {
  it('serves the mutation log: disable/enable/suspend/restore with applied or noop, filters by account and outcome', async () => {
    const { s, control } = await start();
    const [a, b] = ordinary(s, 2);
    const life = (p: Person, op: string) =>
      post(s, `/users/${encodeURIComponent(p.accountId)}/manage/lifecycle/${op}`, {});
    const dir = (p: Person, op: string) =>
      post(
        s,
        `/admin/v2/orgs/${s.org.orgId}/directories/${s.org.directoryId}/users/${encodeURIComponent(p.accountId)}/${op}`,
      );
    await life(a!, 'disable');
    await life(a!, 'disable');
    await dir(b!, 'suspend');
    await dir(b!, 'restore');
    await life(a!, 'enable');
    const all = await control.mutations();
    expect(all.map((m) => [m.kind, m.accountId, m.outcome])).toEqual([
      ['disable', a!.accountId, 'applied'],
      ['disable', a!.accountId, 'noop'],
      ['suspend', b!.accountId, 'applied'],
      ['restore', b!.accountId, 'applied'],
      ['enable', a!.accountId, 'applied'],
    ]);
    expect(all[0]).toMatchObject({
      method: 'POST',
      path: `/users/${encodeURIComponent(a!.accountId)}/manage/lifecycle/disable`,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(all).toEqual(JSON.parse(JSON.stringify(s.mutations())));
    expect((await control.mutations({ accountId: b!.accountId })).map((m) => m.kind)).toEqual(['suspend', 'restore']);
    expect((await control.mutations({ outcome: 'noop' })).length).toBe(1);
    expect(await control.appliedByAccount('disable')).toEqual(new Map([[a!.accountId, 1]]));
    expect(await control.appliedByAccount()).toEqual(
      new Map([
        [a!.accountId, 2],
        [b!.accountId, 2],
      ]),
    );
  });

  it('records one add-users mutation per requested user once the task is due, with the account and target policy', async () => {
    const clock = fakeClock();
    const { s, control } = await start({ clock: clock.now, taskDelayMs: 1_000 });
    const [a, b, c] = ordinary(s, 3);
    const nonbillable = s.org.policies.nonbillableId;
    s.setFaults('policy', { taskFailures: { emails: [c!.atlassianEmail] } });
    await post(s, `/admin/control/v1/orgs/${s.org.orgId}/auth-policy/${nonbillable}/add-users`, {
      users: [a!.atlassianEmail, b!.atlassianEmail, c!.atlassianEmail],
    });
    expect(await control.mutations()).toEqual([]);
    clock.advance(1_000);
    const log = await control.mutations({ kind: 'add-users' });
    expect(log.map((m) => [m.accountId, m.policyId, m.outcome])).toEqual([
      [a!.accountId, nonbillable, 'applied'],
      [b!.accountId, nonbillable, 'applied'],
      [c!.accountId, nonbillable, 'refused'],
    ]);
    expect(new Set(log.map((m) => m.taskId)).size).toBe(1);
    // Moving again is a no-op per user, not a second move.
    await post(s, `/admin/control/v1/orgs/${s.org.orgId}/auth-policy/${nonbillable}/add-users`, {
      users: [a!.atlassianEmail],
    });
    clock.advance(1_000);
    expect((await control.mutations({ accountId: a!.accountId })).map((m) => m.outcome)).toEqual(['applied', 'noop']);
    expect((await control.appliedByAccount('add-users')).get(a!.accountId)).toBe(1);
  });

  it('serves the true state of an account, and 404 (undefined) for an unknown one', async () => {
    const clock = fakeClock();
    const { s, control } = await start({ clock: clock.now, taskDelayMs: 10 });
    const [a] = ordinary(s, 1);
    await post(s, `/users/${encodeURIComponent(a!.accountId)}/manage/lifecycle/disable`, {});
    await post(s, `/admin/control/v1/orgs/${s.org.orgId}/auth-policy/${s.org.policies.nonbillableId}/add-users`, {
      users: [a!.atlassianEmail],
    });
    clock.advance(10);
    expect(await control.state(a!.accountId)).toEqual({
      accountId: a!.accountId,
      email: a!.atlassianEmail,
      accountType: 'atlassian',
      accountStatus: 'inactive',
      membershipStatus: 'active',
      status: 'deactivated',
      policyId: s.org.policies.nonbillableId,
      synced: false,
      managementSource: 'invited',
    });
    expect(await control.state('712020:nobody')).toBeUndefined();
  });

  it('reset-log empties the mutation and request logs and the counters, and keeps the state', async () => {
    const { s, control } = await start();
    const [a] = ordinary(s, 1);
    await post(s, `/users/${encodeURIComponent(a!.accountId)}/manage/lifecycle/disable`, {});
    expect((await control.counts()).mutations).toEqual({ total: 1, byKind: { disable: 1 }, byOutcome: { applied: 1 } });
    await control.resetLog();
    expect(await control.mutations()).toEqual([]);
    expect(s.requests()).toEqual([]);
    expect((await control.counts()).requests.total).toBe(0);
    expect((await control.state(a!.accountId))?.accountStatus).toBe('inactive');
  });

  it('control calls are not counted, not rate limited, and not subject to faults or 429 storms', async () => {
    const { s, control } = await start({ rateLimits: { 'users-read': { limit: 1, windowMs: 60_000 } } });
    for (const cls of ['users-read', 'user-write', 'policy', 'last-active'] as const)
      s.setFaults(cls, { storm429: 100, status5xxRate: 1, resetRate: 1 });
    const [a] = ordinary(s, 1);
    for (let i = 0; i < 20; i++) {
      await control.mutations();
      await control.state(a!.accountId);
      await control.counts();
    }
    const counts = await control.counts();
    expect(counts.requests.total).toBe(0);
    expect(counts.requests.byEndpoint).toEqual({});
    expect(s.requests()).toEqual([]);
    // The API itself is throttled meanwhile.
    expect((await call(s.url, 'GET', `/admin/v1/orgs/${s.org.orgId}/users`, { apiKey: KEY })).status).toBe(429);
    expect(s.counters().total).toBe(1);
  });

  it('answers 404 for an unknown control path, 405 for a wrong method, 400 for a bad filter', async () => {
    const { s } = await start();
    const r = await call(s.url, 'GET', '/__sim/nothing', { apiKey: null });
    expect(r.status).toBe(404);
    expect(r.body.error).toMatch(/control\.ts/);
    expect((await call(s.url, 'GET', '/__sim/reset-log', { apiKey: null })).status).toBe(405);
    expect((await call(s.url, 'POST', '/__sim/mutations', { apiKey: null })).status).toBe(405);
    expect((await call(s.url, 'GET', '/__sim/mutations?outcome=maybe', { apiKey: null })).status).toBe(400);
  });
});
