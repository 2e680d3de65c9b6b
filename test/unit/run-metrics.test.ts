/** What each handler counts (lambdas/wiring/run-metrics.ts). */
import { describe, expect, it } from 'vitest';
import { apiDelta, expiryMetrics, planMetrics, stepMetrics } from '../../lambdas/wiring/run-metrics.js';

const byName = (points: { name: string; value: number }[]) => Object.fromEntries(points.map((p) => [p.name, p.value]));
const tally = { managed: 300, actions: 42, byAction: {}, byExclusion: {}, byMissing: {}, kept: 250, needsData: 8 };

describe('planMetrics', () => {
  it('counts the run, the accounts read, the items proposed, the API use of this invocation and the wall time', () => {
    const points = planMetrics(
      { status: 'proposed', tally },
      apiDelta({ requests: 10, throttled: 1 }, { requests: 35, throttled: 4 }),
      1500,
    );
    expect(byName(points)).toEqual({
      PlanRuns: 1,
      AccountsRead: 300,
      ItemsProposed: 42,
      ApiRequests: 25,
      ApiThrottles: 3,
      PlanWallTime: 1500,
    });
    expect(points.find((p) => p.name === 'PlanWallTime')!.unit).toBe('Milliseconds');
  });
  it('counts a run without a tally (a duplicate) as a run only', () => {
    expect(byName(planMetrics({ status: 'duplicate' }, undefined, 20))).toEqual({ PlanRuns: 1, PlanWallTime: 20 });
  });
});

describe('stepMetrics', () => {
  it('counts the approved items of a freshly prepared round, not of a resumed one', () => {
    const prepared = { proposalId: 'p', round: 'main', chunks: [0, 1], itemCount: 120, resumed: false };
    expect(byName(stepMetrics(prepared, { requests: 0, throttled: 0 }))).toEqual({
      ItemsApproved: 120,
      ApiRequests: 0,
      ApiThrottles: 0,
    });
    expect(byName(stepMetrics({ ...prepared, resumed: true }, undefined))).toEqual({});
  });
  it("counts a finished round's done, failed and skipped items", () => {
    const finish = {
      proposalId: 'p',
      round: 'main',
      outcome: { done: 7, failed: 2, skipped: 1, handedOff: 0, waiting: 0 },
      mailed: true,
    };
    expect(byName(stepMetrics(finish, undefined))).toEqual({ ItemsDone: 7, ItemsFailed: 2, ItemsSkipped: 1 });
  });
});

describe('expiryMetrics', () => {
  it('counts the proposals expired undecided, zero included', () => {
    expect(byName(expiryMetrics({ expired: [{ proposalId: 'a', items: 3 }] }))).toEqual({ ProposalsExpired: 1 });
    expect(byName(expiryMetrics({ expired: [] }))).toEqual({ ProposalsExpired: 0 });
  });
});
