import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { envSecretResolver, secretsManagerSecretResolver, type SecretResolver } from '../shared/secrets.js';

/** The SecretResolver for Lambda: Secrets Manager references through the SDK, env references from process.env. */
export function awsSecretResolver(
  client: SecretsManagerClient,
  env: Readonly<Record<string, string | undefined>> = process.env,
): SecretResolver {
  return secretsManagerSecretResolver(
    (secretId) => client.send(new GetSecretValueCommand({ SecretId: secretId })),
    envSecretResolver(env),
  );
}
