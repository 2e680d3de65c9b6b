/**
 * What every `lifecycle` command shares: the exit codes, the global options (--config, --json,
 * --verbose), the configuration and environment, and the mapping of errors to a message a person
 * can act on and an exit code.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError, loadConfigFile, loadConfigFromEnv, type Config } from '../../lambdas/config/index.js';
import { jsonLogger, type Logger } from '../../lambdas/shared/index.js';
import { AtlassianError } from '../../lambdas/atlassian/index.js';
import { EntraError } from '../../lambdas/entra/index.js';
import { describeStoreError } from './store-check.js';

export const ExitCode = { OK: 0, FAILED: 1, USAGE: 2, SAFETY: 3 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODES_HELP = `
Exit codes: 0 ok, 1 failed (the message says what and how to fix it), 2 usage (a bad argument,
option or configuration: nothing was run), 3 safety block (a safety check stopped the run).`;

/** A wrong argument or option value, found before anything runs: exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A safety check stopped the work (break-glass, caps, an override required): exit 3. */
export class SafetyBlockError extends Error {
  override readonly name = 'SafetyBlockError';
}

/** A failure already explained in its message (no error class name printed): exit 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

export interface GlobalOptions {
  readonly config?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

export function globalsOf(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

/** --config FILE, else LIFECYCLE_CONFIG / LIFECYCLE_CONFIG_FILE; a message names what was used. */
export function loadConfig(g: GlobalOptions): Config {
  if (g.config === undefined) return loadConfigFromEnv();
  try {
    readFileSync(g.config);
  } catch (cause) {
    throw new ConfigError(
      `--config ${g.config}: cannot read the file (${(cause as NodeJS.ErrnoException).code ?? cause}). Pass the path of an existing JSON configuration file (config/example.local.json is a valid starting point).`,
      [],
      { cause },
    );
  }
  return loadConfigFile(g.config);
}

/** Log lines (JSON) go to stderr, warnings and errors only unless --verbose: stdout is the answer. */
export function stderrLogger(g: GlobalOptions): Logger {
  return jsonLogger({ minLevel: g.verbose ? 'debug' : 'warn', write: (line) => process.stderr.write(`${line}\n`) });
}

/** Prints a value as one JSON document on stdout (--json). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

const EXPLAINED = new Set(['UndoError', 'SeatsQueryError', 'CliError', 'UsageError', 'SafetyBlockError']);

/** The message and exit code for an error that ended a command. */
export function describeError(err: unknown, command: string): { code: ExitCode; message: string } {
  const e = err as Error;
  if (err instanceof ConfigError) return { code: ExitCode.USAGE, message: e.message };
  if (err instanceof UsageError) return { code: ExitCode.USAGE, message: `lifecycle ${command}: ${e.message}` };
  if (err instanceof SafetyBlockError) return { code: ExitCode.SAFETY, message: `lifecycle ${command}: ${e.message}` };
  // Already explained: its text may quote an SDK message (STS "Could not load credentials") that is not about the database.
  if (err instanceof CliError) return { code: ExitCode.FAILED, message: `lifecycle ${command}: ${e.message}` };
  // An Atlassian or Graph error that mentions a refused socket is about that API, never the database.
  const ownApiError = err instanceof AtlassianError || err instanceof EntraError;
  const store = ownApiError ? undefined : describeStoreError(err);
  if (ownApiError) return { code: ExitCode.FAILED, message: `lifecycle ${command}: ${e.message}` };
  if (store) return { code: ExitCode.FAILED, message: `lifecycle ${command}: ${store}` };
  if (EXPLAINED.has(e?.name)) return { code: ExitCode.FAILED, message: `lifecycle ${command}: ${e.message}` };
  return {
    code: ExitCode.FAILED,
    message: `lifecycle ${command}: ${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`,
  };
}

/**
 * Wraps a command's body: its returned exit code, or the code and message of what it threw
 * (on stderr, and with --json also as `{ ok: false, error, exitCode }` on stdout).
 */
export function run<A extends unknown[]>(
  name: string,
  body: (...args: A) => Promise<number>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const cmd = args[args.length - 1] as Command;
    try {
      process.exitCode = await body(...args);
    } catch (err) {
      const { code, message } = describeError(err, name);
      console.error(message);
      if (globalsOf(cmd).json) printJson({ ok: false, error: message, exitCode: code });
      process.exitCode = code;
    }
  };
}
