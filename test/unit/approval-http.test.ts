import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkCsrf, csrfForPage, CSRF_COOKIE } from '../../lambdas/approval/site/csrf.js';
import type { HttpRequest } from '../../lambdas/approval/index.js';
import { hashToken, isWellFormedToken, newToken, tokenRef } from '../../lambdas/approval/tokens.js';
import { toRequest, toResult } from '../../lambdas/handlers/approval.js';

const base = new URL('https://review.example.com');
const CSRF = 'A'.repeat(32);

function post(headers: Record<string, string | undefined>): HttpRequest {
  return {
    method: 'POST',
    path: '/review/p',
    query: {},
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  };
}

describe('review-link tokens', () => {
  it('are 256 random bits in base64url, different every time, stored only as a sha256', () => {
    const a = newToken();
    const b = newToken();
    expect(isWellFormedToken(a)).toBe(true);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).not.toBe(b);
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenRef(hashToken(a))).toHaveLength(8);
    expect(isWellFormedToken(`${a.slice(0, -1)}!`)).toBe(false);
  });
});

describe('CSRF defence', () => {
  it('sets an HttpOnly, SameSite=Strict, Secure cookie scoped to the review path', () => {
    const c = csrfForPage(
      { method: 'GET', path: '/review/p', query: {}, headers: {} },
      new URL('https://review.example.com/prod'),
    );
    expect(c.setCookie).toBe(`${CSRF_COOKIE}=${c.value}; Path=/prod/review; HttpOnly; SameSite=Strict; Secure`);
  });

  it('omits Secure only for a plain-http loopback base (the local stack)', () => {
    const c = csrfForPage(
      { method: 'GET', path: '/review/p', query: {}, headers: {} },
      new URL('http://127.0.0.1:4020'),
    );
    expect(c.setCookie).not.toContain('Secure');
  });

  it("keeps a browser's existing cookie, so two open tabs both work", () => {
    const c = csrfForPage(
      { method: 'GET', path: '/review/p', query: {}, headers: { cookie: `x=1; ${CSRF_COOKIE}=${CSRF}` } },
      base,
    );
    expect(c).toEqual({ value: CSRF });
  });

  it('accepts a same-origin POST whose form field matches the cookie', () => {
    expect(
      checkCsrf(
        post({ origin: base.origin, cookie: `${CSRF_COOKIE}=${CSRF}` }),
        new URLSearchParams({ csrf: CSRF }),
        base,
      ),
    ).toBe('ok');
    expect(
      checkCsrf(
        post({ referer: `${base.origin}/review/p?t=x`, cookie: `${CSRF_COOKIE}=${CSRF}` }),
        new URLSearchParams({ csrf: CSRF }),
        base,
      ),
    ).toBe('ok');
  });

  it('refuses another origin, an opaque origin, or no origin at all', () => {
    const form = new URLSearchParams({ csrf: CSRF });
    expect(checkCsrf(post({ origin: 'https://evil.example', cookie: `${CSRF_COOKIE}=${CSRF}` }), form, base)).toBe(
      'origin',
    );
    expect(checkCsrf(post({ origin: 'null', cookie: `${CSRF_COOKIE}=${CSRF}` }), form, base)).toBe('origin');
    expect(checkCsrf(post({ cookie: `${CSRF_COOKIE}=${CSRF}` }), form, base)).toBe('origin');
  });

  it('refuses a missing or different field or cookie', () => {
    const ok = { origin: base.origin };
    expect(checkCsrf(post({ ...ok, cookie: `${CSRF_COOKIE}=${CSRF}` }), new URLSearchParams(), base)).toBe('token');
    expect(checkCsrf(post(ok), new URLSearchParams({ csrf: CSRF }), base)).toBe('token');
    expect(
      checkCsrf(post({ ...ok, cookie: `${CSRF_COOKIE}=${CSRF}` }), new URLSearchParams({ csrf: 'B'.repeat(32) }), base),
    ).toBe('token');
  });
});

describe('Lambda Function URL adapter', () => {
  it('maps a payload 2.0 event: first query value, lower-case headers, cookies joined, base64 body decoded', () => {
    const req = toRequest({
      rawPath: '/review/sched%3A1',
      rawQueryString: 't=abc&t=def&x=1',
      headers: { Origin: 'https://r.example', 'content-type': 'application/x-www-form-urlencoded' },
      cookies: ['a=1', 'review_csrf=zz'],
      body: Buffer.from('decision=approve&item=1').toString('base64'),
      isBase64Encoded: true,
      requestContext: { http: { method: 'POST' } },
    });
    expect(req).toEqual({
      method: 'POST',
      path: '/review/sched%3A1',
      query: { t: 'abc', x: '1' },
      headers: {
        origin: 'https://r.example',
        'content-type': 'application/x-www-form-urlencoded',
        cookie: 'a=1; review_csrf=zz',
      },
      body: 'decision=approve&item=1',
    });
  });

  it('returns Set-Cookie values in the cookies field', () => {
    expect(
      toResult({
        status: 200,
        headers: { 'content-type': 'text/html' },
        cookies: ['review_csrf=x; Path=/review'],
        body: 'ok',
      }),
    ).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'text/html' },
      cookies: ['review_csrf=x; Path=/review'],
      body: 'ok',
      isBase64Encoded: false,
    });
  });

  it('gzips a large page when the browser accepts gzip, and only then', () => {
    const body = `<html>${'<tr><td>row</td></tr>'.repeat(10_000)}</html>`;
    const res = { status: 200, headers: { 'content-type': 'text/html' }, cookies: [], body };
    const zipped = toResult(res, 'gzip, deflate, br');
    expect(zipped.isBase64Encoded).toBe(true);
    expect(zipped.headers).toMatchObject({ 'content-encoding': 'gzip', vary: 'accept-encoding' });
    expect(gunzipSync(Buffer.from(zipped.body, 'base64')).toString('utf8')).toBe(body);
    expect(zipped.body.length).toBeLessThan(body.length / 10);
    expect(toResult(res, '')).toMatchObject({ body, isBase64Encoded: false });
    expect(toResult({ ...res, body: 'small' }, 'gzip')).toMatchObject({ body: 'small', isBase64Encoded: false });
  });
});
