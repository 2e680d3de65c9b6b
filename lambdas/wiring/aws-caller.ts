/**
 * Who runs a command, by their AWS credentials: STS GetCallerIdentity. Only against AWS, which is
 * what every command already means by "no LIFECYCLE_DYNAMODB_ENDPOINT" (env.ts, store-check.ts):
 * locally (DynamoDB Local) no STS call is made. The SDK honours AWS_ENDPOINT_URL_STS (or
 * AWS_ENDPOINT_URL) by itself when set, which is how the tests reach a loopback STS.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCaller } from '../domain/ballot.js';
import type { RuntimeEnv } from './env.js';

/** Whether a command runs against AWS: there is no DynamoDB endpoint override (DynamoDB Local). */
export const againstAws = (env: RuntimeEnv): boolean => env.dynamoEndpoint === undefined;

/** GetCallerIdentity failed (no credentials, an expired token, STS unreachable); the message says what and the fix. */
export class AwsCallerError extends Error {
  override readonly name = 'AwsCallerError';
}

export function stsClientFor(env: RuntimeEnv): STSClient {
  return new STSClient({ region: env.region });
}

/**
 * The caller's identity against AWS (one GetCallerIdentity call), undefined locally. Throws
 * AwsCallerError when AWS cannot say who the caller is. Its message carries the error's name and
 * AWS's own text (which names no key), never a credential.
 */
export async function awsCallerOf(env: RuntimeEnv, sts?: Pick<STSClient, 'send'>): Promise<AwsCaller | undefined> {
  if (!againstAws(env)) return undefined;
  const own = sts ? undefined : stsClientFor(env);
  const client = sts ?? own!;
  try {
    const out = await client.send(new GetCallerIdentityCommand({}));
    if (!out.Arn || !out.Account || !out.UserId)
      throw new AwsCallerError(`STS GetCallerIdentity in ${env.region} answered without an Arn, Account and UserId.`);
    return { arn: out.Arn, account: out.Account, userId: out.UserId };
  } catch (err) {
    if (err instanceof AwsCallerError) throw err;
    throw new AwsCallerError(`STS GetCallerIdentity in ${env.region} failed (${reasonOf(err)})`, { cause: err });
  } finally {
    own?.destroy();
  }
}

/** An access key id, in case a message quotes one. */
const KEY_ID = /\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b/g;

function reasonOf(err: unknown): string {
  const e = err as Error & { Code?: string; code?: string };
  const name = e?.name && e.name !== 'Error' ? e.name : (e?.Code ?? e?.code ?? 'Error');
  const message = String(e?.message ?? err)
    .replace(KEY_ID, '<access key id>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
  return message && message !== name ? `${name}: ${message}` : name;
}
