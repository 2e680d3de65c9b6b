import type { ManagedAccount } from '../atlassian/types.js';
import { AccountState, type AccountFacts } from './billing.js';

/** Profile fields the v2 users search returns per account (cost centres). */
export interface AccountProfile {
  readonly department?: string;
  readonly organization?: string;
}

/**
 * Finance facts of one account from the listing and the policy bulk read (the cost centre from the
 * v2 listing's profile fields unless `profile` is given). Like the plan's
 * SeatCounter, app and customer accounts are never billed for Guard, so their product access is
 * not carried; an account suspended in every directory has no access, so it is SUSPENDED.
 */
export function accountFacts(
  account: ManagedAccount,
  policyId: string | undefined,
  profile: AccountProfile = account,
): AccountFacts {
  const status =
    account.accountStatus !== 'active'
      ? AccountState.DEACTIVATED
      : account.membershipStatus === 'suspended'
        ? AccountState.SUSPENDED
        : AccountState.ACTIVE;
  return {
    accountId: account.accountId,
    ...(account.email !== undefined && { email: account.email }),
    name: account.name,
    status,
    ...(policyId !== undefined && { policyId }),
    products: account.accountType === 'atlassian' ? [...new Set(account.products.map((p) => p.key))] : [],
    ...(profile.department && { department: profile.department }),
    ...(profile.organization && { organization: profile.organization }),
  };
}
