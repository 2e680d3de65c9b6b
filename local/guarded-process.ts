import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * A child process that cannot outlive us. It runs under a tiny sh guard that holds our end of a
 * pipe: when this Node process exits for any reason (even SIGKILL), the pipe closes, the guard's
 * `read` returns and it kills the child. A clean stop closes the pipe the same way.
 */
export interface GuardedProcess {
  /** Pid of the real child (java, node), not of the guard. */
  readonly pid: number;
  readonly guardPid: number;
  /** Last lines the child wrote to stderr/stdout, for error messages. */
  output(): string;
  /** Why it exited, if it has. */
  exited(): string | undefined;
  stop(): Promise<void>;
}

const GUARD =
  '"$@" </dev/null & child=$!; echo "pid:$child"; trap \'kill $child 2>/dev/null; exit 0\' TERM INT; read _ignored; kill $child 2>/dev/null; wait $child; exit 0';

export async function spawnGuarded(
  name: string,
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<GuardedProcess> {
  const guard: ChildProcess = spawn('sh', ['-c', GUARD, 'guard', command, ...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let tail = '';
  let exitReason: string | undefined;
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  guard.stderr!.on('data', keep);
  guard.on('exit', (code, signal) => {
    exitReason = `exit code ${code ?? 'none'}${signal ? `, signal ${signal}` : ''}`;
  });
  guard.on('error', (err) => {
    exitReason = err.message;
  });

  const pid = await new Promise<number>((resolve, reject) => {
    let buf = '';
    const onData = (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      const m = /pid:(\d+)\n/.exec(buf);
      if (m) {
        guard.stdout!.off('data', onData);
        guard.stdout!.on('data', keep);
        keep(Buffer.from(buf.slice(m.index + m[0].length)));
        resolve(Number(m[1]));
      }
    };
    guard.stdout!.on('data', onData);
    guard.once('exit', () => reject(new Error(`${name} guard exited at start: ${tail}`)));
    guard.once('error', reject);
  });

  return {
    pid,
    guardPid: guard.pid!,
    output: () => tail,
    exited: () => exitReason,
    async stop() {
      if (exitReason !== undefined) return;
      const done = once(guard, 'exit');
      guard.stdin!.end();
      const timer = setTimeout(() => guard.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
    },
  };
}

/** True when a process with this pid still exists (and is not a zombie we could reap). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
