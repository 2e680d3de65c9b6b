/**
 * The database first: before a command reads either API or writes anything, each table it needs
 * is described, and an unreachable DynamoDB, missing credentials or a missing table become one
 * message that names the endpoint or table and what to set (not a raw SDK error).
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClientFor, type RuntimeEnv } from '../../lambdas/wiring/index.js';

const START_HINT =
  'start a local one with `npx lifecycle local up` (it prints the environment to use), or set LIFECYCLE_DYNAMODB_ENDPOINT to a running DynamoDB (unset it for AWS)';

/** Thrown when a table cannot be used; its message is the whole explanation. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

export type TableRole = keyof RuntimeEnv['tables'];

const TABLE_VARS: Readonly<Record<TableRole, string>> = {
  state: 'LIFECYCLE_TABLE_STATE',
  audit: 'LIFECYCLE_TABLE_AUDIT',
  seats: 'LIFECYCLE_TABLE_SEATS',
};

export async function checkStore(env: RuntimeEnv, roles: readonly TableRole[]): Promise<void> {
  const db = dynamoClientFor(env);
  for (const role of roles) {
    const table = env.tables[role];
    try {
      await db.send(new DescribeTableCommand({ TableName: table }));
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'ResourceNotFoundException')
        throw new StoreUnavailableError(
          `the ${role} table "${table}" does not exist at ${where(env)}: create the tables with \`npx lifecycle local up\`, or set ${TABLE_VARS[role]} (or LIFECYCLE_TABLE_PREFIX) to the deployed table's name.`,
        );
      throw new StoreUnavailableError(
        describeStoreError(err, env) ?? `DynamoDB at ${where(env)}: ${name}: ${(err as Error).message}`,
      );
    }
  }
}

const where = (env?: RuntimeEnv) =>
  env?.dynamoEndpoint
    ? `${env.dynamoEndpoint} (LIFECYCLE_DYNAMODB_ENDPOINT)`
    : env
      ? `AWS region ${env.region}`
      : 'DynamoDB';

/** A message for the ways the database is unusable, or undefined for any other error. */
export function describeStoreError(err: unknown, env?: RuntimeEnv): string | undefined {
  const e = err as Error & { code?: string; cause?: { code?: string } };
  if (e?.name === 'StoreUnavailableError') return e.message;
  const code = e?.code ?? e?.cause?.code ?? '';
  const text = `${e?.name} ${e?.message ?? ''} ${code}`;
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET/.test(text))
    return `DynamoDB is not reachable at ${where(env)} (${code || e.name}): ${START_HINT}.`;
  if (e?.name === 'CredentialsProviderError' || /Could not load credentials/.test(text))
    return `no AWS credentials for DynamoDB at ${where(env)}: for AWS, configure credentials (AWS_PROFILE or the AWS_ACCESS_KEY_ID pair); for a local database, ${START_HINT}.`;
  return undefined;
}
