import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPlan } from '../../lambdas/plan/index.js';
import { syntheticOrg } from '../sim/org/index.js';
import { makeItem } from '../helpers/approval-fixtures.js';
import { approvalWorld, linkIn, type ApprovalWorld } from '../helpers/approval.js';
import { makeConfig } from '../helpers/config.js';
import { planWorld, type PlanWorld } from '../helpers/plan.js';
import { CHROMIUM, CHROMIUM_ARGS, haveChromium as detectChromium } from '../helpers/chromium.js';

const IMAGES = fileURLToPath(new URL('../../docs/images/', import.meta.url));
const haveChromium = detectChromium();
const ARGS = CHROMIUM_ARGS;

const caps = (raw: Record<string, any>) => {
  raw.caps = { maxActionsPerRun: 5_000, maxPercentOfOrg: 75 };
};

describe.skipIf(!haveChromium)('review page in a real browser (Debian chromium + playwright-core)', () => {
  let p: PlanWorld;
  let a: ApprovalWorld;
  let browser: Browser;
  let proposalId: string;

  beforeAll(async () => {
    p = await planWorld(syntheticOrg({ size: 300, seed: 21 }), makeConfig(caps));
    a = await approvalWorld({ edit: caps, db: p.db, tables: p.tables, clock: p.clock });
    const result = await runPlan({ ...p.deps, handoff: a.service.handoff }, { runId: 'nightly-2026-11-01' });
    proposalId = result.proposalId!;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    mkdirSync(IMAGES, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await a?.stop();
    await p?.stop();
  });

  it('renders the proposal email as a mail client would (screenshot for the README)', async () => {
    const mail = await a.mailFor('it-admin@example.com', proposalId);
    const page = await browser.newPage({ viewport: { width: 760, height: 900 } });
    await page.setContent(mail.body.html!, { waitUntil: 'load' });
    expect(await page.locator('a', { hasText: 'Review and decide' }).getAttribute('href')).toBe(linkIn(mail));
    await page.screenshot({ path: `${IMAGES}proposal-email.png`, fullPage: true });
    await page.close();
  });

  it('opens the review page from the mail, deselects two items, approves, and the states follow', async () => {
    const mail = await a.mailFor('it-admin@example.com', proposalId);
    const page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
    const dialogs: string[] = [];
    const consoleErrors: string[] = [];
    page.on('dialog', (d) => void dialogs.push(d.message()));
    page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
    await page.goto(linkIn(mail));
    expect(await page.locator('#filters').isVisible()).toBe(true);
    const pending = await page.locator('tbody input[name=drop]').count();
    expect(pending).toBeGreaterThan(5);

    await page.click('th[data-col="1"] button');
    expect(await page.getAttribute('th[data-col="1"]', 'aria-sort')).toBe('ascending');
    await page.click('button[data-filter="DEACTIVATE"]');
    const shown = await page.locator('tbody tr:not([hidden])').count();
    expect(shown).toBe(await page.locator('tbody tr[data-action="DEACTIVATE"]').count());

    const boxes = page.locator('tbody tr:not([hidden]) input[name=drop]');
    const deselected = [await boxes.nth(0).getAttribute('value'), await boxes.nth(1).getAttribute('value')] as string[];
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.screenshot({ path: `${IMAGES}review-page.png` });
    await page.click('button[data-filter="ALL"]');
    expect(await page.textContent('#approve-count')).toBe(String(pending - 2));

    await Promise.all([page.waitForURL(/\/review\//, { waitUntil: 'load' }), page.click('button.approve')]);
    expect(await page.textContent('h1, .banner strong')).toContain(`Approved: ${pending - 2} items`);
    expect(dialogs).toEqual([]);
    expect(consoleErrors).toEqual([]);

    const states = (await a.snapshot(proposalId)).states;
    for (const id of deselected) expect(states[id]).toBe('REJECTED by it-admin@example.com');
    expect(Object.values(states).filter((s) => s === 'APPROVED by it-admin@example.com')).toHaveLength(pending - 2);
    expect((await a.snapshot(proposalId)).status).toBe('APPROVED');
    await page.close();
  });

  it('decides nothing when Enter is pressed in the filter box', async () => {
    const meta = await a.seed([makeItem({ name: 'Ada Lovelace' }), makeItem(), makeItem()]);
    await a.service.sendProposal(meta);
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => void (dialogs.push(d.message()), d.dismiss()));
    await page.goto(linkIn(await a.mailFor('it-admin@example.com', meta.proposalId)));
    const url = page.url();
    await page.fill('#search', 'ada');
    await page.press('#search', 'Enter');
    await page.waitForTimeout(500);
    const after = await a.snapshot(meta.proposalId);
    expect(after.status).toBe('READY');
    expect(after.ballots).toBe(0);
    expect(page.url()).toBe(url);
    expect(await page.locator('tbody tr:not([hidden])').count()).toBe(1);
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it('asks before approving rows the filter hides, and a dismissed prompt decides nothing', async () => {
    const meta = await a.seed([makeItem({ name: 'Ada Lovelace' }), makeItem(), makeItem()]);
    await a.service.sendProposal(meta);
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => void (dialogs.push(d.message()), d.dismiss()));
    await page.goto(linkIn(await a.mailFor('it-admin@example.com', meta.proposalId)));
    await page.fill('#search', 'ada');
    await page.click('button.approve');
    await page.waitForTimeout(500);
    expect(dialogs).toHaveLength(1);
    expect(dialogs[0]).toContain('2 of the 3 items to approve are hidden by the filter');
    const after = await a.snapshot(meta.proposalId);
    expect(after.status).toBe('READY');
    expect(after.ballots).toBe(0);
    await page.close();
  });

  it('works without JavaScript: the form alone records a subset approval', async () => {
    const meta = await a.seed([makeItem(), makeItem(), makeItem()]);
    await a.service.sendProposal(meta);
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(linkIn(await a.mailFor('security@example.com', meta.proposalId)));
    expect(await page.locator('#filters').isVisible()).toBe(false);
    expect(await page.textContent('button.approve')).toBe('Approve the unticked items');
    const first = page.locator('tbody input[name=drop]').first();
    const dropped = (await first.getAttribute('value'))!;
    await first.check();
    await Promise.all([page.waitForURL(/\/review\//, { waitUntil: 'load' }), page.click('button.approve')]);
    expect(await page.textContent('.banner strong')).toBe(`Approved: 2 items of proposal ${meta.proposalId}`);
    const states = (await a.snapshot(meta.proposalId)).states;
    expect(states[dropped]).toBe('REJECTED by security@example.com');
    expect(Object.values(states).filter((x) => x === 'APPROVED by security@example.com')).toHaveLength(2);
    await context.close();
  });

  it('approves a 25,000-item proposal with three deselections: the form posts what is deselected', async () => {
    // Real account ids (712020:<uuid>): 25,000 of them posted as selected would not fit in 1 MiB.
    const many = Array.from({ length: 25_000 }, (_, n) =>
      makeItem({ accountId: `712020:${randomUUID()}`, name: `Person ${n}`, email: `person.${n}@example.com` }),
    );
    const meta = await a.seed(many);
    await a.service.sendProposal(meta);
    const page = await browser.newPage();
    // Rendering 25,000 rows and then moving 25,000 items takes minutes on a busy machine.
    page.setDefaultTimeout(600_000);
    const bodies: number[] = [];
    page.on('request', (r) => void (r.method() === 'POST' && bodies.push(r.postDataBuffer()?.length ?? 0)));
    await page.goto(linkIn(await a.mailFor('it-admin@example.com', meta.proposalId)));
    const boxes = page.locator('tbody input[name=drop]');
    expect(await boxes.count()).toBe(25_000);
    const dropped: string[] = [];
    for (const n of [0, 12_345, 24_999]) {
      dropped.push((await boxes.nth(n).getAttribute('value'))!);
      await boxes.nth(n).check();
    }
    expect(await page.textContent('#approve-count')).toBe('24997');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('button.approve'),
    ]);
    expect(response.status()).toBe(200);
    await page.waitForLoadState('load');
    expect(await page.textContent('.banner strong')).toBe(`Approved: 24,997 items of proposal ${meta.proposalId}`);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toBeLessThan(4096);
    const states = (await a.snapshot(meta.proposalId)).states;
    for (const id of dropped) expect(states[id]).toBe('REJECTED by it-admin@example.com');
    expect(Object.values(states).filter((x) => x === 'APPROVED by it-admin@example.com')).toHaveLength(24_997);
    await page.close();
  }, 900_000);
});
