import { randomBytes } from 'node:crypto';
/** The HTTP shape of the approval core: what both the Lambda adapter and the loopback server speak. */
export interface HttpRequest {
  readonly method: string;
  /** Path without the query string (`/review/<proposalId>`, possibly under a base path). */
  readonly path: string;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** Header names in lower case; `cookie` holds every cookie (`a=1; b=2`). */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body as text (form-encoded for POST). */
  readonly body?: string;
}

/** A nonce for the page's Content-Security-Policy. */
export const newNonce = (): string => randomBytes(16).toString('base64');

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Set-Cookie values, one per cookie (Function URLs return them in `cookies`). */
  readonly cookies: readonly string[];
  readonly body: string;
}

/** Largest form accepted (the review form lists only the deselected items, so a decision stays far below it). */
export const MAX_BODY_BYTES = 1024 * 1024;

export function cookie(req: HttpRequest, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Form fields of an `application/x-www-form-urlencoded` body. */
export function parseForm(req: HttpRequest): URLSearchParams | undefined {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return undefined;
  if (Buffer.byteLength(req.body ?? '', 'utf8') > MAX_BODY_BYTES) return undefined;
  return new URLSearchParams(req.body ?? '');
}

/**
 * Headers of every page. The CSP allows only this response's nonce for script and style, forms
 * posting back to this origin, and no framing. `Referrer-Policy: same-origin`, not `no-referrer`:
 * both keep the review link (with its token) from ever reaching another site, but under
 * `no-referrer` browsers send `Origin: null` on the page's own form POST, which would blind the
 * Origin check of the CSRF defence.
 */
export function pageHeaders(nonce: string, https: boolean): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    'cache-control': 'no-store',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    ...(https && { 'strict-transport-security': 'max-age=31536000' }),
  };
}

export function htmlResponse(
  status: number,
  body: string,
  nonce: string,
  https: boolean,
  cookies: readonly string[] = [],
): HttpResponse {
  return { status, headers: pageHeaders(nonce, https), cookies, body };
}

export function plainResponse(status: number, text: string, extra: Record<string, string> = {}): HttpResponse {
  return {
    status,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...extra,
    },
    cookies: [],
    body: text,
  };
}
