import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BudgetExhaustedError,
  MalformedResponseError,
  NotFoundError,
  UnauthorizedError,
  type ManagedAccount,
} from '../../lambdas/atlassian/index.js';
import { contractsAvailable, validateRequest } from '../helpers/openapi.js';
import { clientAndSim, TEST_API_KEY, type ClientAndSim } from '../helpers/atlassian.js';

let ctx: ClientAndSim | undefined;
afterEach(async () => {
  await ctx?.sim.stop();
  ctx = undefined;
});

async function listAll(c: ClientAndSim, listing: 'v1' | 'v2'): Promise<ManagedAccount[]> {
  const out: ManagedAccount[] = [];
  for await (const a of c.client.accounts({ listing })) out.push(a);
  return out;
}

describe('Atlassian client: listing a 10,000-user org', () => {
  it('v2 search returns every managed Atlassian account exactly once, with the right fields, in the fewest requests', async () => {
    ctx = await clientAndSim({ size: 10_000 });
    const accounts = await listAll(ctx, 'v2');
    const expected = ctx.org.people.filter((p) => p.accountType === 'atlassian');
    const ids = new Set(accounts.map((a) => a.accountId));
    expect(ids.size).toBe(accounts.length);
    expect(accounts.length).toBe(expected.length);
    const pagesNeeded = Math.ceil(expected.length / 100);
    expect(ctx.client.stats.requests).toBe(pagesNeeded);
    console.info(
      `v2 users/search: ${accounts.length} accounts in ${ctx.client.stats.requests} requests (${pagesNeeded} pages of 100 needed)`,
    );
    const byId = new Map(accounts.map((a) => [a.accountId, a]));
    for (const p of expected.slice(0, 500)) {
      const a = byId.get(p.accountId)!;
      expect(a.email).toBe(p.atlassianEmail);
      expect(a.accountStatus).toBe(p.accountStatus);
      expect(a.addedToOrg).toBe(p.addedToOrg);
      expect(a.platformRoles?.includes('atlassian/org-admin') ?? false).toBe(p.orgAdmin);
      expect(Object.fromEntries(a.products.map((x) => [x.key, x.lastActive]))).toEqual(
        Object.fromEntries(p.products.map((x) => [x.key, x.lastActive])),
      );
    }
  });

  it('v1 users returns every managed account including apps, with billable status, one request per 50', async () => {
    ctx = await clientAndSim({ size: 10_000, sim: { v1NextLink: 'cursor' } });
    const pages = [];
    for await (const page of ctx.client.pages({ listing: 'v1' }))
      pages.push({ n: page.accounts.length, total: page.total });
    const count = pages.reduce((s, p) => s + p.n, 0);
    expect(count).toBe(10_000);
    expect(pages[0]!.total).toBe(10_000);
    expect(ctx.client.stats.requests).toBe(200);
    console.info(`v1 users: ${count} accounts in ${ctx.client.stats.requests} requests (200 pages of 50 needed)`);
  });

  it('accepts links.next as a full URL too', async () => {
    ctx = await clientAndSim({ size: 120, sim: { v1NextLink: 'url' } });
    expect((await listAll(ctx, 'v1')).length).toBe(120);
  });

  it('resumes a listing from a checkpointed cursor without reading a page twice', async () => {
    ctx = await clientAndSim({ size: 450 });
    const first: ManagedAccount[] = [];
    let cursor: string | undefined;
    for await (const page of ctx.client.pages({ pageSize: 100 })) {
      first.push(...page.accounts);
      cursor = page.nextCursor;
      if (first.length >= 200) break;
    }
    const rest: ManagedAccount[] = [];
    for await (const page of ctx.client.pages({ pageSize: 100, cursor })) rest.push(...page.accounts);
    const all = [...first, ...rest].map((a) => a.accountId);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(ctx.org.people.filter((p) => p.accountType === 'atlassian').length);
  });
});

describe('Atlassian client: rate limits and faults', () => {
  it('paces under the limit: a 100-page listing against 20 requests per minute draws no 429', async () => {
    ctx = await clientAndSim({ size: 10_000, sim: { rateLimits: { 'users-read': { limit: 20, windowMs: 60_000 } } } });
    const start = ctx.clock.now();
    expect((await listAll(ctx, 'v2')).length).toBeGreaterThan(9_000);
    expect(ctx.sim.counters().throttled).toBe(0);
    expect(ctx.sim.counters().peakPerWindow['users-read']).toBeLessThanOrEqual(20);
    const minutes = (ctx.clock.now() - start) / 60_000;
    // 98 requests at 19 per window (one kept in reserve) need 5 window resets.
    expect(minutes).toBeGreaterThanOrEqual(5);
    expect(minutes).toBeLessThan(6);
  });

  it('survives a 429 storm, waiting for X-RateLimit-Reset', async () => {
    ctx = await clientAndSim({ size: 300, sim: { faults: { 'users-read': { storm429: 6 } } } });
    expect((await listAll(ctx, 'v2')).length).toBe(ctx.org.people.filter((p) => p.accountType === 'atlassian').length);
    expect(ctx.sim.counters().throttled).toBe(6);
    expect(ctx.logger.lines.filter((l) => l.includes('atlassian.throttled'))).toHaveLength(6);
  });

  it('honours Retry-After when the server sends it', async () => {
    ctx = await clientAndSim({ size: 50, sim: { retryAfterHeader: true, faults: { 'users-read': { storm429: 1 } } } });
    await listAll(ctx, 'v2');
    expect(ctx.logger.lines.find((l) => l.includes('atlassian.throttled'))).toContain('"source":"retry-after"');
  });

  it('survives 5xx and connection resets', async () => {
    ctx = await clientAndSim({
      size: 2_000,
      sim: { faults: { 'users-read': { status5xxRate: 0.2, resetRate: 0.1 } } },
    });
    const accounts = await listAll(ctx, 'v2');
    expect(new Set(accounts.map((a) => a.accountId)).size).toBe(
      ctx.org.people.filter((p) => p.accountType === 'atlassian').length,
    );
    expect(ctx.client.stats.transientRetries).toBeGreaterThan(0);
    expect(ctx.sim.counters().resets).toBeGreaterThan(0);
  });

  it('surfaces a server that keeps failing as BudgetExhaustedError', async () => {
    ctx = await clientAndSim({ size: 50, sim: { faults: { 'users-read': { status5xxRate: 1 } } } });
    await expect(listAll(ctx, 'v2')).rejects.toBeInstanceOf(BudgetExhaustedError);
  });

  it('refuses a page with a missing required field, naming it, and yields nothing of that page', async () => {
    ctx = await clientAndSim({
      size: 300,
      sim: { faults: { 'users-read': { malformedPages: { kind: 'missing-field', pages: [2] } } } },
    });
    const seen: ManagedAccount[] = [];
    const err = await (async () => {
      for await (const a of ctx!.client.accounts({ listing: 'v1' })) seen.push(a);
    })().catch((e) => e);
    expect(err).toBeInstanceOf(MalformedResponseError);
    expect(err.field).toBe('data.0.account_id');
    expect(err.message).toContain('GET /admin/v1/orgs/{orgId}/users');
    expect(seen).toHaveLength(50);
  });

  it('retries a truncated page once broken, and surfaces one that stays broken', async () => {
    ctx = await clientAndSim({
      size: 300,
      sim: { faults: { 'users-read': { malformedPages: { kind: 'truncated-json', pages: [3], times: 1 } } } },
    });
    expect((await listAll(ctx, 'v1')).length).toBe(300);
    await ctx.sim.stop();
    ctx = await clientAndSim({
      size: 300,
      sim: { faults: { 'users-read': { malformedPages: { kind: 'truncated-json', pages: [3] } } } },
    });
    await expect(listAll(ctx, 'v1')).rejects.toBeInstanceOf(MalformedResponseError);
  });
});

describe('Atlassian client: actions', () => {
  it('deactivates and re-enables a user; the listing shows inactive and not billable', async () => {
    ctx = await clientAndSim({ size: 60 });
    const target = ctx.org.people.find(
      (p) =>
        p.accountType === 'atlassian' &&
        p.accountStatus === 'active' &&
        p.managementSource !== 'synced' &&
        !p.orgAdmin &&
        p.policyId === ctx!.org.policies.billableId &&
        p.products.length > 0,
    )!;
    await ctx.client.disable(target.accountId, 'Inactive for 90 days');
    let v1 = (await listAll(ctx, 'v1')).find((a) => a.accountId === target.accountId)!;
    expect(v1).toMatchObject({ accountStatus: 'inactive', accessBillable: false });
    await ctx.client.enable(target.accountId);
    v1 = (await listAll(ctx, 'v1')).find((a) => a.accountId === target.accountId)!;
    expect(v1).toMatchObject({ accountStatus: 'active', accessBillable: true });
    expect(ctx.sim.mutations().map((m) => [m.kind, m.accountId, m.outcome])).toEqual([
      ['disable', target.accountId, 'applied'],
      ['enable', target.accountId, 'applied'],
    ]);
  });

  it('suspends and restores in the configured directory', async () => {
    ctx = await clientAndSim({ size: 30 });
    const target = ctx.org.people.find(
      (p) => p.accountType === 'atlassian' && p.accountStatus === 'active' && p.managementSource !== 'synced',
    )!;
    await ctx.client.suspend(target.accountId);
    expect(ctx.sim.person(target.accountId)?.membershipStatus).toBe('suspended');
    await ctx.client.restore(target.accountId);
    expect(ctx.sim.person(target.accountId)?.membershipStatus).toBe('active');
    expect((await ctx.client.directories()).map((d) => d.directoryId)).toContain(ctx.org.directoryId);
  });

  it('moves users to the nonbillable policy and maps partial task failures back to each user', async () => {
    ctx = await clientAndSim({ size: 80, sim: { taskDelayMs: 5_000 } });
    const movers = ctx.org.people
      .filter((p) => p.accountType === 'atlassian' && p.policyId === ctx!.org.policies.billableId)
      .slice(0, 5);
    const failing = movers[1]!.email;
    ctx.sim.setFaults('policy', { taskFailures: { emails: [failing] } });
    const emails = [...movers.map((p) => p.email.toUpperCase()), 'nobody@example.com'];
    const taskId = await ctx.client.addUsersToPolicy(ctx.org.policies.nonbillableId, emails);
    const outcome = await ctx.client.waitForTask(taskId, emails, { pollMs: 1_000 });
    expect(outcome.failed.map((f) => f.email.toLowerCase()).sort()).toEqual([failing, 'nobody@example.com'].sort());
    expect(outcome.succeeded).toHaveLength(4);
    expect(ctx.client.stats.byEndpoint['GET /admin/control/v1/orgs/{orgId}/auth-policy/task/{taskId}']).toBeGreaterThan(
      1,
    );
    const assignments = await ctx.client.policyAssignments(movers.map((p) => p.accountId));
    const policyOf = new Map(assignments.map((a) => [a.email.toLowerCase(), a.policyId]));
    expect(policyOf.get(movers[0]!.email)).toBe(ctx.org.policies.nonbillableId);
    expect(policyOf.get(failing)).toBe(ctx.org.policies.billableId);
  });

  it('reads last-active dates (with added-to-org) for one user, and finds the org admins in few requests', async () => {
    ctx = await clientAndSim({ size: 400 });
    const p = ctx.org.people.find((x) => x.accountType === 'atlassian' && x.products.some((y) => y.lastActive))!;
    const dates = await ctx.client.lastActiveDates(p.accountId);
    expect(dates.addedToOrg).toBeDefined();
    expect(dates.products.map((x) => x.key).sort()).toEqual(
      p.products
        .filter((x) => x.lastActive)
        .map((x) => x.key)
        .sort(),
    );
    const before = ctx.client.stats.requests;
    const admins = await ctx.client.orgAdminIds();
    expect([...admins].sort()).toEqual(
      ctx.org.people
        .filter((x) => x.orgAdmin && x.accountType === 'atlassian')
        .map((x) => x.accountId)
        .sort(),
    );
    expect(ctx.client.stats.requests - before).toBe(1);
  });

  it('maps 404 for an unknown policy to NotFoundError', async () => {
    ctx = await clientAndSim({ size: 10 });
    await expect(ctx.client.addUsersToPolicy('no-such-policy', ['a@example.com'])).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe.skipIf(!contractsAvailable())('Atlassian client: requests match the OpenAPI contract', () => {
  it('every request the client sent has a documented path, method and body', async () => {
    ctx = await clientAndSim({ size: 120 });
    const p = ctx.org.people.find(
      (x) => x.accountType === 'atlassian' && x.accountStatus === 'active' && x.managementSource !== 'synced',
    )!;
    await listAll(ctx, 'v1');
    await listAll(ctx, 'v2');
    await ctx.client.orgAdminIds();
    await ctx.client.lastActiveDates(p.accountId);
    await ctx.client.lifecyclePermission(p.accountId);
    await ctx.client.disable(p.accountId, 'stale');
    await ctx.client.enable(p.accountId);
    await ctx.client.suspend(p.accountId);
    await ctx.client.restore(p.accountId);
    await ctx.client.directories();
    const task = await ctx.client.addUsersToPolicy(ctx.org.policies.nonbillableId, [p.email]);
    await ctx.client.waitForTask(task, [p.email]);
    await ctx.client.policyAssignments([p.accountId]);
    const records = ctx.sim.requests();
    expect(new Set(records.map((r) => `${r.method} ${r.template}`)).size).toBe(12);
    const problems = records.flatMap((r) => validateRequest(r).map((e) => `${r.method} ${r.path}: ${e}`));
    expect(problems).toEqual([]);
  });
});
if (!contractsAvailable())
  console.warn('NOTE: ../shared/contracts is absent: the client request contract test is skipped.');

describe('Atlassian client: the API key stays secret', () => {
  it('never shows the key in logs or errors, on any failure path', async () => {
    ctx = await clientAndSim({ size: 50, sim: { faults: { 'users-read': { storm429: 2, status5xxRate: 1 } } } });
    const errors: unknown[] = [];
    errors.push(await listAll(ctx, 'v2').catch((e) => e));
    const wrongKey = `${TEST_API_KEY}-revoked`;
    const c2 = await clientAndSim({ size: 5, apiKey: wrongKey });
    const unauthorized = await listAll(c2, 'v2').catch((e) => e);
    await c2.sim.stop();
    expect(unauthorized).toBeInstanceOf(UnauthorizedError);
    errors.push(unauthorized);
    const dump = [
      ...ctx.logger.lines,
      ...c2.logger.lines,
      ...errors.flatMap((e) => [
        String(e),
        (e as Error).stack,
        JSON.stringify(e),
        JSON.stringify((e as Error).cause ?? null),
      ]),
      JSON.stringify(ctx.client),
      inspect(ctx.client, { depth: 10, showHidden: true }),
      JSON.stringify(ctx.client.stats),
    ].join('\n');
    expect(dump).not.toContain(TEST_API_KEY);
    expect(dump).not.toContain(wrongKey);
    expect(errors[0]).toBeInstanceOf(BudgetExhaustedError);
  });
});
