import { describe, expect, it } from 'vitest';
import type { ManagedAccount } from '../../lambdas/atlassian/types.js';
import { evaluateAccount, isBreakGlass, type EntraFacts, type ExclusionCode } from '../../lambdas/rules/index.js';
import {
  EXCLUSION_GROUP,
  NONBILLABLE,
  makeAccount,
  makeContext,
  makeInput,
  staleAccount,
} from '../helpers/accounts.js';

// The example configuration: breakGlass breakglass-1@ and -2@example.com; exclusions.emails
// ceo@example.com; exclusions.domains partner.example.org; entra.exclusionGroupIds grp-lifecycle-exempt.
const ctx = makeContext((raw) => {
  raw.breakGlass.push({ email: 'breakglass-3@example.com', accountId: '712020:bg-3' });
  raw.exclusions.accountIds = ['712020:excluded-id'];
  raw.exclusions.emails.push('boss@partner.example.org');
});

type Row = [string, Partial<ManagedAccount>, Partial<EntraFacts> | undefined, ExclusionCode];

// Every row is a stale account not in the Confluence group: without its exclusion it would be DEACTIVATEd.
const rows: Row[] = [
  ['break-glass by email', { email: 'breakglass-1@example.com' }, undefined, 'BREAK_GLASS'],
  ['break-glass by email in another case', { email: ' BreakGlass-2@Example.COM' }, undefined, 'BREAK_GLASS'],
  [
    'break-glass by account id, whatever its email',
    { accountId: '712020:bg-3', email: 'renamed@example.com' },
    undefined,
    'BREAK_GLASS',
  ],
  [
    'break-glass by account id with a hidden email',
    { accountId: '712020:bg-3', email: undefined },
    undefined,
    'BREAK_GLASS',
  ],
  ['an org admin', { platformRoles: ['atlassian/site-admin', 'atlassian/org-admin'] }, undefined, 'ORG_ADMIN'],
  ['an app account', { accountType: 'app', email: undefined }, undefined, 'APP_ACCOUNT'],
  ['a customer account', { accountType: 'customer' }, undefined, 'CUSTOMER_ACCOUNT'],
  ['an unknown account type', { accountType: 'robot' as any }, undefined, 'UNRECOGNISED_ACCOUNT'],
  ['a closed account', { accountStatus: 'closed' }, undefined, 'ACCOUNT_CLOSED'],
  ['an already deactivated account', { accountStatus: 'inactive' }, undefined, 'ACCOUNT_INACTIVE'],
  ['an unknown account status', { accountStatus: 'partial' as any }, undefined, 'UNRECOGNISED_ACCOUNT'],
  ['a suspended membership', { membershipStatus: 'suspended' }, undefined, 'MEMBERSHIP_SUSPENDED'],
  ['no membership in any directory', { membershipStatus: 'no_membership' }, undefined, 'NO_MEMBERSHIP'],
  ['an unknown membership status', { membershipStatus: 'pending' as any }, undefined, 'UNRECOGNISED_ACCOUNT'],
  ['an excluded account id', { accountId: '712020:excluded-id' }, undefined, 'EXCLUDED_ACCOUNT_ID'],
  ['an excluded email', { email: 'ceo@example.com' }, undefined, 'EXCLUDED_EMAIL'],
  ['an excluded email in another case', { email: 'CEO@Example.com' }, undefined, 'EXCLUDED_EMAIL'],
  ['an excluded domain', { email: 'jo@partner.example.org' }, undefined, 'EXCLUDED_DOMAIN'],
  ['an excluded domain in another case', { email: 'jo@Partner.Example.ORG' }, undefined, 'EXCLUDED_DOMAIN'],
  ['an Entra exclusion group', {}, { exclusionGroupIds: [EXCLUSION_GROUP] }, 'ENTRA_EXCLUSION_GROUP'],
  [
    'an Entra exclusion group id in another case',
    {},
    { exclusionGroupIds: ['GRP-Lifecycle-Exempt'] },
    'ENTRA_EXCLUSION_GROUP',
  ],
];

describe('exclusions: never proposed, and the reason is recorded', () => {
  it.each(rows)('%s', (_what, account, entra, code) => {
    const input = makeInput({ account: staleAccount(account), entra: { inConfluenceGroup: false, ...entra } });
    const decision = evaluateAccount(ctx, input);
    expect(decision).toMatchObject({ kind: 'excluded', reason: code });
    expect(decision.summary.length).toBeGreaterThan(10);
  });

  it.each(rows)('%s, even when a policy move or a leaver deactivation would apply', (_what, account, entra, code) => {
    const recentInGroupButNonbillable = makeInput({
      account,
      policyId: NONBILLABLE,
      entra: { found: true, accountEnabled: false, ...entra },
    });
    expect(evaluateAccount(ctx, recentInGroupButNonbillable)).toMatchObject({ kind: 'excluded', reason: code });
  });

  it('names the matching configuration in the summary', () => {
    expect(evaluateAccount(ctx, makeInput({ account: { email: 'jo@partner.example.org' } })).summary).toBe(
      'Domain partner.example.org is listed in exclusions.domains.',
    );
    expect(
      evaluateAccount(ctx, makeInput({ entra: { exclusionGroupIds: ['grp-other', EXCLUSION_GROUP] } })).summary,
    ).toBe(`Member of the Entra exclusion group ${EXCLUSION_GROUP}.`);
  });
});

describe("the org admin list (read in bulk before the listing) wins over the listing's roles", () => {
  const LISTED =
    'Organization admin (on the org admin list, although the listing does not show the role): never proposed.';
  it.each<[string, string[] | undefined, boolean | 'unread', string]>([
    ['on the list, roles read as none', [], true, `excluded:ORG_ADMIN:${LISTED}`],
    ['on the list, roles left out of the listing', undefined, true, `excluded:ORG_ADMIN:${LISTED}`],
    ['on the list, only other roles', ['atlassian/user', 'atlassian/site-admin'], true, `excluded:ORG_ADMIN:${LISTED}`],
    ['on the list, an unknown role string', ['atlassian/org-owner'], true, `excluded:ORG_ADMIN:${LISTED}`],
    [
      'on the list and the roles say so',
      ['atlassian/org-admin'],
      true,
      'excluded:ORG_ADMIN:Organization admin: never proposed.',
    ],
    [
      'not on the list, but the roles say org admin',
      ['atlassian/org-admin'],
      false,
      'excluded:ORG_ADMIN:Organization admin: never proposed.',
    ],
    ['not on the list, roles read as none', [], false, 'action:DEACTIVATE'],
    ['not on the list, roles left out', undefined, false, 'needs-data:platformRoles'],
    ['the list not read, roles read as none', [], 'unread', 'needs-data:orgAdminList'],
    ['the list not read, roles left out', undefined, 'unread', 'needs-data:platformRoles+orgAdminList'],
  ])('%s', (_what, platformRoles, onOrgAdminList, expected) => {
    const d = evaluateAccount(ctx, makeInput({ account: staleAccount({ platformRoles }), onOrgAdminList }));
    const got =
      d.kind === 'excluded'
        ? `excluded:${d.reason}:${d.summary}`
        : d.kind === 'action'
          ? `action:${d.action}`
          : d.kind === 'needs-data'
            ? `needs-data:${d.missing.join('+')}`
            : d.kind;
    expect(got).toBe(expected);
  });

  it('says what is missing when only the admin list was not read', () => {
    const d = evaluateAccount(ctx, makeInput({ account: staleAccount(), onOrgAdminList: 'unread' }));
    expect(d).toMatchObject({ kind: 'needs-data', pendingAction: 'DEACTIVATE' });
    expect(d.summary).toMatch(
      /^Cannot decide yet: DEACTIVATE is due \(.*\) but the org admin list was not read; needs orgAdminList\.$/,
    );
  });

  it('does not ask for the admin list when nothing would be done', () => {
    expect(evaluateAccount(ctx, makeInput({ onOrgAdminList: 'unread' })).kind).toBe('keep');
  });

  it('puts break-glass before the admin list', () => {
    const d = evaluateAccount(
      ctx,
      makeInput({ account: staleAccount({ email: 'breakglass-1@example.com' }), onOrgAdminList: true }),
    );
    expect(d).toMatchObject({ kind: 'excluded', reason: 'BREAK_GLASS' });
  });
});

describe('what is not an exclusion', () => {
  it.each([
    ['a subdomain of an excluded domain', { email: 'jo@eu.partner.example.org' }],
    ['the parent of an excluded domain', { email: 'jo@example.org' }],
    ['a domain that merely ends like an excluded one', { email: 'jo@notpartner.example.org' }],
    ['an excluded domain in the local part', { email: 'partner.example.org@example.com' }],
    ['an email that only contains an excluded email', { email: 'deputy.ceo@example.com' }],
    ['a site admin (only org admins are excluded)', { platformRoles: ['atlassian/site-admin'] }],
    ['roles read and empty', { platformRoles: [] }],
  ])('%s', (_what, account) => {
    const decision = evaluateAccount(ctx, makeInput({ account: staleAccount(account) }));
    expect(decision).toMatchObject({ kind: 'action', action: 'DEACTIVATE' });
  });

  it('ignores Entra groups that are not configured exclusion groups', () => {
    const decision = evaluateAccount(
      ctx,
      makeInput({ account: staleAccount(), entra: { exclusionGroupIds: ['grp-confluence-users'] } }),
    );
    expect(decision).toMatchObject({ kind: 'action', action: 'DEACTIVATE' });
  });

  it('cannot match a hidden email against email or domain exclusions (only account ids)', () => {
    const hidden = evaluateAccount(ctx, makeInput({ account: staleAccount({ email: undefined }), entra: 'none' }));
    expect(hidden).toMatchObject({ kind: 'action', action: 'DEACTIVATE' });
  });
});

describe('exclusion precedence: the first that applies is the recorded reason', () => {
  it.each<[string, Partial<ManagedAccount>, Partial<EntraFacts>, ExclusionCode]>([
    [
      'break-glass over admin, app and closed',
      {
        email: 'breakglass-1@example.com',
        platformRoles: ['atlassian/org-admin'],
        accountType: 'app',
        accountStatus: 'closed',
      },
      {},
      'BREAK_GLASS',
    ],
    [
      'admin over app and closed',
      { platformRoles: ['atlassian/org-admin'], accountType: 'app', accountStatus: 'closed' },
      {},
      'ORG_ADMIN',
    ],
    ['app over closed', { accountType: 'app', accountStatus: 'closed' }, {}, 'APP_ACCOUNT'],
    ['customer over inactive', { accountType: 'customer', accountStatus: 'inactive' }, {}, 'CUSTOMER_ACCOUNT'],
    [
      'closed over suspended and configured exclusions',
      { accountStatus: 'closed', membershipStatus: 'suspended', email: 'ceo@example.com' },
      {},
      'ACCOUNT_CLOSED',
    ],
    [
      'suspended over configured exclusions',
      { membershipStatus: 'suspended', email: 'ceo@example.com' },
      {},
      'MEMBERSHIP_SUSPENDED',
    ],
    ['account id over email', { accountId: '712020:excluded-id', email: 'ceo@example.com' }, {}, 'EXCLUDED_ACCOUNT_ID'],
    ['email over domain', { email: 'boss@partner.example.org' }, {}, 'EXCLUDED_EMAIL'],
    [
      'domain over Entra exclusion group',
      { email: 'jo@partner.example.org' },
      { exclusionGroupIds: [EXCLUSION_GROUP] },
      'EXCLUDED_DOMAIN',
    ],
  ])('%s', (_what, account, entra, code) => {
    expect(evaluateAccount(ctx, makeInput({ account: staleAccount(account), entra }))).toMatchObject({
      kind: 'excluded',
      reason: code,
    });
  });
});

describe('isBreakGlass', () => {
  it.each([
    [{ email: 'breakglass-1@example.com' }, true],
    [{ email: 'BREAKGLASS-1@EXAMPLE.COM' }, true],
    [{ accountId: '712020:bg-3', email: undefined }, true],
    [{ email: 'breakglass-3@example.com', accountId: 'someone-else' }, true],
    [{ email: 'breakglass@example.com' }, false],
    [{ email: undefined }, false],
  ])('%j → %s', (account, expected) => {
    expect(isBreakGlass(ctx, makeAccount(account))).toBe(expected);
  });
});
