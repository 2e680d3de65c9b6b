import type { AccountFacts, BillingRule, ExecutedChange } from '../../lambdas/reports/index.js';

export const POLICIES = { billableId: 'pol-sso', nonbillableId: 'pol-free' } as const;
export const STANDARD: BillingRule = { tier: 'standard', policies: POLICIES };
export const PREMIUM: BillingRule = { tier: 'premium', policies: POLICIES };

let seq = 0;
/** An active account with Jira in the billable policy, unless told otherwise. */
export function facts(over: Partial<AccountFacts> = {}): AccountFacts {
  seq += 1;
  return {
    accountId: `acc-${seq}`,
    email: `user${seq}@example.com`,
    name: `User ${seq}`,
    status: 'active',
    policyId: POLICIES.billableId,
    products: ['jira-software'],
    department: 'Engineering',
    ...over,
  };
}

export function change(over: Partial<ExecutedChange> & Pick<ExecutedChange, 'executedAt'>): ExecutedChange {
  seq += 1;
  return {
    accountId: `chg-${seq}`,
    action: 'DEACTIVATE',
    before: { status: 'active', policyId: POLICIES.billableId, products: ['jira-software'] },
    ...over,
  };
}
