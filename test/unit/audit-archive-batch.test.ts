/** The keyed archive's batch objects (one JSON Lines object per stream per batch), on the directory adapter. */
import { mkdtempSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveChanges } from '../../lambdas/audit/index.js';
import { GENESIS_HASH, recordHash } from '../../lambdas/domain/audit-hash.js';
import type { AuditChange, AuditRecord, TamperEvidence } from '../../lambdas/domain/index.js';
import { memoryLogger } from '../../lambdas/shared/index.js';
import { DirAuditArchive } from '../../lambdas/store/audit-archive-dir.js';
import { keyRange, recordKey } from '../../lambdas/store/audit-archive-keys.js';

function chain(stream: string, n: number, tag = 'a'): AuditRecord[] {
  let prev = GENESIS_HASH;
  return Array.from({ length: n }, (_, i) => {
    const content = {
      event: 'ITEM_PROPOSED',
      actor: 'system:plan',
      outcome: `${tag}${i}`,
      stream,
      seq: i + 1,
      at: '2026-12-01T02:00:00Z',
      day: '2026-12-01',
      prevHash: prev,
    };
    prev = recordHash(content, prev);
    return { ...content, hash: prev } as AuditRecord;
  });
}
const insert = (r: AuditRecord): AuditChange => ({ eventId: `e-${r.seq}`, kind: 'INSERT', at: r.at, newRecord: r });

function world() {
  const dir = mkdtempSync(join(tmpdir(), 'archive-batch-'));
  const archive = new DirAuditArchive(dir);
  const alarms: TamperEvidence[] = [];
  const deps = { archive, logger: memoryLogger(), alarm: async (e: TamperEvidence) => void alarms.push(e) };
  const objects = (stream: string) => readdirSync(join(dir, 'records', encodeURIComponent(stream))).sort();
  const all = async (stream: string) => {
    const out: AuditRecord[] = [];
    for await (const r of archive.records(stream)) out.push(r);
    return out;
  };
  return { dir, archive, alarms, deps, objects, all };
}

describe('audit archive: one object per stream per batch', () => {
  it('archives a batch of two streams as two objects, and the same batch again adds nothing (all duplicates)', async () => {
    const w = world();
    const a = chain('RUN#a', 100);
    const b = chain('RUN#b', 3);
    const batch = [...a.slice(0, 60), ...b, ...a.slice(60)].map(insert);
    expect(await archiveChanges(w.deps, batch)).toEqual({ archived: 103, duplicates: 0, tampered: 0 });
    expect(w.objects('RUN#a')).toHaveLength(1);
    expect(keyRange(w.objects('RUN#a')[0]!)).toEqual({ first: 1, last: 100 });
    expect(w.objects('RUN#b')).toHaveLength(1);
    expect(await archiveChanges(w.deps, batch)).toEqual({ archived: 0, duplicates: 103, tampered: 0 });
    // A retry split differently (as a bisected batch is) finds the same records: still duplicates only.
    expect(await archiveChanges(w.deps, batch.slice(50, 80))).toEqual({ archived: 0, duplicates: 30, tampered: 0 });
    expect(w.objects('RUN#a')).toHaveLength(1);
    expect(await w.all('RUN#a')).toEqual(a);
    expect(w.alarms).toEqual([]);
  });

  it('a record written again with other content over an archived place is a REWRITE, whatever object holds it', async () => {
    const w = world();
    const a = chain('RUN#a', 10);
    await archiveChanges(w.deps, a.slice(0, 5).map(insert));
    const forged = chain('RUN#a', 10, 'forged');
    const report = await archiveChanges(w.deps, [insert(forged[3]!), ...a.slice(5).map(insert)]);
    expect(report).toEqual({ archived: 5, duplicates: 0, tampered: 1 });
    expect(w.alarms).toMatchObject([{ kind: 'REWRITE', seq: 4, archived: a[3], newRecord: forged[3] }]);
    expect(await w.all('RUN#a')).toEqual(a);
  });

  it('the same place twice in one batch: the first is archived, the second judged against it', async () => {
    const w = world();
    const a = chain('RUN#a', 2);
    const forged = chain('RUN#a', 2, 'forged');
    const report = await archiveChanges(w.deps, [insert(a[0]!), insert(a[1]!), insert(forged[1]!)]);
    expect(report).toEqual({ archived: 2, duplicates: 0, tampered: 1 });
    expect(w.alarms).toMatchObject([{ kind: 'REWRITE', seq: 2, archived: a[1] }]);
  });

  it('reads records archived one object each (the first format) together with batch objects, in seq order', async () => {
    const w = world();
    const a = chain('RUN#old', 6);
    const folder = join(w.dir, 'records', encodeURIComponent('RUN#old'));
    mkdirSync(folder, { recursive: true });
    for (const r of a.slice(0, 3)) writeFileSync(join(w.dir, recordKey(r.stream, r.seq)), JSON.stringify(r));
    expect(await archiveChanges(w.deps, a.map(insert))).toEqual({ archived: 3, duplicates: 3, tampered: 0 });
    expect(w.objects('RUN#old')).toHaveLength(4);
    expect(await w.all('RUN#old')).toEqual(a);
  });
});
