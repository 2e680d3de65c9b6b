import type { Grant } from '../access.js';
import { authorize } from '../access.js';
import type { ApprovalDeps } from '../ports.js';
import { Refusal } from '../refusals.js';
import { reviewLink } from '../review-links.js';
import { describeIdentity, identityOf, isApprover, type SignIn } from '../signin/index.js';
import { newChecks } from '../signin/oidc.js';
import { countOne, UNVERIFIED_REFUSALS } from '../metrics.js';
import { htmlResponse, newNonce, type HttpRequest, type HttpResponse } from './http.js';
import { messagePage } from './pages.js';
import { refuse } from './refuse.js';
import { clearCookie, FLOW_COOKIE, flowCookie, flowPath, readFlow, sessionCookie } from './session.js';

/** The callback's refusals are audited like decisions (a real person signed in): not a GET of a link. */
const CALLBACK = 'CALLBACK';

function redirect(location: string, cookies: readonly string[]): HttpResponse {
  return {
    status: 303,
    headers: { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
    cookies,
    body: '',
  };
}

/**
 * Sends the browser to the provider to sign in for this link: fresh state, nonce and PKCE verifier,
 * sealed with the link in the flow cookie (nothing is written: a mail scanner opening the link only
 * gets this redirect). Every sign-in asks for the credentials (`prompt=login`, see oidc.ts).
 */
export async function startSignIn(
  deps: ApprovalDeps,
  signIn: SignIn,
  base: URL,
  grant: Grant,
  token: string,
): Promise<HttpResponse> {
  const checks = await newChecks();
  const cookie = await flowCookie(
    signIn,
    {
      state: checks.state,
      nonce: checks.nonce,
      verifier: checks.verifier,
      proposalId: grant.proposal.proposalId,
      token,
    },
    base,
    deps.clock.now(),
  );
  const location = await signIn.rp.authorizationUrl({ ...checks, loginHint: grant.token.approver });
  return redirect(location, [cookie]);
}

/**
 * The provider's error, as recorded: one of the codes OpenID Connect and Entra define, else "other";
 * never `error_description` (anyone can send a browser to the callback with text of their choosing).
 */
const PROVIDER_ERRORS = new Set([
  'access_denied',
  'login_required',
  'interaction_required',
  'consent_required',
  'account_selection_required',
  'invalid_request',
  'invalid_scope',
  'unauthorized_client',
  'unsupported_response_type',
  'server_error',
  'temporarily_unavailable',
]);
const providerError = (q: HttpRequest['query']): string => (PROVIDER_ERRORS.has(q.error ?? '') ? q.error! : 'other');

/**
 * GET `<base>/signin/callback?code&state`: the provider's answer. The flow cookie names the link;
 * the link is checked again; the code is redeemed with the PKCE verifier and the ID token verified
 * (openid-client: signature from the tenant's JWKS, issuer, audience, expiry, nonce; the state
 * parameter against the cookie's). Then the signed-in person must be the link's approver. Every
 * refusal of a genuine link is audited with the identity that signed in; success sets the session
 * and returns to the review page.
 */
export async function signInCallback(
  deps: ApprovalDeps,
  signIn: SignIn,
  req: HttpRequest,
  base: URL,
): Promise<HttpResponse> {
  const https = base.protocol === 'https:';
  const now = deps.clock.now();
  const clearFlow = clearCookie(FLOW_COOKIE, flowPath(base), base);
  const flow = await readFlow(signIn, req, now);
  if (!flow) {
    deps.logger.log('warn', 'approval.signin-no-flow', {
      hasCode: typeof req.query.code === 'string',
      ...countOne(UNVERIFIED_REFUSALS, now, { method: 'GET' }),
    });
    const nonce = newNonce();
    return htmlResponse(
      400,
      messagePage({
        title: 'This sign-in cannot be matched to a review link',
        tone: 'danger',
        nonce,
        text: 'The sign-in took longer than 15 minutes, was started in another browser, or this browser blocks cookies. Open the link from your proposal email again. This request changed nothing.',
      }),
      nonce,
      https,
      [clearFlow],
    );
  }
  const access = await authorize(deps, flow.proposalId, flow.token);
  if (!access.ok) return withCookie(await refuse(deps, https, 'GET', access.refusal, access.context), clearFlow);
  const grant = access.grant;
  const ctx = {
    proposalId: grant.proposal.proposalId,
    approver: grant.token.approver,
    tokenRef: grant.tokenRef,
    requested: grant.proposal.proposalId,
  };
  const refused = async (refusal: Refusal, detail: string, signedIn?: { oid?: string; username?: string }) =>
    withCookie(
      await refuse(deps, https, CALLBACK, refusal, { ...ctx, detail, ...(signedIn && { signedIn }) }),
      clearFlow,
    );
  // An answer to another sign-in than this browser's (a forged error included) is refused before it is read.
  if (req.query.state !== flow.state)
    return refused(Refusal.SIGN_IN_FAILED, 'the state parameter is not the one this sign-in sent');
  if (req.query.error) return refused(Refusal.SIGN_IN_FAILED, `provider error ${providerError(req.query)}`);
  const callbackUrl = new URL(signIn.settings.redirectUri);
  for (const [k, v] of Object.entries(req.query)) if (v !== undefined) callbackUrl.searchParams.set(k, v);
  let claims: Readonly<Record<string, unknown>>;
  try {
    ({ claims } = await signIn.rp.redeem(callbackUrl, {
      verifier: flow.verifier,
      state: flow.state,
      nonce: flow.nonce,
      nowMs: now,
    }));
  } catch (err) {
    return refused(Refusal.SIGN_IN_FAILED, failureDetail(err));
  }
  const checked = identityOf(claims, { tenantId: signIn.settings.tenantId, requireMfa: signIn.settings.requireMfa });
  if (!checked.ok)
    return refused(
      checked.problem === 'no mfa' ? Refusal.MFA_REQUIRED : Refusal.SIGN_IN_FAILED,
      `ID token: ${checked.problem}`,
      describeIdentity(checked.partial),
    );
  const identity = checked.identity;
  if (!isApprover(identity, grant.token.approver))
    return refused(
      Refusal.WRONG_USER,
      `signed in as ${identity.username ?? identity.email} (oid ${identity.oid}), the link is ${grant.token.approver}'s`,
      describeIdentity(identity),
    );
  deps.logger.log('info', 'approval.signed-in', {
    proposalId: grant.proposal.proposalId,
    tokenRef: grant.tokenRef,
    ...describeIdentity(identity),
  });
  return redirect(reviewLink(base, grant.proposal.proposalId, flow.token), [
    await sessionCookie(signIn, identity, base),
    clearFlow,
  ]);
}

function withCookie(res: HttpResponse, cookie: string): HttpResponse {
  return { ...res, cookies: [...res.cookies, cookie] };
}

/**
 * What went wrong in the code exchange, for the audit record: the library's messages down its cause
 * chain (openid-client wraps oauth4webapi, whose cause names the claim or the server's error), never a token.
 */
function failureDetail(err: unknown): string {
  const parts: string[] = [];
  let e = err as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    error?: unknown;
    claim?: unknown;
    cause?: unknown;
  };
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    for (const v of [
      depth === 0 ? e.name : undefined,
      e.code,
      e.error,
      e.message,
      e.claim && `(claim ${String(e.claim)})`,
    ])
      if (typeof v === 'string' && v !== '' && !parts.includes(v)) parts.push(v);
    e = e.cause as typeof e;
  }
  return parts
    .join(' ')
    .replace(/eyJ[A-Za-z0-9_-]{10,}(\.[A-Za-z0-9_-]*){0,4}/g, '<jwt>')
    .slice(0, 400);
}
