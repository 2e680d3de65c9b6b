import { ClientSecretCredential } from '@azure/identity';
import { EntraAuthError, EntraTlsError, type EntraError } from './errors.js';
import type { Redactor } from './redact.js';
import { probeTls, tlsFailureCode, tlsFailureMessage } from './tls.js';

/** Port: an app-only access token for Microsoft Graph. */
export interface TokenSource {
  getToken(): Promise<string>;
}

export interface ClientSecretSettings {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Where the secret came from, for messages ("environment variable GRAPH_CLIENT_SECRET"). */
  readonly clientSecretSource: string;
  readonly authorityHost: string;
  readonly graphBaseUrl: string;
  /** Extra CA (PEM) trusted for the authority host. */
  readonly ca?: string;
}

/** Public clouds' authorities: instance discovery works there; anywhere else (a simulator) it must be off. */
const KNOWN_AUTHORITIES = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
]);

/**
 * A TokenSource over @azure/identity's ClientSecretCredential (app-only, client credentials flow).
 * The credential, which holds the secret as a plain property, lives only in this closure, so no
 * object we hand out can print it. Its errors are replaced by a redacted EntraAuthError.
 */
export function clientSecretTokenSource(settings: ClientSecretSettings, redactor: Redactor): TokenSource {
  const authority = new URL(settings.authorityHost);
  const credential = new ClientSecretCredential(settings.tenantId, settings.clientId, settings.clientSecret, {
    authorityHost: authority.origin,
    disableInstanceDiscovery: !KNOWN_AUTHORITIES.has(authority.hostname),
    ...(settings.ca !== undefined && { tlsOptions: { ca: settings.ca } }),
    retryOptions: { maxRetries: 3 },
  });
  const scope = `${new URL(settings.graphBaseUrl).origin}/.default`;
  const acquire = async (): Promise<string> => {
    try {
      const token = await credential.getToken(scope);
      if (!token?.token) throw new Error('the credential returned no token');
      return token.token;
    } catch (error) {
      // No HTTP answer at all: MSAL may have dropped a TLS failure's cause, so look at the certificate.
      const tls =
        tlsFailureCode(error) ??
        (oauthDetails(error).status === undefined ? await probeTls(settings.authorityHost, settings.ca) : undefined);
      throw authError(error, settings, redactor, tls);
    }
  };
  // Parallel requests share one token request (MSAL caches the token, but not an acquisition in flight).
  let inFlight: Promise<string> | undefined;
  return {
    getToken() {
      inFlight ??= acquire().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}

function firstLine(text: string, max = 300): string {
  const line = text.split(/\r?\n/)[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}

/**
 * What @azure/identity says went wrong. It reports OAuth errors either as AuthenticationError
 * (statusCode, errorResponse) or as an MSAL-derived error whose message reads
 * "invalid_client: Error(s): 7000215 - Timestamp: ... - Description: AADSTS7000215: ... Trace ID: ...".
 */
function oauthDetails(error: unknown): { status?: number; code?: string; description: string } {
  const e = error as
    { statusCode?: unknown; errorResponse?: { error?: unknown; errorDescription?: unknown } } | undefined;
  const message = error instanceof Error ? error.message : String(error);
  const fromMessage = /^([a-z_]+): /.exec(message)?.[1];
  const described = /Description: (.+?)(?: Trace ID:| - Correlation ID:|$)/s.exec(message)?.[1];
  const code = typeof e?.errorResponse?.error === 'string' ? e.errorResponse.error : fromMessage;
  const description =
    typeof e?.errorResponse?.errorDescription === 'string' ? e.errorResponse.errorDescription : (described ?? message);
  return {
    ...(typeof e?.statusCode === 'number' && { status: e.statusCode }),
    ...(code !== undefined && { code }),
    description,
  };
}

/**
 * Translates an @azure/identity failure into an EntraAuthError that says what to fix (an EntraTlsError
 * when the certificate was the problem). Never carries the vendor object.
 */
export function authError(
  error: unknown,
  s: Pick<ClientSecretSettings, 'tenantId' | 'clientId' | 'clientSecretSource' | 'authorityHost'>,
  redactor: Redactor,
  /** The TLS failure code found for the authority host, if the caller probed it. */
  tlsCode?: string,
): EntraError {
  const tls = tlsCode ?? tlsFailureCode(error);
  if (tls)
    return new EntraTlsError(
      tlsFailureMessage(tls, s.authorityHost, 'entra.authorityHost'),
      new URL(s.authorityHost).host,
      {
        code: tls,
      },
    );
  const { status, code, description: raw } = oauthDetails(error);
  const description = firstLine(redactor.text(raw));
  const summary = redactor.summary(error);
  const fields = { ...(status !== undefined && { status }), ...(code !== undefined && { code }), cause: summary };
  const what = `app ${s.clientId} in tenant ${s.tenantId}`;
  const said = [status, code].filter((x) => x !== undefined).join(' ');
  if (code === 'invalid_client' || /AADSTS7000215|AADSTS7000222|AADSTS7000216/.test(description)) {
    return new EntraAuthError(
      `Entra refused the client secret of ${what} (${said || 'invalid_client'}: ${description}). ` +
        `Put the current client secret VALUE (not its secret id) in ${s.clientSecretSource}; expired secrets are renewed under App registrations > Certificates & secrets.`,
      fields,
    );
  }
  if (code === 'unauthorized_client' || code === 'invalid_tenant' || /AADSTS700016|AADSTS90002/.test(description)) {
    return new EntraAuthError(
      `Entra does not know ${what} (${said || 'unauthorized_client'}: ${description}). Check entra.tenantId and entra.clientId against the app registration's Overview page.`,
      fields,
    );
  }
  if (status === undefined && code === undefined) {
    return new EntraAuthError(
      `Could not get a token for ${what} from ${s.authorityHost} (${summary.name}: ${description}). Check entra.authorityHost and that the function can reach it.`,
      fields,
    );
  }
  return new EntraAuthError(
    `Entra refused a token for ${what} (${said}: ${description}). Check entra.tenantId, entra.clientId and ${s.clientSecretSource}.`,
    fields,
  );
}
