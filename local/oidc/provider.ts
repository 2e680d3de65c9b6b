import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { AdapterFactory, ClientMetadata, Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type Provider from 'oidc-provider';
import type * as OidcProviderModule from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import type { LocalOidcClient, LocalOidcUser } from './types.js';

// Shaped after the Microsoft identity platform (v2.0 endpoints of a single tenant):
// - discovery and endpoints: "OpenID Connect on the Microsoft identity platform",
//   https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc
//   (authority https://login.microsoftonline.com/{tenant}/v2.0, /{tenant}/oauth2/v2.0/authorize,
//   /{tenant}/oauth2/v2.0/token, /{tenant}/discovery/v2.0/keys);
// - ID token claims: "ID token claims reference",
//   https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference
//   (v2.0 tokens: iss = .../{tid}/v2.0, ver "2.0", oid, tid, preferred_username, name, email, amr, nonce,
//   and a pairwise sub).

/** The paths of one tenant, as Entra lays them out. */
export function tenantPaths(tenant: string) {
  const t = `/${encodeURIComponent(tenant)}`;
  return {
    prefix: `${t}/`,
    discovery: `${t}/v2.0/.well-known/openid-configuration`,
    authorization: `${t}/oauth2/v2.0/authorize`,
    token: `${t}/oauth2/v2.0/token`,
    jwks: `${t}/discovery/v2.0/keys`,
    end_session: `${t}/oauth2/v2.0/logout`,
    userinfo: `${t}/openid/userinfo`,
    login: `${t}/login/`,
  };
}

/** Entra's `sub` is an opaque string that differs from `oid`; this one is stable per tenant and user. */
export function subjectOf(tenant: string, user: LocalOidcUser): string {
  return createHash('sha256').update(`${tenant}\n${user.oid}`).digest('base64url');
}

export function clientMetadata(client: LocalOidcClient): ClientMetadata {
  return {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    redirect_uris: [...client.redirectUris],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'RS256',
  };
}

const SCOPES = ['openid', 'email', 'profile'];

const UNSUPPORTED_RUNTIME = 'oidc-provider WARNING: Unsupported runtime.';
let loading: Promise<typeof OidcProviderModule> | undefined;

/**
 * Imports oidc-provider once. On Node 20 its module prints a warning at import that it supports Node 22+
 * (the project runs locally on Node 20; Lambda runs nodejs22.x): that one
 * line, and nothing else, is dropped.
 */
function loadOidcProvider(): Promise<typeof OidcProviderModule> {
  loading ??= (async () => {
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].startsWith(UNSUPPORTED_RUNTIME)) return;
      warn(...args);
    };
    try {
      return await import('oidc-provider');
    } finally {
      console.warn = warn;
    }
  })();
  return loading;
}

export interface ProviderParts {
  provider: Provider;
  /** The adapter factory the provider stores its state with (clients included). */
  adapter: AdapterFactory;
}

export async function buildProvider(input: {
  issuer: string;
  tenant: string;
  clients: LocalOidcClient[];
  users: LocalOidcUser[];
  idTokenTtlSeconds: number;
}): Promise<ProviderParts> {
  const { tenant, users } = input;
  const paths = tenantPaths(tenant);
  const bySubject = new Map(users.map((u) => [subjectOf(tenant, u), u]));
  const clockTolerance = 5;
  const adapter = createMemoryAdapter(clockTolerance);

  // A signing key of its own, generated at start (no development keys).
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };

  const configuration: Configuration = {
    adapter,
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    clockTolerance,
    routes: {
      authorization: paths.authorization,
      token: paths.token,
      jwks: paths.jwks,
      end_session: paths.end_session,
      userinfo: paths.userinfo,
    },
    responseTypes: ['code'],
    scopes: SCOPES,
    claims: {
      openid: ['sub', 'oid', 'tid', 'ver', 'amr'],
      email: ['email'],
      profile: ['name', 'preferred_username'],
    },
    // Entra puts the profile claims in the ID token of the code flow; oidc-provider by default keeps them for
    // the userinfo endpoint when an access token is issued too.
    conformIdTokenClaims: false,
    clientAuthMethods: ['client_secret_post', 'client_secret_basic'],
    enabledJWA: { idTokenSigningAlgValues: ['RS256'] },
    pkce: { required: () => true },
    ttl: {
      IdToken: input.idTokenTtlSeconds,
      AuthorizationCode: 60,
      AccessToken: 3600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      resourceIndicators: { enabled: false },
      rpInitiatedLogout: { enabled: true },
      userinfo: { enabled: true },
    },
    interactions: { url: (_ctx, interaction) => `${paths.login}${interaction.uid}` },
    // Consent is granted by the tenant's admin for its own app registrations: no consent page.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session, result } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId =
        (result?.consent as { grantId?: string } | undefined)?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) {
        const existing = await ctx.oidc.provider.Grant.find(grantId);
        if (existing && existing.accountId === session.accountId) return existing;
      }
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(SCOPES.join(' '));
      await grant.save();
      return grant;
    },
    findAccount: (_ctx, sub) => {
      const user = bySubject.get(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          oid: user.oid,
          tid: tenant,
          ver: '2.0',
          email: user.email,
          name: user.name,
          preferred_username: user.preferredUsername,
        }),
      };
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><meta charset="utf-8"><title>Sign-in error</title><h1>Sign-in error</h1><p id="error">${escapeHtml(
        out.error,
      )}: ${escapeHtml(String(out.error_description ?? ''))}</p>`;
    },
  };

  const { default: OidcProvider } = await loadOidcProvider();
  const provider = new OidcProvider(input.issuer, configuration);
  for (const c of input.clients) saveClient(adapter, c);
  return { provider, adapter };
}

/**
 * Registers (or re-registers) a client in the provider's store, where oidc-provider looks up clients that are
 * not in its static configuration; a changed registration is read on the next request. The memory adapter
 * stores synchronously; no expiry (the adapter's contract passes undefined for records that never expire).
 */
export function saveClient(adapter: AdapterFactory, client: LocalOidcClient): void {
  void adapter('Client').upsert(client.clientId, clientMetadata(client), undefined as unknown as number);
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
