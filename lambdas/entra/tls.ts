/**
 * A TLS failure (an untrusted, expired or misnamed certificate) said as one, with the host and what
 * to trust, instead of reading as a wrong tenant, client id or secret. Node and undici put the
 * OpenSSL code on the error or somewhere down its cause chain; @azure/identity may keep only the
 * message, so the message is read too.
 */
import { isIP } from 'node:net';
import { connect, rootCertificates } from 'node:tls';

const TLS_CODES = [
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
] as const;

/** OpenSSL's wording of the same failures, for errors that kept only a message. */
const TLS_WORDS: readonly [RegExp, string][] = [
  [/self[- ]signed certificate in certificate chain/i, 'SELF_SIGNED_CERT_IN_CHAIN'],
  [/self[- ]signed certificate/i, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  [/unable to verify the first certificate/i, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
  [/unable to get local issuer certificate/i, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
  [/certificate has expired/i, 'CERT_HAS_EXPIRED'],
  [/does not match certificate's altnames/i, 'ERR_TLS_CERT_ALTNAME_INVALID'],
];

/** The TLS code behind an error (its own, a cause's, an aggregated one's), or undefined. */
export function tlsFailureCode(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== 'object' || depth > 6) return undefined;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (TLS_CODES as readonly string[]).includes(e.code)) return e.code;
  if (typeof e.message === 'string') for (const code of TLS_CODES) if (e.message.includes(code)) return code;
  if (typeof e.message === 'string') for (const [words, code] of TLS_WORDS) if (words.test(e.message)) return code;
  const inner = [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  for (const c of inner) {
    const found = tlsFailureCode(c, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The sentence for a TLS failure reaching `url` for `setting` (entra.authorityHost, entra.graphBaseUrl). */
export function tlsFailureMessage(code: string, url: string, setting: string): string {
  const host = new URL(url).host;
  const what =
    code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID'
      ? 'its certificate is outside its validity dates'
      : code === 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? `its certificate is not issued for ${host}`
        : 'its certificate is not trusted here';
  return (
    `TLS failure connecting to ${host} (${setting}): ${what} (${code}). This is not a wrong tenant, client id or secret. ` +
    'For the local Graph simulator, trust its CA certificate: set LIFECYCLE_GRAPH_CA to the PEM text, or start Node with ' +
    'NODE_EXTRA_CA_CERTS=<path of the PEM> (the simulator prints the path). Against Microsoft, a proxy that intercepts TLS ' +
    `needs its CA in NODE_EXTRA_CA_CERTS; otherwise check ${setting}.`
  );
}

/**
 * Connects to `url`'s host and port and returns the TLS verification failure code, if any
 * (undefined when the certificate verifies or the host cannot be reached at all). Used when a
 * library (MSAL's "endpoints_resolution_error") dropped the cause of a failed request.
 */
export function probeTls(url: string, ca?: string, timeoutMs = 5_000): Promise<string | undefined> {
  const u = new URL(url);
  if (u.protocol !== 'https:') return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const socket = connect({
      host: u.hostname,
      port: Number(u.port || 443),
      ...(isIP(u.hostname) === 0 && { servername: u.hostname }),
      ...(ca !== undefined && { ca: [...rootCertificates, ca] }),
      rejectUnauthorized: false,
      timeout: timeoutMs,
    });
    const done = (code: string | undefined) => {
      socket.destroy();
      resolve(code);
    };
    socket.once('secureConnect', () => {
      const failure = socket.authorizationError as unknown;
      if (!failure) return done(undefined);
      const code = typeof failure === 'string' ? failure : (failure as { code?: string }).code;
      done(code ?? tlsFailureCode(failure) ?? 'CERT_UNTRUSTED');
    });
    socket.once('error', () => done(undefined));
    socket.once('timeout', () => done(undefined));
  });
}
