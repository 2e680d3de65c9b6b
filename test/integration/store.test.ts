import { DeleteItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AuditEvent,
  ItemState,
  LockHeldError,
  ProposalStatus,
  StateConflictError,
  type ProposalItem,
} from '../../lambdas/domain/index.js';
import {
  AuditReader,
  DynamoAuditLog,
  DynamoLockStore,
  DynamoProposalStore,
  DynamoRunStore,
  DynamoSeatStore,
  type TableNames,
} from '../../lambdas/store/index.js';
import { ManualClock } from '../../lambdas/shared/index.js';
import { dynamoClient, freshTables } from '../helpers/local.js';

const db = dynamoClient();
let t: TableNames;
beforeAll(async () => {
  t = await freshTables(db);
});

const entry = (i: number, accountId = `acc-${i}`) => ({
  event: AuditEvent.ITEM_PROPOSED,
  actor: 'system:plan',
  runId: 'r1',
  accountId,
  action: 'DEACTIVATE',
  details: { i, reason: 'stale' },
});

describe('audit log', () => {
  it('appends a hash chain that verifies, and finds records by account and by day', async () => {
    const clock = new ManualClock();
    const log = new DynamoAuditLog(db, t.audit, clock);
    await log.append('RUN#a', [{ event: AuditEvent.PLAN_STARTED, actor: 'system:plan', runId: 'r1' }]);
    await log.appendOwned(
      'RUN#a',
      Array.from({ length: 60 }, (_, i) => entry(i)),
    );
    await log.append('RUN#a', [{ event: AuditEvent.PLAN_FINISHED, actor: 'system:plan', runId: 'r1', outcome: 'ok' }]);
    const reader = new AuditReader(db, t.audit);
    expect(await reader.verify('RUN#a')).toEqual({ stream: 'RUN#a', records: 62, ok: true });
    const forAccount = [];
    for await (const r of reader.byAccount('acc-7')) forAccount.push(r);
    expect(forAccount).toHaveLength(1);
    expect(forAccount[0]).toMatchObject({
      stream: 'RUN#a',
      event: 'ITEM_PROPOSED',
      details: { i: 7, reason: 'stale' },
    });
    let today = 0;
    for await (const r of reader.byDay(new Date(clock.now()).toISOString().slice(0, 10)))
      if (r.stream === 'RUN#a') today += 1;
    expect(today).toBe(62);
  });

  it('keeps only keys in the audit indexes, and its index reads return whole records in index order (more than 100)', async () => {
    const clock = new ManualClock();
    const log = new DynamoAuditLog(db, t.audit, clock);
    const sizes = [120, 1, 109];
    for (const [n, size] of sizes.entries()) {
      await log.append(
        `PROPOSAL#idx-${n}`,
        Array.from({ length: size }, (_, i) => ({ ...entry(i, `idx-${n}-${i}`), proposalId: 'idx-prop' })),
      );
      clock.advance(1_000);
    }
    const raw = await db.send(
      new QueryCommand({
        TableName: t.audit,
        IndexName: 'byProposal',
        KeyConditionExpression: 'proposalId = :p',
        ExpressionAttributeValues: { ':p': { S: 'idx-prop' } },
        Limit: 1,
      }),
    );
    expect(Object.keys(raw.Items![0]!).sort()).toEqual(['at', 'proposalId', 'seq', 'stream']);
    const read = [];
    for await (const r of new AuditReader(db, t.audit).byProposal('idx-prop')) read.push(r);
    expect(read).toHaveLength(230);
    expect(read.map((r) => r.at)).toEqual([...read.map((r) => r.at)].sort());
    expect(read.map((r) => r.stream)).toEqual(
      sizes.flatMap((size, n) => Array<string>(size).fill(`PROPOSAL#idx-${n}`)),
    );
    expect(new Set(read.map((r) => r.accountId)).size).toBe(230);
    for (const r of read) {
      expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(r).toMatchObject({ event: 'ITEM_PROPOSED', action: 'DEACTIVATE', details: { reason: 'stale' } });
    }
    const one = [];
    for await (const r of new AuditReader(db, t.audit).byAccount('idx-2-108')) one.push(r);
    expect(one).toEqual([read.find((r) => r.accountId === 'idx-2-108')]);
  });

  it('an index read fetches with consistent reads, and a record the table does not answer for is an error naming it', async () => {
    const log = new DynamoAuditLog(db, t.audit, new ManualClock());
    await log.append(
      'PROPOSAL#gone',
      Array.from({ length: 5 }, (_, i) => ({ ...entry(i, `gone-${i}`), proposalId: 'gone-prop' })),
    );
    const consistent: unknown[] = [];
    const lagging = dynamoClient();
    lagging.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        if (context.commandName === 'BatchGetItemCommand') {
          const req = (args.input as { RequestItems: Record<string, { ConsistentRead?: boolean }> }).RequestItems;
          consistent.push(req[t.audit]!.ConsistentRead);
          const res = (out.output as unknown as { Responses: Record<string, { seq: { N: string } }[]> }).Responses;
          res[t.audit] = res[t.audit]!.filter((item) => item.seq.N !== '5');
        }
        return out;
      },
      { step: 'initialize', name: 'dropSeq5' },
    );
    const read = async () => {
      for await (const r of new AuditReader(lagging, t.audit).byProposal('gone-prop')) void r;
    };
    await expect(read()).rejects.toThrow(
      `Audit record PROPOSAL#gone #5 is in the byProposal index but not in the table ${t.audit}`,
    );
    await expect(read()).rejects.toThrow('lifecycle audit verify PROPOSAL#gone');
    expect(consistent).toEqual([true, true]);
    lagging.destroy();
  });

  it("writes an owner's records in transactions of up to 100 (3 requests for 250) and refuses a taken place", async () => {
    const clock = new ManualClock();
    let sent: { name: string; items: number }[] = [];
    const counted = dynamoClient();
    counted.middlewareStack.add(
      (next, context) => async (args) => {
        const items = (args.input as { TransactItems?: unknown[] }).TransactItems?.length ?? 1;
        sent.push({ name: context.commandName ?? '', items });
        return next(args);
      },
      { step: 'initialize', name: 'countSends' },
    );
    const log = new DynamoAuditLog(counted, t.audit, clock);
    await log.append('RUN#tx', [{ event: AuditEvent.PLAN_STARTED, actor: 'system:plan', runId: 'r1' }]);
    sent = [];
    const written = await log.appendOwned(
      'RUN#tx',
      Array.from({ length: 250 }, (_, i) => entry(i)),
    );
    expect(written.map((r) => r.seq)).toEqual(Array.from({ length: 250 }, (_, i) => i + 2));
    expect(sent).toEqual([
      { name: 'TransactWriteItemsCommand', items: 100 },
      { name: 'TransactWriteItemsCommand', items: 100 },
      { name: 'TransactWriteItemsCommand', items: 50 },
    ]);
    const reader = new AuditReader(db, t.audit);
    expect(await reader.verify('RUN#tx')).toEqual({ stream: 'RUN#tx', records: 251, ok: true });
    // Someone else takes records 252-300 while this writer believes it owns the stream: its
    // transaction for 252-271 is refused as a whole and nothing already there is overwritten.
    const other = new DynamoAuditLog(db, t.audit, clock);
    const before = (await reader.verify('RUN#tx')).records;
    await other.append(
      'RUN#tx',
      Array.from({ length: 49 }, (_, i) => entry(1000 + i)),
    );
    await expect(
      log.appendOwned(
        'RUN#tx',
        Array.from({ length: 20 }, (_, i) => entry(2000 + i)),
      ),
    ).rejects.toThrow(/written by someone else/);
    const after = [];
    for await (const r of reader.stream('RUN#tx')) after.push(r);
    expect(after).toHaveLength(before + 49);
    expect(after.filter((r) => (r.details as { i?: number } | undefined)?.i === 2000)).toHaveLength(0);
    expect(await reader.verify('RUN#tx')).toMatchObject({ ok: true });
  });

  it('keeps one valid chain when two writers append to the same stream at once', async () => {
    const clock = new ManualClock();
    const w1 = new DynamoAuditLog(db, t.audit, clock);
    const w2 = new DynamoAuditLog(db, t.audit, clock);
    await Promise.all([
      w1.append(
        'PROPOSAL#shared',
        Array.from({ length: 15 }, (_, i) => entry(i, `w1-${i}`)),
      ),
      w2.append(
        'PROPOSAL#shared',
        Array.from({ length: 15 }, (_, i) => entry(i, `w2-${i}`)),
      ),
    ]);
    expect(await new AuditReader(db, t.audit).verify('PROPOSAL#shared')).toEqual({
      stream: 'PROPOSAL#shared',
      records: 30,
      ok: true,
    });
  });

  it('detects a record changed after it was written', async () => {
    const log = new DynamoAuditLog(db, t.audit, new ManualClock());
    await log.append(
      'RUN#tamper',
      Array.from({ length: 5 }, (_, i) => entry(i)),
    );
    await db.send(
      new UpdateItemCommand({
        TableName: t.audit,
        Key: { stream: { S: 'RUN#tamper' }, seq: { N: '3' } },
        UpdateExpression: 'SET outcome = :o',
        ExpressionAttributeValues: { ':o': { S: 'APPROVED' } },
      }),
    );
    const verdict = await new AuditReader(db, t.audit).verify('RUN#tamper');
    expect(verdict.ok).toBe(false);
    expect(verdict.problem).toMatchObject({ seq: 3, kind: 'hash' });
  });

  it('detects a deleted record as a gap', async () => {
    const log = new DynamoAuditLog(db, t.audit, new ManualClock());
    await log.append(
      'RUN#gap',
      Array.from({ length: 5 }, (_, i) => entry(i)),
    );
    await db.send(new DeleteItemCommand({ TableName: t.audit, Key: { stream: { S: 'RUN#gap' }, seq: { N: '2' } } }));
    expect((await new AuditReader(db, t.audit).verify('RUN#gap')).problem).toMatchObject({ seq: 2, kind: 'gap' });
  });
});

const item = (proposalId: string, i: number): ProposalItem => ({
  proposalId,
  accountId: `acc-${i}`,
  email: `u${i}@example.com`,
  action: 'DEACTIVATE',
  reason: 'STALE',
  summary: 'No activity',
  evidence: { inactiveDays: 100 + i },
  state: ItemState.PROPOSED,
  updatedAt: '2026-11-01T02:00:00.000Z',
});

describe('proposals and items', () => {
  it('creates a proposal once per id and returns the existing one on a second create', async () => {
    const store = new DynamoProposalStore(db, t.state, new ManualClock());
    const meta = {
      proposalId: 'p-once',
      runId: 'r',
      orgId: 'o',
      status: ProposalStatus.BUILDING,
      createdAt: '2026-11-01T02:00:00Z',
    };
    expect((await store.create(meta)).created).toBe(true);
    const again = await store.create({ ...meta, status: ProposalStatus.READY });
    expect(again).toEqual({ created: false, proposal: expect.objectContaining({ status: 'BUILDING' }) });
  });

  it('writes 1,000 items in batches of 25 and reads them all back', async () => {
    const store = new DynamoProposalStore(db, t.state, new ManualClock());
    const { calls } = await store.putItems(Array.from({ length: 1000 }, (_, i) => item('p-big', i)));
    expect(calls).toBeGreaterThanOrEqual(40);
    const seen = new Set<string>();
    for await (const it of store.items('p-big')) seen.add(it.accountId);
    expect(seen.size).toBe(1000);
    expect((await store.item('p-big', 'acc-3'))?.evidence).toEqual({ inactiveDays: 103 });
  });

  it('moves items only forward, and refuses the same move twice with the actual state', async () => {
    const store = new DynamoProposalStore(db, t.state, new ManualClock());
    await store.putItems([item('p-fwd', 1)]);
    await store.moveItem('p-fwd', 'acc-1', ItemState.APPROVED, { decidedBy: 'alice@example.com' });
    await store.moveItem('p-fwd', 'acc-1', ItemState.IN_FLIGHT);
    const twice = await store.moveItem('p-fwd', 'acc-1', ItemState.IN_FLIGHT).catch((e) => e);
    expect(twice).toBeInstanceOf(StateConflictError);
    expect(twice.actual).toBe('IN_FLIGHT');
    await expect(store.moveItem('p-fwd', 'acc-1', ItemState.APPROVED)).rejects.toBeInstanceOf(StateConflictError);
    await store.moveItem('p-fwd', 'acc-1', ItemState.DONE);
    expect(await store.item('p-fwd', 'acc-1')).toMatchObject({ state: 'DONE', decidedBy: 'alice@example.com' });
  });

  it('reads only the runnable items (with the fields the split needs) and only the decided ones, across pages', async () => {
    const store = new DynamoProposalStore(db, t.state, new ManualClock());
    // Items of about 3 kB: 1,200 of them span several 1 MB Query pages, so the filter runs on every page.
    const big = (i: number) => ({ ...item('p-filter', i), evidence: { inactiveDays: i, pad: 'x'.repeat(3000) } });
    await store.putItems(Array.from({ length: 1200 }, (_, i) => big(i)));
    const to = (i: number): ItemState[] =>
      i % 10 === 1
        ? [ItemState.APPROVED]
        : i % 10 === 2
          ? [ItemState.APPROVED, ItemState.IN_FLIGHT]
          : i % 10 === 3
            ? [ItemState.APPROVED, ItemState.IN_FLIGHT, ItemState.DONE]
            : i % 10 === 4
              ? [ItemState.REJECTED]
              : [];
    for (let i = 0; i < 1200; i++)
      for (const s of to(i)) await store.moveItem('p-filter', `acc-${i}`, s, { decidedBy: `d${i % 10}@example.com` });
    const runnable = [];
    for await (const r of store.runnable('p-filter')) runnable.push(r);
    expect(runnable).toHaveLength(240);
    expect(new Set(runnable.map((r) => r.state))).toEqual(new Set(['APPROVED', 'IN_FLIGHT']));
    expect(runnable.find((r) => r.accountId === 'acc-11')).toEqual({
      accountId: 'acc-11',
      state: 'APPROVED',
      decidedBy: 'd1@example.com',
    });
    const decided = [];
    for await (const d of store.decidedItems('p-filter')) decided.push(d);
    expect(decided).toHaveLength(480);
    expect(decided.some((d) => d.state === 'PROPOSED')).toBe(false);
    expect(decided.find((d) => d.accountId === 'acc-13')).toMatchObject({
      state: 'DONE',
      evidence: { inactiveDays: 13 },
    });
  });

  it('refuses to complete a proposal that is not BUILDING', async () => {
    const store = new DynamoProposalStore(db, t.state, new ManualClock());
    await store.create({
      proposalId: 'p-st',
      runId: 'r',
      orgId: 'o',
      status: 'BUILDING',
      createdAt: '2026-11-01T02:00:00Z',
    });
    await store.setStatus('p-st', ['BUILDING'], 'ABANDONED', { abandonedReason: 'crash' });
    await expect(store.setStatus('p-st', ['BUILDING'], 'READY')).rejects.toThrow(/is ABANDONED, not BUILDING/);
  });
});

describe('locks and runs', () => {
  it('lets one holder in, refuses a second, and lets a lapsed lease be taken over', async () => {
    const clock = new ManualClock();
    const locks = new DynamoLockStore(db, t.state, clock);
    await locks.acquire('plan', 'run-1', 60_000);
    await locks.acquire('plan', 'run-1', 60_000);
    const err = await locks.acquire('plan', 'run-2', 60_000).catch((e) => e);
    expect(err).toBeInstanceOf(LockHeldError);
    expect(err.holder).toBe('run-1');
    clock.advance(61_000);
    await locks.acquire('plan', 'run-2', 60_000);
    await locks.release('plan', 'run-1');
    await expect(locks.acquire('plan', 'run-3', 60_000)).rejects.toBeInstanceOf(LockHeldError);
    await locks.release('plan', 'run-2');
    await locks.acquire('plan', 'run-3', 60_000);
  });

  it('a retry of the same run takes over its own live lease; another run still cannot', async () => {
    const locks = new DynamoLockStore(db, t.state, new ManualClock());
    await locks.acquire('plan-k', 'sched-9/first', 15 * 60_000);
    // The first delivery was killed hard (no release): the retry carries the same run id.
    await expect(locks.acquire('plan-k', 'sched-9/second', 60_000)).rejects.toBeInstanceOf(LockHeldError);
    await expect(locks.acquire('plan-k', 'sched-10/x', 60_000, { takeOverFrom: 'sched-10/' })).rejects.toBeInstanceOf(
      LockHeldError,
    );
    await locks.acquire('plan-k', 'sched-9/second', 60_000, { takeOverFrom: 'sched-9/' });
    await expect(locks.acquire('plan-k', 'sched-9/first', 60_000)).rejects.toBeInstanceOf(LockHeldError);
  });

  it('starts a run id once per attempt and never restarts a complete one', async () => {
    const runs = new DynamoRunStore(db, t.state);
    const rec = {
      runId: 'sched-1',
      kind: 'plan',
      status: 'STARTED' as const,
      attempt: 1,
      startedAt: '2026-11-01T02:00:00Z',
    };
    await runs.start(rec);
    await expect(runs.start(rec)).rejects.toBeInstanceOf(StateConflictError);
    await runs.start({ ...rec, attempt: 2 });
    await runs.update('sched-1', { status: 'COMPLETE', checkpoint: { pages: 3 } });
    await expect(runs.start({ ...rec, attempt: 3 })).rejects.toBeInstanceOf(StateConflictError);
    expect(await runs.get('sched-1')).toMatchObject({ status: 'COMPLETE', attempt: 2, checkpoint: { pages: 3 } });
  });

  it('stores seat snapshots and reads a date range', async () => {
    const seats = new DynamoSeatStore(db, t.seats);
    for (const d of ['2026-09-30', '2026-10-01', '2026-10-15', '2026-11-01']) {
      await seats.put({
        orgId: 'o',
        takenAt: `${d}T02:00:00.000Z`,
        runId: d,
        managed: 10,
        active: 9,
        billable: 8,
        perPolicy: { p: 8 },
        perProduct: { confluence: 5 },
      });
    }
    const got = [];
    for await (const s of seats.range('o', '2026-10-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z')) got.push(s.runId);
    expect(got).toEqual(['2026-10-01', '2026-10-15']);
  });
});
