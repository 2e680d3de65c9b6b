/** `lifecycle doctor [--config FILE] [--json]`: one line per check; exit 1 when any fails. */
import type { Command } from 'commander';
import { globalsOf, printJson, run } from './common.js';

export function register(program: Command): void {
  program
    .command('doctor')
    .description(
      'Check this installation, one line per check with its verdict and fix: configuration, secrets, Atlassian key and org, directory, policy ids, break-glass accounts, Entra credentials, Graph permissions, groups, tables, SES sender. Reads only. Exit 1 when a check fails.',
    )
    .action(run('doctor', doctorAction));
}

async function doctorAction(_opts: unknown, cmd: Command): Promise<number> {
  const g = globalsOf(cmd);
  const { runDoctor } = await import('../doctor.js');
  const { doctorExitCode, formatResults } = await import('../doctor-checks.js');
  const results = await runDoctor(g.config === undefined ? {} : { configPath: g.config });
  const code = doctorExitCode(results);
  if (g.json) printJson({ ok: code === 0, checks: results });
  else console.log(formatResults(results));
  return code;
}
