import { AuditEvent } from '../domain/audit.js';
import { ItemState } from '../domain/item-states.js';
import { BallotDecision, type Ballot, type SpentReason } from '../domain/ballot.js';
import { TokenSpentError } from '../domain/errors.js';
import { authorize, type Grant } from './access.js';
import { approverActor, proposalStream } from './audit-entries.js';
import { checkCsrf } from './csrf.js';
import { htmlResponse, parseForm, type HttpRequest, type HttpResponse } from './http.js';
import type { ApprovalDeps } from './ports.js';
import { tallyProposal } from './quorum.js';
import { Refusal } from './refusals.js';
import { refuse } from './respond.js';
import { decisionPage } from './decision-page.js';
import { OVERRIDE_FIELD } from './review-page.js';
import { newNonce } from './secrets.js';
import { settle } from './settle.js';

type FormCheck = { ok: true; ballot: Omit<Ballot, 'castAt'> } | { ok: false; refusal: Refusal; detail: string };

/** Validates the decision form against the proposal: a known decision, only pending items, the override when needed. */
function readForm(form: URLSearchParams, grant: Grant): FormCheck {
  const decision = form.get('decision');
  if (decision !== BallotDecision.APPROVE && decision !== BallotDecision.REJECT)
    return { ok: false, refusal: Refusal.BAD_FORM, detail: 'decision must be approve or reject' };
  const pending = grant.items.filter((i) => i.state === ItemState.PROPOSED).map((i) => i.accountId);
  const pendingSet = new Set(pending);
  const selected = new Set(form.getAll('item'));
  const unknown = [...selected].filter((id) => !pendingSet.has(id));
  if (unknown.length > 0)
    return {
      ok: false,
      refusal: Refusal.BAD_FORM,
      detail: `${unknown.length} selected item(s) are not pending in this proposal`,
    };
  const override = form.get(OVERRIDE_FIELD) === 'yes';
  if (decision === BallotDecision.APPROVE) {
    if (selected.size === 0) return { ok: false, refusal: Refusal.BAD_FORM, detail: 'approve with no item selected' };
    if (grant.proposal.suspicious && !override)
      return {
        ok: false,
        refusal: Refusal.OVERRIDE_REQUIRED,
        detail: 'over-cap proposal approved without the override',
      };
  }
  const deselected = decision === BallotDecision.APPROVE ? pending.filter((id) => !selected.has(id)) : [];
  return {
    ok: true,
    ballot: {
      proposalId: grant.proposal.proposalId,
      approver: grant.token.approver,
      decision,
      deselected,
      override,
      tokenRef: grant.tokenRef,
    },
  };
}

const SPENT_REFUSAL: Readonly<Record<SpentReason, Refusal>> = {
  missing: Refusal.INVALID_LINK,
  used: Refusal.USED,
  'already-decided': Refusal.USED,
  conflict: Refusal.USED,
  expired: Refusal.EXPIRED,
};

/**
 * POST of a review link: checks the link (as GET does), then the CSRF defence, then the form;
 * spends the token and records the ballot in one transaction; then applies the quorum rule.
 * Every refusal is audited and changes nothing else.
 */
export async function decide(
  deps: ApprovalDeps,
  req: HttpRequest,
  proposalId: string,
  base: URL,
): Promise<HttpResponse> {
  const https = base.protocol === 'https:';
  const access = await authorize(deps, proposalId, req.query.t);
  if (!access.ok) return refuse(deps, https, req.method, access.refusal, access.context);
  const grant = access.grant;
  const ctx = {
    proposalId: grant.proposal.proposalId,
    approver: grant.token.approver,
    tokenRef: grant.tokenRef,
    requested: grant.proposal.proposalId,
  };
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
      detail:
        csrf === 'origin'
          ? 'Origin/Referer missing or not the review site'
          : 'csrf field missing or not matching the cookie',
    });
  const checked = readForm(form, grant);
  if (!checked.ok) return refuse(deps, https, req.method, checked.refusal, { ...ctx, detail: checked.detail });

  const now = deps.clock.now();
  const ballot: Ballot = { ...checked.ballot, castAt: new Date(now).toISOString() };
  try {
    await deps.tokens.castBallot(grant.tokenHash, ballot, Math.floor(now / 1000));
  } catch (err) {
    if (!(err instanceof TokenSpentError)) throw err;
    return refuse(deps, https, req.method, SPENT_REFUSAL[err.reason], { ...ctx, detail: err.message });
  }
  await deps.audit.append(proposalStream(grant.proposal.proposalId), [
    {
      event: AuditEvent.DECISION_RECORDED,
      actor: approverActor([ballot.approver]),
      proposalId: ballot.proposalId,
      outcome: ballot.decision,
      details: {
        tokenRef: ballot.tokenRef,
        deselected: ballot.deselected.length,
        override: ballot.override,
        quorum: deps.config.approval.quorum,
      },
    },
  ]);
  const ballots = await deps.tokens.ballots(grant.proposal.proposalId);
  const outcome = tallyProposal(ballots, grant.proposal, deps.config.approval);
  const pending = grant.items.filter((i) => i.state === ItemState.PROPOSED);
  const settlement = await settle(deps, grant.proposal, pending, outcome);
  const nonce = newNonce();
  return htmlResponse(
    200,
    decisionPage({ ballot, settlement, proposal: grant.proposal, config: deps.config, nonce }),
    nonce,
    https,
  );
}
