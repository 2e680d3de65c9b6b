/**
 * Lambda handler of the nightly plan (thin door: parse the event, call the core, map the result).
 * EventBridge Scheduler invokes it with `{ "runId": "<aws.scheduler.scheduled-time>" }`, so a
 * redelivered schedule carries the same run id and yields one proposal.
 */
import { loadConfigFromEnv } from '../config/index.js';
import { planAsOf, runPlan, type PlanResult } from '../plan/index.js';
import { awsClients, createApproval, createPlanDeps, runtimeEnv, sfnStarterFor } from '../wiring/index.js';
import { powertoolsLogger, productMetrics, traced } from '../wiring/powertools.js';
import { apiCountsOf, apiDelta, planMetrics } from '../wiring/run-metrics.js';

export interface PlanEvent {
  readonly runId?: string;
  readonly dryRun?: boolean;
  /** Replays: the plan's "today" (YYYY-MM-DD, or an ISO instant with its offset), through its clock. */
  readonly as_of?: string;
}

interface LambdaContext {
  getRemainingTimeInMillis(): number;
  readonly awsRequestId?: string;
}

// Powertools: JSON log lines with the run id kept on each, one EMF metrics line per run, X-Ray
// subsegments for the AWS clients (lambdas/wiring/powertools.ts).
const logger = powertoolsLogger();
const metrics = productMetrics();
let invocationEnds = Number.POSITIVE_INFINITY;
const deps = (async () => {
  const config = loadConfigFromEnv();
  const env = runtimeEnv();
  // A READY proposal is mailed to the approvers at once (the approval step's handoff); a blocked
  // or failed run is mailed to them as an alert. Items auto-approved by configuration start their
  // execution round on the state machine when the proposal is sent.
  const clients = awsClients(env, { wrap: traced });
  const execution = sfnStarterFor({ env, clients });
  const approval = createApproval({ config, env, clients, logger, ...(execution && { execution }) });
  return createPlanDeps({
    config,
    env,
    clients,
    logger,
    deadline: () => invocationEnds - 10_000,
    handoff: approval.handoff,
    alert: approval.sendAlert,
  });
})();
// A bad configuration or secret fails every invocation with its message, not the module load.
deps.catch(() => undefined);

export async function handler(
  event: PlanEvent = {},
  context?: LambdaContext,
): Promise<Omit<PlanResult, 'items'> & { itemCount?: number }> {
  invocationEnds = context ? Date.now() + context.getRemainingTimeInMillis() : Number.POSITIVE_INFINITY;
  const runId = event.runId ?? `manual-${new Date().toISOString()}`;
  logger.keep({ runId, proposalId: undefined });
  if (context?.awsRequestId) logger.correlate(context.awsRequestId);
  const started = Date.now();
  const ready = await deps;
  const before = apiCountsOf(ready.org);
  const planDeps = event.as_of !== undefined ? planAsOf(ready, event.as_of) : ready;
  try {
    const { items, ...result } = await runPlan(planDeps, { runId, ...(event.dryRun && { dryRun: true }) });
    const out = { ...result, ...(items && { itemCount: items.length }) };
    logger.keep({ proposalId: result.proposalId });
    metrics.record(planMetrics(out, apiDelta(before, apiCountsOf(ready.org)), Date.now() - started));
    return out;
  } finally {
    metrics.flush();
  }
}
