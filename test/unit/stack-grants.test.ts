/**
 * Least privilege on the State table (issue 14, finding 9): the public review site and the hourly
 * sweep read, put and update single items, and may neither delete nor batch-write (a BatchWriteItem
 * grant would allow deletes too); the plan and the execution steps keep their full grant.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { LifecycleStack } from '../../lib/stack.js';
import { STATE_DECIDE_ACTIONS } from '../../lib/tables.js';

type Statement = { Action: string | string[]; Resource: unknown };

describe('State table grants', { timeout: 60_000 }, () => {
  let stateActions: (rolePrefix: string) => Set<string>;
  let actionsOf: (rolePrefix: string) => Set<string>;
  beforeAll(() => {
    const config = JSON.parse(
      readFileSync(fileURLToPath(new URL('../../config/example.aws.json', import.meta.url)), 'utf8'),
    );
    const template = Template.fromStack(new LifecycleStack(new App(), 'G', { config }));
    const policies = template.findResources('AWS::IAM::Policy');
    actionsOf = (rolePrefix) =>
      new Set(
        Object.entries(policies)
          .filter(([id]) => id.startsWith(rolePrefix))
          .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[])
          .flatMap((s) => [s.Action].flat()),
      );
    stateActions = (rolePrefix) =>
      new Set(
        Object.entries(policies)
          .filter(([id]) => id.startsWith(rolePrefix))
          .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[])
          .filter((s) => JSON.stringify(s.Resource).includes('TablesState'))
          .flatMap((s) => [s.Action].flat()),
      );
  }, 120_000);

  it.each(['ApprovalSiteFn', 'ApprovalExpiryFn'])('%s: single-item reads and writes only', (fn) => {
    const actions = stateActions(fn);
    expect(actions).toEqual(new Set(STATE_DECIDE_ACTIONS));
    for (const forbidden of ['dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:*'])
      expect(actions.has(forbidden), forbidden).toBe(false);
  });

  it('the hourly sweep cannot send mail; the site only from the sender identity', () => {
    expect([...actionsOf('ApprovalExpiryFn')].filter((a) => a.startsWith('ses:'))).toEqual([]);
    expect([...actionsOf('ApprovalSiteFn')].filter((a) => a.startsWith('ses:'))).toEqual(['ses:SendEmail']);
  });

  it.each(['PlanFn', 'ExecutionStepFn'])('%s keeps batch writes (proposal items, execution chunks)', (fn) => {
    expect(stateActions(fn).has('dynamodb:BatchWriteItem')).toBe(true);
  });
});
