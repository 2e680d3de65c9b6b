import { BatchGetItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { StoreError } from '../domain/errors.js';

export const BATCH_GET_MAX = 100;

type Key = Record<string, AttributeValue>;

/**
 * The items of up to 100 keys in one BatchGetItem, retrying the UnprocessedKeys DynamoDB hands back
 * (with backoff) until none are left or 8 retries are spent. Items come back in no particular order;
 * a key with no item is simply not answered.
 */
export async function batchGet(
  client: DynamoDBClient,
  table: string,
  keys: readonly Key[],
  options: { consistent?: boolean; sleep?: (ms: number) => Promise<void> } = {},
): Promise<Key[]> {
  if (keys.length > BATCH_GET_MAX)
    throw new RangeError(`batchGet takes at most ${BATCH_GET_MAX} keys (${keys.length}).`);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const out: Key[] = [];
  let pending = [...keys];
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 8) throw new StoreError(`BatchGetItem on ${table}: keys still unprocessed after 8 retries.`);
    if (attempt > 0) await sleep(Math.min(5_000, 50 * 2 ** attempt));
    const res = await client.send(
      new BatchGetItemCommand({
        RequestItems: { [table]: { Keys: pending, ...(options.consistent && { ConsistentRead: true }) } },
      }),
    );
    out.push(...(res.Responses?.[table] ?? []));
    pending = (res.UnprocessedKeys?.[table]?.Keys ?? []) as Key[];
  }
  return out;
}
