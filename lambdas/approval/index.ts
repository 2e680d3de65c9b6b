export { createApprovalService, type ApprovalService } from './service.js';
export { approvalDeps, type ApprovalWiring } from './deps.js';
export type {
  ApprovalDeps,
  ExecutionStarter,
  Mailer,
  MailMessage,
  MailAttachment,
  ProposalAccess,
  OpenProposals,
  TokenStore,
  RunSummaries,
} from './ports.js';
export { handleApprovalRequest } from './handler.js';
export { MAX_BODY_BYTES, type HttpRequest, type HttpResponse } from './http.js';
export { sendProposal, type SendReport } from './send-proposal.js';
export { expireProposals, EXPIRY_ACTOR, type ExpiryReport } from './expire.js';
export { SesMailer } from './ses-mailer.js';
export { DynamoOpenProposals } from './open-proposals.js';
export { renderProposalEmail, csvFileName, type ProposalEmailInput } from './proposal-email.js';
export { renderResultsEmail, Outcome, type ResultsEmailInput } from './results-email.js';
export type { RenderedEmail } from './email-text.js';
export { renderReviewPage } from './review-page.js';
export { buildView, loadItems, AUTO_APPROVER, type ProposalView } from './proposal-view.js';
export { proposalCsv, toCsv, csvCell } from './csv.js';
export { seatImpact, seatDelta, type SeatImpact } from './seats.js';
export { tallyBallots, type QuorumOutcome } from './quorum.js';
export { Refusal, REFUSAL_PAGES } from './refusals.js';
export { escapeHtml, html, SafeHtml } from './html.js';
export { ApprovalError, ApprovalSetupError, ProposalNotSendableError, MailDeliveryError } from './errors.js';
export { proposalStream, refusalStream, itemStream, ITEM_STREAMS } from './audit-entries.js';
export { reviewLink } from './deadline.js';
export { renderAlertEmail, type RunAlert } from './alert-email.js';
