/**
 * What a failed Secrets Manager read means, in words a person can act on. One function, so every
 * way of reading a secret (the SDK resolver, a Powertools parameters provider) says the same.
 * Only the error's name and code are used: an SDK message never reaches the text.
 */
import type { SecretRef } from '../config/index.js';

type SecretsManagerRef = Extract<SecretRef, { source: 'secretsManager' }>;

const NO_CREDENTIALS = new Set(['CredentialsProviderError', 'ProviderError', 'TokenProviderError']);
const BAD_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'ExpiredToken',
]);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'TimeoutError']);

function codeOf(error: unknown): string {
  const e = error as { name?: unknown; code?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const name = typeof e?.name === 'string' ? e.name : 'Error';
  return code && UNREACHABLE.has(code) ? code : name;
}

/**
 * The sentence for a Secrets Manager read that failed with `error` (its name, or a network code),
 * naming the secret and, when given, the setting that points at it.
 */
export function secretReadFailureMessage(ref: SecretsManagerRef, error: unknown, setting?: string): string {
  const code = codeOf(error);
  const what = `Secrets Manager secret ${ref.secretId}${setting ? ` (${setting})` : ''}`;
  const local = ` For a local run, point ${setting ?? 'the setting'} at an environment variable instead: {"source":"env","name":"VAR"}.`;
  if (NO_CREDENTIALS.has(code))
    return `Cannot read ${what} (${code}): no AWS credentials were found. Set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where a role provides them (Lambda).${local}`;
  if (BAD_CREDENTIALS.has(code))
    return `Cannot read ${what} (${code}): AWS refused the credentials, they are expired or not valid. Refresh them (aws sso login, or new keys) and run again.${local}`;
  if (UNREACHABLE.has(code))
    return `Cannot read ${what} (${code}): Secrets Manager could not be reached. Check the network and AWS_REGION.`;
  if (code === 'ResourceNotFoundException')
    return `Cannot read ${what} (${code}): no such secret in this account and region. Check the secret id and AWS_REGION.`;
  if (code === 'AccessDeniedException')
    return `Cannot read ${what} (${code}): access denied. Allow secretsmanager:GetSecretValue on it (and kms:Decrypt on its key) for the role that runs this.`;
  return `Cannot read ${what} (${code}). Check the secret id and that the role that runs this may call secretsmanager:GetSecretValue on it.`;
}
