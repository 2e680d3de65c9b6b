/**
 * `npm run demo -- --approve` as a user runs it: bin/demo.ts in a separate process (its own
 * DynamoDB Local, SES emulator and simulators), judged only from what it prints and its exit code.
 * It must execute what it approved: the outcome counts add up to the approved items, some are
 * done, and the Atlassian simulator applied one change per done item. With the default
 * `execution.warnBeforeDays` (7) deactivations are warned and wait; with `--warn-days 0` they run.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const USERS = 300;
const SEED = 7;
/** One demo run takes about 25-35 s on 2 cores (DynamoDB Local start, plan, approval, execution). */
const RUN_LIMIT_MS = 170_000;
const TEST_TIMEOUT_MS = 180_000;

interface DemoRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

function runDemo(extra: readonly string[]): Promise<DemoRun> {
  const t0 = Date.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bin/demo.ts', '--users', String(USERS), '--seed', String(SEED), '--approve', ...extra],
    { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // The demo's DynamoDB Local and SES emulator run under guards that stop them when it dies.
  const limit = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS);
  return new Promise((resolve, reject) => {
    child.once('error', (err) => {
      clearTimeout(limit);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(limit);
      resolve({ code, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

interface Outcome {
  readonly proposalId: string;
  readonly status: string;
  readonly done: number;
  readonly failed: number;
  readonly skipped: number;
  readonly handedOff: number;
  readonly waiting: number;
}

/** What the demo printed: the plan's tally, the approval, the execution and its outcome. */
interface Printed {
  readonly proposalId: string;
  /** `proposed DEACTIVATE 70` ... */
  readonly proposed: Record<string, number>;
  /** `items now: 150 APPROVED` after the approver's POST. */
  readonly itemStates: Record<string, number>;
  readonly approved: number;
  /** `prepared: 150 item(s) in 1 chunk(s)`. */
  readonly prepared: number;
  readonly outcome: Outcome;
  /** `Atlassian simulator: 67 disable applied, 80 add-users applied`, keyed `disable applied`. */
  readonly simChanges: Record<string, number>;
  readonly warningMails: number;
  /** Subjects of the mails the execution sent to the approvers. */
  readonly resultMails: readonly string[];
}

function one(stdout: string, re: RegExp, what: string): RegExpExecArray {
  const m = re.exec(stdout);
  if (!m) throw new Error(`the demo did not print ${what} (${re}):\n${stdout}`);
  return m;
}

function counted(list: string, re: RegExp): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of list.split(', ')) {
    const m = re.exec(part.trim());
    if (!m) throw new Error(`cannot read "${part}" in "${list}"`);
    out[m[2]!] = Number(m[1]);
  }
  return out;
}

function parseDemo(stdout: string): Printed {
  const proposalId = one(stdout, /^Proposal (\S+): (proposed|needs-override)$/m, 'the proposal')[1]!;
  const proposed: Record<string, number> = {};
  for (const m of stdout.matchAll(/^ {4}proposed (\w+) +(\d+)$/gm)) proposed[m[1]!] = Number(m[2]);
  const itemStates = counted(one(stdout, /^ {2}items now: (.+)$/m, 'the items after approval')[1]!, /^(\d+) (\w+)$/);
  const prepared = Number(one(stdout, /prepared: (\d+) item\(s\) in \d+ chunk\(s\)/, 'the prepare step')[1]);
  const o = one(
    stdout,
    /^(\S+): (executed|FAILED): done (\d+), failed (\d+), skipped (\d+), handed off (\d+), waiting (\d+)$/m,
    'the execution outcome',
  );
  const sim = one(stdout, /^ {2}Atlassian simulator: (.+)$/m, "the Atlassian simulator's changes")[1]!;
  const warnings = /^ {2}(\d+) warning mail\(s\) to people before deactivation/m.exec(stdout);
  return {
    proposalId,
    proposed,
    itemStates,
    approved: itemStates.APPROVED ?? 0,
    prepared,
    outcome: {
      proposalId: o[1]!,
      status: o[2]!,
      done: Number(o[3]),
      failed: Number(o[4]),
      skipped: Number(o[5]),
      handedOff: Number(o[6]),
      waiting: Number(o[7]),
    },
    simChanges: sim === 'no change' ? {} : counted(sim, /^(\d+) (\S+ \S+)$/),
    warningMails: warnings ? Number(warnings[1]) : 0,
    resultMails: [...stdout.matchAll(/^ {2}mailed [^:]+: (.+)$/gm)].map((m) => m[1]!),
  };
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
const DEACTIVATE = 'DEACTIVATE';
const MOVES = ['MOVE_TO_NONBILLABLE', 'MOVE_TO_BILLABLE'];

/** What holds for every `--approve` run: it executed exactly what it approved, and did something. */
function expectExecutedWhatItApproved(p: Printed): void {
  const o = p.outcome;
  expect(p.approved, 'items approved').toBeGreaterThan(0);
  // The demo's approver keeps every item ticked: all proposed items are approved, none left over.
  expect(p.itemStates, 'item states after the approval').toEqual({ APPROVED: sum(p.proposed) });
  expect(p.prepared, 'items the execution prepared').toBe(p.approved);
  expect(o.proposalId).toBe(p.proposalId);
  expect(o.status).toBe('executed');
  expect(o.done + o.failed + o.skipped + o.handedOff + o.waiting, 'outcome counts add up to the approved items').toBe(
    p.approved,
  );
  expect(o.done, 'items done').toBeGreaterThan(0);
  // The simulated org is fixed by the seed and has no faults switched on: no call fails.
  expect(o.failed, 'items failed').toBe(0);
  // Every done item is one change the simulator applied; nothing else was changed or refused.
  expect(sum(p.simChanges), `the simulator's changes ${JSON.stringify(p.simChanges)}`).toBe(o.done);
  expect(Object.keys(p.simChanges).every((k) => k.endsWith(' applied'))).toBe(true);
}

describe('npm run demo -- --approve', () => {
  it(
    'executes the approved items: moves are done, deactivations are warned and wait (default warnBeforeDays 7)',
    async () => {
      const run = await runDemo([]);
      console.log(`demo --approve: exit ${run.code} after ${(run.ms / 1000).toFixed(1)} s`);
      expect(run.code, `exit code; stderr:\n${run.stderr}\nstdout:\n${run.stdout}`).toBe(0);
      const p = parseDemo(run.stdout);
      expectExecutedWhatItApproved(p);
      const o = p.outcome;
      const deactivations = p.proposed[DEACTIVATE] ?? 0;
      const moves = MOVES.reduce((n, k) => n + (p.proposed[k] ?? 0), 0);
      expect(deactivations, 'the synthetic org has deactivations to warn about').toBeGreaterThan(0);
      expect(moves, 'the synthetic org has policy moves').toBeGreaterThan(0);
      // Every deactivation waits for the grace period after its warning mail, except those of
      // SCIM-synced accounts: they are handed off to the Entra admin at once, unwarned. The moves ran now.
      expect(o.waiting + o.handedOff).toBe(deactivations);
      expect(p.warningMails).toBe(o.waiting);
      expect(o.done).toBe(moves);
      expect(p.simChanges).toEqual({ 'add-users applied': moves });
      expect(run.stdout).toMatch(/wait for the grace period after the warning mail; run execute again after \d{4}-/);
      // No results mail while items wait.
      expect(p.resultMails).toEqual([]);

      // The checks fail on a run that executed nothing (same output, nothing done).
      const idle = run.stdout
        .replace(
          /: executed: done \d+, failed \d+, skipped \d+, handed off \d+, waiting \d+$/m,
          `: executed: done 0, failed 0, skipped 0, handed off 0, waiting ${p.approved}`,
        )
        .replace(/^ {2}Atlassian simulator: .+$/m, '  Atlassian simulator: no change');
      expect(idle).not.toBe(run.stdout);
      expect(() => expectExecutedWhatItApproved(parseDemo(idle))).toThrow(/items done/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'with --warn-days 0 deactivates at once: nothing waits, and the results are mailed to the approvers',
    async () => {
      const run = await runDemo(['--warn-days', '0']);
      console.log(`demo --approve --warn-days 0: exit ${run.code} after ${(run.ms / 1000).toFixed(1)} s`);
      expect(run.code, `exit code; stderr:\n${run.stderr}\nstdout:\n${run.stdout}`).toBe(0);
      const p = parseDemo(run.stdout);
      expectExecutedWhatItApproved(p);
      const o = p.outcome;
      expect(o.waiting).toBe(0);
      expect(p.warningMails).toBe(0);
      // Deactivations of SCIM-synced accounts are handed off to the Entra admin; the rest disabled.
      const disabled = p.simChanges['disable applied'] ?? 0;
      expect(disabled).toBeGreaterThan(0);
      expect(disabled + o.handedOff).toBe(p.proposed[DEACTIVATE]);
      expect(p.simChanges['add-users applied']).toBe(MOVES.reduce((n, k) => n + (p.proposed[k] ?? 0), 0));
      // One results mail per approver (each carries that approver's own "ask to undo" link), same subject.
      expect(p.resultMails.length).toBeGreaterThanOrEqual(1);
      expect(new Set(p.resultMails).size).toBe(1);
      const subject = one(p.resultMails[0]!, /^Done: ([\d,]+) Atlassian account changes? carried out/, 'results')[1]!;
      expect(Number(subject.replace(/,/g, ''))).toBe(o.done);
      expect(p.resultMails[0]).toContain(`(proposal ${p.proposalId})`);
    },
    TEST_TIMEOUT_MS,
  );
});
