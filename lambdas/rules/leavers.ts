/**
 * Entra leavers: people disabled in Entra (`deactivation.deactivateEntraDisabled`) and people
 * deleted from Entra (`deactivation.deactivateEntraDeleted`). "Deleted" needs both: no Entra user
 * has the email in a read of every tenant user (`found: false`), and the email is on one of the
 * tenant's own domains. An email on another domain (a consultant's, a partner's) was never in
 * Entra: its absence says nothing, so it is no leaver. Microsoft Graph lists a tenant's domains
 * with `isVerified` (learn.microsoft.com/graph/api/domain-list); only verified ones count.
 */
import { ActionKind } from '../config/index.js';
import { describeActivity, type Activity } from './activity.js';
import type { RuleContext } from './context.js';
import { notInEntra, sentence } from './evidence.js';
import { LeaverRule, MissingData, ReasonCode, type AccountInput } from './types.js';

export interface LeaverProposal {
  readonly action: ActionKind;
  readonly reason: ReasonCode;
  readonly summary: string;
  /** The setting behind the proposal, for the evidence. */
  readonly rule: LeaverRule;
}

/** A leaver, `{ missing }` when the question cannot be settled, or undefined (no leaver rule applies). */
export type LeaverOutcome = LeaverProposal | { readonly missing: MissingData } | undefined;

export function leaverOutcome(ctx: RuleContext, input: AccountInput, activity: Activity): LeaverOutcome {
  const { entra } = input;
  if (entra === undefined) return undefined;
  const since = describeActivity(ctx, activity);
  if (ctx.deactivateEntraDeleted && entra.found === false && input.account.email?.trim()) {
    const where = notInEntra(ctx, input);
    if (where === undefined) return { missing: MissingData.TENANT_DOMAINS };
    if (where.tenantDomain)
      return {
        action: ActionKind.DEACTIVATE,
        reason: ReasonCode.ENTRA_NOT_FOUND,
        rule: LeaverRule.DELETED,
        summary: sentence(
          `deleted from Entra ID: no Entra user has this email and ${where.emailDomain} is one of the tenant's domains (${LeaverRule.DELETED}); ${since}`,
        ),
      };
  }
  if (ctx.deactivateEntraDisabled && entra.accountEnabled === false) {
    return {
      action: ActionKind.DEACTIVATE,
      reason: ReasonCode.ENTRA_DISABLED,
      rule: LeaverRule.DISABLED,
      summary: sentence(`disabled in Entra ID: accountEnabled is false (${LeaverRule.DISABLED}); ${since}`),
    };
  }
  return undefined;
}
