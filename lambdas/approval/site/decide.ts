import type { Grant } from '../access.js';
import { castBallot, checkChoice } from '../decide.js';
import type { ApprovalDeps } from '../ports.js';
import { Refusal } from '../refusals.js';
import { checkCsrf } from './csrf.js';
import { decisionPage } from './decision-page.js';
import { htmlResponse, newNonce, parseForm, type HttpRequest, type HttpResponse } from './http.js';
import { refuse } from './refuse.js';
import { describeIdentity } from '../signin/identity.js';
import type { Session } from './review.js';
import { DESELECT_FIELD, LISTS_DESELECTED, LISTS_FIELD, OVERRIDE_FIELD } from './review-page.js';

/**
 * POST of a review link whose link the router checked (as for GET): checks the CSRF defence, then the form;
 * spends the token and records the ballot in one transaction; then applies the quorum rule.
 * Every refusal is audited and changes nothing else.
 */
export async function decide(
  deps: ApprovalDeps,
  req: HttpRequest,
  grant: Grant,
  base: URL,
  session?: Session,
): Promise<HttpResponse> {
  const https = base.protocol === 'https:';
  const ctx = {
    proposalId: grant.proposal.proposalId,
    approver: grant.token.approver,
    tokenRef: grant.tokenRef,
    requested: grant.proposal.proposalId,
  };
  // Until every approver was mailed, a link may still be withdrawn (send-proposal.ts): it cannot decide yet.
  if (!grant.proposal.sentAt)
    return refuse(deps, https, req.method, Refusal.WITHDRAWN, { ...ctx, detail: 'the proposal is still being sent' });
  const form = parseForm(req);
  if (!form)
    return refuse(deps, https, req.method, Refusal.BAD_FORM, {
      ...ctx,
      detail: 'not a form-encoded body of at most 1 MiB',
    });
  const csrf = checkCsrf(req, form, base);
  if (csrf !== 'ok')
    return refuse(deps, https, req.method, Refusal.CSRF, {
      ...ctx,
      ...(session && { signedIn: describeIdentity(session.identity) }),
      detail:
        csrf === 'origin'
          ? 'Origin/Referer missing or not the review site'
          : 'csrf field missing or not matching the cookie',
    });
  const checked = checkChoice(
    {
      decision: form.get('decision'),
      deselected: form.getAll(DESELECT_FIELD),
      // Older pages posted the selected items as `item`: such a form is never read as deselections.
      listsDeselected: form.get(LISTS_FIELD) === LISTS_DESELECTED && !form.has('item'),
      override: form.get(OVERRIDE_FIELD) === 'yes',
    },
    grant,
  );
  if (!checked.ok) return refuse(deps, https, req.method, checked.refusal, { ...ctx, detail: checked.detail });

  const signedIn = session && { oid: session.identity.oid, ...describeIdentity(session.identity) };
  const result = await castBallot(deps, grant, checked.ballot, signedIn);
  if (!result.ok) return refuse(deps, https, req.method, result.refusal, { ...ctx, detail: result.detail });
  const nonce = newNonce();
  return htmlResponse(
    200,
    decisionPage({
      ballot: result.ballot,
      settlement: result.settlement,
      proposal: grant.proposal,
      config: deps.config,
      nonce,
    }),
    nonce,
    https,
  );
}
