/**
 * Undo (issue 9): reversing one account, then the whole executed proposal, restores the Atlassian
 * simulator's state for the proposal's accounts (status, membership, policy), each reversal made
 * once, through an undo proposal an operator approved (recorded) and the same execution engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProposalItem } from '../../lambdas/domain/index.js';
import { approveAsOperator, proposeUndo, UndoError, type UndoDeps } from '../../lambdas/execute/index.js';
import { runUndo } from '../../bin/undo-run.js';
import { runExecutionLocally } from '../../local/execution-engine.js';
import { syntheticOrg } from '../sim/org/index.js';
import { executionWorld, type ExecWorld } from '../helpers/execute.js';
import { mutationsOf, scenarioConfig, uniqueRunId } from '../helpers/execute-scenarios.js';

const org = syntheticOrg({ size: 400, seed: 98, scimSyncedShare: 0 });
const config = scenarioConfig();
/** Deactivated because Entra ID shows them disabled or gone: an undo never gives them access back. */
const leaver = (i: ProposalItem) => {
  const entra = i.evidence.entra as { accountEnabled?: boolean; found?: boolean } | undefined;
  return i.action === 'DEACTIVATE' && (entra?.accountEnabled === false || entra?.found === false);
};

interface SimState {
  readonly accountStatus: string;
  readonly membershipStatus: string | undefined;
  readonly policyId: string;
}

describe('undo', () => {
  let w: ExecWorld;
  let undoDeps: UndoDeps;
  let id: string;
  let done: ProposalItem[];
  let notDone: ProposalItem | undefined;
  const before = new Map<string, SimState>();
  const stateOf = (accountId: string): SimState => {
    const p = w.atlassian.person(accountId)!;
    return {
      accountStatus: p.accountStatus,
      membershipStatus: (p as { membershipStatus?: string }).membershipStatus,
      policyId: p.policyId,
    };
  };

  beforeAll(async () => {
    w = await executionWorld(org, config, { taskDelayMs: 0 });
    undoDeps = { config, clock: w.clock, proposals: w.store, audit: w.deps.audit };
    id = await w.planAndApprove(uniqueRunId('undo'));
    for (const i of await w.items(id)) before.set(i.accountId, stateOf(i.accountId));
    await runExecutionLocally(w.exec, { proposalId: id });
    const items = await w.items(id);
    done = items.filter((i) => i.state === 'DONE');
    notDone = items.find((i) => i.state !== 'DONE');
  }, 900_000);
  afterAll(() => w?.stop());

  it('the execution changed accounts of every kind', () => {
    const kinds = new Set(done.map((i) => i.action));
    expect(kinds).toEqual(new Set(['DEACTIVATE', 'MOVE_TO_NONBILLABLE', 'MOVE_TO_BILLABLE']));
    for (const i of done) expect(stateOf(i.accountId), i.accountId).not.toEqual(before.get(i.accountId));
  });

  it('refuses, with the reason, an account that was not changed and a proposal that does not exist', async () => {
    const bad = notDone ?? { accountId: 'no-such-account' };
    await expect(
      proposeUndo(undoDeps, {
        sourceProposalId: id,
        accountIds: [bad.accountId],
        requestedBy: 'operator:a@example.com',
      }),
    ).rejects.toThrow(new RegExp(`cannot undo: ${bad.accountId}`));
    await expect(
      proposeUndo(undoDeps, { sourceProposalId: 'nope', requestedBy: 'operator:a@example.com' }),
    ).rejects.toBeInstanceOf(UndoError);
    await expect(approveAsOperator(undoDeps, id, 'a@example.com')).rejects.toThrow(/not an undo proposal/);
  });

  it('undoes one account: that account is restored, nobody else is touched, the operator is recorded', async () => {
    const one = done.find((i) => i.action === 'DEACTIVATE' && !leaver(i))!;
    const mutationsBefore = w.atlassian.mutations().length;
    // The mode changed to suspend since: the account is deactivated, so the undo enables it (read, not guessed).
    const suspendMode = { ...config, deactivation: { ...config.deactivation, mode: 'suspend' as const } };
    const run = await runUndo({ exec: { ...w.exec, config: suspendMode }, undo: undoDeps }, id, [one.accountId], {
      kind: 'operator',
      operator: 'ops@example.com',
    });
    expect(run.executed?.status).toBe('done');
    expect(run.executed?.outcome).toMatchObject({ done: 1, failed: 0 });
    expect(stateOf(one.accountId)).toEqual(before.get(one.accountId));
    const newMutations = w.atlassian.mutations().slice(mutationsBefore);
    expect(newMutations.map((m) => [m.kind, m.accountId])).toEqual([['enable', one.accountId]]);

    expect(run.proposal).toMatchObject({ status: 'APPROVED', decidedBy: 'operator:ops@example.com', undoOf: id });
    const source = await w.audit(`PROPOSAL#${id}`);
    expect(source.filter((r) => r.event === 'UNDO_REQUESTED')).toMatchObject([
      { actor: 'operator:ops@example.com', details: { undoProposalId: run.proposal.proposalId } },
    ]);
    const undoAudit = await w.executionAudit(run.proposal.proposalId);
    expect(undoAudit.filter((r) => r.event === 'INTENT').map((r) => r.accountId)).toEqual([one.accountId]);
    expect(undoAudit.filter((r) => r.event === 'RESULT').map((r) => r.accountId)).toEqual([one.accountId]);

    // The same request again is the same proposal, already executed: nothing more happens.
    const again = await runUndo({ exec: w.exec, undo: undoDeps }, id, [one.accountId], {
      kind: 'operator',
      operator: 'ops@example.com',
    });
    expect(again.created).toBe(false);
    expect(again.proposal.proposalId).toBe(run.proposal.proposalId);
    expect(mutationsOf(w, one.accountId).filter((m) => m.kind === 'enable')).toHaveLength(1);
  });

  it("undoes the whole proposal: every changed account's state is as before, each reversed once", async () => {
    const mutationsBefore = w.atlassian.mutations().length;
    const run = await runUndo({ exec: w.exec, undo: undoDeps }, id, undefined, {
      kind: 'operator',
      operator: 'ops@example.com',
    });
    expect(run.executed?.status).toBe('done');
    expect(run.executed?.outcome.failed).toBe(0);
    // The account undone before is already active: skipped, not enabled twice. Leavers stay deactivated.
    const leavers = done.filter(leaver);
    expect(leavers.length).toBeGreaterThan(0);
    expect(run.executed?.outcome.skipped).toBe(1 + leavers.length);
    const undoItems = new Map((await w.items(run.proposal.proposalId)).map((i) => [i.accountId, i]));
    for (const l of leavers) {
      expect(undoItems.get(l.accountId)).toMatchObject({ state: 'SKIPPED', outcomeCode: 'LEFT_IN_ENTRA' });
      expect(w.atlassian.person(l.accountId)!.accountStatus).toBe('inactive');
    }
    for (const i of done.filter((x) => !leaver(x)))
      expect(stateOf(i.accountId), `${i.action} ${i.accountId}`).toEqual(before.get(i.accountId));
    const perAccount = new Map<string, number>();
    for (const m of w.atlassian.mutations().slice(mutationsBefore))
      perAccount.set(m.accountId ?? '', (perAccount.get(m.accountId ?? '') ?? 0) + 1);
    expect(perAccount.size).toBe(done.length - 1 - leavers.length);
    expect([...perAccount.values()].every((n) => n === 1)).toBe(true);
  });

  it('refuses to undo an undo', async () => {
    const asked = (await w.audit(`PROPOSAL#${id}`)).find((r) => r.event === 'UNDO_REQUESTED')!;
    const target = (asked.details as { undoProposalId: string }).undoProposalId;
    await expect(
      proposeUndo(undoDeps, { sourceProposalId: target, requestedBy: 'operator:a@example.com' }),
    ).rejects.toThrow(/is itself an undo/);
  });

  it('--propose leaves the undo proposal READY for the approvers and calls nothing', async () => {
    const some = done.filter((i) => i.action === 'MOVE_TO_NONBILLABLE').slice(0, 2);
    const sent: string[] = [];
    const mutationsBefore = w.atlassian.mutations().length;
    const run = await runUndo(
      { exec: w.exec, undo: undoDeps },
      id,
      some.map((i) => i.accountId),
      {
        kind: 'propose',
        requestedBy: 'cli:test',
        send: async (p) => void sent.push(p.proposalId),
      },
    );
    expect(run.executed).toBeUndefined();
    expect(run.proposal.status).toBe('READY');
    expect(sent).toEqual([run.proposal.proposalId]);
    const items = await w.items(run.proposal.proposalId);
    expect(items.map((i) => [i.action, i.state])).toEqual([
      ['MOVE_TO_BILLABLE', 'PROPOSED'],
      ['MOVE_TO_BILLABLE', 'PROPOSED'],
    ]);
    expect(w.atlassian.mutations().length).toBe(mutationsBefore);
    await expect(runExecutionLocally(w.exec, { proposalId: run.proposal.proposalId })).rejects.toThrow();
    expect(w.atlassian.mutations().length).toBe(mutationsBefore);
  });
});
