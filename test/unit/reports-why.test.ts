import { describe, expect, it } from 'vitest';
import { explainAccount, SeatsQueryError, type AccountFacts } from '../../lambdas/reports/index.js';
import { facts, POLICIES, PREMIUM, STANDARD } from '../helpers/reports.js';

const ACCOUNTS: AccountFacts[] = [
  facts({ accountId: 'id-billed', email: 'Billed@Example.com' }),
  facts({
    accountId: 'id-free',
    email: 'free@example.com',
    policyId: POLICIES.nonbillableId,
    products: ['confluence'],
  }),
  facts({ accountId: 'id-gone', email: 'gone@example.com', status: 'deactivated' }),
  facts({ accountId: 'id-hidden', email: undefined, policyId: POLICIES.nonbillableId, products: ['jira-software'] }),
];
const source = {
  async *accounts() {
    yield* ACCOUNTS;
  },
};

describe('seats why', () => {
  it.each([
    ['billed@example.com', STANDARD, 'billed@example.com', true],
    [
      ' id-free ',
      STANDARD,
      'free@example.com (id-free): Not billed on Guard Standard: in the nonbillable policy',
      false,
    ],
    [
      'gone@example.com',
      PREMIUM,
      'gone@example.com (id-gone): Not billed on Guard Premium: the account is deactivated',
      false,
    ],
    [
      'id-hidden',
      PREMIUM,
      'id-hidden: Billed on Guard Premium: in the nonbillable policy pol-free, but Guard Premium',
      true,
    ],
  ] as const)('explains %s in one line', async (who, rule, start, billable) => {
    const answer = await explainAccount(source, { orgId: 'org-1', who, rule });
    expect(answer.line.toLowerCase().startsWith(start.toLowerCase())).toBe(true);
    expect(answer.line).not.toContain('\n');
    expect(answer.verdict.billable).toBe(billable);
  });

  it('says what was asked and how to find a hidden-email account when nothing matches', async () => {
    const run = explainAccount(source, { orgId: 'org-1', who: 'nobody@example.com', rule: STANDARD });
    await expect(run).rejects.toThrow(SeatsQueryError);
    await expect(explainAccount(source, { orgId: 'org-1', who: 'nobody@example.com', rule: STANDARD })).rejects.toThrow(
      /"nobody@example.com" in organization org-1.*account id only/,
    );
  });
});
