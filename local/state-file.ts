/**
 * Where `lifecycle local up` keeps what it started: a directory (LIFECYCLE_LOCAL_DIR, default
 * `.local/` in the current directory) holding `stack.json` (pids, ports, the environment to use),
 * `stack.log` (the host's output), `config.json` (the configuration pointing at the simulators)
 * and `graph-ca.pem` (the Graph simulator's certificate).
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface LocalStackState {
  /** The detached host process: it owns every other process and stops them on SIGTERM. */
  readonly hostPid: number;
  /** Every pid the stack runs (the host, DynamoDB Local and the SES emulator with their guards). */
  readonly pids: readonly number[];
  readonly startedAt: string;
  readonly ports: {
    readonly dynamo: number;
    readonly ses: number;
    readonly atlassian: number;
    readonly graph: number;
    readonly review: number;
    /** The local OpenID Provider approvers sign in at (absent in state files of older versions). */
    readonly oidc?: number;
  };
  /** What the simulators serve. */
  readonly org: { readonly people: number; readonly seed?: number; readonly fixture?: string };
  /** The environment for `lifecycle` commands against the stack (LIFECYCLE_..., the simulators' secrets). */
  readonly env: Readonly<Record<string, string>>;
}

export function localDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.LIFECYCLE_LOCAL_DIR ?? '.local');
}

export const localPaths = (dir: string) => ({
  state: join(dir, 'stack.json'),
  log: join(dir, 'stack.log'),
  config: join(dir, 'config.json'),
  ca: join(dir, 'graph-ca.pem'),
});

export function readState(dir: string): LocalStackState | undefined {
  const path = localPaths(dir).state;
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as LocalStackState;
}

/** Written whole (temporary file, then rename): a reader never sees half a state. */
export function writeState(dir: string, state: LocalStackState): void {
  const path = localPaths(dir).state;
  writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

export function removeState(dir: string): void {
  rmSync(localPaths(dir).state, { force: true });
}
