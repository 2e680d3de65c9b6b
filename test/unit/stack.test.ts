import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { executionDefinition } from '../../lib/execution-definition.js';
import { START_EXECUTION_ACTIONS, STATE_MACHINE_ARN_ENV } from '../../lib/execution.js';
import { LifecycleStack } from '../../lib/stack.js';
import { AUDIT_APPEND_ACTIONS, AUDIT_WRITERS, LifecycleTables } from '../../lib/tables.js';

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
    type St = { Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, string[]>> };
    const statements = Object.entries(policies).flatMap(([id, p]) =>
      (p.Properties.PolicyDocument.Statement as St[])
        .filter((s) => JSON.stringify(s.Resource).includes('TablesAudit'))
        // The archiver's event source reads the table's change stream (its StreamArn), nothing else.
        .filter((s) => !JSON.stringify(s.Resource).includes('StreamArn'))
        .map((s) => ({ ...s, policy: id })),
    );
    const auditActions = statements.flatMap((s) => [s.Action].flat());
    expect(new Set(auditActions)).toEqual(new Set(AUDIT_APPEND_ACTIONS));
    for (const forbidden of ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'])
      expect(auditActions).not.toContain(forbidden);
    // Every PutItem is limited to the streams its function owns (dynamodb:LeadingKeys).
    const puts = statements.filter((s) => [s.Action].flat().includes('dynamodb:PutItem'));
    expect(puts.length).toBe(Object.keys(AUDIT_WRITERS).length);
    for (const put of puts) expect([put.Action].flat()).toEqual(['dynamodb:PutItem']);
    const leading = (policy: string) =>
      puts.find((p) => p.policy.startsWith(policy))!.Condition!['ForAllValues:StringLike']!['dynamodb:LeadingKeys'];
    expect(leading('ApprovalSiteFn')).toEqual(AUDIT_WRITERS.site.map((p) => `${p}*`));
    expect(leading('ApprovalSiteFn')).not.toContain('RUN#*');
    expect(leading('PlanFn')).toContain('RUN#*');
    expect(leading('ExecutionStepFn')).toEqual(['execution#*']);
    expect(leading('ApprovalExpiryFn')).not.toContain('RUN#*');
  });

  it('archives the audit log to an Object Lock bucket in compliance mode, alarming on tampering', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2555 } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: Match.arrayWith([Match.objectLike({ AttributeName: 'stream' })]),
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
    });
    const s3Actions = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) =>
        (p.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((s) => [s.Action].flat()),
      )
      .filter((a) => a.startsWith('s3:'));
    expect(new Set(s3Actions)).toEqual(new Set(['s3:PutObject', 's3:GetObject']));
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AtlassianLifecycle',
      MetricName: 'TamperEvents',
      Threshold: 1,
      AlarmActions: [Match.objectLike({ Ref: Match.stringLikeRegexp('^Alarms') })],
    });
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
    // The plan, the review site, the execution steps and the finance report; not the hourly sweep.
    expect(ses.length).toBe(4);
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

  describe('finance report', () => {
    const reportFn = () => {
      const found = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) =>
        id.startsWith('FinanceReport'),
      );
      expect(found).toHaveLength(1);
      return found[0]!;
    };
    const policyOf = (logicalId: string) =>
      Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((p) => JSON.stringify(p.Properties.Roles).includes(logicalId.replace(/[0-9A-F]{8}$/, '')))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);

    it('runs on x86_64 with resvg and the chart font shipped in the bundle', () => {
      const [, fn] = reportFn();
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['x86_64'],
        ReservedConcurrentExecutions: 1,
        Environment: { Variables: { LIFECYCLE_CHART_FONT: '/var/task/DejaVuSans.ttf' } },
      });
    });

    it('is scheduled on the billing day in the billing time zone', () => {
      const [id] = reportFn();
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 7 1 * ? *)',
        ScheduleExpressionTimezone: 'Europe/Berlin',
        Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [id, 'Arn'] } }),
      });
    });

    it('may read the seats table, send from the sender identity and read the Atlassian key: nothing else', () => {
      const [id, fn] = reportFn();
      const role = (fn.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]!;
      const statements = policyOf(role);
      const actions = statements.flatMap((st) => [st.Action].flat()).sort();
      expect(actions).toEqual(
        [
          'dynamodb:BatchGetItem',
          'dynamodb:ConditionCheckItem',
          'dynamodb:DescribeTable',
          'dynamodb:GetItem',
          'dynamodb:GetRecords',
          'dynamodb:GetShardIterator',
          'dynamodb:Query',
          'dynamodb:Scan',
          'secretsmanager:GetSecretValue',
          'ses:SendEmail',
          // Its on-failure destination (the failed-invocations queue) and active X-Ray tracing.
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:SendMessage',
          'xray:PutTelemetryRecords',
          'xray:PutTraceSegments',
        ].sort(),
      );
      const sqs = statements.find((st) => [st.Action].flat().includes('sqs:SendMessage'))!;
      expect(JSON.stringify(sqs.Resource)).toMatch(/^\{"Fn::GetAtt":\["FailedInvocations[^"]*","Arn"\]\}$/);
      const dynamo = statements.find((st) => [st.Action].flat().includes('dynamodb:Query'))!;
      expect(JSON.stringify(dynamo.Resource)).toMatch(/TablesSeats/);
      expect(JSON.stringify(dynamo.Resource)).not.toMatch(/TablesState|TablesAudit/);
      const secret = statements.find((st) => st.Action === 'secretsmanager:GetSecretValue')!;
      expect(JSON.stringify(secret.Resource)).toContain('atlassian-api-key');
      expect(JSON.stringify(secret.Resource)).not.toContain('graph-client-secret');
      expect(id).toMatch(/^FinanceReport/);
    });

    it('lets the execution step put and query snapshots and executed changes in the seats table, nothing more', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^ExecutionStep') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: ['dynamodb:PutItem', 'dynamodb:Query'],
              Resource: Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('^TablesSeats'), 'Arn'] }]),
            }),
          ]),
        },
      });
    });
  });

  describe('execution', () => {
    const logicalIdOf = (type: string, props: Record<string, unknown>) => {
      const found = Object.keys(template.findResources(type, { Properties: props }));
      expect(found).toHaveLength(1);
      return found[0]!;
    };
    const stepFn = () => logicalIdOf('AWS::Lambda::Function', { Handler: 'index.step' });
    const machine = () => logicalIdOf('AWS::StepFunctions::StateMachine', {});
    const statements = () =>
      Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) =>
        (p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]).map((st) => ({
          ...st,
          roles: JSON.stringify(p.Properties.Roles),
        })),
      );

    it('is a Standard state machine, logged and traced', () => {
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
      });
    });

    it('deploys executionDefinition() of the step function: the definition the local stack runs', () => {
      const body = template.findResources('AWS::StepFunctions::StateMachine')[machine()]!.Properties.DefinitionString;
      const [sep, parts] = body['Fn::Join'] as [string, unknown[]];
      const arn = 'arn:aws:lambda:us-east-1:123456789012:function:step';
      const text = parts
        .map((p) => {
          if (typeof p === 'string') return p;
          expect(p).toEqual({ 'Fn::GetAtt': [stepFn(), 'Arn'] });
          return arn;
        })
        .join(sep);
      const deployed = JSON.parse(text) as { States: Record<string, unknown> };
      const expected = executionDefinition(arn) as { States: Record<string, unknown> };
      expect(Object.keys(deployed.States)).toEqual(Object.keys(expected.States));
      expect(deployed).toEqual(expected);
    });

    it('runs every step in one Node.js 22 function with 15 minutes and small reserved concurrency', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Handler: 'index.step',
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Timeout: 900,
        ReservedConcurrentExecutions: 2,
        Environment: {
          Variables: Match.objectLike({
            LIFECYCLE_TABLE_STATE: Match.anyValue(),
            LIFECYCLE_TABLE_AUDIT: Match.anyValue(),
            LIFECYCLE_CONFIG: Match.anyValue(),
          }),
        },
      });
    });

    it('lets the state machine invoke the step function and nothing else', () => {
      const mine = statements().filter((st) => st.roles.includes('ExecutionStateMachineRole'));
      const invoke = mine.filter((st) => [st.Action].flat().some((a) => a.startsWith('lambda:')));
      expect(invoke).toHaveLength(1);
      expect(invoke[0]!.Action).toBe('lambda:InvokeFunction');
      expect(invoke[0]!.Resource).toEqual([
        { 'Fn::GetAtt': [stepFn(), 'Arn'] },
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [stepFn(), 'Arn'] }, ':*']] },
      ]);
      // The rest is log delivery and X-Ray, which take no resource-level permissions.
      const others = mine.filter((st) => st !== invoke[0]).flatMap((st) => [st.Action].flat());
      for (const action of others) expect(action).toMatch(/^(logs|xray):/);
    });

    it('gives the step function the state table, audit append, mail and the two secrets', () => {
      const mine = statements().filter((st) => st.roles.includes('ExecutionStepFnServiceRole'));
      const resources = (action: string) =>
        JSON.stringify(mine.filter((st) => [st.Action].flat().includes(action)).map((st) => st.Resource));
      expect(resources('dynamodb:UpdateItem')).toContain('TablesState');
      expect(resources('dynamodb:UpdateItem')).not.toContain('TablesAudit');
      expect(resources('dynamodb:PutItem')).toContain('TablesAudit');
      expect(resources('ses:SendEmail')).toContain('identity/atlassian-lifecycle@example.com');
      expect(resources('secretsmanager:GetSecretValue')).toMatch(/atlassian-api-key-\?{6}.*graph-client-secret-\?{6}/);
      expect(resources('dynamodb:UpdateItem')).not.toContain('TablesSeats');
      expect(resources('dynamodb:DeleteItem')).not.toContain('TablesSeats');
    });

    it('lets the review site, the expiry and the plan start executions, and only start them', () => {
      const states = statements().filter((st) => [st.Action].flat().some((a) => a.startsWith('states:')));
      expect(states.length).toBeGreaterThan(0);
      // The ARN is built from the machine's fixed name (no reference to the resource: that would be a
      // dependency cycle, as the steps reference the review site's URL).
      const name = template.findResources('AWS::StepFunctions::StateMachine')[machine()]!.Properties.StateMachineName;
      expect(name).toMatch(/-execution$/);
      const arn = {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':states:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            `:stateMachine:${name}`,
          ],
        ],
      };
      for (const st of states) {
        expect([st.Action].flat()).toEqual([...START_EXECUTION_ACTIONS]);
        expect(st.Resource).toEqual(arn);
      }
      const roles = states.map((st) => st.roles).join(' ');
      for (const role of ['ApprovalSiteFnServiceRole', 'ApprovalExpiryFnServiceRole', 'PlanFnServiceRole'])
        expect(roles).toContain(role);
      for (const handler of ['index.handler', 'index.expire'])
        template.hasResourceProperties('AWS::Lambda::Function', {
          Handler: handler,
          Environment: { Variables: Match.objectLike({ [STATE_MACHINE_ARN_ENV]: arn }) },
        });
      // The step function itself starts nothing.
      const stepEnv = template.findResources('AWS::Lambda::Function')[stepFn()]!.Properties.Environment.Variables;
      expect(stepEnv[STATE_MACHINE_ARN_ENV]).toBeUndefined();
      // It knows the review site's URL: warnings carry "keep my account" links.
      expect(JSON.stringify(stepEnv.LIFECYCLE_REVIEW_BASE_URL)).toContain('FunctionUrl');
    });

    it('alarms on a failed execution, to the alarm topic', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/States',
        MetricName: 'ExecutionsFailed',
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: machine() } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: logicalIdOf('AWS::SNS::Topic', {}) }],
      });
    });

    it('holds no secret: secrets are referenced by name and read at run time', () => {
      const text = JSON.stringify(template.toJSON());
      expect(text).not.toMatch(/resolve:secretsmanager|SecretString/);
      expect(Object.keys(template.findResources('AWS::SecretsManager::Secret'))).toHaveLength(0);
      for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
        const vars = (fn.Properties.Environment?.Variables ?? {}) as Record<string, unknown>;
        for (const name of Object.keys(vars)) expect(name).not.toMatch(/SECRET|API_?KEY|PASSWORD|TOKEN/i);
        // The audit archiver needs no configuration: only its bucket.
        if (vars.LIFECYCLE_AUDIT_ARCHIVE_BUCKET) continue;
        const config = JSON.parse(vars.LIFECYCLE_CONFIG as string);
        expect(config.atlassian.apiKey).toEqual({ source: 'secretsManager', secretId: expect.any(String) });
        expect(config.entra.clientSecret).toEqual({ source: 'secretsManager', secretId: expect.any(String) });
      }
    });
  });
});

describe('audit indexes', { timeout: 60_000 }, () => {
  const projections = (props: { auditIndexesProjectAll?: boolean }) => {
    const stack = new Stack(new App(), 'Tables');
    const tables = new LifecycleTables(stack, 'Tables', props);
    const cfn =
      Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(tables.audit.node.defaultChild as never)];
    return Object.fromEntries(
      (cfn.Properties.GlobalSecondaryIndexes as { IndexName: string; Projection: { ProjectionType: string } }[]).map(
        (i) => [i.IndexName, i.Projection.ProjectionType],
      ),
    );
  };

  it('keep keys only, unless a stack deployed with whole-record indexes asks to keep them', () => {
    expect(projections({})).toEqual({ byAccount: 'KEYS_ONLY', byDay: 'KEYS_ONLY', byProposal: 'KEYS_ONLY' });
    expect(projections({ auditIndexesProjectAll: true })).toEqual({
      byAccount: 'ALL',
      byDay: 'ALL',
      byProposal: 'ALL',
    });
  });
});
