import { describe, expect, it } from 'vitest';
import { executionDefinition, States, STEP_TIMEOUT_SECONDS } from '../../lib/execution-definition.js';
import { localDefinition } from '../../local/execution-engine.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:lifecycle-execute-step';
type StatesMap = Record<string, Record<string, unknown>>;

/** Every Task state of a definition, the Map's inner ones included, by name. */
function tasks(states: StatesMap, out: Record<string, Record<string, unknown>> = {}) {
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Task') out[name] = state;
    const inner = state.ItemProcessor as { States?: StatesMap } | undefined;
    if (inner?.States) tasks(inner.States, out);
  }
  return out;
}

/** Runs the local definition with every Task mapped to `step` and returns the states that ran. */
async function run(definition: Record<string, unknown>, step: (state: string) => Promise<unknown>) {
  const { StateMachine } = await import('aws-local-stepfunctions');
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
  const ran: string[] = [];
  const names = [States.PREPARE, States.RUN_CHUNK, States.FINISH, States.RECORD_FAILURE];
  let error: unknown;
  const handler = (state: string) => async (input: unknown) => {
    ran.push(state);
    if (state === States.RECORD_FAILURE) error = (input as { error?: { Error?: string } }).error?.Error;
    return step(state);
  };
  const result = machine.run(
    { proposalId: 'p1', startedBy: 'test' },
    { overrides: { taskResourceLocalHandlers: Object.fromEntries(names.map((n) => [n, handler(n)])) as never } },
  );
  const outcome = await result.result.then(
    (output: unknown) => ({ ok: true, output }),
    (error: unknown) => ({ ok: false, error: String((error as Error)?.name ?? error) }),
  );
  return { ran, outcome, error };
}

describe('local execution engine: step timeout', () => {
  it("gives every Task the step function's timeout (15 minutes), where the deployed definition sets none", () => {
    const deployed = tasks((executionDefinition(ARN) as { States: StatesMap }).States);
    const local = tasks((localDefinition(ARN) as { States: StatesMap }).States);
    expect(Object.keys(local).sort()).toEqual(
      [States.PREPARE, States.RUN_CHUNK, States.FINISH, States.RECORD_FAILURE].sort(),
    );
    for (const t of Object.values(deployed)) expect(t.TimeoutSeconds).toBeUndefined();
    for (const t of Object.values(local)) expect(t.TimeoutSeconds).toBe(STEP_TIMEOUT_SECONDS);
    expect(STEP_TIMEOUT_SECONDS).toBe(900);
  });

  it('the interpreter honours it: a step longer than the timeout fails as States.Timeout, a shorter one passes', async () => {
    const slowPrepare = async (state: string) => {
      if (state === States.PREPARE) {
        await new Promise((r) => setTimeout(r, 1_500));
        return { proposalId: 'p1', round: 'MAIN', chunks: [] };
      }
      return {};
    };
    const short = await run(localDefinition(ARN, 1), slowPrepare);
    expect(short.ran).toEqual([States.PREPARE, States.RECORD_FAILURE]);
    expect(short.outcome.ok).toBe(false);
    expect(short.error).toBe('States.Timeout');
    const long = await run(localDefinition(ARN, 5), slowPrepare);
    expect(long.ran).toEqual([States.PREPARE, States.FINISH]);
    expect(long.outcome.ok).toBe(true);
  }, 20_000);
});
