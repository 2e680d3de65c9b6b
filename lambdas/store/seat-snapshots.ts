import { PutItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { SeatStore } from '../domain/ports.js';
import { queryAll } from './query.js';
import type { SeatSnapshot } from '../domain/snapshot.js';

/** Seat snapshots in the seats table (`orgId`, `takenAt`). */
export class DynamoSeatStore implements SeatStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  async put(s: SeatSnapshot): Promise<void> {
    await this.client.send(
      new PutItemCommand({ TableName: this.table, Item: marshall(s, { removeUndefinedValues: true }) }),
    );
  }

  /** Snapshots of an org taken in [from, to) (ISO strings), oldest first. */
  async *range(orgId: string, from: string, to: string): AsyncGenerator<SeatSnapshot> {
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'orgId = :o AND takenAt BETWEEN :f AND :t',
      ExpressionAttributeValues: { ':o': { S: orgId }, ':f': { S: from }, ':t': { S: to } },
    }))
      if ((item.takenAt?.S ?? '') < to) yield unmarshall(item) as SeatSnapshot;
  }

  /** The latest snapshot of an org taken before `before` (ISO string). */
  async latest(orgId: string, before: string): Promise<SeatSnapshot | undefined> {
    const res = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'orgId = :o AND takenAt < :b',
        ExpressionAttributeValues: { ':o': { S: orgId }, ':b': { S: before } },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const item = res.Items?.[0];
    return item ? (unmarshall(item) as SeatSnapshot) : undefined;
  }
}
