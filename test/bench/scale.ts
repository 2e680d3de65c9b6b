/**
 * The scale benchmark: plan at 10,000 and 100,000 people (naive baseline beside the 10,000 run),
 * execution of 10,000 deactivations and 10,000 policy moves, and the monthly cost model. Each run
 * is a child process with its own DynamoDB Local; the SES emulator is shared. Results:
 * test/bench/results/scale.{json,md} and cost.{json,md}.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDynamo } from '../../local/dynamo.js';
import { startSes } from '../../local/ses.js';
import { parseLimits } from './common.js';
import { writeResults } from './report.js';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 1000);
/** Per-class limits per window for the plan runs: Atlassian's 1000/min : 200/min ratio. */
const PLAN_LIMITS = process.env.BENCH_PLAN_LIMITS ?? 'users-read=20,last-active=4,user-write=20,policy=20';
const EXEC_LIMITS = process.env.BENCH_EXEC_LIMITS ?? 'users-read=20,last-active=4,user-write=20,policy=20';
const planSizes = (process.env.BENCH_PLAN_SIZES ?? '10000,100000').split(',').map(Number);
const execSize = Number(process.env.BENCH_EXEC_SIZE ?? 100000);
const execItems = Number(process.env.BENCH_EXEC_ITEMS ?? 10000);
const execActions = (process.env.BENCH_EXEC_ACTIONS ?? 'DEACTIVATE,MOVE_TO_NONBILLABLE').split(',');
const naiveSample = Number(process.env.BENCH_NAIVE_SAMPLE ?? 200);
const only = (process.env.BENCH_ONLY ?? 'plan,exec,cost').split(',');

function child(script: string, job: unknown): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const out = join(dir, 'out.json');
  const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/esm/index.mjs', import.meta.url));
  const file = fileURLToPath(new URL(script, import.meta.url));
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--expose-gc', '--import', tsx, file, out, JSON.stringify(job)], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: process.env,
    });
    p.on('error', reject);
    p.on('exit', (code) => {
      if (code !== 0 || !existsSync(out)) reject(new Error(`${script} exited ${code}`));
      else resolve(JSON.parse(readFileSync(out, 'utf8')));
    });
  });
}

/**
 * A fresh DynamoDB Local for every run. Its writes to tables with global secondary indexes (the
 * audit table has three) get slower with every index entry already held anywhere in the instance
 * (test/bench/dynamo-local.ts measures it), so a shared instance would charge each run for the
 * runs before it. 4 GB of heap, so that garbage collection is not what is measured either.
 */
async function withDynamo<T>(work: (endpoint: string) => Promise<T>): Promise<T> {
  const dynamo = await startDynamo({ timeoutMs: 120_000, heap: '4g' });
  try {
    return await work(dynamo.endpoint);
  } finally {
    await dynamo.stop();
  }
}

const ses = only.includes('exec') ? await startSes({ timeoutMs: 120_000 }) : undefined;
const started = new Date().toISOString();
const plans: unknown[] = [];
const execs: unknown[] = [];
try {
  if (only.includes('plan'))
    for (const users of planSizes)
      plans.push(
        await withDynamo((dynamoEndpoint) =>
          child('./plan-run.ts', {
            users,
            limits: parseLimits(PLAN_LIMITS, WINDOW_MS),
            dynamoEndpoint,
            naiveSample: users === planSizes[0] ? naiveSample : 0,
          }),
        ),
      );
  if (only.includes('exec'))
    for (const action of execActions)
      execs.push(
        await withDynamo((dynamoEndpoint) =>
          child('./exec-run.ts', {
            users: execSize,
            items: execItems,
            action,
            limits: parseLimits(EXEC_LIMITS, WINDOW_MS),
            dynamoEndpoint,
            sesEndpoint: ses!.endpoint,
          }),
        ),
      );
} finally {
  await ses?.stop();
}
const meta = { started, finished: new Date().toISOString(), node: process.version, windowMs: WINDOW_MS };
if (plans.length > 0) writeFileSync(`${RESULTS}plan.json`, `${JSON.stringify({ ...meta, runs: plans }, null, 2)}\n`);
if (execs.length > 0)
  writeFileSync(`${RESULTS}execution.json`, `${JSON.stringify({ ...meta, runs: execs }, null, 2)}\n`);
writeResults(RESULTS);
