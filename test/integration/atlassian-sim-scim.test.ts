/** The Atlassian simulator's SCIM-synced accounts: listed as synced, refused by every lifecycle and suspend call. */
import { afterEach, describe, expect, it } from 'vitest';
import { syntheticOrg } from '../sim/org/index.js';
import { SimControlClient, startAtlassianSim, type AtlassianSim } from '../sim/atlassian/index.js';
import { call, fakeClock } from '../sim/atlassian/testing.js';

const KEY = 'scim-key';
let sim: AtlassianSim | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const clock = fakeClock();

async function start(size: number, scimSyncedShare?: number): Promise<AtlassianSim> {
  const org = syntheticOrg({ size, seed: 21, ...(scimSyncedShare !== undefined && { scimSyncedShare }) });
  sim = await startAtlassianSim({ org, apiKey: KEY, clock: clock.now, taskDelayMs: 100 });
  return sim;
}
const post = (s: AtlassianSim, path: string, body?: unknown) => call(s.url, 'POST', path, { apiKey: KEY, body });
const syncedActive = (s: AtlassianSim) =>
  s.org.people.find(
    (p) => p.managementSource === 'synced' && p.accountStatus === 'active' && p.membershipStatus === 'active',
  )!;

describe('SCIM-synced accounts in the simulator', () => {
  it('lists managementSource in v2 search: synced for exactly the seeded share, invited for the others', async () => {
    const s = await start(1_000);
    const seen = new Map<string, string>();
    let cursor: string | undefined;
    do {
      const r = await post(s, `/admin/v2/orgs/${s.org.orgId}/directories/-/users/search`, {
        limit: 100,
        ...(cursor && { cursor }),
      });
      for (const u of r.body.data) seen.set(u.accountId, u.managementSource);
      cursor = r.body.links.next;
    } while (cursor);
    const expected = s.org.people.filter((p) => p.accountType === 'atlassian');
    expect(seen.size).toBe(expected.length);
    for (const p of expected) expect(seen.get(p.accountId), p.accountId).toBe(p.managementSource);
    const synced = [...seen.values()].filter((v) => v === 'synced').length;
    expect(synced).toBeGreaterThan(10);
    expect(synced).toBeLessThan(60);
  });

  it('answers the permissions read with allowed:false and reason externalDirectory.scim, and allowed:true for others', async () => {
    const s = await start(300);
    const p = syncedActive(s);
    const other = s.org.people.find(
      (x) => x.managementSource === 'invited' && x.accountType === 'atlassian' && x.accountStatus === 'active',
    )!;
    const ask = (id: string) =>
      call(s.url, 'GET', `/users/${encodeURIComponent(id)}/manage?privileges=lifecycle.enablement`, { apiKey: KEY });
    expect((await ask(p.accountId)).body).toEqual({
      'lifecycle.enablement': { allowed: false, reason: { key: 'externalDirectory.scim' } },
    });
    expect((await ask(other.accountId)).body).toEqual({ 'lifecycle.enablement': { allowed: true } });
  });

  it('refuses disable and enable with 403 forbidden.action, and suspend and restore with 403; nothing changes', async () => {
    const s = await start(300);
    const p = syncedActive(s);
    const id = encodeURIComponent(p.accountId);
    const disable = await post(s, `/users/${id}/manage/lifecycle/disable`, { message: 'Inactive for 90 days' });
    expect(disable.status).toBe(403);
    expect(disable.body).toEqual({
      key: 'forbidden.action',
      context: { allowed: false, reason: { key: 'externalDirectory.scim' } },
    });
    expect((await post(s, `/users/${id}/manage/lifecycle/enable`)).status).toBe(403);
    const dir = `/admin/v2/orgs/${s.org.orgId}/directories/${s.org.directoryId}/users/${id}`;
    const suspend = await post(s, `${dir}/suspend`);
    expect(suspend.status).toBe(403);
    expect(suspend.body.errors[0]).toMatchObject({ status: '403', code: 'ADMIN-403-1' });
    expect((await post(s, `${dir}/restore`)).status).toBe(403);
    expect(s.state(p.accountId)).toMatchObject({ accountStatus: 'active', membershipStatus: 'active', synced: true });
    const log = await new SimControlClient(s.url).mutations({ accountId: p.accountId });
    expect(log.map((m) => [m.kind, m.outcome, m.reason])).toEqual([
      ['disable', 'refused', 'forbidden.action'],
      ['enable', 'refused', 'forbidden.action'],
      ['suspend', 'refused', 'ADMIN-403-1'],
      ['restore', 'refused', 'ADMIN-403-1'],
    ]);
  });

  it("still moves a synced account between authentication policies (policies are not the directory's)", async () => {
    const s = await start(300);
    const p = syncedActive(s);
    const target = p.policyId === s.org.policies.billableId ? s.org.policies.nonbillableId : s.org.policies.billableId;
    const r = await post(s, `/admin/control/v1/orgs/${s.org.orgId}/auth-policy/${target}/add-users`, {
      users: [p.atlassianEmail],
    });
    expect(r.status).toBe(202);
    clock.advance(100);
    expect(s.state(p.accountId)?.policyId).toBe(target);
  });

  it('seeds none with scimSyncedShare 0: every managed, active account can be disabled', async () => {
    const s = await start(200, 0);
    expect(s.org.people.some((p) => p.managementSource === 'synced')).toBe(false);
    const targets = s.org.people.filter((p) => p.accountType === 'atlassian' && p.accountStatus === 'active');
    const statuses = await Promise.all(
      targets.map((p) =>
        post(s, `/users/${encodeURIComponent(p.accountId)}/manage/lifecycle/disable`, {}).then((r) => r.status),
      ),
    );
    expect(new Set(statuses)).toEqual(new Set([204]));
  });
});
