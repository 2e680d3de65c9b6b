import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { inject } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamo.js';
import type { StoredEmail } from '../../local/ses.js';
import { createTables } from '../../local/stack.js';
import { localTableNames, type TableNames } from '../../lambdas/store/tables.js';

/** A client for the DynamoDB Local started by the global setup. */
export function dynamoClient(): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: inject('dynamoEndpoint'),
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
}

export function sesClient(): SESv2Client {
  return new SESv2Client({ endpoint: inject('sesEndpoint'), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
}

/** Fresh tables under a unique prefix, so test files running in parallel never share state. */
export async function freshTables(client: DynamoDBClient): Promise<TableNames> {
  const names = localTableNames(`t${randomUUID().slice(0, 8)}`);
  await createTables(client, names);
  return names;
}

/** Every mail the SES emulator holds (one read: filter it locally when checking many recipients). */
export async function allMail(): Promise<StoredEmail[]> {
  const res = await fetch(`${inject('sesEndpoint')}/store`);
  return ((await res.json()) as { emails: StoredEmail[] }).emails;
}

/** Mail the SES emulator has received for one recipient. */
export async function outboxFor(recipient: string): Promise<StoredEmail[]> {
  return (await allMail()).filter((e) => e.destination.to.includes(recipient));
}
