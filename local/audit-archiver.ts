/**
 * The audit archiver on the embedded stack: reads DynamoDB Local's change stream of the audit table
 * (DynamoDB Streams API, as the Lambda event source does on AWS) and hands every change to the same
 * core (lambdas/audit/archive.ts). `drain()` reads until the stream has nothing new.
 */
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { archiveChanges, type ArchiverDeps, type ArchiveReport } from '../lambdas/audit/index.js';
import { toAuditChange, type StreamRecordLike } from '../lambdas/store/index.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamo.js';

export class LocalAuditArchiver {
  private readonly streams: DynamoDBStreamsClient;
  /** Last sequence number read per shard. */
  private readonly positions = new Map<string, string>();

  constructor(
    private readonly db: DynamoDBClient,
    endpoint: string,
    private readonly table: string,
    private readonly deps: ArchiverDeps,
    /** Stream records per archiver call (the Lambda event source's batch size is 100, lib/audit-archive.ts). */
    private readonly batchSize = 1000,
  ) {
    this.streams = new DynamoDBStreamsClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  }

  async drain(): Promise<ArchiveReport> {
    const total = { archived: 0, duplicates: 0, tampered: 0 };
    const { Table } = await this.db.send(new DescribeTableCommand({ TableName: this.table }));
    const arn = Table?.LatestStreamArn;
    if (!arn) throw new Error(`table ${this.table} has no change stream: create it from AUDIT_TABLE (changeStream)`);
    const { StreamDescription } = await this.streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const after = this.positions.get(shard.ShardId!);
      let iterator = (
        await this.streams.send(
          new GetShardIteratorCommand({
            StreamArn: arn,
            ShardId: shard.ShardId!,
            ...(after
              ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
              : { ShardIteratorType: 'TRIM_HORIZON' }),
          }),
        )
      ).ShardIterator;
      while (iterator) {
        const page = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.batchSize }));
        const records = page.Records ?? [];
        if (records.length === 0) break;
        const report = await archiveChanges(
          this.deps,
          records.map((r) => toAuditChange(r as StreamRecordLike)),
        );
        total.archived += report.archived;
        total.duplicates += report.duplicates;
        total.tampered += report.tampered;
        this.positions.set(shard.ShardId!, records.at(-1)!.dynamodb!.SequenceNumber!);
        iterator = page.NextShardIterator;
      }
    }
    return total;
  }

  stop(): void {
    this.streams.destroy();
  }
}
