/**
 * `lifecycle local up|down` as a user runs them, each in a fresh process: up starts the stack
 * detached and prints its environment; a second up says it is already running; `plan --dry-run`
 * and `doctor` work with that environment; down stops every process it started and says so.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../local/guarded-process.js';
import type { LocalStackState } from '../../local/state-file.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'local-updown-'));
/** The caller's environment without any LIFECYCLE_ variable: only what `local up` prints is used. */
const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LIFECYCLE_')));
const baseEnv = { ...clean, LIFECYCLE_LOCAL_DIR: dir };

function lifecycle(args: readonly string[], env: NodeJS.ProcessEnv = baseEnv) {
  const child = spawn(process.execPath, ['bin/lifecycle.mjs', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let started: LocalStackState | undefined;

afterAll(async () => {
  // Whatever happened, leave nothing running.
  if (started?.pids.some(isAlive)) await lifecycle(['local', 'down']);
}, 60_000);

describe('lifecycle local up|down', () => {
  it('refuses bad arguments with exit 2 before starting anything', async () => {
    const users = await lifecycle(['local', 'up', '--users', 'many']);
    expect(users.code).toBe(2);
    expect(users.stderr).toMatch(/--users.*"many": expected a whole number/s);
    const fixture = await lifecycle(['local', 'up', '--fixture', join(dir, 'missing.json')]);
    expect(fixture.code, fixture.stderr).toBe(2);
    expect(fixture.stderr).toContain('missing.json');
    expect(existsSync(join(dir, 'stack.json'))).toBe(false);
  }, 60_000);

  it('starts the stack detached, says when it already runs, serves plan --dry-run and doctor, and stops with no process left', async () => {
    const up = await lifecycle(['local', 'up', '--users', '200', '--seed', '5', '--json']);
    expect(up.code, up.stderr).toBe(0);
    const state = JSON.parse(up.stdout) as LocalStackState & { status: string };
    started = state;
    expect(state.status).toBe('started');
    expect(state.org.people).toBe(200);
    expect(state.pids.length).toBeGreaterThanOrEqual(5);
    // The command has exited; what it started still runs.
    expect(state.pids.every(isAlive)).toBe(true);
    expect(Object.keys(state.env)).toEqual(
      expect.arrayContaining([
        'LIFECYCLE_CONFIG_FILE',
        'LIFECYCLE_DYNAMODB_ENDPOINT',
        'LIFECYCLE_SES_ENDPOINT',
        'LIFECYCLE_REVIEW_BASE_URL',
        'LIFECYCLE_GRAPH_CA',
      ]),
    );

    const again = await lifecycle(['local', 'up']);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/already running/);
    expect(again.stdout).toContain(`export LIFECYCLE_DYNAMODB_ENDPOINT='${state.env.LIFECYCLE_DYNAMODB_ENDPOINT}'`);

    const env = { ...baseEnv, ...state.env };
    const plan = await lifecycle(['plan', '--dry-run'], env);
    expect(plan.code, plan.stderr).toBe(0);
    const rows = plan.stdout.trim().split('\n');
    expect(rows[0]).toBe('action\temail\tname\treason\tsummary');
    expect(rows.length).toBeGreaterThan(1);

    const doctor = await lifecycle(['doctor', '--json'], env);
    expect(doctor.code, doctor.stdout).toBe(0);
    expect(JSON.parse(doctor.stdout)).toMatchObject({ ok: true });

    const down = await lifecycle(['local', 'down']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toMatch(/Stopped the local stack: \d+ processes .*none left/);
    expect(state.pids.filter(isAlive)).toEqual([]);
    expect(existsSync(join(dir, 'stack.json'))).toBe(false);

    const downAgain = await lifecycle(['local', 'down']);
    expect(downAgain.code).toBe(0);
    expect(downAgain.stdout).toMatch(/No local stack is running/);
  }, 300_000);
});
