import { describe, expect, it } from 'vitest';
import {
  describeIdentity,
  freshEnough,
  identityOf,
  isApprover,
  type SignedIn,
} from '../../lambdas/approval/signin/identity.js';

const TENANT = 'aBcDeF00-1111-4222-8333-444455556666';
const OID = 'a0000000-0000-4000-8000-000000000001';
const NOW = Date.UTC(2026, 11, 2, 17, 0, 0);
const STEP_UP = 10 * 60_000;

/** Claims of a genuine Entra v2.0 ID token for one user, with overrides (undefined removes a claim). */
function claims(over: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    oid: OID,
    tid: TENANT,
    preferred_username: 'It-Admin@Example.com',
    email: 'IT.Admin@Example.COM',
    name: 'IT Admin',
    amr: ['pwd', 'mfa'],
    auth_time: 1_700_000_000,
    iat: 1_700_000_100,
  };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return base;
}

const check = (c: Record<string, unknown>, requireMfa = false) => identityOf(c, { tenantId: TENANT, requireMfa });

function identity(over: Partial<SignedIn> = {}): SignedIn {
  return {
    oid: OID,
    tid: TENANT,
    username: 'it-admin@example.com',
    email: 'it.admin@example.com',
    amr: ['pwd'],
    authenticatedAt: NOW,
    ...over,
  };
}

describe('identityOf: the identity in verified ID token claims', () => {
  it('marks the email verified only on xms_edov true (or "true", 1, "1"), and lowers ASCII letters only', () => {
    for (const edov of [true, 'true', 1, '1'])
      expect(check(claims({ xms_edov: edov }))).toMatchObject({ ok: true, identity: { emailVerified: true } });
    for (const edov of [false, 'false', 0, undefined, 'yes']) {
      const r = check(claims({ xms_edov: edov }));
      expect(r.ok && r.identity.emailVerified).toBeFalsy();
    }
    const r = check(claims({ preferred_username: '\u212AATE@Example.com', xms_edov: true, email: undefined }));
    expect(r.ok && r.identity).toMatchObject({ username: '\u212Aate@example.com' });
    expect(r.ok && 'emailVerified' in r.identity).toBe(false);
  });

  it('takes oid, tid, lower-cased username and email, the name, amr and auth_time (in ms)', () => {
    expect(check(claims())).toEqual({
      ok: true,
      identity: {
        oid: OID,
        tid: TENANT,
        username: 'it-admin@example.com',
        email: 'it.admin@example.com',
        name: 'IT Admin',
        amr: ['pwd', 'mfa'],
        authenticatedAt: 1_700_000_000_000,
      },
    });
  });

  it('trims surrounding white space of every text claim, on both ends', () => {
    const got = check(
      claims({ oid: ` ${OID}\t`, tid: ` ${TENANT} `, preferred_username: ' A@B.C ', email: '\nD@E.F ', name: ' N ' }),
    );
    expect(got).toMatchObject({
      ok: true,
      identity: { oid: OID, tid: TENANT, username: 'a@b.c', email: 'd@e.f', name: 'N' },
    });
  });

  it('leaves out a missing, empty or blank username, email and name', () => {
    const got = check(claims({ preferred_username: '   ', email: undefined, name: '' }));
    // Neither username nor email: refused, and the partial identity has none of them.
    expect(got).toEqual({
      ok: false,
      problem: 'no username or email',
      partial: { oid: OID, tid: TENANT, amr: ['pwd', 'mfa'], authenticatedAt: 1_700_000_000_000 },
    });
    const onlyEmail = check(claims({ preferred_username: undefined, name: 42 }));
    expect(onlyEmail).toEqual({
      ok: true,
      identity: {
        oid: OID,
        tid: TENANT,
        email: 'it.admin@example.com',
        amr: ['pwd', 'mfa'],
        authenticatedAt: 1_700_000_000_000,
      },
    });
  });

  it('accepts a username without an email', () => {
    const got = check(claims({ email: '' }));
    expect(got.ok).toBe(true);
    expect(got.ok && got.identity).toEqual({
      oid: OID,
      tid: TENANT,
      username: 'it-admin@example.com',
      name: 'IT Admin',
      amr: ['pwd', 'mfa'],
      authenticatedAt: 1_700_000_000_000,
    });
  });

  it('refuses claims without an oid (missing, blank or not a string), the other checks after it', () => {
    for (const oid of [undefined, '', '   ', 42, null, { id: OID }]) {
      const got = check(claims({ oid, tid: 'another-tenant', preferred_username: undefined, email: undefined }));
      expect(got).toMatchObject({ ok: false, problem: 'no oid', partial: { oid: '' } });
    }
  });

  it('refuses another tenant (or none), matching the tenant id regardless of case', () => {
    expect(check(claims({ tid: '99999999-1111-4222-8333-444455556666' }))).toMatchObject({
      ok: false,
      problem: 'wrong tenant',
      partial: { oid: OID, tid: '99999999-1111-4222-8333-444455556666', username: 'it-admin@example.com' },
    });
    expect(check(claims({ tid: undefined }))).toMatchObject({
      ok: false,
      problem: 'wrong tenant',
      partial: { tid: '' },
    });
    expect(check(claims({ tid: 7 }))).toMatchObject({ ok: false, problem: 'wrong tenant' });
    expect(check(claims({ tid: TENANT.toUpperCase() }))).toMatchObject({
      ok: true,
      identity: { tid: TENANT.toUpperCase() },
    });
    expect(check(claims({ tid: TENANT.toLowerCase() })).ok).toBe(true);
    expect(check(claims({ tid: 'AbCdEf00-1111-4222-8333-444455556666' })).ok).toBe(true);
    // The configured tenant id in either case, too.
    expect(
      identityOf(claims({ tid: 'abcdef00-1111-4222-8333-444455556666' }), {
        tenantId: 'ABCDEF00-1111-4222-8333-444455556666',
        requireMfa: false,
      }).ok,
    ).toBe(true);
  });

  it('refuses a wrong tenant before a missing username or email', () => {
    expect(check(claims({ tid: 'other', preferred_username: undefined, email: undefined }))).toMatchObject({
      ok: false,
      problem: 'wrong tenant',
    });
  });

  it('refuses claims without a username and an email', () => {
    expect(check(claims({ preferred_username: undefined, email: undefined }))).toMatchObject({
      ok: false,
      problem: 'no username or email',
      partial: { oid: OID },
    });
    expect(check(claims({ preferred_username: 5, email: ['a@b.c'] }))).toMatchObject({
      ok: false,
      problem: 'no username or email',
    });
  });

  it('requireMfa: refuses an amr without "mfa" (or no amr) and accepts one with it', () => {
    expect(check(claims({ amr: ['pwd'] }), true)).toMatchObject({
      ok: false,
      problem: 'no mfa',
      partial: { oid: OID, username: 'it-admin@example.com', amr: ['pwd'] },
    });
    expect(check(claims({ amr: undefined }), true)).toMatchObject({ ok: false, problem: 'no mfa' });
    expect(check(claims({ amr: 'mfa' }), true)).toMatchObject({ ok: false, problem: 'no mfa', partial: { amr: [] } });
    expect(check(claims({ amr: ['MFA'] }), true)).toMatchObject({ ok: false, problem: 'no mfa' });
    expect(check(claims({ amr: ['pwd', 'mfa'] }), true)).toMatchObject({ ok: true, identity: { amr: ['pwd', 'mfa'] } });
    expect(check(claims({ amr: ['mfa'] }), true).ok).toBe(true);
  });

  it('without requireMfa accepts an amr without "mfa" and no amr at all', () => {
    expect(check(claims({ amr: ['pwd'] }), false)).toMatchObject({ ok: true, identity: { amr: ['pwd'] } });
    expect(check(claims({ amr: undefined }), false)).toMatchObject({ ok: true, identity: { amr: [] } });
  });

  it('requireMfa is checked last: a missing oid is reported before a missing mfa', () => {
    expect(check(claims({ oid: undefined, amr: [] }), true)).toMatchObject({ ok: false, problem: 'no oid' });
    expect(check(claims({ email: undefined, preferred_username: undefined, amr: [] }), true)).toMatchObject({
      ok: false,
      problem: 'no username or email',
    });
  });

  it('drops amr entries that are not strings, and an amr that is not an array', () => {
    const got = check(claims({ amr: ['pwd', 1, null, { m: 'mfa' }, ['mfa'], 'otp'] }));
    expect(got).toMatchObject({ ok: true, identity: { amr: ['pwd', 'otp'] } });
    expect(check(claims({ amr: 'pwd mfa' }))).toMatchObject({ ok: true, identity: { amr: [] } });
    expect(check(claims({ amr: { 0: 'mfa', length: 1 } }))).toMatchObject({ ok: true, identity: { amr: [] } });
  });

  it('authenticatedAt: auth_time when it is a number, else iat, else 0; in milliseconds', () => {
    const at = (c: Record<string, unknown>) => {
      const got = check(claims(c));
      return got.ok ? got.identity.authenticatedAt : got.partial.authenticatedAt;
    };
    expect(at({ auth_time: 1_700_000_000, iat: 1_700_000_500 })).toBe(1_700_000_000_000);
    expect(at({ auth_time: 0, iat: 1_700_000_500 })).toBe(0);
    expect(at({ auth_time: undefined, iat: 1_700_000_500 })).toBe(1_700_000_500_000);
    expect(at({ auth_time: '1700000000', iat: 1_700_000_500 })).toBe(1_700_000_500_000);
    expect(at({ auth_time: undefined, iat: '1700000600' })).toBe(1_700_000_600_000);
    expect(at({ auth_time: undefined, iat: undefined })).toBe(0);
    expect(at({ auth_time: undefined, iat: 'yesterday' })).toBe(0);
    expect(at({ auth_time: Number.POSITIVE_INFINITY, iat: 1_700_000_500 })).toBe(0);
  });
});

describe('isApprover: the signed-in person is the link’s approver', () => {
  it('by username (UPN) alone, whatever the email', () => {
    expect(isApprover(identity({ email: 'someone.else@example.com' }), 'it-admin@example.com')).toBe(true);
    expect(isApprover(identity({ email: undefined }), 'it-admin@example.com')).toBe(true);
  });

  it('by email only when Entra says its domain owner verified it (xms_edov), whatever the username', () => {
    const verified = { emailVerified: true } as const;
    expect(
      isApprover(identity({ ...verified, username: 'itadm@contoso.onmicrosoft.com' }), 'it.admin@example.com'),
    ).toBe(true);
    expect(isApprover(identity({ ...verified, username: undefined }), 'it.admin@example.com')).toBe(true);
    // An unverified email (a guest's own, say) never identifies an approver.
    expect(isApprover(identity({ username: 'itadm@contoso.onmicrosoft.com' }), 'it.admin@example.com')).toBe(false);
    expect(isApprover(identity({ username: undefined, emailVerified: false }), 'it.admin@example.com')).toBe(false);
  });

  it('ignores case and surrounding white space of the approver address', () => {
    expect(isApprover(identity(), '  IT-Admin@Example.COM ')).toBe(true);
    expect(isApprover(identity({ username: undefined, emailVerified: true }), '\tIT.ADMIN@example.com\n')).toBe(true);
  });

  it("a verified email that is not the approver's, with another username, is not the approver", () => {
    expect(
      isApprover(identity({ username: 'itadm@contoso.onmicrosoft.com', emailVerified: true }), 'security@example.com'),
    ).toBe(false);
  });

  it('an approver address outside printable ASCII matches nobody, not even the same string', () => {
    for (const odd of ['\u00e4dmin@example.com', 'admin@example.co\u00e4', 'ad min@example.com'])
      expect(isApprover(identity({ username: odd, email: odd, emailVerified: true }), odd)).toBe(false);
  });

  it('never matches through Unicode: a username or approver outside printable ASCII is not the approver', () => {
    expect(isApprover(identity({ username: '\u212Aate@example.com' }), 'kate@example.com')).toBe(false);
    expect(isApprover(identity({ username: 'kate@example.com' }), '\u212Aate@example.com')).toBe(false);
    expect(
      isApprover(
        identity({ username: undefined, email: 'k\u0430te@example.com', emailVerified: true }),
        'kate@example.com',
      ),
    ).toBe(false);
  });

  it('neither username nor email: not the approver', () => {
    expect(isApprover(identity(), 'security@example.com')).toBe(false);
    expect(isApprover(identity({ username: undefined, email: undefined }), 'it-admin@example.com')).toBe(false);
    expect(isApprover(identity({ username: 'it-admin@example.com.evil' }), 'it-admin@example.com')).toBe(false);
    expect(isApprover(identity(), '')).toBe(false);
  });
});

describe('freshEnough: a sign-in recent enough to decide with (step-up)', () => {
  const at = (authenticatedAt: number) => freshEnough(identity({ authenticatedAt }), NOW, STEP_UP);

  it('just now and within the window', () => {
    expect(at(NOW)).toBe(true);
    expect(at(NOW - 1)).toBe(true);
    expect(at(NOW - STEP_UP / 2)).toBe(true);
  });

  it('exactly stepUpMs old is still fresh; one millisecond more is not', () => {
    expect(at(NOW - STEP_UP)).toBe(true);
    expect(at(NOW - STEP_UP - 1)).toBe(false);
    expect(at(NOW - 3_600_000)).toBe(false);
    expect(at(0)).toBe(false);
  });

  it('up to 60 s in the future is clock skew; beyond that it is refused', () => {
    expect(at(NOW + 1)).toBe(true);
    expect(at(NOW + 59_999)).toBe(true);
    expect(at(NOW + 60_000)).toBe(true);
    expect(at(NOW + 60_001)).toBe(false);
    expect(at(NOW + 3_600_000)).toBe(false);
  });

  it('uses the window it is given', () => {
    expect(freshEnough(identity({ authenticatedAt: NOW - 90_000 }), NOW, 60_000)).toBe(false);
    expect(freshEnough(identity({ authenticatedAt: NOW - 90_000 }), NOW, 120_000)).toBe(true);
    expect(freshEnough(identity({ authenticatedAt: NOW }), NOW + 5_000, 5_000)).toBe(true);
    expect(freshEnough(identity({ authenticatedAt: NOW }), NOW + 5_001, 5_000)).toBe(false);
  });
});

describe('describeIdentity: how an identity is named in audit records', () => {
  it('the oid and the username', () => {
    expect(describeIdentity(identity())).toEqual({ oid: OID, username: 'it-admin@example.com' });
  });

  it('the email when there is no username', () => {
    expect(describeIdentity(identity({ username: undefined }))).toEqual({ oid: OID, username: 'it.admin@example.com' });
  });

  it('leaves out what is missing or empty, and never more than oid and username', () => {
    expect(describeIdentity({ oid: '', tid: TENANT, amr: ['mfa'], authenticatedAt: NOW })).toEqual({});
    expect(describeIdentity({})).toEqual({});
    expect(describeIdentity({ oid: OID })).toEqual({ oid: OID });
    expect(describeIdentity({ email: 'a@b.c' })).toEqual({ username: 'a@b.c' });
  });
});
