import { randomUUID } from 'node:crypto';
import { authorize } from '../access.js';
import { decide } from './decide.js';
import { handleKeepRequest } from './keep-pages.js';
import { handleUndoRequest } from './undo-pages.js';
import { refuse } from './refuse.js';
import { reviewBase } from '../review-links.js';
import { htmlResponse, newNonce, plainResponse, type HttpRequest, type HttpResponse } from './http.js';
import { messagePage } from './pages.js';
import type { ApprovalDeps } from '../ports.js';
import { showReview } from './review.js';
import { signInFor, type SignIn } from '../signin/index.js';
import type { Grant } from '../access.js';
import { SecretResolutionError } from '../../shared/secrets.js';
import { countOne, SIGN_IN_UNAVAILABLE } from '../metrics.js';
import { checkSession, readSession } from './session.js';
import { signInCallback, startSignIn } from './signin.js';
import { describeIdentity } from '../signin/identity.js';

const REVIEW_PATH = /(?:^|\/)review\/([^/]+)\/?$/;
const KEEP_PATH = /(?:^|\/)keep\/([^/]+)\/?$/;
const UNDO_PATH = /(?:^|\/)undo\/([^/]+)\/?$/;
const CALLBACK_PATH = /(?:^|\/)signin\/callback\/?$/;

/**
 * The approval HTTP core, shared by the Lambda Function URL adapter and the loopback server:
 * GET/HEAD `/review/<proposalId>?t=<token>` shows the proposal, POST records a decision;
 * GET/HEAD `/keep/<proposalId>?t=<token>` shows a person's "keep my account" page, POST keeps;
 * GET/HEAD `/undo/<proposalId>?t=<token>` lists executed changes, POST proposes their undo. Every
 * other path is a plain 404. Errors become a 500 page with a reference, never a stack or a token.
 */
export async function handleApprovalRequest(deps: ApprovalDeps, req: HttpRequest): Promise<HttpResponse> {
  const base = reviewBase(deps.config);
  if (CALLBACK_PATH.test(req.path)) return signInRoute(deps, req, base);
  const keep = KEEP_PATH.exec(req.path);
  const undo = UNDO_PATH.exec(req.path);
  const match = keep ?? undo ?? REVIEW_PATH.exec(req.path);
  if (!match) return plainResponse(404, 'Not found.');
  let proposalId: string;
  try {
    proposalId = decodeURIComponent(match[1]!);
  } catch {
    proposalId = match[1]!;
  }
  const method = req.method.toUpperCase();
  try {
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST')
      return plainResponse(405, "Use GET to review and the page's buttons (POST) to decide.", {
        allow: 'GET, HEAD, POST',
      });
    if (keep) return await handleKeepRequest(deps, { ...req, method }, proposalId, base);
    if (undo) return await handleUndoRequest(deps, { ...req, method }, proposalId, base);
    const access = await authorize(deps, proposalId, req.query.t);
    if (!access.ok) return refuse(deps, base.protocol === 'https:', method, access.refusal, access.context);
    const grant = access.grant;
    const signIn = signInFor(deps, deps.config, base, deps.signIn);
    if (!signIn) {
      if (method === 'POST') return await decide(deps, { ...req, method }, grant, base);
      return await showReview(deps, { ...req, method }, grant, base);
    }
    const now = deps.clock.now();
    const session = checkSession(signIn, await readSession(signIn, req, now), grant.token.approver, now);
    if (method === 'POST') {
      if (!session.ok)
        return refuse(deps, base.protocol === 'https:', method, session.refusal, {
          proposalId: grant.proposal.proposalId,
          approver: grant.token.approver,
          tokenRef: grant.tokenRef,
          requested: grant.proposal.proposalId,
          detail: session.detail,
          ...(session.identity && { signedIn: describeIdentity(session.identity) }),
        });
      return await decide(deps, { ...req, method }, grant, base, {
        identity: session.identity,
        decideBy: session.identity.authenticatedAt + signIn.settings.stepUpMs,
      });
    }
    // A link opened without a usable session signs in first; a stale or another person's session signs in anew.
    if (!session.ok) return await signInOrUnavailable(deps, signIn, base, grant, req.query.t!);
    return await showReview(deps, { ...req, method }, grant, base, {
      identity: session.identity,
      decideBy: session.identity.authenticatedAt + signIn.settings.stepUpMs,
    });
  } catch (err) {
    return errorPage(deps, method, base, err);
  }
}

async function signInRoute(deps: ApprovalDeps, req: HttpRequest, base: URL): Promise<HttpResponse> {
  const method = req.method.toUpperCase();
  try {
    if (method !== 'GET') return plainResponse(405, 'The sign-in callback answers GET only.', { allow: 'GET' });
    const signIn = signInFor(deps, deps.config, base, deps.signIn);
    if (!signIn) return plainResponse(404, 'Not found.');
    return await signInCallback(deps, signIn, req, base);
  } catch (err) {
    return errorPage(deps, method, base, err);
  }
}

/** Starts a sign-in; when the provider cannot be reached (its discovery fails) says so with a 503, writing nothing. */
async function signInOrUnavailable(
  deps: ApprovalDeps,
  signIn: SignIn,
  base: URL,
  grant: Grant,
  token: string,
): Promise<HttpResponse> {
  try {
    return await startSignIn(deps, signIn, base, grant, token);
  } catch (err) {
    if (err instanceof SecretResolutionError) throw err;
    deps.logger.log('error', 'approval.signin-unavailable', {
      issuer: signIn.settings.issuer,
      error: (err as Error).message,
      name: (err as Error).name,
      ...countOne(SIGN_IN_UNAVAILABLE, deps.clock.now(), {}),
    });
    const nonce = newNonce();
    return htmlResponse(
      503,
      messagePage({
        title: 'Sign-in is unavailable right now',
        tone: 'danger',
        nonce,
        text: `The sign-in service (${signIn.settings.issuer}) could not be reached, so no decision can be taken yet. Try your link again in a few minutes; it stays valid until the proposal's deadline. This request changed nothing.`,
      }),
      nonce,
      base.protocol === 'https:',
    );
  }
}

function errorPage(deps: ApprovalDeps, method: string, base: URL, err: unknown): HttpResponse {
  const reference = randomUUID().slice(0, 8);
  deps.logger.log('error', 'approval.error', {
    reference,
    method,
    error: (err as Error).message,
    name: (err as Error).name,
  });
  const nonce = newNonce();
  return htmlResponse(
    500,
    messagePage({
      title: 'Something went wrong',
      tone: 'danger',
      nonce,
      text: `The request could not be completed (reference ${reference}). If you pressed Approve or Reject, open your link again: it says whether your decision was recorded. Give the reference to your administrator if this repeats.`,
    }),
    nonce,
    base.protocol === 'https:',
  );
}
