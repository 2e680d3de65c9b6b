import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { executionDefinition, RETRYABLE_ERRORS, States } from '../../lib/execution-definition.js';
import { LifecycleStack } from '../../lib/stack.js';

/** asl-validator 4 ships no types: its one function, as documented. */
const aslValidator = createRequire(import.meta.url)('asl-validator') as (
  definition: unknown,
  options?: { checkArn?: boolean; checkPaths?: boolean },
) => { isValid: boolean; errors: { message?: string }[] };

const ARN = 'arn:aws:lambda:eu-central-1:123456789012:function:AtlassianLifecycle-ExecutionStepFn';

const awsConfig = () =>
  JSON.parse(readFileSync(fileURLToPath(new URL('../../config/example.aws.json', import.meta.url)), 'utf8'));

/**
 * The state machine's DefinitionString as deployed: the template's Fn::Join with every token (the
 * step function's ARN, the only one) replaced by a literal ARN. Throws on any other token.
 */
function deployedDefinition(template: Template, stepFnLogicalId: string, arn = ARN): Record<string, unknown> {
  const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  expect(machines).toHaveLength(1);
  const body = machines[0]!.Properties.DefinitionString as { 'Fn::Join': [string, unknown[]] } | string;
  if (typeof body === 'string') return JSON.parse(body);
  const [sep, parts] = body['Fn::Join'];
  const text = parts
    .map((p) => {
      if (typeof p === 'string') return p;
      const getAtt = (p as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
      if (getAtt?.[0] === stepFnLogicalId && getAtt[1] === 'Arn') return arn;
      throw new Error(`unexpected token in the state machine definition: ${JSON.stringify(p)}`);
    })
    .join(sep);
  return JSON.parse(text);
}

function stepFnLogicalId(template: Template): string {
  const fns = template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.step' } });
  expect(Object.keys(fns)).toHaveLength(1);
  return Object.keys(fns)[0]!;
}

describe('execution state machine definition', () => {
  it('passes asl-validator as built (ARNs checked)', () => {
    const result = aslValidator(structuredClone(executionDefinition(ARN)), { checkArn: true, checkPaths: true });
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('asl-validator catches a broken definition (the check is not vacuous)', () => {
    const broken = structuredClone(executionDefinition(ARN)) as { States: Record<string, Record<string, unknown>> };
    broken.States[States.PREPARE]!.Next = 'NoSuchState';
    expect(aslValidator(broken, { checkArn: true, checkPaths: true }).isValid).toBe(false);
  });

  it('retries throttling with jitter and catches everything else into RecordFailure', () => {
    const def = executionDefinition(ARN) as { States: Record<string, { Retry?: unknown[]; Catch?: unknown[] }> };
    for (const name of [States.PREPARE, States.FINISH]) {
      expect(def.States[name]!.Retry).toEqual([
        expect.objectContaining({ ErrorEquals: [...RETRYABLE_ERRORS], JitterStrategy: 'FULL' }),
      ]);
      expect(def.States[name]!.Catch).toEqual([
        expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: States.RECORD_FAILURE }),
      ]);
    }
  });

  describe('as synthesised by the stack', { timeout: 60_000 }, () => {
    let template: Template;
    beforeAll(() => {
      // Bundling is not what this test is about: skip it (stack.test.ts bundles).
      const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
      template = Template.fromStack(new LifecycleStack(app, 'Def', { config: awsConfig() }));
    }, 120_000);

    it('is exactly executionDefinition() of the step function, and passes asl-validator', () => {
      const deployed = deployedDefinition(template, stepFnLogicalId(template));
      expect(deployed).toEqual(executionDefinition(ARN));
      const result = aslValidator(structuredClone(deployed), { checkArn: true, checkPaths: true });
      expect(result.errors).toEqual([]);
      expect(result.isValid).toBe(true);
    });
  });
});
