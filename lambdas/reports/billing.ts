import { GuardTier } from './settings.js';

/**
 * Who Atlassian bills for Guard, from the facts we hold (policy, product access, status).
 *
 * Guard Standard: "A billable account is any managed account and external user that has access to
 * Jira, Confluence, Bitbucket, Jira Service Management (agents only), or Trello ... Managed users in
 * a non-billable authentication policy will not be considered billable users."
 *   https://www.atlassian.com/licensing/atlassian-guard
 *   https://support.atlassian.com/subscriptions-and-billing/docs/manage-your-bill-for-atlassian-guard-standard/
 * Guard Premium: "members of a non-billable authentication policy count towards your Atlassian Guard
 * Premium bill if they have product access"; not counted when deactivated, without Jira or
 * Confluence, or with only Jira Service Management or Jira Product Discovery.
 *   https://support.atlassian.com/subscriptions-and-billing/docs/manage-your-bill-for-atlassian-guard-premium/
 * The vendor's Premium page counts only users with Jira or Confluence; this product follows its own
 * rule (DESIGN.md "Billing facts"): Premium counts what Standard counts plus nonbillable-policy
 * members with Jira or Confluence access. A billable-policy member with, say, only Trello is billed
 * under both tiers here.
 */

export const AccountState = { ACTIVE: 'active', DEACTIVATED: 'deactivated', SUSPENDED: 'suspended' } as const;
export type AccountState = (typeof AccountState)[keyof typeof AccountState];

/** One managed account as finance sees it (from the v2 users search and the policy bulk read). */
export interface AccountFacts {
  readonly accountId: string;
  readonly email?: string;
  readonly name?: string;
  readonly status: AccountState;
  /** Authentication policy id; undefined when it was not fetched. */
  readonly policyId?: string;
  /** Keys of the products the account has access to (`jira-software`, `confluence`, ...). */
  readonly products: readonly string[];
  /** v2 users search `department`: the cost centre. */
  readonly department?: string;
  readonly organization?: string;
}

/** The two configured authentication policies (config `policies`). */
export interface PolicyIds {
  readonly billableId: string;
  readonly nonbillableId: string;
}

export const PolicyClass = {
  BILLABLE: 'billable',
  NONBILLABLE: 'nonbillable',
  OTHER: 'other',
  UNKNOWN: 'unknown',
} as const;
export type PolicyClass = (typeof PolicyClass)[keyof typeof PolicyClass];

export function classifyPolicy(policyId: string | undefined, policies: PolicyIds): PolicyClass {
  if (policyId === undefined) return PolicyClass.UNKNOWN;
  if (policyId === policies.billableId) return PolicyClass.BILLABLE;
  if (policyId === policies.nonbillableId) return PolicyClass.NONBILLABLE;
  return PolicyClass.OTHER;
}

/** Jira Service Management and Jira Product Discovery alone do not count for Premium. */
const NOT_JIRA_FOR_PREMIUM = new Set(['jira-servicedesk', 'jira-service-desk', 'jira-product-discovery']);

/** A product key that Guard Premium counts: Confluence or a Jira other than JSM and JPD. */
export const isJiraOrConfluence = (key: string): boolean =>
  key === 'confluence' || (key.startsWith('jira') && !NOT_JIRA_FOR_PREMIUM.has(key));

export const ReasonCode = {
  /** Billed under both tiers: product access in the billable policy. */
  BILLABLE_POLICY: 'BILLABLE_POLICY',
  /** Billed under Premium only: Jira or Confluence access outside the billable policy. */
  PREMIUM_JIRA_CONFLUENCE: 'PREMIUM_JIRA_CONFLUENCE',
  NONBILLABLE_POLICY: 'NONBILLABLE_POLICY',
  DEACTIVATED: 'DEACTIVATED',
  SUSPENDED: 'SUSPENDED',
  NO_PRODUCT_ACCESS: 'NO_PRODUCT_ACCESS',
  /** The policy was not fetched, or is neither configured policy: we cannot say. */
  UNKNOWN_POLICY: 'UNKNOWN_POLICY',
} as const;
export type ReasonCode = (typeof ReasonCode)[keyof typeof ReasonCode];

export interface BillingVerdict {
  /** `unknown` when the facts we hold cannot settle it (see `reason`). */
  readonly billable: boolean | 'unknown';
  readonly reason: ReasonCode;
  /** One sentence with the evidence, for `lifecycle seats why` and the billed-accounts CSV. */
  readonly evidence: string;
}

export interface BillingRule {
  readonly tier: GuardTier;
  readonly policies: PolicyIds;
}

const TIER_NAME: Readonly<Record<GuardTier, string>> = { standard: 'Guard Standard', premium: 'Guard Premium' };
const list = (keys: readonly string[]): string => keys.join(', ');

/** Why an account is (or is not) billed under the tier, with the evidence in one sentence. */
export function whyBillable(facts: AccountFacts, rule: BillingRule): BillingVerdict {
  const tier = TIER_NAME[rule.tier];
  const verdict = (billable: boolean | 'unknown', reason: ReasonCode, evidence: string): BillingVerdict => ({
    billable,
    reason,
    evidence: `${billable === 'unknown' ? 'Unknown' : billable ? 'Billed' : 'Not billed'} on ${tier}: ${evidence}.`,
  });
  if (facts.status === AccountState.DEACTIVATED)
    return verdict(
      false,
      ReasonCode.DEACTIVATED,
      'the account is deactivated, and deactivated accounts are never billed',
    );
  if (facts.status === AccountState.SUSPENDED)
    return verdict(false, ReasonCode.SUSPENDED, 'the account is suspended in every directory, so it has no access');
  const products = [...new Set(facts.products)].sort();
  if (products.length === 0)
    return verdict(false, ReasonCode.NO_PRODUCT_ACCESS, 'the account is active but has access to no product');
  const policy = classifyPolicy(facts.policyId, rule.policies);
  if (policy === PolicyClass.BILLABLE)
    return verdict(
      true,
      ReasonCode.BILLABLE_POLICY,
      `active, access to ${list(products)}, in the billable policy ${facts.policyId}`,
    );
  const counted = products.filter(isJiraOrConfluence);
  const where =
    policy === PolicyClass.NONBILLABLE
      ? `in the nonbillable policy ${facts.policyId}`
      : policy === PolicyClass.OTHER
        ? `in policy ${facts.policyId}, which is neither the billable nor the nonbillable one configured`
        : 'its authentication policy was not read';
  if (rule.tier === GuardTier.PREMIUM && counted.length > 0)
    return verdict(
      true,
      ReasonCode.PREMIUM_JIRA_CONFLUENCE,
      `${where}, but Guard Premium also counts accounts with Jira or Confluence access (${list(counted)})`,
    );
  if (policy === PolicyClass.NONBILLABLE)
    return verdict(
      false,
      ReasonCode.NONBILLABLE_POLICY,
      rule.tier === GuardTier.PREMIUM
        ? `${where}, with no Jira or Confluence access (${list(products)})`
        : `${where}; members of a nonbillable policy are not billed (access to ${list(products)})`,
    );
  return verdict('unknown', ReasonCode.UNKNOWN_POLICY, `access to ${list(products)}, but ${where}`);
}
