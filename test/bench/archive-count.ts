/**
 * The audit archiver's storage requests, measured: the local archiver (the same core as the
 * Lambda) reads a run's audit records from DynamoDB Local's change stream in batches of 100 (the
 * deployed event source's batch size) into a directory archive that counts what would be S3
 * requests: object writes (PUT), listings (LIST, one per 1,000 keys) and reads (GET).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { memoryLogger } from '../../lambdas/shared/index.js';
import { DirAuditArchive } from '../../lambdas/store/audit-archive-dir.js';
import { LocalAuditArchiver } from '../../local/audit-archiver.js';

const LAMBDA_BATCH = 100;

class CountingArchive extends DirAuditArchive {
  readonly counts = { puts: 0, lists: 0, gets: 0 };
  protected override async create(key: string, body: string): Promise<boolean> {
    this.counts.puts += 1;
    return super.create(key, body);
  }
  protected override async *keys(prefix: string): AsyncGenerator<string> {
    let n = 0;
    this.counts.lists += 1;
    for await (const k of super.keys(prefix)) {
      if (++n % 1000 === 0) this.counts.lists += 1;
      yield k;
    }
  }
  protected override async getText(key: string): Promise<string> {
    this.counts.gets += 1;
    return super.getText(key);
  }
}

export async function measureArchiver(db: DynamoDBClient, endpoint: string, table: string) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-archive-'));
  const archive = new CountingArchive(dir);
  const archiver = new LocalAuditArchiver(
    db,
    endpoint,
    table,
    { archive, logger: memoryLogger(), alarm: async () => undefined },
    LAMBDA_BATCH,
  );
  const t0 = performance.now();
  try {
    const report = await archiver.drain();
    const records = report.archived + report.duplicates;
    const requests = archive.counts.puts + archive.counts.lists + archive.counts.gets;
    return {
      ...report,
      batchSize: LAMBDA_BATCH,
      ...archive.counts,
      s3Requests: requests,
      s3RequestsPerRecord: records > 0 ? +(requests / records).toFixed(4) : 0,
      wallMs: Math.round(performance.now() - t0),
    };
  } finally {
    archiver.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
