/**
 * Benchmark of the nightly plan (npm run bench): the planner process against both simulators and
 * DynamoDB Local, each in its own process, with the real clock and the simulator's default limits.
 * Figures: Atlassian and Graph requests per account, wall time, and the planner's heap, for
 * growing orgs. Written to test/bench/results/plan.{json,md}.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PlanDeps } from '../../lambdas/plan/index.js';
import { runPlan } from '../../lambdas/plan/index.js';
import { envSecretResolver } from '../../lambdas/shared/index.js';
import { silentLogger } from '../../lambdas/shared/index.js';
import { createPlanDeps } from '../../lambdas/wiring/index.js';
import { startDynamo } from '../../local/dynamo.js';
import { createTables } from '../../local/stack.js';
import { localTableNames } from '../../lambdas/store/index.js';
import { makeConfig } from '../helpers/config.js';
import { measure, startSimCli } from './sim-processes.js';

const sizes = (process.env.BENCH_PLAN_SIZES ?? '10000,50000').split(',').map(Number);
const KEY = 'bench-key';

interface PlanFigures {
  users: number;
  managed: number;
  proposed: number;
  atlassianRequests: number;
  perAccount: number;
  graphRequests: number;
  entraUsers: number;
  wallMs: number;
  heapBeforeMB: number;
  peakHeapMB: number;
  retainedPeakMB: number;
}

const dynamo = await startDynamo();
const results: PlanFigures[] = [];
try {
  for (const users of sizes) {
    const a = await startSimCli(
      'atlassian/cli.ts',
      ['--users', String(users), '--seed', '7', '--api-key', KEY],
      /listening on (http:\/\/[\d.:]+)/,
    );
    const g = await startSimCli(
      'graph/cli.ts',
      ['--users', String(users), '--seed', '7', '--port', '0'],
      /CA certificate:\s+(\S+)/,
    );
    try {
      const gout = g.out();
      const graphUrl = /listening on (https:\/\/[\d.:]+)/.exec(gout)![1]!;
      const tenantId = /tenant id:\s+(\S+)/.exec(gout)![1]!;
      const clientId = /client id:\s+(\S+)/.exec(gout)![1]!;
      const clientSecret = /client secret:\s+(\S+)/.exec(gout)![1]!;
      const config = makeConfig((c) => {
        c.atlassian.baseUrl = a.match[1];
        Object.assign(c.entra, { tenantId, clientId, authorityHost: graphUrl, graphBaseUrl: graphUrl });
        c.caps = { maxActionsPerRun: 1_000_000, maxPercentOfOrg: 75 };
      });
      const tables = localTableNames(`bench${users}`);
      const client = dynamo.client();
      await createTables(client, tables);
      const deps: PlanDeps = await createPlanDeps({
        config,
        env: { tables, dynamoEndpoint: dynamo.endpoint, region: 'us-east-1' },
        logger: silentLogger,
        secrets: envSecretResolver({ ATLASSIAN_API_KEY: KEY, GRAPH_CLIENT_SECRET: clientSecret }),
        graphCa: readFileSync(g.match[1]!, 'utf8'),
      });
      const m = await measure(() => runPlan(deps, { runId: `bench-${users}` }));
      const requests = (deps.org as unknown as { stats: { requests: number } }).stats.requests;
      // Same plan again (new run id), sampling live memory after a full GC: what the planner holds.
      const live = await measure(() => runPlan(deps, { runId: `bench-${users}-live` }), { retained: true });
      const membership = await deps.entra.readMembership();
      const f: PlanFigures = {
        users,
        managed: m.result.tally!.managed,
        proposed: m.result.tally!.actions,
        atlassianRequests: requests,
        perAccount: +(requests / m.result.tally!.managed).toFixed(4),
        graphRequests: membership.stats.httpRequests,
        entraUsers: membership.size,
        wallMs: m.wallMs,
        heapBeforeMB: m.heapBeforeMB,
        peakHeapMB: m.peakHeapMB,
        retainedPeakMB: live.peakHeapMB,
      };
      results.push(f);
      console.log(
        `plan ${users} people: ${f.managed} accounts, ${f.proposed} proposed, ${f.atlassianRequests} Atlassian requests (${f.perAccount}/account), ${f.graphRequests} Graph requests, ${f.wallMs} ms, planner heap ${f.heapBeforeMB} -> peak ${f.peakHeapMB} MB (live after GC: ${f.retainedPeakMB} MB; ${f.entraUsers} Entra users held)`,
      );
      client.destroy();
    } finally {
      await Promise.all([a.proc.stop(), g.proc.stop()]);
    }
  }
} finally {
  await dynamo.stop();
}

const out = fileURLToPath(new URL('./results/', import.meta.url));
writeFileSync(
  `${out}plan.json`,
  `${JSON.stringify({ when: new Date().toISOString(), node: process.version, results }, null, 2)}\n`,
);
writeFileSync(
  `${out}plan.md`,
  [
    '# Plan benchmark (`npm run bench`)',
    '',
    `Node ${process.version}; Atlassian and Graph simulators and DynamoDB Local each in their own process; synthetic org seed 7; real clock, default limits.`,
    '',
    '| people | accounts | proposed | Atlassian requests | per account | Graph requests | Entra users held | wall ms | heap before → peak (MB) | live peak after GC (MB) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      (f) =>
        `| ${f.users} | ${f.managed} | ${f.proposed} | ${f.atlassianRequests} | ${f.perAccount} | ${f.graphRequests} | ${f.entraUsers} | ${f.wallMs} | ${f.heapBeforeMB} → ${f.peakHeapMB} | ${f.retainedPeakMB} |`,
    ),
    '',
    'The live peak grows with the Entra membership the plan holds for the join (random access by email while Atlassian pages stream), and with the ids of proposed items (for the content hash); Atlassian accounts are held one page at a time.',
    '',
  ].join('\n'),
);
console.log('written: test/bench/results/plan.json and plan.md');
