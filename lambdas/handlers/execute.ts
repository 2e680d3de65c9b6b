/**
 * Lambda handler of the execution state machine's Task states (thin door: every step goes to the
 * one dispatcher, runStep). Step Functions matches a Retry's ErrorEquals on the Lambda error type,
 * which is the thrown error's `name`: errors are left to propagate as they are.
 */
import { loadConfigFromEnv } from '../config/index.js';
import type { ExecDeps, StepOutput } from '../execute/index.js';
import { runStep } from '../execute/index.js';
import { awsClients, createExecDeps, runtimeEnv } from '../wiring/index.js';
import { powertoolsLogger, productMetrics, traced } from '../wiring/powertools.js';
import { apiCountsOf, apiDelta, stepMetrics } from '../wiring/run-metrics.js';

interface LambdaContext {
  getRemainingTimeInMillis(): number;
  readonly awsRequestId?: string;
}

// Powertools: JSON log lines with the proposal id kept, one EMF line per step (approved items of a
// prepared round, the outcome of a finished one, API requests and 429s), AWS clients traced.
const logger = powertoolsLogger();
const metrics = productMetrics();

let invocationEnds = Number.POSITIVE_INFINITY;
let deps: Promise<ExecDeps> | undefined;

/**
 * Built once per container; the deadline is read per invocation (a chunk stops taking new work in
 * time and reports `more`, and the state machine runs it again). A failed build (a secret not
 * readable yet) is not kept: the next invocation, or the state machine's retry, builds again.
 */
function execDeps(): Promise<ExecDeps> {
  if (!deps) {
    const env = runtimeEnv();
    const built = createExecDeps({
      config: loadConfigFromEnv(),
      env,
      clients: awsClients(env, { wrap: traced }),
      logger,
      deadline: () => invocationEnds,
    });
    built.catch(() => {
      if (deps === built) deps = undefined;
    });
    deps = built;
  }
  return deps;
}

export async function step(event: unknown, context?: LambdaContext): Promise<StepOutput> {
  invocationEnds = context ? Date.now() + context.getRemainingTimeInMillis() : Number.POSITIVE_INFINITY;
  const input = event as { proposalId?: unknown; step?: unknown } | undefined;
  logger.keep({
    proposalId: typeof input?.proposalId === 'string' ? input.proposalId : undefined,
    step: typeof input?.step === 'string' ? input.step : undefined,
  });
  if (context?.awsRequestId) logger.correlate(context.awsRequestId);
  const deps = await execDeps();
  const before = apiCountsOf(deps.org);
  try {
    const output = await runStep(deps, event);
    metrics.record(stepMetrics(output, apiDelta(before, apiCountsOf(deps.org))));
    return output;
  } finally {
    metrics.flush();
  }
}
