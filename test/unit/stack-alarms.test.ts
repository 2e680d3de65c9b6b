/** A plan that dies without its own alert reaches the on-call (issue 14, finding 10). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, it } from 'vitest';
import { LifecycleStack } from '../../lib/stack.js';

describe('plan failure destination', { timeout: 120_000 }, () => {
  it('publishes a plan invocation that failed its retries to the alarm topic', () => {
    const config = JSON.parse(
      readFileSync(fileURLToPath(new URL('../../config/example.aws.json', import.meta.url)), 'utf8'),
    );
    const template = Template.fromStack(new LifecycleStack(new App(), 'A', { config }));
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('^PlanFn') },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { Ref: Match.stringLikeRegexp('^Alarms') } } },
    });
  });
});
