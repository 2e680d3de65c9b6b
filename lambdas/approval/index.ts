export { createApprovalService, type ApprovalService } from './service.js';
export type { ApprovalDeps, ProposalAccess, RunSummaries } from './ports.js';
export { handleApprovalRequest } from './site/router.js';
export { MAX_BODY_BYTES, type HttpRequest, type HttpResponse } from './site/http.js';
export { sendProposal, type SendReport } from './send-proposal.js';
export { expireProposals, EXPIRY_ACTOR, type ExpiryReport } from './expire.js';
export { renderProposalEmail, csvFileName, type ProposalEmailInput } from './mail/proposal-email.js';
export { renderReviewPage } from './site/review-page.js';
export { buildView, loadItems, AUTO_APPROVER, type ProposalView } from './proposal-view.js';
export { seatImpact, seatDelta, type SeatImpact } from './seat-impact.js';
export { tallyBallots, type QuorumOutcome } from './quorum.js';
export { Refusal } from './refusals.js';
export { REFUSAL_PAGES } from './site/refusal-pages.js';
export { ApprovalError, ApprovalSetupError, ProposalNotSendableError } from './errors.js';
export { proposalStream, refusalStream, itemStream, ITEM_STREAMS } from './audit-entries.js';
export { reviewBase, reviewLink, keepLink, undoLink } from './review-links.js';
export { renderAlertEmail, type RunAlert } from './mail/alert-email.js';
export { keepLinkIssuer, checkKeepLink, keepAccount, isKept, type KeepDeps, type KeepResult } from './keep.js';
export { renderKeptEmail } from './mail/kept-email.js';
export { undoLinkIssuer, checkUndoLink, askUndo, UNDO_LINK_DAYS, type UndoLink } from './undo-request.js';
export { METRIC_NAMESPACE, UNVERIFIED_REFUSALS } from './metrics.js';
export {
  MailRequestKind,
  MailRequestError,
  parseMailRequest,
  fulfilMailRequest,
  inProcessMailRequests,
  type MailRequest,
  type MailRequestOutcome,
} from './mail-requests.js';
export type { MailRequests } from './ports.js';
