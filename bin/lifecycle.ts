/**
 * The `lifecycle` command line (`npx lifecycle …`, or `npm run lifecycle -- …`). The commands are
 * in bin/cli/ (one module each, listed in bin/cli/program.ts); they use the same core as the
 * Lambda functions, against whatever the configuration and environment point at.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { CommanderError } from 'commander';
import { buildProgram } from './cli/program.js';
import { ExitCode } from './cli/common.js';
import { suggestOption } from './cli/suggest.js';

/** Exits once everything written to stdout and stderr is flushed (a piped `audit ...` loses nothing). */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

const program = buildProgram();
try {
  if (process.argv.length <= 2) {
    program.outputHelp({ error: true });
    exitAfterFlush(ExitCode.USAGE);
  } else {
    await program.parseAsync(process.argv);
    exitAfterFlush(Number(process.exitCode ?? 0));
  }
} catch (err) {
  if (!(err instanceof CommanderError)) throw err;
  // --help and --version end here with code 0; every usage error (unknown command, option or
  // argument, a missing or invalid value) with 2, before anything ran.
  const help = ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(err.code);
  if (!help && err.code === 'commander.excessArguments') {
    const hint = suggestOption(program, process.argv.slice(2));
    if (hint) console.error(hint);
  }
  exitAfterFlush(help ? ExitCode.OK : ExitCode.USAGE);
}
