import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../sim/atlassian/cursor.js';
import { errorBody, ErrorStyle, PipelineErrors, SimHttpError } from '../sim/atlassian/errors.js';
import { FaultState } from '../sim/atlassian/faults.js';
import { RateLimiter } from '../sim/atlassian/rate-limit.js';

describe('cursors', () => {
  it('round-trip and are refused by another listing or when garbled', () => {
    const c = encodeCursor('v1-users', { after: 49, page: 2 });
    expect(decodeCursor('v1-users', c)).toEqual({ after: 49, page: 2 });
    expect(decodeCursor('v2-users-search', c)).toBeUndefined();
    expect(decodeCursor('v1-users', 'not-a-cursor')).toBeUndefined();
    expect(
      decodeCursor('v1-users', Buffer.from('{"l":"v1-users","after":-5,"page":1}').toString('base64url')),
    ).toBeUndefined();
  });
});

describe('rate limiter', () => {
  it('uses aligned fixed windows and counts 429ed requests in the peak', () => {
    const rl = new RateLimiter({ policy: { limit: 2, windowMs: 1000 } }, false);
    const t = Date.parse('2026-11-01T00:00:00.500Z');
    expect([rl.take('policy', t).allowed, rl.take('policy', t).allowed, rl.take('policy', t).allowed]).toEqual([
      true,
      true,
      false,
    ]);
    expect(rl.take('policy', t).headers['X-RateLimit-Reset']).toBe('2026-11-01T00:00:01.000Z');
    expect(rl.take('policy', t + 500).allowed).toBe(true);
    expect(rl.peaks().policy).toBe(4);
  });

  it('rejects a limit below 1', () => {
    expect(() => new RateLimiter({ policy: { limit: 0, windowMs: 1000 } }, false)).toThrow(/rateLimits\.policy/);
  });
});

describe('error bodies', () => {
  it('follow each family: ApplicationError list, ProxyError, Errors, user-management keys', () => {
    const notFound = PipelineErrors.orgNotFound('x');
    expect(errorBody(ErrorStyle.ORG_V1, notFound)).toEqual({
      errors: [
        {
          id: expect.any(String),
          status: '404',
          code: 'ADMIN-404-2',
          title: 'Organization not found',
          detail: expect.any(String),
        },
      ],
    });
    expect(errorBody(ErrorStyle.ORG_V1, PipelineErrors.rateLimited())).toEqual({
      code: 429,
      message: expect.any(String),
    });
    expect(errorBody(ErrorStyle.ORG_V2, PipelineErrors.rateLimited())).toMatchObject({
      errors: [{ status: '429', code: 'ADMIN-429-1' }],
    });
    expect(errorBody(ErrorStyle.USER_MGMT, PipelineErrors.unauthenticated())).toEqual({ key: 'unauthorized' });
    expect(errorBody(ErrorStyle.USER_MGMT, new SimHttpError(404, 'accountNotFound', 'Not found', 'x'))).toEqual({
      key: 'accountNotFound',
    });
    expect(errorBody(ErrorStyle.USER_MGMT, PipelineErrors.internal())).toEqual({
      code: 500,
      message: expect.any(String),
    });
  });
});

describe('fault state', () => {
  it('draws the same faults for the same seed, and storms count down', () => {
    const draws = (seed: number) => {
      const f = new FaultState(seed, { 'users-read': { status5xxRate: 0.3, resetRate: 0.1 } });
      return Array.from({ length: 50 }, () => f.draw('users-read').kind);
    };
    expect(draws(9)).toEqual(draws(9));
    expect(draws(9)).not.toEqual(draws(10));
    const f = new FaultState(1, { policy: { storm429: 2 } });
    expect([f.takeStorm('policy'), f.takeStorm('policy'), f.takeStorm('policy')]).toEqual([true, true, false]);
  });

  it('breaks listed pages at most `times` times', () => {
    const f = new FaultState(1, { 'users-read': { malformedPages: { kind: 'truncated-json', pages: [3], times: 2 } } });
    expect([1, 3, 3, 3].map((p) => f.malformed('users-read', 'v1-users', p))).toEqual([
      undefined,
      'truncated-json',
      'truncated-json',
      undefined,
    ]);
  });

  it('shows org admins without their role in the listing only when asked, and refuses an unknown view', () => {
    expect(new FaultState(1, undefined).adminRolesView()).toBeUndefined();
    const f = new FaultState(1, { 'users-read': { adminRolesInListing: 'empty' } });
    expect(f.adminRolesView()).toBe('empty');
    f.set('users-read', { adminRolesInListing: 'omitted' });
    expect(f.adminRolesView()).toBe('omitted');
    expect(() => f.set('users-read', { adminRolesInListing: 'hidden' as never })).toThrow(
      /adminRolesInListing must be one of omitted, empty/,
    );
  });
});
