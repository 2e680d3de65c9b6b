import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProposalItem } from '../../lambdas/domain/index.js';
import { runExecutionLocally } from '../../local/execution-engine.js';
import { AuditReader } from '../../lambdas/store/index.js';
import { syntheticOrg } from '../sim/org/index.js';
import { makeConfig } from '../helpers/config.js';
import { executionWorld, type ExecWorld } from '../helpers/execute.js';

const org = syntheticOrg({ size: 3_800, seed: 21 });
const config = makeConfig((c) => {
  c.caps = { maxActionsPerRun: 5_000, maxPercentOfOrg: 75 };
  c.execution = { warnBeforeDays: 0, chunkSize: 250 };
});

/** Changes the simulator applied, per account id (add-users logs one record per moved user). */
function mutationsPerAccount(w: ExecWorld): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of w.atlassian.mutations())
    if (m.outcome === 'applied' && m.accountId) out.set(m.accountId, (out.get(m.accountId) ?? 0) + 1);
  return out;
}

describe('execution of a 2,000-item approved proposal on the local state machine', () => {
  let w: ExecWorld;
  let id: string;
  let items: ProposalItem[];
  beforeAll(async () => {
    w = await executionWorld(org, config, { taskDelayMs: 0 });
    id = await w.planAndApprove('exec-2026-11-01');
    await runExecutionLocally(w.exec, { proposalId: id });
    items = await w.items(id);
  }, 900_000);
  afterAll(() => w?.stop());

  it('acts on every approved account exactly once and on nobody else', () => {
    expect(items.length).toBeGreaterThanOrEqual(2_000);
    const counts = mutationsPerAccount(w);
    const done = items.filter((i) => i.state === 'DONE');
    expect(done.length).toBeGreaterThan(1_500);
    for (const i of done) expect(counts.get(i.accountId), i.accountId).toBe(1);
    const approved = new Set(items.map((i) => i.accountId));
    expect([...counts.keys()].filter((a) => !approved.has(a))).toEqual([]);
    expect(items.filter((i) => i.state === 'APPROVED' || i.state === 'IN_FLIGHT')).toEqual([]);
  });

  it('hands SCIM-synced accounts to the Entra admin: marked by the plan, never called', () => {
    const counts = mutationsPerAccount(w);
    const refused = new Set(
      w.atlassian
        .mutations()
        .filter((m) => m.outcome === 'refused')
        .map((m) => m.accountId),
    );
    const handedOff = items.filter((i) => i.state === 'HANDED_OFF');
    expect(handedOff.length).toBeGreaterThan(0);
    for (const i of handedOff) {
      expect(i.action).toBe('DEACTIVATE');
      expect(i.summary).toContain('SCIM');
      expect(w.atlassian.person(i.accountId)!.accountStatus).toBe('active');
      expect(counts.get(i.accountId)).toBeUndefined();
      expect(refused.has(i.accountId)).toBe(false);
    }
  });

  it('changes the simulator to what each item asked for', () => {
    for (const i of items.filter((x) => x.state === 'DONE')) {
      const p = w.atlassian.person(i.accountId)!;
      if (i.action === 'DEACTIVATE') expect(p.accountStatus).toBe('inactive');
      else if (i.action === 'MOVE_TO_NONBILLABLE') expect(p.policyId).toBe(config.policies.nonbillableId);
      else expect(p.policyId).toBe(config.policies.billableId);
    }
  });

  it('writes an INTENT before and a RESULT after every call, and every chain verifies', async () => {
    const records = await w.executionAudit(id);
    const intents = new Map(records.filter((r) => r.event === 'INTENT').map((r) => [r.accountId, r]));
    const results = new Map(records.filter((r) => r.event === 'RESULT').map((r) => [r.accountId, r]));
    for (const i of items.filter((x) => x.state === 'DONE' || x.state === 'FAILED')) {
      expect(intents.get(i.accountId), i.accountId).toBeDefined();
      expect(results.get(i.accountId)?.outcome).toBe(i.state);
      expect(Date.parse(intents.get(i.accountId)!.at)).toBeLessThanOrEqual(Date.parse(results.get(i.accountId)!.at));
    }
    const reader = new AuditReader(w.db, w.tables.audit);
    const streams = new Set(records.map((r) => r.stream));
    expect(streams.size).toBeGreaterThan(5);
    for (const s of streams) expect((await reader.verify(s)).ok, s).toBe(true);
  });

  it('a second run of the same proposal changes nothing', async () => {
    const before = w.atlassian.mutations().length;
    await runExecutionLocally(w.exec, { proposalId: id });
    expect(w.atlassian.mutations().length).toBe(before);
  });
});
