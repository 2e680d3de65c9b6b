import { describe, expect, it } from 'vitest';
import type { AuditLog } from '../../lambdas/domain/ports.js';
import type { AuditRecord, ProposalItem } from '../../lambdas/domain/index.js';
import { AuditReader } from '../../lambdas/store/index.js';
import { itemOf, makeItem } from '../helpers/approval-fixtures.js';
import { approvalWorld, linkIn, openLink, submit, type ApprovalWorld } from '../helpers/approval.js';

const MINUTE = 60_000;
const APPROVER = 'it-admin@example.com';
const ITEM_EVENTS = new Set(['APPROVED', 'REJECTED', 'EXPIRED']);
const items = (): ProposalItem[] => [
  makeItem(),
  makeItem(),
  makeItem(),
  makeItem(),
  itemOf('MOVE_TO_NONBILLABLE'),
  itemOf('MOVE_TO_BILLABLE'),
];

async function sent(w: ApprovalWorld) {
  const meta = await w.seed(items());
  await w.service.sendProposal(meta);
  const pending = Object.entries((await w.snapshot(meta.proposalId)).states)
    .filter(([, s]) => s === 'PROPOSED')
    .map(([id]) => id);
  return { id: meta.proposalId, pending };
}

/** Approves through the review page, keeping every pending item but `deselect`. */
async function approve(w: ApprovalWorld, id: string, deselect: readonly string[]) {
  const link = linkIn(await w.mailFor(APPROVER, id));
  const page = await openLink(link);
  return submit(link, { decision: 'approve', deselect, csrf: page.csrf!, cookie: page.cookie! });
}

type Patchable<T> = { -readonly [K in keyof T]: T[K] };
const auditOf = (w: ApprovalWorld) => w.deps.audit as Patchable<Pick<AuditLog, 'append' | 'appendOwned'>>;

/** Every audit record naming the proposal, in any stream. */
async function records(w: ApprovalWorld, id: string): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  for await (const r of new AuditReader(w.db, w.tables.audit).byProposal(id)) out.push(r);
  return out;
}

const actorOf = (decidedBy: string) => (decidedBy.startsWith('system:') ? decidedBy : `approver:${decidedBy}`);

/** Each item that left PROPOSED has exactly one item-level record of its move and decider; every chain verifies. */
async function expectOneRecordPerMovedItem(w: ApprovalWorld, id: string) {
  const all = await records(w, id);
  const byAccount = new Map<string, string[]>();
  for (const r of all.filter((x) => x.accountId && ITEM_EVENTS.has(x.event)))
    byAccount.set(r.accountId!, [...(byAccount.get(r.accountId!) ?? []), `${r.event} by ${r.actor}`]);
  const moved = [...(await w.items(id)).values()].filter((i) => i.state !== 'PROPOSED');
  expect(moved.length).toBe(items().length);
  for (const i of moved)
    expect(byAccount.get(i.accountId), i.accountId).toEqual([`${i.state} by ${actorOf(i.decidedBy!)}`]);
  const reader = new AuditReader(w.db, w.tables.audit);
  for (const stream of new Set(all.map((r) => r.stream))) expect((await reader.verify(stream)).ok, stream).toBe(true);
}

describe('the hourly sweep finishing an interrupted decision', () => {
  it.each([
    ['none of the item records', 0],
    ['half of the item records', 2],
  ])('writes the missing item records before it moves the items (the decision wrote %s)', async (_what, written) => {
    const w = await approvalWorld();
    try {
      const p = await sent(w);
      const audit = auditOf(w);
      const realOwned = audit.appendOwned.bind(audit);
      audit.appendOwned = async (stream, entries) => {
        if (!stream.startsWith('DECISION#')) return realOwned(stream, entries);
        await realOwned(stream, entries.slice(0, written));
        throw new Error('ProvisionedThroughputExceededException');
      };
      expect((await approve(w, p.id, [p.pending[0]!])).status).toBe(500);
      audit.appendOwned = realOwned;
      expect((await w.snapshot(p.id)).status).toBe('APPROVED');

      // A decision younger than a function's longest run may still be at work: left alone.
      expect((await w.service.expireProposals()).recovered).toEqual([]);
      w.clock.advance(16 * MINUTE);

      // The sweep is interrupted too, at its first move: every record is written already.
      const moves = w.deps.proposals as Patchable<typeof w.deps.proposals>;
      const realMove = moves.moveItem.bind(moves);
      moves.moveItem = () => Promise.reject(new Error('ProvisionedThroughputExceededException'));
      await expect(w.service.expireProposals()).rejects.toThrow();
      moves.moveItem = realMove;
      const early = (await records(w, p.id)).filter((r) => r.accountId && ITEM_EVENTS.has(r.event));
      expect(new Set(early.map((r) => r.accountId))).toEqual(new Set((await w.items(p.id)).keys()));

      expect((await w.service.expireProposals()).recovered).toEqual([
        { proposalId: p.id, status: 'APPROVED', items: p.pending.length },
      ]);
      const s = await w.snapshot(p.id);
      expect(s.states[p.pending[0]!]).toBe(`REJECTED by ${APPROVER}`);
      await expectOneRecordPerMovedItem(w, p.id);
    } finally {
      await w.stop();
    }
  });

  it('audits a ballot that was recorded without its audit record, then settles with item records', async () => {
    const w = await approvalWorld();
    try {
      const p = await sent(w);
      const audit = auditOf(w);
      const realAppend = audit.append.bind(audit);
      audit.append = async (stream, entries) => {
        if (entries.some((e) => e.event === 'DECISION_RECORDED')) throw new Error('RequestTimeout');
        return realAppend(stream, entries);
      };
      expect((await approve(w, p.id, [p.pending[1]!])).status).toBe(500);
      audit.append = realAppend;
      const [ballot] = await w.tokens.ballots(p.id);
      expect(ballot).toBeDefined();
      expect((await w.snapshot(p.id)).status).toBe('READY');

      w.clock.advance(16 * MINUTE);
      expect((await w.service.expireProposals()).settled).toEqual([{ proposalId: p.id, outcome: 'approved' }]);
      const recorded = (await records(w, p.id)).filter((r) => r.event === 'DECISION_RECORDED');
      expect(recorded.map((r) => [r.actor, r.outcome, r.details?.tokenRef])).toEqual([
        [`approver:${APPROVER}`, 'approve', ballot!.tokenRef],
      ]);
      expect((await w.snapshot(p.id)).states[p.pending[1]!]).toBe(`REJECTED by ${APPROVER}`);
      await expectOneRecordPerMovedItem(w, p.id);
    } finally {
      await w.stop();
    }
  });
});
