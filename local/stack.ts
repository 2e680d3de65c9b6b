import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '../lambdas/store/create-tables.js';
import { TABLES, localTableNames, type TableNames } from '../lambdas/store/tables.js';
import { startDynamo, type LocalDynamo } from './dynamo.js';
import { startSes, type LocalSes } from './ses.js';

/** The embedded local stack: the real local parts every test, the demo and the CLI run against. */
export interface LocalStack {
  readonly dynamo: LocalDynamo;
  readonly ses: LocalSes;
  readonly tables: TableNames;
  /** Pids of every process the stack started (guards and children), for orphan checks. */
  pids(): number[];
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  /** Prefix of the local table names. @default "lifecycle" */
  readonly tablePrefix?: string;
  /** Create the tables after start. @default true */
  readonly createTables?: boolean;
}

/** Creates every table of lambdas/store/tables.ts under the given names (idempotent). */
export async function createTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  const byId: Record<string, string> = { State: names.state, Audit: names.audit, Seats: names.seats };
  await Promise.all(TABLES.map((def) => ensureTable(client, def, byId[def.id]!)));
}

/** Starts DynamoDB Local and the SES v2 emulator in parallel, on free loopback ports. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const [dyn, ses] = await Promise.allSettled([startDynamo(), startSes()]);
  if (dyn.status === 'rejected' || ses.status === 'rejected') {
    if (dyn.status === 'fulfilled') await dyn.value.stop();
    if (ses.status === 'fulfilled') await ses.value.stop();
    throw dyn.status === 'rejected' ? dyn.reason : (ses as PromiseRejectedResult).reason;
  }
  const tables = localTableNames(options.tablePrefix ?? 'lifecycle');
  if (options.createTables ?? true) {
    const client = dyn.value.client();
    try {
      await createTables(client, tables);
    } finally {
      client.destroy();
    }
  }
  const stack: LocalStack = {
    dynamo: dyn.value,
    ses: ses.value,
    tables,
    pids: () => [dyn.value.process.pid, dyn.value.process.guardPid, ses.value.process.pid, ses.value.process.guardPid],
    stop: async () => {
      await Promise.all([dyn.value.stop(), ses.value.stop()]);
    },
  };
  return stack;
}
