/** Structured logging as a port: the core logs events with fields, adapters decide where they go. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One JSON line per event on stdout/stderr (what CloudWatch and a terminal both read well). */
export function jsonLogger(
  options: { minLevel?: LogLevel; write?: (line: string, level: LogLevel) => void } = {},
): Logger {
  const min = LEVELS[options.minLevel ?? 'info'];
  const write =
    options.write ??
    ((line, level) => (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(`${line}\n`));
  return {
    log(level, message, fields) {
      if (LEVELS[level] < min) return;
      write(JSON.stringify({ level, time: new Date().toISOString(), message, ...fields }), level);
    },
  };
}

export const silentLogger: Logger = { log: () => undefined };

/** A logger that keeps every line, for tests that assert what was (and was not) logged. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (level, message, fields) => lines.push(JSON.stringify({ level, message, ...fields })) };
}
