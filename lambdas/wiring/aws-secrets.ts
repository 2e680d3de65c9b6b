import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { envSecretResolver, secretsManagerSecretResolver, type SecretResolver } from '../shared/secrets.js';

/**
 * How long a secret read from Secrets Manager is reused before it is read again: a warm container
 * picks up a rotated secret within this time and does not pay a read ($0.05 per 10,000) per invocation.
 */
export const SECRET_CACHE_SECONDS = 300;

/**
 * The SecretResolver for Lambda: Secrets Manager references through Powertools Parameters (the
 * given client, values cached for SECRET_CACHE_SECONDS), env references from process.env. A failed
 * read reports the AWS error itself (AccessDeniedException, ResourceNotFoundException), not
 * Powertools' wrapper, so the message says what to fix.
 */
export function awsSecretResolver(
  client: SecretsManagerClient,
  env: Readonly<Record<string, string | undefined>> = process.env,
): SecretResolver {
  const provider = new SecretsProvider({ awsSdkV3Client: client });
  return secretsManagerSecretResolver(async (secretId) => {
    try {
      const value = await provider.get(secretId, { maxAge: SECRET_CACHE_SECONDS });
      return { SecretString: typeof value === 'string' ? value : undefined };
    } catch (error) {
      throw (error as { cause?: unknown }).cause ?? error;
    }
  }, envSecretResolver(env));
}
