/**
 * The audit log is tamper-evident against its own writers (issue 14, finding 2): DynamoDB Local's
 * change stream of the audit table feeds the archiver, which copies every record to a write-once
 * archive (the directory adapter of the S3 Object Lock port). With only a writer's grant (PutItem),
 * an overwritten record and a fully re-chained stream are both found; so is a deleted last record
 * (which takes more than a writer's grant). Each change the stream shows raises the alarm and keeps
 * the original.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verifyWithArchive } from '../../lambdas/audit/index.js';
import type { AuditRecord, TamperEvidence } from '../../lambdas/domain/index.js';
import { ManualClock, memoryLogger } from '../../lambdas/shared/index.js';
import {
  AuditReader,
  DirAuditArchive,
  DynamoAuditLog,
  recordHash,
  type TableNames,
} from '../../lambdas/store/index.js';
import { LocalAuditArchiver } from '../../local/audit-archiver.js';
import { verifyAudit } from '../../bin/audit-verify.js';
import { dynamoClient, freshTables } from '../helpers/local.js';

const RUN = 'RUN#tamper-run#1';
const PROPOSAL = 'PROPOSAL#tamper-proposal';

describe('audit archive: tampering is found', () => {
  const db = dynamoClient();
  const dir = mkdtempSync(join(tmpdir(), 'audit-archive-'));
  const archive = new DirAuditArchive(dir);
  const alarms: TamperEvidence[] = [];
  let tables: TableNames;
  let reader: AuditReader;
  let archiver: LocalAuditArchiver;
  const all = async (stream: string) => {
    const out: AuditRecord[] = [];
    for await (const r of reader.stream(stream)) out.push(r);
    return out;
  };
  const verify = async (stream: string) => verifyWithArchive(stream, await all(stream), archive);
  /** A writer's PutItem, unconditional: what IAM cannot forbid to a function that may append. */
  const overwrite = (r: AuditRecord) => {
    const { details, ...rest } = r;
    return db.send(
      new PutItemCommand({
        TableName: tables.audit,
        Item: marshall(
          { ...rest, ...(details && { details: JSON.stringify(details) }) },
          { removeUndefinedValues: true },
        ),
      }),
    );
  };
  const rechained = (records: readonly AuditRecord[], from: number, edit: (r: AuditRecord) => AuditRecord) => {
    const out: AuditRecord[] = [];
    let prev = records[from - 2]!.hash;
    for (const r of records.slice(from - 1)) {
      const { hash: _h, ...content } = { ...(r.seq === from ? edit(r) : r), prevHash: prev };
      const hash = recordHash(content, prev);
      out.push({ ...content, hash } as AuditRecord);
      prev = hash;
    }
    return out;
  };

  beforeAll(async () => {
    tables = await freshTables(db);
    reader = new AuditReader(db, tables.audit);
    const log = new DynamoAuditLog(db, tables.audit, new ManualClock(Date.parse('2026-12-01T02:00:00Z')));
    await log.append(
      RUN,
      ['PLAN_STARTED', 'ITEM_PROPOSED', 'ITEM_PROPOSED', 'ITEM_PROPOSED', 'PLAN_FINISHED'].map((event, i) => ({
        event: event as never,
        actor: 'system:plan',
        outcome: `step ${i + 1}`,
        ...(i > 0 && i < 4 && { accountId: `acc-${i}`, action: 'DEACTIVATE' }),
      })),
    );
    await log.append(PROPOSAL, [
      { event: 'PROPOSAL_SENT', actor: 'system:approval', outcome: 'sent' },
      { event: 'DECISION_RECORDED', actor: 'approver:a@example.com', outcome: 'approve' },
      { event: 'REJECTED', actor: 'approver:b@example.com', outcome: 'rejected' },
    ] as never);
    archiver = new LocalAuditArchiver(db, inject('dynamoEndpoint'), tables.audit, {
      archive,
      logger: memoryLogger(),
      alarm: async (e) => void alarms.push(e),
    });
  });
  afterAll(() => {
    archiver?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('archives every record once, from the change stream, and an untouched log verifies against it', async () => {
    expect(await archiver.drain()).toEqual({ archived: 8, duplicates: 0, tampered: 0 });
    expect(await archiver.drain()).toEqual({ archived: 0, duplicates: 0, tampered: 0 });
    for (const stream of [RUN, PROPOSAL]) {
      const v = await verify(stream);
      expect(v.ok, JSON.stringify(v.problems)).toBe(true);
      expect(v.unarchived).toBe(0);
    }
    expect(alarms).toEqual([]);
  });

  it('a fully re-chained stream verifies on its own, but not against the archive; the alarm fired', async () => {
    const records = await all(RUN);
    // Record 2 says something else, and 2..5 are re-chained so the table's own chain is consistent.
    for (const r of rechained(records, 2, (r) => ({ ...r, outcome: 'forged', action: 'MOVE_TO_BILLABLE' })))
      await overwrite(r);
    expect((await reader.verify(RUN)).ok).toBe(true);
    const v = await verify(RUN);
    expect(v.ok).toBe(false);
    expect(v.problems.filter((p) => p.kind === 'rewritten').map((p) => p.seq)).toEqual([2, 3, 4, 5]);
    expect(await archiver.drain()).toMatchObject({ tampered: 4 });
    expect(alarms.map((a) => [a.stream, a.seq, a.kind])).toEqual([
      [RUN, 2, 'MODIFY'],
      [RUN, 3, 'MODIFY'],
      [RUN, 4, 'MODIFY'],
      [RUN, 5, 'MODIFY'],
    ]);
    // The archive keeps the original.
    expect(alarms[0]!.archived).toMatchObject({ seq: 2, outcome: 'step 2', action: 'DEACTIVATE' });
    expect((await verify(RUN)).problems.some((p) => p.kind === 'tampered')).toBe(true);
    // What `lifecycle audit verify` prints with the archive configured, and without it.
    const cli = await verifyAudit(reader, RUN, { LIFECYCLE_AUDIT_ARCHIVE_DIR: dir });
    expect(cli.ok).toBe(false);
    expect(cli.text).toMatch(/BROKEN \(5 records in the table, 5 in the archive\)\n {2}rewritten: record 2 differs/);
    const blind = await verifyAudit(reader, RUN, {});
    expect(blind.ok).toBe(true);
    expect(blind.text).toContain('no archive configured');
  });

  it('a forged summary (REJECTED rewritten as APPROVED) is found even before the archiver runs again', async () => {
    const records = await all(PROPOSAL);
    const forged = { ...records[2]!, event: 'APPROVED', outcome: 'approved' } as AuditRecord;
    const { hash: _h, ...content } = forged;
    await overwrite({ ...forged, hash: recordHash(content, forged.prevHash) });
    expect((await reader.verify(PROPOSAL)).ok).toBe(true);
    const v = await verify(PROPOSAL);
    expect(v.problems).toMatchObject([{ seq: 3, kind: 'rewritten' }]);
    expect(v.problems[0]!.message).toContain('REJECTED');
  });

  it('a deleted last record verifies on its own, but the archive still has it', async () => {
    await archiver.drain();
    alarms.length = 0;
    await db.send(
      new DeleteItemCommand({ TableName: tables.audit, Key: { stream: { S: PROPOSAL }, seq: { N: '3' } } }),
    );
    expect((await reader.verify(PROPOSAL)).ok).toBe(true);
    const v = await verify(PROPOSAL);
    expect(v.problems.filter((p) => p.kind === 'missing')).toMatchObject([{ seq: 3 }]);
    expect(await archiver.drain()).toMatchObject({ tampered: 1 });
    expect(alarms.map((a) => [a.stream, a.seq, a.kind])).toEqual([[PROPOSAL, 3, 'REMOVE']]);
  });

  it('a record deleted and written again with other content is a REWRITE, not a duplicate', async () => {
    alarms.length = 0;
    const records = await all(PROPOSAL);
    const again = { ...records[1]!, seq: 3, prevHash: records[1]!.hash, event: 'APPROVED', outcome: 'approved' };
    const { hash: _h, ...content } = again as AuditRecord;
    await overwrite({ ...again, hash: recordHash(content, again.prevHash) } as AuditRecord);
    expect(await archiver.drain()).toMatchObject({ tampered: 1 });
    expect(alarms.map((a) => a.kind)).toEqual(['REWRITE']);
    expect(alarms[0]!.archived).toMatchObject({ seq: 3, event: 'REJECTED' });
  });
});
