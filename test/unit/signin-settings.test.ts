import { describe, expect, it } from 'vitest';
import { CALLBACK_SEGMENT, signInSettings } from '../../lambdas/approval/signin/settings.js';
import { makeConfig } from '../helpers/config.js';

/** The example configuration's Entra tenant and app registration (config/example.local.json). */
const TENANT = '11111111-2222-3333-4444-555555555555';
const CLIENT_ID = '66666666-7777-8888-9999-000000000000';
const BASE = new URL('https://review.example.com');

const required = (signIn: Record<string, unknown> = {}, edit: (raw: Record<string, any>) => void = () => undefined) =>
  makeConfig((raw) => {
    raw.approval.signIn = { mode: 'required', ...signIn };
    edit(raw);
  });

describe('signInSettings: approval.signIn with every default resolved', () => {
  it('mode "off": no sign-in (links alone decide)', () => {
    expect(signInSettings(makeConfig(), BASE)).toBeUndefined();
    expect(
      signInSettings(
        makeConfig((raw) => (raw.approval.signIn = { mode: 'off', requireMfa: true })),
        BASE,
      ),
    ).toBe(undefined);
  });

  it('required by default: without an approval.signIn section the entra app registration signs approvers in', () => {
    const config = makeConfig((raw) => delete raw.approval.signIn);
    expect(signInSettings(config, BASE)).toEqual({
      issuer: `https://127.0.0.1:4011/${TENANT}/v2.0`,
      tenantId: TENANT,
      clientId: CLIENT_ID,
      clientSecret: { source: 'env', name: 'GRAPH_CLIENT_SECRET' },
      redirectUri: 'https://review.example.com/signin/callback',
      stepUpMs: 10 * 60_000,
      requireMfa: false,
    });
  });

  it('defaults client id, secret and authority to entra.clientId, entra.clientSecret and entra.authorityHost', () => {
    const config = required({}, (raw) => {
      raw.entra.clientId = 'entra-app';
      raw.entra.clientSecret = { source: 'secretsManager', secretId: 'entra/secret' };
      raw.entra.authorityHost = 'https://login.microsoftonline.com';
    });
    expect(signInSettings(config, BASE)).toMatchObject({
      issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      clientId: 'entra-app',
      clientSecret: { source: 'secretsManager', secretId: 'entra/secret' },
    });
  });

  it('approval.signIn overrides the client id, secret, authority, step-up window and MFA', () => {
    const config = required(
      {
        clientId: 'review-site-app',
        clientSecret: { source: 'secretsManager', secretId: 'review/signin' },
        authorityHost: 'https://login.microsoftonline.us',
        stepUpMinutes: 3,
        requireMfa: true,
      },
      (raw) => (raw.entra.authorityHost = 'https://login.microsoftonline.com'),
    );
    expect(signInSettings(config, BASE)).toEqual({
      issuer: `https://login.microsoftonline.us/${TENANT}/v2.0`,
      tenantId: TENANT,
      clientId: 'review-site-app',
      clientSecret: { source: 'secretsManager', secretId: 'review/signin' },
      redirectUri: 'https://review.example.com/signin/callback',
      stepUpMs: 180_000,
      requireMfa: true,
    });
  });

  it('stepUpMs is stepUpMinutes in milliseconds, at both ends of the allowed range', () => {
    expect(signInSettings(required({ stepUpMinutes: 1 }), BASE)?.stepUpMs).toBe(60_000);
    expect(signInSettings(required({ stepUpMinutes: 60 }), BASE)?.stepUpMs).toBe(3_600_000);
  });

  it('drops trailing slashes of the authority (one or many), keeping its path', () => {
    const issuer = (authorityHost: string) => signInSettings(required({ authorityHost }), BASE)?.issuer;
    expect(issuer('https://login.microsoftonline.com/')).toBe(`https://login.microsoftonline.com/${TENANT}/v2.0`);
    expect(issuer('https://login.microsoftonline.com///')).toBe(`https://login.microsoftonline.com/${TENANT}/v2.0`);
    expect(issuer('http://127.0.0.1:4011/idp/')).toBe(`http://127.0.0.1:4011/idp/${TENANT}/v2.0`);
    expect(issuer('https://idp.example.com/a//b')).toBe(`https://idp.example.com/a//b/${TENANT}/v2.0`);
  });

  it("puts the tenant id in the issuer's path encoded, and keeps it as configured in tenantId", () => {
    const config = required({}, (raw) => (raw.entra.tenantId = 'contoso tenant/x'));
    expect(signInSettings(config, BASE)).toMatchObject({
      issuer: 'https://127.0.0.1:4011/contoso%20tenant%2Fx/v2.0',
      tenantId: 'contoso tenant/x',
    });
  });

  it('the redirect URI is <review base>/signin/callback, under a base path, with or without trailing slashes', () => {
    const redirect = (base: string) => signInSettings(required(), new URL(base))?.redirectUri;
    expect(CALLBACK_SEGMENT).toBe('signin/callback');
    expect(redirect('https://review.example.com')).toBe('https://review.example.com/signin/callback');
    expect(redirect('https://review.example.com/')).toBe('https://review.example.com/signin/callback');
    expect(redirect('https://abc.lambda-url.eu-west-1.on.aws/lifecycle')).toBe(
      'https://abc.lambda-url.eu-west-1.on.aws/lifecycle/signin/callback',
    );
    expect(redirect('https://review.example.com/lifecycle//')).toBe(
      'https://review.example.com/lifecycle/signin/callback',
    );
    expect(redirect('http://127.0.0.1:4010/a/b/')).toBe('http://127.0.0.1:4010/a/b/signin/callback');
  });
});
