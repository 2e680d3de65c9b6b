import { AuditEvent, type AuditEntry } from '../domain/audit.js';
import type { Ballot } from '../domain/ballot.js';
import type { ProposalItem } from '../domain/proposal.js';
import { approverActor, itemStream, proposalStream } from './audit-entries.js';
import type { ApprovalDeps } from './ports.js';

/**
 * Longer than any function that decides or expires can run (the review site and the sweep stop
 * after 5 minutes): a decision or ballot older than this whose records are missing was interrupted,
 * not merely in progress, so the sweep may write them without racing their own writer.
 */
export const SWEEP_GRACE_MS = 15 * 60_000;
export const SWEEP_ACTOR = 'system:sweep';

const ITEM_EVENTS = new Set<string>([AuditEvent.APPROVED, AuditEvent.REJECTED, AuditEvent.EXPIRED]);

/** The ballots' audit record, as the review site writes it (decide.ts). */
export function ballotEntry(ballot: Ballot, quorum: number, writtenBy?: string): AuditEntry {
  return {
    event: AuditEvent.DECISION_RECORDED,
    actor: approverActor([ballot.approver]),
    proposalId: ballot.proposalId,
    outcome: ballot.decision,
    details: {
      tokenRef: ballot.tokenRef,
      deselected: ballot.deselected.length,
      override: ballot.override,
      quorum,
      ...(ballot.signedIn && { signedIn: ballot.signedIn }),
      ...(ballot.awsCaller && { awsCaller: ballot.awsCaller }),
      ...(writtenBy && { castAt: ballot.castAt, writtenBy }),
    },
  };
}

/** What the audit log already holds for a proposal: the ballots it recorded and the accounts with an item-level record. */
export interface Recorded {
  readonly ballots: ReadonlySet<string>;
  readonly items: ReadonlySet<string>;
}

/** Reads the proposal's own stream and its decision and expiry streams (consistent reads of the chains). */
export async function recorded(deps: ApprovalDeps, proposalId: string): Promise<Recorded> {
  const ballots = new Set<string>();
  const items = new Set<string>();
  for (const stream of [
    proposalStream(proposalId),
    itemStream('DECISION', proposalId),
    itemStream('EXPIRY', proposalId),
  ])
    for await (const r of deps.auditTrail.stream(stream)) {
      if (r.event === AuditEvent.DECISION_RECORDED && typeof r.details?.tokenRef === 'string')
        ballots.add(`${r.actor}|${r.details.tokenRef}`);
      if (r.accountId && ITEM_EVENTS.has(r.event)) items.add(r.accountId);
    }
  return { ballots, items };
}

/** Audits the ballots whose request stopped between recording the ballot and its audit record. */
export async function auditMissingBallots(
  deps: ApprovalDeps,
  proposalId: string,
  ballots: readonly Ballot[],
  have: Recorded,
): Promise<number> {
  const missing = ballots.filter((b) => !have.ballots.has(`${approverActor([b.approver])}|${b.tokenRef}`));
  if (missing.length === 0) return 0;
  await deps.audit.append(
    proposalStream(proposalId),
    missing.map((b) => ballotEntry(b, deps.config.approval.quorum, SWEEP_ACTOR)),
  );
  deps.logger.log('warn', 'approval.ballot-audited-late', { proposalId, ballots: missing.length });
  return missing.length;
}

/** The item-level record an item of a decided proposal must have. */
export interface ItemVerdict {
  readonly event: typeof AuditEvent.APPROVED | typeof AuditEvent.REJECTED | typeof AuditEvent.EXPIRED;
  readonly outcome: string;
}

/**
 * Writes the item-level records a decision or expiry did not get to write, before any of its
 * items moves, to that step's own stream: past SWEEP_GRACE_MS its writer is gone, and `append`
 * chains safely behind whatever it did write.
 */
export async function auditMissingItems(
  deps: ApprovalDeps,
  proposalId: string,
  step: 'DECISION' | 'EXPIRY',
  actor: string,
  decided: readonly { readonly item: ProposalItem; readonly verdict: ItemVerdict }[],
  have: Recorded,
): Promise<number> {
  const missing = decided.filter((d) => !have.items.has(d.item.accountId));
  if (missing.length === 0) return 0;
  await deps.audit.append(
    itemStream(step, proposalId),
    missing.map(({ item, verdict }) => ({
      event: verdict.event,
      actor,
      proposalId,
      accountId: item.accountId,
      action: item.action,
      outcome: verdict.outcome,
      details: { writtenBy: SWEEP_ACTOR },
    })),
  );
  return missing.length;
}
