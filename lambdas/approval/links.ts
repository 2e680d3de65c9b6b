import { AuditEvent } from '../domain/audit.js';
import { proposalStream } from './audit-entries.js';
import { renderSendFailedEmail } from './mail/send-failed-email.js';
import type { ApprovalDeps } from './ports.js';
import { hashToken, newToken, tokenRef } from './tokens.js';

/** One approver's review link of one send attempt. The raw token lives in memory until it is mailed. */
export interface IssuedLink {
  readonly approver: string;
  readonly token: string;
  readonly tokenHash: string;
  readonly tokenRef: string;
}

const ACTOR = 'system:approval';

/**
 * Issues one review link per approver for one send attempt: stores each hash (never the token),
 * then audits each link (LINK_ISSUED, with its hash prefix) before anything is mailed, so every
 * link that can reach a mailbox has its record.
 */
export async function issueLinks(
  deps: ApprovalDeps,
  send: { proposalId: string; contentHash: string; sendId: string; expiresAt: number },
  approvers: readonly string[],
): Promise<IssuedLink[]> {
  const issuedAt = new Date(deps.clock.now()).toISOString();
  const links = approvers.map((approver) => {
    const token = newToken();
    const tokenHash = hashToken(token);
    return { approver, token, tokenHash, tokenRef: tokenRef(tokenHash) };
  });
  for (const link of links)
    await deps.tokens.put({
      tokenHash: link.tokenHash,
      proposalId: send.proposalId,
      approver: link.approver,
      contentHash: send.contentHash,
      issuedAt,
      expiresAt: Math.floor(send.expiresAt / 1000),
      sendId: send.sendId,
    });
  await deps.audit.append(
    proposalStream(send.proposalId),
    links.map((link) => ({
      event: AuditEvent.LINK_ISSUED,
      actor: ACTOR,
      proposalId: send.proposalId,
      outcome: 'issued',
      details: {
        approver: link.approver,
        tokenRef: link.tokenRef,
        sendId: send.sendId,
        expiresAt: new Date(send.expiresAt).toISOString(),
      },
    })),
  );
  return links;
}

/**
 * After a send that did not reach every approver: withdraws every link it issued (each refuses
 * from now on, including the ones that were delivered), audits each withdrawal, logs, and tells
 * every approver it can reach. Errors here are logged, never thrown: the caller rethrows the
 * send's own error, and a link that could not be withdrawn still cannot decide (no `sentAt`) and is
 * replaced by the next attempt's `sendId`.
 */
export async function withdrawFailedSend(
  deps: ApprovalDeps,
  proposalId: string,
  links: readonly IssuedLink[],
  notReached: readonly string[],
): Promise<void> {
  const at = deps.clock.now();
  try {
    for (const link of links) await deps.tokens.revoke(link.tokenHash, new Date(at).toISOString());
    await deps.audit.append(
      proposalStream(proposalId),
      links.map((link) => ({
        event: AuditEvent.LINK_REVOKED,
        actor: ACTOR,
        proposalId,
        outcome: 'send-failed',
        details: { approver: link.approver, tokenRef: link.tokenRef, notReached },
      })),
    );
  } catch (err) {
    deps.logger.log('error', 'approval.withdraw-failed', { proposalId, error: (err as Error).message });
  }
  deps.logger.log('error', 'approval.send-failed', {
    proposalId,
    notReached,
    withdrawn: links.map((l) => l.tokenRef),
  });
  const mail = renderSendFailedEmail({ proposalId, notReached, at }, deps.config);
  for (const approver of deps.config.approval.approvers) {
    try {
      await deps.mailer.send({ from: deps.config.approval.from, to: [approver], ...mail });
    } catch (err) {
      deps.logger.log('error', 'approval.alert-failed', { proposalId, approver, error: (err as Error).message });
    }
  }
}
