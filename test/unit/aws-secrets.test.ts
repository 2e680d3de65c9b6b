/**
 * Secrets Manager reads through Powertools Parameters (lambdas/wiring/aws-secrets.ts): a real SDK
 * client whose requests are answered by a middleware at the front of its stack (no socket).
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { awsSecretResolver } from '../../lambdas/wiring/aws-secrets.js';

function clientAnswering(answer: (secretId: string) => unknown) {
  const client = new SecretsManagerClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  const asked: string[] = [];
  client.middlewareStack.add(
    () => async (args) => {
      const id = (args.input as { SecretId: string }).SecretId;
      asked.push(id);
      return { output: answer(id) as never, response: {} };
    },
    { step: 'initialize', name: 'answerHere' },
  );
  return { client, asked };
}

describe('awsSecretResolver', () => {
  it('reads a secret once and serves it from the cache afterwards', async () => {
    const { client, asked } = clientAnswering(() => ({ SecretString: '{"clientSecret":"s3cr3t"}', $metadata: {} }));
    const secrets = awsSecretResolver(client, {});
    const ref = { source: 'secretsManager', secretId: 'atlassian-lifecycle/graph-client-secret' } as const;
    expect(await secrets.resolve(ref)).toBe('s3cr3t');
    expect(await secrets.resolve(ref)).toBe('s3cr3t');
    expect(asked).toEqual(['atlassian-lifecycle/graph-client-secret']);
  });

  it("names AWS's own error, not the Powertools wrapper, and never the value", async () => {
    const { client } = clientAnswering(() => {
      throw Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' });
    });
    const failure = awsSecretResolver(client, {}).resolve({ source: 'secretsManager', secretId: 'key-id' });
    await expect(failure).rejects.toThrow(/Secrets Manager secret key-id \(AccessDeniedException\).*GetSecretValue/);
  });

  it('reads env references from the given environment', async () => {
    const { client, asked } = clientAnswering(() => ({}));
    expect(await awsSecretResolver(client, { KEY: ' k ' }).resolve({ source: 'env', name: 'KEY' })).toBe('k');
    expect(asked).toEqual([]);
  });
});
