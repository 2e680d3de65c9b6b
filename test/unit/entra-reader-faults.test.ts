// Throttling and transient faults, with a clock whose sleeps take no time. No socket.
import { describe, expect, it } from 'vitest';
import { createEntraDirectory, EntraThrottledError, EntraUnavailableError } from '../../lambdas/entra/index.js';
import { syntheticOrg } from '../sim/org/index.js';
import { captureLogger, expectedMemberIds, inMemoryGraph, inMemoryOptions, recordingClock } from '../helpers/graph.js';

const org = syntheticOrg({ size: 2500, seed: 3 });
const confluence = expectedMemberIds(org, org.groups.confluence);
const inConfluence = (m: Awaited<ReturnType<ReturnType<typeof createEntraDirectory>['readMembership']>>) =>
  new Set([...m.members()].filter((x) => x.inConfluenceGroup).map((x) => x.id));

describe('throttling (429 + Retry-After)', () => {
  it('waits Retry-After for a throttled request inside a $batch and resends only that request', async () => {
    const graph = inMemoryGraph({
      org,
      faults: [
        { fault: { kind: 'throttle', retryAfterSeconds: 30 }, routes: ['transitiveMembers'], where: 'inner', times: 1 },
      ],
    });
    const clock = recordingClock();
    const m = await createEntraDirectory(inMemoryOptions(graph, org, { clock })).readMembership();
    expect(clock.sleeps).toEqual([30_000]);
    expect(inConfluence(m)).toEqual(confluence);
    expect(m.stats).toMatchObject({ throttledRetries: 1, waitedMs: 30_000 });
    // The batch carried 2 reads; the throttled one went again, alone.
    expect(graph.core.counters().inner.transitiveMembers).toBe(2);
  });

  it('survives a storm of 429s on direct requests, logging each wait', async () => {
    const graph = inMemoryGraph({
      org,
      faults: [
        {
          fault: { kind: 'throttle', retryAfterSeconds: 60 },
          routes: ['transitiveMembers'],
          where: 'direct',
          times: 4,
        },
      ],
    });
    const clock = recordingClock();
    const logger = captureLogger();
    const m = await createEntraDirectory(
      inMemoryOptions(graph, org, { clock, logger, useBatch: false }),
    ).readMembership();
    expect(inConfluence(m)).toEqual(confluence);
    expect(clock.sleeps).toEqual([60_000, 60_000, 60_000, 60_000]);
    expect(logger.lines.filter((l) => l.level === 'warn' && l.fields?.kind === 'throttled')).toHaveLength(4);
  });

  it('gives up with EntraThrottledError once the throttle budget is spent', async () => {
    const graph = inMemoryGraph({ org, faults: [{ fault: { kind: 'throttle', retryAfterSeconds: 10 } }] });
    const clock = recordingClock();
    const error = await createEntraDirectory(
      inMemoryOptions(graph, org, {
        clock,
        useBatch: false,
        exclusionGroupIds: [],
        retry: { maxThrottledRetries: 3, random: () => 0 },
      }),
    )
      .readMembership()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntraThrottledError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 10_000, attempts: 4 });
    expect(clock.sleeps).toEqual([10_000, 10_000, 10_000]);
  });

  it('stops waiting when the wait would outlast the invocation', async () => {
    const graph = inMemoryGraph({ org, faults: [{ fault: { kind: 'throttle', retryAfterSeconds: 120 } }] });
    const clock = recordingClock();
    const deadline = clock.now() + 60_000;
    const error = await createEntraDirectory(
      inMemoryOptions(graph, org, { clock, useBatch: false, retry: { deadline: () => deadline, random: () => 0 } }),
    )
      .readMembership()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntraThrottledError);
    expect((error as Error).message).toMatch(/gave up: deadline/);
    expect(clock.sleeps).toEqual([]);
  });
});

describe('transient failures', () => {
  it('retries 5xx answers and connection resets with back-off, then reads everything', async () => {
    const graph = inMemoryGraph({
      org,
      faults: [
        { fault: { kind: 'status', status: 503 }, routes: ['batch'], times: 1 },
        { fault: { kind: 'reset' }, routes: ['transitiveMembers'], times: 2 },
        { fault: { kind: 'status', status: 500 }, routes: ['transitiveMembers'], where: 'inner', times: 1 },
      ],
    });
    const clock = recordingClock();
    const m = await createEntraDirectory(inMemoryOptions(graph, org, { clock })).readMembership();
    expect(inConfluence(m)).toEqual(confluence);
    expect(m.stats.transientRetries).toBe(4);
    expect(graph.core.counters().faults).toBe(4);
  });

  it('gives up with EntraUnavailableError when the connection keeps dropping', async () => {
    const graph = inMemoryGraph({ org, faults: [{ fault: { kind: 'reset' } }] });
    const error = await createEntraDirectory(
      inMemoryOptions(graph, org, {
        clock: recordingClock(),
        useBatch: false,
        retry: { maxTransientRetries: 2, random: () => 0 },
      }),
    )
      .readMembership()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntraUnavailableError);
    expect(error).toMatchObject({ attempts: 3 });
    expect((error as Error).message).toMatch(/could not be reached.*UND_ERR_SOCKET/);
  });
});
