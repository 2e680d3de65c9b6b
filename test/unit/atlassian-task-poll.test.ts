import { describe, expect, it } from 'vitest';
import { AtlassianClient } from '../../lambdas/atlassian/client.js';
import { ManualClock, memoryLogger } from '../../lambdas/shared/index.js';
import { scriptedFetch } from '../helpers/scripted-fetch.js';

/** A task that is done `doneAfterMs` after it is first polled; returns the poll times (ms after the first). */
async function pollTimes(doneAfterMs: number, options: { pollMs?: number; timeoutMs?: number } = {}) {
  const clock = new ManualClock();
  const t0 = clock.now();
  const times: number[] = [];
  const sf = scriptedFetch(() => {
    const at = clock.now() - t0;
    times.push(at);
    const done = at >= doneAfterMs;
    return {
      body: { inProgressCount: done ? 0 : 3, successCount: done ? 3 : 0, failureCount: 0, failureReasons: [] },
    };
  });
  const client = new AtlassianClient({
    baseUrl: 'http://127.0.0.1:9',
    apiKey: 'k',
    orgId: 'org-1',
    clock,
    logger: memoryLogger(),
    fetch: sf.fetch,
    random: () => 0.5,
  } as never);
  const outcome = await client.waitForTask('task-1', ['a@example.com'], options);
  return { times, outcome };
}

describe('add-users task polling', () => {
  it('asks again soon, then less and less often, up to pollMs', async () => {
    const { times, outcome } = await pollTimes(10_000);
    expect(times).toEqual([0, 250, 750, 1750, 3750, 5750, 7750, 9750, 11750]);
    expect(outcome.succeeded).toEqual(['a@example.com']);
  });

  it('a task done within a second costs two or three polls and under a second of waiting', async () => {
    expect((await pollTimes(200)).times).toEqual([0, 250]);
    expect((await pollTimes(600)).times).toEqual([0, 250, 750]);
    expect((await pollTimes(0)).times).toEqual([0]);
  });

  it('never waits longer than pollMs between polls, nor past the timeout', async () => {
    const { times } = await pollTimes(3_000, { pollMs: 500 });
    expect(times).toEqual([0, 250, 750, 1250, 1750, 2250, 2750, 3250]);
    // One poll lands on the timeout itself: a task done by then is not reported as stuck.
    const late = await pollTimes(3_900, { timeoutMs: 4_000 });
    expect(late.times).toEqual([0, 250, 750, 1750, 3750, 4000]);
    expect(late.outcome.succeeded).toEqual(['a@example.com']);
    await expect(pollTimes(60_000, { timeoutMs: 4_000 })).rejects.toThrow(
      /add-users task task-1 still has 3 user\(s\) in progress after 4 s; poll it again later/,
    );
  });
});
