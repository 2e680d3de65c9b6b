/**
 * The names the deployed functions log and count under, shared by the handlers (lambdas/handlers)
 * and the stack (lib/): the alarms and the dashboard read exactly these. Every metric name is one
 * custom CloudWatch metric (about $0.30 a month each): keep the list short and the dimensions to
 * the one `service` dimension Powertools adds.
 */
export const SERVICE_NAME = 'atlassian-lifecycle';
export const METRICS_NAMESPACE = 'AtlassianLifecycle';

/** The product's metrics (EMF, emitted by lambdas/wiring/powertools.ts). */
export const MetricName = {
  /** Managed accounts the plan evaluated. */
  ACCOUNTS_READ: 'AccountsRead',
  /** Items the plan proposed (a dry run counts too). */
  ITEMS_PROPOSED: 'ItemsProposed',
  /** Approved items an execution round took on (counted when a round is prepared, not when resumed). */
  ITEMS_APPROVED: 'ItemsApproved',
  ITEMS_DONE: 'ItemsDone',
  ITEMS_FAILED: 'ItemsFailed',
  ITEMS_SKIPPED: 'ItemsSkipped',
  /** Requests to the Atlassian admin APIs, retries included. */
  API_REQUESTS: 'ApiRequests',
  /** 429 answers of the Atlassian admin APIs. */
  API_THROTTLES: 'ApiThrottles',
  /** Plan runs that finished (proposed, nothing to propose, blocked by a safety rule, duplicate). */
  PLAN_RUNS: 'PlanRuns',
  /** Wall time of a plan run, in milliseconds. */
  PLAN_WALL_TIME: 'PlanWallTime',
  /** Proposals the hourly sweep expired undecided. */
  PROPOSALS_EXPIRED: 'ProposalsExpired',
} as const;
export type MetricName = (typeof MetricName)[keyof typeof MetricName];

/** The archiver's tamper count (lambdas/handlers/audit-archive.ts), in the same namespace, with no dimension. */
export const TAMPER_EVENTS_METRIC = 'TamperEvents';

/** The environment the stack sets on every function, read by Powertools itself. */
export function powertoolsEnvironment(logLevel = 'INFO'): Record<string, string> {
  return {
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    POWERTOOLS_LOG_LEVEL: logLevel,
  };
}
