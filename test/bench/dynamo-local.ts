/**
 * How DynamoDB Local's write cost grows (BENCH_ONLY=dynamo-local): batches of audit-shaped records
 * in transactions of 100, first into a table without indexes, then phase after phase into fresh
 * tables with the audit table's three global secondary indexes, then once more without indexes.
 * Each phase writes the same number of records into its own new tables, so any slowdown from one
 * phase to the next comes from what the instance already holds. Results: results/dynamo-local.{json,md}.
 */
import { CreateTableCommand, TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';
import { startDynamo } from '../../local/dynamo.js';
import { createTables } from '../../local/stack.js';
import { localTableNames } from '../../lambdas/store/index.js';
import { loadAverage } from './common.js';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const PER_PHASE = Number(process.env.BENCH_DDB_PHASE ?? 5000);
const PHASES = Number(process.env.BENCH_DDB_PHASES ?? 5);

const record = (phase: number, i: number) => ({
  stream: { S: `RUN#bench-${phase}` },
  seq: { N: String(i) },
  accountId: { S: `acc-${phase}-${i}` },
  at: { S: new Date(Date.UTC(2026, 11, 2, 0, 0, 0, i)).toISOString() },
  day: { S: '2026-12-02' },
  proposalId: { S: `proposal-${phase}` },
  kind: { S: 'ITEM_PROPOSED' },
  hash: { S: 'a'.repeat(64) },
  prevHash: { S: 'b'.repeat(64) },
  detail: { M: { action: { S: 'DEACTIVATE' }, reason: { S: 'inactive for 120 days' } } },
});

async function plainTable(db: DynamoDBClient, name: string): Promise<string> {
  await db.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'stream', AttributeType: 'S' },
        { AttributeName: 'seq', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'stream', KeyType: 'HASH' },
        { AttributeName: 'seq', KeyType: 'RANGE' },
      ],
    }),
  );
  return name;
}

async function phase(db: DynamoDBClient, n: number, indexes: boolean, table: string) {
  const limit = pLimit(4);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: PER_PHASE / 100 }, (_, b) =>
      limit(() =>
        db.send(
          new TransactWriteItemsCommand({
            TransactItems: Array.from({ length: 100 }, (_, i) => ({
              Put: {
                TableName: table,
                Item: record(n, b * 100 + i + 1),
                ConditionExpression: 'attribute_not_exists(#s)',
                ExpressionAttributeNames: { '#s': 'stream' },
              },
            })),
          }),
        ),
      ),
    ),
  );
  const ms = Math.round(performance.now() - t0);
  return { phase: n, indexes, records: PER_PHASE, ms, recordsPerSecond: Math.round((PER_PHASE / ms) * 1000) };
}

const dynamo = await startDynamo({ timeoutMs: 120_000, heap: '4g' });
const db = dynamo.client();
const phases = [];
const loadBefore = await loadAverage();
try {
  phases.push(await phase(db, 0, false, await plainTable(db, 'bench-plain-0')));
  for (let n = 1; n <= PHASES; n++) {
    const tables = localTableNames(`benchgsi${n}`);
    await createTables(db, tables);
    phases.push(await phase(db, n, true, tables.audit));
  }
  phases.push(await phase(db, PHASES + 1, false, await plainTable(db, 'bench-plain-last')));
} finally {
  db.destroy();
  await dynamo.stop();
}
const result = {
  at: new Date().toISOString(),
  loadAverage: { before: loadBefore, after: await loadAverage() },
  phases,
};
writeFileSync(`${RESULTS}dynamo-local.json`, `${JSON.stringify(result, null, 2)}\n`);
const rows = phases.map(
  (p) =>
    `| ${p.phase} | ${p.indexes ? 'audit table, 3 indexes' : 'no indexes'} | ${p.phase === 0 ? 0 : Math.min(p.phase - 1, PHASES) * PER_PHASE} | ${(p.ms / 1000).toFixed(1)} s | ${p.recordsPerSecond} |`,
);
writeFileSync(
  `${RESULTS}dynamo-local.md`,
  [
    '# DynamoDB Local: write cost against what the instance already holds',
    '',
    `${PER_PHASE} audit-shaped records per phase, in TransactWriteItems of 100, 4 at once, each phase into its own new tables (\`npx tsx test/bench/dynamo-local.ts\`, ${result.at}, load average ${loadBefore.join(' ')} → ${result.loadAverage.after.join(' ')}).`,
    '',
    '| phase | table | indexed records already in the instance | wall | records/s |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n'),
);
console.log(rows.join('\n'));
process.exit(0);
