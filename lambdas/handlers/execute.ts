/**
 * Lambda handler of the execution state machine's Task states (thin door: every step goes to the
 * one dispatcher, runStep). Step Functions matches a Retry's ErrorEquals on the Lambda error type,
 * which is the thrown error's `name`: errors are left to propagate as they are.
 */
import { loadConfigFromEnv } from '../config/index.js';
import type { ExecDeps, StepOutput } from '../execute/index.js';
import { runStep } from '../execute/index.js';
import { createExecDeps, runtimeEnv } from '../wiring/index.js';

interface LambdaContext {
  getRemainingTimeInMillis(): number;
}

let invocationEnds = Number.POSITIVE_INFINITY;
let deps: Promise<ExecDeps> | undefined;

/**
 * Built once per container; the deadline is read per invocation (a chunk stops taking new work in
 * time and reports `more`, and the state machine runs it again). A failed build (a secret not
 * readable yet) is not kept: the next invocation, or the state machine's retry, builds again.
 */
function execDeps(): Promise<ExecDeps> {
  if (!deps) {
    const built = createExecDeps({ config: loadConfigFromEnv(), env: runtimeEnv(), deadline: () => invocationEnds });
    built.catch(() => {
      if (deps === built) deps = undefined;
    });
    deps = built;
  }
  return deps;
}

export async function step(event: unknown, context?: LambdaContext): Promise<StepOutput> {
  invocationEnds = context ? Date.now() + context.getRemainingTimeInMillis() : Number.POSITIVE_INFINITY;
  return runStep(await execDeps(), event);
}
