import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { RuntimeEnv } from './env.js';

/** Local emulators accept any credentials; these keep the SDK from looking for real ones. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export function dynamoClientFor(env: RuntimeEnv): DynamoDBClient {
  return new DynamoDBClient({
    region: env.region,
    ...(env.dynamoEndpoint && { endpoint: env.dynamoEndpoint, credentials: LOCAL_CREDENTIALS }),
  });
}

export function sesClientFor(env: RuntimeEnv): SESv2Client {
  return new SESv2Client({
    region: env.region,
    ...(env.sesEndpoint && { endpoint: env.sesEndpoint, credentials: LOCAL_CREDENTIALS }),
  });
}

export function secretsManagerClientFor(env: RuntimeEnv): SecretsManagerClient {
  return new SecretsManagerClient({ region: env.region });
}

/** The AWS clients of one process, built once and shared by every use case wired in it. */
export interface AwsClients {
  readonly db: DynamoDBClient;
  readonly ses: SESv2Client;
  readonly secrets: SecretsManagerClient;
}

/**
 * Builds each client on first use, so a process that never sends mail never builds an SES client.
 * `wrap` is applied to each client once (the handlers pass the X-Ray tracer's, powertools.ts traced).
 */
export function awsClients(env: RuntimeEnv, options: { wrap?: <T>(client: T) => T } = {}): AwsClients {
  const wrap = options.wrap ?? (<T>(client: T) => client);
  let db: DynamoDBClient | undefined;
  let ses: SESv2Client | undefined;
  let secrets: SecretsManagerClient | undefined;
  return {
    get db() {
      return (db ??= wrap(dynamoClientFor(env)));
    },
    get ses() {
      return (ses ??= wrap(sesClientFor(env)));
    },
    get secrets() {
      return (secrets ??= wrap(secretsManagerClientFor(env)));
    },
  };
}
