import { fileURLToPath } from 'node:url';
import { spawnGuarded, type GuardedProcess } from '../../local/guarded-process.js';

/** Runs a simulator's CLI in its own process (so its memory is not the measured process's). */
export async function startSimCli(
  script: string,
  args: readonly string[],
  ready: RegExp,
): Promise<{ proc: GuardedProcess; out: () => string; match: RegExpExecArray }> {
  const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
  const cli = fileURLToPath(new URL(`../sim/${script}`, import.meta.url));
  const proc = await spawnGuarded(script, process.execPath, [tsx, cli, ...args]);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const m = ready.exec(proc.output());
    if (m) return { proc, out: () => proc.output(), match: m };
    if (proc.exited() || Date.now() > deadline) throw new Error(`${script} did not start: ${proc.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Samples the heap while `work` runs; returns its result, the peak and the wall time. With
 * `retained`, every sample follows a full GC (node --expose-gc), so the peak is live memory, not
 * garbage waiting for collection (slower: use for memory figures, not for wall time).
 */
export async function measure<T>(
  work: () => Promise<T>,
  options: { retained?: boolean } = {},
): Promise<{ result: T; wallMs: number; heapBeforeMB: number; peakHeapMB: number }> {
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const timer = setInterval(
    () => {
      if (options.retained) global.gc?.();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    },
    options.retained ? 250 : 20,
  );
  const t0 = performance.now();
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;
    return { result, wallMs: Math.round(performance.now() - t0), heapBeforeMB: mb(before), peakHeapMB: mb(peak) };
  } finally {
    clearInterval(timer);
  }
}
