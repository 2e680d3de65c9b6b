/** `lifecycle seats ...` and `lifecycle report ...`: argument checks and wiring (bodies in seats.ts, report-run.ts). */
import type { Config } from '../lambdas/config/index.js';
import { financeStores, OrgAccountFacts, dynamoClientFor, type RuntimeEnv } from '../lambdas/wiring/index.js';
import { atlassianFor, createReportDeps } from '../lambdas/wiring/reports.js';
import { jsonLogger } from '../lambdas/shared/index.js';

export interface FinanceCommand {
  readonly command: 'seats' | 'report';
  readonly sub?: string;
  readonly arg?: string;
  readonly values: { from?: string; to?: string; format?: string; month?: string; send?: boolean; out?: string };
  readonly config: Config;
  readonly env: RuntimeEnv;
}

/** Log lines of the Atlassian client go to stderr, warnings only: stdout is the answer. */
const logger = jsonLogger({ minLevel: 'warn', write: (line) => process.stderr.write(`${line}\n`) });

export async function runFinanceCommand(c: FinanceCommand): Promise<number> {
  const { config, env, values } = c;
  if (c.command === 'seats' && c.sub === 'why') {
    if (!c.arg) {
      console.error('lifecycle seats why takes one email or account id');
      return 2;
    }
    const { seatsWhyCommand } = await import('./seats.js');
    const accounts = new OrgAccountFacts(await atlassianFor({ config, env, logger }));
    console.log(await seatsWhyCommand(accounts, config, c.arg));
    return 0;
  }
  if (c.command === 'seats') {
    if (c.sub !== undefined) {
      console.error(`lifecycle seats: unknown argument "${c.sub}" (did you mean "seats why ${c.sub}"?)`);
      return 2;
    }
    const { seatsCommand } = await import('./seats.js');
    const { snapshots } = financeStores(dynamoClientFor(env), env.tables.seats);
    process.stdout.write(await seatsCommand(snapshots, config, values, Date.now()));
    return 0;
  }
  if (c.sub !== undefined) {
    console.error(`lifecycle report takes options only (got "${c.sub}")`);
    return 2;
  }
  const { reportCommand } = await import('./report-run.js');
  const { deps, options } = await createReportDeps({ config, env, logger });
  const run = await reportCommand(deps, options, values);
  console.log(run.text);
  for (const f of run.files) console.error(`wrote ${f}`);
  if (run.messageId) console.error(`sent to ${run.recipients.join(', ')} (message ${run.messageId})`);
  return 0;
}
