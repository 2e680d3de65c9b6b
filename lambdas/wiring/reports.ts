/**
 * The monthly report's dependencies. Not exported from wiring/index.ts: it loads the chart stack
 * (Vega, resvg's native binary), which only the report function and the CLI carry.
 */
import { SesMailer } from '../mail/index.js';
import type { MonthlyReportDeps, MonthlyReportOptions } from '../reports/report.js';
import { systemClock } from '../shared/clock.js';
import { resolveSetting } from '../shared/secrets.js';
import type { AtlassianClient } from '../atlassian/index.js';
import { OrgAccountFacts } from './account-facts.js';
import { financeStores } from './finance.js';
import { awsSecretResolver } from './aws-secrets.js';
import { awsClients } from './clients.js';
import { atlassianClientFor, type PlanWiring } from './plan.js';
import { jsonLogger } from '../shared/logger.js';

export type ReportWiring = Omit<PlanWiring, 'handoff' | 'alert' | 'graphCa'> & {
  /** Read every account for the billed-accounts CSV (needs the Atlassian API key). @default true */
  readonly billedAccounts?: boolean;
};

/** The Atlassian client of the configuration, with its API key resolved. */
export async function atlassianFor(w: ReportWiring): Promise<AtlassianClient> {
  const clock = w.clock ?? systemClock;
  const logger = w.logger ?? jsonLogger();
  const secrets = w.secrets ?? awsSecretResolver((w.clients ?? awsClients(w.env)).secrets);
  const apiKey = await resolveSetting(secrets, w.config.atlassian.apiKey, 'atlassian.apiKey');
  return atlassianClientFor(w.config, apiKey, { clock, logger, ...(w.deadline && { deadline: w.deadline }) });
}

/** Everything the monthly report needs, and its options from the configuration. */
export async function createReportDeps(
  w: ReportWiring,
): Promise<{ deps: MonthlyReportDeps; options: MonthlyReportOptions }> {
  const clients = w.clients ?? awsClients(w.env);
  const stores = financeStores(clients.db, w.env.tables.seats);
  const accounts = w.billedAccounts === false ? undefined : new OrgAccountFacts(await atlassianFor(w));
  return {
    deps: {
      ...stores,
      ...(accounts && { accounts }),
      mailer: new SesMailer(clients.ses),
      clock: w.clock ?? systemClock,
    },
    options: {
      orgId: w.config.orgId,
      settings: w.config.finance,
      policies: w.config.policies,
      from: w.config.approval.from,
    },
  };
}
