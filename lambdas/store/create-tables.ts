import {
  CreateTableCommand,
  DescribeTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { KeyDef, TableDef } from './tables.js';

/** The CreateTable request for a table definition (on-demand billing, as deployed). */
export function createTableInput(def: TableDef, tableName: string): CreateTableCommandInput {
  const keys = new Map<string, KeyDef>();
  const add = (k?: KeyDef) => k && keys.set(k.name, k);
  add(def.partitionKey);
  add(def.sortKey);
  def.indexes.forEach((i) => (add(i.partitionKey), add(i.sortKey)));
  const schema = (pk: KeyDef, sk?: KeyDef) => [
    { AttributeName: pk.name, KeyType: 'HASH' as const },
    ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...keys.values()].map((k) => ({ AttributeName: k.name, AttributeType: k.type })),
    KeySchema: schema(def.partitionKey, def.sortKey),
    ...(def.changeStream && { StreamSpecification: { StreamEnabled: true, StreamViewType: def.changeStream } }),
    ...(def.indexes.length > 0 && {
      GlobalSecondaryIndexes: def.indexes.map((i) => ({
        IndexName: i.name,
        KeySchema: schema(i.partitionKey, i.sortKey),
        Projection: { ProjectionType: i.projection ?? 'ALL' },
      })),
    }),
  };
}

/** Creates the table if it does not exist yet, and turns on its TTL. Idempotent. */
export async function ensureTable(client: DynamoDBClient, def: TableDef, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (err) {
    if ((err as Error).name !== 'ResourceNotFoundException') throw err;
  }
  await client.send(new CreateTableCommand(createTableInput(def, tableName)));
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
  if (def.ttlAttribute) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true },
      }),
    );
  }
}
