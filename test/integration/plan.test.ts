import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPlan } from '../../lambdas/plan/index.js';
import { LockHeldError, type AuditRecord, type ProposalItem } from '../../lambdas/domain/index.js';
import { AuditReader, DynamoProposalStore } from '../../lambdas/store/index.js';
import { syntheticOrg } from '../sim/org/index.js';
import { makeConfig } from '../helpers/config.js';
import { oracleProposal } from '../helpers/plan-oracle.js';
import { planWorld, type PlanWorld } from '../helpers/plan.js';

const org = syntheticOrg({ size: 5_000, seed: 11 });
const config = makeConfig((c) => {
  c.caps = { maxActionsPerRun: 5_000, maxPercentOfOrg: 75 };
});

async function items(w: PlanWorld, proposalId: string): Promise<ProposalItem[]> {
  const out: ProposalItem[] = [];
  for await (const i of new DynamoProposalStore(w.db, w.tables.state, w.clock).items(proposalId)) out.push(i);
  return out;
}

async function stream(w: PlanWorld, name: string): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  for await (const r of new AuditReader(w.db, w.tables.audit).stream(name)) out.push(r);
  return out;
}

describe('nightly plan on a 5,000-user synthetic org', () => {
  let w: PlanWorld;
  beforeAll(async () => {
    w = await planWorld(org, config);
  });
  afterAll(() => w.stop());

  it('proposes exactly what an independent computation of the rules expects, each with reason and evidence', async () => {
    const result = await runPlan(w.deps, { runId: 'sched-2026-11-01' });
    expect(result.status).toBe('proposed');
    const expected = oracleProposal(org, config, w.clock.now());
    const got = await items(w, result.proposalId!);
    const actual = new Map(got.map((i) => [i.accountId, i.action]));
    const diff = [...new Set([...expected.keys(), ...actual.keys()])]
      .filter((id) => expected.get(id) !== actual.get(id))
      .map((id) => ({ id, expected: expected.get(id), actual: actual.get(id) }));
    expect(diff).toEqual([]);
    expect(got.length).toBeGreaterThan(1_000);
    for (const action of ['DEACTIVATE', 'MOVE_TO_NONBILLABLE', 'MOVE_TO_BILLABLE'])
      expect(got.some((i) => i.action === action)).toBe(true);
    for (const i of got) {
      expect(i.state).toBe('PROPOSED');
      expect(i.reason).toMatch(/^[A-Z_]+$/);
      expect(i.summary.length).toBeGreaterThan(10);
      expect(i.evidence).toMatchObject({ timeZone: 'Europe/Berlin', staleAfterDays: 90 });
    }
    const never = new Set(
      org.people
        .filter(
          (p) =>
            p.breakGlass ||
            p.orgAdmin ||
            p.accountType === 'app' ||
            p.atlassianEmail.endsWith('@partner.example.org') ||
            p.entra?.groups.includes(org.groups.exclusion),
        )
        .map((p) => p.accountId),
    );
    expect(never.size).toBeGreaterThan(100);
    expect(got.filter((i) => never.has(i.accountId))).toEqual([]);
    expect(w.handedOff.map((p) => p.proposalId)).toEqual([result.proposalId]);
    expect(w.handedOff[0]).toMatchObject({ status: 'READY', itemCount: got.length, suspicious: false });
    console.info(
      `plan 5,000 users: ${got.length} items ${JSON.stringify(result.tally?.byAction)}; Atlassian requests ${w.atlassian.counters().total} (${JSON.stringify(w.atlassian.counters().byEndpoint)})`,
    );
  });

  it('audits every step and every proposed item in a chain that verifies, and detects tampering', async () => {
    const records = await stream(w, 'RUN#sched-2026-11-01#1');
    const events = records.map((r) => r.event);
    expect(events[0]).toBe('PLAN_STARTED');
    expect(events.at(-1)).toBe('PLAN_FINISHED');
    const proposedIds = new Set(records.filter((r) => r.event === 'ITEM_PROPOSED').map((r) => r.accountId));
    expect(proposedIds.size).toBe((await items(w, 'sched-2026-11-01')).length);
    const reader = new AuditReader(w.db, w.tables.audit);
    expect(await reader.verify('RUN#sched-2026-11-01#1')).toMatchObject({ ok: true, records: records.length });
    let forProposal = 0;
    for await (const r of reader.byProposal('sched-2026-11-01'))
      forProposal += r.proposalId === 'sched-2026-11-01' ? 1 : 0;
    expect(forProposal).toBe(records.length);
    await w.db.send(
      new UpdateItemCommand({
        TableName: w.tables.audit,
        Key: { stream: { S: 'RUN#sched-2026-11-01#1' }, seq: { N: '5' } },
        UpdateExpression: 'SET #a = :a',
        ExpressionAttributeNames: { '#a': 'action' },
        ExpressionAttributeValues: { ':a': { S: 'MOVE_TO_BILLABLE' } },
      }),
    );
    expect(await reader.verify('RUN#sched-2026-11-01#1')).toMatchObject({
      ok: false,
      problem: { seq: 5, kind: 'hash' },
    });
  });

  it('takes a seat snapshot that adds up', async () => {
    const run = await w.deps.runs.get('sched-2026-11-01');
    const seats = (run?.summary as { seats: { managed: number; billable: number; active: number } }).seats;
    expect(seats.managed).toBe(org.people.filter((p) => p.accountType === 'atlassian').length);
    expect(seats.billable).toBeLessThanOrEqual(seats.active);
    expect(seats.billable).toBeGreaterThan(0);
  });

  it('re-delivering the same run id creates no second proposal and hands nothing off again', async () => {
    const before = await w.proposalIds();
    const again = await runPlan(w.deps, { runId: 'sched-2026-11-01' });
    expect(again.status).toBe('duplicate');
    expect(again.proposalId).toBe('sched-2026-11-01');
    expect(await w.proposalIds()).toEqual(before);
    expect(w.handedOff).toHaveLength(1);
  });

  it('refuses a second run while one holds the lock', async () => {
    await w.deps.locks.acquire(`plan#${config.orgId}`, 'someone-else', 60_000);
    await expect(runPlan(w.deps, { runId: 'sched-overlap' })).rejects.toBeInstanceOf(LockHeldError);
    expect(await w.deps.runs.get('sched-overlap')).toBeUndefined();
    await w.deps.locks.release(`plan#${config.orgId}`, 'someone-else');
  });

  it('a dry run writes nothing but one audit record', async () => {
    const before = await w.proposalIds();
    const result = await runPlan(w.deps, { runId: 'dry-1', dryRun: true });
    expect(result.status).toBe('dry-run');
    expect(result.items!.length).toBeGreaterThan(1_000);
    expect(await w.proposalIds()).toEqual(before);
    expect(await w.deps.runs.get('dry-1')).toBeUndefined();
    expect((await stream(w, 'DRYRUN#dry-1')).map((r) => r.event)).toEqual(['PLAN_DRY_RUN']);
  });
});

describe('plan failures and safety', () => {
  it('a crash mid-plan leaves no proposal complete, and the next delivery starts cleanly', async () => {
    const w = await planWorld(org, config, {
      faults: { 'users-read': { malformedPages: { kind: 'missing-field', pages: [20] } } },
    });
    try {
      await expect(runPlan(w.deps, { runId: 'crashy' })).rejects.toThrow(/does not match the documented schema/);
      expect(await w.deps.proposals.get('crashy')).toMatchObject({ status: 'ABANDONED' });
      expect(await w.deps.runs.get('crashy')).toMatchObject({ status: 'FAILED', attempt: 1 });
      expect(w.handedOff).toEqual([]);
      w.atlassian.setFaults('users-read', undefined);
      const second = await runPlan(w.deps, { runId: 'crashy' });
      expect(second).toMatchObject({ status: 'proposed', attempt: 2, proposalId: 'crashy-a2' });
      expect(await w.deps.proposals.get('crashy')).toMatchObject({ status: 'ABANDONED' });
      expect(w.handedOff.map((p) => p.proposalId)).toEqual(['crashy-a2']);
      expect((await stream(w, 'RUN#crashy#1')).map((r) => r.event)).toContain('PLAN_FAILED');
      expect(w.alerts).toEqual([
        {
          runId: 'crashy',
          kind: 'failed',
          reasons: [expect.stringContaining('does not match the documented schema')],
          at: expect.any(Number),
        },
      ]);
    } finally {
      await w.stop();
    }
  });

  it('a hard-killed run (lock still leased, run STARTED, proposal BUILDING) is taken over by its retry', async () => {
    const w = await planWorld(syntheticOrg({ size: 200, seed: 12 }), config);
    try {
      // What a timed-out invocation leaves: its lease (15 minutes), a STARTED run, a BUILDING proposal.
      await w.deps.locks.acquire(`plan#${config.orgId}`, 'killed/dead-invocation', 15 * 60_000);
      await w.deps.runs.start({
        runId: 'killed',
        kind: 'plan',
        status: 'STARTED',
        attempt: 1,
        startedAt: 'x',
        proposalId: 'killed',
      } as never);
      await w.deps.proposals.create({
        proposalId: 'killed',
        runId: 'killed',
        orgId: config.orgId,
        status: 'BUILDING',
        createdAt: 'x',
      });
      // Another run id still waits for the lease.
      await expect(runPlan(w.deps, { runId: 'other' })).rejects.toBeInstanceOf(LockHeldError);
      const retry = await runPlan(w.deps, { runId: 'killed' });
      expect(retry).toMatchObject({ status: 'proposed', attempt: 2, proposalId: 'killed-a2' });
      expect(await w.deps.proposals.get('killed')).toMatchObject({ status: 'ABANDONED' });
    } finally {
      await w.stop();
    }
  });

  it('a listing that repeats an account id fails the run and alerts, naming the account', async () => {
    const w = await planWorld(syntheticOrg({ size: 300, seed: 11 }), config);
    try {
      const people = w.atlassian.org.people;
      const twice = people.find((p) => !p.breakGlass && !p.orgAdmin && p.accountType === 'atlassian')!;
      people.push({ ...twice });
      await expect(runPlan(w.deps, { runId: 'dup' })).rejects.toThrow(twice.accountId);
      expect(await w.deps.proposals.get('dup')).toMatchObject({ status: 'ABANDONED' });
      expect(await w.deps.runs.get('dup')).toMatchObject({ status: 'FAILED' });
      expect(w.handedOff).toEqual([]);
      expect(w.alerts).toEqual([
        {
          runId: 'dup',
          kind: 'failed',
          reasons: [expect.stringContaining(`account ${twice.accountId} more than once`)],
          at: expect.any(Number),
        },
      ]);
    } finally {
      await w.stop();
    }
  });

  it('a failed mail leaves the run complete and its one proposal READY; the redelivery mails it', async () => {
    const w = await planWorld(syntheticOrg({ size: 300, seed: 11 }), config);
    try {
      let calls = 0;
      const flaky = {
        ...w.deps,
        handoff: async (p: Parameters<NonNullable<typeof w.deps.handoff>>[0]) => {
          calls += 1;
          if (calls === 1) throw new Error('SES throttled the send');
          await w.deps.handoff!(p);
        },
      };
      await expect(runPlan(flaky, { runId: 'mail-fails' })).rejects.toThrow(/SES throttled/);
      expect(await w.deps.runs.get('mail-fails')).toMatchObject({ status: 'COMPLETE', attempt: 1 });
      expect(await w.deps.proposals.get('mail-fails')).toMatchObject({ status: 'READY' });
      expect(w.alerts).toEqual([]);
      const again = await runPlan(flaky, { runId: 'mail-fails' });
      expect(again).toMatchObject({ status: 'duplicate', proposalId: 'mail-fails' });
      expect(w.handedOff.map((p) => p.proposalId)).toEqual(['mail-fails']);
      expect(await w.proposalIds()).toEqual(['mail-fails']);
    } finally {
      await w.stop();
    }
  });

  it('a run with nothing to propose closes its proposal as EMPTY and mails nothing', async () => {
    const w = await planWorld(syntheticOrg({ size: 2, seed: 11 }), config);
    try {
      const result = await runPlan(w.deps, { runId: 'nothing' });
      expect(result.status).toBe('empty');
      expect(await w.deps.proposals.get('nothing')).toMatchObject({ status: 'EMPTY', itemCount: 0 });
      expect(w.handedOff).toEqual([]);
    } finally {
      await w.stop();
    }
  });

  it('a break-glass account in the SSO-enforced policy blocks the run: alert, no proposal', async () => {
    const w = await planWorld(org, config);
    try {
      w.atlassian.org.people[0]!.policyId = org.policies.billableId;
      const result = await runPlan(w.deps, { runId: 'bg-1' });
      expect(result.status).toBe('blocked');
      expect(result.reasons.join(' ')).toMatch(/breakglass-1@example.com.*SSO-enforced billable policy/);
      expect(await w.proposalIds()).toEqual([]);
      expect((await stream(w, 'RUN#bg-1#1')).map((r) => r.event)).toEqual([
        'PLAN_STARTED',
        'SAFETY_ALERT',
        'PLAN_FINISHED',
      ]);
      expect(w.handedOff).toEqual([]);
      expect(w.alerts.map((a) => [a.runId, a.kind])).toEqual([['bg-1', 'blocked']]);
      expect(w.alerts[0]!.reasons.join(' ')).toContain('breakglass-1@example.com');
    } finally {
      await w.stop();
    }
  });

  it('a missing or deactivated break-glass account blocks the run too', async () => {
    const w = await planWorld(org, config);
    try {
      w.atlassian.org.people[1]!.accountStatus = 'inactive';
      const result = await runPlan(w.deps, { runId: 'bg-2' });
      expect(result.status).toBe('blocked');
      expect(result.reasons.join(' ')).toMatch(/breakglass-2@example.com.*inactive/);
    } finally {
      await w.stop();
    }
  });

  it('a proposal over the caps is marked suspicious and needs an override', async () => {
    const tight = makeConfig((c) => {
      c.caps = { maxActionsPerRun: 100, maxPercentOfOrg: 10 };
    });
    const w = await planWorld(syntheticOrg({ size: 600, seed: 11 }), tight);
    try {
      const result = await runPlan(w.deps, { runId: 'caps-1' });
      expect(result.status).toBe('needs-override');
      expect(result.reasons.join(' ')).toMatch(/exceed caps.maxActionsPerRun/);
      expect(await w.deps.proposals.get('caps-1')).toMatchObject({ status: 'READY', suspicious: true });
    } finally {
      await w.stop();
    }
  });
});
