/**
 * Crash and resume (issue 9, acceptance): `lifecycle execute` runs as a separate process and is
 * killed with SIGKILL at points chosen by watching DynamoDB and the simulator, then restarted; the
 * end state must equal an uninterrupted run on an identical org, with no account changed twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord, ProposalItem } from '../../lambdas/domain/index.js';
import { AuditReader } from '../../lambdas/store/index.js';
import { SimControlClient } from '../sim/atlassian/index.js';
import { syntheticOrg } from '../sim/org/index.js';
import { dynamoClient } from '../helpers/local.js';
import { startExecOrg, type ExecOrg } from '../helpers/start-exec-org.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const planAt = Date.now() - 60_000;
const org = syntheticOrg({ size: 300, seed: 31, now: new Date(planAt).toISOString() });
const editConfig = (raw: Record<string, any>) => {
  raw.caps = { maxActionsPerRun: 5_000, maxPercentOfOrg: 75 };
  raw.execution = { warnBeforeDays: 0, chunkSize: 30 };
  raw.approval.autoApprove = [];
};
/** Slow responses of the user-write class while a kill waits for disables in flight. */
const WRITE_DELAY_MS = 600;

interface Run {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  stdout: string;
  stderr: string;
}

function startExecute(w: ExecOrg): Run {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bin/lifecycle.ts', 'execute', w.proposalId, '--config', w.configFile],
    { cwd: ROOT, env: { ...process.env, ...w.childEnv }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const run: Run = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stdout!.on('data', (d: Buffer) => (run.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (run.stderr += d.toString()));
  return run;
}

async function toEnd(w: ExecOrg): Promise<Run & { code: number | null }> {
  const run = startExecute(w);
  return { ...run, code: await run.exited, stdout: run.stdout, stderr: run.stderr };
}

const byState = (items: readonly ProposalItem[]) => {
  const out: Record<string, number> = {};
  for (const i of items) out[i.state] = (out[i.state] ?? 0) + 1;
  return out;
};

/** Starts `lifecycle execute`, polls `ready` until it holds, then SIGKILLs the process. */
async function killWhen(
  w: ExecOrg,
  point: string,
  ready: () => Promise<boolean>,
  log: string[],
): Promise<{ ms: number }> {
  const t0 = Date.now();
  const run = startExecute(w);
  let ended = false;
  void run.exited.then(() => (ended = true));
  while (!(await ready())) {
    if (ended)
      throw new Error(`kill point ${point}: the run ended before it was reached.\n${run.stderr}\n${run.stdout}`);
    if (Date.now() - t0 > 30_000) {
      run.child.kill('SIGKILL');
      throw new Error(`kill point ${point}: not reached in 30 s.\n${run.stderr}`);
    }
    await sleep(15);
  }
  run.child.kill('SIGKILL');
  const code = await run.exited;
  expect(run.child.signalCode, `${point}: killed, not ended`).toBe('SIGKILL');
  expect(code).toBeNull();
  log.push(`${point}: killed after ${Date.now() - t0} ms; items ${JSON.stringify(byState(await w.items()))}`);
  return { ms: Date.now() - t0 };
}

async function executionAudit(w: ExecOrg, reader: AuditReader): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  const record = await w.executions.get(w.proposalId, 'main');
  const streams = [`execution#${w.proposalId}`];
  for (let i = 0; i < (record?.chunkCount ?? 0); i++) streams.push(`execution#${w.proposalId}#main#chunk#${i}`);
  for (const s of streams) for await (const r of reader.stream(s)) out.push(r);
  return out;
}

describe('lifecycle execute killed with SIGKILL and restarted', () => {
  let crash: ExecOrg;
  let reference: ExecOrg;
  let referenceRun: Awaited<ReturnType<typeof toEnd>>;
  let finalRun: Awaited<ReturnType<typeof toEnd>>;
  const log: string[] = [];
  const inDoubt = new Set<string>();
  let pendingTask: string | undefined;
  /** IN_FLIGHT items with no INTENT record at a kill (killed between the claim and the INTENT write). */
  const claimedWithoutIntent = new Set<string>();
  async function noteClaimedWithoutIntent(): Promise<void> {
    const records = await executionAudit(crash, new AuditReader(dynamoClient(), crash.tables.audit));
    const intents = new Set(records.filter((r) => r.event === 'INTENT').map((r) => r.accountId));
    for (const i of await crash.items())
      if (i.state === 'IN_FLIGHT' && !intents.has(i.accountId)) claimedWithoutIntent.add(i.accountId);
  }

  beforeAll(async () => {
    const t0 = Date.now();
    [crash, reference] = await Promise.all([
      startExecOrg(org, { planAt, editConfig, sim: { taskDelayMs: 1 } }),
      startExecOrg(org, { planAt, editConfig, sim: { taskDelayMs: 1 } }),
    ]);
    log.push(`planned and approved twice in ${Date.now() - t0} ms`);
    // The uninterrupted run on the identical org, alongside the killed ones.
    const referenceDone = toEnd(reference);

    const items = async () => crash.items();
    const id = crash.proposalId;
    // (a) right after the execution record exists: slow reads keep the first chunk from claiming yet.
    crash.atlassian.setFaults('users-read', { delayMs: 400 });
    await killWhen(crash, '(a) execution record exists', async () => !!(await crash.executions.get(id, 'main')), log);
    crash.atlassian.setFaults('users-read', undefined);
    expect((await items()).filter((i) => i.state !== 'APPROVED')).toEqual([]);

    // (b) the first items are IN_FLIGHT (being claimed; their disables held by slow responses).
    crash.atlassian.setFaults('user-write', { delayMs: WRITE_DELAY_MS });
    await killWhen(
      crash,
      '(b) first items IN_FLIGHT',
      async () => (await items()).some((i) => i.state === 'IN_FLIGHT'),
      log,
    );
    await crash.proxy.drained(); // calls that reached the simulator complete there
    await noteClaimedWithoutIntent();

    // (d) between the call and the result write: a disable has reached the simulator and is not answered.
    await killWhen(
      crash,
      '(d) disable in flight',
      async () => crash.proxy.inFlight().some((r) => r.method === 'POST' && r.path.endsWith('/lifecycle/disable')),
      log,
    );
    await crash.proxy.drained();
    crash.atlassian.setFaults('user-write', undefined);
    await noteClaimedWithoutIntent();
    // In doubt: IN_FLIGHT with no RESULT, and the simulator applied the change.
    const applied = await new SimControlClient(crash.atlassian.url).appliedByAccount();
    for (const i of await items()) if (i.state === 'IN_FLIGHT' && applied.get(i.accountId)) inDoubt.add(i.accountId);
    log.push(`in doubt after (b) and (d): ${inDoubt.size} item(s)`);

    // (c) an add-users task is pending: the simulator's clock stands still, so the task does not finish.
    crash.freezeSimClock(true);
    const record = (await crash.executions.get(id, 'main'))!;
    await killWhen(
      crash,
      '(c) add-users task pending',
      async () => {
        for (let c = 0; c < record.chunkCount; c++) {
          const chunk = await crash.executions.chunk(id, 'main', c);
          const task = chunk?.tasks?.find((t) => !crash.atlassian.mutations().some((m) => m.taskId === t.taskId));
          if (task) {
            pendingTask = task.taskId;
            return true;
          }
        }
        return false;
      },
      log,
    );
    crash.freezeSimClock(false);

    // (e) mid-way through the results.
    const total = (await items()).length;
    await killWhen(
      crash,
      '(e) half of the items settled',
      async () => (await items()).filter((i) => !['APPROVED', 'IN_FLIGHT'].includes(i.state)).length >= total / 2,
      log,
    );

    finalRun = await toEnd(crash);
    referenceRun = await referenceDone;
    log.push(`total ${Date.now() - t0} ms`);
    console.log(log.join('\n'));
  }, 900_000);

  afterAll(async () => {
    await Promise.all([crash?.stop(), reference?.stop()]);
  });

  it('runs to the end after the kills, with the outcome the uninterrupted run has', async () => {
    expect(referenceRun.code, referenceRun.stderr).toBe(0);
    expect(finalRun.code, finalRun.stderr).toBe(0);
    const want = new Map((await reference.items()).map((i) => [i.accountId, [i.state, i.outcomeCode ?? null]]));
    const got = new Map((await crash.items()).map((i) => [i.accountId, [i.state, i.outcomeCode ?? null]]));
    expect(got.size).toBe(want.size);
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
    expect([...got.values()].filter(([s]) => s === 'APPROVED' || s === 'IN_FLIGHT')).toEqual([]);
    expect(finalRun.stdout).toContain(`${crash.proposalId}: executed: done`);
    expect(finalRun.stdout.split('\n')[0]).toBe(referenceRun.stdout.split('\n')[0]);
  });

  it('changed no account twice, and the same accounts as the uninterrupted run', async () => {
    const [got, want] = await Promise.all([
      new SimControlClient(crash.atlassian.url).mutations(),
      new SimControlClient(reference.atlassian.url).mutations(),
    ]);
    const perAccount = (ms: typeof got, applied: boolean) => {
      const out = new Map<string, number>();
      for (const m of ms)
        if (m.accountId && (!applied || m.outcome === 'applied')) out.set(m.accountId, (out.get(m.accountId) ?? 0) + 1);
      return out;
    };
    // Not one repeated call either: in-doubt items were reconciled by reading, never called again.
    expect([...perAccount(got, false)].filter(([, n]) => n > 1)).toEqual([]);
    expect(new Set(perAccount(got, true).keys())).toEqual(new Set(perAccount(want, true).keys()));
    const addUsers = (sim: ExecOrg) => sim.atlassian.requests().filter((r) => r.template.endsWith('/add-users')).length;
    expect(addUsers(crash)).toBe(addUsers(reference));
  });

  it('left items in doubt and a pending task on the way, and settled them by reading, not calling', async () => {
    expect(inDoubt.size).toBeGreaterThan(0);
    expect(pendingTask).toBeDefined();
    const items = new Map((await crash.items()).map((i) => [i.accountId, i]));
    for (const a of inDoubt) expect(items.get(a)?.state, a).toBe('DONE');
    const moved = crash.atlassian.mutations().filter((m) => m.taskId === pendingTask);
    expect(moved.length).toBeGreaterThan(0);
  });

  it('has an INTENT and a RESULT for every DONE item, and every chain verifies', async () => {
    const reader = new AuditReader(dynamoClient(), crash.tables.audit);
    const records = await executionAudit(crash, reader);
    const intents = new Set(records.filter((r) => r.event === 'INTENT').map((r) => r.accountId));
    const results = new Set(records.filter((r) => r.event === 'RESULT').map((r) => r.accountId));
    const done = (await crash.items()).filter((i) => i.state === 'DONE');
    expect(done.length).toBeGreaterThan(50);
    for (const i of done) expect(results.has(i.accountId), `RESULT ${i.accountId}`).toBe(true);
    // An item killed between its claim (IN_FLIGHT) and its INTENT write was never called; on resume
    // it gets a fresh INTENT before the call, so every DONE item has one.
    const missing = done.filter((i) => !intents.has(i.accountId)).map((i) => i.accountId);
    console.log(
      `DONE without INTENT: ${missing.length}; claimed without INTENT at a kill: ${claimedWithoutIntent.size}`,
    );
    expect(missing).toEqual([]);
    for (const s of new Set(records.map((r) => r.stream))) expect((await reader.verify(s)).ok, s).toBe(true);
  });
});
