import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../../local/guarded-process.js';
import { startLocalStack } from '../../local/stack.js';

async function waitDead(pids: number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(100);
    alive = pids.filter(isAlive);
  }
  return alive;
}

describe('local stack', () => {
  it('starts DynamoDB Local and the SES emulator, serves real calls, and stops with no process left', async () => {
    const started = Date.now();
    const stack = await startLocalStack({ tablePrefix: 'own' });
    const startMs = Date.now() - started;
    const pids = stack.pids();
    try {
      expect(startMs).toBeLessThan(10_000);
      expect(pids.every(isAlive)).toBe(true);
      const db = stack.dynamo.client();
      const table = stack.tables.state;

      // Conditional write: the second put of the same key is refused.
      const put = () =>
        db.send(
          new PutItemCommand({
            TableName: table,
            Item: { pk: { S: 'ITEM#1' }, sk: { S: 'STATE' }, state: { S: 'PROPOSED' } },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      await put();
      await expect(put()).rejects.toBeInstanceOf(ConditionalCheckFailedException);

      // Transaction: both writes land together, and a failed condition cancels both.
      await db.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: table,
                Key: { pk: { S: 'ITEM#1' }, sk: { S: 'STATE' } },
                UpdateExpression: 'SET #s = :to',
                ConditionExpression: '#s = :from',
                ExpressionAttributeNames: { '#s': 'state' },
                ExpressionAttributeValues: { ':from': { S: 'PROPOSED' }, ':to': { S: 'APPROVED' } },
              },
            },
            {
              Put: {
                TableName: stack.tables.audit,
                Item: { stream: { S: 'P#1' }, seq: { N: '1' }, event: { S: 'APPROVED' } },
              },
            },
          ],
        }),
      );
      await expect(
        db.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Update: {
                  TableName: table,
                  Key: { pk: { S: 'ITEM#1' }, sk: { S: 'STATE' } },
                  UpdateExpression: 'SET #s = :to',
                  ConditionExpression: '#s = :from',
                  ExpressionAttributeNames: { '#s': 'state' },
                  ExpressionAttributeValues: { ':from': { S: 'PROPOSED' }, ':to': { S: 'REJECTED' } },
                },
              },
              {
                Put: {
                  TableName: stack.tables.audit,
                  Item: { stream: { S: 'P#1' }, seq: { N: '2' }, event: { S: 'REJECTED' } },
                },
              },
            ],
          }),
        ),
      ).rejects.toBeInstanceOf(TransactionCanceledException);
      const item = await db.send(
        new GetItemCommand({
          TableName: table,
          Key: { pk: { S: 'ITEM#1' }, sk: { S: 'STATE' } },
          ConsistentRead: true,
        }),
      );
      expect(item.Item?.state?.S).toBe('APPROVED');
      const second = await db.send(
        new GetItemCommand({ TableName: stack.tables.audit, Key: { stream: { S: 'P#1' }, seq: { N: '2' } } }),
      );
      expect(second.Item).toBeUndefined();
      db.destroy();

      // Mail: sent through the real SES v2 client, found in the emulator's store.
      const ses = stack.ses.client();
      const out = await ses.send(
        new SendEmailCommand({
          FromEmailAddress: 'lifecycle@example.com',
          Destination: { ToAddresses: ['approver@example.com'] },
          Content: { Simple: { Subject: { Data: 'Proposal ready' }, Body: { Text: { Data: 'Review it' } } } },
        }),
      );
      ses.destroy();
      const mails = await stack.ses.outbox();
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatchObject({
        messageId: out.MessageId,
        subject: 'Proposal ready',
        destination: { to: ['approver@example.com'] },
      });
    } finally {
      await stack.stop();
    }
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it('leaves no process behind when the process that started it is killed', async () => {
    const script = fileURLToPath(new URL('../helpers/start-stack-and-hang.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
    const child = spawn(process.execPath, [tsx, script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pids = await new Promise<number[]>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const m = /PIDS (.+)\n/.exec(buf);
        if (m) resolve(JSON.parse(m[1]!) as number[]);
      });
      child.once('exit', (code) => reject(new Error(`helper exited early with ${code}`)));
    });
    // tsx runs the script in a grandchild; kill the whole group of what we started, hard.
    expect(pids.every(isAlive)).toBe(true);
    child.kill('SIGKILL');
    process.kill(Number(pids.at(-1)), 'SIGKILL');
    expect(await waitDead(pids.slice(0, 4), 10_000)).toEqual([]);
  });
});
