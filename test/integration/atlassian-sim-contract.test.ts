/**
 * The Atlassian simulator against the published contracts: every endpoint, success and documented
 * errors, each response body validated with ajv against the OpenAPI schema of its path, method and
 * status (Admin Control: the zod schemas written from admin-control.md). Skips when
 * ../shared/contracts is absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticOrg, type SyntheticOrg } from '../sim/org/index.js';
import { startAtlassianSim, type AtlassianSim, type EndpointClass } from '../sim/atlassian/index.js';
import { call, fakeClock, type SimReply } from '../sim/atlassian/testing.js';
import {
  contractsAvailable,
  matchOperation,
  validateComponent,
  validateRequest,
  validateResponse,
} from '../helpers/openapi.js';

const available = contractsAvailable();
if (!available) console.warn('atlassian-sim-contract: ../shared/contracts/atlassian not found, contract tests SKIPPED');

const KEY = 'contract-key';

describe.skipIf(!available)('Atlassian simulator against the published contracts', () => {
  const clock = fakeClock();
  let sim: AtlassianSim;
  let org: SyntheticOrg;
  let active: string;
  let app: string;
  let closed: string;
  let synced: string;
  let undetermined: string;
  let v1: string, v2: string, dirs: string, ac: string;

  beforeAll(async () => {
    const base = syntheticOrg({ size: 120, seed: 3 });
    base.people[10]!.accountStatus = 'closed';
    const others = base.people.filter(
      (p) => p.accountType === 'atlassian' && p.accountStatus === 'active' && p.index > 10,
    );
    others.forEach((p) => (p.managementSource = 'invited'));
    others[1]!.managementSource = 'synced';
    others[2]!.managementSource = null;
    sim = await startAtlassianSim({ org: base, apiKey: KEY, clock: clock.now, taskDelayMs: 100 });
    org = sim.org;
    active = others[0]!.accountId;
    synced = others[1]!.accountId;
    undetermined = others[2]!.accountId;
    app = org.people.find((p) => p.accountType === 'app')!.accountId;
    closed = org.people[10]!.accountId;
    v1 = `/admin/v1/orgs/${org.orgId}`;
    v2 = `/admin/v2/orgs/${org.orgId}`;
    dirs = `${v2}/directories/${org.directoryId}`;
    ac = `/admin/control/v1/orgs/${org.orgId}`;
  });
  afterAll(() => sim.stop());

  /** Calls, checks the status, and validates the body against the contract of that operation. */
  async function checked(
    method: string,
    path: string,
    status: number,
    opts: { body?: unknown; apiKey?: string | null } = {},
  ): Promise<SimReply> {
    const r = await call(sim.url, method, path, {
      apiKey: opts.apiKey === undefined ? KEY : opts.apiKey,
      body: opts.body,
    });
    expect(r.status, `${method} ${path}: ${r.text}`).toBe(status);
    const m = matchOperation(method, path);
    expect(m, `${method} ${path} is an operation of the contracts`).not.toBeNull();
    expect(validateResponse(m!.spec, method, m!.template, r.status, r.body)).toEqual([]);
    return r;
  }

  /** Same, with a one-request 429 storm on the class first. */
  async function throttled(cls: EndpointClass, method: string, path: string, body?: unknown): Promise<SimReply> {
    sim.setFaults(cls, { storm429: 1 });
    const r = await checked(method, path, 429, { body });
    expect(r.headers.get('x-ratelimit-reset')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    return r;
  }

  it('GET /admin/v1/orgs/{orgId}/users: pages, bad cursor, 401, 404, 429', async () => {
    const page1 = await checked('GET', `${v1}/users`, 200);
    expect(page1.body.data).toHaveLength(50);
    await checked('GET', new URL(page1.body.links.next).pathname + new URL(page1.body.links.next).search, 200);
    const bad = await checked('GET', `${v1}/users?cursor=not-a-cursor`, 400);
    expect(bad.body.errors[0].code).toBe('ADMIN-400-1');
    await checked('GET', `${v1}/users`, 401, { apiKey: null });
    await checked('GET', `${v1}/users`, 401, { apiKey: 'wrong' });
    const nf = await checked('GET', '/admin/v1/orgs/no-such-org/users', 404);
    expect(nf.body.errors[0].code).toBe('ADMIN-404-2');
    await throttled('users-read', 'GET', `${v1}/users`);
  });

  it('POST /admin/v2/.../users/search: expand, cursor, 400s, 401, 404, 429', async () => {
    const body = { limit: 5, expand: ['productAccess', 'platformRoles'] };
    const page1 = await checked('POST', `${v2}/directories/-/users/search`, 200, { body });
    await checked('POST', `${dirs}/users/search`, 200, { body: { cursor: page1.body.links.next } });
    await checked('POST', `${v2}/directories/-/users/search`, 200, {
      body: { emails: [org.people[5]!.email.toUpperCase()], claimStatus: 'managed' },
    });
    await checked('POST', `${v2}/directories/-/users/search`, 400, { body: { cursor: 'bogus' } });
    await checked('POST', `${v2}/directories/-/users/search`, 400, {
      body: { searchTerm: 'a', emails: ['a@example.com'] },
    });
    await checked('POST', `${v2}/directories/-/users/search`, 400, { body: { limit: 101 } });
    await checked('POST', `${v2}/directories/-/users/search`, 400, { body: '{"limit":' });
    await checked('POST', `${v2}/directories/-/users/search`, 401, { body, apiKey: null });
    await checked('POST', `/admin/v2/orgs/nope/directories/-/users/search`, 404, { body });
    await checked('POST', `${v2}/directories/nope/users/search`, 404, { body });
    await throttled('users-read', 'POST', `${v2}/directories/-/users/search`, body);
  });

  it('POST /admin/v2/.../users/search by roleIds atlassian/org-admin: the admin list, with admin roles shown, left out or empty', async () => {
    const body = { roleIds: ['atlassian/org-admin'], expand: ['platformRoles'], claimStatus: 'managed', limit: 100 };
    const admins = org.people.filter((p) => p.orgAdmin && p.accountType === 'atlassian').map((p) => p.accountId);
    expect(admins.length).toBeGreaterThan(0);
    try {
      for (const view of [undefined, 'omitted', 'empty'] as const) {
        sim.setFaults('users-read', view && { adminRolesInListing: view });
        const r = await checked('POST', `${v2}/directories/-/users/search`, 200, { body });
        expect(r.body.data.map((u: { accountId: string }) => u.accountId).sort()).toEqual([...admins].sort());
        const roles = r.body.data.map((u: { platformRoles?: string[] }) => u.platformRoles);
        expect(new Set(roles.map((x: unknown) => JSON.stringify(x)))).toEqual(
          new Set([
            view === undefined ? '["atlassian/org-admin"]' : view === 'empty' ? '[]' : JSON.stringify(undefined),
          ]),
        );
      }
    } finally {
      sim.setFaults('users-read', undefined);
    }
  });

  it('GET /admin/v2/orgs/{orgId}/directories: 200, 400, 401, 429; unknown org is an undocumented 404', async () => {
    const r = await checked('GET', `${v2}/directories`, 200);
    expect(r.body.data[0].directoryId).toBe(org.directoryId);
    await checked('GET', `${v2}/directories?cursor=zzz`, 400);
    await checked('GET', `${v2}/directories`, 401, { apiKey: null });
    await throttled('users-read', 'GET', `${v2}/directories`);
    const nf = await call(sim.url, 'GET', '/admin/v2/orgs/nope/directories', { apiKey: KEY });
    expect(nf.status).toBe(404);
    expect(validateResponse('organization', 'GET', '/v2/orgs/{orgId}/directories', 404, nf.body)).toEqual([
      expect.stringContaining('status 404 not documented'),
    ]);
    expect(validateComponent('organization', 'Errors', nf.body)).toEqual([]);
  });

  it('GET .../last-active-dates: 200, 400, 401, 404 user and org, 429', async () => {
    const r = await checked('GET', `${v1}/directory/users/${encodeURIComponent(active)}/last-active-dates`, 200);
    expect(r.body.data.product_access.length).toBeGreaterThanOrEqual(0);
    await checked('GET', `${v1}/directory/users/${encodeURIComponent(active)}/last-active-dates?cursor=x`, 400);
    await checked('GET', `${v1}/directory/users/${encodeURIComponent(active)}/last-active-dates`, 401, {
      apiKey: null,
    });
    const nf = await checked('GET', `${v1}/directory/users/nobody/last-active-dates`, 404);
    expect(nf.body.errors[0].code).toBe('ADMIN-404-8');
    await checked('GET', `/admin/v1/orgs/nope/directory/users/${encodeURIComponent(active)}/last-active-dates`, 404);
    await throttled('last-active', 'GET', `${v1}/directory/users/${encodeURIComponent(active)}/last-active-dates`);
  });

  it('POST .../suspend and /restore: 204 without body, 401, 404, 429', async () => {
    const user = `${dirs}/users/${encodeURIComponent(active)}`;
    const s = await checked('POST', `${user}/suspend`, 204);
    expect(s.text).toBe('');
    await checked('POST', `${user}/restore`, 204);
    await checked('POST', `${user}/suspend`, 401, { apiKey: null });
    await checked('POST', `${dirs}/users/nobody/suspend`, 404);
    await checked('POST', `${v2}/directories/-/users/${encodeURIComponent(active)}/restore`, 404);
    await throttled('user-write', 'POST', `${user}/restore`);
  });

  it('User management: disable/enable 204, 401, 403, 404, 409; permissions 200; 429 is undocumented there', async () => {
    const user = `/users/${encodeURIComponent(active)}/manage`;
    await checked('POST', `${user}/lifecycle/disable`, 204, { body: { message: 'Inactive for 90 days' } });
    await checked('POST', `${user}/lifecycle/enable`, 204);
    await checked('POST', `${user}/lifecycle/disable`, 401, { apiKey: null, body: {} });
    await checked('POST', `/users/${encodeURIComponent(app)}/manage/lifecycle/disable`, 403, { body: {} });
    await checked('POST', '/users/nobody/manage/lifecycle/disable', 404, { body: {} });
    const conflict = await checked('POST', `/users/${encodeURIComponent(closed)}/manage/lifecycle/enable`, 409);
    expect(conflict.body.context.accountId).toBe(closed);
    await checked('GET', user, 200);
    await checked('GET', `${user}?privileges=lifecycle.enablement`, 200);
    await checked('GET', '/users/nobody/manage', 404);
    sim.setFaults('user-write', { storm429: 1 });
    const t = await call(sim.url, 'POST', `${user}/lifecycle/disable`, { apiKey: KEY, body: {} });
    expect(t.status).toBe(429);
    expect(validateComponent('organization', 'ProxyError', t.body)).toEqual([]);
  });

  it('SCIM-synced accounts: managementSource listed, lifecycle.enablement refused with externalDirectory.scim, 403 on disable, enable, suspend and restore', async () => {
    const listed = await checked('POST', `${v2}/directories/-/users/search`, 200, {
      body: { accountIds: [active, synced, undetermined] },
    });
    expect(Object.fromEntries(listed.body.data.map((u: any) => [u.accountId, u.managementSource ?? 'absent']))).toEqual(
      {
        [active]: 'invited',
        [synced]: 'synced',
        [undetermined]: 'absent',
      },
    );
    const user = `/users/${encodeURIComponent(synced)}/manage`;
    const perm = await checked('GET', `${user}?privileges=lifecycle.enablement`, 200);
    expect(perm.body).toEqual({
      'lifecycle.enablement': { allowed: false, reason: { key: 'externalDirectory.scim' } },
    });
    const all = await checked('GET', user, 200);
    expect(all.body['lifecycle.delete']).toEqual({ allowed: false, reason: { key: 'externalDirectory.scim' } });
    expect(all.body['profile.read']).toEqual({ allowed: true });
    for (const op of ['disable', 'enable']) {
      const refused = await checked('POST', `${user}/lifecycle/${op}`, 403, { body: { message: 'stale' } });
      expect(refused.body).toEqual({
        key: 'forbidden.action',
        context: { allowed: false, reason: { key: 'externalDirectory.scim' } },
      });
    }
    for (const op of ['suspend', 'restore']) {
      // The spec documents the 403 without a body: the v2 Errors list is the simulator's choice.
      const refused = await checked('POST', `${dirs}/users/${encodeURIComponent(synced)}/${op}`, 403);
      expect(validateComponent('organization', 'Errors', refused.body)).toEqual([]);
      expect(refused.body.errors[0].code).toBe('ADMIN-403-1');
    }
    expect(sim.state(synced)).toMatchObject({ accountStatus: 'active', membershipStatus: 'active', synced: true });
  });

  it('the validator catches a wrong managementSource and a forbidden.action without its context (so the SCIM checks can fail)', () => {
    const page = { data: [{ accountId: 'a', managementSource: 'scim' }], links: {} };
    // null too: the spec's enum has no null, whatever its description says (views.ts leaves it out).
    expect(
      validateResponse('organization', 'POST', '/v2/orgs/{orgId}/directories/{directoryId}/users/search', 200, {
        data: [{ accountId: 'a', managementSource: null }],
      }),
    ).not.toEqual([]);
    expect(
      validateResponse('organization', 'POST', '/v2/orgs/{orgId}/directories/{directoryId}/users/search', 200, page),
    ).not.toEqual([]);
    expect(
      validateResponse('user-management', 'POST', '/users/{account_id}/manage/lifecycle/disable', 403, {
        key: 'forbidden.action',
      }),
    ).not.toEqual([]);
    expect(
      validateResponse('user-management', 'GET', '/users/{account_id}/manage', 200, {
        'lifecycle.enablement': { allowed: false },
      }),
    ).not.toEqual([]);
  });

  it('Admin Control: add-users 202, task in progress and done, bulk-fetch, 400, 401, 404, 429', async () => {
    const email = org.people.find((p) => p.accountId === active)!.atlassianEmail;
    const created = await checked('POST', `${ac}/auth-policy/${org.policies.nonbillableId}/add-users`, 202, {
      body: { users: [email, 'ghost@example.com'] },
    });
    const taskPath = new URL(created.body.taskLink).pathname;
    expect((await checked('GET', taskPath, 200)).body.inProgressCount).toBe(2);
    clock.advance(100);
    const done = await checked('GET', taskPath, 200);
    expect(done.body).toMatchObject({ inProgressCount: 0, successCount: 1, failureCount: 1 });
    await checked('GET', `${ac}/auth-policy/task/no-such-task`, 404);
    await checked('POST', `${ac}/auth-policy/no-such-policy/add-users`, 404, { body: { users: [email] } });
    await checked('POST', `${ac}/auth-policy/${org.policies.billableId}/add-users`, 400, { body: { users: [] } });
    await checked('POST', `${ac}/auth-policy/${org.policies.billableId}/add-users`, 401, {
      body: { users: [email] },
      apiKey: null,
    });
    const fetched = await checked('POST', `${ac}/users/auth-policies/bulk-fetch`, 200, {
      body: { accountIds: [active, app, 'nobody'] },
    });
    expect(fetched.body).toEqual([
      expect.objectContaining({ accountId: active, policyId: org.policies.nonbillableId, policyType: 'nonbillable' }),
    ]);
    await checked('POST', `${ac}/users/auth-policies/bulk-fetch`, 400, {
      body: { accountIds: Array.from({ length: 101 }, (_, i) => `id-${i}`) },
    });
    await checked('POST', '/admin/control/v1/orgs/nope/users/auth-policies/bulk-fetch', 404, {
      body: { accountIds: [active] },
    });
    await throttled('policy', 'POST', `${ac}/users/auth-policies/bulk-fetch`, { accountIds: [active] });
  });

  it('5xx faults: 500 validates where documented; 502/503 are gateway ProxyError (v2: Errors)', async () => {
    const targets: {
      cls: EndpointClass;
      method: string;
      path: () => string;
      body?: unknown;
      gateway: 'ProxyError' | 'Errors';
    }[] = [
      { cls: 'users-read', method: 'GET', path: () => `${v1}/users`, gateway: 'ProxyError' },
      {
        cls: 'users-read',
        method: 'POST',
        path: () => `${v2}/directories/-/users/search`,
        body: {},
        gateway: 'Errors',
      },
      {
        cls: 'last-active',
        method: 'GET',
        path: () => `${v1}/directory/users/${encodeURIComponent(active)}/last-active-dates`,
        gateway: 'ProxyError',
      },
      {
        cls: 'user-write',
        method: 'POST',
        path: () => `/users/${encodeURIComponent(active)}/manage/lifecycle/enable`,
        gateway: 'ProxyError',
      },
      {
        cls: 'policy',
        method: 'POST',
        path: () => `${ac}/users/auth-policies/bulk-fetch`,
        body: { accountIds: [active] },
        gateway: 'ProxyError',
      },
    ];
    for (const t of targets) {
      sim.setFaults(t.cls, { status5xxRate: 1 });
      const seen = new Set<number>();
      for (let i = 0; i < 40 && seen.size < 3; i++) {
        const r = await call(sim.url, t.method, t.path(), { apiKey: KEY, body: t.body });
        seen.add(r.status);
        const m = matchOperation(t.method, t.path())!;
        const errors = validateResponse(m.spec, t.method, m.template, r.status, r.body);
        const documented = !errors.some((e) => e.includes('not documented'));
        if (documented) expect(errors, `${t.method} ${m.template} ${r.status}`).toEqual([]);
        else
          expect(validateComponent('organization', t.gateway, r.body), `${t.method} ${m.template} ${r.status}`).toEqual(
            [],
          );
      }
      expect([...seen].sort()).toEqual([500, 502, 503]);
      sim.setFaults(t.cls, undefined);
    }
  });

  it('the validator catches a v1 user missing a required field (so these checks can fail)', async () => {
    sim.setFaults('users-read', { malformedPages: { kind: 'missing-field', pages: [1], times: 1 } });
    const broken = await call(sim.url, 'GET', `${v1}/users`, { apiKey: KEY });
    expect(validateResponse('organization', 'GET', '/v1/orgs/{orgId}/users', 200, broken.body)).toEqual([
      expect.stringContaining("must have required property 'account_id'"),
    ]);
    sim.setFaults('users-read', undefined);
  });

  it('an unknown path is a 404; every 2xx request the tests sent matches the request contracts', async () => {
    const r = await call(sim.url, 'GET', '/admin/v9/nothing', { apiKey: KEY });
    expect(r.status).toBe(404);
    expect(validateComponent('organization', 'Errors.ApplicationErrors.Model', r.body)).toEqual([]);
    const ok = sim.requests().filter((q) => q.status >= 200 && q.status < 300);
    expect(ok.length).toBeGreaterThan(10);
    for (const q of ok) expect(validateRequest(q), `${q.method} ${q.path}`).toEqual([]);
  });
});
