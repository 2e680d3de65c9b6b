import { AuditEvent } from '../domain/audit.js';
import { StateConflictError } from '../domain/errors.js';
import { ItemState } from '../domain/item-states.js';
import { ProposalStatus } from '../domain/proposal.js';
import { auditStep, itemEntries } from './audit-entries.js';
import { deadlineOf } from './deadline.js';
import { auditMissingBallots, recorded, SWEEP_GRACE_MS } from './late-records.js';
import type { ApprovalDeps } from './ports.js';
import { loadItems } from './proposal-view.js';
import { tallyProposal } from './quorum.js';
import { markSettled, moveAll, settle } from './settle.js';
import { applyUnsettled, EXPIRY_ACTOR } from './sweep.js';

export { EXPIRY_ACTOR } from './sweep.js';

export interface ExpiryReport {
  /** Proposals moved to EXPIRED now, with how many undecided items expired with them. */
  readonly expired: readonly { readonly proposalId: string; readonly items: number }[];
  /** Proposals whose recorded ballots already met the quorum but were not applied (an interrupted decision): applied now. */
  readonly settled: readonly { readonly proposalId: string; readonly outcome: string }[];
  /** Decided proposals whose item moves had been interrupted: moves applied now. */
  readonly recovered: readonly { readonly proposalId: string; readonly status: string; readonly items: number }[];
}

/**
 * Moves every READY proposal of the organization whose deadline has passed to EXPIRED, and its
 * undecided (PROPOSED) items to EXPIRED: they are never executed. Items approved automatically
 * stay APPROVED. A READY proposal whose recorded ballots already decide it (the request that cast
 * the last ballot failed before applying it) is settled instead, never expired. A ballot whose
 * request stopped before its audit record gets that record first. A proposal with a ballot younger
 * than SWEEP_GRACE_MS is left for the next sweep (its request may still be at work). Safe to run
 * often and concurrently with decisions: conditional writes decide who moves a proposal.
 */
export async function expireProposals(deps: ApprovalDeps, now: number = deps.clock.now()): Promise<ExpiryReport> {
  const expired: { proposalId: string; items: number }[] = [];
  const settled: { proposalId: string; outcome: string }[] = [];
  for await (const proposal of deps.openProposals.ready(deps.config.orgId)) {
    const id = proposal.proposalId;
    const ballots = await deps.tokens.ballots(id);
    if (ballots.some((b) => now - Date.parse(b.castAt) < SWEEP_GRACE_MS)) continue;
    if (ballots.length > 0) await auditMissingBallots(deps, id, ballots, await recorded(deps, id));
    const outcome = tallyProposal(ballots, proposal, deps.config.approval);
    if (outcome.kind !== 'pending') {
      const pending = (await loadItems(deps.proposals, id)).filter((i) => i.state === ItemState.PROPOSED);
      settled.push({ proposalId: id, outcome: (await settle(deps, proposal, pending, outcome)).kind });
      continue;
    }
    if (now < deadlineOf(proposal, deps.config)) continue;
    try {
      await deps.proposals.setStatus(id, [ProposalStatus.READY], ProposalStatus.EXPIRED, {
        decidedAt: new Date(now).toISOString(),
        decidedBy: EXPIRY_ACTOR,
      });
    } catch (err) {
      if (err instanceof StateConflictError) continue;
      throw err;
    }
    const pending = (await loadItems(deps.proposals, id)).filter((i) => i.state === ItemState.PROPOSED);
    await auditStep(deps, 'EXPIRY', id, itemEntries(AuditEvent.EXPIRED, EXPIRY_ACTOR, pending, 'expired'), [
      {
        event: AuditEvent.EXPIRED,
        actor: EXPIRY_ACTOR,
        proposalId: id,
        outcome: 'expired',
        details: { items: pending.length, deadline: new Date(deadlineOf(proposal, deps.config)).toISOString() },
      },
    ]);
    await moveAll(deps, pending, ItemState.EXPIRED, EXPIRY_ACTOR);
    await markSettled(deps, id, ProposalStatus.EXPIRED);
    deps.logger.log('info', 'approval.expired', { proposalId: id, items: pending.length });
    expired.push({ proposalId: id, items: pending.length });
  }
  const recovered = [];
  for await (const proposal of deps.openProposals.unsettled(deps.config.orgId)) {
    const r = await applyUnsettled(deps, proposal, now);
    if (r) recovered.push(r);
  }
  return { expired, settled, recovered };
}
