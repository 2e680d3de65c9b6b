/**
 * Issue 17 item 2: the run id is checked before anything is written, and the run record and its
 * first audit record are one step: a failure there leaves neither, and the next attempt proposes
 * once, as attempt 1.
 */
import { PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPlan, type PlanDeps } from '../../lambdas/plan/index.js';
import { AuditReader, DynamoRunStore } from '../../lambdas/store/index.js';
import type { AuditRecord } from '../../lambdas/domain/index.js';
import { syntheticOrg } from '../sim/org/index.js';
import { makeConfig } from '../helpers/config.js';
import { planWorld, type PlanWorld } from '../helpers/plan.js';

const org = syntheticOrg({ size: 120, seed: 17 });
const config = makeConfig((c) => {
  c.caps = { maxActionsPerRun: 5_000, maxPercentOfOrg: 75 };
});

describe('plan run start', () => {
  let w: PlanWorld;
  beforeAll(async () => {
    w = await planWorld(org, config);
  }, 120_000);
  afterAll(() => w?.stop());

  const rows = async (table: string) => (await w.db.send(new ScanCommand({ TableName: table }))).Items ?? [];
  const stream = async (name: string) => {
    const out: AuditRecord[] = [];
    for await (const r of new AuditReader(w.db, w.tables.audit).stream(name)) out.push(r);
    return out;
  };
  const countAll = async () => (await rows(w.tables.state)).length + (await rows(w.tables.audit)).length;

  it.each([
    ['an empty', '', 'is empty'],
    ['a 3,000-character', 'x'.repeat(3_000), 'has 3000 characters; at most 200'],
    ["a '#' in the", 'a#b', 'has characters other than'],
  ])('refuses %s run id before writing anything', async (_label, runId, message) => {
    const before = await countAll();
    await expect(runPlan(w.deps, { runId })).rejects.toThrow(message);
    await expect(runPlan(w.deps, { runId, dryRun: true })).rejects.toThrow(message);
    expect(await countAll()).toBe(before);
  });

  it('writes neither the run record nor its audit record when that step fails, and the next attempt proposes once', async () => {
    const runId = 'start-fails-2026-11-01';
    // The audit half of the step fails (its table cannot be written): the run record must not stay behind.
    const broken: PlanDeps = { ...w.deps, runs: new DynamoRunStore(w.db, w.tables.state, 'no-such-audit-table') };
    await expect(runPlan(broken, { runId })).rejects.toThrow();
    expect(await w.deps.runs.get(runId)).toBeUndefined();
    expect(await stream(`RUN#${runId}#1`)).toEqual([]);
    expect(await w.proposalIds()).not.toContain(runId);

    const second = await runPlan(w.deps, { runId });
    expect([second.status, second.attempt, second.proposalId]).toEqual(['proposed', 1, runId]);
    const records = await stream(`RUN#${runId}#1`);
    expect(records[0]).toMatchObject({ seq: 1, event: 'PLAN_STARTED', runId, proposalId: runId });
    expect(records.at(-1)).toMatchObject({ event: 'PLAN_FINISHED', outcome: 'proposed' });
    expect(await w.deps.runs.get(runId)).toMatchObject({ status: 'COMPLETE', attempt: 1 });
    expect((await w.proposalIds()).filter((id) => id.startsWith(runId))).toEqual([runId]);
    const verdict = await new AuditReader(w.db, w.tables.audit).verify(`RUN#${runId}#1`);
    expect(verdict.ok).toBe(true);
  });

  it('writes neither when the audit stream already has a first record, and says the run conflicts', async () => {
    const runId = 'start-conflict-2026-11-02';
    await w.db.send(
      new PutItemCommand({
        TableName: w.tables.audit,
        Item: { stream: { S: `RUN#${runId}#1` }, seq: { N: '1' }, event: { S: 'LEFTOVER' } },
      }),
    );
    await expect(runPlan(w.deps, { runId })).rejects.toThrow();
    expect(await w.deps.runs.get(runId)).toBeUndefined();
    expect(await w.proposalIds()).not.toContain(runId);
  });
});
