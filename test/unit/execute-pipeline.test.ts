/**
 * The per-user pipeline (lambdas/execute/pipeline.ts) with in-memory ports that log every write and
 * call: the order each item's writes and call come in, the overlap of one batch's calls with the
 * next batch's claims and the previous batch's results, and what is left after a failure.
 */
import { describe, expect, it } from 'vitest';
import { AuditEvent, ItemState, StateConflictError, type ProposalItem } from '../../lambdas/domain/index.js';
import type { ChunkRecord } from '../../lambdas/domain/execution.js';
import type { ExecDeps } from '../../lambdas/execute/index.js';
import { actPerUserPipelined } from '../../lambdas/execute/pipeline.js';
import { makeConfig } from '../helpers/config.js';

const PID = 'p-1';
const chunk: ChunkRecord = { proposalId: PID, round: 'MAIN', index: 0, accountIds: [] } as unknown as ChunkRecord;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function item(n: number, state: ItemState = ItemState.APPROVED): ProposalItem {
  return {
    proposalId: PID,
    accountId: `acc-${n}`,
    email: `u${n}@example.com`,
    action: 'DEACTIVATE',
    state,
  } as unknown as ProposalItem;
}
const items = (from: number, to: number, state?: ItemState) =>
  Array.from({ length: to - from }, (_, k) => item(from + k, state));

interface Faults {
  /** A call that throws an error that may pass (not a definite outcome). */
  callThrows?: string;
  /** A claim (APPROVED → IN_FLIGHT) that fails with a store error. */
  claimThrows?: string;
  /** A claim another runner won. */
  claimTaken?: string;
  /** The audit append of this account's RESULT fails. */
  resultThrows?: string;
  /** The IN_FLIGHT → DONE write of this account fails. */
  doneThrows?: string;
}

function harness(faults: Faults = {}, callMs = 4, storeMs = 1) {
  const log: string[] = [];
  const states = new Map<string, string>();
  /** Writes and calls under way. */
  const busy = { n: 0 };
  const tracked =
    <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      busy.n++;
      try {
        return await f(...a);
      } finally {
        busy.n--;
      }
    };
  const deps = {
    config: makeConfig(),
    clock: { now: () => Date.parse('2026-11-08T10:00:00Z') },
    logger: { log: () => undefined },
    org: {
      disable: tracked(async (id: string) => {
        log.push(`call:${id}`);
        await sleep(callMs);
        if (id === faults.callThrows) {
          log.push(`failed:${id}`);
          throw new Error('socket hang up');
        }
        log.push(`called:${id}`);
      }),
    },
    audit: {
      appendOwned: tracked(async (_stream: string, entries: { event: string; accountId?: string }[]) => {
        await sleep(storeMs);
        if (entries.some((e) => e.event === AuditEvent.RESULT && e.accountId === faults.resultThrows)) {
          log.push('append-failed');
          throw new Error('ProvisionedThroughputExceededException');
        }
        for (const e of entries) log.push(`${e.event}:${e.accountId}`);
        return [];
      }),
    },
    proposals: {
      moveItem: tracked(async (_p: string, id: string, to: string) => {
        await sleep(id === faults.doneThrows ? 0 : storeMs + 2);
        if (to === ItemState.DONE && id === faults.doneThrows) throw new Error('InternalServerError (DONE)');
        if (to === ItemState.IN_FLIGHT && id === faults.claimThrows) throw new Error('InternalServerError');
        if (to === ItemState.IN_FLIGHT && id === faults.claimTaken)
          throw new StateConflictError('taken', id, ['APPROVED'], 'IN_FLIGHT');
        states.set(id, to);
        log.push(`${to}:${id}`);
      }),
    },
  } as unknown as ExecDeps;
  const at = (e: string) => {
    const i = log.indexOf(e);
    if (i < 0) throw new Error(`${e} never happened; log: ${log.join(' ')}`);
    return i;
  };
  /** Runs the pipeline; on a failure, checks nothing was under way when it threw. */
  const run = async (
    ...a: Parameters<typeof actPerUserPipelined> extends [unknown, unknown, ...infer R] ? R : never
  ) => {
    try {
      return await actPerUserPipelined(deps, chunk, ...a);
    } catch (err) {
      expect(busy.n, 'writes or calls still under way when the step threw').toBe(0);
      throw err;
    }
  };
  return { deps, log, states, at, run };
}

describe('actPerUserPipelined', () => {
  it('writes each item intent, claim, call, result, state in that order, and calls each exactly once', async () => {
    const h = harness();
    const n = await actPerUserPipelined(h.deps, chunk, [], items(0, 50), new Map(), 20);
    expect(n).toBe(50);
    for (let k = 0; k < 50; k++) {
      const id = `acc-${k}`;
      expect(h.at(`${AuditEvent.INTENT}:${id}`)).toBeLessThan(h.at(`IN_FLIGHT:${id}`));
      expect(h.at(`IN_FLIGHT:${id}`)).toBeLessThan(h.at(`call:${id}`));
      expect(h.at(`called:${id}`)).toBeLessThan(h.at(`${AuditEvent.RESULT}:${id}`));
      expect(h.at(`${AuditEvent.RESULT}:${id}`)).toBeLessThan(h.at(`DONE:${id}`));
      expect(h.log.filter((e) => e === `call:${id}`)).toHaveLength(1);
      expect(h.states.get(id)).toBe('DONE');
    }
  });

  it("claims the next batch while this one's calls run, and records a batch while the next is called", async () => {
    const h = harness({}, 6, 1);
    await actPerUserPipelined(h.deps, chunk, [], items(0, 60), new Map(), 20);
    // batch 1 (acc-20..39) is claimed before batch 0's last call ends
    expect(h.at('IN_FLIGHT:acc-39')).toBeLessThan(h.at('called:acc-19'));
    // batch 0's results are recorded before batch 1's last call ends
    expect(h.at('DONE:acc-19')).toBeLessThan(h.at('called:acc-39'));
  });

  it('claims no batch before the calls of the batch two before it have ended (at most two batches claimed ahead)', async () => {
    const h = harness({}, 3, 0);
    await actPerUserPipelined(h.deps, chunk, [], items(0, 100), new Map(), 20);
    for (let b = 2; b < 5; b++)
      expect(h.at(`${AuditEvent.INTENT}:acc-${b * 20}`)).toBeGreaterThan(h.at(`called:acc-${(b - 2) * 20 + 19}`));
  });

  it('calls items already IN_FLIGHT first, without a new intent or claim', async () => {
    const h = harness();
    const n = await actPerUserPipelined(h.deps, chunk, items(0, 3, ItemState.IN_FLIGHT), items(3, 30), new Map(), 20);
    expect(n).toBe(30);
    for (const id of ['acc-0', 'acc-1', 'acc-2']) {
      expect(h.log).not.toContain(`${AuditEvent.INTENT}:${id}`);
      expect(h.log).not.toContain(`IN_FLIGHT:${id}`);
      expect(h.log.filter((e) => e === `call:${id}`)).toHaveLength(1);
      expect(h.states.get(id)).toBe('DONE');
    }
    expect(h.at('call:acc-0')).toBeLessThan(h.at('call:acc-25'));
  });

  it('never calls an item another runner claimed', async () => {
    const h = harness({ claimTaken: 'acc-5' });
    const n = await actPerUserPipelined(h.deps, chunk, [], items(0, 10), new Map(), 4);
    expect(n).toBe(9);
    expect(h.log).not.toContain('call:acc-5');
    expect(h.log).toContain(`${AuditEvent.INTENT}:acc-5`);
  });

  it('after a call fails for a reason that may pass: claims nothing more, records what finished, settles every write, then throws', async () => {
    const h = harness({ callThrows: 'acc-25' });
    await expect(h.run([], items(0, 100), new Map(), 20)).rejects.toThrow(/socket hang up/);
    const logged = h.log.length;
    await sleep(50);
    expect(h.log.length).toBe(logged); // nothing was still under way
    // the failed item stays IN_FLIGHT with its intent: the retried step reads the account first
    expect(h.states.get('acc-25')).toBe('IN_FLIGHT');
    expect(h.log).not.toContain(`${AuditEvent.RESULT}:acc-25`);
    // every call that went through has its result and state
    for (const e of h.log.filter((x) => x.startsWith('called:'))) {
      const id = e.slice('called:'.length);
      expect(h.log).toContain(`${AuditEvent.RESULT}:${id}`);
      expect(h.states.get(id)).toBe('DONE');
    }
    // batches after the one claimed during the failing batch's calls are never claimed
    for (let k = 60; k < 100; k++) expect(h.log).not.toContain(`${AuditEvent.INTENT}:acc-${k}`);
  });

  it('after a claim fails: calls none of that batch nor any call not yet started, records every call made, then throws the store error', async () => {
    const h = harness({ claimThrows: 'acc-22' });
    await expect(h.run([], items(0, 60), new Map(), 20)).rejects.toThrow(/InternalServerError/);
    for (let k = 20; k < 60; k++) expect(h.log).not.toContain(`call:acc-${k}`);
    for (let k = 0; k < 20; k++)
      expect(h.states.get(`acc-${k}`)).toBe(h.log.includes(`call:acc-${k}`) ? 'DONE' : 'IN_FLIGHT');
  });

  it('starts no call once a call has failed (calls under way end and are recorded)', async () => {
    const h = harness({ callThrows: 'acc-0' }, 5, 3);
    await expect(h.run([], items(0, 60), new Map(), 20)).rejects.toThrow(/socket hang up/);
    const failedAt = h.at('failed:acc-0');
    expect(h.log.slice(failedAt).filter((e) => e.startsWith('call:') || e.startsWith('INTENT'))).toEqual([]);
    for (const e of h.log.filter((x) => x.startsWith('called:')))
      expect(h.states.get(e.slice('called:'.length))).toBe('DONE');
  });

  it('a failed state write ends the step only once every other write of its batch has ended', async () => {
    const h = harness({ doneThrows: 'acc-0' }, 1, 10);
    await expect(h.run([], items(0, 20), new Map(), 20)).rejects.toThrow(/InternalServerError \(DONE\)/);
    for (let k = 1; k < 20; k++) expect(h.states.get(`acc-${k}`)).toBe('DONE');
  });

  it("after a result cannot be written: claims, calls and writes nothing new, and throws the store's error once the calls under way end", async () => {
    const h = harness({ resultThrows: 'acc-3' }, 4, 1);
    await expect(h.run([], items(0, 100), new Map(), 20)).rejects.toThrow(/ProvisionedThroughput/);
    const logged = h.log.length;
    await sleep(50);
    expect(h.log.length).toBe(logged);
    // batch 0's results were lost: its items stay IN_FLIGHT, to be reconciled by reading the account
    expect(h.states.get('acc-3')).toBe('IN_FLIGHT');
    const after = h.log.slice(h.at('append-failed'));
    expect(after.filter((e) => /^(call|INTENT|IN_FLIGHT):/.test(e))).toEqual([]);
  });

  it('does nothing for no items', async () => {
    const h = harness();
    expect(await actPerUserPipelined(h.deps, chunk, [], [], new Map())).toBe(0);
    expect(h.log).toEqual([]);
  });
});
