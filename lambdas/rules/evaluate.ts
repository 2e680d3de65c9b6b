/**
 * The decision for one account: at most one action, with its reason and evidence.
 *
 * Precedence: exclusions (exclusions.ts) > DEACTIVATE (an Entra leaver, leavers.ts, then stale)
 * > MOVE_TO_BILLABLE > MOVE_TO_NONBILLABLE > keep. Where a fact that could change the outcome is
 * missing the answer is `needs-data`, never a guess:
 * - an account with an email but no Entra facts (its exclusion groups are unknown; Entra facts
 *   with `found` absent are facts: they only rule out ENTRA_NOT_FOUND);
 * - staleness undecidable (never active with no `addedToOrg`, unparsable dates) and no leaver;
 * - absent from Entra with `deactivateEntraDeleted` on but the tenant's domains unknown;
 * - current policy unknown, or Confluence need unknown while in the billable/nonbillable policy;
 * - an action is due but `platformRoles` is absent (v1 listing, or a v2 listing that left it out)
 *   or holds a role id the rules do not know, or the org's admin list was not read
 *   (`onOrgAdminList` absent): an org admin is never proposed.
 * An account with a hidden email gets no policy move: add-users names users by email.
 * An account in a policy that is neither the billable nor the nonbillable one keeps its policy.
 */
import { ActionKind } from '../config/index.js';
import { assessActivity, describeActivity, type Activity } from './activity.js';
import { confluenceNeed, type ConfluenceNeed } from './confluence-need.js';
import type { RuleContext } from './context.js';
import { evidenceOf, policyName, sentence } from './evidence.js';
import { adminFactsMissing, findExclusion, normalisedEmail } from './exclusions.js';
import { leaverOutcome } from './leavers.js';
import { MissingData, ReasonCode, type AccountInput, type Decision, type Evidence, type LeaverRule } from './types.js';

interface Proposal {
  readonly action: ActionKind;
  readonly reason: ReasonCode;
  readonly summary: string;
  /** Leavers only: the setting behind the proposal (evidence `leaverRule`). */
  readonly rule?: LeaverRule;
}

function staleProposal(ctx: RuleContext, activity: Activity): Proposal | undefined {
  const summary = sentence(describeActivity(ctx, activity));
  if (activity.kind === 'stale') return { action: ActionKind.DEACTIVATE, reason: ReasonCode.STALE, summary };
  if (activity.kind === 'never-active' && activity.stage === 'stale')
    return { action: ActionKind.DEACTIVATE, reason: ReasonCode.NEVER_ACTIVE, summary };
  return undefined;
}

function policyProposal(ctx: RuleContext, need: ConfluenceNeed, policyId: string): Proposal | undefined {
  if (need.needed === true && policyId === ctx.nonbillableId) {
    const summary = sentence(`needs Confluence (${need.because}) but is in ${policyName(ctx, policyId)}`);
    return { action: ActionKind.MOVE_TO_BILLABLE, reason: ReasonCode.NEEDS_CONFLUENCE, summary };
  }
  if (need.needed === false && policyId === ctx.billableId) {
    const summary = sentence(`does not need Confluence (${need.because}) but is in ${policyName(ctx, policyId)}`);
    return { action: ActionKind.MOVE_TO_NONBILLABLE, reason: ReasonCode.NO_CONFLUENCE_NEED, summary };
  }
  return undefined;
}

function keepReason(ctx: RuleContext, need: ConfluenceNeed, policyId: string): string {
  if (policyId !== ctx.billableId && policyId !== ctx.nonbillableId)
    return `is in ${policyName(ctx, policyId)}, neither billable nor nonbillable: policy left alone`;
  const needs = need.needed ? `needs Confluence (${need.because})` : `does not need Confluence (${need.because})`;
  return `${needs} and is already in ${policyName(ctx, policyId)}`;
}

function needsData(
  missing: readonly MissingData[],
  adminMissing: readonly MissingData[],
  why: string,
  evidence: Evidence,
  pending?: Proposal,
): Decision {
  const all = [...new Set([...missing, ...adminMissing])];
  const summary = sentence(`cannot decide yet: ${why}; needs ${all.join(', ')}`);
  return pending === undefined
    ? { kind: 'needs-data', missing: all, summary, evidence }
    : { kind: 'needs-data', missing: all, pendingAction: pending.action, summary, evidence };
}

const ADMIN_UNKNOWN: Readonly<Record<string, string>> = {
  [MissingData.PLATFORM_ROLES]: 'admin roles are unknown',
  [MissingData.ORG_ADMIN_LIST]: 'the org admin list was not read',
};

function act(proposal: Proposal, adminMissing: readonly MissingData[], evidence: Evidence): Decision {
  if (adminMissing.length > 0) {
    const because = `${proposal.summary.charAt(0).toLowerCase()}${proposal.summary.slice(1, -1)}`;
    const unknown = adminMissing.map((m) => ADMIN_UNKNOWN[m]).join(' and ');
    return needsData([], adminMissing, `${proposal.action} is due (${because}) but ${unknown}`, evidence, proposal);
  }
  const { action, reason, summary, rule } = proposal;
  return { kind: 'action', action, reason, summary, evidence: rule ? { ...evidence, leaverRule: rule } : evidence };
}

/** Decides what to do with one account. Pure: same context and input, same decision. */
export function evaluateAccount(ctx: RuleContext, input: AccountInput): Decision {
  const exclusion = findExclusion(ctx, input);
  if (exclusion) return { kind: 'excluded', reason: exclusion.reason, summary: exclusion.summary };

  const { account, entra, policyId } = input;
  const adminMissing = adminFactsMissing(input);
  const activity = assessActivity(ctx, account);
  const email = normalisedEmail(account);
  if (entra === undefined && email !== undefined) {
    const missing = activity.kind === 'unknown' ? [MissingData.ENTRA, activity.missing] : [MissingData.ENTRA];
    return needsData(
      missing,
      adminMissing,
      'no Entra ID facts were joined to this account (exclusion groups, leaver state and Confluence need unknown)',
      evidenceOf(ctx, input, activity),
    );
  }

  const leaver = leaverOutcome(ctx, input, activity);
  if (leaver !== undefined && 'missing' in leaver)
    return needsData(
      [leaver.missing],
      adminMissing,
      "no Entra user has this email, and without the tenant's domains deleted cannot be told from never in Entra",
      evidenceOf(ctx, input, activity),
    );
  const deactivate = leaver ?? staleProposal(ctx, activity);
  if (deactivate) return act(deactivate, adminMissing, evidenceOf(ctx, input, activity));
  if (activity.kind === 'unknown')
    return needsData(
      [activity.missing],
      adminMissing,
      describeActivity(ctx, activity),
      evidenceOf(ctx, input, activity),
    );

  const since = describeActivity(ctx, activity);
  if (email === undefined) {
    return {
      kind: 'keep',
      summary: sentence(`${since}; email hidden, so no policy move (add-users names users by email)`),
      evidence: evidenceOf(ctx, input, activity),
    };
  }
  const need = confluenceNeed(ctx, input);
  const evidence = evidenceOf(ctx, input, activity, need);
  if (policyId === undefined)
    return needsData(
      [MissingData.POLICY, ...need.missing],
      adminMissing,
      'the current authentication policy is unknown',
      evidence,
    );
  const inManagedPolicy = policyId === ctx.billableId || policyId === ctx.nonbillableId;
  if (need.needed === undefined && inManagedPolicy)
    return needsData(need.missing, adminMissing, `Confluence need unknown (${need.because})`, evidence);

  const move = policyProposal(ctx, need, policyId);
  if (move) return act(move, adminMissing, evidence);
  return { kind: 'keep', summary: sentence(`${since}; ${keepReason(ctx, need, policyId)}`), evidence };
}
