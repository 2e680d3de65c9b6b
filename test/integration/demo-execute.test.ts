/**
 * `npm run demo -- --approve` as a user runs it: bin/demo.ts in a separate process (its own
 * DynamoDB Local, SES emulator and simulators), judged from what it prints, its exit code and the
 * outputs folder it leaves (the mails as .eml, the CSVs, the chart PNG, the Atlassian simulator's
 * mutation log). It must execute what it approved: the outcome counts add up to the approved items,
 * and the Atlassian simulator applied one change per done item. With the default
 * `execution.warnBeforeDays` (7) deactivations are warned and wait, then run after the demo's
 * fast-forward past the grace period; with `--warn-days 0` they run at once.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { MutationRecord } from '../sim/atlassian/types.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const USERS = 300;
const SEED = 7;
/** One demo run takes about 30-40 s on 2 idle cores, minutes on a loaded machine (DynamoDB Local start, plan, approval, execution). */
const RUN_LIMIT_MS = 330_000;
const TEST_TIMEOUT_MS = 340_000;

interface DemoRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  /** The outputs folder (--out). */
  readonly out: string;
}

function runDemo(extra: readonly string[]): Promise<DemoRun> {
  const t0 = Date.now();
  const out = mkdtempSync(join(tmpdir(), 'demo-out-'));
  // Literally the README's command (npm runs `tsx bin/demo.ts`); --silent drops npm's own banner.
  const child = spawn(
    'npm',
    [
      'run',
      '--silent',
      'demo',
      '--',
      '--users',
      String(USERS),
      '--seed',
      String(SEED),
      '--approve',
      '--out',
      out,
      ...extra,
    ],
    { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // The demo's DynamoDB Local and SES emulator run under guards that stop them when it dies.
  // npm and the demo under it are one process group (detached): a run over its limit is killed whole.
  const limit = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), RUN_LIMIT_MS);
  return new Promise((resolve, reject) => {
    child.once('error', (err) => {
      clearTimeout(limit);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(limit);
      resolve({ code, stdout, stderr, ms: Date.now() - t0, out });
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
    resultMails: [...stdout.matchAll(/^ {2}mailed (?!to )[^:]+: (.+)$/gm)].map((m) => m[1]!),
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

/** Every execution outcome the demo printed, in order: the first run, then the run after the fast-forward. */
function outcomes(stdout: string): Outcome[] {
  return [
    ...stdout.matchAll(
      /^(\S+): (executed|FAILED): done (\d+), failed (\d+), skipped (\d+), handed off (\d+), waiting (\d+)$/gm,
    ),
  ].map((o) => ({
    proposalId: o[1]!,
    status: o[2]!,
    done: Number(o[3]),
    failed: Number(o[4]),
    skipped: Number(o[5]),
    handedOff: Number(o[6]),
    waiting: Number(o[7]),
  }));
}

/** What the demo left in its outputs folder. */
function outputsOf(out: string) {
  const files = readdirSync(out);
  const mutations = JSON.parse(readFileSync(join(out, 'atlassian-mutations.json'), 'utf8')) as MutationRecord[];
  const applied = (kind: string) => mutations.filter((m) => m.kind === kind && m.outcome === 'applied');
  return { files, mutations, applied };
}

/** The outputs every full run leaves: results mail, seat report mail with its chart and CSVs, proposal CSV. */
function expectOutputs(run: DemoRun): void {
  const { files } = outputsOf(run.out);
  const has = (re: RegExp, what: string) =>
    expect(
      files.filter((f) => re.test(f)),
      what,
    ).not.toEqual([]);
  has(/^mail-\d+-(approval-needed|over-cap)-.+\.eml$/, 'the proposal mail (.eml)');
  has(/^mail-\d+-(approval-needed|over-cap)-.+\.html$/, 'the proposal mail (.html)');
  has(/^mail-\d+-.+--proposal-.+\.csv$/, "the proposal's CSV");
  has(/^mail-\d+-done-\d+-atlassian-account-change.+\.eml$/, 'the results mail');
  has(/^mail-\d+-guard-seats-.+\.eml$/, 'the seat report mail');
  has(/^guard-seats-.+-snapshots\.csv$/, "the seat report's snapshots CSV");
  const chart = files.find((f) => /^guard-seats-.+\.png$/.test(f));
  expect(chart, 'the seat chart PNG').toBeDefined();
  expect(readFileSync(join(run.out, chart!)).subarray(1, 4).toString()).toBe('PNG');
  expect(run.stdout).toMatch(/^ {2}mailed to finance@example\.com: Guard seats, /m);
  expect(run.stdout).toMatch(
    /^ {2}audit chains: \d+ stream\(s\) \(RUN 1, .*PROPOSAL 1.*\), \d+ records: every chain verified$/m,
  );
}

describe('npm run demo -- --approve', () => {
  it(
    'moves at once, warns before deactivating, deactivates after the grace period, mails the results and the seat report, verifies the audit',
    async () => {
      const run = await runDemo([]);
      console.log(`demo --approve: exit ${run.code} after ${(run.ms / 1000).toFixed(1)} s`);
      expect(run.code, `exit code; stderr:\n${run.stderr}\nstdout:\n${run.stdout}`).toBe(0);
      const p = parseDemo(run.stdout);
      expectExecutedWhatItApproved(p);
      const [first, second] = outcomes(run.stdout);
      const deactivations = p.proposed[DEACTIVATE] ?? 0;
      const moves = MOVES.reduce((n, k) => n + (p.proposed[k] ?? 0), 0);
      expect(deactivations, 'the synthetic org has deactivations to warn about').toBeGreaterThan(0);
      expect(moves, 'the synthetic org has policy moves').toBeGreaterThan(0);
      // First run: every deactivation waits after its warning mail, except those of SCIM-synced
      // accounts (handed off to the Entra admin at once, unwarned). The moves ran now.
      expect(first!.waiting + first!.handedOff).toBe(deactivations);
      expect(p.warningMails).toBe(first!.waiting);
      expect(first!.done).toBe(moves);
      expect(p.simChanges).toEqual({ 'add-users applied': moves });
      // After the fast-forward: the warned deactivations are done, nothing waits, nothing failed.
      expect(run.stdout).toMatch(/Fast-forward to \d{4}-.+, past the grace period, and execute again/);
      expect(second).toMatchObject({ proposalId: p.proposalId, status: 'executed', failed: 0, waiting: 0 });
      expect(second!.done).toBe(moves + first!.waiting);
      // The simulator's own mutation log: one applied change per done item, of the right kind.
      const { applied, mutations } = outputsOf(run.out);
      expect(applied('disable')).toHaveLength(first!.waiting);
      expect(applied('add-users')).toHaveLength(moves);
      expect(mutations.filter((m) => m.outcome === 'applied')).toHaveLength(second!.done);
      // One results mail per approver, after the last run.
      expect(p.resultMails.length).toBeGreaterThanOrEqual(1);
      expect(
        p.resultMails.filter((m) => !m.startsWith(`Done: ${second!.done} Atlassian account changes`)),
        'mails the runs printed that are not the results mail',
      ).toEqual([]);
      expectOutputs(run);

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
    'with --fixture, changes exactly the accounts the fixture makes due, and never a protected one',
    async () => {
      const run = await runDemo(['--fixture', 'local/fixtures/demo-org.json']);
      console.log(`demo --approve --fixture: exit ${run.code} after ${(run.ms / 1000).toFixed(1)} s`);
      expect(run.code, `exit code; stderr:\n${run.stderr}\nstdout:\n${run.stdout}`).toBe(0);
      expect(run.stdout).toContain('with the fixture local/fixtures/demo-org.json (14 people)');
      expect(run.stdout).toContain('as of 2026-11-01T02:00:00.000Z');
      const p = parseDemo(run.stdout);
      expect(p.proposed).toEqual({ DEACTIVATE: 4, MOVE_TO_NONBILLABLE: 1, MOVE_TO_BILLABLE: 1 });
      const last = outcomes(run.stdout).at(-1)!;
      expect(last).toMatchObject({ done: 5, failed: 0, handedOff: 1, waiting: 0 });
      const { applied, mutations } = outputsOf(run.out);
      expect(new Set(applied('disable').map((m) => m.accountId))).toEqual(
        new Set(['712020:stale', '712020:never', '712020:leaver']),
      );
      expect(Object.fromEntries(applied('add-users').map((m) => [m.email, m.policyId]))).toEqual({
        'carl.consultant@example.com': 'policy-nonbillable',
        'wendy.writer@example.com': 'policy-sso-billable',
      });
      // Break-glass, admins, exclusions, the bot, the kept and the SCIM-synced account: untouched.
      const touched = new Set(mutations.map((m) => m.accountId));
      for (const id of ['bg-1', 'bg-2', 'admin', 'ceo', 'keeper', 'optout', 'partner', 'synced', 'bot'])
        expect(touched.has(`712020:${id}`), id).toBe(false);
      expectOutputs(run);
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
      expect(outcomes(run.stdout)).toHaveLength(1);
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
