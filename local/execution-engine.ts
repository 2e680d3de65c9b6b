/**
 * The execution state machine on the local stack: the very definition the stack deploys
 * (lib/execution-definition.ts), run by a States-Language interpreter (aws-local-stepfunctions)
 * with every Task mapped to the same step code the Lambda function runs. Retry intervals are
 * shortened (the interpreter would otherwise sleep for real); everything else runs as written.
 */
import { executionDefinition, States, STEP_TIMEOUT_SECONDS } from '../lib/execution-definition.js';
import type { ExecDeps } from '../lambdas/execute/index.js';
import { runStep } from '../lambdas/execute/index.js';
import type { ExecutionStarter } from '../lambdas/domain/index.js';

// aws-local-stepfunctions 3.0 calls Promise.withResolvers (Node 22); Node 20 lacks it.
const P = Promise as unknown as { withResolvers?: () => unknown };
P.withResolvers ??= function withResolvers<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
};

const LOCAL_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:lifecycle-execute-step';

export interface LocalRunOptions {
  /** A Task's timeout in seconds. @default STEP_TIMEOUT_SECONDS, the step function's (15 minutes) */
  readonly stepTimeoutSeconds?: number;
  /** Milliseconds between retries of a failed step. @default 10 */
  readonly retryDelayMs?: number;
  /** Called after every step, for progress output. */
  readonly onStep?: (state: string, input: unknown, output: unknown) => void;
}

/**
 * The deployed definition with every Task given the step function's timeout as its TimeoutSeconds:
 * on AWS a step runs as long as its Lambda may (15 minutes), while the interpreter would stop a
 * Task without TimeoutSeconds after 60 s (the States Language default) with States.Timeout.
 */
export function localDefinition(arn = LOCAL_ARN, timeoutSeconds = STEP_TIMEOUT_SECONDS): Record<string, unknown> {
  const withTimeouts = (states: Record<string, Record<string, unknown>>) => {
    for (const state of Object.values(states)) {
      if (state.Type === 'Task') state.TimeoutSeconds ??= timeoutSeconds;
      const inner = (state.ItemProcessor ?? state.Iterator) as { States?: Record<string, Record<string, unknown>> };
      if (inner?.States) withTimeouts(inner.States);
      for (const branch of (state.Branches ?? []) as { States: Record<string, Record<string, unknown>> }[])
        withTimeouts(branch.States);
    }
  };
  const definition = structuredClone(executionDefinition(arn)) as { States: Record<string, Record<string, unknown>> };
  withTimeouts(definition.States);
  return definition;
}

/** Runs one execution of a proposal to its end (or its failure) and returns the machine's output. */
export async function runExecutionLocally(
  deps: ExecDeps,
  input: { proposalId: string; startedBy?: string },
  options: LocalRunOptions = {},
): Promise<Record<string, unknown>> {
  const { StateMachine } = await import('aws-local-stepfunctions');
  const machine = new StateMachine(localDefinition(LOCAL_ARN, options.stepTimeoutSeconds) as never, {
    validationOptions: { checkArn: false },
  });
  // The interpreter's Map still starts queued iterations after a failed one has failed the Map
  // (Step Functions does not). With MaxConcurrency 1 a chunk starting while another chunk's last
  // attempt failed means the Map has failed: that step, and any step once the run ended, is refused.
  let ended = false;
  let failedChunk: number | undefined;
  const handler = (state: string) => async (stepInput: unknown) => {
    const index = state === States.RUN_CHUNK ? (stepInput as { index?: number }).index : undefined;
    if (ended || (index !== undefined && failedChunk !== undefined && index !== failedChunk))
      throw new Error('the execution has failed or ended; this step is not run');
    let out;
    try {
      out = await runStep(deps, stepInput);
    } catch (err) {
      if (index !== undefined) failedChunk = index;
      throw err;
    }
    if (index !== undefined && index === failedChunk) failedChunk = undefined;
    options.onStep?.(state, stepInput, out);
    return JSON.parse(JSON.stringify(out));
  };
  const tasks = [States.PREPARE, States.RUN_CHUNK, States.FINISH, States.RECORD_FAILURE];
  const delay = options.retryDelayMs ?? 10;
  const run = machine.run(
    { proposalId: input.proposalId, startedBy: input.startedBy ?? 'system:execute' },
    {
      overrides: {
        taskResourceLocalHandlers: Object.fromEntries(tasks.map((t) => [t, handler(t)])),
        retryIntervalOverrides: Object.fromEntries(tasks.map((t) => [t, delay])),
      },
    },
  );
  try {
    return (await run.result) as Record<string, unknown>;
  } finally {
    ended = true;
  }
}

/**
 * The execution seam on the local stack: starts the state machine in-process. Like Step Functions
 * with a deterministic execution name, a second start of a proposal while one runs joins it.
 */
export class LocalExecutionStarter implements ExecutionStarter {
  private readonly running = new Map<string, Promise<unknown>>();
  readonly failures: { proposalId: string; error: unknown }[] = [];

  constructor(
    private readonly deps: ExecDeps,
    private readonly options: LocalRunOptions = {},
  ) {}

  async start(proposalId: string): Promise<void> {
    if (this.running.has(proposalId)) return;
    const run = runExecutionLocally(this.deps, { proposalId }, this.options)
      .catch((error: unknown) => void this.failures.push({ proposalId, error }))
      .finally(() => this.running.delete(proposalId));
    this.running.set(proposalId, run);
  }

  /** Resolves once every started execution has ended. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }
}
