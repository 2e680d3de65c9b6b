import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { LifecycleStack } from '../../lib/stack.js';
import { AUDIT_APPEND_ACTIONS } from '../../lib/tables.js';

const awsConfig = () =>
  JSON.parse(readFileSync(fileURLToPath(new URL('../../config/example.aws.json', import.meta.url)), 'utf8'));

describe('CDK stack', { timeout: 60_000 }, () => {
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(new LifecycleStack(new App(), 'T', { config: awsConfig() }));
  }, 120_000);

  it('runs the plan on Node.js 22 with the table names and the validated configuration', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Timeout: 900,
      Environment: {
        Variables: Match.objectLike({
          LIFECYCLE_TABLE_STATE: Match.anyValue(),
          LIFECYCLE_TABLE_AUDIT: Match.anyValue(),
          LIFECYCLE_CONFIG: Match.stringLikeRegexp('"staleAfterDays":90'),
        }),
      },
    });
  });

  it('schedules the plan with the configured cron and time zone, passing the scheduled time as the run id', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      Target: Match.objectLike({ Input: Match.stringLikeRegexp('plan-<aws.scheduler.scheduled-time>') }),
    });
  });

  it('grants the audit table only append and read actions: no update, delete or batch write', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const auditActions = Object.values(policies).flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
        .filter((s) => JSON.stringify(s.Resource).includes('TablesAudit'))
        .flatMap((s) => [s.Action].flat()),
    );
    expect(new Set(auditActions)).toEqual(new Set(AUDIT_APPEND_ACTIONS));
    for (const forbidden of ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'])
      expect(auditActions).not.toContain(forbidden);
  });

  it('may read exactly the two configured secrets', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'secretsmanager:GetSecretValue',
            Resource: Match.arrayWith([
              Match.objectLike({
                'Fn::Join': Match.arrayWith([
                  Match.arrayWith([Match.stringLikeRegexp('atlassian-lifecycle/atlassian-api-key-\\?{6}')]),
                ]),
              }),
            ]),
          }),
        ]),
      },
    });
  });

  it('serves the review site from a Function URL with bounded concurrency, and expires proposals hourly', () => {
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      ReservedConcurrentExecutions: 10,
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.expire' });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 hour)' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          LIFECYCLE_REVIEW_BASE_URL: Match.objectLike({ 'Fn::GetAtt': Match.arrayWith(['FunctionUrl']) }),
        }),
      },
    });
  });

  it('may send mail only from the configured sender identity', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const ses = statements.filter((st) => [st.Action].flat().some((a) => a.startsWith('ses:')));
    expect(ses.length).toBe(3);
    for (const st of ses) {
      expect(st.Action).toBe('ses:SendEmail');
      expect(JSON.stringify(st.Resource)).toMatch(/identity\/atlassian-lifecycle@example\.com.*identity\/example\.com/);
      expect(JSON.stringify(st.Resource)).not.toContain('*');
    }
  });

  it('keeps the tables when the stack is deleted', () => {
    for (const t of Object.values(template.findResources('AWS::DynamoDB::Table'))) {
      expect(t.DeletionPolicy).toBe('Retain');
      expect(t.Properties.DeletionProtectionEnabled).toBe(true);
    }
  });

  it('refuses a configuration whose secrets live in environment variables', () => {
    const config = awsConfig();
    config.atlassian.apiKey = { source: 'env', name: 'ATLASSIAN_API_KEY' };
    expect(() => new LifecycleStack(new App(), 'Bad', { config })).toThrow(
      /atlassian.apiKey must be \{"source":"secretsManager"/,
    );
  });

  it('refuses an invalid configuration at synth, naming the field', () => {
    const config = awsConfig();
    config.deactivation.staleAfterDays = 0;
    expect(() => new LifecycleStack(new App(), 'Bad2', { config })).toThrow(/deactivation.staleAfterDays/);
  });
});
