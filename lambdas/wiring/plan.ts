import { AtlassianClient } from '../atlassian/index.js';
import type { Config } from '../config/index.js';
import { createEntraDirectoryFromConfig, type EntraLogger } from '../entra/index.js';
import type { PlanDeps, ProposalHandoff, RunAlerter } from '../plan/index.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { jsonLogger, type Logger } from '../shared/logger.js';
import { resolveSetting, type SecretResolver } from '../shared/secrets.js';
import { awsSecretResolver } from './aws-secrets.js';
import {
  DynamoAuditLog,
  DynamoLockStore,
  DynamoProposalStore,
  DynamoRunStore,
  DynamoSeatStore,
  DynamoExecutedChanges,
} from '../store/index.js';
import { awsClients, type AwsClients } from './clients.js';
import type { RuntimeEnv } from './env.js';
import { checkStore } from './store-check.js';

export interface PlanWiring {
  readonly config: Config;
  readonly env: RuntimeEnv;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default JSON lines on stdout/stderr */
  readonly logger?: Logger;
  /** @default Secrets Manager for `secretsManager` references, process.env for `env` ones */
  readonly secrets?: SecretResolver;
  /** Extra CA (PEM) trusted for Graph and the token endpoint: the local Graph simulator's. */
  readonly graphCa?: string;
  /** Epoch ms by which the invocation must end (Lambda: now + remaining time). */
  readonly deadline?: () => number;
  readonly handoff?: ProposalHandoff;
  readonly alert?: RunAlerter;
  /** @default clients built for `env` */
  readonly clients?: AwsClients;
  /**
   * Check the three tables before anything else (checkStore), so a store that is down or misnamed is
   * said at once. @default true outside Lambda (a function's tables are the stack's, and its role has
   * no DescribeTable)
   */
  readonly checkStore?: boolean;
}

export function entraLoggerOf(logger: Logger): EntraLogger {
  return {
    debug: (m, f) => logger.log('debug', m, f),
    info: (m, f) => logger.log('info', m, f),
    warn: (m, f) => logger.log('warn', m, f),
  };
}

/** The Atlassian client for the configured org (pacing, retries and deadline as every use case has them). */
export function atlassianClientFor(
  config: Config,
  apiKey: string,
  o: { clock: Clock; logger: Logger; deadline?: () => number },
): AtlassianClient {
  return new AtlassianClient({
    baseUrl: config.atlassian.baseUrl,
    apiKey,
    orgId: config.orgId,
    directoryId: config.atlassian.directoryId,
    ...o,
  });
}

/** Builds every port the plan needs from the configuration and the environment. */
export async function createPlanDeps(w: PlanWiring): Promise<PlanDeps> {
  const clock = w.clock ?? systemClock;
  const logger = w.logger ?? jsonLogger();
  const clients = w.clients ?? awsClients(w.env);
  const secrets = w.secrets ?? awsSecretResolver(clients.secrets);
  const { db } = clients;
  const { config } = w;
  if (w.checkStore ?? !process.env.AWS_LAMBDA_FUNCTION_NAME) await checkStore(db, w.env);
  const apiKey = await resolveSetting(secrets, config.atlassian.apiKey, 'atlassian.apiKey');
  const entra = await createEntraDirectoryFromConfig(config, {
    secrets,
    logger: entraLoggerOf(logger),
    clock,
    ...((w.graphCa ?? w.env.graphCa) && { ca: w.graphCa ?? w.env.graphCa }),
  });
  return {
    config,
    clock,
    logger,
    entra,
    org: atlassianClientFor(config, apiKey, { clock, logger, ...(w.deadline && { deadline: w.deadline }) }),
    proposals: new DynamoProposalStore(db, w.env.tables.state, clock),
    audit: new DynamoAuditLog(db, w.env.tables.audit, clock),
    runs: new DynamoRunStore(db, w.env.tables.state, w.env.tables.audit),
    locks: new DynamoLockStore(db, w.env.tables.state, clock),
    seats: new DynamoSeatStore(db, w.env.tables.seats),
    executedChanges: new DynamoExecutedChanges(db, w.env.tables.seats),
    ...(w.handoff && { handoff: w.handoff }),
    ...(w.alert && { alert: w.alert }),
  };
}
