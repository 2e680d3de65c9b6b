/**
 * Issue 10 acceptance: a simulated month. Plan every night, approve and execute twice (before and
 * after the billing day, the 15th), advance the injected clock day by day; every snapshot in
 * DynamoDB Local must equal the Atlassian simulator's own counts, under both Guard tiers, and the
 * report's savings must equal the executed deactivations and nonbillable moves times the price,
 * starting in the next billing period.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FinanceSnapshot, MonthlyReportOptions, ReportSummary } from '../../lambdas/reports/index.js';
import { buildMonthlyReport } from '../../lambdas/reports/index.js';
import { runPlan } from '../../lambdas/plan/index.js';
import { SesMailer } from '../../lambdas/mail/index.js';
import { runExecutionLocally } from '../../local/execution-engine.js';
import { syntheticOrg } from '../sim/org/index.js';
import { makeConfig } from '../helpers/config.js';
import { executionWorld, type ExecWorld } from '../helpers/execute.js';
import { approveSome, financeWorld, simBilled, simCounts, type SimCounts, type Tier } from '../helpers/finance.js';
import { sesClient } from '../helpers/local.js';

const DAY = 86_400_000;
const PRICE = 5;
const START = Date.parse('2026-11-01T02:00:00Z');
/** Days (from 1 November) with an execution: the 4th (before the billing day) and the 21st (after). */
const EXECUTION_DAYS = [3, 20];

interface Taken {
  readonly snapshot: FinanceSnapshot;
  readonly sim: SimCounts;
}

describe.each<Tier>(['standard', 'premium'])('a simulated month on Guard %s', { timeout: 300_000 }, (tier) => {
  const org = syntheticOrg({ size: 300, seed: 47 });
  const config = makeConfig((c) => {
    c.caps = { maxActionsPerRun: 5_000, maxPercentOfOrg: 75 };
    c.execution = { warnBeforeDays: 0, chunkSize: 50 };
    c.approval.autoApprove = [];
    c.finance = { ...c.finance, tier, billingDay: 15, timeZone: 'UTC', seatPrice: PRICE, currency: 'EUR' };
  });
  let w: ExecWorld;
  const taken: Taken[] = [];
  /** Per execution: seats the simulator says it freed and added (per account, billed before vs after). */
  const executed: { at: number; freed: number; added: number; deactivated: number; toNonbillable: number }[] = [];
  const reports: Record<string, ReportSummary> = {};

  beforeAll(async () => {
    w = await executionWorld(org, config, { taskDelayMs: 0 });
    const f = financeWorld(w);
    const people = () => w.atlassian.org.people;
    const latest = async () => {
      let last: FinanceSnapshot | undefined;
      for await (const s of f.stores.snapshots.range(config.orgId, new Date(0).toISOString(), '9999'))
        last = s as FinanceSnapshot;
      return last!;
    };
    const record = async () => taken.push({ snapshot: await latest(), sim: simCounts(people(), tier, org.policies) });
    const report = async (label: string) => {
      const options: MonthlyReportOptions = {
        orgId: config.orgId,
        settings: config.finance,
        policies: config.policies,
        from: config.approval.from,
      };
      const deps = { ...f.stores, mailer: new SesMailer(sesClient()), clock: w.clock };
      reports[label] = (await buildMonthlyReport(deps, options)).summary;
    };
    for (let d = 0; d <= 30; d++) {
      if (w.clock.now() < START + d * DAY) w.clock.advance(START + d * DAY - w.clock.now());
      const plan = await runPlan(f.plan, { runId: `night-${d}` });
      await record();
      if (EXECUTION_DAYS.includes(d) && plan.proposalId) {
        w.clock.advance(3_600_000);
        const chosen = await approveSome(w, plan.proposalId, (_i, n) => n % 4 === 0);
        const before = new Map(people().map((p) => [p.accountId, simBilled(p, tier, org.policies)]));
        await runExecutionLocally(f.exec, { proposalId: plan.proposalId });
        const done = (await w.items(plan.proposalId)).filter((i) => i.state === 'DONE');
        const after = new Map(people().map((p) => [p.accountId, simBilled(p, tier, org.policies)]));
        executed.push({
          at: w.clock.now(),
          freed: done.filter((i) => before.get(i.accountId) && !after.get(i.accountId)).length,
          added: done.filter((i) => !before.get(i.accountId) && after.get(i.accountId)).length,
          deactivated: done.filter((i) => i.action === 'DEACTIVATE').length,
          toNonbillable: done.filter((i) => i.action === 'MOVE_TO_NONBILLABLE').length,
        });
        expect(chosen.length).toBeGreaterThan(5);
        await record();
      }
      if (d === 9) await report('nov10');
      if (d === 15) await report('nov16');
      if (d === 30) await report('dec1');
    }
    console.log(`Guard ${tier}: ${taken.length} snapshots; executions ${JSON.stringify(executed)}`);
  }, 900_000);
  afterAll(() => w?.stop());

  it('writes a snapshot every night and after each execution, each equal to the simulator’s own counts', () => {
    expect(taken).toHaveLength(31 + EXECUTION_DAYS.length);
    for (const { snapshot: s, sim } of taken) {
      const at = s.takenAt;
      expect(s.tier, at).toBe(tier);
      expect(s.managed, at).toBe(sim.managed);
      expect(s.active, at).toBe(sim.active);
      expect(s.deactivated, at).toBe(sim.deactivated);
      expect(s.billable, at).toBe(sim.billable);
      expect(s.byPolicyClass.billable, at).toBe(sim.activeBillablePolicy);
      expect(s.byPolicyClass.nonbillable, at).toBe(sim.activeNonbillablePolicy);
      // Seven departments and "(none)": within topDepartments (8), so none is summed as "Other".
      expect(s.byDepartment, at).toEqual(sim.billedByDepartment);
    }
    // The executions changed the counts: the oracle is not trivially constant.
    expect(new Set(taken.map((t) => t.sim.billable)).size).toBeGreaterThan(1);
  });

  it('carries the changes executed since the previous snapshot in the snapshot right after the execution', () => {
    const afterExec = taken.filter((t) => t.snapshot.runId.startsWith('exec-'));
    expect(afterExec).toHaveLength(2);
    afterExec.forEach(({ snapshot: s }, n) => {
      const e = executed[n]!;
      expect(s.changes).toMatchObject({
        deactivated: e.deactivated,
        movedToNonbillable: e.toNonbillable,
        seatsFreed: e.freed,
        seatsAdded: e.added,
      });
      expect(e.freed).toBeGreaterThan(0);
    });
    // The next night's snapshot counts none of them again.
    const nights = taken.filter((t) => t.snapshot.runId.startsWith('night-'));
    for (const { snapshot: s } of nights) expect(s.changes.seatsFreed + s.changes.deactivated, s.runId).toBe(0);
  });

  it('attributes the savings to the next billing period, never the current one', () => {
    const [first, second] = executed as [(typeof executed)[0], (typeof executed)[0]];
    const net = (e: typeof first) => (e.freed - e.added) * PRICE;
    // 10 November: the 4 November changes are in the period that started 15 October.
    expect(reports.nov10!.period.firstDay).toBe('2026-10-15');
    expect(reports.nov10!.savingsThisPeriod.amount).toBe(0);
    expect(reports.nov10!.savingsNextPeriod.amount).toBe(net(first));
    // 16 November: a new period; the saving shows in it.
    expect(reports.nov16!.period.firstDay).toBe('2026-11-15');
    expect(reports.nov16!.savingsThisPeriod.amount).toBe(net(first));
    expect(reports.nov16!.savingsThisPeriod.seatsFreed).toBe(first.freed);
    // 1 December: the 21 November changes save from 15 December on.
    expect(reports.dec1!.savingsThisPeriod.amount).toBe(net(first));
    expect(reports.dec1!.savingsNextPeriod.amount).toBe(net(first) + net(second));
    expect(reports.dec1!.executedThisPeriod.seatsFreed).toBe(second.freed);
  });

  it('bills each period on the count at its start, and the latest count next period', () => {
    const firstInPeriod = taken.find((t) => t.snapshot.takenAt >= '2026-11-15T00:00:00.000Z')!;
    expect(reports.nov16!.billedNow.quantity).toBe(firstInPeriod.sim.billable);
    expect(reports.dec1!.nextPeriod.quantity).toBe(taken.at(-1)!.sim.billable);
  });
});
