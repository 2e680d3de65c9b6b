import * as client from 'openid-client';
import type { SignInSettings } from './settings.js';

/** The fetch the relying party uses (tests pass one that tampers with a response). */
export type OidcFetch = (url: string, init: RequestInit) => Promise<Response>;

/** What the callback learns from a successful code exchange: the verified ID token's claims. */
export interface CodeExchange {
  readonly claims: Readonly<Record<string, unknown>>;
}

/** The relying party: builds the authorization request and redeems the code it comes back with. */
export interface RelyingParty {
  /** The URL to send the browser to, with PKCE S256, `state` and `nonce`. */
  authorizationUrl(checks: { challenge: string; state: string; nonce: string; loginHint: string }): Promise<string>;
  /**
   * Redeems the code of `callbackUrl` at the token endpoint and verifies the ID token: issuer,
   * audience, expiry, nonce, and (non-repudiation checks on) its signature against the tenant's
   * JWKS. Throws on any failure.
   */
  redeem(
    callbackUrl: URL,
    checks: { verifier: string; state: string; nonce: string; nowMs: number },
  ): Promise<CodeExchange>;
}

const isLoopbackHttp = (issuer: string): boolean => /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(issuer);

/**
 * openid-client 6 over one issuer. Discovery is read once per process (and again after a failure);
 * each redemption builds its Configuration from it, so the ID token's time checks follow the
 * caller's clock (`clockSkew`). Plain http is allowed for a loopback issuer only (the local provider).
 */
export function openIdRelyingParty(
  settings: SignInSettings,
  clientSecret: () => Promise<string>,
  options: { readonly fetch?: OidcFetch; readonly timeoutSeconds?: number } = {},
): RelyingParty {
  let server: Promise<client.ServerMetadata> | undefined;
  const insecure = isLoopbackHttp(settings.issuer);
  const tune = (config: client.Configuration): client.Configuration => {
    if (insecure) client.allowInsecureRequests(config);
    if (options.fetch) config[client.customFetch] = options.fetch as client.CustomFetch;
    config.timeout = options.timeoutSeconds ?? 10;
    return config;
  };
  const metadata = (): Promise<client.ServerMetadata> => {
    server ??= (async () => {
      const secret = await clientSecret();
      const discovered = await client.discovery(new URL(settings.issuer), settings.clientId, secret, undefined, {
        ...(insecure && { execute: [client.allowInsecureRequests] }),
        ...(options.fetch && { [client.customFetch]: options.fetch as client.CustomFetch }),
        timeout: options.timeoutSeconds ?? 10,
      });
      return discovered.serverMetadata();
    })().catch((err: unknown) => {
      server = undefined;
      throw err;
    });
    return server;
  };
  const configuration = async (nowMs: number): Promise<client.Configuration> => {
    const secret = await clientSecret();
    const skew = Math.round((nowMs - Date.now()) / 1000);
    const config = tune(
      new client.Configuration(
        await metadata(),
        settings.clientId,
        { client_secret: secret, [client.clockSkew]: skew },
        client.ClientSecretPost(secret),
      ),
    );
    client.enableNonRepudiationChecks(config);
    return config;
  };
  return {
    async authorizationUrl(checks) {
      const config = tune(new client.Configuration(await metadata(), settings.clientId));
      return client
        .buildAuthorizationUrl(config, {
          redirect_uri: settings.redirectUri,
          scope: 'openid email profile',
          response_mode: 'query',
          code_challenge: checks.challenge,
          code_challenge_method: 'S256',
          state: checks.state,
          nonce: checks.nonce,
          // Every sign-in asks for the credentials again, never a silent single sign-on: the ID
          // token's time is then the time the person authenticated, which the step-up rule counts
          // from (Entra leaves auth_time out unless configured). login_hint names the link's approver.
          prompt: 'login',
          login_hint: checks.loginHint,
        })
        .toString();
    },
    async redeem(callbackUrl, checks) {
      const config = await configuration(checks.nowMs);
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: checks.verifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('the token response carried no ID token');
      return { claims: { ...claims } };
    },
  };
}

/** Fresh PKCE, state and nonce values for one sign-in (openid-client's generators). */
export async function newChecks(): Promise<{ verifier: string; challenge: string; state: string; nonce: string }> {
  const verifier = client.randomPKCECodeVerifier();
  return {
    verifier,
    challenge: await client.calculatePKCECodeChallenge(verifier),
    state: client.randomState(),
    nonce: client.randomNonce(),
  };
}
