/**
 * A scripted approver's sign-in to the review site (approval.signIn required): opens the link,
 * follows the site's redirect to the OpenID Provider, signs in there (local/oidc's form, without a
 * browser), and brings the provider's answer back to the site's callback with the flow cookie. The
 * demo and the tests use it; a person does the same in a browser.
 */
import { signInWithoutBrowser } from './oidc/browserless.js';

export interface ReviewSignIn {
  /** The Cookie header for the review pages: the sealed session (`review_session=...`). */
  readonly session: string;
  /** The flow cookie the callback was presented with (`review_signin=...`): tests replay it. */
  readonly flow: string;
  /** The callback URL the provider sent the browser back to (with code and state): tests replay it. */
  readonly callback: string;
}

const pair = (setCookies: readonly string[], name: string): string | undefined =>
  setCookies.map((c) => c.split(';')[0]!.trim()).find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1);

/** Step 1: the link answers with a redirect to the provider and a flow cookie. */
export async function startReviewSignIn(link: string): Promise<{ authorizationUrl: string; flow: string }> {
  const res = await fetch(link, { redirect: 'manual' });
  await res.body?.cancel();
  const location = res.headers.get('location');
  const flow = pair(res.headers.getSetCookie(), 'review_signin');
  if (res.status !== 303 || !location || !flow)
    throw new Error(`the review link did not ask to sign in (HTTP ${res.status}); is approval.signIn "required"?`);
  return { authorizationUrl: location, flow };
}

/** Step 3: the provider's answer goes to the site's callback; a session cookie comes back. */
export async function finishReviewSignIn(
  callback: string,
  flow: string,
): Promise<{ status: number; location?: string; session?: string; html: string }> {
  const res = await fetch(callback, { redirect: 'manual', headers: { cookie: flow } });
  const session = pair(res.headers.getSetCookie(), 'review_session');
  const location = res.headers.get('location') ?? undefined;
  return { status: res.status, html: await res.text(), ...(location && { location }), ...(session && { session }) };
}

/** The whole sign-in for one link; throws when the site does not hand out a session. */
export async function signInToReview(
  link: string,
  credentials: { login: string; password: string },
): Promise<ReviewSignIn> {
  const { authorizationUrl, flow } = await startReviewSignIn(link);
  const callback = await signInWithoutBrowser(authorizationUrl, credentials);
  const done = await finishReviewSignIn(callback, flow);
  if (!done.session)
    throw new Error(`the review site refused the sign-in as ${credentials.login} (HTTP ${done.status})`);
  return { session: done.session, flow, callback };
}
