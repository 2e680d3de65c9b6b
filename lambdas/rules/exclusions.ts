/**
 * Accounts the rules never touch, whatever else is true of them. Checked in this order, the first
 * match is the recorded reason: break-glass > org admin > app/customer > closed/inactive/suspended
 * > configured exclusions (account id > email > domain) > Entra exclusion group.
 *
 * Matching: emails case-insensitively after trimming; a domain exactly (case-insensitive) against
 * the part after the last `@`, so `example.com` does NOT cover `mail.example.com` (list each
 * subdomain: an exclusion wider than written would silently hide accounts from review); account ids
 * exactly, Entra group ids case-insensitively. An account with a hidden email can only be excluded
 * by account id. An absent `membershipStatus` (the v1 listing does not carry it) counts as a member.
 * An org admin is an account on the org's admin list (`onOrgAdminList`, whatever its roles say) or
 * whose `platformRoles` hold `atlassian/org-admin`; absent `platformRoles`, a role id not in
 * KNOWN_PLATFORM_ROLES, or an admin list not read is handled in evaluate.ts (no action until known).
 */
import type { ManagedAccount } from '../atlassian/types.js';
import type { RuleContext } from './context.js';
import { ExclusionCode, MissingData, type AccountInput } from './types.js';

export interface Exclusion {
  readonly reason: ExclusionCode;
  readonly summary: string;
}

export const ORG_ADMIN_ROLE = 'atlassian/org-admin';

/**
 * The role ids the Atlassian Admin API documents for `platformRoles` (the `roleIds` filter of
 * v2 users/search: organization.openapi.json, MultiDirectoryUserSearchRequest.roleIds). A role
 * string outside this list could be a new or renamed admin role, so the rules treat the account's
 * roles as unknown rather than ignore the string.
 */
const KNOWN_PLATFORM_ROLES: ReadonlySet<string> = new Set([
  'atlassian/user',
  'atlassian/admin',
  'atlassian/guest',
  'atlassian/customer',
  'atlassian/user-access-admin',
  'atlassian/contributor',
  'atlassian/basic',
  'atlassian/stakeholder',
  ORG_ADMIN_ROLE,
  'atlassian/site-admin',
  'atlassian/ai-access',
]);

/** True when the roles were not read, or hold a role id the rules do not know. */
export function rolesUnknown(account: ManagedAccount): boolean {
  return account.platformRoles === undefined || account.platformRoles.some((r) => !KNOWN_PLATFORM_ROLES.has(r));
}

/**
 * What is missing to rule out an org admin: `platformRoles` (not read, or holding a role id the
 * rules do not know) and `orgAdminList` (the org's admin list was not read). Empty: both known.
 */
export function adminFactsMissing(input: AccountInput): MissingData[] {
  const missing: MissingData[] = [];
  if (rolesUnknown(input.account)) missing.push(MissingData.PLATFORM_ROLES);
  if (input.onOrgAdminList === undefined) missing.push(MissingData.ORG_ADMIN_LIST);
  return missing;
}

/** The account's email, trimmed and lower-cased; `undefined` when hidden or empty. */
export function normalisedEmail(account: ManagedAccount): string | undefined {
  const email = account.email?.trim().toLowerCase();
  return email ? email : undefined;
}

/** Named in `config.breakGlass`, by account id or by email (case-insensitive). */
export function isBreakGlass(ctx: RuleContext, account: ManagedAccount): boolean {
  if (ctx.breakGlassAccountIds.has(account.accountId)) return true;
  const email = normalisedEmail(account);
  return email !== undefined && ctx.breakGlassEmails.has(email);
}

const excluded = (reason: ExclusionCode, summary: string): Exclusion => ({ reason, summary });

function accountStateExclusion(account: ManagedAccount): Exclusion | undefined {
  const type: string = account.accountType;
  if (type === 'app') return excluded(ExclusionCode.APP_ACCOUNT, 'App (bot) account: never proposed.');
  if (type === 'customer') return excluded(ExclusionCode.CUSTOMER_ACCOUNT, 'Customer account: never proposed.');
  if (type !== 'atlassian')
    return excluded(
      ExclusionCode.UNRECOGNISED_ACCOUNT,
      `Unrecognised account type ${JSON.stringify(type)}: left alone.`,
    );
  const status: string = account.accountStatus;
  if (status === 'closed') return excluded(ExclusionCode.ACCOUNT_CLOSED, 'Account is closed: nothing to change.');
  if (status === 'inactive')
    return excluded(ExclusionCode.ACCOUNT_INACTIVE, 'Account is already deactivated: nothing to change.');
  if (status !== 'active')
    return excluded(
      ExclusionCode.UNRECOGNISED_ACCOUNT,
      `Unrecognised account status ${JSON.stringify(status)}: left alone.`,
    );
  const membership: string | undefined = account.membershipStatus;
  if (membership === 'suspended')
    return excluded(ExclusionCode.MEMBERSHIP_SUSPENDED, 'Suspended in every directory of the org: nothing to change.');
  if (membership === 'no_membership')
    return excluded(ExclusionCode.NO_MEMBERSHIP, 'Not a member of any directory of the org: nothing to change.');
  if (membership !== undefined && membership !== 'active') {
    return excluded(
      ExclusionCode.UNRECOGNISED_ACCOUNT,
      `Unrecognised membership status ${JSON.stringify(membership)}: left alone.`,
    );
  }
  return undefined;
}

function configuredExclusion(ctx: RuleContext, account: ManagedAccount): Exclusion | undefined {
  if (ctx.excludedAccountIds.has(account.accountId)) {
    return excluded(
      ExclusionCode.EXCLUDED_ACCOUNT_ID,
      `Account id ${account.accountId} is listed in exclusions.accountIds.`,
    );
  }
  const email = normalisedEmail(account);
  if (email === undefined) return undefined;
  if (ctx.excludedEmails.has(email))
    return excluded(ExclusionCode.EXCLUDED_EMAIL, `Email ${email} is listed in exclusions.emails.`);
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (ctx.excludedDomains.has(domain))
    return excluded(ExclusionCode.EXCLUDED_DOMAIN, `Domain ${domain} is listed in exclusions.domains.`);
  return undefined;
}

/** The reason this account is left alone, or `undefined` when the rules apply to it. */
export function findExclusion(ctx: RuleContext, input: AccountInput): Exclusion | undefined {
  const { account, entra } = input;
  if (isBreakGlass(ctx, account))
    return excluded(ExclusionCode.BREAK_GLASS, 'Break-glass account (config.breakGlass): never touched by automation.');
  if (account.platformRoles?.includes(ORG_ADMIN_ROLE))
    return excluded(ExclusionCode.ORG_ADMIN, 'Organization admin: never proposed.');
  if (input.onOrgAdminList === true)
    return excluded(
      ExclusionCode.ORG_ADMIN,
      'Organization admin (on the org admin list, although the listing does not show the role): never proposed.',
    );
  const exclusion = accountStateExclusion(account) ?? configuredExclusion(ctx, account);
  if (exclusion) return exclusion;
  const group = entra?.exclusionGroupIds.find((id) => ctx.exclusionGroupIds.has(id.toLowerCase()));
  if (group !== undefined)
    return excluded(ExclusionCode.ENTRA_EXCLUSION_GROUP, `Member of the Entra exclusion group ${group}.`);
  return undefined;
}
