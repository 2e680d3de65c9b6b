import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { batchGet } from '../../lambdas/store/batch-get.js';

type Key = Record<string, AttributeValue>;
const key = (n: number): Key => ({ pk: { S: `k${n}` } });

/** A client whose BatchGetItem answers `answer` keys of each call and hands the rest back as unprocessed. */
function fakeClient(answer: (call: number, keys: Key[]) => number) {
  const calls: { keys: Key[]; consistent?: boolean }[] = [];
  const client = {
    send: async (command: { input: { RequestItems: Record<string, { Keys: Key[]; ConsistentRead?: boolean }> } }) => {
      const [[table, req]] = Object.entries(command.input.RequestItems) as [
        [string, { Keys: Key[]; ConsistentRead?: boolean }],
      ];
      calls.push({ keys: req.Keys, consistent: req.ConsistentRead });
      const n = answer(calls.length, req.Keys);
      return {
        Responses: { [table]: req.Keys.slice(0, n).map((k) => ({ ...k, v: { S: 'item' } })) },
        UnprocessedKeys: n < req.Keys.length ? { [table]: { Keys: req.Keys.slice(n) } } : {},
      };
    },
  } as unknown as DynamoDBClient;
  return { client, calls };
}

describe('batchGet', () => {
  it('retries the unprocessed keys, with growing waits, until every key is answered', async () => {
    const { client, calls } = fakeClient((call) => (call === 1 ? 60 : 25));
    const waits: number[] = [];
    const items = await batchGet(
      client,
      't',
      Array.from({ length: 100 }, (_, i) => key(i)),
      { consistent: true, sleep: async (ms) => void waits.push(ms) },
    );
    expect(items.map((i) => i.pk!.S).sort()).toEqual(Array.from({ length: 100 }, (_, i) => `k${i}`).sort());
    expect(calls.map((c) => c.keys.length)).toEqual([100, 40, 15]);
    expect(calls.every((c) => c.consistent === true)).toBe(true);
    expect(waits).toEqual([100, 200]);
  });

  it('asks for eventually consistent reads unless told otherwise', async () => {
    const { client, calls } = fakeClient(() => 1);
    await batchGet(client, 't', [key(1)]);
    expect(calls[0]!.consistent).toBeUndefined();
  });

  it('gives up with a clear error after 8 retries, and refuses more than 100 keys', async () => {
    const { client, calls } = fakeClient(() => 0);
    await expect(batchGet(client, 'Audit', [key(1)], { sleep: async () => {} })).rejects.toThrow(
      'BatchGetItem on Audit: keys still unprocessed after 8 retries.',
    );
    expect(calls).toHaveLength(9);
    await expect(
      batchGet(
        client,
        't',
        Array.from({ length: 101 }, (_, i) => key(i)),
      ),
    ).rejects.toThrow(/at most 100/);
  });
});
