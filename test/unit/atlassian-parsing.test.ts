import { describe, expect, it } from 'vitest';
import { mapTaskOutcome } from '../../lambdas/atlassian/index.js';
import { cursorFromNext } from '../../lambdas/atlassian/cursor.js';
import { fromV1, fromV2 } from '../../lambdas/atlassian/mappers.js';
import { v2UserSchema } from '../../lambdas/atlassian/schemas.js';
import { toPolicyAssignment } from '../../lambdas/atlassian/policy-assignments.js';
import { errorCodesOf } from '../../lambdas/atlassian/error-mapping.js';

describe('links.next', () => {
  it('accepts a bare cursor', () => {
    expect(cursorFromNext('abc==')).toBe('abc==');
  });
  it('takes only the cursor from a full URL, whatever host it names', () => {
    expect(cursorFromNext('https://evil.example/admin/v1/orgs/1/users?cursor=xyz%3D')).toBe('xyz=');
  });
  it('treats empty or absent as the last page', () => {
    expect(cursorFromNext(undefined)).toBeUndefined();
    expect(cursorFromNext('')).toBeUndefined();
  });
  it('refuses a URL with no cursor', () => {
    expect(() => cursorFromNext('https://api.atlassian.com/admin/v1/orgs/1/users')).toThrow(/without a cursor/);
  });
});

describe('account mapping', () => {
  it('maps a v1 user with its per-product dates and billable flag', () => {
    const a = fromV1({
      account_id: 'a1',
      account_type: 'atlassian',
      account_status: 'active',
      name: 'Ada',
      picture: 'p',
      email: 'Ada@Example.com',
      access_billable: true,
      last_active: '2026-10-01T00:00:00Z',
      product_access: [{ key: 'confluence', name: 'Confluence', last_active: '2026-09-01T00:00:00Z' }],
    });
    expect(a).toEqual({
      accountId: 'a1',
      email: 'Ada@Example.com',
      name: 'Ada',
      accountType: 'atlassian',
      accountStatus: 'active',
      lastActive: '2026-10-01T00:00:00Z',
      accessBillable: true,
      products: [{ key: 'confluence', name: 'Confluence', lastActive: '2026-09-01T00:00:00Z' }],
    });
  });
  it('keeps the latest date when a v2 user has one product on several sites', () => {
    const a = fromV2({
      accountId: 'a2',
      accountType: 'atlassian',
      accountStatus: 'active',
      productAccess: [
        { key: 'confluence', lastActiveTimestamp: '2026-01-01T00:00:00Z' },
        { key: 'confluence', lastActiveTimestamp: '2026-05-01T00:00:00Z' },
        { key: 'confluence' },
        { key: 'jira-software' },
      ],
      platformRoles: ['atlassian/org-admin'],
      addedToOrg: '2020-01-01T00:00:00Z',
    });
    expect(a.products).toEqual([{ key: 'confluence', lastActive: '2026-05-01T00:00:00Z' }, { key: 'jira-software' }]);
    expect(a.platformRoles).toEqual(['atlassian/org-admin']);
    expect(a.name).toBe('');
  });
  it('maps a v2 user without platformRoles to roles unknown, not to "no roles"', () => {
    const a = fromV2({ accountId: 'a3', accountType: 'atlassian', accountStatus: 'active' });
    expect(a.platformRoles).toBeUndefined();
    expect('platformRoles' in a).toBe(false);
    expect(
      fromV2({ accountId: 'a4', accountType: 'atlassian', accountStatus: 'active', platformRoles: [] }).platformRoles,
    ).toEqual([]);
  });
  it("carries a v2 user's department and organization (finance's cost centre), and leaves out a malformed one", () => {
    const base = { accountId: 'a5', accountType: 'atlassian', accountStatus: 'active' } as const;
    expect(fromV2(v2UserSchema.parse({ ...base, department: 'Sales', organization: 'EMEA' }))).toMatchObject({
      department: 'Sales',
      organization: 'EMEA',
    });
    const odd = fromV2(v2UserSchema.parse({ ...base, department: 42, organization: null }));
    expect('department' in odd || 'organization' in odd).toBe(false);
  });
});

describe('policy bulk-fetch adapter', () => {
  it('finds the policy id under the names we know', () => {
    expect(toPolicyAssignment({ email: 'a@x.com', accountId: 'a', policyId: 'p1', policyName: 'SSO' })).toEqual({
      email: 'a@x.com',
      accountId: 'a',
      policyId: 'p1',
      policyName: 'SSO',
    });
    expect(toPolicyAssignment({ email: 'a@x.com', authenticationPolicyId: 'p2' })).toMatchObject({ policyId: 'p2' });
    expect(toPolicyAssignment({ email: 'a@x.com', policy: { id: 'p3', name: 'Non-billable' } })).toMatchObject({
      policyId: 'p3',
      policyName: 'Non-billable',
    });
  });
  it('says which fields it saw when there is no policy id', () => {
    expect(toPolicyAssignment({ email: 'a@x.com', foo: 1 })).toEqual({
      error: expect.stringContaining('fields: email, foo'),
    });
  });
});

describe('add-users task outcome', () => {
  it('maps failure reasons back to the requested emails, case-insensitively', () => {
    const out = mapTaskOutcome('t1', ['a@x.com', 'B@x.com', 'c@x.com'], {
      inProgressCount: 0,
      successCount: 2,
      failureCount: 1,
      failureReasons: [{ emails: ['b@X.com'], details: { status: 400, title: 'User not found' } }],
    });
    expect(out.succeeded).toEqual(['a@x.com', 'c@x.com']);
    expect(out.failed).toEqual([{ email: 'b@X.com', status: 400, title: 'User not found' }]);
  });
});

describe('error bodies', () => {
  it('reads codes from the three documented error shapes', () => {
    expect(errorCodesOf(JSON.stringify({ errors: [{ code: 'ADMIN-404-1', title: 'Org not found' }] }))).toEqual({
      codes: ['ADMIN-404-1'],
      detail: 'Org not found',
    });
    expect(errorCodesOf(JSON.stringify({ code: 429, message: 'Too many requests' }))).toEqual({
      codes: ['429'],
      detail: 'Too many requests',
    });
    expect(
      errorCodesOf(JSON.stringify({ key: 'lifecycle.already.disabled', errorMessage: 'Already deactivated' })),
    ).toEqual({ codes: ['lifecycle.already.disabled'], detail: 'Already deactivated' });
    expect(errorCodesOf('<html>')).toEqual({ codes: [] });
  });
});
