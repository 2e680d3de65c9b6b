/**
 * One execution run in its own process: the real plan proposes on the bench simulator, `items`
 * accounts of one action are approved (others stay undecided and are not executed; the proposal is
 * over the caps, so the approver's ballot carries the explicit override), and the real engine
 * (the deployed state-machine definition, run locally) executes them against the simulator,
 * DynamoDB Local (through a counting client) and the SES emulator. Writes its figures as JSON to
 * argv[2]; the job is JSON in argv[3].
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import pLimit from 'p-limit';
import { executeProposal } from '../../bin/execute-run.js';
import { ItemState, type ProposalItem } from '../../lambdas/domain/index.js';
import { runPlan } from '../../lambdas/plan/index.js';
import { envSecretResolver } from '../../lambdas/shared/index.js';
import { DynamoProposalStore, DynamoTokenStore, localTableNames } from '../../lambdas/store/index.js';
import { createExecDeps, createPlanDeps } from '../../lambdas/wiring/index.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamo.js';
import { createTables } from '../../local/stack.js';
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
import { startSimCli } from './sim-processes.js';

interface Job {
  users: number;
  items: number;
  action: 'DEACTIVATE' | 'MOVE_TO_NONBILLABLE';
  limits: Limits;
  dynamoEndpoint: string;
  sesEndpoint: string;
}
const out = process.argv[2]!;
const job = JSON.parse(process.argv[3]!) as Job;
const APPROVER = 'approver@example.com';
/**
 * Items per chunk (one state-machine step): the product's default (execution.chunkSize, 250) unless
 * BENCH_CHUNK_SIZE says otherwise. (Runs before 2026-12-03 14:30 used 100, from when the local
 * interpreter gave a Task 60 s; it now gives the step function's 15 minutes.)
 */
const CHUNK_SIZE = process.env.BENCH_CHUNK_SIZE ? Number(process.env.BENCH_CHUNK_SIZE) : undefined;
/** Endpoints of the re-check reads (everything else execution calls is the action itself). */
const RECHECK = [
  'POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/search',
  'POST /admin/control/v1/orgs/{orgId}/users/auth-policies/bulk-fetch',
  'GET /admin/v2/orgs/{orgId}/directories',
  'GET /users/{account_id}/manage',
];

const a = await startBenchSim(job.users, job.limits, ['--task-delay-ms', '200']);
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
    c.execution = { ...c.execution, warnBeforeDays: 0, ...(CHUNK_SIZE && { chunkSize: CHUNK_SIZE }) };
  });
  const tables = localTableNames(`benchexec${job.users}${job.action.slice(0, 4)}x${Date.now() % 100000}`);
  const dynamo = countingDynamo(job.dynamoEndpoint);
  const logs = countingLogger();
  await createTables(dynamo.db, tables);
  const ses = new SESv2Client({ endpoint: job.sesEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const wiring = {
    config,
    env: { tables, dynamoEndpoint: job.dynamoEndpoint, region: 'us-east-1' },
    logger: logs.logger,
    secrets: envSecretResolver({ ATLASSIAN_API_KEY: KEY, GRAPH_CLIENT_SECRET: clientSecret }),
    graphCa: readFileSync(g.match[1]!, 'utf8'),
    clients: benchClients(dynamo.db, ses),
  };
  // Setup (not measured): the real plan, then the approval of `items` accounts of the action.
  const t0 = performance.now();
  const planned = await runPlan(await createPlanDeps(wiring), { runId: `bench-exec-${job.action}` });
  const id = planned.proposalId!;
  const store = new DynamoProposalStore(dynamo.db, tables.state, { now: Date.now } as never);
  const chosen: ProposalItem[] = [];
  for await (const i of store.items(id)) {
    const synced = (i.evidence as { managementSource?: string } | undefined)?.managementSource === 'synced';
    if (i.action === job.action && !synced && chosen.length < job.items) chosen.push(i);
  }
  if (chosen.length < job.items)
    console.log(`exec: only ${chosen.length} ${job.action} items proposed (wanted ${job.items}); executing those`);
  const limit = pLimit(16);
  await Promise.all(
    chosen.map((i) => limit(() => store.moveItem(id, i.accountId, ItemState.APPROVED, { decidedBy: APPROVER }))),
  );
  const now = new Date();
  const meta = (await store.get(id))!;
  if (meta.suspicious) {
    const tokens = new DynamoTokenStore(dynamo.db, tables.state);
    const tokenHash = createHash('sha256').update(`bench-${id}`).digest('hex');
    await tokens.put({
      tokenHash,
      proposalId: id,
      approver: APPROVER,
      contentHash: meta.contentHash ?? '',
      issuedAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + 86_400,
    });
    await tokens.castBallot(
      tokenHash,
      {
        proposalId: id,
        approver: APPROVER,
        decision: 'approve',
        deselected: [],
        override: true,
        castAt: now.toISOString(),
        tokenRef: tokenHash.slice(0, 8),
      },
      Math.floor(now.getTime() / 1000),
    );
  }
  await store.setStatus(id, ['READY'], 'APPROVED', { decidedAt: now.toISOString(), decidedBy: APPROVER });
  const setupMs = Math.round(performance.now() - t0);
  console.log(`exec ${job.action}: setup ${setupMs} ms (plan ${planned.status}, ${chosen.length} approved)`);

  const exec = await createExecDeps(wiring);
  await a.resetLog();
  dynamo.reset();
  logs.stats.lines = logs.stats.bytes = 0;
  const loadBefore = await loadAverage();
  let steps = 0;
  // The simulator's counts as the last chunk ends: the finish step's own reads (the seat snapshot
  // reads the whole org with the same endpoints) are not re-checks.
  let chunkCounts: Promise<Awaited<ReturnType<typeof a.counts>>> | undefined;
  // Where the wall goes: prepare, the chunks, finish (each step's end as its progress line comes).
  const start = performance.now();
  const marks = { prepared: 0, chunksDone: 0, busyAtPrepared: 0, busyAtChunksDone: 0 };
  const m = await withMemory(() =>
    executeProposal(exec, id, {
      progress: (line) => {
        steps += 1;
        if (process.env.BENCH_TRACE_RSS)
          console.log(`[rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB] ${line}`);
        if (line.startsWith('chunk ')) {
          chunkCounts = a.counts();
          marks.chunksDone = performance.now() - start;
          marks.busyAtChunksDone = dynamo.counts.busyMs;
        } else if (line.startsWith('prepared')) {
          marks.prepared = performance.now() - start;
          marks.busyAtPrepared = dynamo.counts.busyMs;
        }
      },
    }),
  );
  const loadAfter = await loadAverage();
  const counts = (await a.counts()).requests;
  const passed: Record<string, number> = {};
  for (const [cls, n] of Object.entries(counts.byClass)) passed[cls] = n - (counts.throttledByClass[cls as never] ?? 0);
  const bound = lowerBound(passed, job.limits);
  const mutations = await a.mutations();
  const perAccount = new Map<string, number>();
  for (const mu of mutations) if (mu.accountId) perAccount.set(mu.accountId, (perAccount.get(mu.accountId) ?? 0) + 1);
  const approved = new Set(chosen.map((i) => i.accountId));
  const histogram: Record<string, number> = {};
  for (const acc of approved) {
    const n = String(perAccount.get(acc) ?? 0);
    histogram[n] = (histogram[n] ?? 0) + 1;
  }
  const outside = [...perAccount.keys()].filter((acc) => !approved.has(acc)).length;
  const inChunks = (await chunkCounts)?.requests ?? counts;
  const passedInChunks: Record<string, number> = {};
  for (const [cls, n] of Object.entries(inChunks.byClass))
    passedInChunks[cls] = n - (inChunks.throttledByClass[cls as never] ?? 0);
  const chunkBound = lowerBound(passedInChunks, job.limits);
  const recheckRequests = RECHECK.reduce((n, k) => n + (inChunks.byEndpoint[k] ?? 0), 0);
  const finishReads = RECHECK.reduce((n, k) => n + (counts.byEndpoint[k] ?? 0), 0) - recheckRequests;
  const execution = {
    status: m.result.status,
    outcome: m.result.outcome,
    ...(m.result.error && { error: m.result.error }),
    approved: chosen.length,
    chunkSize: config.execution.chunkSize,
    requests: counts.total,
    perItem: +(counts.total / chosen.length).toFixed(4),
    byEndpoint: counts.byEndpoint,
    byClass: perClass(counts.byEndpoint),
    throttled: counts.throttled,
    throttledShare: +(counts.throttled / counts.total).toFixed(4),
    peakPerWindow: counts.peakPerWindow,
    mutations: mutations.length,
    mutationsPerApprovedAccount: histogram,
    mutationsOutsideApproved: outside,
    recheckRequests,
    recheckPerItem: +(recheckRequests / chosen.length).toFixed(4),
    finishReads,
    wallMs: m.wallMs,
    setupMs,
    lowerBoundMs: bound.ms,
    boundClass: bound.cls,
    perClassBoundMs: bound.perClassMs,
    ratio: +(m.wallMs / bound.ms).toFixed(3),
    // The steps' wall and the store's busy time within each (a step's end is its progress line).
    phases: {
      prepare: { wallMs: Math.round(marks.prepared), dynamoBusyMs: marks.busyAtPrepared },
      chunks: {
        wallMs: Math.round(marks.chunksDone - marks.prepared),
        dynamoBusyMs: marks.busyAtChunksDone - marks.busyAtPrepared,
        // The bound of the chunks' own requests (prepare makes none; the finish step's are its seat snapshot).
        lowerBoundMs: chunkBound.ms,
        boundClass: chunkBound.cls,
      },
      finish: {
        wallMs: Math.round(m.wallMs - marks.chunksDone),
        dynamoBusyMs: dynamo.counts.busyMs - marks.busyAtChunksDone,
      },
    },
    dynamo: { ...dynamo.counts, itemsPerRequest: +(dynamo.counts.items / dynamo.counts.requests).toFixed(2) },
    memory: m.memory,
    logs: { ...logs.stats },
    taskSteps: steps,
    loadAverage: { before: loadBefore, after: loadAfter },
  };
  console.log(
    `exec ${job.action} ${chosen.length}: ${execution.status} ${JSON.stringify(execution.outcome)}, ${execution.requests} requests (${execution.perItem}/item, re-check ${execution.recheckPerItem}/item), ${execution.throttled} x 429, mutations per approved account ${JSON.stringify(histogram)}, wall ${execution.wallMs} ms, bound ${execution.lowerBoundMs} ms (${execution.boundClass}) ratio ${execution.ratio}, phases ${JSON.stringify(execution.phases)}, DynamoDB ${execution.dynamo.requests} requests, RSS ${execution.memory.peakRssMB} MB, load ${loadAfter.join(' ')}`,
  );
  writeFileSync(out, JSON.stringify({ users: job.users, action: job.action, limits: job.limits, execution }, null, 2));
  dynamo.db.destroy();
  ses.destroy();
} finally {
  await Promise.all([a.stop(), g.proc.stop()]);
}
process.exit(0);
