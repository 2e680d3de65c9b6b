import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  createEntraDirectoryFromConfig,
  EntraLicenseError,
  DirectoryScope,
  EntraAuthError,
  EntraSecretError,
} from '../../lambdas/entra/index.js';
import {
  envSecretResolver,
  resolveSetting,
  SecretResolutionError,
  secretsManagerSecretResolver,
} from '../../lambdas/shared/index.js';
import { authError } from '../../lambdas/entra/credential.js';
import { Redactor } from '../../lambdas/entra/redact.js';
import { syntheticOrg } from '../sim/org/index.js';
import { makeConfig } from '../helpers/config.js';
import { FAKE_GRAPH_URL, inMemoryGraph } from '../helpers/graph.js';

const SECRET = 'Zq8~abc+def/ghi=jkl mno&pqr';

describe('secret resolvers', () => {
  it('reads an environment reference, and names the variable (not a value) when it is missing', async () => {
    await expect(
      envSecretResolver({ GRAPH_CLIENT_SECRET: ` ${SECRET} ` }).resolve({ source: 'env', name: 'GRAPH_CLIENT_SECRET' }),
    ).resolves.toBe(SECRET);
    const error = await envSecretResolver({})
      .resolve({ source: 'env', name: 'GRAPH_CLIENT_SECRET' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretResolutionError);
    expect((error as Error).message).toMatch(/environment variable GRAPH_CLIENT_SECRET is not set/);
  });

  it('reads a Secrets Manager reference as a plain value or as JSON with clientSecret', async () => {
    const values: Record<string, string> = { plain: SECRET, json: JSON.stringify({ clientSecret: SECRET }) };
    const resolver = secretsManagerSecretResolver(async (id) => ({ SecretString: values[id] }));
    await expect(resolver.resolve({ source: 'secretsManager', secretId: 'plain' })).resolves.toBe(SECRET);
    await expect(resolver.resolve({ source: 'secretsManager', secretId: 'json' })).resolves.toBe(SECRET);
  });

  it('turns a Secrets Manager failure into an error naming the secret id and the IAM action', async () => {
    const resolver = secretsManagerSecretResolver(async () => {
      throw Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' });
    });
    const error = await resolver.resolve({ source: 'secretsManager', secretId: 'prod/graph' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretResolutionError);
    expect((error as Error).message).toMatch(
      /Secrets Manager secret prod\/graph \(AccessDeniedException\).*secretsmanager:GetSecretValue/,
    );
  });
});

describe('keeping the secret out of errors', () => {
  it('redacts the secret in raw, URL-encoded and form-encoded spellings', () => {
    const r = new Redactor([SECRET]);
    const text = `a ${SECRET} b ${encodeURIComponent(SECRET)} c ${new URLSearchParams({ client_secret: SECRET }).toString()}`;
    expect(r.leaks(text)).toBe(true);
    expect(r.leaks(r.text(text))).toBe(false);
    expect(r.text(text)).toBe('a [redacted] b [redacted] c client_secret=[redacted]');
  });

  it('translates an identity error that echoes the request body into an EntraAuthError without the secret', () => {
    const vendor = Object.assign(new Error(`invalid_client: body client_secret=${encodeURIComponent(SECRET)}`), {
      statusCode: 401,
      errorResponse: {
        error: 'invalid_client',
        errorDescription: `AADSTS7000215: Invalid client secret provided (got ${SECRET}).`,
      },
      request: { body: `client_secret=${encodeURIComponent(SECRET)}` },
    });
    const error = authError(
      vendor,
      {
        tenantId: 't',
        clientId: 'c',
        clientSecretSource: 'environment variable GRAPH_CLIENT_SECRET',
        authorityHost: 'https://login.microsoftonline.com',
      },
      new Redactor([SECRET]),
    );
    expect(error).toBeInstanceOf(EntraAuthError);
    expect(error).toMatchObject({ status: 401, code: 'invalid_client' });
    expect(error.message).toMatch(/AADSTS7000215.*environment variable GRAPH_CLIENT_SECRET/);
    const printed = `${inspect(error, { depth: 10 })} ${JSON.stringify(error.cause)}`;
    expect(new Redactor([SECRET]).leaks(printed)).toBe(false);
  });
});

describe('createEntraDirectoryFromConfig', () => {
  const org = syntheticOrg({ size: 300, seed: 5 });
  const config = (leavers: boolean) =>
    makeConfig((raw) => {
      raw.entra.graphBaseUrl = FAKE_GRAPH_URL;
      raw.entra.authorityHost = FAKE_GRAPH_URL;
      raw.deactivation.deactivateEntraDisabled = leavers;
      raw.deactivation.deactivateEntraDeleted = leavers;
    });

  it('resolves the secret through the injected resolver and reads every Entra user when leavers are deactivated', async () => {
    const graph = inMemoryGraph({ org });
    const directory = await createEntraDirectoryFromConfig(config(true), {
      secrets: envSecretResolver({ GRAPH_CLIENT_SECRET: graph.core.clientSecret }),
      fetch: graph.fetch,
      tokenSource: graph.tokenSource,
    });
    const m = await directory.readMembership();
    expect(m.scope).toBe(DirectoryScope.ALL_USERS);
    expect(m.size).toBe(graph.core.model.users.size);
    expect(inspect(directory)).not.toContain(graph.core.clientSecret);
  });

  it('reads group members only when leavers are not deactivated', async () => {
    const graph = inMemoryGraph({ org });
    const directory = await createEntraDirectoryFromConfig(config(false), {
      secrets: envSecretResolver({ GRAPH_CLIENT_SECRET: 'x' }),
      fetch: graph.fetch,
      tokenSource: graph.tokenSource,
    });
    expect((await directory.readMembership()).scope).toBe(DirectoryScope.GROUP_MEMBERS);
  });

  it.each([
    ['disabled', true, false],
    ['deleted', false, true],
  ])('reads every Entra user when only the %s switch is on', async (_what, disabled, deleted) => {
    const graph = inMemoryGraph({ org });
    const one = makeConfig((raw) => {
      raw.entra.graphBaseUrl = FAKE_GRAPH_URL;
      raw.entra.authorityHost = FAKE_GRAPH_URL;
      raw.deactivation.deactivateEntraDisabled = disabled;
      raw.deactivation.deactivateEntraDeleted = deleted;
    });
    const directory = await createEntraDirectoryFromConfig(one, {
      secrets: envSecretResolver({ GRAPH_CLIENT_SECRET: 'x' }),
      fetch: graph.fetch,
      tokenSource: graph.tokenSource,
    });
    expect((await directory.readMembership()).scope).toBe(DirectoryScope.ALL_USERS);
  });

  it('refuses the group-members scope together with the leaver switches', async () => {
    await expect(
      createEntraDirectoryFromConfig(config(true), {
        secrets: envSecretResolver({ GRAPH_CLIENT_SECRET: 'x' }),
        scope: DirectoryScope.GROUP_MEMBERS,
      }),
    ).rejects.toThrow(/would read as gone from Entra/);
  });

  it('degrades without sign-in dates only when entra.signInActivityFallback allows it', async () => {
    const withSignIn = (fallback: boolean) =>
      makeConfig((raw) => {
        raw.entra.graphBaseUrl = FAKE_GRAPH_URL;
        raw.entra.authorityHost = FAKE_GRAPH_URL;
        raw.entra.readSignInActivity = true;
        raw.entra.signInActivityFallback = fallback;
      });
    const graph = inMemoryGraph({ org, premium: false });
    const deps = {
      secrets: envSecretResolver({ GRAPH_CLIENT_SECRET: 'x' }),
      fetch: graph.fetch,
      tokenSource: graph.tokenSource,
    };
    const refused = await (
      await createEntraDirectoryFromConfig(withSignIn(false), deps)
    )
      .readMembership()
      .catch((e) => e);
    expect(refused).toBeInstanceOf(EntraLicenseError);
    const degraded = await (await createEntraDirectoryFromConfig(withSignIn(true), deps)).readMembership();
    expect(degraded.signInActivity).toMatchObject({ state: 'unavailable' });
    expect(degraded.size).toBe(graph.core.model.users.size);
  });

  it('fails before any request when the secret cannot be resolved', async () => {
    await expect(
      createEntraDirectoryFromConfig(config(true), { secrets: envSecretResolver({}) }),
    ).rejects.toBeInstanceOf(EntraSecretError);
  });
});

describe('resolveSetting', () => {
  it('names the configuration setting whose secret failed, not only the variable', async () => {
    const error = await resolveSetting(
      envSecretResolver({}),
      { source: 'env', name: 'ATLASSIAN_API_KEY' },
      'atlassian.apiKey',
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretResolutionError);
    expect(error).toMatchObject({ setting: 'atlassian.apiKey' });
    expect((error as Error).message).toMatch(/^atlassian\.apiKey: .*environment variable ATLASSIAN_API_KEY is not set/);
  });
});
