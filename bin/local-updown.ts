/**
 * `lifecycle local up|down`: the embedded stack as a detached background process (bin/local-host.ts)
 * that outlives the command, found again through its state file (local/state-file.ts).
 */
import { LOCAL_APPROVER_PASSWORD } from '../local/approver-sign-in.js';
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive } from '../local/guarded-process.js';
import { localPaths, readState, removeState, type LocalStackState } from '../local/state-file.js';

export class LocalUpError extends Error {
  override readonly name = 'LocalUpError';
}

export interface LocalUpOptions {
  readonly dir: string;
  /** @default 1000 */
  readonly users?: number;
  /** @default 7 */
  readonly seed?: number;
  /** An org fixture file (test/sim/org/fixture.ts format) instead of a synthetic org. */
  readonly fixture?: string;
  /** @default 120000 (DynamoDB Local is slow to start on a busy machine) */
  readonly timeoutMs?: number;
}

const HOST = fileURLToPath(new URL('./local-host.ts', import.meta.url));

/** The state of a running stack, or undefined (a state file left by a dead host is removed). */
export function runningStack(dir: string): LocalStackState | undefined {
  const state = readState(dir);
  if (state && isAlive(state.hostPid)) return state;
  if (state) removeState(dir);
  return undefined;
}

/** Starts the stack detached and resolves once it is ready; `already` when one was running. */
export async function localUp(o: LocalUpOptions): Promise<{ state: LocalStackState; already: boolean }> {
  const running = runningStack(o.dir);
  if (running) return { state: running, already: true };
  mkdirSync(o.dir, { recursive: true });
  const paths = localPaths(o.dir);
  const log = openSync(paths.log, 'w');
  const args = ['--dir', o.dir, '--users', String(o.users ?? 1000), '--seed', String(o.seed ?? 7)];
  if (o.fixture) args.push('--fixture', o.fixture);
  const host = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), HOST, ...args], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  closeSync(log);
  let exited: string | undefined;
  host.once('exit', (code, signal) => (exited = `exit code ${code ?? 'none'}${signal ? `, signal ${signal}` : ''}`));
  host.unref();
  const deadline = Date.now() + (o.timeoutMs ?? 120_000);
  for (;;) {
    const state = readState(o.dir);
    if (state && state.hostPid === host.pid) return { state, already: false };
    const tail = () => readFileSync(paths.log, 'utf8').trim().split('\n').slice(-15).join('\n');
    if (exited) throw new LocalUpError(`the local stack did not start (${exited}):\n${tail()}`);
    if (Date.now() > deadline) {
      process.kill(host.pid!, 'SIGTERM');
      throw new LocalUpError(
        `the local stack was not ready after ${(o.timeoutMs ?? 120_000) / 1000} s; stopped it:\n${tail()}`,
      );
    }
    await sleep(200);
  }
}

/** Stops what `local up` started (the host stops its children); every recorded pid is gone after. */
export async function localDown(dir: string, timeoutMs = 30_000): Promise<{ stopped: readonly number[] } | undefined> {
  const state = readState(dir);
  if (!state) return undefined;
  if (isAlive(state.hostPid)) process.kill(state.hostPid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (state.pids.some(isAlive) && Date.now() < deadline) await sleep(100);
  // The host stops its children; a child it could not stop is killed here, by its recorded pid.
  for (const pid of state.pids.filter(isAlive)) process.kill(pid, 'SIGKILL');
  removeState(dir);
  return { stopped: state.pids };
}

const quote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

/** `export NAME=value` lines (the Graph CA read from its file), for `eval "$(lifecycle local up)"`. */
export function exportLines(state: LocalStackState, dir: string): string {
  return Object.entries(state.env)
    .map(([k, v]) =>
      k === 'LIFECYCLE_GRAPH_CA' ? `export ${k}="$(cat ${quote(localPaths(dir).ca)})"` : `export ${k}=${quote(v)}`,
    )
    .join('\n');
}

export function describeStack(state: LocalStackState, dir: string): string {
  const p = state.ports;
  return [
    `DynamoDB Local 127.0.0.1:${p.dynamo} (tables lifecycle-*), SES v2 emulator 127.0.0.1:${p.ses} (mail at http://127.0.0.1:${p.ses}/),`,
    `Atlassian simulator 127.0.0.1:${p.atlassian}, Graph simulator 127.0.0.1:${p.graph}, review site 127.0.0.1:${p.review};`,
    ...(p.oidc
      ? [
          `approvers sign in at the local OpenID Provider 127.0.0.1:${p.oidc} as themselves (their approval.approvers address) with the password "${LOCAL_APPROVER_PASSWORD}";`,
        ]
      : []),
    `${state.org.people} people (${state.org.fixture ? `fixture ${state.org.fixture}` : `synthetic, seed ${state.org.seed}`}); host pid ${state.hostPid}; state ${localPaths(dir).state}`,
  ].join('\n');
}
