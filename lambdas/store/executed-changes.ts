import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import pLimit from 'p-limit';
import type { ExecutedChange } from '../reports/changes.js';
import type { ExecutedChangeSource } from '../reports/ports.js';
import { queryAll } from './query.js';

const PUT_CONCURRENCY = 8;

/**
 * Executed changes, kept in the seats table beside the snapshots under their own partition
 * (`CHANGES#<orgId>`, sort key `<executedAt>#<proposalId>#<accountId>`), so the finance report
 * needs read access to that one table only. Written by execution's finish step; puts are
 * idempotent (a retried finish writes the same keys).
 */
export class DynamoExecutedChanges implements ExecutedChangeSource {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  static partition = (orgId: string) => `CHANGES#${orgId}`;

  /**
   * One PutItem per change, eight at once (not BatchWriteItem: its grant would also allow deletes,
   * and the finish step may only put). Every put is awaited before this returns or throws.
   */
  async put(orgId: string, changes: readonly ExecutedChange[]): Promise<void> {
    const limit = pLimit(PUT_CONCURRENCY);
    const settled = await Promise.allSettled(
      changes.map((c) =>
        limit(() =>
          this.client.send(
            new PutItemCommand({
              TableName: this.table,
              Item: marshall(
                {
                  orgId: DynamoExecutedChanges.partition(orgId),
                  takenAt: `${c.executedAt}#${c.proposalId ?? '-'}#${c.accountId}`,
                  change: c,
                },
                { removeUndefinedValues: true },
              ),
            }),
          ),
        ),
      ),
    );
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Changes executed in [from, to) (ISO instants), oldest first. */
  async *between(orgId: string, from: string, to: string): AsyncGenerator<ExecutedChange> {
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'orgId = :o AND takenAt BETWEEN :f AND :t',
      ExpressionAttributeValues: {
        ':o': { S: DynamoExecutedChanges.partition(orgId) },
        ':f': { S: from },
        ':t': { S: to },
      },
    })) {
      const { change } = unmarshall(item) as { change: ExecutedChange };
      if (change.executedAt >= from && change.executedAt < to) yield change;
    }
  }
}
