import type { ProposalMeta } from '../domain/proposal.js';
import { expireProposals, type ExpiryReport } from './expire.js';
import { handleApprovalRequest } from './site/router.js';
import type { HttpRequest, HttpResponse } from './site/http.js';
import type { ApprovalDeps } from './ports.js';
import { sendProposal, type SendReport } from './send-proposal.js';
import { renderAlertEmail, type RunAlert } from './mail/alert-email.js';

export interface ApprovalService {
  /** Mails a READY proposal to the approvers (see sendProposal). */
  sendProposal(proposal: ProposalMeta): Promise<SendReport>;
  /** The same, shaped as the plan's `handoff`. */
  readonly handoff: (proposal: ProposalMeta) => Promise<void>;
  /** One HTTP request to the review site. */
  handle(request: HttpRequest): Promise<HttpResponse>;
  /** Expires READY proposals past their deadline (run it on a schedule, e.g. hourly). */
  expireProposals(now?: number): Promise<ExpiryReport>;
  /** Mails the approvers that a nightly run was blocked by a safety check or failed. */
  sendAlert(alert: RunAlert): Promise<void>;
}

/** The approval step with its ports bound: what the demo, the tests and the Lambda adapter use. */
export function createApprovalService(deps: ApprovalDeps): ApprovalService {
  return {
    sendProposal: (p) => sendProposal(deps, p),
    handoff: async (p) => void (await sendProposal(deps, p)),
    handle: (r) => handleApprovalRequest(deps, r),
    expireProposals: (now) => expireProposals(deps, now),
    sendAlert: async (alert) => {
      const mail = renderAlertEmail(alert, deps.config);
      await deps.mailer.send({ from: deps.config.approval.from, to: deps.config.approval.approvers, ...mail });
    },
  };
}
