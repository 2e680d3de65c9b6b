/**
 * The Microsoft identity platform, as much as ClientSecretCredential (MSAL) asks of it with
 * instance discovery disabled: the tenant's OpenID configuration and the v2.0 token endpoint
 * (client credentials grant). Checks client_id and client_secret like Entra does.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { SimResponse } from './errors.js';

export interface IdentitySettings {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly echoSecretInErrors: boolean;
  /** Base URL of the simulator (set once listening). */
  readonly url: () => string;
}

const TOKEN_LIFETIME_S = 3599;

function oauthError(status: number, error: string, code: number, description: string): SimResponse {
  const traceId = randomUUID();
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString()}`,
      error_codes: [code],
      timestamp: new Date().toISOString(),
      trace_id: traceId,
      correlation_id: randomUUID(),
    },
  };
}

export class IdentityEndpoints {
  private readonly tokens = new Map<string, number>();
  issued = 0;

  constructor(private readonly s: IdentitySettings) {}

  openIdConfiguration(tenant: string): SimResponse {
    if (tenant !== this.s.tenantId)
      return oauthError(
        400,
        'invalid_tenant',
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    const base = `${this.s.url()}/${tenant}`;
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${base}/v2.0`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: `${this.s.url()}/oidc/userinfo`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'tid'],
        tenant_region_scope: 'EU',
        cloud_instance_name: 'microsoftonline.com',
        cloud_graph_host_name: 'graph.windows.net',
        msgraph_host: 'graph.microsoft.com',
      },
    };
  }

  token(tenant: string, form: URLSearchParams): SimResponse {
    if (tenant !== this.s.tenantId) return oauthError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`);
    if (form.get('grant_type') !== 'client_credentials')
      return oauthError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    const clientId = form.get('client_id');
    if (clientId !== this.s.clientId) {
      return oauthError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
      );
    }
    const secret = form.get('client_secret');
    if (secret !== this.s.clientSecret) {
      const echo = this.s.echoSecretInErrors ? ` Received client_secret=${secret ?? ''}.` : '';
      return oauthError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.${echo}`,
      );
    }
    const scope = form.get('scope') ?? '';
    if (!scope.split(' ').some((s) => s.endsWith('/.default')))
      return oauthError(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.`,
      );
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, Date.now() + TOKEN_LIFETIME_S * 1000);
    this.issued++;
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: {
        token_type: 'Bearer',
        expires_in: TOKEN_LIFETIME_S,
        ext_expires_in: TOKEN_LIFETIME_S,
        access_token: token,
      },
    };
  }

  /** True when the Authorization header carries a token this simulator issued and that has not expired. */
  authorized(header: string | undefined): boolean {
    const m = /^Bearer (\S+)$/.exec(header ?? '');
    const exp = m ? this.tokens.get(m[1]!) : undefined;
    return exp !== undefined && exp > Date.now();
  }

  revokeAll(): void {
    this.tokens.clear();
  }
}
