import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ExecutedChange } from '../reports/changes.js';
import type { ExecutedChangeSource } from '../reports/ports.js';
import { queryAll } from './query.js';

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

  async put(orgId: string, changes: readonly ExecutedChange[]): Promise<void> {
    for (const c of changes)
      await this.client.send(
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
      );
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
