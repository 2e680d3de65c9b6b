import { randomBytes, timingSafeEqual } from 'node:crypto';
import { cookie, type HttpRequest } from './http.js';

export const CSRF_COOKIE = 'review_csrf';
const CSRF_PATTERN = /^[A-Za-z0-9_-]{32}$/;
export const CSRF_FIELD = 'csrf';

/** A fresh CSRF value for the double-submit cookie: 24 random bytes, base64url (32 characters). */
export const newCsrfValue = (): string => randomBytes(24).toString('base64url');

export const isWellFormedCsrf = (value: unknown): value is string =>
  typeof value === 'string' && CSRF_PATTERN.test(value);

/** Constant-time comparison of two strings. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The path the review pages live under, for the cookie's Path. */
export const reviewPath = (base: URL): string => `${base.pathname.replace(/\/+$/, '')}/review`;
/** The path the "keep my account" pages live under. */
export const keepPath = (base: URL): string => `${base.pathname.replace(/\/+$/, '')}/keep`;
/** The path the "ask to undo" pages live under. */
export const undoPath = (base: URL): string => `${base.pathname.replace(/\/+$/, '')}/undo`;

/**
 * The CSRF value for a page: the browser's existing cookie when it has a well-formed one (several
 * open tabs keep working), else a fresh value and its Set-Cookie. HttpOnly, SameSite=Strict, Path
 * limited to the review pages; Secure except on a plain-http loopback base (the local stack).
 */
export function csrfForPage(
  req: HttpRequest,
  base: URL,
  path = reviewPath(base),
): { value: string; setCookie?: string } {
  const existing = cookie(req, CSRF_COOKIE);
  if (isWellFormedCsrf(existing)) return { value: existing };
  const value = newCsrfValue();
  const secure = base.protocol === 'https:' ? '; Secure' : '';
  return { value, setCookie: `${CSRF_COOKIE}=${value}; Path=${path}; HttpOnly; SameSite=Strict${secure}` };
}

export type CsrfVerdict = 'ok' | 'origin' | 'token';

/**
 * A POST is accepted only when (1) its Origin (or, lacking one, its Referer) is the review site's
 * own origin, and (2) the form's hidden `csrf` field equals the `review_csrf` cookie set when the
 * page was shown (double submit, compared in constant time).
 */
export function checkCsrf(req: HttpRequest, form: URLSearchParams, base: URL): CsrfVerdict {
  const origin = req.headers.origin ?? originOf(req.headers.referer);
  if (!origin || origin !== base.origin) return 'origin';
  const fromCookie = cookie(req, CSRF_COOKIE);
  const fromForm = form.get(CSRF_FIELD);
  if (!isWellFormedCsrf(fromCookie) || !isWellFormedCsrf(fromForm) || !safeEqual(fromCookie, fromForm)) return 'token';
  return 'ok';
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
