import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Config } from '../config/index.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { jsonLogger, type Logger } from '../shared/logger.js';
import { DynamoAuditLog } from '../store/audit-log.js';
import { DynamoProposalStore } from '../store/proposals.js';
import { DynamoRunStore } from '../store/runs.js';
import type { TableNames } from '../store/tables.js';
import { DynamoTokenStore } from '../store/tokens.js';
import { DynamoOpenProposals } from './open-proposals.js';
import type { ApprovalDeps, ExecutionStarter } from './ports.js';
import { SesMailer } from './ses-mailer.js';

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
