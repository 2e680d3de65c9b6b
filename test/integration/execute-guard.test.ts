/**
 * The execution guard (issue 9, DESIGN "Safety rules"): nothing is ever called for the items of an
 * EXPIRED, REJECTED or ABANDONED proposal, nor of an over-cap (suspicious) proposal that was not
 * approved with the explicit override, even when its items are APPROVED. The machine fails, records
 * the failure (EXECUTION_FAILED audit, alert mail) and the simulator sees no change at all.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProposalStatus } from '../../lambdas/domain/index.js';
import { runStep } from '../../lambdas/execute/index.js';
import { runExecutionLocally } from '../../local/execution-engine.js';
import { syntheticOrg } from '../sim/org/index.js';
import { executionWorld, type ExecWorld } from '../helpers/execute.js';
import { outboxFor } from '../helpers/local.js';
import { scenarioConfig, uniqueRunId } from '../helpers/execute-scenarios.js';

const org = syntheticOrg({ size: 150, seed: 93, scimSyncedShare: 0 });
const config = scenarioConfig();

describe('execution guard', () => {
  let w: ExecWorld;
  beforeAll(async () => {
    w = await executionWorld(org, config, { taskDelayMs: 0 });
  }, 900_000);
  afterAll(() => w?.stop());

  /** Casts one approver's ballot through the token store, as the review site does. */
  async function ballot(proposalId: string, approver: string, override: boolean) {
    const raw = randomUUID();
    const tokenHash = createHash('sha256').update(raw).digest('hex');
    const meta = await w.store.get(proposalId);
    const nowS = Math.floor(w.clock.now() / 1000);
    const tokens = w.exec.ballots as unknown as {
      put(t: unknown): Promise<void>;
      castBallot(h: string, b: unknown, now: number): Promise<void>;
    };
    await tokens.put({
      tokenHash,
      proposalId,
      approver,
      contentHash: meta!.contentHash,
      issuedAt: new Date(w.clock.now()).toISOString(),
      expiresAt: nowS + 3600,
    });
    await tokens.castBallot(
      tokenHash,
      {
        proposalId,
        approver,
        decision: 'approve',
        deselected: [],
        override,
        castAt: new Date(w.clock.now()).toISOString(),
        tokenRef: tokenHash.slice(0, 8),
      },
      nowS,
    );
  }

  /** Runs the machine and expects it to refuse: rejects, zero mutations, items untouched, failure recorded. */
  async function expectRefused(proposalId: string, why: RegExp) {
    const before = w.atlassian.mutations().length;
    const requestsBefore = w.atlassian.requests().length;
    const itemsBefore = (await w.items(proposalId)).map((i) => `${i.accountId}:${i.state}`).sort();
    let outcome: unknown;
    await runExecutionLocally(w.exec, { proposalId }).then(
      (out) => (outcome = { resolved: out }),
      (err: unknown) => (outcome = { rejected: err }),
    );
    expect(outcome, JSON.stringify(outcome)).toHaveProperty('rejected');
    expect(w.atlassian.mutations().length).toBe(before);
    const writes = w.atlassian
      .requests()
      .slice(requestsBefore)
      .filter((r) => r.endpointClass === 'user-write' || r.template.endsWith('/add-users'));
    expect(writes).toEqual([]);
    const itemsAfter = (await w.items(proposalId)).map((i) => `${i.accountId}:${i.state}`).sort();
    expect(itemsAfter).toEqual(itemsBefore);
    const audit = await w.audit(`execution#${proposalId}`);
    const failed = audit.filter((r) => r.event === 'EXECUTION_FAILED');
    expect(failed).toHaveLength(1);
    expect(String((failed[0]!.details as { message?: string }).message)).toMatch(why);
    expect(audit.filter((r) => r.event === 'INTENT' || r.event === 'RESULT')).toEqual([]);
    const alerts = (await outboxFor(config.approval.approvers[0]!)).filter((m) =>
      `${m.subject}\n${m.body.text ?? ''}`.includes(proposalId),
    );
    expect(alerts.length).toBeGreaterThanOrEqual(1);
  }

  it.each(['EXPIRED', 'REJECTED', 'ABANDONED'] as const)(
    'a %s proposal whose items are APPROVED is never executed',
    async (status: ProposalStatus) => {
      const id = await w.planAndApprove(uniqueRunId(`guard-${status.toLowerCase()}`));
      await w.store.setStatus(id, ['APPROVED'], status);
      expect((await w.items(id)).every((i) => i.state === 'APPROVED')).toBe(true);
      await expectRefused(id, new RegExp(`is ${status}, not APPROVED`));
    },
  );

  it('an over-cap proposal approved with no ballot at all is never executed', async () => {
    const id = await w.planAndApprove(uniqueRunId('guard-overcap'));
    await w.store.setStatus(id, ['APPROVED'], 'APPROVED', { suspicious: true, suspiciousReasons: ['test: over cap'] });
    await expectRefused(id, /over the caps/);
  });

  it('an over-cap proposal is not executed when one approving approver did not tick the override', async () => {
    const id = await w.planAndApprove(uniqueRunId('guard-overcap-partial'));
    await w.store.setStatus(id, ['APPROVED'], 'APPROVED', { suspicious: true, suspiciousReasons: ['test: over cap'] });
    await ballot(id, config.approval.approvers[0]!, true);
    await ballot(id, config.approval.approvers[1]!, false);
    await expectRefused(id, /over the caps/);
  });

  it('a proposal decided after it expired is never executed', async () => {
    const id = await w.planAndApprove(uniqueRunId('guard-late'));
    const decided = new Date(w.clock.now()).toISOString();
    const expired = new Date(w.clock.now() - 60_000).toISOString();
    await w.store.setStatus(id, ['APPROVED'], 'APPROVED', { expiresAt: expired, decidedAt: decided });
    await expectRefused(id, /after the proposal expired/);
  });

  it('a proposal that stops being APPROVED after its chunks were prepared is not executed (checked per chunk)', async () => {
    const id = await w.planAndApprove(uniqueRunId('guard-midway'));
    const prepared = (await runStep(w.exec, { step: 'prepare', proposalId: id })) as unknown as { chunks: number[] };
    expect(prepared.chunks.length).toBeGreaterThan(1);
    await w.store.setStatus(id, ['APPROVED'], 'REJECTED');
    const before = w.atlassian.mutations().length;
    await expect(runStep(w.exec, { step: 'chunk', proposalId: id, round: 'main', index: 0 })).rejects.toThrow(
      /REJECTED, not APPROVED/,
    );
    expect(w.atlassian.mutations().length).toBe(before);
    await expectRefused(id, /REJECTED, not APPROVED/);
  });

  it('positive control: the same over-cap proposal runs once every approving approver ticked the override', async () => {
    expect(w.atlassian.mutations()).toEqual([]);
    const id = await w.planAndApprove(uniqueRunId('guard-override'));
    await w.store.setStatus(id, ['APPROVED'], 'APPROVED', { suspicious: true, suspiciousReasons: ['test: over cap'] });
    await ballot(id, config.approval.approvers[0]!, true);
    await ballot(id, config.approval.approvers[1]!, true);
    await runExecutionLocally(w.exec, { proposalId: id });
    expect(w.atlassian.mutations().filter((m) => m.outcome === 'applied').length).toBeGreaterThan(0);
    expect((await w.items(id)).filter((i) => i.state === 'APPROVED' || i.state === 'IN_FLIGHT')).toEqual([]);
  });
});
