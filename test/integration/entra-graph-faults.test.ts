// Throttling, transient faults and refusals over HTTPS against the Graph simulator. Long Retry-After waits run on a recording clock.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createEntraDirectory,
  DirectoryScope,
  EntraLicenseError,
  EntraPermissionError,
  SignInActivityMode,
} from '../../lambdas/entra/index.js';
import { SIM_PERMISSIONS, startGraphSim, type GraphSim } from '../sim/graph/index.js';
import { syntheticOrg } from '../sim/org/index.js';
import { captureLogger, directoryOptions, expectedMemberIds, recordingClock } from '../helpers/graph.js';

const org = syntheticOrg({ size: 4000, seed: 21 });
const confluence = expectedMemberIds(org, org.groups.confluence);

describe('Entra reader under Graph faults (HTTPS)', () => {
  let sim: GraphSim;
  beforeAll(async () => {
    sim = await startGraphSim({ org });
  });
  afterAll(() => sim.stop());
  beforeEach(() => {
    sim.faults.clear();
    sim.resetCounters();
    for (const p of SIM_PERMISSIONS) sim.permissions.add(p);
    sim.setPremium(true);
  });

  const read = (overrides: Parameters<typeof directoryOptions>[2] = {}) =>
    createEntraDirectory(directoryOptions(sim, org, overrides)).readMembership();
  const inGroup = (m: Awaited<ReturnType<typeof read>>) =>
    new Set([...m.members()].filter((x) => x.inConfluenceGroup).map((x) => x.id));

  it('survives a 429 storm, waiting each Retry-After (60 s on a recording clock)', async () => {
    sim.faults.add({ fault: { kind: 'throttle', retryAfterSeconds: 60 }, times: 5 });
    const clock = recordingClock();
    const m = await read({ clock });
    expect(inGroup(m)).toEqual(confluence);
    expect(sim.counters().byStatus['429']).toBeGreaterThanOrEqual(1);
    expect(m.stats.throttledRetries).toBe(5);
    expect(clock.sleeps.length).toBeGreaterThanOrEqual(1);
    expect(clock.sleeps.every((ms) => ms >= 60_000)).toBe(true);
  });

  it('survives 5xx answers and connection resets', async () => {
    sim.faults.add({
      fault: { kind: 'status', status: 502 },
      routes: ['transitiveMembers'],
      where: 'direct',
      times: 2,
    });
    sim.faults.add({ fault: { kind: 'reset' }, routes: ['transitiveMembers', 'batch'], times: 2 });
    sim.faults.add({ fault: { kind: 'status', status: 503, retryAfterSeconds: 3 }, where: 'inner', times: 1 });
    const logger = captureLogger();
    const m = await read({ clock: recordingClock(), logger });
    expect(inGroup(m)).toEqual(confluence);
    expect(m.stats.transientRetries).toBe(5);
    expect(sim.counters().byStatus.reset).toBe(2);
    expect(logger.lines.filter((l) => l.level === 'warn').length).toBe(5);
  });

  it('times out a slow answer and retries it', async () => {
    sim.faults.add({ fault: { kind: 'slow', delayMs: 2_000 }, routes: ['transitiveMembers'], times: 1 });
    const m = await read({ clock: recordingClock(), requestTimeoutMs: 300, useBatch: false });
    expect(inGroup(m)).toEqual(confluence);
    expect(m.stats.transientRetries).toBe(1);
  });

  it('gives a clear error naming GroupMember.Read.All on 403', async () => {
    sim.permissions.delete('GroupMember.Read.All');
    const error = await read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntraPermissionError);
    expect(error).toMatchObject({
      permission: 'GroupMember.Read.All',
      status: 403,
      code: 'Authorization_RequestDenied',
    });
    expect((error as Error).message).toContain(
      `lacks GroupMember.Read.All. Grant the Microsoft Graph application permission GroupMember.Read.All to the app registration ${sim.clientId}`,
    );
  });

  it('names AuditLog.Read.All when sign-in activity is required but not granted', async () => {
    sim.permissions.delete('AuditLog.Read.All');
    const error = await read({ signInActivity: SignInActivityMode.REQUIRED }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntraPermissionError);
    expect(error).toMatchObject({ permission: 'AuditLog.Read.All' });
  });

  it('without P1: fails when sign-in activity is required, reads on without it when allowed', async () => {
    sim.setPremium(false);
    await expect(read({ signInActivity: SignInActivityMode.REQUIRED })).rejects.toBeInstanceOf(EntraLicenseError);
    const m = await read({ signInActivity: SignInActivityMode.BEST_EFFORT, scope: DirectoryScope.ALL_USERS });
    expect(m.signInActivity).toMatchObject({
      state: 'unavailable',
      code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
    });
    expect(inGroup(m)).toEqual(confluence);
    expect([...m.members()].some((x) => x.lastSignIn !== undefined)).toBe(false);
  });
});
