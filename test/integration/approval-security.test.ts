import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken, newToken } from '../../lambdas/approval/tokens.js';
import type { ProposalItem } from '../../lambdas/domain/index.js';
import { HOSTILE_NAME, itemOf, makeItem } from '../helpers/approval-fixtures.js';
import { approvalWorld, linkIn, openLink, submit, type ApprovalWorld, type Snapshot } from '../helpers/approval.js';

const HOUR = 3_600_000;
const withoutNonce = (html: string) => html.replace(/nonce="[^"]+"/g, 'nonce=""');

/** Three pending items (one with a hostile name) and one auto-approved kind. */
const items = (): ProposalItem[] => [
  makeItem({ name: HOSTILE_NAME }),
  makeItem(),
  itemOf('MOVE_TO_NONBILLABLE'),
  itemOf('MOVE_TO_BILLABLE'),
];

async function sentProposal(w: ApprovalWorld) {
  const meta = await w.seed(items());
  await w.service.sendProposal(meta);
  const link = linkIn(await w.mailFor('it-admin@example.com', meta.proposalId));
  const pending = Object.entries((await w.snapshot(meta.proposalId)).states)
    .filter(([, s]) => s === 'PROPOSED')
    .map(([id]) => id);
  return { id: meta.proposalId, link, pending };
}

/** A page view's CSRF pair, as the browser would hold it. */
async function form(link: string) {
  const page = await openLink(link);
  expect(page.status).toBe(200);
  return { csrf: page.csrf!, cookie: page.cookie! };
}

/** Nothing changed except one refusal record in the proposal's stream (the day's refusal stream stays empty). */
function expectOnlyRefusal(before: Snapshot, after: Snapshot, refusal: string) {
  expect(after.status).toBe(before.status);
  expect(after.states).toEqual(before.states);
  expect(after.ballots).toBe(before.ballots);
  expect(after.proposalAudit).toEqual([...before.proposalAudit, `DECISION_REFUSED:${refusal}`]);
  expect(after.refusalAudit).toEqual([]);
}

const tamper = (link: string) => {
  const url = new URL(link);
  const t = url.searchParams.get('t')!;
  url.searchParams.set('t', `${t.slice(0, 10)}${t[10] === 'A' ? 'B' : 'A'}${t.slice(11)}`);
  return url.href;
};

describe('review links refuse every forgery, replay and mistake, change nothing, and audit it', () => {
  let w: ApprovalWorld;
  beforeAll(async () => {
    w = await approvalWorld();
  });
  afterAll(() => w.stop());

  it('refuses a tampered token with the same page as a link to a proposal that does not exist', async () => {
    const p = await sentProposal(w);
    const { csrf, cookie } = await form(p.link);
    const before = await w.snapshot(p.id);
    const res = await submit(tamper(p.link), { decision: 'approve', csrf, cookie });
    expect(res.status).toBe(404);
    expect(res.html).toContain('This link is not valid');
    // Not a genuine token: logged and counted, never audited (anyone can send it).
    expect(await w.snapshot(p.id)).toEqual(before);

    const nowhere = await openLink(`${w.server.url}/review/no-such-proposal?t=${newToken()}`);
    const tamperedGet = await openLink(tamper(p.link));
    expect(nowhere.status).toBe(404);
    expect(withoutNonce(tamperedGet.html)).toBe(withoutNonce(nowhere.html));
    expect(withoutNonce(res.html)).toBe(withoutNonce(nowhere.html));
  });

  it('refuses a replayed link after its decision was recorded', async () => {
    const p = await sentProposal(w);
    const f = await form(p.link);
    expect((await submit(p.link, { decision: 'approve', ...f })).status).toBe(200);
    const before = await w.snapshot(p.id);
    const replay = await submit(p.link, { decision: 'reject', ...f });
    expect(replay.status).toBe(409);
    expect(replay.html).toContain('This link was already used');
    expectOnlyRefusal(before, await w.snapshot(p.id), 'USED');
  });

  it('refuses a token used on another proposal, and says nothing about that proposal', async () => {
    const a = await sentProposal(w);
    const b = await sentProposal(w);
    const f = await form(a.link);
    const wrong = a.link.replace(`/review/${a.id}?`, `/review/${b.id}?`);
    const [beforeA, beforeB] = [await w.snapshot(a.id), await w.snapshot(b.id)];
    const res = await submit(wrong, { decision: 'approve', ...f });
    expect(res.status).toBe(404);
    expect(res.html).toContain('This link is not valid');
    expect(res.html).not.toContain(b.id);
    expectOnlyRefusal(beforeA, await w.snapshot(a.id), 'INVALID_LINK');
    const afterB = await w.snapshot(b.id);
    expect(afterB).toEqual({ ...beforeB, refusalAudit: afterB.refusalAudit });
  });

  it('refuses the link of someone who is not (or no longer) an approver', async () => {
    const p = await sentProposal(w);
    const token = newToken();
    const issued = await w.tokens.get(hashToken(new URL(p.link).searchParams.get('t')!));
    await w.tokens.put({ ...issued!, tokenHash: hashToken(token), approver: 'mallory@example.com' });
    const link = `${w.server.url}/review/${p.id}?t=${token}`;
    const f = await form(p.link);
    const before = await w.snapshot(p.id);
    const res = await submit(link, { decision: 'approve', ...f });
    expect(res.status).toBe(403);
    expect(res.html).toContain('no longer an approver');
    expectOnlyRefusal(before, await w.snapshot(p.id), 'NOT_APPROVER');
  });

  it('refuses to approve a proposal whose items changed after the email was sent', async () => {
    const p = await sentProposal(w);
    const f = await form(p.link);
    await w.db.send(
      new UpdateItemCommand({
        TableName: w.tables.state,
        Key: { pk: { S: `PROPOSAL#${p.id}` }, sk: { S: `ITEM#${p.pending[0]}` } },
        UpdateExpression: 'SET #a = :a',
        ExpressionAttributeNames: { '#a': 'action' },
        ExpressionAttributeValues: { ':a': { S: 'DEACTIVATE' } },
      }),
    );
    await w.db.send(
      new UpdateItemCommand({
        TableName: w.tables.state,
        Key: { pk: { S: `PROPOSAL#${p.id}` }, sk: { S: `ITEM#${p.pending[2]}` } },
        UpdateExpression: 'SET #a = :a',
        ExpressionAttributeNames: { '#a': 'action' },
        ExpressionAttributeValues: { ':a': { S: 'DEACTIVATE' } },
      }),
    );
    const before = await w.snapshot(p.id);
    const res = await submit(p.link, { decision: 'approve', ...f });
    expect(res.status).toBe(409);
    expect(res.html).toContain('changed after the email was sent');
    expectOnlyRefusal(before, await w.snapshot(p.id), 'CONTENT_CHANGED');
  });

  it('a GET with a valid token, even one carrying decision fields, decides nothing and writes nothing', async () => {
    const p = await sentProposal(w);
    const before = await w.snapshot(p.id);
    const startedBefore = [...w.started];
    const crafted = `${p.link}&decision=approve&${p.pending.map((id) => `item=${encodeURIComponent(id)}`).join('&')}`;
    expect((await openLink(crafted)).status).toBe(200);
    expect((await fetch(crafted, { method: 'HEAD' })).status).toBe(200);
    expect(await w.snapshot(p.id)).toEqual(before);
    expect(w.started).toEqual(startedBefore);
    const f = await form(p.link);
    expect((await submit(p.link, { decision: 'approve', ...f })).status).toBe(200);
  });

  it('refuses a POST without the CSRF field and cookie', async () => {
    const p = await sentProposal(w);
    await form(p.link);
    const before = await w.snapshot(p.id);
    const res = await submit(p.link, { decision: 'approve' });
    expect(res.status).toBe(403);
    expect(res.html).toContain('could not be verified');
    expectOnlyRefusal(before, await w.snapshot(p.id), 'CSRF');
  });

  it('refuses a POST from another origin even with a matching CSRF pair', async () => {
    const p = await sentProposal(w);
    const f = await form(p.link);
    const before = await w.snapshot(p.id);
    const res = await submit(p.link, {
      decision: 'approve',
      ...f,
      origin: 'https://attacker.example',
    });
    expect(res.status).toBe(403);
    expectOnlyRefusal(before, await w.snapshot(p.id), 'CSRF');
  });

  it('never writes a raw token to the audit log or the logs', async () => {
    const p = await sentProposal(w);
    const token = new URL(p.link).searchParams.get('t')!;
    await submit(tamper(p.link), { decision: 'approve' });
    await submit(p.link, { decision: 'approve' });
    // ... and a successful decision.
    const page = await openLink(p.link);
    expect((await submit(p.link, { decision: 'approve', csrf: page.csrf!, cookie: page.cookie! })).status).toBe(200);
    const streams = [
      `PROPOSAL#${p.id}`,
      `DECISION#${p.id}`,
      `AUTO#${p.id}`,
      `REFUSALS#${new Date(w.clock.now()).toISOString().slice(0, 10)}`,
    ];
    const records = (await Promise.all(streams.map((name) => w.audit(name)))).flat();
    expect(records.some((r) => r.event === 'DECISION_REFUSED')).toBe(true);
    expect(records.some((r) => r.event === 'DECISION_RECORDED')).toBe(true);
    expect(JSON.stringify(records)).not.toContain(token);
    expect(JSON.stringify(records)).not.toContain(token.slice(0, 20));
    expect(w.logger.lines.join('\n')).not.toContain(token.slice(0, 20));
  });
});

describe('an expired link', () => {
  it('is refused after the token lifetime, changes nothing, and is audited', async () => {
    const w = await approvalWorld();
    try {
      const p = await sentProposal(w);
      const f = await form(p.link);
      w.clock.advance(72 * HOUR);
      const before = await w.snapshot(p.id);
      const startedBefore = [...w.started];
      const res = await submit(p.link, { decision: 'approve', ...f });
      expect(res.status).toBe(410);
      expect(res.html).toContain('This link has expired');
      expectOnlyRefusal(before, await w.snapshot(p.id), 'EXPIRED');
      expect(w.started).toEqual(startedBefore);
    } finally {
      await w.stop();
    }
  });
});

describe('refusals that carry no genuine token', () => {
  it('answers 300 concurrent anonymous POSTs with 404, writes no audit record, and counts each in the log', async () => {
    const w = await approvalWorld();
    try {
      const p = await sentProposal(w);
      const before = await w.snapshot(p.id);
      const made = [
        (n: number) => tamper(p.link).replace(/t=[^&]{4}/, `t=${String(n).padStart(4, '0')}`),
        () => `${w.server.url}/review/${p.id}?t=${newToken()}`,
        (n: number) => `${w.server.url}/review/no-such-proposal-${n}?t=${newToken()}`,
        (n: number) => `${w.server.url}/review/${p.id}?t=not-a-token-${n}`,
        () => `${w.server.url}/review/${p.id}`,
      ];
      const forged = { csrf: 'x'.repeat(43), cookie: `review_csrf=${'x'.repeat(43)}` };
      const results = await Promise.all(
        Array.from({ length: 300 }, (_, n) => submit(made[n % made.length]!(n), { decision: 'approve', ...forged })),
      );
      expect(results.map((r) => r.status)).toEqual(Array.from({ length: 300 }, () => 404));
      expect(await w.snapshot(p.id)).toEqual(before);
      expect(before.refusalAudit).toEqual([]);
      const counted = w.logger.lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.message === 'approval.refused' && l.UnverifiedRefusals === 1);
      expect(counted).toHaveLength(300);
      expect(counted.every((l) => l.refusal === 'INVALID_LINK' && l.method === 'POST')).toBe(true);
      // A CloudWatch Embedded Metric Format line: the log line is the counter.
      expect(counted[0]!._aws).toMatchObject({
        CloudWatchMetrics: [{ Dimensions: [['method']], Metrics: [{ Name: 'UnverifiedRefusals', Unit: 'Count' }] }],
      });
    } finally {
      await w.stop();
    }
  });
});
