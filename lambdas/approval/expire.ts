import { AuditEvent } from '../domain/audit.js';
import { StateConflictError } from '../domain/errors.js';
import { ItemState } from '../domain/item-states.js';
import { ProposalStatus } from '../domain/proposal.js';
import { auditStep, itemEntries, proposalStream } from './audit-entries.js';
import { deadlineOf } from './deadline.js';
import type { ApprovalDeps } from './ports.js';
import { loadItems } from './proposal-view.js';
import { tallyProposal } from './quorum.js';
import type { ApprovalDeps as Deps } from './ports.js';
import type { ProposalMeta } from '../domain/proposal.js';
import { markSettled, moveAll, settle, startExecution } from './settle.js';

export const EXPIRY_ACTOR = 'system:expiry';

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
 * the last ballot failed before applying it) is settled instead, never expired. Safe to run often
 * and concurrently with decisions: conditional writes decide who moves a proposal.
 */
export async function expireProposals(deps: ApprovalDeps, now: number = deps.clock.now()): Promise<ExpiryReport> {
  const expired: { proposalId: string; items: number }[] = [];
  const settled: { proposalId: string; outcome: string }[] = [];
  for await (const proposal of deps.openProposals.ready(deps.config.orgId)) {
    const id = proposal.proposalId;
    const outcome = tallyProposal(await deps.tokens.ballots(id), proposal, deps.config.approval);
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
    const r = await applyUnsettled(deps, proposal);
    if (r) recovered.push(r);
  }
  return { expired, settled, recovered };
}

/**
 * Finishes a decision whose item moves were interrupted: the proposal's status (the commit point)
 * says what was decided, the ballots say which items were deselected. Moves are conditional and
 * forward-only, so applying them again is safe.
 */
async function applyUnsettled(
  deps: Deps,
  listed: ProposalMeta,
): Promise<{ proposalId: string; status: string; items: number } | undefined> {
  const id = listed.proposalId;
  // The index may lag: read the proposal itself before acting on it.
  const proposal = await deps.proposals.get(id);
  if (!proposal || proposal.settledAt) return undefined;
  const pending = (await loadItems(deps.proposals, id)).filter((i) => i.state === ItemState.PROPOSED);
  const by = proposal.decidedBy ?? EXPIRY_ACTOR;
  if (proposal.status === ProposalStatus.APPROVED && pending.length > 0) {
    const outcome = tallyProposal(await deps.tokens.ballots(id), proposal, deps.config.approval);
    if (outcome.kind !== 'approved') {
      deps.logger.log('error', 'approval.unsettled-unexplained', {
        proposalId: id,
        pending: pending.length,
        ballots: outcome.kind,
        message:
          'APPROVED proposal with PROPOSED items and no approving quorum in its ballots: left as is (never executed); look at its audit stream',
      });
      return undefined;
    }
    await moveAll(
      deps,
      pending.filter((i) => !outcome.deselected.has(i.accountId)),
      ItemState.APPROVED,
      by,
    );
    await moveAll(
      deps,
      pending.filter((i) => outcome.deselected.has(i.accountId)),
      ItemState.REJECTED,
      by,
    );
  } else if (proposal.status === ProposalStatus.REJECTED) {
    await moveAll(deps, pending, ItemState.REJECTED, by);
  } else if (proposal.status === ProposalStatus.EXPIRED) {
    await moveAll(deps, pending, ItemState.EXPIRED, EXPIRY_ACTOR);
  }
  await markSettled(deps, id, proposal.status);
  if (pending.length > 0) {
    await deps.audit.append(proposalStream(id), [
      {
        event: AuditEvent.DECISION_RECORDED,
        actor: 'system:sweep',
        proposalId: id,
        outcome: 'applied-late',
        details: { status: proposal.status, items: pending.length },
      },
    ]);
    deps.logger.log('warn', 'approval.recovered', { proposalId: id, status: proposal.status, items: pending.length });
  }
  if (proposal.status === ProposalStatus.APPROVED) await startExecution(deps, id);
  return { proposalId: id, status: String(proposal.status), items: pending.length };
}
