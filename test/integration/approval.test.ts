import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPlan } from '../../lambdas/plan/index.js';
import { syntheticOrg } from '../sim/org/index.js';
import { approvalWorld, linkIn, openLink, submit, type ApprovalWorld } from '../helpers/approval.js';
import { makeConfig } from '../helpers/config.js';
import { outboxFor } from '../helpers/local.js';
import { planWorld, type PlanWorld } from '../helpers/plan.js';

const org = syntheticOrg({ size: 400, seed: 5 });
const caps = (raw: Record<string, any>) => {
  raw.caps = { maxActionsPerRun: 5_000, maxPercentOfOrg: 75 };
};

describe('plan -> proposal email -> review page -> approval, on the local stack', () => {
  let p: PlanWorld;
  let a: ApprovalWorld;
  let proposalId: string;
  let link: string;

  beforeAll(async () => {
    p = await planWorld(org, makeConfig(caps));
    a = await approvalWorld({ edit: caps, db: p.db, tables: p.tables, clock: p.clock });
    const result = await runPlan(
      { ...p.deps, handoff: a.service.handoff },
      { runId: `approval-${randomUUID().slice(0, 8)}` },
    );
    expect(result.status).toBe('proposed');
    proposalId = result.proposalId!;
  });
  afterAll(async () => {
    await a.stop();
    await p.stop();
  });

  it('mails each approver an HTML and text message with a personal link and a CSV of every item', async () => {
    const items = await a.items(proposalId);
    const first = await a.mailFor('it-admin@example.com', proposalId);
    const second = await a.mailFor('security@example.com', proposalId);
    expect(first.from).toBe('atlassian-lifecycle@example.com');
    expect(first.body.html).toContain('Review and decide');
    expect(first.body.text).toContain('Decide by:');
    link = linkIn(first);
    expect(linkIn(second)).not.toBe(link);
    expect(first.attachments).toHaveLength(1);
    const csv = Buffer.from(first.attachments[0]!.content, 'base64').toString('utf8');
    expect(first.attachments[0]).toMatchObject({
      filename: `proposal-${proposalId}.csv`,
      contentType: 'text/csv; charset=utf-8',
    });
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(items.size + 1);
    const token = new URL(link).searchParams.get('t')!;
    const sent = (await a.audit(`PROPOSAL#${proposalId}`)).find((r) => r.event === 'PROPOSAL_SENT')!;
    expect(JSON.stringify(sent)).not.toContain(token);
    expect(a.logger.lines.join('\n')).not.toContain(token);
  });

  it('a GET of the link (a person or a mail scanner) shows the proposal and changes nothing', async () => {
    const before = await a.snapshot(proposalId);
    const scanner = await openLink(link);
    const person = await openLink(link);
    expect(scanner.status).toBe(200);
    expect(person.html).toContain(`Review proposal ${proposalId}`);
    expect(person.headers.get('cache-control')).toBe('no-store');
    expect(person.headers.get('content-security-policy')).toMatch(/script-src 'nonce-[^']+'/);
    expect(person.headers.get('x-frame-options')).toBe('DENY');
    expect(await a.snapshot(proposalId)).toEqual(before);
    expect(Object.values(before.states).every((s) => s === 'PROPOSED' || s === 'APPROVED by system:auto-approve')).toBe(
      true,
    );
  });

  it('a POST from the page approves: items APPROVED with the approver recorded, execution handed the proposal', async () => {
    const page = await openLink(link);
    const pending = Object.entries((await a.snapshot(proposalId)).states)
      .filter(([, s]) => s === 'PROPOSED')
      .map(([id]) => id);
    expect(pending.length).toBeGreaterThan(10);
    const res = await submit(link, { decision: 'approve', csrf: page.csrf!, cookie: page.cookie! });
    expect(res.status).toBe(200);
    expect(res.html).toContain(`Approved: ${pending.length} items`);
    const after = await a.snapshot(proposalId);
    expect(after.status).toBe('APPROVED');
    for (const id of pending) expect(after.states[id]).toBe('APPROVED by it-admin@example.com');
    const auto = Object.values(after.states).filter((s) => s === 'APPROVED by system:auto-approve');
    expect(auto.length).toBeGreaterThan(0);
    expect(a.started).toEqual([proposalId, proposalId]);
    const events = after.proposalAudit;
    expect(events.filter((e) => e === 'APPROVED:approved')).toHaveLength(pending.length + 1);
    expect(events).toContain('DECISION_RECORDED:approve');
  });

  it("the other approver's link can no longer decide once the proposal is approved", async () => {
    const other = linkIn(await a.mailFor('security@example.com', proposalId));
    const res = await openLink(other);
    expect(res.status).toBe(409);
    expect(res.html).toContain('already decided');
    // Nor by posting a decision, with a CSRF pair from a page that did render.
    const before = await a.snapshot(proposalId);
    const post = await submit(other, {
      decision: 'reject',
      csrf: 'x'.repeat(43),
      cookie: `review_csrf=${'x'.repeat(43)}`,
    });
    expect(post.status).toBe(409);
    const after = await a.snapshot(proposalId);
    expect(after.status).toBe('APPROVED');
    expect(after.states).toEqual(before.states);
  });
});

describe('run alerts', () => {
  it('mails every approver when a run is blocked, through SES', async () => {
    const w = await approvalWorld();
    try {
      const runId = `alert-${randomUUID().slice(0, 8)}`;
      await w.service.sendAlert({
        runId,
        kind: 'blocked',
        reasons: ['Break-glass account breakglass-1@example.com is inactive, not active.'],
        at: w.clock.now(),
      });
      for (const approver of w.config.approval.approvers) {
        const mails = (await outboxFor(approver)).filter((m) => m.subject.includes(runId));
        expect(mails).toHaveLength(1);
        expect(mails[0]!.body.text).toContain('breakglass-1@example.com is inactive');
      }
    } finally {
      await w.stop();
    }
  });
});
