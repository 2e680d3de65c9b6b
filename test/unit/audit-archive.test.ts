/** The archiver's core and the verify-against-archive rules, with an in-memory archive (pure logic). */
import { describe, expect, it } from 'vitest';
import { archiveChanges, checkChain, sameRecord, verifyWithArchive } from '../../lambdas/audit/index.js';
import { GENESIS_HASH, recordHash } from '../../lambdas/domain/audit-hash.js';
import type { AuditChange, AuditRecord, TamperEvidence } from '../../lambdas/domain/index.js';
import type { AuditArchive } from '../../lambdas/domain/ports.js';
import { memoryLogger } from '../../lambdas/shared/index.js';

class MemoryArchive implements AuditArchive {
  readonly stored = new Map<string, AuditRecord>();
  readonly tamper: TamperEvidence[] = [];
  async putRecord(r: AuditRecord) {
    const key = `${r.stream}|${r.seq}`;
    const existing = this.stored.get(key);
    if (existing) return { stored: false as const, existing };
    this.stored.set(key, r);
    return { stored: true as const };
  }
  async putRecords(records: readonly AuditRecord[]) {
    const out = [];
    for (const r of records) out.push(await this.putRecord(r));
    return out;
  }
  async putTamper(e: TamperEvidence) {
    this.tamper.push(e);
  }
  async *records(stream: string) {
    yield* [...this.stored.values()].filter((r) => r.stream === stream).sort((a, b) => a.seq - b.seq);
  }
  async *tampering(stream: string) {
    yield* this.tamper.filter((t) => t.stream === stream);
  }
}

function chain(stream: string, outcomes: readonly string[]): AuditRecord[] {
  let prev = GENESIS_HASH;
  return outcomes.map((outcome, i) => {
    const content = {
      event: 'ITEM_PROPOSED',
      actor: 'system:plan',
      outcome,
      stream,
      seq: i + 1,
      at: `2026-12-01T02:00:0${i}Z`,
      day: '2026-12-01',
      prevHash: prev,
    };
    const hash = recordHash(content, prev);
    prev = hash;
    return { ...content, hash } as AuditRecord;
  });
}

const insert = (r: AuditRecord, id = `e-${r.seq}`): AuditChange => ({
  eventId: id,
  kind: 'INSERT',
  at: r.at,
  newRecord: r,
});

function world() {
  const archive = new MemoryArchive();
  const alarms: TamperEvidence[] = [];
  const logger = memoryLogger();
  return {
    archive,
    alarms,
    logger,
    deps: { archive, logger, alarm: async (e: TamperEvidence) => void alarms.push(e) },
  };
}

describe('archiveChanges', () => {
  const records = chain('S', ['a', 'b', 'c']);

  it('archives inserts once; a redelivered insert is a duplicate, not tampering', async () => {
    const w = world();
    expect(
      await archiveChanges(
        w.deps,
        records.map((r) => insert(r)),
      ),
    ).toEqual({ archived: 3, duplicates: 0, tampered: 0 });
    expect(await archiveChanges(w.deps, [insert(records[1]!, 'again')])).toEqual({
      archived: 0,
      duplicates: 1,
      tampered: 0,
    });
    expect(w.alarms).toEqual([]);
    expect(w.archive.tamper).toEqual([]);
  });

  it.each([
    ['MODIFY', { oldRecord: records[1]!, newRecord: { ...records[1]!, outcome: 'x' } }],
    ['REMOVE', { oldRecord: records[1]! }],
  ] as const)('a %s keeps the evidence with the archived original, logs and raises the alarm', async (kind, images) => {
    const w = world();
    await archiveChanges(
      w.deps,
      records.map((r) => insert(r)),
    );
    const report = await archiveChanges(w.deps, [{ eventId: 'ev-9', kind, at: '2026-12-01T03:00:00Z', ...images }]);
    expect(report).toEqual({ archived: 0, duplicates: 0, tampered: 1 });
    const expected = { stream: 'S', seq: 2, eventId: 'ev-9', kind, at: '2026-12-01T03:00:00Z', archived: records[1] };
    expect(w.archive.tamper).toEqual([expect.objectContaining(expected)]);
    expect(w.alarms).toEqual([expect.objectContaining(expected)]);
    expect(
      w.logger.lines.map((l) => JSON.parse(l) as { message: string }).filter((l) => l.message === 'audit.tamper'),
    ).toMatchObject([{ level: 'error', stream: 'S', seq: 2, kind, eventId: 'ev-9' }]);
  });

  it('a change to a record the archiver never saw archives its old image first, as the original', async () => {
    const w = world();
    await archiveChanges(w.deps, [
      { eventId: 'm', kind: 'MODIFY', at: 't', oldRecord: records[0]!, newRecord: records[1]! },
    ]);
    expect(w.archive.stored.get('S|1')).toEqual(records[0]);
    expect(w.archive.tamper[0]!.archived).toEqual(records[0]);
    expect(w.archive.tamper[0]!.newRecord).toEqual(records[1]);
  });

  it('an insert over an archived place with other content is a REWRITE', async () => {
    const w = world();
    await archiveChanges(w.deps, [insert(records[0]!)]);
    const other = { ...records[0]!, outcome: 'forged' };
    expect(await archiveChanges(w.deps, [insert(other, 'x')])).toMatchObject({ tampered: 1 });
    expect(w.alarms[0]).toMatchObject({ kind: 'REWRITE', archived: records[0], newRecord: other });
    expect(w.archive.stored.get('S|1')).toEqual(records[0]);
  });

  it('keeps the old image in the evidence of a MODIFY, and a MODIFY seen without one still raises the alarm', async () => {
    const w = world();
    await archiveChanges(w.deps, [insert(records[0]!)]);
    const changed = { ...records[0]!, outcome: 'x' };
    await archiveChanges(w.deps, [
      { eventId: 'm1', kind: 'MODIFY', at: 't', oldRecord: records[0]!, newRecord: changed },
    ]);
    expect(w.archive.tamper[0]).toEqual({
      stream: 'S',
      seq: 1,
      eventId: 'm1',
      kind: 'MODIFY',
      at: 't',
      archived: records[0],
      oldRecord: records[0],
      newRecord: changed,
    });
    await archiveChanges(w.deps, [{ eventId: 'm2', kind: 'MODIFY', at: 't', newRecord: changed }]);
    expect(w.archive.tamper[1]).toEqual({
      stream: 'S',
      seq: 1,
      eventId: 'm2',
      kind: 'MODIFY',
      at: 't',
      newRecord: changed,
    });
    expect(w.alarms).toHaveLength(2);
  });

  it('refuses a change with no image at all', async () => {
    await expect(archiveChanges(world().deps, [{ eventId: 'z', kind: 'REMOVE', at: 't' }])).rejects.toThrow(
      /z.*no record image/,
    );
  });

  it('sameRecord compares every field, not only the hash', () => {
    expect(sameRecord(records[0]!, { ...records[0]! })).toBe(true);
    expect(sameRecord(records[0]!, { ...records[0]!, outcome: 'other' })).toBe(false);
    expect(sameRecord(records[0]!, { ...records[0]!, hash: 'f'.repeat(64) })).toBe(false);
  });
});

describe('checkChain', () => {
  const records = chain('S', ['a', 'b', 'c']);
  it('accepts an intact chain and an empty stream', async () => {
    expect(await checkChain('S', records)).toEqual({ stream: 'S', records: 3, ok: true });
    expect(await checkChain('S', [])).toEqual({ stream: 'S', records: 0, ok: true });
  });
  it.each([
    ['gap', [records[0]!, records[2]!], 2, /record 2 is missing \(next found: 3\)/],
    ['link', [records[0]!, { ...records[1]!, prevHash: 'x' }], 2, /does not link to record 1/],
    ['hash', [records[0]!, { ...records[1]!, outcome: 'forged' }], 2, /changed after it was written/],
    ['gap', [records[1]!], 1, /record 1 is missing/],
  ] as const)('finds a %s', async (kind, list, seq, message) => {
    const v = await checkChain('S', list);
    expect(v.ok).toBe(false);
    expect(v.problem).toMatchObject({ kind, seq });
    expect(v.problem!.message).toMatch(message);
  });
});

describe('verifyWithArchive', () => {
  const records = chain('S', ['a', 'b', 'c']);
  const archived = async (list: readonly AuditRecord[], tamper: TamperEvidence[] = []) => {
    const a = new MemoryArchive();
    for (const r of list) await a.putRecord(r);
    a.tamper.push(...tamper);
    return a;
  };

  it('is ok when the table equals the archive; counts what is not archived yet', async () => {
    const v = await verifyWithArchive('S', records, await archived(records.slice(0, 2)));
    expect(v).toMatchObject({ ok: true, archived: 2, unarchived: 1, problems: [] });
  });

  it('finds a re-chained rewrite the table chain cannot see', async () => {
    const forged = chain('S', ['a', 'FORGED', 'c']);
    expect((await checkChain('S', forged)).ok).toBe(true);
    const v = await verifyWithArchive('S', forged, await archived(records));
    expect(v.ok).toBe(false);
    expect(v.chain.ok).toBe(true);
    expect(v.problems.map((p) => [p.seq, p.kind])).toEqual([
      [2, 'rewritten'],
      [3, 'rewritten'],
    ]);
    expect(v.problems[0]!.message).toContain('ITEM_PROPOSED by system:plan at 2026-12-01T02:00:01Z');
  });

  it('finds a deleted last record and a deleted middle one', async () => {
    const last = await verifyWithArchive('S', records.slice(0, 2), await archived(records));
    expect(last.problems).toMatchObject([{ seq: 3, kind: 'missing' }]);
    expect(last.chain.ok).toBe(true);
    const middle = await verifyWithArchive('S', [records[0]!, records[2]!], await archived(records));
    expect(middle.problems.map((p) => p.kind)).toEqual(['missing']);
    expect(middle.chain.ok).toBe(false);
  });

  it('reports tamper evidence, and a broken archive chain, each with its message, in seq order', async () => {
    const evidence = { stream: 'S', seq: 2, eventId: 'e', kind: 'MODIFY', at: 't' } as TamperEvidence;
    const v = await verifyWithArchive('S', records, await archived(records, [evidence]));
    expect(v.problems).toEqual([
      {
        seq: 2,
        kind: 'tampered',
        message: 'record 2: a MODIFY was seen on the table at t (event e); the original is archived',
      },
    ]);
    const broken = await verifyWithArchive('S', [records[0]!], await archived([records[0]!, records[2]!]));
    expect(broken.problems).toEqual([
      { seq: 2, kind: 'archive-chain', message: 'archive: record 2 is missing (next found: 3)' },
      {
        seq: 3,
        kind: 'missing',
        message:
          'record 3 (ITEM_PROPOSED at 2026-12-01T02:00:02Z) is in the archive but not in the table: it was deleted',
      },
    ]);
    expect(broken.ok).toBe(false);
    // Problems come in seq order whatever order they were found in.
    const late = { stream: 'S', seq: 1, eventId: 'f', kind: 'REMOVE', at: 't' } as TamperEvidence;
    const mixed = await verifyWithArchive('S', chain('S', ['a', 'X', 'c']), await archived(records, [late]));
    expect(mixed.problems.map((p) => p.seq)).toEqual([1, 2, 3]);
  });

  it('is not ok when only the table chain is broken', async () => {
    const v = await verifyWithArchive('S', [records[0]!, records[2]!], await archived([]));
    expect(v).toMatchObject({ ok: false, problems: [], unarchived: 2 });
  });
});
