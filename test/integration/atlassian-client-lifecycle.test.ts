/**
 * The client's write calls against the simulator: the SCIM flag from the listing, the permission
 * read, and typed refusals that carry the API's error key and message (and never the API key).
 */
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AccountNotFoundError,
  ActionForbiddenError,
  ForbiddenError,
  LifecycleConflictError,
  NotFoundError,
  ScimManagedError,
  type AtlassianError,
  type ManagedAccount,
} from '../../lambdas/atlassian/index.js';
import { SimControlClient } from '../sim/atlassian/index.js';
import type { Person } from '../sim/org/index.js';
import { clientAndSim, TEST_API_KEY, type ClientAndSim } from '../helpers/atlassian.js';

let ctx: ClientAndSim | undefined;
afterEach(async () => {
  await ctx?.sim.stop();
  ctx = undefined;
});

const activeOf = (c: ClientAndSim, source: 'synced' | 'invited'): Person =>
  c.org.people.find(
    (p) =>
      p.index > 2 &&
      p.accountType === 'atlassian' &&
      p.accountStatus === 'active' &&
      p.membershipStatus === 'active' &&
      p.managementSource === source,
  )!;

async function refusal(p: Promise<unknown>): Promise<AtlassianError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, 'the call was expected to fail').toBeInstanceOf(Error);
  return e as AtlassianError;
}

describe('Atlassian client: SCIM-synced accounts', () => {
  it('maps managementSource from the v2 listing, and leaves it out of v1', async () => {
    ctx = await clientAndSim({ size: 600 });
    const v2: ManagedAccount[] = [];
    for await (const a of ctx.client.accounts()) v2.push(a);
    const expected = new Map(ctx.org.people.map((p) => [p.accountId, p.managementSource]));
    for (const a of v2) expect(a.managementSource, a.accountId).toBe(expected.get(a.accountId));
    expect(v2.filter((a) => a.managementSource === 'synced').length).toBeGreaterThan(5);
    for await (const a of ctx.client.accounts({ listing: 'v1' })) expect(a).not.toHaveProperty('managementSource');
  });

  it('reads the lifecycle permission: refused with externalDirectory.scim for a synced account, allowed otherwise', async () => {
    ctx = await clientAndSim({ size: 300 });
    expect(await ctx.client.lifecyclePermission(activeOf(ctx, 'synced').accountId)).toEqual({
      allowed: false,
      reason: 'externalDirectory.scim',
    });
    expect(await ctx.client.lifecyclePermission(activeOf(ctx, 'invited').accountId)).toEqual({ allowed: true });
    const gone = await refusal(ctx.client.lifecyclePermission('712020:gone'));
    expect(gone).toBeInstanceOf(AccountNotFoundError);
    expect(ctx.sim.requests().at(-1)!.path).toContain('?privileges=lifecycle.enablement');
  });

  it('surfaces a refused disable of a synced account as ScimManagedError, once, with nothing changed', async () => {
    ctx = await clientAndSim({ size: 300 });
    const p = activeOf(ctx, 'synced');
    const before = ctx.client.stats.requests;
    const e = await refusal(ctx.client.disable(p.accountId, 'Inactive for 90 days'));
    expect(e).toBeInstanceOf(ScimManagedError);
    expect(e).toBeInstanceOf(ActionForbiddenError);
    expect(e).toMatchObject({
      status: 403,
      errorKey: 'forbidden.action',
      reason: 'externalDirectory.scim',
      accountId: p.accountId,
      endpoint: 'POST /users/{account_id}/manage/lifecycle/disable',
    });
    expect(ctx.client.stats.requests - before).toBe(1);
    const control = new SimControlClient(ctx.sim.url);
    expect(await control.appliedByAccount()).toEqual(new Map());
    expect((await control.state(p.accountId))?.accountStatus).toBe('active');
  });

  it('surfaces a refused v2 suspend of a synced account as ForbiddenError with the error code and message', async () => {
    ctx = await clientAndSim({ size: 300 });
    const e = await refusal(ctx.client.suspend(activeOf(ctx, 'synced').accountId));
    expect(e).toBeInstanceOf(ForbiddenError);
    expect(e).not.toBeInstanceOf(ScimManagedError);
    expect(e.errorKey).toBe('ADMIN-403-1');
    expect(e.apiMessage).toMatch(/identity provider/);
  });
});

describe('Atlassian client: typed lifecycle refusals', () => {
  it('reports a closed account as LifecycleConflictError with its lifecycle code and message', async () => {
    ctx = await clientAndSim({ size: 200 });
    const p = activeOf(ctx, 'invited');
    ctx.sim.person(p.accountId)!.accountStatus = 'closed';
    const e = await refusal(ctx.client.disable(p.accountId));
    expect(e).toBeInstanceOf(LifecycleConflictError);
    expect(e).toMatchObject({
      status: 409,
      errorKey: 'conflict.lifecycleErrors',
      lifecycleErrors: [{ code: 'ACCOUNT_CLOSED', message: expect.stringContaining('closed') }],
      apiMessage: expect.stringContaining('closed'),
    });
  });

  it('reports "already deactivated" as LifecycleConflictError when the API answers 409 to a no-op', async () => {
    ctx = await clientAndSim({ size: 200, sim: { lifecycleConflictOnNoop: true } });
    const p = activeOf(ctx, 'invited');
    await ctx.client.disable(p.accountId, 'stale');
    const e = await refusal(ctx.client.disable(p.accountId, 'stale'));
    expect(e).toBeInstanceOf(LifecycleConflictError);
    expect((e as LifecycleConflictError).lifecycleErrors.map((x) => x.code)).toEqual(['ALREADY_DEACTIVATED']);
    expect(e.errorCodes).toEqual(['conflict.lifecycleErrors', 'ALREADY_DEACTIVATED']);
  });

  it('reports a vanished account as AccountNotFoundError (disable) and NotFoundError (v2 suspend)', async () => {
    ctx = await clientAndSim({ size: 50 });
    const e = await refusal(ctx.client.disable('712020:gone'));
    expect(e).toBeInstanceOf(AccountNotFoundError);
    expect(e).toMatchObject({ status: 404, errorKey: 'accountNotFound', accountId: '712020:gone' });
    const v2 = await refusal(ctx.client.suspend('712020:gone'));
    expect(v2).toBeInstanceOf(NotFoundError);
    expect(v2).not.toBeInstanceOf(AccountNotFoundError);
  });

  it('never puts the API key in a refusal, whatever way it is printed', async () => {
    ctx = await clientAndSim({ size: 300 });
    const c = ctx;
    const synced = activeOf(c, 'synced');
    const errors = [
      await refusal(c.client.disable(synced.accountId, 'stale')),
      await refusal(c.client.suspend(synced.accountId)),
      await refusal(c.client.enable('712020:gone')),
    ];
    const dump = errors
      .flatMap((e) => [String(e), e.stack, JSON.stringify(e), inspect(e, { depth: 5, showHidden: true })])
      .join('\n');
    expect(dump).not.toContain(TEST_API_KEY);
    expect(dump).toContain('forbidden.action');
  });
});
