/**
 * The finish step (lambdas/execute/finish.ts) with in-memory ports: the seat count runs beside the
 * writes and the mail, the snapshot is stored only after the execution is, a failed step leaves no
 * listing running, and a failed count never fails the execution.
 */
import { describe, expect, it } from 'vitest';
import { ItemState, type ProposalItem } from '../../lambdas/domain/index.js';
import { Round } from '../../lambdas/domain/execution.js';
import type { ExecDeps } from '../../lambdas/execute/index.js';
import { finish } from '../../lambdas/execute/finish.js';
import { makeConfig } from '../helpers/config.js';

const PID = 'p-1';
const NOW = Date.parse('2026-11-08T10:00:00Z');

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

interface Options {
  /** What the org listing does once started; it starts from the finish step. */
  readonly count?: (log: string[], signal?: AbortSignal) => Promise<void>;
  /** A count() that throws before it returns a promise. */
  readonly countThrowsAtOnce?: boolean;
  readonly mail?: (log: string[]) => Promise<void>;
  readonly finished?: boolean;
  /** Whether every chunk is marked done. @default true */
  readonly chunksDone?: boolean;
  /** Items still waiting for their grace period. */
  readonly waiting?: boolean;
}

function harness(o: Options = {}) {
  const log: string[] = [];
  const warnings: string[] = [];
  const items = [
    {
      proposalId: PID,
      accountId: 'a1',
      action: 'DEACTIVATE',
      state: ItemState.DONE,
      executedAt: '2026-11-08T09:00:00Z',
    },
    { proposalId: PID, accountId: 'a2', action: 'DEACTIVATE', state: ItemState.REJECTED },
    ...(o.waiting
      ? [
          {
            proposalId: PID,
            accountId: 'a3',
            action: 'DEACTIVATE',
            state: ItemState.APPROVED,
            notBefore: '2026-11-15T10:00:00Z',
          },
        ]
      : []),
  ] as unknown as ProposalItem[];
  const deps = {
    config: makeConfig(),
    clock: { now: () => NOW },
    logger: { log: (level: string, msg: string) => level === 'warn' && warnings.push(msg) },
    proposals: {
      get: async () => ({ proposalId: PID, status: 'APPROVED', orgId: 'o' }),
      decidedItems: async function* () {
        await new Promise((r) => setTimeout(r, 5));
        yield* items;
        log.push('items read');
      },
      setStatus: async () => void log.push('status'),
    },
    executions: {
      get: async () =>
        o.finished
          ? { chunkCount: 2, finishedAt: '2026-11-08T09:30:00Z', outcome: { done: 1 } }
          : { proposalId: PID, round: Round.MAIN, chunkCount: 2 },
      chunk: async (_p: string, _r: string, index: number) => ({
        index,
        ...((o.chunksDone ?? true) || index === 0 ? { doneAt: '2026-11-08T09:10:00Z' } : {}),
      }),
      finish: async () => void log.push('execution finished'),
    },
    audit: { append: async () => void log.push('audit') },
    mail: {
      results: async () => {
        log.push('mail');
        await o.mail?.(log);
      },
    },
    finance: {
      recordChanges: async () => (log.push('changes'), 1),
      count: o.countThrowsAtOnce
        ? () => {
            throw new Error('no listing today');
          }
        : async (signal?: AbortSignal) => {
            log.push('count started');
            await (o.count ?? (async () => undefined))(log, signal);
            log.push(signal?.aborted ? 'count aborted' : 'count done');
            return { record: async (runId: string) => void log.push(`snapshot ${runId}`) };
          },
    },
  } as unknown as ExecDeps;
  return { deps, log, warnings };
}

describe('finish', () => {
  it('counts the org while it writes and mails, and stores the snapshot after the execution is finished', async () => {
    // The listing ends only once the mail is out: a finish that counted after mailing would never end.
    const mailed = deferred();
    const h = harness({ count: () => mailed.promise, mail: async () => mailed.resolve() });
    const report = await finish(h.deps, PID, Round.MAIN);
    expect(report).toMatchObject({ mailed: true, outcome: { done: 1, waiting: 0 } });
    expect(h.log.indexOf('count started')).toBeLessThan(h.log.indexOf('audit'));
    expect(h.log.indexOf('changes')).toBeLessThan(h.log.indexOf('snapshot exec-p-1-main'));
    expect(h.log.indexOf('execution finished')).toBeLessThan(h.log.indexOf('snapshot exec-p-1-main'));
    expect(h.log.at(-1)).toBe('snapshot exec-p-1-main');
  });

  it('when a write fails, throws only after the listing settled, and stores no snapshot', async () => {
    const listing = deferred();
    const h = harness({
      count: () => listing.promise,
      mail: async () => {
        setTimeout(() => listing.resolve(), 30);
        throw new Error('SES is down');
      },
    });
    await expect(finish(h.deps, PID, Round.MAIN)).rejects.toThrow('SES is down');
    // The listing was told to stop, and had stopped before the step failed.
    expect(h.log).toContain('count aborted');
    expect(h.log.some((l) => l.startsWith('snapshot'))).toBe(false);
    expect(h.log).not.toContain('execution finished');
  });

  it('a failed count is a warning: the execution still finishes and mails', async () => {
    const h = harness({
      count: async () => {
        throw new Error('429 Too Many Requests');
      },
    });
    await expect(finish(h.deps, PID, Round.MAIN)).resolves.toMatchObject({ mailed: true });
    expect(h.log).toContain('execution finished');
    expect(h.log.some((l) => l.startsWith('snapshot'))).toBe(false);
    expect(h.warnings).toEqual(['finance snapshot after execution failed; the next plan run counts again']);
  });

  it('a count that throws at once is a warning too', async () => {
    const h = harness({ countThrowsAtOnce: true });
    await expect(finish(h.deps, PID, Round.MAIN)).resolves.toMatchObject({ mailed: true });
    expect(h.log).toContain('execution finished');
    expect(h.warnings).toEqual(['finance snapshot after execution failed; the next plan run counts again']);
  });

  it('counts, reads and writes nothing for an execution finished before (a retried step): the outcome is on its record', async () => {
    const h = harness({ finished: true });
    await expect(finish(h.deps, PID, Round.MAIN)).resolves.toEqual({
      proposalId: PID,
      round: Round.MAIN,
      outcome: { done: 1 },
      mailed: false,
    });
    expect(h.log).toEqual([]);
  });

  it('when every chunk is done, the count starts before the decided items are read', async () => {
    const h = harness();
    await finish(h.deps, PID, Round.MAIN);
    expect(h.log.indexOf('count started')).toBeLessThan(h.log.indexOf('items read'));
  });

  it('with a chunk not done, the count starts only once the read shows nothing waits', async () => {
    const h = harness({ chunksDone: false });
    await expect(finish(h.deps, PID, Round.MAIN)).resolves.toMatchObject({ mailed: true });
    expect(h.log.indexOf('items read')).toBeLessThan(h.log.indexOf('count started'));
    expect(h.log.at(-1)).toBe('snapshot exec-p-1-main');
  });

  it('a failed chunk read only means the count starts after the items are read; no chunk read outlives the step', async () => {
    const h = harness();
    let reading = 0;
    let readsAfterAnswer = 0;
    let answered = false;
    (h.deps.executions as { get: unknown }).get = async () => ({ proposalId: PID, round: Round.MAIN, chunkCount: 20 });
    (h.deps.executions as { chunk: unknown }).chunk = async (_p: string, _r: string, index: number) => {
      if (answered) readsAfterAnswer++;
      reading++;
      await new Promise((r) => setTimeout(r, index === 0 ? 1 : 20));
      reading--;
      if (index === 0) throw new Error('throttled');
      return { index, doneAt: '2026-11-08T09:10:00Z' };
    };
    const original = h.deps.proposals.decidedItems.bind(h.deps.proposals);
    (h.deps.proposals as { decidedItems: unknown }).decidedItems = (id: string) => {
      answered = true;
      expect(reading).toBe(0);
      return original(id);
    };
    await expect(finish(h.deps, PID, Round.MAIN)).resolves.toMatchObject({ mailed: true });
    expect(readsAfterAnswer).toBe(0);
    expect(h.log.indexOf('items read')).toBeLessThan(h.log.indexOf('count started'));
  });

  it('items still waiting: a count started early is stopped and settled, nothing stored, no warning', async () => {
    const h = harness({
      waiting: true,
      count: (_log, signal) => new Promise((r) => signal?.addEventListener('abort', () => setTimeout(r, 20))),
    });
    const report = await finish(h.deps, PID, Round.MAIN);
    expect(report).toMatchObject({ mailed: false, resumeAt: '2026-11-15T10:00:00.000Z' });
    expect(h.log).toEqual(['count started', 'items read', 'count aborted']);
    expect(h.warnings).toEqual([]);
  });

  it('a failed read of the items stops a count started early before the step fails', async () => {
    const h = harness({
      count: (_log, signal) => new Promise((r) => signal?.addEventListener('abort', () => setTimeout(r, 20))),
    });
    (h.deps.proposals as { decidedItems: unknown }).decidedItems = async function* () {
      await new Promise((r) => setTimeout(r, 5));
      yield* [];
      throw new Error('DynamoDB is not reachable');
    };
    await expect(finish(h.deps, PID, Round.MAIN)).rejects.toThrow('DynamoDB is not reachable');
    expect(h.log).toEqual(['count started', 'count aborted']);
  });
});
