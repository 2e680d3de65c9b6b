import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord, ProposalItem } from '../../lambdas/domain/index.js';
import { itemOf, makeItem } from '../helpers/approval-fixtures.js';
import { linkIn } from '../helpers/approval.js';
import { CLIENT_ID, signInWorld, USERS, type SignInWorld } from '../helpers/signin.js';
import { CHROMIUM, CHROMIUM_ARGS, haveChromium as detectChromium } from '../helpers/chromium.js';

const haveChromium = detectChromium();
const ARGS = CHROMIUM_ARGS;

const items = (): ProposalItem[] => [makeItem(), makeItem(), itemOf('MOVE_TO_NONBILLABLE')];

async function sentProposal(w: SignInWorld) {
  const meta = await w.seed(items());
  await w.service.sendProposal(meta);
  return { id: meta.proposalId, admin: linkIn(await w.mailFor('it-admin@example.com', meta.proposalId)) };
}

const records = async (w: SignInWorld, id: string, event: string): Promise<AuditRecord[]> =>
  (await w.audit(`PROPOSAL#${id}`)).filter((r) => r.event === event);

/**
 * Every request the browser sends to the review site, with the cookie names it carried (from
 * `allHeaders()`: `headers()` leaves cookies out): when the SameSite=Lax redirect chain drops a
 * cookie, the failure names the request that lacked it.
 */
function siteRequests(page: Page, origin: string): () => Promise<{ path: string; cookies: string[] }[]> {
  const seen: Promise<{ path: string; cookies: string[] }>[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.origin !== origin) return;
    seen.push(
      r.allHeaders().then((h) => ({
        path: `${r.method()} ${url.pathname}`,
        cookies: (h.cookie ?? '')
          .split(';')
          .map((c) => c.split('=')[0]!.trim())
          .filter(Boolean),
      })),
    );
  });
  return () => Promise.all(seen);
}

const reviewOrigin = (w: SignInWorld): string => new URL(w.config.approval.reviewBaseUrl!).origin;

/** Fills the local provider's sign-in form and waits until the browser is back on the review site. */
async function signInAtProvider(page: Page, w: SignInWorld, who: { preferredUsername: string; password: string }) {
  expect(page.url().startsWith(`${w.oidc.url}/`)).toBe(true);
  expect(await page.title()).toBe('Sign in to your account');
  await page.fill('input[name=login]', who.preferredUsername);
  await page.fill('input[name=password]', who.password);
  await Promise.all([
    page.waitForURL((u) => u.href.startsWith(`${reviewOrigin(w)}/`), { waitUntil: 'load' }),
    page.click('button:has-text("Sign in")'),
  ]);
}

/**
 * Where the review site is, seen from the browser. On one site with the provider (both on 127.0.0.1),
 * and across sites as with Entra (login.microsoftonline.com → the Function URL): the site on
 * `localhost`, the provider on 127.0.0.1, so every cookie on the way back from the provider crosses
 * sites and SameSite=Lax applies.
 */
const LAYOUTS = [
  { name: 'the provider on the same site (127.0.0.1)', host: '127.0.0.1' },
  { name: 'the provider on another site (review site on localhost, provider on 127.0.0.1)', host: 'localhost' },
] as const;

describe.skipIf(!haveChromium).each(LAYOUTS)(
  'approver sign-in in a real browser (Debian chromium + playwright-core), $name',
  ({ host }) => {
    let w: SignInWorld;
    let browser: Browser;
    let origin: string;
    let shots: string;

    beforeAll(async () => {
      w = await signInWorld({
        edit: (raw) => (raw.approval.reviewBaseUrl = raw.approval.reviewBaseUrl.replace('127.0.0.1', host)),
      });
      origin = reviewOrigin(w);
      // The local provider has the 127.0.0.1 callback registered; register the site's own.
      w.oidc.addRedirectUri!(CLIENT_ID, `${origin}/signin/callback`);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
      shots = mkdtempSync(join(tmpdir(), 'approval-signin-browser-'));
    });
    afterAll(async () => {
      await browser?.close();
      await w?.stop();
    });

    async function fresh(): Promise<{ context: BrowserContext; page: Page }> {
      const context = await browser.newContext({ viewport: { width: 1360, height: 1000 } });
      return { context, page: await context.newPage() };
    }

    it('link → sign-in form at the provider → back on the review page → approve: recorded with the signed-in oid', async () => {
      const p = await sentProposal(w);
      const { context, page } = await fresh();
      const consoleErrors: string[] = [];
      // Neither the site nor the local provider serves a favicon; Chromium's 404 for it is not the page's error.
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico'))
          consoleErrors.push(`${m.text()} ${m.location().url}`);
      });
      const sent = siteRequests(page, origin);
      try {
        await page.goto(p.admin);
        await signInAtProvider(page, w, USERS.admin);
        const requests = await sent();

        // The flow cookie reached the callback, and the session the review page it redirected to.
        const callback = requests.find((r) => r.path.endsWith('/signin/callback'));
        expect(callback, JSON.stringify(requests)).toBeDefined();
        expect(callback!.cookies, `the callback request lacked the flow cookie: ${JSON.stringify(requests)}`).toContain(
          'review_signin',
        );
        const back = requests.slice(requests.indexOf(callback!) + 1).find((r) => r.path.startsWith('GET /review/'));
        expect(
          back?.cookies,
          `the review page after sign-in lacked the session: ${JSON.stringify(requests)}`,
        ).toContain('review_session');
        expect(new URL(page.url()).pathname).toBe(new URL(p.admin).pathname);
        expect(new URL(page.url()).hostname).toBe(host);

        expect(await page.locator('#signin strong').textContent()).toBe('Signed in as it-admin@example.com');
        await page.screenshot({ path: join(shots, 'review-page-signed-in.png') });
        expect((await w.snapshot(p.id)).ballots).toBe(0);

        await Promise.all([page.waitForURL(/\/review\//, { waitUntil: 'load' }), page.click('button.approve')]);
        expect(await page.textContent('.banner strong')).toBe(`Approved: 3 items of proposal ${p.id}`);
        expect(consoleErrors).toEqual([]);

        const [ballot] = await w.tokens.ballots(p.id);
        expect(ballot?.approver).toBe('it-admin@example.com');
        expect(ballot?.signedIn?.oid).toBe(USERS.admin.oid);
        expect(ballot?.signedIn).toEqual({ oid: USERS.admin.oid, username: 'it-admin@example.com' });
        const [recorded] = await records(w, p.id, 'DECISION_RECORDED');
        expect(recorded?.details?.signedIn).toEqual({ oid: USERS.admin.oid, username: 'it-admin@example.com' });
        expect(await records(w, p.id, 'DECISION_REFUSED')).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it("someone else signing in on the admin's link sees the refusal page; it is audited with their oid", async () => {
      const p = await sentProposal(w);
      const { context, page } = await fresh();
      try {
        await page.goto(p.admin);
        await signInAtProvider(page, w, USERS.mallory);
        expect(new URL(page.url()).pathname).toBe('/signin/callback');
        expect(new URL(page.url()).hostname).toBe(host);
        expect(await page.title()).toContain('This link belongs to another approver');
        expect(await page.textContent('body')).toContain('This link belongs to another approver');
        expect(await context.cookies()).not.toContainEqual(expect.objectContaining({ name: 'review_session' }));

        const snapshot = await w.snapshot(p.id);
        expect(snapshot.ballots).toBe(0);
        expect(snapshot.status).toBe('READY');
        const refused = await records(w, p.id, 'DECISION_REFUSED');
        expect(refused.map((r) => r.outcome)).toEqual(['WRONG_USER']);
        expect(refused[0]?.actor).toBe('approver:it-admin@example.com');
        expect(refused[0]?.details).toMatchObject({
          method: 'CALLBACK',
          signedIn: { oid: USERS.mallory.oid, username: 'mallory@example.com' },
        });
      } finally {
        await context.close();
      }
    });
  },
);
