import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import {
  createApprovalService,
  type ApprovalDeps,
  type ApprovalService,
  type MailRequests,
} from '../approval/index.js';
import type { Config } from '../config/index.js';
import type { ExecutionStarter } from '../domain/ports.js';
import { SesMailer } from '../mail/index.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { jsonLogger, type Logger } from '../shared/logger.js';
import {
  AuditReader,
  DynamoAuditLog,
  DynamoOpenProposals,
  DynamoProposalStore,
  DynamoRunStore,
  DynamoTokenStore,
  type TableNames,
} from '../store/index.js';
import { awsClients, type AwsClients } from './clients.js';
import { withReviewBaseUrl, type RuntimeEnv } from './env.js';
import { refusingMailer } from './mail-requests.js';
import { awsSecretResolver } from './aws-secrets.js';
import type { SecretResolver } from '../shared/secrets.js';
import type { OidcFetch, SignInDeps } from '../approval/signin/index.js';

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
  /**
   * Where the site's mail requests go. When given (the mailer function on AWS), these deps send no
   * mail themselves: their Mailer refuses.
   * @default fulfilled in process with SES
   */
  readonly mailRequests?: MailRequests;
  /** How approvers sign in (approval.signIn): the resolver of its client secret. @default sign-in fails closed */
  readonly signIn?: SignInDeps;
}

/** Every approval port on DynamoDB and SES v2, from clients built once by the caller. */
export function approvalDeps(w: ApprovalWiring): ApprovalDeps {
  const clock = w.clock ?? systemClock;
  return {
    config: w.config,
    clock,
    logger: w.logger ?? jsonLogger(),
    // The review site's grant holds no BatchWriteItem (it would allow deletes): items go one PutItem each.
    proposals: new DynamoProposalStore(w.db, w.tables.state, clock, { batchWrites: false }),
    tokens: new DynamoTokenStore(w.db, w.tables.state),
    openProposals: new DynamoOpenProposals(w.db, w.tables.state),
    runs: new DynamoRunStore(w.db, w.tables.state),
    audit: new DynamoAuditLog(w.db, w.tables.audit, clock),
    auditTrail: new AuditReader(w.db, w.tables.audit),
    mailer: w.mailRequests ? refusingMailer : new SesMailer(w.ses),
    ...(w.execution && { execution: w.execution }),
    ...(w.mailRequests && { mailRequests: w.mailRequests }),
    ...(w.signIn && { signIn: w.signIn }),
  };
}

/** The approval step wired to DynamoDB and SES (the emulator locally), for handlers, the CLI and the demo. */
export function createApproval(w: {
  config: Config;
  env: RuntimeEnv;
  clock?: Clock;
  logger?: Logger;
  execution?: ExecutionStarter;
  /** @default fulfilled in process (see ApprovalWiring.mailRequests) */
  mailRequests?: MailRequests;
  /** The domain a Function URL request arrived on (the review URL of last resort, see reviewBaseUrlOf). */
  requestDomain?: string;
  /** @default clients built for `env` */
  clients?: AwsClients;
  /** Reads the sign-in client secret. @default Secrets Manager through the clients, env references from process.env */
  secrets?: SecretResolver;
  /** The relying party's fetch (tests). @default the global fetch */
  oidcFetch?: OidcFetch;
}): ApprovalService {
  const clients = w.clients ?? awsClients(w.env);
  const secrets = w.secrets ?? awsSecretResolver(clients.secrets);
  return createApprovalService(
    approvalDeps({
      config: withReviewBaseUrl(w.config, w.env, w.requestDomain),
      db: clients.db,
      ses: clients.ses,
      tables: w.env.tables,
      ...(w.clock && { clock: w.clock }),
      ...(w.logger && { logger: w.logger }),
      ...(w.execution && { execution: w.execution }),
      ...(w.mailRequests && { mailRequests: w.mailRequests }),
      signIn: { secrets, ...(w.oidcFetch && { fetch: w.oidcFetch }) },
    }),
  );
}
