/** `lifecycle seats [--from --to --format]` and `lifecycle seats why <email|accountId>`. */
import { InvalidArgumentError, type Command } from 'commander';
import { globalsOf, loadConfig, printJson, run, stderrLogger } from './common.js';
import { checkStore } from './store-check.js';

interface SeatsOpts {
  readonly from?: string;
  readonly to?: string;
  readonly format?: string;
}

const FORMATS = ['table', 'csv', 'json'];

function parseFormat(value: string): string {
  if (!FORMATS.includes(value)) throw new InvalidArgumentError(`"${value}": expected table, csv or json.`);
  return value;
}

export function register(program: Command): void {
  const seats = program
    .command('seats')
    .description('Guard seat snapshots stored in the range (default the last 31 days), one row per snapshot.')
    .option('--from <date>', 'first day (YYYY-MM-DD) or instant (ISO 8601)')
    .option('--to <date>', 'last day or instant')
    .option('--format <format>', 'table, csv or json (default table; --json implies json)', parseFormat)
    .action(run('seats', seatsAction));
  seats
    .command('why')
    .description('Why one account is or is not billed under finance.tier, with the evidence.')
    .argument('<who>', 'email or account id')
    .action(run('seats why', whyAction));
}

async function seatsAction(opts: SeatsOpts, cmd: Command): Promise<number> {
  const g = globalsOf(cmd);
  const config = loadConfig(g);
  const { runtimeEnv, financeStores, dynamoClientFor } = await import('../../lambdas/wiring/index.js');
  const { seatsCommand } = await import('../seats.js');
  const env = runtimeEnv();
  await checkStore(env, ['seats']);
  const { snapshots } = financeStores(dynamoClientFor(env), env.tables.seats);
  const format = g.json ? 'json' : opts.format;
  process.stdout.write(await seatsCommand(snapshots, config, { ...opts, ...(format && { format }) }, Date.now()));
  return 0;
}

async function whyAction(who: string, _opts: unknown, cmd: Command): Promise<number> {
  const g = globalsOf(cmd);
  const config = loadConfig(g);
  const { runtimeEnv, OrgAccountFacts } = await import('../../lambdas/wiring/index.js');
  const { atlassianFor } = await import('../../lambdas/wiring/reports.js');
  const { seatsWhyAnswer } = await import('../seats.js');
  const accounts = new OrgAccountFacts(await atlassianFor({ config, env: runtimeEnv(), logger: stderrLogger(g) }));
  const answer = await seatsWhyAnswer(accounts, config, who);
  if (g.json) printJson(answer);
  else console.log(answer.line);
  return 0;
}
