/**
 * An executed proposal that still holds undecided (PROPOSED) items: execution splits only the
 * APPROVED ones into chunks (read with a store-side filter, not the whole proposal), never touches
 * the others, and the results mail lists the decided items (approved, rejected) and not the
 * undecided ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ItemState, type ProposalItem } from '../../lambdas/domain/index.js';
import { AUTO_APPROVER } from '../../lambdas/approval/proposal-view.js';
import { runPlan } from '../../lambdas/plan/index.js';
import { Round } from '../../lambdas/domain/execution.js';
import { runExecutionLocally } from '../../local/execution-engine.js';
import { syntheticOrg } from '../sim/org/index.js';
import { executionWorld, type ExecWorld } from '../helpers/execute.js';
import { outboxFor } from '../helpers/local.js';
import { attachmentText, mutationsOf, scenarioConfig, uniqueRunId } from '../helpers/execute-scenarios.js';

const org = syntheticOrg({ size: 200, seed: 94, scimSyncedShare: 0 });
const config = scenarioConfig();
const decision = (i: ProposalItem, n: number) => (n % 3 === 0 ? 'undecided' : n % 3 === 1);

describe('execution of a proposal with undecided items', () => {
  let w: ExecWorld;
  let id: string;
  let before: ProposalItem[];
  let after: ProposalItem[];
  let record: { itemCount: number; chunkCount: number } | undefined;

  beforeAll(async () => {
    w = await executionWorld(org, config, { taskDelayMs: 0 });
    const order = new Map<string, number>();
    id = await w.planAndApprove(uniqueRunId('undecided'), (i) => {
      if (!order.has(i.accountId)) order.set(i.accountId, order.size);
      return decision(i, order.get(i.accountId)!);
    });
    before = await w.items(id);
    await runExecutionLocally(w.exec, { proposalId: id });
    record = await w.exec.executions.get(id, Round.MAIN);
    after = await w.items(id);
  }, 900_000);
  afterAll(() => w?.stop());

  const of = (items: ProposalItem[], state: string) => items.filter((i) => i.state === state);

  it('has approved, rejected and undecided items to begin with', () => {
    expect(of(before, 'APPROVED').length).toBeGreaterThanOrEqual(10);
    expect(of(before, 'REJECTED').length).toBeGreaterThanOrEqual(10);
    expect(of(before, 'PROPOSED').length).toBeGreaterThanOrEqual(10);
  });

  it('splits exactly the approved items into chunks', () => {
    expect(record?.itemCount).toBe(of(before, 'APPROVED').length);
  });

  it('acts on every approved item and on nothing else', () => {
    const approved = new Set(of(before, 'APPROVED').map((i) => i.accountId));
    for (const i of after) {
      if (approved.has(i.accountId))
        expect(['DONE', 'SKIPPED', 'FAILED', 'HANDED_OFF'], i.accountId).toContain(i.state);
      else {
        expect(i.state, i.accountId).toBe(before.find((b) => b.accountId === i.accountId)!.state);
        expect(mutationsOf(w, i.accountId), i.accountId).toEqual([]);
      }
    }
    expect(of(after, 'DONE').length).toBeGreaterThan(0);
  });

  it('mails results listing the decided items and not the undecided ones', async () => {
    const mails = (await outboxFor(config.approval.approvers[0]!)).filter((m) =>
      m.attachments.some((a) => a.filename?.startsWith(`results-`) && a.filename.includes(id)),
    );
    expect(mails).toHaveLength(1);
    const csv = attachmentText(mails[0]!.attachments.find((a) => a.filename?.startsWith('results-'))!);
    const rows = csv.trim().split(/\r?\n/).slice(1);
    const decided = after.filter((i) => i.state !== 'PROPOSED');
    expect(rows).toHaveLength(decided.length);
    for (const i of decided) expect(csv).toContain(i.accountId);
    for (const i of of(after, 'PROPOSED')) expect(csv).not.toContain(i.accountId);
    expect(mails[0]!.body.text).toContain('Every decided item is in the attached CSV.');
  });
});

describe('a round run while people still decide (only what approval.autoApprove approved)', () => {
  let w: ExecWorld;
  let id: string;
  let after: ProposalItem[];
  const auto = new Set<string>();

  beforeAll(async () => {
    w = await executionWorld(syntheticOrg({ size: 200, seed: 95, scimSyncedShare: 0 }), config, { taskDelayMs: 0 });
    const planned = await runPlan(w.deps, { runId: uniqueRunId('autoround') });
    id = planned.proposalId!;
    // What sendProposal does for approval.autoApprove: the configured kinds approved, the proposal still READY.
    for (const i of await w.items(id))
      if (i.action === 'MOVE_TO_NONBILLABLE') {
        await w.store.moveItem(id, i.accountId, ItemState.APPROVED, { decidedBy: AUTO_APPROVER });
        auto.add(i.accountId);
      }
    await w.store.setStatus(id, ['READY'], 'READY', { autoApproved: auto.size });
    await runExecutionLocally(w.exec, { proposalId: id });
    after = await w.items(id);
  }, 900_000);
  afterAll(() => w?.stop());

  it('acts on the auto-approved items only and leaves the others waiting', () => {
    expect(auto.size).toBeGreaterThanOrEqual(5);
    for (const i of after)
      if (auto.has(i.accountId)) expect(['DONE', 'SKIPPED'], i.accountId).toContain(i.state);
      else {
        expect(i.state, i.accountId).toBe('PROPOSED');
        expect(mutationsOf(w, i.accountId), i.accountId).toEqual([]);
      }
  });

  it('mails results that say configuration approved them and how many items still wait', async () => {
    const mails = (await outboxFor(config.approval.approvers[0]!)).filter((m) =>
      m.attachments.some((a) => a.filename?.startsWith(`results-`) && a.filename.includes(id)),
    );
    expect(mails).toHaveLength(1);
    const waiting = after.filter((i) => i.state === 'PROPOSED').length;
    expect(waiting).toBeGreaterThan(0);
    expect(mails[0]!.body.text).toContain(`Still waiting for the approvers (not in this mail): ${waiting}`);
    expect(mails[0]!.body.text).toContain('Approved by configuration (approval.autoApprove).');
    const csv = attachmentText(mails[0]!.attachments.find((a) => a.filename?.startsWith('results-'))!);
    expect(csv.trim().split(/\r?\n/)).toHaveLength(auto.size + 1);
  });
});
