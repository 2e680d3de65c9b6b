/**
 * One plan run in its own process (so peak RSS is this run's): the real planner against the bench
 * Atlassian simulator (own process, per-class limits), the Graph simulator and DynamoDB Local
 * (through a counting client), then the naive baseline against the same simulator. Writes its
 * figures as JSON to the path in argv[2]; the job is JSON in argv[3].
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { runPlan } from '../../lambdas/plan/index.js';
import { envSecretResolver } from '../../lambdas/shared/index.js';
import { createPlanDeps } from '../../lambdas/wiring/index.js';
import { createTables } from '../../local/stack.js';
import { localTableNames } from '../../lambdas/store/index.js';
import { SYNTHETIC_IDS } from '../sim/org/index.js';
import { makeConfig } from '../helpers/config.js';
import {
  benchClients,
  countingDynamo,
  countingLogger,
  KEY,
  loadAverage,
  lowerBound,
  perClass,
  startBenchSim,
  withMemory,
  type Limits,
} from './common.js';
import { naiveRun } from './naive.js';
import { measureArchiver } from './archive-count.js';
import { startSimCli } from './sim-processes.js';

interface Job {
  users: number;
  limits: Limits;
  dynamoEndpoint: string;
  naiveSample: number;
}
const out = process.argv[2]!;
const job = JSON.parse(process.argv[3]!) as Job;

const a = await startBenchSim(job.users, job.limits);
const g = await startSimCli(
  'graph/cli.ts',
  ['--users', String(job.users), '--seed', '7', '--port', '0'],
  /CA certificate:\s+(\S+)/,
);
try {
  const gout = g.out();
  const graphUrl = /listening on (https:\/\/[\d.:]+)/.exec(gout)![1]!;
  const tenantId = /tenant id:\s+(\S+)/.exec(gout)![1]!;
  const clientId = /client id:\s+(\S+)/.exec(gout)![1]!;
  const clientSecret = /client secret:\s+(\S+)/.exec(gout)![1]!;
  const config = makeConfig((c) => {
    c.atlassian.baseUrl = a.url;
    Object.assign(c.entra, { tenantId, clientId, authorityHost: graphUrl, graphBaseUrl: graphUrl });
    c.caps = { maxActionsPerRun: 10_000, maxPercentOfOrg: 75 };
  });
  const tables = localTableNames(`benchplan${job.users}x${Date.now() % 100000}`);
  const dynamo = countingDynamo(job.dynamoEndpoint);
  const logs = countingLogger();
  await createTables(dynamo.db, tables);
  const deps = await createPlanDeps({
    config,
    env: { tables, dynamoEndpoint: job.dynamoEndpoint, region: 'us-east-1' },
    logger: logs.logger,
    secrets: envSecretResolver({ ATLASSIAN_API_KEY: KEY, GRAPH_CLIENT_SECRET: clientSecret }),
    graphCa: readFileSync(g.match[1]!, 'utf8'),
    clients: benchClients(dynamo.db),
  });
  await a.resetLog();
  dynamo.reset();
  logs.stats.lines = logs.stats.bytes = 0;
  const loadBefore = await loadAverage();
  const m = await withMemory(() => runPlan(deps, { runId: `bench-${job.users}` }));
  const loadAfter = await loadAverage();
  const counts = (await a.counts()).requests;
  const membership = await deps.entra.readMembership();
  const passed: Record<string, number> = {};
  for (const [cls, n] of Object.entries(counts.byClass)) passed[cls] = n - (counts.throttledByClass[cls as never] ?? 0);
  const bound = lowerBound(passed, job.limits);
  const managed = m.result.tally!.managed;
  // The audit archiver over this run's records, batches of 100 as the Lambda event source delivers them.
  const archive = await measureArchiver(dynamo.db, job.dynamoEndpoint, tables.audit);
  console.log(`archive ${job.users}: ${JSON.stringify(archive)}`);
  const plan = {
    status: m.result.status,
    managed,
    proposed: m.result.tally!.actions,
    byAction: m.result.tally!.byAction,
    requests: counts.total,
    perAccount: +(counts.total / managed).toFixed(4),
    byEndpoint: counts.byEndpoint,
    byClass: perClass(counts.byEndpoint),
    throttled: counts.throttled,
    throttledShare: +(counts.throttled / counts.total).toFixed(4),
    peakPerWindow: counts.peakPerWindow,
    graphRequests: membership.stats.httpRequests,
    wallMs: m.wallMs,
    lowerBoundMs: bound.ms,
    boundClass: bound.cls,
    perClassBoundMs: bound.perClassMs,
    ratio: +(m.wallMs / bound.ms).toFixed(3),
    dynamo: {
      ...dynamo.counts,
      itemsPerRequest: +(dynamo.counts.items / dynamo.counts.requests).toFixed(2),
    },
    memory: m.memory,
    archive,
    logs: { ...logs.stats },
    loadAverage: { before: loadBefore, after: loadAfter },
  };
  console.log(
    `plan ${job.users}: ${managed} accounts, ${plan.requests} requests (${plan.perAccount}/account), ${plan.throttled} x 429, wall ${plan.wallMs} ms, bound ${plan.lowerBoundMs} ms (${plan.boundClass}) ratio ${plan.ratio}, DynamoDB ${plan.dynamo.requests} requests ${plan.dynamo.itemsPerRequest} items/request, RSS ${plan.memory.peakRssMB} MB live heap ${plan.memory.peakLiveHeapMB} MB, load ${loadAfter.join(' ')}`,
  );
  let naive;
  if (job.naiveSample > 0) {
    await a.resetLog();
    naive = await naiveRun(a.url, SYNTHETIC_IDS.orgId, job.naiveSample);
    const c = (await a.counts()).requests;
    naive = { ...naive, simRequests: c.total, simThrottled: c.throttled, loadAverage: await loadAverage() };
    console.log(`naive ${job.users}: ${JSON.stringify(naive)}`);
  }
  writeFileSync(out, JSON.stringify({ users: job.users, limits: job.limits, plan, naive }, null, 2));
  dynamo.db.destroy();
} finally {
  await Promise.all([a.stop(), g.proc.stop()]);
}
process.exit(0);
