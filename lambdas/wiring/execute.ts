/** Execution's dependencies from the configuration: the same ports for the Lambda steps, the CLI and the local stack. */
import { createEntraDirectoryFromConfig } from '../entra/index.js';
import { resolveSetting } from '../shared/secrets.js';
import { awsSecretResolver } from './aws-secrets.js';
import { mailerExecMail, type ExecDeps } from '../execute/index.js';
import { SesMailer } from '../mail/index.js';
import { systemClock } from '../shared/clock.js';
import { jsonLogger } from '../shared/logger.js';
import { DynamoAuditLog, DynamoExecutionStore, DynamoProposalStore, DynamoTokenStore } from '../store/index.js';
import { awsClients } from './clients.js';
import { withReviewBaseUrl } from './env.js';
import { keepLinkIssuer, undoLinkIssuer } from '../approval/index.js';
import { atlassianClientFor, entraLoggerOf, type PlanWiring } from './plan.js';
import { executionFinanceFor } from './finance.js';

export type ExecWiring = Omit<PlanWiring, 'handoff' | 'alert'>;

export async function createExecDeps(w: ExecWiring): Promise<ExecDeps> {
  const clock = w.clock ?? systemClock;
  const logger = w.logger ?? jsonLogger();
  const clients = w.clients ?? awsClients(w.env);
  const secrets = w.secrets ?? awsSecretResolver(clients.secrets);
  const { config } = w;
  const { db } = clients;
  const ca = w.graphCa ?? w.env.graphCa;
  const tokens = new DynamoTokenStore(db, w.env.tables.state);
  // Keep links go to the review site; without its URL, warnings go out without one (a product use still keeps the account).
  const withSite = withReviewBaseUrl(config, w.env);
  const org = atlassianClientFor(config, await resolveSetting(secrets, config.atlassian.apiKey, 'atlassian.apiKey'), {
    clock,
    logger,
    ...(w.deadline && { deadline: w.deadline }),
  });
  return {
    config,
    clock,
    logger,
    org,
    finance: executionFinanceFor(config, { db, seatsTable: w.env.tables.seats, org, clock }),
    entra: await createEntraDirectoryFromConfig(config, {
      secrets,
      logger: entraLoggerOf(logger),
      clock,
      ...(ca && { ca }),
    }),
    proposals: new DynamoProposalStore(db, w.env.tables.state, clock),
    executions: new DynamoExecutionStore(db, w.env.tables.state, clock),
    ballots: tokens,
    ...(withSite.approval.reviewBaseUrl && { keepLink: keepLinkIssuer(withSite, tokens, clock) }),
    audit: new DynamoAuditLog(db, w.env.tables.audit, clock),
    mail: mailerExecMail(
      new SesMailer(clients.ses),
      config,
      withSite.approval.reviewBaseUrl ? undoLinkIssuer(withSite, tokens, clock) : undefined,
    ),
    ...(w.deadline && { deadline: w.deadline }),
  };
}
