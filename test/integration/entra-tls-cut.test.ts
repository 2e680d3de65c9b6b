// The Graph simulator over HTTPS: a certificate not trusted is said as a TLS failure (host, what to
// trust), never as wrong credentials; a 200 whose JSON breaks off ($batch or a page) is retried as a
// transient failure within the transient budget.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEntraDirectory, EntraTlsError, EntraUnavailableError } from '../../lambdas/entra/index.js';
import { startGraphSim, type GraphSim } from '../sim/graph/index.js';
import { syntheticOrg } from '../sim/org/index.js';
import { captureLogger, directoryOptions, expectedMemberIds, recordingClock } from '../helpers/graph.js';

const org = syntheticOrg({ size: 1500, seed: 5 });
const failureOf = (p: Promise<unknown>): Promise<Error> =>
  p.then(
    () => {
      throw new Error('expected the read to fail');
    },
    (e: unknown) => e as Error,
  );
const confluence = expectedMemberIds(org, org.groups.confluence);

describe('Entra reader: TLS failures and answers cut short', () => {
  let sim: GraphSim;
  beforeAll(async () => {
    sim = await startGraphSim({ org });
  });
  afterAll(() => sim.stop());
  beforeEach(() => sim.faults.clear());

  const read = (overrides: Parameters<typeof directoryOptions>[2] = {}) =>
    createEntraDirectory(directoryOptions(sim, org, overrides)).readMembership();

  it('an untrusted certificate is a TLS failure naming the host and LIFECYCLE_GRAPH_CA, not the credentials', async () => {
    const untrusted = { url: sim.url, tenantId: sim.tenantId, clientId: sim.clientId, clientSecret: sim.clientSecret };
    const err = await failureOf(createEntraDirectory(directoryOptions(untrusted, org)).readMembership());
    expect(err).toBeInstanceOf(EntraTlsError);
    const host = new URL(sim.url).host;
    expect(err.message).toMatch(
      new RegExp(`^TLS failure connecting to ${host.replace(/\./g, '\\.')} \\(entra\\.authorityHost\\)`),
    );
    expect(err.message).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO/);
    expect(err.message).toContain('LIFECYCLE_GRAPH_CA');
    expect(err.message).toContain('NODE_EXTRA_CA_CERTS');
    expect(err.message).toContain('not a wrong tenant, client id or secret');
    expect(err.message).not.toContain(sim.clientSecret);
  });

  it('retries a $batch whose JSON is cut short like other transient failures', async () => {
    sim.faults.add({ fault: { kind: 'malformed' }, routes: ['batch'], times: 1 });
    const logger = captureLogger();
    const m = await read({ clock: recordingClock(), logger });
    expect(new Set([...m.members()].filter((x) => x.inConfluenceGroup).map((x) => x.id))).toEqual(confluence);
    expect(sim.faults.injected).toBe(1);
    expect(m.stats.transientRetries).toBe(1);
    expect(logger.lines.filter((l) => l.message.includes('cut short'))).toHaveLength(1);
  });

  it('gives up after the transient budget with a message that says the answer broke off', async () => {
    sim.faults.add({ fault: { kind: 'malformed' }, routes: ['batch', 'transitiveMembers'], where: 'direct' });
    const err = await failureOf(read({ clock: recordingClock(), retry: { random: () => 0, maxTransientRetries: 2 } }));
    expect(err).toBeInstanceOf(EntraUnavailableError);
    expect(err.message).toMatch(/answer \(200\) broke off .* after 3 attempt\(s\) \(gave up: budget\)/);
  });
});
