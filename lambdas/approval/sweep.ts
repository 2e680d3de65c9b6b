import { AuditEvent } from '../domain/audit.js';
import { ItemState } from '../domain/item-states.js';
import { ProposalStatus, type ProposalItem, type ProposalMeta } from '../domain/proposal.js';
import { proposalStream } from './audit-entries.js';
import {
  auditMissingBallots,
  auditMissingItems,
  recorded,
  SWEEP_ACTOR,
  SWEEP_GRACE_MS,
  type ItemVerdict,
} from './late-records.js';
import type { ApprovalDeps } from './ports.js';
import { AUTO_APPROVER, loadItems } from './proposal-view.js';
import { tallyProposal } from './quorum.js';
import { markSettled, moveAll, startExecution } from './settle.js';

export const EXPIRY_ACTOR = 'system:expiry';

/** `approver:a,b` for approvers; system and operator deciders as they are. */
const actorOf = (decidedBy: string): string => (decidedBy.includes(':') ? decidedBy : `approver:${decidedBy}`);

const APPROVED: ItemVerdict = { event: AuditEvent.APPROVED, outcome: 'approved' };
const DESELECTED: ItemVerdict = { event: AuditEvent.REJECTED, outcome: 'deselected' };
const REJECTED: ItemVerdict = { event: AuditEvent.REJECTED, outcome: 'rejected' };
const EXPIRED: ItemVerdict = { event: AuditEvent.EXPIRED, outcome: 'expired' };

/**
 * Finishes a decision whose audit records or item moves were interrupted: the proposal's status
 * (the commit point) says what was decided, the ballots say which items were deselected. First the
 * records: each ballot's, then every item-level record the decision (or expiry) did not write; only
 * then the moves, which are conditional and forward-only, so applying them again is safe. A
 * decision younger than SWEEP_GRACE_MS may still be at work and is left for the next sweep.
 */
export async function applyUnsettled(
  deps: ApprovalDeps,
  listed: ProposalMeta,
  now: number,
): Promise<{ proposalId: string; status: string; items: number } | undefined> {
  const id = listed.proposalId;
  // The index may lag: read the proposal itself before acting on it.
  const proposal = await deps.proposals.get(id);
  if (!proposal || proposal.settledAt) return undefined;
  if (proposal.decidedAt && now - Date.parse(proposal.decidedAt) < SWEEP_GRACE_MS) return undefined;
  const items = await loadItems(deps.proposals, id);
  const pending = items.filter((i) => i.state === ItemState.PROPOSED);
  const by = proposal.decidedBy ?? EXPIRY_ACTOR;
  const ballots = await deps.tokens.ballots(id);
  const outcome = tallyProposal(ballots, proposal, deps.config.approval);
  if (proposal.status === ProposalStatus.APPROVED && pending.length > 0 && outcome.kind !== 'approved') {
    deps.logger.log('error', 'approval.unsettled-unexplained', {
      proposalId: id,
      pending: pending.length,
      ballots: outcome.kind,
      message:
        'APPROVED proposal with PROPOSED items and no approving quorum in its ballots: left as is (never executed); look at its audit stream',
    });
    return undefined;
  }
  const deselected = outcome.kind === 'approved' ? outcome.deselected : undefined;
  const verdict = (i: ProposalItem): ItemVerdict | undefined => {
    if (proposal.status === ProposalStatus.EXPIRED) return EXPIRED;
    if (proposal.status === ProposalStatus.REJECTED) return REJECTED;
    if (deselected) return deselected.has(i.accountId) ? DESELECTED : APPROVED;
    // Approved, but the ballots no longer say so (an approver removed since): the moved items say it.
    return i.state === ItemState.PROPOSED ? undefined : i.state === ItemState.REJECTED ? DESELECTED : APPROVED;
  };
  const decided = items
    .filter((i) => i.decidedBy !== AUTO_APPROVER)
    .flatMap((item) => {
      const v = verdict(item);
      return v ? [{ item, verdict: v }] : [];
    });
  const have = await recorded(deps, id);
  await auditMissingBallots(deps, id, ballots, have);
  const expired = proposal.status === ProposalStatus.EXPIRED;
  const written = await auditMissingItems(
    deps,
    id,
    expired ? 'EXPIRY' : 'DECISION',
    expired ? EXPIRY_ACTOR : actorOf(by),
    decided,
    have,
  );

  const movedTo = (v: ItemVerdict) =>
    v.event === AuditEvent.APPROVED
      ? ItemState.APPROVED
      : v.event === AuditEvent.REJECTED
        ? ItemState.REJECTED
        : ItemState.EXPIRED;
  const still = decided.filter((d) => d.item.state === ItemState.PROPOSED);
  for (const to of [ItemState.APPROVED, ItemState.REJECTED, ItemState.EXPIRED])
    await moveAll(
      deps,
      still.filter((d) => movedTo(d.verdict) === to).map((d) => d.item),
      to,
      to === ItemState.EXPIRED ? EXPIRY_ACTOR : by,
    );
  await markSettled(deps, id, proposal.status);
  if (pending.length > 0 || written > 0) {
    await deps.audit.append(proposalStream(id), [
      {
        event: AuditEvent.DECISION_RECORDED,
        actor: SWEEP_ACTOR,
        proposalId: id,
        outcome: 'applied-late',
        details: { status: proposal.status, items: pending.length, itemRecordsWritten: written },
      },
    ]);
    deps.logger.log('warn', 'approval.recovered', {
      proposalId: id,
      status: proposal.status,
      items: pending.length,
      itemRecordsWritten: written,
    });
  }
  if (proposal.status === ProposalStatus.APPROVED) await startExecution(deps, id);
  return { proposalId: id, status: String(proposal.status), items: pending.length };
}
