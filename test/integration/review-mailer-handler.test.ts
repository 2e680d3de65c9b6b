/**
 * The review site's mail on AWS (issue 14, finding 9): the site handler, wired as deployed with a
 * mailer function named, sends no mail; it invokes the mailer asynchronously with ids only (no
 * link, no token), and the mailer handler, given that payload, mints the links and sends.
 * Lambda has no local emulator among the real parts: a loopback endpoint records the Invoke calls
 * the SDK makes (AWS_ENDPOINT_URL_LAMBDA is the SDK's own endpoint override). DynamoDB Local and
 * the SES emulator are real.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { keepLinkIssuer, undoLinkIssuer, type HttpResponse } from '../../lambdas/approval/index.js';
import type { ProposalItem, ProposalMeta } from '../../lambdas/domain/index.js';
import { systemClock } from '../../lambdas/shared/index.js';
import { DynamoProposalStore, DynamoTokenStore } from '../../lambdas/store/index.js';
import { startApprovalServer, type ApprovalServer } from '../../local/approval-server.js';
import { openReviewLink, reviewLinkIn, submitReview } from '../../local/review-client.js';
import { makeItem } from '../helpers/approval-fixtures.js';
import { makeConfig } from '../helpers/config.js';
import { dynamoClient, freshTables, outboxFor } from '../helpers/local.js';

const MAILER = 'T-review-mailer';
const TOKEN = /[A-Za-z0-9_-]{43}/;

interface Invoke {
  readonly path: string;
  readonly invocationType: string | undefined;
  readonly body: string;
}

type Handler<E, R> = (event: E) => Promise<R>;

describe('the review site hands its mail to the mailer function', { timeout: 120_000 }, () => {
  const saved = { ...process.env };
  const invokes: Invoke[] = [];
  let lambda: Server;
  let server: ApprovalServer;
  let site: Handler<unknown, { statusCode: number; headers: Record<string, string>; cookies: string[]; body: string }>;
  let mailer: Handler<unknown, { kind: string; status: string }>;
  let store: DynamoProposalStore;
  let approvers: readonly string[];
  let undoLink: string;
  let keepLink: string;
  const sourceId = `executed-${Date.now()}`;
  const keepId = `warned-${Date.now()}`;
  let done: ProposalItem;
  let waiting: ProposalItem;

  beforeAll(async () => {
    lambda = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        invokes.push({ path: req.url ?? '', invocationType: req.headers['x-amz-invocation-type'] as string, body });
        res.writeHead(202);
        res.end();
      });
    });
    await new Promise<void>((r) => lambda.listen(0, '127.0.0.1', r));
    // The Function URL stand-in: each request becomes a payload 2.0 event for the site handler.
    server = await startApprovalServer(async (req): Promise<HttpResponse> => {
      const { cookie, ...headers } = req.headers;
      const out = await site({
        rawPath: req.path,
        rawQueryString: new URLSearchParams(req.query as Record<string, string>).toString(),
        headers,
        ...(cookie && { cookies: cookie.split('; ') }),
        ...(req.body !== undefined && { body: req.body }),
        requestContext: { http: { method: req.method }, domainName: new URL(server.url).host },
      });
      return { status: out.statusCode, headers: out.headers, cookies: out.cookies, body: out.body };
    });
    const config = makeConfig((c) => (c.approval.reviewBaseUrl = server.url));
    approvers = config.approval.approvers;
    const db = dynamoClient();
    const tables = await freshTables(db);
    Object.assign(process.env, {
      LIFECYCLE_CONFIG: JSON.stringify(config),
      LIFECYCLE_TABLE_STATE: tables.state,
      LIFECYCLE_TABLE_AUDIT: tables.audit,
      LIFECYCLE_TABLE_SEATS: tables.seats,
      LIFECYCLE_DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      LIFECYCLE_SES_ENDPOINT: inject('sesEndpoint'),
      AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${(lambda.address() as AddressInfo).port}`,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    // The site is deployed with the mailer's name; the mailer is not (it sends).
    process.env.LIFECYCLE_MAILER_FUNCTION = MAILER;
    site = (await import('../../lambdas/handlers/approval.js')).handler as never;

    store = new DynamoProposalStore(db, tables.state, systemClock);
    const tokens = new DynamoTokenStore(db, tables.state);
    const now = Date.now();
    const meta = (proposalId: string): ProposalMeta => ({
      proposalId,
      runId: proposalId,
      orgId: config.orgId,
      status: 'BUILDING',
      createdAt: new Date(now - 86_400_000).toISOString(),
      managedCount: 1000,
    });
    done = makeItem({
      proposalId: sourceId,
      state: 'DONE',
      executedAt: new Date(now - 3_600_000).toISOString(),
      outcomeMessage: 'disable: account deactivated',
    });
    await store.create(meta(sourceId));
    await store.putItems([done]);
    await store.setStatus(sourceId, ['BUILDING'], 'READY', { itemCount: 1 });
    await store.setStatus(sourceId, ['READY'], 'APPROVED', { decidedAt: new Date(now - 7_200_000).toISOString() });
    undoLink = await undoLinkIssuer(config, tokens, systemClock)(sourceId, approvers[0]!);

    waiting = makeItem({
      proposalId: keepId,
      state: 'APPROVED',
      notBefore: new Date(now + 5 * 86_400_000).toISOString(),
    });
    await store.create(meta(keepId));
    await store.putItems([waiting]);
    await store.setStatus(keepId, ['BUILDING'], 'READY', { itemCount: 1 });
    await store.setStatus(keepId, ['READY'], 'APPROVED', { decidedAt: new Date(now - 7_200_000).toISOString() });
    keepLink = await keepLinkIssuer(config, tokens, systemClock)(waiting, now + 5 * 86_400_000);
  });
  afterAll(async () => {
    process.env = saved;
    await server?.stop();
    lambda?.close();
  });

  /** The payload of the only invoke since `from`, checked for what it must not carry. */
  const lastInvoke = (from: number) => {
    expect(invokes.slice(from)).toHaveLength(1);
    const call = invokes.at(-1)!;
    expect(call.path).toBe(`/2015-03-31/functions/${MAILER}/invocations`);
    expect(call.invocationType).toBe('Event');
    expect(call.body).not.toMatch(TOKEN);
    expect(call.body).not.toContain('t=');
    expect(call.body).not.toContain(server.url);
    return JSON.parse(call.body) as Record<string, string>;
  };

  it('an undo asked on the site is invoked as {kind, proposalId} only; the mailer mints the links and sends', async () => {
    const page = await openReviewLink(undoLink);
    expect(page.status).toBe(200);
    const from = invokes.length;
    const asked = await submitReview(undoLink, { csrf: page.csrf!, cookie: page.cookie!, items: [done.accountId] });
    expect(asked.status).toBe(200);
    expect(asked.html).toContain('Undo proposed');
    const undoId = /Proposal (undo-\S+) reverses/.exec(asked.html)![1]!;
    const payload = lastInvoke(from);
    expect(payload).toEqual({ kind: 'undo-proposal', proposalId: undoId });
    // Nothing was mailed by the site itself.
    for (const a of approvers) expect((await outboxFor(a)).filter((m) => m.subject.includes(undoId))).toEqual([]);
    expect((await store.get(undoId))?.sentAt).toBeUndefined();

    mailer = (await import('../../lambdas/handlers/mailer.js')).handler as never;
    expect(await mailer(payload)).toEqual({ kind: 'undo-proposal', status: 'sent' });
    expect((await store.get(undoId))?.sentAt).toBeDefined();
    for (const a of approvers) {
      const mails = (await outboxFor(a)).filter((m) => m.subject.includes(undoId));
      expect(mails, a).toHaveLength(1);
      const link = reviewLinkIn(mails[0]!.body.text!)!;
      expect(link.startsWith(`${server.url}/review/`)).toBe(true);
      // The link the mailer minted works on the site.
      expect((await openReviewLink(link)).status, a).toBe(200);
    }
    // A redelivered invocation mails nothing new.
    expect(await mailer(payload)).toEqual({ kind: 'undo-proposal', status: 'already-sent' });
    for (const a of approvers) expect((await outboxFor(a)).filter((m) => m.subject.includes(undoId))).toHaveLength(1);
  });

  it('a kept account is invoked as {kind, proposalId, accountId} only; the mailer tells the approvers', async () => {
    const page = await openReviewLink(keepLink);
    expect(page.status).toBe(200);
    const from = invokes.length;
    const kept = await submitReview(keepLink, { csrf: page.csrf!, cookie: page.cookie! });
    expect(kept.html).toContain('Your account is kept');
    const payload = lastInvoke(from);
    expect(payload).toEqual({ kind: 'keep-notice', proposalId: keepId, accountId: waiting.accountId });
    const told = async (a: string) =>
      (await outboxFor(a)).filter(
        (m) => m.subject.includes('kept their Atlassian account') && m.subject.includes(keepId),
      );
    for (const a of approvers) expect(await told(a)).toEqual([]);
    expect(await mailer(payload)).toEqual({ kind: 'keep-notice', status: 'sent' });
    for (const a of approvers) expect(await told(a), a).toHaveLength(1);
  });

  it('the mailer refuses what the site may not ask for: a plan proposal, an account not kept, extra fields', async () => {
    await expect(mailer({ kind: 'undo-proposal', proposalId: keepId })).rejects.toThrow(/not an undo proposal/);
    await expect(mailer({ kind: 'keep-notice', proposalId: sourceId, accountId: done.accountId })).rejects.toThrow(
      /is DONE, not kept/,
    );
    await expect(
      mailer({ kind: 'undo-proposal', proposalId: sourceId, link: `${server.url}/review/x?t=${'A'.repeat(43)}` }),
    ).rejects.toThrow(/ids only; unexpected field\(s\) link/);
    await expect(mailer({ kind: 'send-anything', proposalId: sourceId })).rejects.toThrow(/unknown mail request kind/);
  });
});
