/** `lifecycle report [--month YYYY-MM] [--send] [--out DIR]`: the monthly finance report. */
import type { Command } from 'commander';
import { globalsOf, loadConfig, printJson, run, stderrLogger } from './common.js';
import { checkStore } from './store-check.js';

interface ReportOpts {
  readonly month?: string;
  readonly send?: boolean;
  readonly out?: string;
}

export function register(program: Command): void {
  program
    .command('report')
    .description(
      'The monthly finance report as of now, or of the billing period starting in --month: prints its text, writes the chart and CSVs to --out, and mails it to finance.recipients with --send.',
    )
    .option('--month <YYYY-MM>', 'the billing period starting in this month')
    .option('--send', 'mail it to finance.recipients')
    .option('--out <dir>', 'write the chart (PNG) and the CSVs here')
    .action(run('report', reportAction));
}

async function reportAction(opts: ReportOpts, cmd: Command): Promise<number> {
  const g = globalsOf(cmd);
  const config = loadConfig(g);
  const { runtimeEnv } = await import('../../lambdas/wiring/index.js');
  const { createReportDeps } = await import('../../lambdas/wiring/reports.js');
  const { reportCommand } = await import('../report-run.js');
  const env = runtimeEnv();
  await checkStore(env, ['seats']);
  const { deps, options } = await createReportDeps({ config, env, logger: stderrLogger(g) });
  const r = await reportCommand(deps, options, opts);
  if (g.json) printJson(r);
  else console.log(r.text);
  for (const f of r.files) console.error(`wrote ${f}`);
  if (r.messageId) console.error(`sent to ${r.recipients.join(', ')} (message ${r.messageId})`);
  return 0;
}
