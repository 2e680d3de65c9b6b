import type { Config } from '../lambdas/config/index.js';
import type { PlanResult } from '../lambdas/plan/index.js';
import type { ChainVerdict } from '../lambdas/domain/index.js';

interface Report {
  readonly result: PlanResult;
  readonly config: Config;
  readonly atlassian: { total: number; byEndpoint: Readonly<Record<string, number>>; throttled: number };
  readonly graph: { byRoute: Readonly<Record<string, number>> };
  readonly audit: ChainVerdict;
}

const row = (label: string, value: string | number) => console.log(`  ${label.padEnd(34)} ${value}`);

/** The demo's summary: what the plan proposes and why, what it cost, and whether the audit verifies. */
export function printPlan({ result, config, atlassian, graph, audit }: Report): void {
  const t = result.tally;
  console.log(`\nProposal ${result.proposalId ?? '(none)'}: ${result.status}`);
  for (const r of result.reasons) console.log(`  ! ${r}`);
  if (t) {
    row('managed accounts read', t.managed);
    for (const [action, n] of Object.entries(t.byAction)) row(`  proposed ${action}`, n ?? 0);
    row('left alone (rules say keep)', t.kept);
    for (const [why, n] of Object.entries(t.byExclusion)) row(`  excluded: ${why}`, n ?? 0);
    for (const [what, n] of Object.entries(t.byMissing)) row(`  not decided, missing ${what}`, n ?? 0);
  }
  const s = result.seats;
  if (s) {
    row('Guard seats billed now', s.billable);
    const freed =
      (t?.byAction.DEACTIVATE ?? 0) + (t?.byAction.MOVE_TO_NONBILLABLE ?? 0) - (t?.byAction.MOVE_TO_BILLABLE ?? 0);
    const price = new Intl.NumberFormat('en-US', { style: 'currency', currency: config.finance.currency });
    row(
      'at most seats freed if approved',
      `${freed} (up to ${price.format(freed * config.finance.seatPrice)} a month)`,
    );
  }
  const perUser = t && t.managed > 0 ? (atlassian.total / t.managed).toFixed(4) : '-';
  row('Atlassian API requests', `${atlassian.total} (${perUser} per account, ${atlassian.throttled} throttled)`);
  for (const [endpoint, n] of Object.entries(atlassian.byEndpoint))
    row(`  ${endpoint.split(' ')[0]} .../${endpoint.split('/').slice(-2).join('/')}`, n);
  row(
    'Graph requests',
    Object.entries(graph.byRoute)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
  );
  row('audit chain', audit.ok ? `verified, ${audit.records} records` : `BROKEN: ${audit.problem?.message}`);
  if (result.status === 'proposed' || result.status === 'needs-override') {
    console.log('\nNothing has changed in Atlassian: every item waits for an approver.');
  }
}
