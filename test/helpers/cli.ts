/** Runs the `lifecycle` command in a child process, as a person or a script would, and snapshots the tables. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TableNames } from '../../lambdas/store/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `lifecycle ...args` through the package's bin entry (bin/lifecycle.mjs), with `env` over a clean environment. */
export function lifecycleCli(args: readonly string[], env: Record<string, string | undefined>): Promise<CliRun> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LIFECYCLE_')));
  return nodeProcess(['bin/lifecycle.mjs', ...args], { ...base, ...env });
}

/** `node ...args` in the project's root, its exit code and everything it printed. */
export function nodeProcess(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every row of the three tables, sorted: compare two snapshots to show nothing was written. */
export async function tableSnapshot(db: DynamoDBClient, tables: TableNames): Promise<string> {
  const all: Record<string, string[]> = {};
  for (const [role, name] of Object.entries(tables)) {
    const rows: string[] = [];
    let start: Record<string, any> | undefined;
    do {
      const res = await db.send(new ScanCommand({ TableName: name, ExclusiveStartKey: start }));
      for (const item of res.Items ?? []) rows.push(JSON.stringify(Object.fromEntries(Object.entries(item).sort())));
      start = res.LastEvaluatedKey;
    } while (start);
    all[role] = rows.sort();
  }
  return JSON.stringify(all);
}
