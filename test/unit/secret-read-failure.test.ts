import { describe, expect, it } from 'vitest';
import { resolveSetting, secretReadFailureMessage, secretsManagerSecretResolver } from '../../lambdas/shared/index.js';

const ref = { source: 'secretsManager', secretId: 'lifecycle/atlassian-api-key' } as const;
const failing = (name: string, code?: string) => () =>
  Promise.reject(Object.assign(new Error(`sdk said something with key=hunter2`), { name, ...(code && { code }) }));

describe('a Secrets Manager read that fails', () => {
  it('says no AWS credentials were found, naming the setting and the secret', async () => {
    const resolver = secretsManagerSecretResolver(failing('CredentialsProviderError'));
    const err = (await resolveSetting(resolver, ref, 'atlassian.apiKey').catch((e: unknown) => e)) as Error;
    expect(err.name).toBe('SecretResolutionError');
    expect(err.message).toMatch(
      /^atlassian\.apiKey: Cannot read Secrets Manager secret lifecycle\/atlassian-api-key \(CredentialsProviderError\): no AWS credentials were found/,
    );
    expect(err.message).toContain('AWS_PROFILE');
    expect(err.message).not.toContain('Entra');
    expect(err.message).not.toContain('hunter2');
  });

  it.each([
    ['ExpiredTokenException', undefined, 'expired or not valid'],
    ['AccessDeniedException', undefined, 'secretsmanager:GetSecretValue'],
    ['ResourceNotFoundException', undefined, 'no such secret'],
    ['Error', 'ECONNREFUSED', '(ECONNREFUSED): Secrets Manager could not be reached'],
    ['SomethingElse', undefined, '(SomethingElse)'],
  ])('%s %s reads as "%s"', (name, code, words) => {
    expect(
      secretReadFailureMessage(ref, Object.assign(new Error('x'), { name, code }), 'entra.clientSecret'),
    ).toContain(words);
  });
});
