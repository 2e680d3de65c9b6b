import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import pLimit from 'p-limit';
import type { Clock } from '../shared/clock.js';
import { StoreError } from '../domain/errors.js';

export const BATCH_WRITE_MAX = 25;

/**
 * Writes puts in BatchWriteItem calls of 25, several at once, and retries the UnprocessedItems
 * DynamoDB hands back (with backoff) until none are left or the retry budget is spent.
 */
export async function batchWrite(
  client: DynamoDBClient,
  table: string,
  requests: readonly WriteRequest[],
  clock: Clock,
  options: { concurrency?: number; maxRetries?: number } = {},
): Promise<{ calls: number }> {
  const limit = pLimit(options.concurrency ?? 4);
  const maxRetries = options.maxRetries ?? 8;
  let calls = 0;
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += BATCH_WRITE_MAX) chunks.push(requests.slice(i, i + BATCH_WRITE_MAX));
  await Promise.all(
    chunks.map((chunk) =>
      limit(async () => {
        let pending = chunk;
        for (let attempt = 0; pending.length > 0; attempt++) {
          if (attempt > maxRetries)
            throw new StoreError(
              `BatchWriteItem on ${table}: ${pending.length} item(s) still unprocessed after ${maxRetries} retries (table throttled?); the caller may retry the whole batch, writes are idempotent.`,
            );
          if (attempt > 0) await clock.sleep(Math.min(5_000, 50 * 2 ** attempt));
          calls += 1;
          const res = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
          pending = res.UnprocessedItems?.[table] ?? [];
        }
      }),
    ),
  );
  return { calls };
}
