/**
 * Progress on stderr: a cli-progress bar when stderr is a terminal, plain timestamped lines
 * otherwise (logs, CI, a pipe). stdout stays the command's answer.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** One step as a line (above the bar on a terminal). */
  readonly line: (text: string) => void;
  /** Counts so far (pages, accounts, chunks); total when known. */
  readonly update: (value: number, total: number | undefined, label: string) => void;
  readonly stop: () => void;
}

export function progressLines(what: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const t0 = Date.now();
  const since = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  if (!stream.isTTY) {
    let last = 0;
    return {
      line: (text) => void stream.write(`[${since()}] ${text}\n`),
      update: (value, total, label) => {
        // Plain lines at most once a second, so a log is not flooded.
        if (Date.now() - last < 1000) return;
        last = Date.now();
        stream.write(`[${since()}] ${what}: ${value}${total ? `/${total}` : ''} ${label}\n`);
      },
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream, format: `${what} [{bar}] {value}{of} {label} | {duration}s`, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    // A line above the bar: clear the bar's line, write, and the next update draws the bar again.
    line: (text) => void stream.write(`${started ? '\r\x1b[K' : ''}[${since()}] ${text}\n`),
    update: (value, total, label) => {
      const payload = { label, of: total ? `/${total}` : '' };
      if (!started) {
        bar.start(total ?? Math.max(value, 1), value, payload);
        started = true;
      }
      if (total === undefined) bar.setTotal(Math.max(value, 1));
      else bar.setTotal(total);
      bar.update(value, payload);
    },
    stop: () => started && bar.stop(),
  };
}
