import type { Grant } from '../access.js';
import { csrfForPage } from './csrf.js';
import { deadlineOf } from '../deadline.js';
import { htmlResponse, newNonce, type HttpRequest, type HttpResponse } from './http.js';
import type { ApprovalDeps } from '../ports.js';
import { buildView, runBasis } from '../proposal-view.js';
import { renderReviewPage } from './review-page.js';
import { quorumOf, tallyBallots } from '../quorum.js';
import type { SignedIn } from '../signin/identity.js';

/**
 * GET (and HEAD) of a review link: shows the proposal and changes nothing. Mail security scanners
 * open every link, so this path only reads: no token is spent, no item moves, no audit record is
 * written. The only thing it sets is the browser's CSRF cookie. Decision fields in the query
 * string are ignored: a link can never decide.
 */
/** The approver's sign-in, when sign-in is on: who, and until when a decision is accepted. */
export interface Session {
  readonly identity: SignedIn;
  readonly decideBy: number;
}

export async function showReview(
  deps: ApprovalDeps,
  req: HttpRequest,
  grant: Grant,
  base: URL,
  session?: Session,
): Promise<HttpResponse> {
  const https = base.protocol === 'https:';
  const { proposal, items, token } = grant;
  const csrf = csrfForPage(req, base);
  const basis = await runBasis(deps.runs, proposal);
  const view = buildView(deps.config, proposal, items, basis.before, deadlineOf(proposal, deps.config), {
    ...basis,
    nowMs: deps.clock.now(),
  });
  const q = quorumOf(proposal, deps.config.approval);
  const tally =
    q.quorum > 1 ? tallyBallots(await deps.tokens.ballots(proposal.proposalId), q.quorum, q.approvers) : undefined;
  const approvals =
    tally?.kind === 'pending' ? tally.approvals : tally?.kind === 'approved' ? tally.approvers.length : 0;
  const nonce = newNonce();
  const body = renderReviewPage({
    view,
    config: deps.config,
    approver: token.approver,
    csrf: csrf.value,
    nonce,
    approvals,
    ...(session && {
      signedIn: { username: session.identity.username ?? session.identity.email ?? '', decideBy: session.decideBy },
    }),
  });
  return htmlResponse(200, req.method === 'HEAD' ? '' : body, nonce, https, csrf.setCookie ? [csrf.setCookie] : []);
}
