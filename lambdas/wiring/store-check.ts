/**
 * Checks that the three DynamoDB tables answer before anything reads Atlassian or Graph, so a store
 * that is down, a missing credential or a mistyped table prefix is said in DynamoDB's terms (the
 * endpoint, the variable, the table, what to set) instead of surfacing as a raw SDK error after
 * minutes of API reads. The plan's wiring and the command line call it.
 */
import { DescribeTableCommand, ListTablesCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TableNames } from '../store/tables.js';
import type { RuntimeEnv } from './env.js';

/** The store cannot be used; the message names DynamoDB, the endpoint or table, and what to set. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(
    message: string,
    /** The AWS error name or network code behind it. */
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const NO_CREDENTIALS = new Set(['CredentialsProviderError', 'ProviderError', 'TokenProviderError']);
const BAD_CREDENTIALS = new Set(['UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException']);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH']);
const VARIABLE: Record<keyof TableNames, string> = {
  state: 'LIFECYCLE_TABLE_STATE',
  audit: 'LIFECYCLE_TABLE_AUDIT',
  seats: 'LIFECYCLE_TABLE_SEATS',
};
const LOCAL_HINT =
  'For local use, `lifecycle local up` starts DynamoDB Local with the tables and prints the variables to set.';

/** The network code or AWS error name of an SDK failure (the network code is on the cause). */
export function errorCode(error: unknown): string {
  for (
    let e = error as { name?: unknown; code?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    depth++
  ) {
    if (typeof e.code === 'string' && UNREACHABLE.has(e.code)) return e.code;
    e = e.cause as typeof e;
  }
  const name = (error as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : 'Error';
}

function where(env: RuntimeEnv): string {
  return env.dynamoEndpoint
    ? `DynamoDB at ${env.dynamoEndpoint} (LIFECYCLE_DYNAMODB_ENDPOINT)`
    : `DynamoDB in ${env.region} (AWS_REGION; LIFECYCLE_DYNAMODB_ENDPOINT is not set)`;
}

/** The message for a failed table check; undefined when the failure says nothing certain about the store. */
export function storeProblem(
  env: RuntimeEnv,
  table: keyof TableNames,
  code: string,
  existing: readonly string[] = [],
): string | undefined {
  const name = env.tables[table];
  if (NO_CREDENTIALS.has(code))
    return (
      `${where(env)}: no AWS credentials were found (${code}). Set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY` +
      `${env.dynamoEndpoint ? '' : ', or set LIFECYCLE_DYNAMODB_ENDPOINT to a DynamoDB Local'}. ${LOCAL_HINT}`
    );
  if (BAD_CREDENTIALS.has(code))
    return `${where(env)} refused the AWS credentials (${code}): they are expired or not valid. Refresh them and run again.`;
  if (UNREACHABLE.has(code) || code === 'TimeoutError' || code === 'AbortError')
    return `${where(env)} could not be reached (${code}). Start it or fix LIFECYCLE_DYNAMODB_ENDPOINT. ${LOCAL_HINT}`;
  if (code === 'ResourceNotFoundException') {
    const like = existing.filter((t) => t.toLowerCase().endsWith(name.slice(name.lastIndexOf('-')).toLowerCase()));
    return (
      `${where(env)} has no table "${name}" (the ${table} table: ${VARIABLE[table]}, or LIFECYCLE_TABLE_PREFIX + "-${name.slice(name.lastIndexOf('-') + 1)}"). ` +
      `${like.length > 0 ? `Tables there that could be meant: ${like.slice(0, 5).join(', ')}. ` : ''}` +
      `Fix LIFECYCLE_TABLE_PREFIX or ${VARIABLE[table]} (on AWS: the stack's table names). ${LOCAL_HINT}`
    );
  }
  // Anything else (access denied to DescribeTable, throttling) says nothing certain about the store:
  // the real calls will report it if it matters.
  return undefined;
}

async function tableNames(db: DynamoDBClient, signal: AbortSignal): Promise<string[]> {
  try {
    return (await db.send(new ListTablesCommand({ Limit: 100 }), { abortSignal: signal })).TableNames ?? [];
  } catch {
    return [];
  }
}

/**
 * Describes the state, audit and seats tables; throws StoreUnavailableError naming DynamoDB, the
 * endpoint, the variable and the table when one cannot be used. @param timeoutMs @default 10000
 */
export async function checkStore(db: DynamoDBClient, env: RuntimeEnv, timeoutMs = 10_000): Promise<void> {
  const signal = AbortSignal.timeout(timeoutMs);
  for (const table of Object.keys(VARIABLE) as (keyof TableNames)[]) {
    try {
      await db.send(new DescribeTableCommand({ TableName: env.tables[table] }), { abortSignal: signal });
    } catch (error) {
      const code = errorCode(error);
      const existing = code === 'ResourceNotFoundException' ? await tableNames(db, signal) : [];
      const message = storeProblem(env, table, code, existing);
      if (message) throw new StoreUnavailableError(message, code, { cause: error });
    }
  }
}
