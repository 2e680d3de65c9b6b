/**
 * The deployment as issue 11 asks for it, asserted on the synthesized template: every function's
 * runtime, architecture, memory, timeout, log retention, tracing, Powertools environment and (when
 * invoked asynchronously) on-failure destination; both schedules in their time zones; the Standard
 * state machine; every alarm notifying the topic; the dashboard; no secret in the template; and
 * cdk-nag finding nothing unacknowledged. Bundling is skipped (the assets are not under test here).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { LifecycleStack } from '../../lib/stack.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lambdas/wiring/observability.js';

const awsConfig = () =>
  JSON.parse(readFileSync(fileURLToPath(new URL('../../config/example.aws.json', import.meta.url)), 'utf8'));
/** No bundling: synth takes seconds and the template is the same but for asset hashes. */
const appWithoutBundling = (outdir?: string) =>
  new App({ context: { 'aws:cdk:bundling-stacks': [] }, ...(outdir && { outdir }) });

/** Every function: logical id prefix → what it must be. */
const FUNCTIONS = {
  PlanFn: { arch: 'arm64', memory: 1024, timeout: 900, handler: 'index.handler', reserved: 2, async: true },
  ApprovalSiteFn: { arch: 'arm64', memory: 1024, timeout: 300, handler: 'index.handler', reserved: 10, async: false },
  ApprovalExpiryFn: { arch: 'arm64', memory: 512, timeout: 300, handler: 'index.expire', reserved: 1, async: true },
  ReviewMailerFn: { arch: 'arm64', memory: 512, timeout: 120, handler: 'index.handler', reserved: 2, async: true },
  ExecutionStepFn: { arch: 'arm64', memory: 1024, timeout: 900, handler: 'index.step', reserved: 2, async: false },
  FinanceReportFn: { arch: 'x86_64', memory: 1024, timeout: 600, handler: 'index.handler', reserved: 1, async: true },
  AuditArchiveArchiverFn: { arch: 'arm64', memory: 512, timeout: 60, handler: 'index.handler', async: false },
} as const;

describe('the deployment (issue 11)', { timeout: 120_000 }, () => {
  let template: Template;
  let functions: Record<string, { Properties: Record<string, unknown> }>;
  const fnId = (prefix: string) => {
    const ids = Object.keys(functions).filter((id) => id.startsWith(prefix) && !id.includes('ServiceRole'));
    expect(ids, `one function named ${prefix}*`).toHaveLength(1);
    return ids[0]!;
  };
  beforeAll(() => {
    template = Template.fromStack(new LifecycleStack(appWithoutBundling(), 'D', { config: awsConfig() }));
    functions = template.findResources('AWS::Lambda::Function') as typeof functions;
  }, 120_000);

  it('deploys exactly the product’s functions (plus the CDK’s own log-retention-free helpers: none)', () => {
    expect(Object.keys(functions).length).toBe(Object.keys(FUNCTIONS).length);
  });

  for (const [prefix, want] of Object.entries(FUNCTIONS)) {
    it(`runs ${prefix} on Node.js 22, ${want.arch}, ${want.memory} MB, ${want.timeout} s, traced, logging a year`, () => {
      const id = fnId(prefix);
      const p = functions[id]!.Properties;
      expect(p).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: [want.arch],
        MemorySize: want.memory,
        Timeout: want.timeout,
        Handler: want.handler,
        TracingConfig: { Mode: 'Active' },
      });
      expect(p.ReservedConcurrentExecutions).toBe('reserved' in want ? want.reserved : undefined);
      const logGroup = (p.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(template.toJSON().Resources[logGroup]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: 365 },
        DeletionPolicy: 'Retain',
      });
      const vars = (p.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(vars).toMatchObject({
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
      });
    });

    it(`${want.async ? 'gives' : 'needs no'} ${prefix} an on-failure destination for asynchronous invocations`, () => {
      const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig')).filter(
        (c) => (c.Properties.FunctionName as { Ref: string }).Ref === fnId(prefix),
      );
      if (!want.async) return expect(configs).toEqual([]);
      expect(configs).toHaveLength(1);
      expect(configs[0]!.Properties).toMatchObject({
        MaximumRetryAttempts: 2,
        DestinationConfig: {
          OnFailure: {
            Destination: { 'Fn::GetAtt': [expect.stringMatching(/^(FailedInvocations|ReviewMailerFailures)/), 'Arn'] },
          },
        },
      });
    });
  }

  it('schedules the plan and the finance report in their time zones, each with a dead-letter queue', () => {
    const config = awsConfig();
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: config.schedules.plan,
      ScheduleExpressionTimezone: config.schedules.timeZone,
      Target: Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 2 }, DeadLetterConfig: Match.anyValue() }),
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: `cron(0 7 ${config.finance.billingDay} * ? *)`,
      ScheduleExpressionTimezone: config.finance.timeZone,
      Target: Match.objectLike({ DeadLetterConfig: Match.anyValue() }),
    });
  });

  it('executes with a Standard state machine, traced and logged', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
  });

  it('has each alarm the issue names, every one notifying the alarm topic', () => {
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    const topic = Object.keys(template.findResources('AWS::SNS::Topic'));
    expect(topic).toHaveLength(1);
    for (const [id, alarm] of Object.entries(alarms))
      expect(alarm.Properties.AlarmActions, id).toEqual([{ Ref: topic[0] }]);
    const named = (part: string) => Object.keys(alarms).filter((id) => id.includes(part));
    for (const part of [
      'PlanFailed',
      'PlanMissed',
      'ExecutionFailedAlarm',
      'ExecutionItemsFailed',
      'ExecutionTimedOutOrAborted',
      'ThrottleStorm',
      'Tampering',
      'ProposalExpired',
      'FailedInvocationsDepth',
      'ArchiveFailures',
      'ReviewMailerFailuresAlarm',
    ])
      expect(named(part), part).toHaveLength(1);
    // A plan that never ran is the one silence that must alarm.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'PlanRuns',
      Namespace: METRICS_NAMESPACE,
      Dimensions: [{ Name: 'service', Value: SERVICE_NAME }],
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      Period: 86_400,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApiThrottles', Threshold: 50 });
  });

  it('draws a dashboard of the product’s metrics', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]!.Properties.DashboardBody);
    for (const metric of [
      'AccountsRead',
      'ItemsProposed',
      'ItemsApproved',
      'ItemsDone',
      'ItemsFailed',
      'ItemsSkipped',
      'ApiRequests',
      'ApiThrottles',
      'PlanWallTime',
    ])
      expect(body).toContain(metric);
  });

  it('puts no secret and no secret-bearing variable in the template', () => {
    const text = JSON.stringify(template.toJSON());
    for (const [id, fn] of Object.entries(functions)) {
      const vars = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      for (const name of Object.keys(vars))
        expect(name, `${id} ${name}`).not.toMatch(/secret|password|token|api_?key|credential/i);
      // The configuration names where each secret is, never its value.
      const config = JSON.parse(String(vars.LIFECYCLE_CONFIG ?? '{}')) as {
        atlassian?: { apiKey?: unknown };
        entra?: { clientSecret?: unknown };
      };
      if (config.atlassian)
        expect(config.atlassian.apiKey).toEqual({ source: 'secretsManager', secretId: expect.any(String) });
      if (config.entra)
        expect(config.entra.clientSecret).toEqual({ source: 'secretsManager', secretId: expect.any(String) });
    }
    expect(text).not.toMatch(/"SecretString"|AWS::SecretsManager::Secret"/);
  });
});

describe('cdk-nag (AwsSolutions)', { timeout: 120_000 }, () => {
  it('reports nothing unacknowledged, and every acknowledgement has a reason', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'nag-'));
    try {
      const app = appWithoutBundling(outdir);
      new LifecycleStack(app, 'N', { config: awsConfig() });
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      app.synth();
      const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
        pluginReports: {
          conclusion: string;
          violations: unknown[];
          suppressedViolations: { ruleName: string; suppressionReason?: string; reason?: string }[];
        }[];
      };
      const [nag] = report.pluginReports;
      expect(nag!.violations).toEqual([]);
      expect(nag!.conclusion).toBe('success');
      expect(nag!.suppressedViolations.length).toBeGreaterThan(0);
      for (const s of nag!.suppressedViolations)
        expect(JSON.stringify(s), s.ruleName).toMatch(/"(suppressionReason|reason|justification)":"[^"]{15,}/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
