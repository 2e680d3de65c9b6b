import type { Config } from '../config/index.js';
import { localTableNames, type TableNames } from '../store/tables.js';

/**
 * Environment of a deployed function or a local run. The CDK stack sets the table names; a local
 * run sets the DynamoDB endpoint (DynamoDB Local) and may use the default local table names.
 */
export interface RuntimeEnv {
  readonly tables: TableNames;
  /** DynamoDB endpoint override (DynamoDB Local); absent on AWS. */
  readonly dynamoEndpoint?: string;
  readonly region: string;
  /** Extra CA (PEM) trusted for Graph and its token endpoint (a local Graph simulator's); absent on AWS. */
  readonly graphCa?: string;
  /** SES endpoint override (the SES v2 emulator); absent on AWS. */
  readonly sesEndpoint?: string;
  /** The review site's base URL when the configuration does not name one (the stack sets the Function URL). */
  readonly reviewBaseUrl?: string;
  /** The execution state machine (the stack sets it for the functions that start executions); absent locally. */
  readonly stateMachineArn?: string;
  /** The mailer function the review site hands its mail to (the stack sets it for the site); absent locally. */
  readonly mailerFunction?: string;
}

/**
 * The review site's base URL, by the one rule every entry point uses: the configuration's
 * `approval.reviewBaseUrl`, else the environment's (the stack's Function URL, the local server),
 * else the domain a Function URL request arrived on (set by AWS in the request context, not by
 * the client: the function cannot be given its own URL at deploy time without a dependency cycle).
 * Undefined when none is known: then there is no link to mail.
 */
export function reviewBaseUrlOf(config: Config, env: RuntimeEnv, requestDomain?: string): string | undefined {
  return config.approval.reviewBaseUrl ?? env.reviewBaseUrl ?? (requestDomain ? `https://${requestDomain}` : undefined);
}

/** The configuration with the review site's URL filled in (reviewBaseUrlOf) when it names none. */
export function withReviewBaseUrl(config: Config, env: RuntimeEnv, requestDomain?: string): Config {
  const url = reviewBaseUrlOf(config, env, requestDomain);
  if (config.approval.reviewBaseUrl || !url) return config;
  return { ...config, approval: { ...config.approval, reviewBaseUrl: url } };
}

export function runtimeEnv(env: NodeJS.ProcessEnv = process.env): RuntimeEnv {
  const local = localTableNames(env.LIFECYCLE_TABLE_PREFIX ?? 'lifecycle');
  return {
    tables: {
      state: env.LIFECYCLE_TABLE_STATE ?? local.state,
      audit: env.LIFECYCLE_TABLE_AUDIT ?? local.audit,
      seats: env.LIFECYCLE_TABLE_SEATS ?? local.seats,
    },
    ...(env.LIFECYCLE_DYNAMODB_ENDPOINT && { dynamoEndpoint: env.LIFECYCLE_DYNAMODB_ENDPOINT }),
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(env.LIFECYCLE_GRAPH_CA && { graphCa: env.LIFECYCLE_GRAPH_CA }),
    ...(env.LIFECYCLE_SES_ENDPOINT && { sesEndpoint: env.LIFECYCLE_SES_ENDPOINT }),
    ...(env.LIFECYCLE_REVIEW_BASE_URL && { reviewBaseUrl: env.LIFECYCLE_REVIEW_BASE_URL.replace(/\/+$/, '') }),
    ...(env.LIFECYCLE_EXECUTION_STATE_MACHINE_ARN && { stateMachineArn: env.LIFECYCLE_EXECUTION_STATE_MACHINE_ARN }),
    ...(env.LIFECYCLE_MAILER_FUNCTION && { mailerFunction: env.LIFECYCLE_MAILER_FUNCTION }),
  };
}
