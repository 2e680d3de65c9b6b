import { describeIdentity, freshEnough, isApprover, type SignedIn, type SignIn } from '../signin/index.js';
import { Refusal } from '../refusals.js';
import { cookie, type HttpRequest } from './http.js';

/** The approver's sign-in session: sealed, HttpOnly, SameSite=Lax, scoped to the review pages. */
export const SESSION_COOKIE = 'review_session';
/** One sign-in in progress (state, nonce, PKCE verifier, the link it started from), scoped to the callback. */
export const FLOW_COOKIE = 'review_signin';
/** How long a started sign-in may take before its callback is refused. */
export const FLOW_TTL_MS = 15 * 60_000;
/**
 * A session outlives its step-up window by this much only so a late decision is told "sign in
 * again" rather than "not signed in"; it can never decide in that time.
 */
const SESSION_GRACE_MS = 60 * 60_000;

const root = (base: URL): string => base.pathname.replace(/\/+$/, '');
export const sessionPath = (base: URL): string => `${root(base)}/review`;
export const flowPath = (base: URL): string => `${root(base)}/signin`;

function setCookie(name: string, value: string, path: string, base: URL, maxAgeSeconds: number): string {
  const secure = base.protocol === 'https:' ? '; Secure' : '';
  return `${name}=${value}; Path=${path}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure}`;
}
export const clearCookie = (name: string, path: string, base: URL): string => setCookie(name, '', path, base, 0);

/** A sign-in in progress, as sealed in the flow cookie. */
export interface Flow {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  readonly proposalId: string;
  /** The review link's token: the callback checks the link again and returns to it. */
  readonly token: string;
}

export async function flowCookie(signIn: SignIn, flow: Flow, base: URL, nowMs: number): Promise<string> {
  const value = await signIn.sealer.seal(
    'flow',
    { st: flow.state, no: flow.nonce, ve: flow.verifier, pi: flow.proposalId, tk: flow.token },
    nowMs + FLOW_TTL_MS,
  );
  return setCookie(FLOW_COOKIE, value, flowPath(base), base, FLOW_TTL_MS / 1000);
}

export async function readFlow(signIn: SignIn, req: HttpRequest, nowMs: number): Promise<Flow | undefined> {
  const p = await signIn.sealer.open('flow', cookie(req, FLOW_COOKIE), nowMs);
  if (!p) return undefined;
  const { st, no, ve, pi, tk } = p;
  if (![st, no, ve, pi, tk].every((v) => typeof v === 'string' && v !== '')) return undefined;
  return {
    state: st as string,
    nonce: no as string,
    verifier: ve as string,
    proposalId: pi as string,
    token: tk as string,
  };
}

export async function sessionCookie(signIn: SignIn, identity: SignedIn, base: URL): Promise<string> {
  const expires = identity.authenticatedAt + signIn.settings.stepUpMs + SESSION_GRACE_MS;
  const value = await signIn.sealer.seal('session', { id: identity }, expires);
  const maxAge = Math.max(1, Math.floor((signIn.settings.stepUpMs + SESSION_GRACE_MS) / 1000));
  return setCookie(SESSION_COOKIE, value, sessionPath(base), base, maxAge);
}

export async function readSession(signIn: SignIn, req: HttpRequest, nowMs: number): Promise<SignedIn | undefined> {
  const p = await signIn.sealer.open('session', cookie(req, SESSION_COOKIE), nowMs);
  const id = p?.id as SignedIn | undefined;
  if (!id || typeof id.oid !== 'string' || typeof id.authenticatedAt !== 'number' || !Array.isArray(id.amr))
    return undefined;
  return id;
}

export type SessionVerdict =
  | { readonly ok: true; readonly identity: SignedIn }
  | {
      readonly ok: false;
      readonly refusal: Refusal;
      readonly detail: string;
      readonly identity?: SignedIn;
    };

/**
 * May this session decide with a link issued to `approver`: signed in, as that approver, and
 * recently enough (step-up).
 */
export function checkSession(
  signIn: SignIn,
  identity: SignedIn | undefined,
  approver: string,
  nowMs: number,
): SessionVerdict {
  if (!identity) return { ok: false, refusal: Refusal.SIGN_IN_REQUIRED, detail: 'no sign-in session' };
  const who = describeIdentity(identity);
  // The settings may have changed since the session was sealed (another tenant, MFA now required).
  if (identity.tid.toLowerCase() !== signIn.settings.tenantId.toLowerCase())
    return { ok: false, refusal: Refusal.SIGN_IN_REQUIRED, detail: `session of tenant ${identity.tid}`, identity };
  if (signIn.settings.requireMfa && !identity.amr.includes('mfa'))
    return { ok: false, refusal: Refusal.MFA_REQUIRED, detail: 'session signed in without mfa', identity };
  if (!isApprover(identity, approver))
    return {
      ok: false,
      refusal: Refusal.WRONG_USER,
      detail: `signed in as ${who.username ?? '?'} (oid ${who.oid ?? '?'}), the link is ${approver}'s`,
      identity,
    };
  if (!freshEnough(identity, nowMs, signIn.settings.stepUpMs))
    return {
      ok: false,
      refusal: Refusal.SIGN_IN_STALE,
      detail: `signed in ${Math.round((nowMs - identity.authenticatedAt) / 60_000)} min ago, a decision needs a sign-in within ${signIn.settings.stepUpMs / 60_000} min`,
      identity,
    };
  return { ok: true, identity };
}
