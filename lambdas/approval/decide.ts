import { BallotDecision, type Ballot, type SpentReason } from '../domain/ballot.js';
import { TokenSpentError } from '../domain/errors.js';
import { ItemState } from '../domain/item-states.js';
import type { Grant } from './access.js';
import { proposalStream } from './audit-entries.js';
import { ballotEntry } from './late-records.js';
import type { ApprovalDeps } from './ports.js';
import { tallyProposal } from './quorum.js';
import { Refusal } from './refusals.js';
import { settle, type Settlement } from './settle.js';

/** What an approver chose on the review page, as submitted (not yet checked). */
export interface Choice {
  readonly decision: string | null;
  /** Account ids of the pending items the approver ticked to reject (deselected); every other one is kept. */
  readonly deselected: readonly string[];
  /**
   * The form says it lists deselected items. A form without it comes from an older page that
   * listed the selected ones: read as deselections, its unticked rows would be approved.
   */
  readonly listsDeselected: boolean;
  /** The over-cap override was ticked. */
  readonly override: boolean;
}

export type BallotCheck =
  { ok: true; ballot: Omit<Ballot, 'castAt'> } | { ok: false; refusal: Refusal; detail: string };

/**
 * Validates a choice against the proposal: a known decision, a form that lists deselections, only
 * pending items, at least one item kept, the override when needed.
 */
export function checkChoice(choice: Choice, grant: Grant): BallotCheck {
  const { decision } = choice;
  if (decision !== BallotDecision.APPROVE && decision !== BallotDecision.REJECT)
    return { ok: false, refusal: Refusal.BAD_FORM, detail: 'decision must be approve or reject' };
  const pending = grant.items.filter((i) => i.state === ItemState.PROPOSED).map((i) => i.accountId);
  const pendingSet = new Set(pending);
  const dropped = new Set(choice.deselected);
  const unknown = [...dropped].filter((id) => !pendingSet.has(id));
  if (unknown.length > 0)
    return {
      ok: false,
      refusal: Refusal.BAD_FORM,
      detail: `${unknown.length} deselected item(s) are not pending in this proposal`,
    };
  const { override } = choice;
  if (decision === BallotDecision.APPROVE) {
    if (!choice.listsDeselected)
      return { ok: false, refusal: Refusal.BAD_FORM, detail: 'approve from a form that does not list deselections' };
    if (dropped.size >= pending.length)
      return { ok: false, refusal: Refusal.BAD_FORM, detail: 'approve with every item deselected' };
    if (grant.proposal.suspicious && !override)
      return {
        ok: false,
        refusal: Refusal.OVERRIDE_REQUIRED,
        detail: 'over-cap proposal approved without the override',
      };
  }
  const deselected = decision === BallotDecision.APPROVE ? pending.filter((id) => dropped.has(id)) : [];
  return {
    ok: true,
    ballot: {
      proposalId: grant.proposal.proposalId,
      approver: grant.token.approver,
      decision,
      deselected,
      override,
      tokenRef: grant.tokenRef,
    },
  };
}

const SPENT_REFUSAL: Readonly<Record<SpentReason, Refusal>> = {
  missing: Refusal.INVALID_LINK,
  used: Refusal.USED,
  'already-decided': Refusal.USED,
  conflict: Refusal.USED,
  expired: Refusal.EXPIRED,
  revoked: Refusal.WITHDRAWN,
  'same-person': Refusal.WRONG_USER,
};

export type BallotResult =
  { ok: true; ballot: Ballot; settlement: Settlement } | { ok: false; refusal: Refusal; detail: string };

/**
 * Spends the token and records the ballot in one transaction, audits it, then applies the quorum
 * rule. A spent link (used, expired, its approver already decided) is a refusal, not an error.
 */
export async function castBallot(
  deps: ApprovalDeps,
  grant: Grant,
  checked: Omit<Ballot, 'castAt'>,
  signedIn?: Ballot['signedIn'],
): Promise<BallotResult> {
  const now = deps.clock.now();
  const ballot: Ballot = { ...checked, castAt: new Date(now).toISOString(), ...(signedIn && { signedIn }) };
  try {
    await deps.tokens.castBallot(grant.tokenHash, ballot, Math.floor(now / 1000));
  } catch (err) {
    if (!(err instanceof TokenSpentError)) throw err;
    return { ok: false, refusal: SPENT_REFUSAL[err.reason], detail: err.message };
  }
  // Interrupted between the ballot and this record, the hourly sweep writes it (late-records.ts).
  await deps.audit.append(proposalStream(grant.proposal.proposalId), [
    ballotEntry(ballot, deps.config.approval.quorum),
  ]);
  const ballots = await deps.tokens.ballots(grant.proposal.proposalId);
  const outcome = tallyProposal(ballots, grant.proposal, deps.config.approval);
  const pending = grant.items.filter((i) => i.state === ItemState.PROPOSED);
  const settlement = await settle(deps, grant.proposal, pending, outcome);
  return { ok: true, ballot, settlement };
}
