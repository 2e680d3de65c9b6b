/**
 * Faults (issue 9): with 5xx, connection resets and a 429 storm on the write and policy endpoints,
 * an execution ends exactly as a clean run of the same org does, and no account is changed twice.
 * An add-users task with per-user failures marks exactly those items FAILED with the API's reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProposalItem } from '../../lambdas/domain/index.js';
import { runExecutionLocally } from '../../local/execution-engine.js';
import { INJECTED_FAILURE, type FaultConfig } from '../sim/atlassian/index.js';
import { syntheticOrg } from '../sim/org/index.js';
import { executionWorld, type ExecWorld } from '../helpers/execute.js';
import {
  appliedPerAccount,
  cleanOutcome,
  codeOf,
  messageOf,
  mutationsOf,
  outcomeDiff,
  outcomeMap,
  scenarioConfig,
  uniqueRunId,
} from '../helpers/execute-scenarios.js';

const config = scenarioConfig();

describe('execution under 5xx, connection resets and a 429 storm', () => {
  const org = syntheticOrg({ size: 400, seed: 94, scimSyncedShare: 0 });
  const runId = uniqueRunId('faults');
  let clean: Map<string, string>;
  let w: ExecWorld;
  let items: ProposalItem[];

  beforeAll(async () => {
    clean = await cleanOutcome(org, config, runId, { taskDelayMs: 0 });
    w = await executionWorld(org, config, { taskDelayMs: 0 });
    const id = await w.planAndApprove(runId);
    // Faults from after the approval: the plan is the same as the clean run's, only execution suffers.
    const faults: FaultConfig = { status5xxRate: 0.1, resetRate: 0.1, storm429: 25 };
    w.atlassian.setFaults('user-write', faults);
    w.atlassian.setFaults('policy', faults);
    await runExecutionLocally(w.exec, { proposalId: id });
    items = await w.items(id);
  }, 900_000);
  afterAll(() => w?.stop());

  it('the faults really happened', () => {
    const c = w.atlassian.counters();
    expect(c.throttled).toBeGreaterThanOrEqual(25);
    expect(c.resets).toBeGreaterThan(0);
    expect((c.byStatus['500'] ?? 0) + (c.byStatus['502'] ?? 0) + (c.byStatus['503'] ?? 0)).toBeGreaterThan(0);
  });

  it('ends with the same item states and reason codes as a clean run of the same org', () => {
    expect(clean.size).toBeGreaterThan(50);
    expect(outcomeDiff(clean, outcomeMap(items))).toEqual([]);
  });

  it('every DONE account has exactly one applied mutation, and nobody else has any', () => {
    const applied = appliedPerAccount(w);
    const done = items.filter((i) => i.state === 'DONE');
    expect(done.length).toBeGreaterThan(50);
    for (const i of done) expect(applied.get(i.accountId), i.accountId).toBe(1);
    const doneIds = new Set(done.map((i) => i.accountId));
    expect([...applied.keys()].filter((a) => !doneIds.has(a))).toEqual([]);
  });
});

describe('an add-users task with per-user failures', () => {
  const org = syntheticOrg({ size: 300, seed: 95, scimSyncedShare: 0 });
  let w: ExecWorld;
  let items: Map<string, ProposalItem>;
  let failing: ProposalItem[];
  let id: string;

  beforeAll(async () => {
    w = await executionWorld(org, config, { taskDelayMs: 0 });
    id = await w.planAndApprove(uniqueRunId('taskfail'));
    const moves = (await w.items(id)).filter((i) => i.action.startsWith('MOVE_TO_') && i.email);
    expect(moves.length).toBeGreaterThanOrEqual(6);
    // Every other move, in both directions where the plan has both; emails in another case than stored.
    failing = moves.filter((_, n) => n % 3 === 0);
    w.atlassian.setFaults('policy', { taskFailures: { emails: failing.map((i) => i.email!.toUpperCase()) } });
    await runExecutionLocally(w.exec, { proposalId: id });
    items = new Map((await w.items(id)).map((i) => [i.accountId, i]));
  }, 900_000);
  afterAll(() => w?.stop());

  it("marks exactly the failed users' items FAILED, with the simulator's reason", () => {
    for (const f of failing) {
      const i = items.get(f.accountId);
      expect(i?.state, f.accountId).toBe('FAILED');
      expect(codeOf(i)).toBe(INJECTED_FAILURE.title);
      expect(messageOf(i)).toBe(INJECTED_FAILURE.detail);
    }
    const failingIds = new Set(failing.map((i) => i.accountId));
    expect([...items.values()].filter((i) => i.state === 'FAILED' && !failingIds.has(i.accountId))).toEqual([]);
    const otherMoves = [...items.values()].filter(
      (i) => i.action.startsWith('MOVE_TO_') && !failingIds.has(i.accountId),
    );
    expect(otherMoves.filter((i) => i.state === 'DONE').length).toBeGreaterThan(0);
  });

  it('the failed users were not moved: one refused record each, nothing applied', () => {
    for (const f of failing) {
      const m = mutationsOf(w, f.accountId);
      expect(m.map((x) => x.outcome)).toEqual(['refused']);
      expect(w.atlassian.person(f.accountId)!.policyId).toBe(f.evidence.policyId);
    }
  });

  it('audits each failure as a RESULT FAILED after its INTENT', async () => {
    const records = await w.executionAudit(id);
    for (const f of failing) {
      const mine = records.filter((r) => r.accountId === f.accountId);
      expect(mine.map((r) => `${r.event}:${r.outcome}`)).toEqual(['INTENT:calling', 'RESULT:FAILED']);
      expect((mine[1]!.details as { code?: string }).code).toBe(INJECTED_FAILURE.title);
    }
  });
});
