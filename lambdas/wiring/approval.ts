import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { createApprovalService, type ApprovalDeps, type ApprovalService } from '../approval/index.js';
import type { Config } from '../config/index.js';
import type { ExecutionStarter } from '../domain/ports.js';
import { SesMailer } from '../mail/index.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { jsonLogger, type Logger } from '../shared/logger.js';
import {
  DynamoAuditLog,
  DynamoOpenProposals,
  DynamoProposalStore,
  DynamoRunStore,
  DynamoTokenStore,
  type TableNames,
} from '../store/index.js';
import type { RuntimeEnv } from './env.js';
import { dynamoClientFor } from './plan-deps.js';

export interface ApprovalWiring {
  readonly config: Config;
  readonly db: DynamoDBClient;
  readonly ses: SESv2Client;
  readonly tables: TableNames;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default JSON lines on stdout/stderr */
  readonly logger?: Logger;
  /** @default none (decisions are recorded; a warning says no executor is wired) */
  readonly execution?: ExecutionStarter;
}

/** Every approval port on DynamoDB and SES v2, from clients built once by the caller. */
export function approvalDeps(w: ApprovalWiring): ApprovalDeps {
  const clock = w.clock ?? systemClock;
  return {
    config: w.config,
    clock,
    logger: w.logger ?? jsonLogger(),
    proposals: new DynamoProposalStore(w.db, w.tables.state, clock),
    tokens: new DynamoTokenStore(w.db, w.tables.state),
    openProposals: new DynamoOpenProposals(w.db, w.tables.state),
    runs: new DynamoRunStore(w.db, w.tables.state),
    audit: new DynamoAuditLog(w.db, w.tables.audit, clock),
    mailer: new SesMailer(w.ses),
    ...(w.execution && { execution: w.execution }),
  };
}

/** The configuration with the review site's URL filled in when it names none. */
export function withReviewBaseUrl(config: Config, url: string | undefined): Config {
  if (config.approval.reviewBaseUrl || !url) return config;
  return { ...config, approval: { ...config.approval, reviewBaseUrl: url } };
}

export function sesClientFor(env: RuntimeEnv): SESv2Client {
  return new SESv2Client({
    region: env.region,
    ...(env.sesEndpoint && {
      endpoint: env.sesEndpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  });
}

/** The approval step wired to DynamoDB and SES (the emulator locally), for handlers, the CLI and the demo. */
export function createApproval(w: {
  config: Config;
  env: RuntimeEnv;
  clock?: Clock;
  logger?: Logger;
  execution?: ExecutionStarter;
}): ApprovalService {
  return createApprovalService(
    approvalDeps({
      config: withReviewBaseUrl(w.config, w.env.reviewBaseUrl),
      db: dynamoClientFor(w.env),
      ses: sesClientFor(w.env),
      tables: w.env.tables,
      ...(w.clock && { clock: w.clock }),
      ...(w.logger && { logger: w.logger }),
      ...(w.execution && { execution: w.execution }),
    }),
  );
}
