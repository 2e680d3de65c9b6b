/**
 * Least privilege on the State table (issue 14, finding 9): the public review site and the hourly
 * sweep read, put and update single items, and may neither delete nor batch-write (a BatchWriteItem
 * grant would allow deletes too); the plan and the execution steps keep their full grant. Neither
 * the site nor the sweep may send mail: the site may only invoke the mailer function, which sends.
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
  let statementsOf: (rolePrefix: string) => Statement[];
  let template: Template;
  let from: string;
  beforeAll(() => {
    const config = JSON.parse(
      readFileSync(fileURLToPath(new URL('../../config/example.aws.json', import.meta.url)), 'utf8'),
    );
    from = config.approval.from;
    template = Template.fromStack(new LifecycleStack(new App(), 'G', { config }));
    const policies = template.findResources('AWS::IAM::Policy');
    statementsOf = (rolePrefix) =>
      Object.entries(policies)
        .filter(([id]) => id.startsWith(rolePrefix))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
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

  it.each(['ApprovalSiteFn', 'ApprovalExpiryFn', 'ReviewMailerFn'])('%s: single-item reads and writes only', (fn) => {
    const actions = stateActions(fn);
    expect(actions).toEqual(new Set(STATE_DECIDE_ACTIONS));
    for (const forbidden of ['dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:*'])
      expect(actions.has(forbidden), forbidden).toBe(false);
  });

  it('neither the review site nor the hourly sweep can send mail', () => {
    for (const fn of ['ApprovalSiteFn', 'ApprovalExpiryFn'])
      expect(
        [...actionsOf(fn)].filter((a) => a.startsWith('ses:')),
        fn,
      ).toEqual([]);
  });

  it('the review site may only invoke the mailer function, by its name', () => {
    const lambda = statementsOf('ApprovalSiteFn').filter((s) => [s.Action].flat().some((a) => a.startsWith('lambda:')));
    expect(lambda.flatMap((s) => [s.Action].flat())).toEqual(['lambda:InvokeFunction']);
    expect(JSON.stringify(lambda.map((s) => s.Resource))).toContain(':function:G-review-mailer');
    expect(lambda.map((s) => [s.Resource].flat())).toEqual([[expect.anything()]]);
    const mailer = template.findResources('AWS::Lambda::Function', {
      Properties: { FunctionName: 'G-review-mailer' },
    });
    expect(Object.keys(mailer)).toHaveLength(1);
    expect(Object.keys(mailer)[0]).toMatch(/^ReviewMailerFn/);
  });

  it('the mailer sends from the sender identity only, and reads and updates state without deletes', () => {
    const ses = statementsOf('ReviewMailerFn').filter((s) => [s.Action].flat().some((a) => a.startsWith('ses:')));
    expect(ses.flatMap((s) => [s.Action].flat())).toEqual(['ses:SendEmail']);
    expect(JSON.stringify(ses[0]!.Resource)).toContain(`identity/${from}`);
    expect(stateActions('ReviewMailerFn')).toEqual(new Set(STATE_DECIDE_ACTIONS));
  });

  it.each(['PlanFn', 'ExecutionStepFn'])('%s keeps batch writes (proposal items, execution chunks)', (fn) => {
    expect(stateActions(fn).has('dynamodb:BatchWriteItem')).toBe(true);
  });
});
