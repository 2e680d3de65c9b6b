/**
 * The "keep my account" link of warn-before (issue 9): every warning carries a signed single-use
 * link to the review site. GET shows and writes nothing; POST (with the page's CSRF cookie and
 * field) moves the item to SKIPPED USER_KEPT, audits it and mails the approvers; the kept account
 * is never deactivated after the grace period, while the others are. Forged, foreign, cross-site
 * and review-link tokens change nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleApprovalRequest, keepLinkIssuer, type ApprovalDeps } from '../../lambdas/approval/index.js';
import type { ProposalItem } from '../../lambdas/domain/index.js';
import { DynamoTokenStore } from '../../lambdas/store/index.js';
import { approvalDeps } from '../../lambdas/wiring/index.js';
import { startApprovalServer, type ApprovalServer } from '../../local/approval-server.js';
import { runExecutionLocally } from '../../local/execution-engine.js';
import { openReviewLink, submitReview } from '../../local/review-client.js';
import { syntheticOrg } from '../sim/org/index.js';
import { executionWorld, type ExecWorld } from '../helpers/execute.js';
import { outboxFor, sesClient } from '../helpers/local.js';
import { codeOf, mutationsOf, scenarioConfig, uniqueRunId } from '../helpers/execute-scenarios.js';

const DAY = 86_400_000;
const org = syntheticOrg({ size: 300, seed: 97, scimSyncedShare: 0.1 });
const synced = new Set(org.people.filter((p) => p.managementSource === 'synced').map((p) => p.accountId));
const contact = `keep-${randomUUID().slice(0, 8)}@example.com`;
const KEEP_LINK = /(http:\/\/127\.0\.0\.1:\d+\/keep\/\S+\?t=[A-Za-z0-9_-]{43})/;

describe('keep my account', () => {
  let server: ApprovalServer;
  let site: ApprovalDeps | undefined;
  let w: ExecWorld;
  let id: string;
  let keeper: ProposalItem;
  let forger: ProposalItem;
  let other: ProposalItem;
  let claimed: ProposalItem;
  const links = new Map<string, string>();
  const items = async () => new Map((await w.items(id)).map((i) => [i.accountId, i]));

  beforeAll(async () => {
    server = await startApprovalServer((req) => handleApprovalRequest(site!, req));
    const config = scenarioConfig((c) => {
      c.execution = { warnBeforeDays: 7, chunkSize: 80, contact };
      c.approval.reviewBaseUrl = server.url;
    });
    w = await executionWorld(org, config, { taskDelayMs: 0 });
    site = approvalDeps({ config, db: w.db, ses: sesClient(), tables: w.tables, clock: w.clock, logger: w.logger });
    const exec = { ...w.exec, keepLink: keepLinkIssuer(config, new DynamoTokenStore(w.db, w.tables.state), w.clock) };
    Object.assign(w, { exec });
    id = await w.planAndApprove(uniqueRunId('keep'));
    await runExecutionLocally(w.exec, { proposalId: id });
    const warned = (await w.items(id)).filter((i) => i.action === 'DEACTIVATE' && i.email && !synced.has(i.accountId));
    expect(warned.length).toBeGreaterThanOrEqual(4);
    [keeper, forger, other, claimed] = warned as [ProposalItem, ProposalItem, ProposalItem, ProposalItem];
    for (const i of warned.slice(0, 4)) {
      const mail = (await outboxFor(i.email!)).find((m) => (m.body.text ?? '').includes(contact));
      const link = KEEP_LINK.exec(mail?.body.text ?? '')?.[1];
      expect(link, `keep link in the warning to ${i.email}`).toBeDefined();
      links.set(i.accountId, link!);
    }
  }, 900_000);
  afterAll(async () => {
    await server?.stop();
    await w?.stop();
  });

  it('SCIM-synced accounts are handed off at once and get no warning (they are never deactivated here)', async () => {
    const handed = (await w.items(id)).filter((i) => i.action === 'DEACTIVATE' && synced.has(i.accountId));
    expect(handed.length).toBeGreaterThan(0);
    for (const i of handed) {
      expect(i.state, i.accountId).toBe('HANDED_OFF');
      const warnings = (await outboxFor(i.email!)).filter((m) => (m.body.text ?? '').includes(contact));
      expect(warnings, i.email).toEqual([]);
    }
  });

  it('GET shows the date and the button, and writes nothing', async () => {
    const page = await openReviewLink(links.get(keeper.accountId)!);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Keep my account');
    expect(page.html).toContain(keeper.email!);
    expect(page.cookie).toMatch(/^review_csrf=/);
    expect((await items()).get(keeper.accountId)!.state).toBe('APPROVED');
    const audit = await w.audit(`execution#${id}`);
    expect(audit.filter((r) => r.event === 'ACCOUNT_KEPT')).toEqual([]);
  });

  it('a POST without the page cookie, from another site, or with a forged token changes nothing', async () => {
    const link = links.get(forger.accountId)!;
    const page = await openReviewLink(link);
    const noCookie = await submitReview(link, { csrf: page.csrf! });
    expect(noCookie.status).toBe(403);
    const crossSite = await submitReview(link, { csrf: page.csrf!, cookie: page.cookie!, origin: 'https://evil.test' });
    expect(crossSite.status).toBe(403);
    const forged = link.replace(/t=[A-Za-z0-9_-]{43}/, `t=${'A'.repeat(43)}`);
    expect((await submitReview(forged, { csrf: page.csrf!, cookie: page.cookie! })).status).toBe(404);
    // A keep link presented for another proposal, and as a review link, is unknown there.
    const foreign = link.replace(`/keep/${encodeURIComponent(id)}`, '/keep/another-proposal');
    expect((await submitReview(foreign, { csrf: page.csrf!, cookie: page.cookie! })).status).toBe(404);
    expect((await openReviewLink(link.replace('/keep/', '/review/'))).status).toBe(404);
    expect((await items()).get(forger.accountId)!.state).toBe('APPROVED');
  });

  it('POST keeps the account: SKIPPED USER_KEPT, audited once, the approvers told; a second POST changes nothing', async () => {
    const link = links.get(keeper.accountId)!;
    const page = await openReviewLink(link);
    const kept = await submitReview(link, { csrf: page.csrf!, cookie: page.cookie! });
    expect(kept.status).toBe(200);
    expect(kept.html).toContain('Your account is kept');
    const item = (await items()).get(keeper.accountId)!;
    expect(item.state).toBe('SKIPPED');
    expect(codeOf(item)).toBe('USER_KEPT');

    const again = await submitReview(link, { csrf: page.csrf!, cookie: page.cookie! });
    expect(again.status).toBe(200);
    expect(again.html).toContain('Your account is kept');
    expect((await openReviewLink(link)).html).toContain('Your account is kept');

    const audit = await w.audit(`execution#${id}`);
    const keeps = audit.filter((r) => r.event === 'ACCOUNT_KEPT');
    expect(keeps).toHaveLength(1);
    expect(keeps[0]).toMatchObject({ accountId: keeper.accountId, outcome: 'USER_KEPT' });
    expect(JSON.stringify(keeps)).not.toMatch(/t=[A-Za-z0-9_-]{43}/);
    for (const approver of w.exec.config.approval.approvers) {
      const told = (await outboxFor(approver)).filter(
        (m) => m.subject.includes('kept their Atlassian account') && m.subject.includes(id),
      );
      expect(told, approver).toHaveLength(1);
      expect(told[0]!.body.text).toContain(keeper.email!);
    }
  });

  it('a keep that comes after the executor claimed the item loses: nothing is kept, the person is told', async () => {
    const link = links.get(claimed.accountId)!;
    const page = await openReviewLink(link);
    // The executor claims the item (APPROVED → IN_FLIGHT) between the GET and the POST.
    await w.store.moveItem(id, claimed.accountId, 'IN_FLIGHT');
    const late = await submitReview(link, { csrf: page.csrf!, cookie: page.cookie! });
    expect(late.html).toContain('being deactivated now');
    expect((await items()).get(claimed.accountId)!.state).toBe('IN_FLIGHT');
    const audit = await w.audit(`execution#${id}`);
    expect(audit.filter((r) => r.event === 'ACCOUNT_KEPT' && r.accountId === claimed.accountId)).toEqual([]);
  });

  it('lowering warnBeforeDays to 0 does not deactivate anyone before the date they were told', async () => {
    // (The item the earlier test left IN_FLIGHT is in doubt and is settled at once: not counted here.)
    const disables = () =>
      w.atlassian.mutations().filter((m) => m.kind === 'disable' && m.accountId !== claimed.accountId).length;
    const before = disables();
    const exec = w.exec;
    const noWarning = { ...exec.config, execution: { ...exec.config.execution, warnBeforeDays: 0 } };
    await runExecutionLocally({ ...exec, config: noWarning }, { proposalId: id });
    expect(disables()).toBe(before);
    expect((await items()).get(other.accountId)!.state).toBe('APPROVED');
  });

  it('after the grace period the kept account is untouched and the others are deactivated', async () => {
    w.clock.advance(7 * DAY + 60_000);
    await runExecutionLocally(w.exec, { proposalId: id });
    const after = await items();
    expect(after.get(keeper.accountId)!.state).toBe('SKIPPED');
    expect(mutationsOf(w, keeper.accountId)).toEqual([]);
    expect(w.atlassian.person(keeper.accountId)!.accountStatus).toBe('active');
    for (const i of [forger, other]) {
      expect(after.get(i.accountId)!.state, i.accountId).toBe('DONE');
      expect(mutationsOf(w, i.accountId).filter((m) => m.kind === 'disable')).toHaveLength(1);
    }
  });

  it('a link whose date has passed keeps nothing and tells the truth about the account', async () => {
    const link = links.get(other.accountId)!;
    const page = await openReviewLink(link);
    expect(page.html).toContain('already deactivated');
    expect(page.html).not.toContain('Keep my account');
    const late = await submitReview(link, { csrf: 'x'.repeat(32), cookie: `review_csrf=${'x'.repeat(32)}` });
    expect(late.html).toContain('already deactivated');
    expect((await items()).get(other.accountId)!.state).toBe('DONE');
  });
});
