import { AuditEvent } from '../store/audit-types.js';
import { StateConflictError } from '../store/errors.js';
import { ItemState } from '../store/item-states.js';
import { ProposalStatus } from '../store/proposal-types.js';
import { itemEntries, proposalStream } from './audit-entries.js';
import { deadlineOf } from './deadline.js';
import type { ApprovalDeps } from './ports.js';
import { loadItems } from './proposal-view.js';
import { tallyBallots } from './quorum.js';
import { moveAll, settle } from './settle.js';

export const EXPIRY_ACTOR = 'system:expiry';

export interface ExpiryReport {
  /** Proposals moved to EXPIRED now, with how many undecided items expired with them. */
  readonly expired: readonly { readonly proposalId: string; readonly items: number }[];
  /** Proposals whose recorded ballots already met the quorum but were not applied (an interrupted decision): applied now. */
  readonly settled: readonly { readonly proposalId: string; readonly outcome: string }[];
}

/**
 * Moves every READY proposal of the organization whose deadline has passed to EXPIRED, and its
 * undecided (PROPOSED) items to EXPIRED: they are never executed. Items approved automatically
 * stay APPROVED. A READY proposal whose recorded ballots already decide it (the request that cast
 * the last ballot failed before applying it) is settled instead, never expired. Safe to run often
 * and concurrently with decisions: conditional writes decide who moves a proposal.
 */
export async function expireProposals(deps: ApprovalDeps, now: number = deps.clock.now()): Promise<ExpiryReport> {
  const expired: { proposalId: string; items: number }[] = [];
  const settled: { proposalId: string; outcome: string }[] = [];
  for await (const proposal of deps.openProposals.ready(deps.config.orgId)) {
    const id = proposal.proposalId;
    const outcome = tallyBallots(await deps.tokens.ballots(id), deps.config.approval.quorum, deps.config.approval.approvers);
    if (outcome.kind !== 'pending') {
      const pending = (await loadItems(deps.proposals, id)).filter((i) => i.state === ItemState.PROPOSED);
      settled.push({ proposalId: id, outcome: (await settle(deps, proposal, pending, outcome)).kind });
      continue;
    }
    if (now < deadlineOf(proposal, deps.config)) continue;
    try {
      await deps.proposals.setStatus(id, [ProposalStatus.READY], ProposalStatus.EXPIRED, { decidedAt: new Date(now).toISOString(), decidedBy: EXPIRY_ACTOR });
    } catch (err) {
      if (err instanceof StateConflictError) continue;
      throw err;
    }
    const pending = (await loadItems(deps.proposals, id)).filter((i) => i.state === ItemState.PROPOSED);
    await moveAll(deps, pending, ItemState.EXPIRED, EXPIRY_ACTOR);
    await deps.audit.append(proposalStream(id), [
      ...itemEntries(AuditEvent.EXPIRED, EXPIRY_ACTOR, pending, 'expired'),
      { event: AuditEvent.EXPIRED, actor: EXPIRY_ACTOR, proposalId: id, outcome: 'expired', details: { items: pending.length, deadline: new Date(deadlineOf(proposal, deps.config)).toISOString() } },
    ]);
    deps.logger.log('info', 'approval.expired', { proposalId: id, items: pending.length });
    expired.push({ proposalId: id, items: pending.length });
  }
  return { expired, settled };
}
