import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord, ProposalItem } from '../../lambdas/domain/index.js';
import { signInWithoutBrowser } from '../../local/oidc/index.js';
import { finishReviewSignIn, signInToReview, startReviewSignIn } from '../../local/review-signin.js';
import { itemOf, makeItem } from '../helpers/approval-fixtures.js';
import { linkIn, openLink, submit, type Snapshot } from '../helpers/approval.js';
import { credentials, signInWorld, USERS, type SignInWorld } from '../helpers/signin.js';

const MINUTE = 60_000;
const items = (): ProposalItem[] => [makeItem(), makeItem(), itemOf('MOVE_TO_NONBILLABLE')];

async function sentProposal(w: SignInWorld) {
  const meta = await w.seed(items());
  await w.service.sendProposal(meta);
  return {
    id: meta.proposalId,
    admin: linkIn(await w.mailFor('it-admin@example.com', meta.proposalId)),
    security: linkIn(await w.mailFor('security@example.com', meta.proposalId)),
  };
}

/** The review page opened with a session, and the cookies a decision then needs. */
async function pageWith(link: string, session: string) {
  const page = await openLink(link, { cookie: session });
  expect(page.status).toBe(200);
  return { page, cookie: `${session}; ${page.cookie}`, csrf: page.csrf! };
}

const refusals = async (w: SignInWorld, id: string): Promise<AuditRecord[]> =>
  (await w.audit(`PROPOSAL#${id}`)).filter((r) => r.event === 'DECISION_REFUSED');

function unchangedBut(before: Snapshot, after: Snapshot, refusal: string) {
  expect(after.status).toBe(before.status);
  expect(after.states).toEqual(before.states);
  expect(after.ballots).toBe(before.ballots);
  expect(after.proposalAudit).toEqual([...before.proposalAudit, `DECISION_REFUSED:${refusal}`]);
}

describe('approvers sign in with Entra ID (a real OpenID Provider on loopback) before a decision counts', () => {
  let w: SignInWorld;
  beforeAll(async () => {
    w = await signInWorld();
  });
  afterAll(() => w?.stop());

  it('the mail says a sign-in is needed; the link redirects to the provider with PKCE S256, state and nonce, and writes nothing', async () => {
    const p = await sentProposal(w);
    const mail = await w.mailFor('it-admin@example.com', p.id);
    expect(mail.body.text).toContain(
      'Your decision counts only after you sign in with your work account as it-admin@example.com',
    );
    const before = await w.snapshot(p.id);
    const { authorizationUrl, flow } = await startReviewSignIn(p.admin);
    const url = new URL(authorizationUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${w.oidc.url}/${w.oidc.tenant}/oauth2/v2.0/authorize`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('redirect_uri')).toBe(`${w.config.approval.reviewBaseUrl}/signin/callback`);
    expect(url.searchParams.get('scope')).toBe('openid email profile');
    // Every sign-in asks for the credentials (no silent single sign-on), for the link's approver.
    expect(url.searchParams.get('prompt')).toBe('login');
    expect(url.searchParams.get('login_hint')).toBe('it-admin@example.com');
    // The flow cookie is sealed: neither the link's token nor the verifier can be read from it.
    expect(flow).not.toContain(new URL(p.admin).searchParams.get('t')!);
    expect(await w.snapshot(p.id)).toEqual(before);
  });

  it('link → sign-in at the provider → review page → approve: the ballot and the audit record carry the signed-in oid', async () => {
    const p = await sentProposal(w);
    const signIn = await signInToReview(p.admin, credentials(USERS.admin));
    const { page, cookie, csrf } = await pageWith(p.admin, signIn.session);
    expect(page.html).toContain('Signed in as it-admin@example.com');
    const res = await submit(p.admin, { decision: 'approve', csrf, cookie });
    expect(res.status).toBe(200);
    const [ballot] = await w.tokens.ballots(p.id);
    expect(ballot?.signedIn).toEqual({ oid: USERS.admin.oid, username: 'it-admin@example.com' });
    const recorded = (await w.audit(`PROPOSAL#${p.id}`)).find((r) => r.event === 'DECISION_RECORDED')!;
    expect(recorded.details?.signedIn).toEqual({ oid: USERS.admin.oid, username: 'it-admin@example.com' });
    expect(w.started).toContain(p.id);
  });

  it('refuses and audits a different person signing in with a valid link (both identities recorded); no session is issued', async () => {
    const p = await sentProposal(w);
    const before = await w.snapshot(p.id);
    const { authorizationUrl, flow } = await startReviewSignIn(p.admin);
    const callback = await signInWithoutBrowser(authorizationUrl, credentials(USERS.mallory));
    const done = await finishReviewSignIn(callback, flow);
    expect(done.status).toBe(403);
    expect(done.session).toBeUndefined();
    expect(done.html).toContain('This link belongs to another approver');
    unchangedBut(before, await w.snapshot(p.id), 'WRONG_USER');
    const [refused] = await refusals(w, p.id);
    expect(refused?.actor).toBe('approver:it-admin@example.com');
    expect(refused?.details).toMatchObject({
      method: 'CALLBACK',
      signedIn: { oid: USERS.mallory.oid, username: 'mallory@example.com' },
    });
    expect(String(refused?.details?.detail)).toContain('mallory@example.com');
  });

  it("refuses and audits another approver's session posting on this approver's link", async () => {
    const p = await sentProposal(w);
    const other = await signInToReview(p.security, credentials(USERS.security));
    const own = await signInToReview(p.admin, credentials(USERS.admin));
    const { csrf, cookie } = await pageWith(p.admin, own.session);
    const before = await w.snapshot(p.id);
    // The CSRF pair is genuine; only the session is the other approver's.
    const res = await submit(p.admin, {
      decision: 'approve',
      csrf,
      cookie: cookie.replace(own.session, other.session),
    });
    expect(res.status).toBe(403);
    unchangedBut(before, await w.snapshot(p.id), 'WRONG_USER');
    const [refused] = await refusals(w, p.id);
    expect(refused?.details).toMatchObject({ method: 'POST', signedIn: { oid: USERS.security.oid } });
  });

  it('refuses and audits a POST without a sign-in session', async () => {
    const p = await sentProposal(w);
    const page = await openLink(p.admin);
    expect(page.status).toBe(303);
    const before = await w.snapshot(p.id);
    const res = await submit(p.admin, {
      decision: 'approve',
      csrf: 'x'.repeat(32),
      cookie: `review_csrf=${'x'.repeat(32)}`,
    });
    expect(res.status).toBe(401);
    expect(res.html).toContain('Sign in before you decide');
    unchangedBut(before, await w.snapshot(p.id), 'SIGN_IN_REQUIRED');
  });

  it('refuses a forged or tampered session cookie like no session', async () => {
    const p = await sentProposal(w);
    const own = await signInToReview(p.admin, credentials(USERS.admin));
    const { csrf, cookie } = await pageWith(p.admin, own.session);
    const value = own.session.slice('review_session='.length);
    const flipped = `review_session=${value.slice(0, -6)}${value.slice(-6, -5) === 'A' ? 'B' : 'A'}${value.slice(-5)}`;
    const before = await w.snapshot(p.id);
    const res = await submit(p.admin, { decision: 'approve', csrf, cookie: cookie.replace(own.session, flipped) });
    expect(res.status).toBe(401);
    unchangedBut(before, await w.snapshot(p.id), 'SIGN_IN_REQUIRED');
  });

  it('refuses and audits a session older than the step-up window; opening the link then asks for a new sign-in (prompt=login)', async () => {
    const p = await sentProposal(w);
    const own = await signInToReview(p.admin, credentials(USERS.admin));
    const { csrf, cookie } = await pageWith(p.admin, own.session);
    w.clock.advance(11 * MINUTE);
    const before = await w.snapshot(p.id);
    const res = await submit(p.admin, { decision: 'approve', csrf, cookie });
    expect(res.status).toBe(401);
    expect(res.html).toContain('Sign in again to decide');
    unchangedBut(before, await w.snapshot(p.id), 'SIGN_IN_STALE');
    const again = await openLink(p.admin, { cookie: own.session });
    expect(again.status).toBe(303);
    expect(new URL(again.headers.get('location')!).searchParams.get('prompt')).toBe('login');
  });

  it('refuses and audits a wrong state', async () => {
    const p = await sentProposal(w);
    const { authorizationUrl, flow } = await startReviewSignIn(p.admin);
    const callback = new URL(await signInWithoutBrowser(authorizationUrl, credentials(USERS.admin)));
    callback.searchParams.set('state', 'not-the-state-that-was-sent');
    const before = await w.snapshot(p.id);
    const done = await finishReviewSignIn(callback.href, flow);
    expect(done.status).toBe(401);
    expect(done.session).toBeUndefined();
    unchangedBut(before, await w.snapshot(p.id), 'SIGN_IN_FAILED');
    expect(String((await refusals(w, p.id))[0]?.details?.detail)).toMatch(/state/i);
  });

  it('refuses and audits an ID token with another nonce than the one sent', async () => {
    const p = await sentProposal(w);
    const { authorizationUrl, flow } = await startReviewSignIn(p.admin);
    // Same state, PKCE challenge and redirect as the site's request, but another nonce.
    const forged = new URL(authorizationUrl);
    forged.searchParams.set('nonce', 'a-nonce-the-site-never-issued');
    const callback = await signInWithoutBrowser(forged, credentials(USERS.admin));
    const before = await w.snapshot(p.id);
    const done = await finishReviewSignIn(callback, flow);
    expect(done.status).toBe(401);
    unchangedBut(before, await w.snapshot(p.id), 'SIGN_IN_FAILED');
    expect(String((await refusals(w, p.id))[0]?.details?.detail)).toMatch(/nonce/i);
  });

  it('refuses and audits a replayed authorization code', async () => {
    const p = await sentProposal(w);
    const first = await signInToReview(p.admin, credentials(USERS.admin));
    const before = await w.snapshot(p.id);
    const replay = await finishReviewSignIn(first.callback, first.flow);
    expect(replay.status).toBe(401);
    expect(replay.session).toBeUndefined();
    unchangedBut(before, await w.snapshot(p.id), 'SIGN_IN_FAILED');
    expect(String((await refusals(w, p.id))[0]?.details?.detail)).toMatch(/invalid_grant/);
  });

  it('a callback without its flow cookie is refused and writes nothing', async () => {
    const p = await sentProposal(w);
    const { authorizationUrl } = await startReviewSignIn(p.admin);
    const callback = await signInWithoutBrowser(authorizationUrl, credentials(USERS.admin));
    const before = await w.snapshot(p.id);
    const done = await finishReviewSignIn(callback, 'review_signin=');
    expect(done.status).toBe(400);
    expect(done.session).toBeUndefined();
    expect(await w.snapshot(p.id)).toEqual(before);
  });
});

describe('identity binding and the callback hold against what an adversary tried live', () => {
  it("someone whose email (unverified by Entra) is the approver's, but whose UPN is not, is refused", async () => {
    const impostor = {
      oid: 'b0000000-0000-4000-8000-00000000000e',
      email: 'it-admin@example.com',
      preferredUsername: 'impostor@example.com',
      name: 'Impostor',
      password: 'impostor-pass',
    };
    const w = await signInWorld({ users: [impostor, USERS.security] });
    try {
      const p = await sentProposal(w);
      const { authorizationUrl, flow } = await startReviewSignIn(p.admin);
      const done = await finishReviewSignIn(await signInWithoutBrowser(authorizationUrl, credentials(impostor)), flow);
      expect(done.status).toBe(403);
      expect(done.session).toBeUndefined();
      const [refused] = await refusals(w, p.id);
      expect(refused?.outcome).toBe('WRONG_USER');
      expect(refused?.details?.signedIn).toEqual({ oid: impostor.oid, username: 'impostor@example.com' });
    } finally {
      await w.stop();
    }
  });

  it('a forged error answer (another state, text of its choosing) is refused without recording the text', async () => {
    const w = await signInWorld();
    try {
      const p = await sentProposal(w);
      const { authorizationUrl, flow } = await startReviewSignIn(p.admin);
      const state = new URL(authorizationUrl).searchParams.get('state')!;
      const callback = `${w.config.approval.reviewBaseUrl}/signin/callback`;
      const description = encodeURIComponent('Approver confirmed <b>approve</b> by phone');
      const forged = await finishReviewSignIn(
        `${callback}?error=access_denied&error_description=${description}&state=forged`,
        flow,
      );
      expect(forged.status).toBe(401);
      const genuine = await finishReviewSignIn(
        `${callback}?error=made_up_code&error_description=${description}&state=${state}`,
        flow,
      );
      expect(genuine.status).toBe(401);
      const details = (await refusals(w, p.id)).map((r) => String(r.details?.detail));
      expect(details).toEqual(['the state parameter is not the one this sign-in sent', 'provider error other']);
      expect(JSON.stringify(await w.audit(`PROPOSAL#${p.id}`))).not.toContain('phone');
    } finally {
      await w.stop();
    }
  });

  it('with the provider unreachable the link answers 503 "sign-in is unavailable", writes nothing and counts it', async () => {
    const w = await signInWorld();
    try {
      const p = await sentProposal(w);
      await w.oidc.stop();
      const before = await w.snapshot(p.id);
      const page = await openLink(p.admin);
      expect(page.status).toBe(503);
      expect(page.html).toContain('Sign-in is unavailable right now');
      expect(await w.snapshot(p.id)).toEqual(before);
      expect(w.logger.lines.join('\n')).toContain('"SignInUnavailable":1');
    } finally {
      await w.stop().catch(() => undefined);
    }
  });
});

describe('ID tokens that are expired or tampered with are refused and audited', () => {
  let tamper: ((body: Record<string, unknown>) => Record<string, unknown>) | undefined;
  let w: SignInWorld;
  beforeAll(async () => {
    w = await signInWorld({
      idTokenTtlSeconds: 60,
      // Stands between the site and the provider's token endpoint, as an attacker on the path would.
      fetch: async (url, init) => {
        const res = await fetch(url, init);
        if (!tamper || !url.endsWith('/oauth2/v2.0/token')) return res;
        const body = tamper((await res.json()) as Record<string, unknown>);
        return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
      },
    });
  });
  afterAll(() => w?.stop());

  async function callbackOf(link: string) {
    const { authorizationUrl, flow } = await startReviewSignIn(link);
    return { callback: await signInWithoutBrowser(authorizationUrl, credentials(USERS.admin)), flow };
  }

  it('an ID token whose claims were changed (signature no longer matches the JWKS) is refused', async () => {
    tamper = (body) => {
      const [h, payload, sig] = String(body.id_token).split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
      claims.oid = USERS.security.oid;
      claims.preferred_username = 'security@example.com';
      return { ...body, id_token: `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}` };
    };
    const p = await sentProposal(w);
    const { callback, flow } = await callbackOf(p.security);
    const before = await w.snapshot(p.id);
    const done = await finishReviewSignIn(callback, flow);
    expect(done.status).toBe(401);
    expect(done.session).toBeUndefined();
    unchangedBut(before, await w.snapshot(p.id), 'SIGN_IN_FAILED');
    expect(String((await refusals(w, p.id))[0]?.details?.detail)).toMatch(/signature/i);
  });

  it('an unsigned ID token (alg none) is refused', async () => {
    tamper = (body) => {
      const [, payload] = String(body.id_token).split('.');
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      return { ...body, id_token: `${header}.${payload}.` };
    };
    const p = await sentProposal(w);
    const { callback, flow } = await callbackOf(p.admin);
    const before = await w.snapshot(p.id);
    const done = await finishReviewSignIn(callback, flow);
    expect(done.status).toBe(401);
    unchangedBut(before, await w.snapshot(p.id), 'SIGN_IN_FAILED');
  });

  // Last: it moves the site's clock past the tokens' lifetime.
  it('an ID token past its expiry (the site clock 2 minutes past a 60 s token) is refused', async () => {
    tamper = undefined;
    const p = await sentProposal(w);
    const { callback, flow } = await callbackOf(p.admin);
    w.clock.advance(2 * MINUTE);
    const before = await w.snapshot(p.id);
    const done = await finishReviewSignIn(callback, flow);
    expect(done.status).toBe(401);
    unchangedBut(before, await w.snapshot(p.id), 'SIGN_IN_FAILED');
    expect(String((await refusals(w, p.id))[0]?.details?.detail)).toMatch(/exp/i);
  });
});

describe('approval.signIn options', () => {
  it('requireMfa refuses (and audits) a sign-in whose amr has no "mfa", and accepts one that has', async () => {
    const w = await signInWorld({ edit: (raw) => (raw.approval.signIn.requireMfa = true) });
    try {
      const p = await sentProposal(w);
      const { authorizationUrl, flow } = await startReviewSignIn(p.security);
      const done = await finishReviewSignIn(
        await signInWithoutBrowser(authorizationUrl, credentials(USERS.security)),
        flow,
      );
      expect(done.status).toBe(403);
      expect(done.html).toContain('multi-factor');
      expect((await refusals(w, p.id)).map((r) => r.outcome)).toEqual(['MFA_REQUIRED']);
      const ok = await signInToReview(p.admin, credentials(USERS.admin));
      expect(ok.session).toMatch(/^review_session=/);
    } finally {
      await w.stop();
    }
  });

  it('mode "off": the link alone decides as before, and the mail and the page say so', async () => {
    const w = await signInWorld({ edit: (raw) => (raw.approval.signIn = { mode: 'off' }) });
    try {
      const p = await sentProposal(w);
      const mail = await w.mailFor('it-admin@example.com', p.id);
      expect(mail.body.text).toContain('Sign-in is off (approval.signIn.mode "off"): this link alone decides');
      const page = await openLink(p.admin);
      expect(page.status).toBe(200);
      expect(page.html).toContain('Sign-in is off: this link alone decides');
      const res = await submit(p.admin, { decision: 'approve', csrf: page.csrf!, cookie: page.cookie! });
      expect(res.status).toBe(200);
      const [ballot] = await w.tokens.ballots(p.id);
      expect(ballot?.approver).toBe('it-admin@example.com');
      expect(ballot?.signedIn).toBeUndefined();
    } finally {
      await w.stop();
    }
  });
});
