import { SESv2Client } from '@aws-sdk/client-sesv2';
import { approvalDeps, createApprovalService, type ApprovalService, type ExecutionStarter } from '../approval/index.js';
import type { Config } from '../config/index.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { RuntimeEnv } from './env.js';
import { dynamoClientFor } from './plan-deps.js';

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
