import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as client from 'openid-client';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../local/guarded-process.js';
import {
  signInWithoutBrowser,
  startLocalOidc,
  startLocalOidcProcess,
  type LocalOidc,
  type LocalOidcUser,
} from '../../local/oidc/index.js';
import { CHROMIUM, CHROMIUM_ARGS, haveChromium as detectChromium } from '../helpers/chromium.js';

const ALICE: LocalOidcUser = {
  oid: '0b6f3c1e-5d1a-4a52-9c1e-3f0d8a7b2c41',
  email: 'alice@example.com',
  preferredUsername: 'alice@example.com',
  name: 'Alice Approver',
  password: 'correct horse',
  mfa: true,
};
const BOB: LocalOidcUser = {
  oid: '7d2e9a40-1c3b-4e6f-8a9d-0b1c2d3e4f50',
  email: 'bob@example.com',
  preferredUsername: 'bob.b@5c1d7e2a-8f3b-4a9c-b6d0-e4f2a1c3b5d7',
  name: 'Bob Builder',
  password: 'battery staple',
};
const SITE = { clientId: 'review-site', clientSecret: 'site-secret-1' };
const OTHER = { clientId: 'other-app', clientSecret: 'other-secret-2' };
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const haveChromium = detectChromium();
const ARGS = CHROMIUM_ARGS;

/** The relying party's redirect target: a tiny loopback page, so a browser has somewhere to land. */
async function startCallbackPage(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>callback</title><h1 id="landed">back at the relying party</h1>`);
    void req;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/auth/callback`, server };
}

async function relyingParty(
  op: LocalOidc,
  who: { clientId: string; clientSecret: string },
  options: { auth?: client.ClientAuth; metadata?: Partial<client.ClientMetadata>; fetch?: client.CustomFetch } = {},
): Promise<client.Configuration> {
  return client.discovery(
    new URL(op.issuer),
    who.clientId,
    { client_secret: who.clientSecret, ...options.metadata },
    options.auth ?? client.ClientSecretPost(who.clientSecret),
    {
      execute: [client.allowInsecureRequests],
      ...(options.fetch ? { [client.customFetch]: options.fetch } : {}),
    },
  );
}

interface Started {
  url: URL;
  verifier: string;
  nonce: string;
  state: string;
}

async function begin(config: client.Configuration, redirectUri: string, extra: Record<string, string> = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
    state,
    ...extra,
  });
  return { url, verifier, nonce, state } satisfies Started;
}

function finish(config: client.Configuration, s: Started, back: string, verifier = s.verifier) {
  return client.authorizationCodeGrant(config, new URL(back), {
    pkceCodeVerifier: verifier,
    expectedNonce: s.nonce,
    expectedState: s.state,
    idTokenExpected: true,
  });
}

function jwtHeader(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString('utf8'));
}

/** The messages of an error and its causes: openid-client wraps the specific check that failed in `cause`. */
async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    const messages: string[] = [];
    for (let c: unknown = e; c instanceof Error; c = c.cause) messages.push(c.message);
    return messages.join(' <- ');
  }
  return 'no error';
}

/** The OAuth error a rejected promise carries (openid-client throws ResponseBodyError for token endpoint errors). */
async function oauthError(p: Promise<unknown>): Promise<{ error: string; description: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof client.ResponseBodyError) return { error: e.error, description: e.error_description ?? '' };
    return { error: 'not-a-response-body-error', description: e instanceof Error ? e.message : String(e) };
  }
  return { error: 'no-error', description: '' };
}

describe('local OpenID Provider laid out like an Entra ID tenant (oidc-provider + openid-client on loopback)', () => {
  let callback: { url: string; server: Server };
  let op: LocalOidc;
  let site: client.Configuration;

  beforeAll(async () => {
    callback = await startCallbackPage();
    op = await startLocalOidc({
      clients: [
        { ...SITE, redirectUris: [callback.url] },
        { ...OTHER, redirectUris: [callback.url] },
      ],
      users: [ALICE, BOB],
    });
    site = await relyingParty(op, SITE);
  });
  afterAll(async () => {
    await op?.stop();
    await new Promise((r) => callback?.server.close(r));
  });

  it('serves discovery under the issuer with Entra v2.0 paths, code flow only, PKCE S256, RS256', async () => {
    const { url, tenant, issuer } = op;
    expect(tenant).toMatch(GUID);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(issuer).toBe(`${url}/${tenant}/v2.0`);
    const res = await fetch(`${issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const d = (await res.json()) as Record<string, any>;
    expect(d.issuer).toBe(issuer);
    expect(d.authorization_endpoint).toBe(`${url}/${tenant}/oauth2/v2.0/authorize`);
    expect(d.token_endpoint).toBe(`${url}/${tenant}/oauth2/v2.0/token`);
    expect(d.jwks_uri).toBe(`${url}/${tenant}/discovery/v2.0/keys`);
    expect(d.end_session_endpoint).toBe(`${url}/${tenant}/oauth2/v2.0/logout`);
    expect(d.response_types_supported).toEqual(['code']);
    expect(d.grant_types_supported).toEqual(['authorization_code']);
    expect(d.code_challenge_methods_supported).toEqual(['S256']);
    expect([...d.token_endpoint_auth_methods_supported].sort()).toEqual(['client_secret_basic', 'client_secret_post']);
    expect(d.id_token_signing_alg_values_supported).toEqual(['RS256']);
    expect(d.scopes_supported).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));
    expect(d.claims_supported).toEqual(
      expect.arrayContaining(['sub', 'oid', 'tid', 'ver', 'amr', 'email', 'name', 'preferred_username']),
    );

    const jwks = (await (await fetch(d.jwks_uri)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(typeof jwks.keys[0]!.kid).toBe('string');
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(jwks.keys[0]).not.toHaveProperty(secret);

    // Entra has no discovery at the root, and nothing outside the tenant's paths.
    expect((await fetch(`${url}/.well-known/openid-configuration`)).status).toBe(404);
    expect((await fetch(`${url}/other-tenant/v2.0/.well-known/openid-configuration`)).status).toBe(404);
  });

  it('code flow with PKCE and nonce: the ID token validates in openid-client and carries Entra v2.0 claims', async () => {
    const s = await begin(site, callback.url);
    const back = await signInWithoutBrowser(s.url, { login: ALICE.email, password: ALICE.password });
    const returned = new URL(back);
    expect(`${returned.origin}${returned.pathname}`).toBe(callback.url);
    expect(returned.searchParams.get('state')).toBe(s.state);
    expect(returned.searchParams.get('code')).toMatch(/^[\w-]{20,}$/);

    const tokens = await finish(site, s, back);
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({
      iss: op.issuer,
      aud: SITE.clientId,
      oid: ALICE.oid,
      tid: op.tenant,
      ver: '2.0',
      email: ALICE.email,
      preferred_username: ALICE.preferredUsername,
      name: ALICE.name,
      nonce: s.nonce,
      amr: ['pwd', 'mfa'],
    });
    expect(claims.sub).toMatch(/^[\w-]{20,}$/);
    expect(claims.sub).not.toBe(ALICE.oid);
    expect(claims.exp - claims.iat).toBe(3600);
    const header = jwtHeader(tokens.id_token!);
    const jwks = (await (await fetch(`${op.url}/${op.tenant}/discovery/v2.0/keys`)).json()) as { keys: any[] };
    expect(header).toMatchObject({ alg: 'RS256', kid: jwks.keys[0].kid });
  });

  it('client_secret_basic works too; a user without MFA gets amr ["pwd"]; the UPN signs in as well as the email', async () => {
    const basic = await relyingParty(op, SITE, { auth: client.ClientSecretBasic(SITE.clientSecret) });
    const s = await begin(basic, callback.url);
    const back = await signInWithoutBrowser(s.url, { login: BOB.preferredUsername, password: BOB.password });
    const claims = (await finish(basic, s, back)).claims()!;
    expect(claims.oid).toBe(BOB.oid);
    expect(claims.email).toBe(BOB.email);
    expect(claims.preferred_username).toBe(BOB.preferredUsername);
    expect(claims.amr).toEqual(['pwd']);
    expect(claims.amr).not.toContain('mfa');
  });

  it('the same user gets the same sub and oid in a second sign-in', async () => {
    const subs: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      const s = await begin(site, callback.url);
      const back = await signInWithoutBrowser(s.url, { login: BOB.email, password: BOB.password });
      subs.push((await finish(site, s, back)).claims()!.sub);
    }
    expect(subs[0]).toBe(subs[1]);
  });

  it('prompt=consent is granted at once (no consent page), and max_age puts auth_time in the ID token', async () => {
    const s = await begin(site, callback.url, { prompt: 'consent', max_age: '300' });
    const back = await signInWithoutBrowser(s.url, { login: BOB.email, password: BOB.password });
    expect(new URL(back).searchParams.get('code')).toMatch(/^[\w-]{20,}$/);
    const claims = (await client.authorizationCodeGrant(site, new URL(back), {
      pkceCodeVerifier: s.verifier,
      expectedNonce: s.nonce,
      expectedState: s.state,
      maxAge: 300,
      idTokenExpected: true,
    }))!.claims()!;
    expect(claims.oid).toBe(BOB.oid);
    expect(typeof claims.auth_time).toBe('number');
    expect(Math.abs(claims.auth_time! - Date.now() / 1000)).toBeLessThan(30);
  });

  it('a wrong password or an unknown user shows the form again with an error and issues no code', async () => {
    const s = await begin(site, callback.url);
    await expect(signInWithoutBrowser(s.url, { login: ALICE.email, password: 'wrong' })).rejects.toThrow(
      /refused the sign-in: Your account or password is incorrect/,
    );
    await expect(
      signInWithoutBrowser(s.url, { login: 'mallory@example.com', password: ALICE.password }),
    ).rejects.toThrow(/refused the sign-in/);
  });

  it('a replayed authorization code is refused by the token endpoint', async () => {
    const s = await begin(site, callback.url);
    const back = await signInWithoutBrowser(s.url, { login: ALICE.email, password: ALICE.password });
    expect((await finish(site, s, back)).claims()!.oid).toBe(ALICE.oid);
    const replay = await oauthError(finish(site, s, back));
    expect(replay.error).toBe('invalid_grant');
  });

  it('a code redeemed with the wrong PKCE verifier is refused', async () => {
    const s = await begin(site, callback.url);
    const back = await signInWithoutBrowser(s.url, { login: ALICE.email, password: ALICE.password });
    const wrong = await oauthError(finish(site, s, back, client.randomPKCECodeVerifier()));
    expect(wrong.error).toBe('invalid_grant');
    expect(wrong.description).toBe('grant request is invalid'); // oidc-provider does not say which check failed
  });

  it('an authorization request without PKCE, or with the plain method, is sent back with an error', async () => {
    const noPkce = new URL(`${op.url}/${op.tenant}/oauth2/v2.0/authorize`);
    noPkce.search = new URLSearchParams({
      client_id: SITE.clientId,
      redirect_uri: callback.url,
      response_type: 'code',
      scope: 'openid email profile',
      state: 's1',
      nonce: 'n1',
    }).toString();
    const back = new URL(await signInWithoutBrowser(noPkce, { login: ALICE.email, password: ALICE.password }));
    expect(`${back.origin}${back.pathname}`).toBe(callback.url);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('code')).toBeNull();

    const plain = new URL(noPkce);
    plain.searchParams.set('code_challenge', client.randomPKCECodeVerifier());
    plain.searchParams.set('code_challenge_method', 'plain');
    const back2 = new URL(await signInWithoutBrowser(plain, { login: ALICE.email, password: ALICE.password }));
    expect(back2.searchParams.get('error')).toBe('invalid_request');
    expect(back2.searchParams.get('code')).toBeNull();
  });

  it('an unregistered redirect_uri is refused at the provider (no redirect to it)', async () => {
    const s = await begin(site, 'http://127.0.0.1:9/evil/callback');
    await expect(signInWithoutBrowser(s.url, { login: ALICE.email, password: ALICE.password })).rejects.toThrow(
      /400 .*redirect_uri did not match any of the client's registered redirect_uris/,
    );
  });

  it('addRedirectUri registers a redirect URI after start', async () => {
    const later = `${callback.url.replace('/auth/callback', '')}/later/callback`;
    const before = await begin(site, later);
    await expect(signInWithoutBrowser(before.url, { login: BOB.email, password: BOB.password })).rejects.toThrow(
      /redirect_uri did not match/,
    );
    op.addRedirectUri!(SITE.clientId, later);
    const s = await begin(site, later);
    const back = await signInWithoutBrowser(s.url, { login: BOB.email, password: BOB.password });
    expect(back.startsWith(`${later}?`)).toBe(true);
    expect((await finish(site, s, back)).claims()!.oid).toBe(BOB.oid);
  });

  it("another client's code is refused, and an ID token minted for another client does not validate", async () => {
    const other = await relyingParty(op, OTHER);
    const s = await begin(other, callback.url);
    const back = await signInWithoutBrowser(s.url, { login: ALICE.email, password: ALICE.password });
    // The review site redeeming the other app's code: the provider refuses.
    const stolen = await oauthError(finish(site, s, back));
    expect(stolen.error).toBe('invalid_grant');

    // A token response minted for the other app (its credentials slipped in on the way) reaching the review
    // site's relying party: the ID token's aud is other-app, so openid-client refuses it.
    const s2 = await begin(other, callback.url);
    const back2 = await signInWithoutBrowser(s2.url, { login: ALICE.email, password: ALICE.password });
    let swapped = 0;
    const swapping = await relyingParty(op, SITE, {
      fetch: (url, options) => {
        if (url.endsWith('/oauth2/v2.0/token')) {
          const body = new URLSearchParams(String(options.body));
          body.set('client_id', OTHER.clientId);
          body.set('client_secret', OTHER.clientSecret);
          swapped++;
          return fetch(url, { ...options, body: body.toString() });
        }
        return fetch(url, options as RequestInit);
      },
    });
    expect(await failure(finish(swapping, s2, back2))).toMatch(/unexpected JWT "aud" \(audience\) claim value/);
    expect(swapped).toBe(1);
  });

  it('honours the ID token lifetime: exp - iat = idTokenTtlSeconds, refused once past it', async () => {
    const short = await startLocalOidc({
      tenant: '5c1d7e2a-8f3b-4a9c-b6d0-e4f2a1c3b5d7',
      clients: [{ ...SITE, redirectUris: [callback.url] }],
      users: [ALICE],
      idTokenTtlSeconds: 60,
    });
    try {
      expect(short.issuer).toBe(`${short.url}/5c1d7e2a-8f3b-4a9c-b6d0-e4f2a1c3b5d7/v2.0`);
      const now = await relyingParty(short, SITE);
      const s = await begin(now, callback.url);
      const claims = (await finish(now, s, await signInWithoutBrowser(s.url, ALICE_LOGIN))).claims()!;
      expect(claims.exp - claims.iat).toBe(60);

      // The same flow judged by a relying party whose clock reads 2 minutes later (openid-client's own clock
      // option; its default tolerance is 30 s): the token is past its exp.
      const later = await relyingParty(short, SITE, { metadata: { [client.clockSkew]: 120 } });
      const s2 = await begin(later, callback.url);
      const back2 = await signInWithoutBrowser(s2.url, ALICE_LOGIN);
      expect(await failure(finish(later, s2, back2))).toMatch(/"exp" \(expiration time\) claim/);
    } finally {
      await short.stop();
    }
  });

  describe.skipIf(!haveChromium)('in a real browser (Debian chromium + playwright-core)', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('fills in the sign-in form (a wrong password first) and lands on the redirect URI with a code', async () => {
      const s = await begin(site, callback.url);
      const context = await browser.newContext();
      const page = await context.newPage();
      try {
        await page.goto(s.url.href);
        expect(await page.title()).toBe('Sign in to your account');
        await page.fill('input[name=login]', ALICE.email);
        await page.fill('input[name=password]', 'not it');
        await page.click('button:has-text("Sign in")');
        expect(await page.locator('#error').textContent()).toBe('Your account or password is incorrect.');
        expect(await page.inputValue('input[name=login]')).toBe(ALICE.email);
        expect(page.url().startsWith(callback.url)).toBe(false);

        await page.fill('input[name=password]', ALICE.password);
        await Promise.all([
          page.waitForURL((u) => u.href.startsWith(`${callback.url}?`)),
          page.click('button:has-text("Sign in")'),
        ]);
        expect(await page.locator('#landed').textContent()).toBe('back at the relying party');
        const landed = new URL(page.url());
        expect(landed.searchParams.get('state')).toBe(s.state);
        const claims = (await finish(site, s, landed.href)).claims()!;
        expect(claims).toMatchObject({ oid: ALICE.oid, email: ALICE.email, amr: ['pwd', 'mfa'] });

        // The provider keeps a session in this browser: a second request comes straight back, without the form.
        const sso = await begin(site, callback.url);
        await page.goto(sso.url.href);
        await page.waitForURL((u) => u.href.startsWith(`${callback.url}?`));
        expect((await finish(site, sso, page.url())).claims()!.oid).toBe(ALICE.oid);

        // prompt=login (what a step-up asks for) shows the form again even so.
        const stepUp = await begin(site, callback.url, { prompt: 'login' });
        await page.goto(stepUp.url.href);
        expect(await page.title()).toBe('Sign in to your account');
        expect(await page.locator('input[name=password]').count()).toBe(1);
        await page.fill('input[name=login]', ALICE.email);
        await page.fill('input[name=password]', ALICE.password);
        await Promise.all([
          page.waitForURL((u) => u.href.startsWith(`${callback.url}?`)),
          page.click('button:has-text("Sign in")'),
        ]);
        expect((await finish(site, stepUp, page.url())).claims()!.oid).toBe(ALICE.oid);
      } finally {
        await context.close();
      }
    });
  });
});

const ALICE_LOGIN = { login: ALICE.email, password: ALICE.password };

describe('npm run oidc (local/oidc/cli.ts) as a process', () => {
  let child: ChildProcess | undefined;
  let dir: string;
  afterAll(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints one JSON ready line with the issuer, serves a code flow, and stops on SIGTERM', async () => {
    dir = mkdtempSync(join(tmpdir(), 'local-oidc-'));
    const users = join(dir, 'users.json');
    writeFileSync(users, JSON.stringify([ALICE]));
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const tenant = '3f8c2a10-9b7e-4d61-a5c4-2e1f0d9c8b7a';
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'local/oidc/cli.ts',
        '--tenant',
        tenant,
        '--client-id',
        SITE.clientId,
        '--client-secret',
        SITE.clientSecret,
        '--redirect-uri',
        'http://127.0.0.1:9/a',
        '--redirect-uri',
        'http://127.0.0.1:9/b',
        '--users',
        users,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const line = await new Promise<string>((resolve, reject) => {
      child!.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
      });
      child!.once('exit', (code) => reject(new Error(`exited ${code} before ready: ${err}`)));
    });
    const ready = JSON.parse(line) as { ready: boolean; issuer: string; tenant: string; url: string; pid: number };
    expect(ready.ready).toBe(true);
    expect(ready.tenant).toBe(tenant);
    expect(ready.issuer).toBe(`${ready.url}/${tenant}/v2.0`);
    expect(Number.isInteger(ready.pid)).toBe(true);

    const oidc = { issuer: ready.issuer } as LocalOidc;
    const config = await relyingParty(oidc, SITE);
    const s = await begin(config, 'http://127.0.0.1:9/b');
    const back = await signInWithoutBrowser(s.url, ALICE_LOGIN);
    expect(back.startsWith('http://127.0.0.1:9/b?')).toBe(true);
    expect((await finish(config, s, back)).claims()!.oid).toBe(ALICE.oid);

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(err).toBe('');
  });
});

describe('startLocalOidcProcess (the CLI as a guarded child process, for the local stack)', () => {
  it('starts, serves a code flow with the given tenant and lifetime, and its process is gone after stop', async () => {
    const op = await startLocalOidcProcess({
      tenant: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
      clients: [{ ...SITE, redirectUris: ['http://127.0.0.1:9/cb'] }],
      users: [BOB],
      idTokenTtlSeconds: 300,
    });
    try {
      expect(op.pid).toBeGreaterThan(0);
      expect(op.pid).not.toBe(process.pid);
      expect(isAlive(op.pid!)).toBe(true);
      expect(op.issuer).toBe(`${op.url}/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/v2.0`);
      const config = await relyingParty(op, SITE);
      const s = await begin(config, 'http://127.0.0.1:9/cb');
      const claims = (
        await finish(config, s, await signInWithoutBrowser(s.url, { login: BOB.email, password: BOB.password }))
      ).claims()!;
      expect(claims).toMatchObject({ oid: BOB.oid, tid: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', amr: ['pwd'] });
      expect(claims.exp - claims.iat).toBe(300);
    } finally {
      await op.stop();
    }
    for (let i = 0; i < 40 && isAlive(op.pid!); i++) await new Promise((r) => setTimeout(r, 50));
    expect(isAlive(op.pid!)).toBe(false);
    await expect(fetch(`${op.issuer}/.well-known/openid-configuration`)).rejects.toThrow();
  });
});
