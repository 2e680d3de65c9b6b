/**
 * The re-check just before acting: the same facts the plan read (listing, policy, Entra), read
 * again in bulk for one chunk, decide whether an approved item still holds. Pure: no I/O, no clock.
 * The safety rules of the plan apply again here (break-glass, admins, exclusions), so an account
 * that became an admin or an exclusion after the approval is never touched.
 */
import type { ManagedAccount } from '../atlassian/types.js';
import { ActionKind } from '../config/index.js';
import type { EntraFacts, RuleContext } from '../rules/index.js';
import { confluenceNeed } from '../rules/confluence-need.js';
import { findExclusion, isBreakGlass } from '../rules/exclusions.js';
import { ExclusionCode } from '../rules/index.js';
import { SkipReason, type RecheckVerdict } from '../domain/execution.js';

/** What was read again for one account. `account` undefined: not in the org's listing any more. */
export interface FreshFacts {
  readonly account: ManagedAccount | undefined;
  /** Current authentication policy; undefined when the bulk fetch did not return it. */
  readonly policyId: string | undefined;
  readonly entra: EntraFacts | undefined;
  /** On the org's admin list (read just now); undefined when it was not read. */
  readonly onOrgAdminList?: boolean;
}

/** The item as approved: what it asks for, and the per-product activity the plan saw. */
export interface ApprovedItem {
  readonly accountId: string;
  readonly action: ActionKind | 'REACTIVATE';
  /** Product key → last active (ISO) as the plan saw it (the item's evidence). */
  readonly seenActivity: Readonly<Record<string, string | undefined>>;
  /** An undo's move back: the policy recorded before the move (no Confluence-need check: it restores what was). */
  readonly movesBackTo?: string;
}

const skip = (reason: SkipReason, detail: string): RecheckVerdict => ({ kind: 'skip', reason, detail });

/** Activity later than the plan saw, in any product: the person came back. */
export function cameBack(item: ApprovedItem, account: ManagedAccount): string | undefined {
  for (const p of account.products) {
    if (!p.lastActive) continue;
    const seen = item.seenActivity[p.key];
    const now = Date.parse(p.lastActive);
    if (Number.isNaN(now)) continue;
    if (seen === undefined || Number.isNaN(Date.parse(seen)) || now > Date.parse(seen))
      return `active in ${p.key} on ${p.lastActive.slice(0, 10)}${seen ? `, after ${seen.slice(0, 10)} seen by the plan` : ', never seen active by the plan'}`;
  }
  return undefined;
}

function safetyVerdict(ctx: RuleContext, fresh: FreshFacts & { account: ManagedAccount }): RecheckVerdict | undefined {
  const { account } = fresh;
  if (isBreakGlass(ctx, account))
    return skip(SkipReason.BREAK_GLASS, 'Break-glass account (config.breakGlass): never touched by automation.');
  if (account.platformRoles === undefined)
    return skip(SkipReason.ORG_ADMIN, 'its roles could not be read: an account that may be an admin is never touched');
  // The account's own state (inactive, suspended ...) is judged per action below; here only the
  // configured exclusions count, whatever that state, so the account is seen as an active member.
  const asMember: ManagedAccount = {
    ...account,
    accountType: 'atlassian',
    accountStatus: 'active',
    membershipStatus: 'active',
  };
  if (fresh.onOrgAdminList === true)
    return skip(SkipReason.ORG_ADMIN, 'on the org admin list: an admin is never touched');
  const exclusion = findExclusion(ctx, { account: asMember, entra: fresh.entra, policyId: fresh.policyId });
  if (!exclusion) return undefined;
  if (exclusion.reason === ExclusionCode.ORG_ADMIN)
    return skip(SkipReason.ORG_ADMIN, 'became an organization admin after the plan');
  return skip(SkipReason.EXCLUDED, exclusion.summary);
}

function deactivateVerdict(
  item: ApprovedItem,
  account: ManagedAccount,
  entra: EntraFacts | undefined,
  suspendMode: boolean,
): RecheckVerdict {
  if (account.accountStatus === 'closed') return skip(SkipReason.ACCOUNT_GONE, 'the account is closed');
  if (account.accountType !== 'atlassian')
    return skip(SkipReason.NOT_ACTIONABLE, `a ${account.accountType} account is never deactivated`);
  if (account.accountStatus !== 'active' || (suspendMode && account.membershipStatus === 'suspended'))
    return skip(SkipReason.ALREADY_IN_TARGET_STATE, `already ${suspendMode ? 'suspended' : 'deactivated'}`);
  const back = cameBack(item, account);
  if (back) return skip(SkipReason.BECAME_ACTIVE, back);
  const unreadable = account.products.find((p) => p.lastActive !== undefined && Number.isNaN(Date.parse(p.lastActive)));
  if (unreadable)
    return skip(
      SkipReason.STATE_UNKNOWN,
      `the last-active date of ${unreadable.key} does not parse: nothing is done on a guess`,
    );
  if (entra === undefined && account.email)
    return skip(SkipReason.STATE_UNKNOWN, 'its Entra ID facts could not be read: nothing is done on a guess');
  if (account.managementSource === 'synced')
    return {
      kind: 'handoff',
      detail: 'synced from Entra ID by SCIM: disable it in Entra ID or remove it from the provisioning group',
    };
  return { kind: 'act' };
}

function reactivateVerdict(account: ManagedAccount, entra: EntraFacts | undefined): RecheckVerdict {
  if (account.accountStatus === 'closed') return skip(SkipReason.ACCOUNT_GONE, 'the account is closed');
  if (account.accountStatus === 'active' && account.membershipStatus !== 'suspended')
    return skip(SkipReason.ALREADY_IN_TARGET_STATE, 'already active');
  if (entra?.accountEnabled === false)
    return skip(SkipReason.LEFT_IN_ENTRA, 'disabled in Entra ID: an undo never gives a leaver access back');
  if (entra?.found === false)
    return skip(SkipReason.LEFT_IN_ENTRA, 'not found in Entra ID: an undo never gives a leaver access back');
  return { kind: 'act' };
}

function moveVerdict(
  ctx: RuleContext,
  item: ApprovedItem,
  fresh: FreshFacts & { account: ManagedAccount },
): RecheckVerdict {
  const { account, policyId } = fresh;
  const toNonbillable = item.action === ActionKind.MOVE_TO_NONBILLABLE;
  const target = item.movesBackTo ?? (toNonbillable ? ctx.nonbillableId : ctx.billableId);
  if (account.accountStatus === 'closed') return skip(SkipReason.ACCOUNT_GONE, 'the account is closed');
  if (account.accountType !== 'atlassian') return skip(SkipReason.NOT_ACTIONABLE, `a ${account.accountType} account`);
  if (policyId === undefined) return skip(SkipReason.STATE_UNKNOWN, 'its authentication policy could not be read');
  if (policyId === target) return skip(SkipReason.ALREADY_IN_TARGET_STATE, `already in the policy ${target}`);
  if (item.movesBackTo !== undefined) return { kind: 'act' };
  const need = confluenceNeed(ctx, { account, entra: fresh.entra, policyId });
  if (toNonbillable && need.needed !== false)
    return skip(
      SkipReason.NOW_NEEDS_CONFLUENCE,
      need.needed ? need.because : `Confluence need unknown (${need.because})`,
    );
  if (!toNonbillable && need.needed !== true)
    return skip(
      SkipReason.NO_LONGER_NEEDS_CONFLUENCE,
      need.needed === false ? need.because : `Confluence need unknown (${need.because})`,
    );
  return { kind: 'act' };
}

/** Decides one approved item against the facts read just now. */
export function recheck(ctx: RuleContext, item: ApprovedItem, fresh: FreshFacts, suspendMode: boolean): RecheckVerdict {
  const { account } = fresh;
  if (!account) return skip(SkipReason.ACCOUNT_GONE, 'no longer in the organization');
  const withAccount = { ...fresh, account };
  const safety = safetyVerdict(ctx, withAccount);
  if (safety) return safety;
  if (item.action === ActionKind.DEACTIVATE) return deactivateVerdict(item, account, fresh.entra, suspendMode);
  if (item.action === 'REACTIVATE') return reactivateVerdict(account, fresh.entra);
  return moveVerdict(ctx, item, withAccount);
}

/** The per-product activity recorded in an item's evidence (`evidence.products`). */
export function seenActivity(evidence: Record<string, unknown>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  const products = Array.isArray(evidence.products) ? evidence.products : [];
  for (const p of products as { key?: unknown; lastActive?: unknown }[]) {
    if (typeof p?.key === 'string') out[p.key] = typeof p.lastActive === 'string' ? p.lastActive : undefined;
  }
  return out;
}
