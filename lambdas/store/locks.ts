import { DeleteItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../shared/clock.js';
import type { LockStore } from '../domain/ports.js';
import { LockHeldError } from '../domain/errors.js';
import { isConditionalFailure } from './errors.js';

/** A lease-based lock in the state table: two overlapping runs cannot both proceed. */
export class DynamoLockStore implements LockStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  /**
   * Takes the lock, or renews it when `holder` has it already; a lapsed lease can be taken over, and
   * so can the lease of a holder whose id starts with `takeOverFrom` (a dead delivery of the same run).
   */
  async acquire(name: string, holder: string, leaseMs: number, options: { takeOverFrom?: string } = {}): Promise<void> {
    const now = this.clock.now();
    const takeOver = options.takeOverFrom ? ' OR begins_with(holder, :run)' : '';
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            pk: { S: `LOCK#${name}` },
            sk: { S: 'LOCK' },
            holder: { S: holder },
            leaseUntil: { N: String(now + leaseMs) },
            expiresAt: { N: String(Math.ceil((now + leaseMs) / 1000) + 86_400) },
          },
          ConditionExpression: `attribute_not_exists(pk) OR holder = :h OR leaseUntil < :now${takeOver}`,
          ExpressionAttributeValues: {
            ':h': { S: holder },
            ':now': { N: String(now) },
            ...(options.takeOverFrom && { ':run': { S: options.takeOverFrom } }),
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
      const old = (err as { Item?: Record<string, { S?: string; N?: string }> }).Item;
      const until = old?.leaseUntil?.N ? Number(old.leaseUntil.N) : undefined;
      throw new LockHeldError(
        `lock ${name} is held by ${old?.holder?.S ?? 'another run'} until ${until ? new Date(until).toISOString() : 'unknown'}; this run stops without doing anything. It is normal when a schedule fires twice.`,
        name,
        old?.holder?.S,
        until,
      );
    }
  }

  async release(name: string, holder: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.table,
          Key: { pk: { S: `LOCK#${name}` }, sk: { S: 'LOCK' } },
          ConditionExpression: 'holder = :h',
          ExpressionAttributeValues: { ':h': { S: holder } },
        }),
      );
    } catch (err) {
      if (!isConditionalFailure(err)) throw err; // someone took over a lapsed lease: theirs now
    }
  }
}
