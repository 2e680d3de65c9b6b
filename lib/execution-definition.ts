/**
 * The execution state machine in Amazon States Language, built by one pure function (no CDK
 * import) so that the stack deploys it and the local stack runs the very same definition with a
 * States-Language interpreter (aws-local-stepfunctions), each Task mapped to the same step code.
 *
 * Prepare → Map over chunk ids (one at a time: the API rate limit is the org's, not the chunk's),
 * each chunk looping while its step reports `more` (the invocation ran out of time) → Finish.
 * Any uncaught failure → RecordFailure (audit + alert to the approvers) → Fail. Throttling and
 * passing failures are retried with exponential back-off and full jitter.
 * Retry fields: https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */

/**
 * The step function's timeout (lib/execution.ts): each Task of the deployed machine runs as long as
 * that Lambda may (the definition sets no TimeoutSeconds of its own). The local interpreter, which
 * defaults a Task to 60 s, is given this instead (local/execution-engine.ts).
 */
export const STEP_TIMEOUT_SECONDS = 900;

/** Errors worth retrying: throttling past the client's budget, 5xx or resets, Lambda's own throttles. */
export const RETRYABLE_ERRORS = [
  'ThrottledError',
  'BudgetExhaustedError',
  'TransientError',
  'ExecutionStepError',
  'Lambda.TooManyRequestsException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
] as const;

const retry = [
  {
    ErrorEquals: [...RETRYABLE_ERRORS],
    IntervalSeconds: 10,
    MaxAttempts: 6,
    BackoffRate: 2,
    MaxDelaySeconds: 300,
    JitterStrategy: 'FULL',
  },
];

const catchAll = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' }];

/** The state names, for local overrides and tests. */
export const States = {
  PREPARE: 'Prepare',
  CHUNKS: 'Chunks',
  RUN_CHUNK: 'RunChunk',
  MORE: 'ChunkNeedsMoreTime',
  FINISH: 'Finish',
  RECORD_FAILURE: 'RecordFailure',
} as const;

/** The definition, with `stepFunctionArn` the ARN of the function that runs every step. */
export function executionDefinition(stepFunctionArn: string): Record<string, unknown> {
  const task = (parameters: Record<string, unknown>, extra: Record<string, unknown>) => ({
    Type: 'Task',
    Resource: stepFunctionArn,
    Parameters: parameters,
    Retry: retry,
    ...extra,
  });
  return {
    Comment: 'Executes the approved items of one proposal round in chunks (resumable, exactly once per item).',
    StartAt: States.PREPARE,
    States: {
      [States.PREPARE]: task(
        { step: 'prepare', 'proposalId.$': '$.proposalId', 'startedBy.$': '$.startedBy' },
        { ResultPath: '$.prepared', Catch: catchAll, Next: States.CHUNKS },
      ),
      [States.CHUNKS]: {
        Type: 'Map',
        ItemsPath: '$.prepared.chunks',
        MaxConcurrency: 1,
        ItemSelector: {
          'proposalId.$': '$.prepared.proposalId',
          'round.$': '$.prepared.round',
          'index.$': '$$.Map.Item.Value',
        },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: States.RUN_CHUNK,
          States: {
            [States.RUN_CHUNK]: task(
              { step: 'chunk', 'proposalId.$': '$.proposalId', 'round.$': '$.round', 'index.$': '$.index' },
              { Next: States.MORE },
            ),
            [States.MORE]: {
              Type: 'Choice',
              Choices: [{ Variable: '$.more', BooleanEquals: true, Next: States.RUN_CHUNK }],
              Default: 'ChunkDone',
            },
            ChunkDone: { Type: 'Succeed' },
          },
        },
        ResultPath: null,
        Catch: catchAll,
        Next: States.FINISH,
      },
      [States.FINISH]: task(
        { step: 'finish', 'proposalId.$': '$.prepared.proposalId', 'round.$': '$.prepared.round' },
        { ResultPath: '$.finished', Catch: catchAll, End: true },
      ),
      [States.RECORD_FAILURE]: task(
        { step: 'fail', 'proposalId.$': '$.proposalId', 'error.$': '$.error' },
        { ResultPath: null, Next: 'Failed' },
      ),
      Failed: {
        Type: 'Fail',
        Error: 'ExecutionFailed',
        Cause: 'An execution step failed; see the audit log and the alert mail.',
      },
    },
  };
}
