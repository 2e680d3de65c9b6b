import { randomUUID } from 'node:crypto';
import { contentHash } from '../plan/content-hash.js';
import { AuditEvent } from '../domain/audit.js';
import { StateConflictError } from '../domain/errors.js';
import { ItemState } from '../domain/item-states.js';
import { ProposalStatus, type ProposalItem, type ProposalMeta } from '../domain/proposal.js';
import { auditStep, itemEntries, proposalStream } from './audit-entries.js';
import { proposalCsv } from '../mail/csv.js';
import { deadlineOf, lifetimeMs } from './deadline.js';
import { reviewBase, reviewLink } from './review-links.js';
import { MailDeliveryError } from '../domain/errors.js';
import { ProposalNotSendableError } from './errors.js';
import type { MailAttachment } from '../domain/ports.js';
import type { ApprovalDeps } from './ports.js';
import { csvFileName, renderProposalEmail } from './mail/proposal-email.js';
import { proRatedColumns } from './mail/proposal-csv.js';
import { AUTO_APPROVER, buildView, loadItems, runBasis } from './proposal-view.js';
import { issueLinks, withdrawFailedSend } from './links.js';
import { startExecution } from './settle.js';

export interface SendReport {
  readonly proposalId: string;
  /** sent: mailed for a decision; auto-approved: nothing left to decide; already-sent: a repeated handoff, nothing done. */
  readonly status: 'sent' | 'auto-approved' | 'already-sent';
  readonly recipients: readonly string[];
  readonly pending: number;
  readonly autoApproved: number;
  readonly expiresAt?: string;
}

/** Approves, by configuration, the pending items of the auto-approved action kinds (never on an over-cap proposal). */
async function autoApprove(deps: ApprovalDeps, proposal: ProposalMeta, items: ProposalItem[]): Promise<ProposalItem[]> {
  const kinds = new Set<string>(deps.config.approval.autoApprove);
  // An undo is never approved by configuration: it reverses what people approved, so people decide it.
  if (proposal.suspicious || kinds.size === 0 || proposal.undoOf) return items;
  const moved: ProposalItem[] = [];
  for (const item of items.filter((i) => i.state === ItemState.PROPOSED && kinds.has(i.action))) {
    try {
      await deps.proposals.moveItem(item.proposalId, item.accountId, ItemState.APPROVED, { decidedBy: AUTO_APPROVER });
      moved.push(item);
    } catch (err) {
      if (!(err instanceof StateConflictError)) throw err;
    }
  }
  await auditStep(
    deps,
    'AUTO',
    proposal.proposalId,
    itemEntries(AuditEvent.APPROVED, AUTO_APPROVER, moved, 'auto-approved'),
    [],
  );
  const done = new Set(moved.map((i) => i.accountId));
  return items.map((i) => (done.has(i.accountId) ? { ...i, state: ItemState.APPROVED, decidedBy: AUTO_APPROVER } : i));
}

/**
 * Sends a READY proposal for approval (usable as the plan's handoff): auto-approves the configured
 * action kinds, issues one single-use link per approver (only its hash is stored; each link is
 * audited before it is mailed), and mails each approver their own message with the CSV of every
 * item. A proposal already sent is not sent again. If any approver is not reached, every link of
 * this attempt is withdrawn and the approvers are alerted; the error is thrown, so the plan's retry
 * sends again with new links. No link decides before the whole send succeeded (`sentAt`).
 */
export async function sendProposal(deps: ApprovalDeps, handed: ProposalMeta): Promise<SendReport> {
  const { config, clock } = deps;
  const base = reviewBase(config);
  const id = handed.proposalId;
  const proposal = await deps.proposals.get(id);
  if (!proposal)
    throw new ProposalNotSendableError(
      `proposal ${id} does not exist; only a proposal the plan stored can be sent.`,
      id,
      undefined,
    );
  const noop = { proposalId: id, recipients: [], pending: 0, autoApproved: proposal.autoApproved ?? 0 };
  if (proposal.sentAt)
    return { ...noop, status: 'already-sent', ...(proposal.expiresAt && { expiresAt: proposal.expiresAt }) };
  if (proposal.status !== ProposalStatus.READY)
    throw new ProposalNotSendableError(
      `proposal ${id} is ${proposal.status}; only a READY proposal can be sent for approval.`,
      id,
      proposal.status,
    );
  const loaded = await loadItems(deps.proposals, id);
  const hash = contentHash(loaded);
  if (proposal.contentHash && hash !== proposal.contentHash)
    throw new ProposalNotSendableError(
      `proposal ${id} has items that differ from the plan's content hash (${hash.slice(0, 12)} != ${proposal.contentHash.slice(0, 12)}); it is not sent. Re-run the plan.`,
      id,
      proposal.status,
    );
  if (clock.now() >= deadlineOf(proposal, config))
    throw new ProposalNotSendableError(
      `proposal ${id} is past its decision deadline (${new Date(deadlineOf(proposal, config)).toISOString()}); it is not sent and will expire.`,
      id,
      proposal.status,
    );

  const items = await autoApprove(deps, proposal, loaded);
  const expiresAt = proposal.expiresAt ? Date.parse(proposal.expiresAt) : clock.now() + lifetimeMs(config);
  const basis = await runBasis(deps.runs, proposal);
  const view = buildView(config, proposal, items, basis.before, expiresAt, { ...basis, nowMs: clock.now() });
  const fields = {
    expiresAt: new Date(expiresAt).toISOString(),
    autoApproved: view.autoApprovedCount,
    sentTo: { approvers: [...config.approval.approvers], quorum: config.approval.quorum },
  };
  const csv: MailAttachment = {
    filename: csvFileName(id),
    contentType: 'text/csv; charset=utf-8',
    content: Buffer.from(proposalCsv(items, config.schedules.timeZone, proRatedColumns(view.billing)), 'utf8'),
  };

  if (view.pendingCount === 0) {
    const at = new Date(clock.now()).toISOString();
    await deps.proposals.setStatus(id, [ProposalStatus.READY], ProposalStatus.APPROVED, {
      ...fields,
      sentAt: at,
      decidedAt: at,
      decidedBy: AUTO_APPROVER,
      settledAt: at,
    });
    await mailAll(deps, config.approval.approvers, (approver) => renderProposalEmail({ view, config, approver }), csv);
    await deps.audit.append(proposalStream(id), [
      {
        event: AuditEvent.APPROVED,
        actor: AUTO_APPROVER,
        proposalId: id,
        outcome: 'auto-approved',
        details: { autoApproved: view.autoApprovedCount },
      },
    ]);
    await startExecution(deps, id);
    return {
      ...noop,
      status: 'auto-approved',
      recipients: config.approval.approvers,
      autoApproved: view.autoApprovedCount,
      expiresAt: fields.expiresAt,
    };
  }

  // A new send id voids every link of an earlier attempt, even one that died before withdrawing them.
  const sendId = randomUUID();
  await deps.proposals.setStatus(id, [ProposalStatus.READY], ProposalStatus.READY, { ...fields, sendId });
  const links = await issueLinks(
    deps,
    { proposalId: id, contentHash: hash, sendId, expiresAt },
    config.approval.approvers,
  );
  const linkOf = new Map(links.map((l) => [l.approver, l]));
  try {
    await mailAll(
      deps,
      config.approval.approvers,
      (approver) =>
        renderProposalEmail({ view, config, approver, link: reviewLink(base, id, linkOf.get(approver)!.token) }),
      csv,
    );
  } catch (err) {
    if (err instanceof MailDeliveryError) await withdrawFailedSend(deps, id, links, err.recipients);
    throw err;
  }
  const refs = Object.fromEntries(links.map((l) => [l.approver, l.tokenRef]));
  await deps.proposals.setStatus(id, [ProposalStatus.READY], ProposalStatus.READY, {
    sentAt: new Date(clock.now()).toISOString(),
  });
  await deps.audit.append(proposalStream(id), [
    {
      event: AuditEvent.PROPOSAL_SENT,
      actor: 'system:approval',
      proposalId: id,
      outcome: 'sent',
      details: {
        approvers: config.approval.approvers,
        tokenRefs: refs,
        expiresAt: fields.expiresAt,
        pending: view.pendingCount,
        autoApproved: view.autoApprovedCount,
        suspicious: proposal.suspicious === true,
        contentHash: hash,
        quorum: config.approval.quorum,
      },
    },
  ]);
  deps.logger.log('info', 'approval.sent', {
    proposalId: id,
    approvers: config.approval.approvers.length,
    pending: view.pendingCount,
    autoApproved: view.autoApprovedCount,
    expiresAt: fields.expiresAt,
  });
  if (view.autoApprovedCount > 0) await startExecution(deps, id);
  return {
    ...noop,
    status: 'sent',
    recipients: config.approval.approvers,
    pending: view.pendingCount,
    autoApproved: view.autoApprovedCount,
    expiresAt: fields.expiresAt,
  };
}

/** Mails every approver their own message; reports all who were not reached, after trying each. */
async function mailAll(
  deps: ApprovalDeps,
  approvers: readonly string[],
  render: (
    approver: string,
  ) => Promise<{ subject: string; html: string; text: string }> | { subject: string; html: string; text: string },
  csv: MailAttachment,
): Promise<void> {
  const failed: string[] = [];
  let firstError: unknown;
  for (const approver of approvers) {
    try {
      const m = await render(approver);
      await deps.mailer.send({
        from: deps.config.approval.from,
        to: [approver],
        subject: m.subject,
        html: m.html,
        text: m.text,
        attachments: [csv],
      });
    } catch (err) {
      failed.push(approver);
      firstError ??= err;
      deps.logger.log('error', 'approval.mail-failed', { approver, error: (err as Error).message });
    }
  }
  if (failed.length > 0) {
    throw new MailDeliveryError(
      `the proposal email did not reach ${failed.join(', ')} (${(firstError as Error).message}). The proposal stays unsent and every link of this attempt was withdrawn; sending it again issues new links to every approver.`,
      failed,
      { cause: firstError },
    );
  }
}
