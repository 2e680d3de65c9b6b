import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken, newToken } from '../../lambdas/approval/tokens.js';
import { TokenSpentError, type Ballot, type ProposalItem } from '../../lambdas/domain/index.js';
import { itemOf, makeItem } from '../helpers/approval-fixtures.js';
import { approvalWorld, linkIn, openLink, submit, type ApprovalWorld } from '../helpers/approval.js';
import { outboxFor } from '../helpers/local.js';

const HOUR = 3_600_000;
const items = (): ProposalItem[] => [
  makeItem(),
  makeItem(),
  makeItem(),
  itemOf('MOVE_TO_NONBILLABLE'),
  itemOf('MOVE_TO_BILLABLE'),
];

async function send(w: ApprovalWorld, list = items(), overrides = {}) {
  const meta = await w.seed(list, overrides);
  const report = await w.service.sendProposal(meta);
  const pending = Object.entries((await w.snapshot(meta.proposalId)).states)
    .filter(([, s]) => s === 'PROPOSED')
    .map(([id]) => id);
  return { id: meta.proposalId, report, pending };
}

async function decide(
  w: ApprovalWorld,
  approver: string,
  id: string,
  decision: string,
  keep: readonly string[],
  override = false,
) {
  const link = linkIn(await w.mailFor(approver, id));
  const page = await openLink(link);
  const deselect = page.pending.filter((id) => !keep.includes(id));
  return submit(link, { decision, deselect, csrf: page.csrf!, cookie: page.cookie!, override });
}

describe('decisions with one approver needed (example configuration: MOVE_TO_BILLABLE auto-approved)', () => {
  let w: ApprovalWorld;
  beforeAll(async () => {
    w = await approvalWorld();
  });
  afterAll(() => w.stop());

  it('approving a subset rejects the deselected items, with the approver recorded on both', async () => {
    const p = await send(w);
    const [dropped, ...kept] = p.pending;
    const res = await decide(w, 'security@example.com', p.id, 'approve', kept);
    expect(res.html).toContain(`Approved: ${kept.length} items`);
    const s = await w.snapshot(p.id);
    expect(s.status).toBe('APPROVED');
    expect(s.states[dropped!]).toBe('REJECTED by security@example.com');
    for (const id of kept) expect(s.states[id]).toBe('APPROVED by security@example.com');
    expect(s.proposalAudit).toContain('REJECTED:deselected');
  });

  it('rejecting rejects every pending item and never reaches execution', async () => {
    const p = await send(w);
    const startedBefore = w.started.filter((id) => id === p.id).length;
    await decide(w, 'it-admin@example.com', p.id, 'reject', []);
    const s = await w.snapshot(p.id);
    expect(s.status).toBe('REJECTED');
    for (const id of p.pending) expect(s.states[id]).toBe('REJECTED by it-admin@example.com');
    expect(w.started.filter((id) => id === p.id)).toHaveLength(startedBefore);
  });

  it('auto-approves the configured kinds when sending, audited and started, the rest waiting', async () => {
    const p = await send(w);
    const s = await w.snapshot(p.id);
    expect(Object.values(s.states).filter((x) => x === 'APPROVED by system:auto-approve')).toHaveLength(1);
    expect(s.proposalAudit.filter((e) => e === 'APPROVED:auto-approved')).toHaveLength(1);
    expect(w.started.filter((id) => id === p.id)).toHaveLength(1);
    expect(p.report).toMatchObject({ status: 'sent', pending: 4, autoApproved: 1 });
  });

  it('needs no human when every item is auto-approved: the proposal is APPROVED and the mail has no link', async () => {
    const p = await send(w, [itemOf('MOVE_TO_BILLABLE'), itemOf('MOVE_TO_BILLABLE')]);
    expect(p.report.status).toBe('auto-approved');
    expect((await w.snapshot(p.id)).status).toBe('APPROVED');
    const mail = await w.mailFor('it-admin@example.com', p.id);
    expect(mail.body.text).not.toContain('/review/');
    expect(w.started.filter((id) => id === p.id)).toHaveLength(1);
  });

  it('an over-cap proposal is not auto-approved, and approving it needs the override box', async () => {
    const p = await send(w, items(), { suspicious: true, suspiciousReasons: ['5 actions exceed the cap of 2'] });
    expect(p.pending).toHaveLength(5);
    expect((await w.mailFor('it-admin@example.com', p.id)).subject).toMatch(/^OVER CAP/);
    const link = linkIn(await w.mailFor('it-admin@example.com', p.id));
    const page = await openLink(link);
    const refused = await submit(link, {
      decision: 'approve',
      csrf: page.csrf!,
      cookie: page.cookie!,
    });
    expect(refused.status).toBe(400);
    expect((await w.snapshot(p.id)).proposalAudit.at(-1)).toBe('DECISION_REFUSED:OVERRIDE_REQUIRED');
    const ok = await submit(link, {
      decision: 'approve',
      csrf: page.csrf!,
      cookie: page.cookie!,
      override: true,
    });
    expect(ok.status).toBe(200);
    expect((await w.snapshot(p.id)).status).toBe('APPROVED');
  });

  it('sends a proposal once: a repeated handoff mails nobody again', async () => {
    const p = await send(w);
    const again = await w.service.sendProposal((await w.proposals.get(p.id))!);
    expect(again.status).toBe('already-sent');
    const mails = (await outboxFor('it-admin@example.com')).filter((m) => m.subject.includes(`(proposal ${p.id})`));
    expect(mails).toHaveLength(1);
  });

  it('stores the decision deadline as a string, so the table TTL never deletes the proposal', async () => {
    const p = await send(w);
    const raw = await w.db.send(
      new GetItemCommand({ TableName: w.tables.state, Key: { pk: { S: `PROPOSAL#${p.id}` }, sk: { S: 'META' } } }),
    );
    expect(raw.Item?.expiresAt?.S).toBe(new Date(w.clock.now() + 72 * HOUR).toISOString());
    expect(raw.Item?.expiresAt?.N).toBeUndefined();
  });
});

describe('a quorum of two approvers', () => {
  let w: ApprovalWorld;
  beforeAll(async () => {
    w = await approvalWorld({ edit: (raw) => Object.assign(raw.approval, { quorum: 2, autoApprove: [] }) });
  });
  afterAll(() => w.stop());

  it('waits for the second approval, then approves only the items both kept', async () => {
    const p = await send(w);
    const [a, b, ...both] = p.pending as [string, string, ...string[]];
    const first = await decide(w, 'it-admin@example.com', p.id, 'approve', [b, ...both]);
    expect(first.html).toContain('1 of 2 approvals so far');
    const waiting = await w.snapshot(p.id);
    expect(waiting.status).toBe('READY');
    expect(Object.values(waiting.states).every((s) => s === 'PROPOSED')).toBe(true);
    expect(w.started).not.toContain(p.id);

    await decide(w, 'security@example.com', p.id, 'approve', [a, ...both]);
    const s = await w.snapshot(p.id);
    expect(s.status).toBe('APPROVED');
    expect(s.states[a]).toBe('REJECTED by it-admin@example.com,security@example.com');
    expect(s.states[b]).toBe('REJECTED by it-admin@example.com,security@example.com');
    for (const id of both) expect(s.states[id]).toBe('APPROVED by it-admin@example.com,security@example.com');
    expect(w.started.filter((id) => id === p.id)).toHaveLength(1);
    expect(s.proposalAudit.filter((e) => e.startsWith('DECISION_RECORDED'))).toHaveLength(2);
  });

  it('two approvers completing the quorum at the same moment apply the decision once', async () => {
    const p = await send(w);
    const open = async (approver: string) => {
      const link = linkIn(await w.mailFor(approver, p.id));
      return { link, page: await openLink(link) };
    };
    const [x, y] = await Promise.all([open('it-admin@example.com'), open('security@example.com')]);
    const results = await Promise.all(
      [x, y].map(({ link, page }) => submit(link, { decision: 'approve', csrf: page.csrf!, cookie: page.cookie! })),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const s = await w.snapshot(p.id);
    expect(s.status).toBe('APPROVED');
    for (const id of p.pending) expect(s.states[id]).toMatch(/^APPROVED by /);
    expect(w.started.filter((id) => id === p.id)).toHaveLength(1);
    expect(s.proposalAudit.filter((e) => e === 'APPROVED:approved')).toHaveLength(p.pending.length + 1);
  });

  it("lets one approver's rejection reject the proposal", async () => {
    const p = await send(w);
    await decide(w, 'it-admin@example.com', p.id, 'approve', p.pending);
    await decide(w, 'security@example.com', p.id, 'reject', []);
    const s = await w.snapshot(p.id);
    expect(s.status).toBe('REJECTED');
    expect(Object.values(s.states).every((x) => x === 'REJECTED by security@example.com')).toBe(true);
    expect(w.started).not.toContain(p.id);
  });
});

describe('expiry', () => {
  it('moves an undecided proposal and its pending items to EXPIRED, audited; auto-approved items stay approved', async () => {
    const w = await approvalWorld();
    try {
      const p = await send(w);
      expect((await w.service.expireProposals()).expired).toEqual([]);
      w.clock.advance(72 * HOUR);
      expect((await w.service.expireProposals()).expired).toEqual([{ proposalId: p.id, items: 4 }]);
      const s = await w.snapshot(p.id);
      expect(s.status).toBe('EXPIRED');
      for (const id of p.pending) expect(s.states[id]).toBe('EXPIRED by system:expiry');
      expect(Object.values(s.states).filter((x) => x === 'APPROVED by system:auto-approve')).toHaveLength(1);
      expect(s.proposalAudit.filter((e) => e === 'EXPIRED:expired')).toHaveLength(5);
      expect((await w.service.expireProposals()).expired).toEqual([]);
      const res = await openLink(linkIn(await w.mailFor('it-admin@example.com', p.id)));
      expect(res.status).toBe(410);
    } finally {
      await w.stop();
    }
  });
});

describe('an interrupted decision', () => {
  it('is applied by the next expiry sweep instead of expiring: a recorded quorum is never lost', async () => {
    const w = await approvalWorld();
    try {
      const p = await send(w);
      const link = linkIn(await w.mailFor('it-admin@example.com', p.id));
      const hash = hashToken(new URL(link).searchParams.get('t')!);
      await w.tokens.castBallot(
        hash,
        {
          proposalId: p.id,
          approver: 'it-admin@example.com',
          decision: 'approve',
          deselected: [p.pending[0]!],
          override: false,
          castAt: new Date(w.clock.now()).toISOString(),
          tokenRef: hash.slice(0, 8),
        },
        Math.floor(w.clock.now() / 1000),
      );
      w.clock.advance(73 * HOUR);
      expect(await w.service.expireProposals()).toEqual({
        expired: [],
        settled: [{ proposalId: p.id, outcome: 'approved' }],
        recovered: [],
      });
      const s = await w.snapshot(p.id);
      expect(s.status).toBe('APPROVED');
      expect(s.states[p.pending[0]!]).toBe('REJECTED by it-admin@example.com');
      expect(s.states[p.pending[1]!]).toBe('APPROVED by it-admin@example.com');
    } finally {
      await w.stop();
    }
  });
});

describe('a decision interrupted after its commit point', () => {
  it('is finished by the next sweep: remaining items moved, proposal settled, execution started', async () => {
    const w = await approvalWorld();
    try {
      const p = await send(w);
      const [dropped, ...kept] = p.pending as [string, ...string[]];
      // The second item move fails once, as a throttled DynamoDB write would.
      const realMove = w.deps.proposals.moveItem.bind(w.deps.proposals);
      let moves = 0;
      (w.deps.proposals as { moveItem: typeof realMove }).moveItem = async (...args) => {
        moves += 1;
        if (moves === 2) throw new Error('ProvisionedThroughputExceededException');
        return realMove(...args);
      };
      const starts = () => w.started.filter((id) => id === p.id).length;
      const startsAtSending = starts();
      const res = await decide(w, 'it-admin@example.com', p.id, 'approve', kept);
      expect(res.status).toBe(500);
      (w.deps.proposals as { moveItem: typeof realMove }).moveItem = realMove;
      const broken = await w.snapshot(p.id);
      expect(broken.status).toBe('APPROVED');
      // One approval failed, and the rejection of the deselected item was never reached.
      expect(Object.values(broken.states).filter((s) => s === 'PROPOSED')).toHaveLength(2);
      expect(starts()).toBe(startsAtSending);
      expect(broken.proposalAudit.filter((e) => e === 'APPROVED:approved')).toHaveLength(kept.length + 1);

      // The sweep leaves a decision alone while its request could still be running (15 minutes).
      expect((await w.service.expireProposals()).recovered).toEqual([]);
      w.clock.advance(16 * 60_000);
      const report = await w.service.expireProposals();
      expect(report.recovered).toEqual([{ proposalId: p.id, status: 'APPROVED', items: 2 }]);
      const s = await w.snapshot(p.id);
      expect(s.states[dropped]).toBe('REJECTED by it-admin@example.com');
      for (const id of kept) expect(s.states[id]).toBe('APPROVED by it-admin@example.com');
      expect(starts()).toBe(startsAtSending + 1);
      expect((await w.service.expireProposals()).recovered).toEqual([]);
    } finally {
      await w.stop();
    }
  });
});

describe('quorum and approvers are those the proposal was sent to', () => {
  it('a quorum lowered after sending does not approve a proposal on one vote', async () => {
    const w = await approvalWorld({ edit: (raw) => Object.assign(raw.approval, { quorum: 2, autoApprove: [] }) });
    try {
      const p = await send(w);
      (w.config.approval as { quorum: number }).quorum = 1;
      const res = await decide(w, 'it-admin@example.com', p.id, 'approve', p.pending);
      expect(res.html).toContain('1 of 2 approvals so far');
      expect((await w.snapshot(p.id)).status).toBe('READY');
      expect((await w.service.expireProposals()).settled).toEqual([]);
    } finally {
      await w.stop();
    }
  });
});

describe('opening links writes nothing, even refused ones', () => {
  it('a made-up link and a re-opened decided link add no audit record', async () => {
    const w = await approvalWorld();
    try {
      const p = await send(w);
      const link = linkIn(await w.mailFor('it-admin@example.com', p.id));
      const before = await w.snapshot(p.id);
      for (let i = 0; i < 5; i++)
        expect((await openLink(link.replace(/t=[^&]+/, `t=${'A'.repeat(40 + i)}`))).status).toBe(404);
      expect(await w.snapshot(p.id)).toEqual(before);
      await decide(w, 'it-admin@example.com', p.id, 'approve', p.pending);
      const decided = await w.snapshot(p.id);
      expect((await openLink(link)).status).toBeGreaterThanOrEqual(400);
      expect(await w.snapshot(p.id)).toEqual(decided);
    } finally {
      await w.stop();
    }
  });
});

describe('token store: a link casts at most one ballot', () => {
  let w: ApprovalWorld;
  beforeAll(async () => {
    w = await approvalWorld();
  });
  afterAll(() => w.stop());

  const ballot = (approver: string): Ballot => ({
    proposalId: 'p-store',
    approver,
    decision: 'approve',
    deselected: [],
    override: false,
    castAt: '2026-11-01T03:00:00.000Z',
    tokenRef: 'x',
  });
  async function issue(approver: string, expiresAt = Math.floor(w.clock.now() / 1000) + 3600) {
    const tokenHash = hashToken(newToken());
    await w.tokens.put({
      tokenHash,
      proposalId: 'p-store',
      approver,
      contentHash: 'h',
      issuedAt: '2026-11-01T02:00:00.000Z',
      expiresAt,
    });
    return tokenHash;
  }
  const now = () => Math.floor(w.clock.now() / 1000);

  it('lets exactly one of two concurrent uses of the same link through', async () => {
    const hash = await issue('it-admin@example.com');
    const results = await Promise.allSettled([
      w.tokens.castBallot(hash, ballot('it-admin@example.com'), now()),
      w.tokens.castBallot(hash, ballot('it-admin@example.com'), now()),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failure.reason).toBeInstanceOf(TokenSpentError);
    await expect(w.tokens.castBallot(hash, ballot('it-admin@example.com'), now())).rejects.toMatchObject({
      reason: 'used',
    });
  });

  it('lets an approver holding two links (a resent email) decide once', async () => {
    const first = await issue('security@example.com');
    const second = await issue('security@example.com');
    await w.tokens.castBallot(first, ballot('security@example.com'), now());
    await expect(w.tokens.castBallot(second, ballot('security@example.com'), now())).rejects.toMatchObject({
      reason: 'already-decided',
    });
    expect((await w.tokens.get(second))?.usedAt).toBeUndefined();
  });

  it("lets one signed-in person (one Entra oid) decide once per proposal, even with two approvers' links", async () => {
    const signedIn = { oid: 'd0000000-0000-4000-8000-0000000000d1', username: 'it-admin@example.com' };
    const mine = await issue('one@example.com');
    const theirs = await issue('two@example.com');
    await w.tokens.castBallot(mine, { ...ballot('one@example.com'), signedIn }, now());
    await expect(w.tokens.castBallot(theirs, { ...ballot('two@example.com'), signedIn }, now())).rejects.toMatchObject({
      reason: 'same-person',
    });
    // Nothing of the refused ballot was written: the other link is unspent and decides for another person.
    expect((await w.tokens.get(theirs))?.usedAt).toBeUndefined();
    expect((await w.tokens.ballots('p-store')).filter((b) => b.approver === 'two@example.com')).toEqual([]);
    await w.tokens.castBallot(
      theirs,
      { ...ballot('two@example.com'), signedIn: { oid: 'd0000000-0000-4000-8000-0000000000d2' } },
      now(),
    );
  });

  it('refuses an expired link and a link of another approver', async () => {
    const expired = await issue('a@example.com', now());
    await expect(w.tokens.castBallot(expired, ballot('a@example.com'), now())).rejects.toMatchObject({
      reason: 'expired',
    });
    const other = await issue('b@example.com');
    await expect(w.tokens.castBallot(other, ballot('c@example.com'), now())).rejects.toMatchObject({
      reason: 'missing',
    });
  });
});
