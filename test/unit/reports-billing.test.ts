import { describe, expect, it } from 'vitest';
import { accountFacts, whyBillable, type AccountFacts, type BillingRule } from '../../lambdas/reports/index.js';
import { facts, POLICIES, PREMIUM, STANDARD } from '../helpers/reports.js';

type Case = [
  name: string,
  account: Partial<AccountFacts>,
  standard: boolean | 'unknown',
  premium: boolean | 'unknown',
  reason: string,
  premiumReason?: string,
];

const CASES: Case[] = [
  ['a billed account: product access in the billable policy', {}, true, true, 'BILLABLE_POLICY'],
  ['a billable-policy member with only Trello', { products: ['trello'] }, true, true, 'BILLABLE_POLICY'],
  [
    'a nonbillable-policy member with Confluence (Premium-only billed)',
    { policyId: POLICIES.nonbillableId, products: ['confluence'] },
    false,
    true,
    'NONBILLABLE_POLICY',
    'PREMIUM_JIRA_CONFLUENCE',
  ],
  [
    'a nonbillable-policy member with Jira Software',
    { policyId: POLICIES.nonbillableId, products: ['jira-software'] },
    false,
    true,
    'NONBILLABLE_POLICY',
    'PREMIUM_JIRA_CONFLUENCE',
  ],
  [
    'a nonbillable-policy member with only JSM',
    { policyId: POLICIES.nonbillableId, products: ['jira-servicedesk'] },
    false,
    false,
    'NONBILLABLE_POLICY',
  ],
  [
    'a nonbillable-policy member with only JPD',
    { policyId: POLICIES.nonbillableId, products: ['jira-product-discovery'] },
    false,
    false,
    'NONBILLABLE_POLICY',
  ],
  [
    'a nonbillable-policy member with only Trello',
    { policyId: POLICIES.nonbillableId, products: ['trello'] },
    false,
    false,
    'NONBILLABLE_POLICY',
  ],
  ['a deactivated account in the billable policy', { status: 'deactivated' }, false, false, 'DEACTIVATED'],
  [
    'a suspended account',
    { status: 'suspended', policyId: POLICIES.nonbillableId, products: ['confluence'] },
    false,
    false,
    'SUSPENDED',
  ],
  ['an active account with no product access', { products: [] }, false, false, 'NO_PRODUCT_ACCESS'],
  [
    'an account whose policy was not read',
    { policyId: undefined, products: ['trello'] },
    'unknown',
    'unknown',
    'UNKNOWN_POLICY',
  ],
  [
    'an account in a third policy',
    { policyId: 'pol-other', products: ['bitbucket'] },
    'unknown',
    'unknown',
    'UNKNOWN_POLICY',
  ],
  [
    'an unknown-policy account with Confluence (Premium bills it whatever the policy)',
    { policyId: undefined, products: ['confluence'] },
    'unknown',
    true,
    'UNKNOWN_POLICY',
    'PREMIUM_JIRA_CONFLUENCE',
  ],
];

describe('whyBillable', () => {
  it.each(CASES)('%s', (_name, over, standard, premium, reason, premiumReason) => {
    const account = facts(over);
    const s = whyBillable(account, STANDARD);
    const p = whyBillable(account, PREMIUM);
    expect([s.billable, s.reason]).toEqual([standard, reason]);
    expect([p.billable, p.reason]).toEqual([premium, premiumReason ?? reason]);
  });

  it('says billed, not billed or unknown, and names the tier and the evidence', () => {
    const billed = whyBillable(facts({ products: ['jira-software', 'confluence', 'confluence'] }), STANDARD);
    expect(billed.evidence).toBe(
      'Billed on Guard Standard: active, access to confluence, jira-software, in the billable policy pol-sso.',
    );
    const premiumOnly = whyBillable(facts({ policyId: 'pol-free', products: ['confluence', 'trello'] }), PREMIUM);
    expect(premiumOnly.evidence).toBe(
      'Billed on Guard Premium: in the nonbillable policy pol-free, but Guard Premium also counts accounts with Jira or Confluence access (confluence).',
    );
    const free = whyBillable(facts({ policyId: 'pol-free', products: ['confluence'] }), STANDARD);
    expect(free.evidence).toBe(
      'Not billed on Guard Standard: in the nonbillable policy pol-free; members of a nonbillable policy are not billed (access to confluence).',
    );
    expect(whyBillable(facts({ policyId: 'pol-free', products: ['trello'] }), PREMIUM).evidence).toBe(
      'Not billed on Guard Premium: in the nonbillable policy pol-free, with no Jira or Confluence access (trello).',
    );
    expect(whyBillable(facts({ status: 'deactivated' }), PREMIUM).evidence).toMatch(
      /^Not billed on Guard Premium: the account is deactivated/,
    );
    expect(whyBillable(facts({ status: 'suspended' }), STANDARD).evidence).toMatch(/suspended in every directory/);
    expect(whyBillable(facts({ products: [] }), STANDARD).evidence).toMatch(/access to no product\.$/);
    expect(whyBillable(facts({ policyId: undefined }), STANDARD).evidence).toBe(
      'Unknown on Guard Standard: access to jira-software, but its authentication policy was not read.',
    );
    expect(whyBillable(facts({ policyId: 'pol-x' }), STANDARD).evidence).toMatch(
      /in policy pol-x, which is neither the billable nor the nonbillable one configured\.$/,
    );
  });

  it('follows the configured policy ids, not their names', () => {
    const swapped: BillingRule = { tier: 'standard', policies: { billableId: 'pol-free', nonbillableId: 'pol-sso' } };
    expect(whyBillable(facts({ policyId: 'pol-sso' }), swapped).billable).toBe(false);
    expect(whyBillable(facts({ policyId: 'pol-free' }), swapped).billable).toBe(true);
  });
});

describe('accountFacts', () => {
  const base = {
    accountId: 'a1',
    name: 'Ann',
    accountType: 'atlassian' as const,
    accountStatus: 'active' as const,
    products: [{ key: 'jira-software' }, { key: 'jira-software' }, { key: 'confluence' }],
  };

  it('maps an active managed account with its policy and cost centre', () => {
    expect(
      accountFacts({ ...base, email: 'ann@example.com' }, 'pol-sso', { department: 'Sales', organization: 'EMEA' }),
    ).toEqual({
      accountId: 'a1',
      email: 'ann@example.com',
      name: 'Ann',
      status: 'active',
      policyId: 'pol-sso',
      products: ['jira-software', 'confluence'],
      department: 'Sales',
      organization: 'EMEA',
    });
  });

  it('treats inactive and closed accounts as deactivated, suspended members as suspended', () => {
    expect(accountFacts({ ...base, accountStatus: 'inactive' }, 'pol-sso').status).toBe('deactivated');
    expect(accountFacts({ ...base, accountStatus: 'closed' }, 'pol-sso').status).toBe('deactivated');
    expect(accountFacts({ ...base, membershipStatus: 'suspended' }, 'pol-sso').status).toBe('suspended');
    expect(accountFacts({ ...base, membershipStatus: 'active' }, 'pol-sso').status).toBe('active');
  });

  it('carries no product access for app and customer accounts, and no policy when unread', () => {
    expect(accountFacts({ ...base, accountType: 'app' }, 'pol-sso').products).toEqual([]);
    expect(accountFacts({ ...base, accountType: 'customer' }, 'pol-sso').products).toEqual([]);
    expect('policyId' in accountFacts(base, undefined)).toBe(false);
    expect('department' in accountFacts(base, 'p', { department: '' })).toBe(false);
  });
});
