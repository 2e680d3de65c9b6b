import { Stack, type StackProps, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Schedule, ScheduleExpression, ScheduleTargetInput, ContextAttribute } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { CfnOutput, Duration, TimeZone, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ConfigError, parseConfig, type Config } from '../lambdas/config/index.js';
import { LifecycleFunction } from './lifecycle-function.js';
import { ApprovalSite, grantSendEmail } from './approval.js';
import { Execution } from './execution.js';
import { AuditArchive } from './audit-archive.js';
import { FinanceReport } from './report.js';
import { ReviewMailer, reviewMailerName } from './mailer.js';
import { LifecycleTables } from './tables.js';
import { Operations } from './operations.js';

export interface LifecycleStackProps extends StackProps {
  /** The product configuration (validated here, at synth time, with the same schema the functions use). */
  readonly config: unknown;
  /**
   * Removal policy of the stateful resources (tables).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Object Lock retention of the audit archive, in days (compliance mode: it cannot be shortened).
   * @default 2555 (7 years)
   */
  readonly auditArchiveRetentionDays?: number;
  /**
   * Keep the audit indexes projecting every attribute (a stack deployed before 2026-12-03 has them
   * so, and CloudFormation cannot change an index's projection in place).
   * @default false - keys only
   */
  readonly auditIndexesProjectAll?: boolean;
}

/** Secrets Manager ARNs (any suffix) of the secrets the configuration names. */
function secretArns(stack: Stack, config: Config): string[] {
  return [
    secretArn(stack, config.atlassian.apiKey, 'atlassian.apiKey'),
    secretArn(stack, config.entra.clientSecret, 'entra.clientSecret'),
  ];
}

/** The secret approvers' sign-in reads (its client secret), or undefined with sign-in off. */
function signInSecretArn(stack: Stack, config: Config): string | undefined {
  const s = config.approval.signIn;
  if (s.mode === 'off') return undefined;
  return s.clientSecret
    ? secretArn(stack, s.clientSecret, 'approval.signIn.clientSecret')
    : secretArn(stack, config.entra.clientSecret, 'entra.clientSecret');
}

function secretArn(stack: Stack, ref: Config['entra']['clientSecret'], setting: string): string {
  if (ref.source !== 'secretsManager') {
    throw new ConfigError(
      `On AWS, ${setting} must be {"source":"secretsManager","secretId":"..."}; got source "${ref.source}". Store the secret in Secrets Manager and name it in the configuration.`,
    );
  }
  return ref.secretId.startsWith('arn:')
    ? ref.secretId
    : stack.formatArn({
        service: 'secretsmanager',
        resource: 'secret',
        resourceName: `${ref.secretId}-??????`,
        arnFormat: 'arn:aws:secretsmanager:region:account:secret:name' as never,
      });
}

/**
 * The whole deployment: tables, the nightly plan function and its schedule, the review site and
 * the expiry of undecided proposals, and the execution state machine the approval step starts,
 * with an alarm on failed executions, and the monthly finance report on the billing day.
 */
export class LifecycleStack extends Stack {
  readonly tables: LifecycleTables;
  readonly planFunction: LifecycleFunction;
  readonly approval: ApprovalSite;
  readonly execution: Execution;
  readonly auditArchive: AuditArchive;
  readonly financeReport: FinanceReport;
  readonly reviewMailer: ReviewMailer;
  /** Operational alarms notify here (subscribe the on-call to it). */
  readonly alarmTopic: sns.Topic;
  /** On-failure destination and dead-letter queue of the scheduled functions and their schedules. */
  readonly failedInvocations: sqs.Queue;
  /** The operational alarms and the dashboard. */
  readonly operations: Operations;

  constructor(scope: Construct, id: string, props: LifecycleStackProps) {
    super(scope, id, props);
    const config = parseConfig(props.config, 'stack configuration');
    this.tables = new LifecycleTables(this, 'Tables', {
      removalPolicy: props.removalPolicy,
      auditIndexesProjectAll: props.auditIndexesProjectAll,
    });
    const environment = {
      LIFECYCLE_CONFIG: JSON.stringify(config),
      LIFECYCLE_TABLE_STATE: this.tables.state.tableName,
      LIFECYCLE_TABLE_AUDIT: this.tables.audit.tableName,
      LIFECYCLE_TABLE_SEATS: this.tables.seats.tableName,
    };
    // Invocations of the scheduled functions that failed their retries, and schedules that could not
    // invoke their function, wait here (14 days) to be inspected and redriven; its depth alarms.
    this.failedInvocations = new sqs.Queue(this, 'FailedInvocations', {
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
    });
    Validations.of(this.failedInvocations).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: 'This queue is itself the on-failure destination and dead-letter queue of the scheduled functions.',
    });
    const mailerName = reviewMailerName(this);
    this.approval = new ApprovalSite(this, 'Approval', {
      tables: this.tables,
      environment,
      mailerFunctionName: mailerName,
      failures: this.failedInvocations,
      signInSecretArn: signInSecretArn(this, config),
      reviewBaseUrl: config.approval.reviewBaseUrl,
    });
    // The plan mails each READY proposal with links to the review site.
    this.planFunction = new LifecycleFunction(this, 'Plan', {
      handler: 'plan',
      environment: { ...environment, LIFECYCLE_REVIEW_BASE_URL: this.approval.url.url },
      timeout: Duration.minutes(15),
      memorySize: 1024,
      // The nightly run and a manual (dry) run at most: both read the org's rate-limited APIs.
      reservedConcurrentExecutions: 2,
      // A plan invocation that dies without its own alert (timeout, out of memory) and fails its
      // retries lands here and alarms; each retry takes over its own run's lock.
      onFailure: this.failedInvocations,
    });
    const fn = this.planFunction.fn;
    this.tables.grantState(fn);
    this.tables.grantAppendAudit(fn, 'plan');
    this.tables.grantSeats(fn);
    grantSendEmail(fn, config.approval.from);
    const secrets = secretArns(this, config);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: secrets }));

    this.alarmTopic = new sns.Topic(this, 'Alarms', { displayName: 'Atlassian lifecycle alarms', enforceSSL: true });
    // The review site's mail (undo proposals, keep notices) is sent by this function, not the site.
    this.reviewMailer = new ReviewMailer(this, 'ReviewMailer', {
      tables: this.tables,
      environment,
      reviewBaseUrl: this.approval.url.url,
      from: config.approval.from,
      functionName: mailerName,
      alarmTopic: this.alarmTopic,
    });
    this.auditArchive = new AuditArchive(this, 'AuditArchive', {
      table: this.tables.audit,
      alarmTopic: this.alarmTopic,
      ...(props.auditArchiveRetentionDays !== undefined && { retentionDays: props.auditArchiveRetentionDays }),
    });
    this.execution = new Execution(this, 'Execution', {
      tables: this.tables,
      // Warnings before deactivating carry "keep my account" links to the review site.
      environment: { ...environment, LIFECYCLE_REVIEW_BASE_URL: this.approval.url.url },
      from: config.approval.from,
      secretArns: secrets,
      alarmTopic: this.alarmTopic,
    });
    // Every path that hands approved items to execution: a quorum's decision (the site), a decision
    // settled by the hourly sweep (expiry), and items approved by configuration when the plan's
    // handoff sends the proposal (plan).
    for (const starter of [this.approval.site.fn, this.approval.expiry.fn, fn]) this.execution.grantStart(starter);

    new Schedule(this, 'NightlyPlan', {
      description: 'Nightly plan: proposes a batch of lifecycle changes for approval',
      schedule: ScheduleExpression.expression(config.schedules.plan, TimeZone.of(config.schedules.timeZone)),
      target: new LambdaInvoke(fn, {
        // The scheduled time is the run id: a redelivered or retried schedule yields one proposal.
        input: ScheduleTargetInput.fromObject({ runId: `plan-${ContextAttribute.scheduledTime}` }),
        retryAttempts: 2,
        deadLetterQueue: this.failedInvocations,
      }),
    });

    this.financeReport = new FinanceReport(this, 'FinanceReport', {
      tables: this.tables,
      environment,
      from: config.approval.from,
      billingDay: config.finance.billingDay,
      timeZone: config.finance.timeZone,
      secretArns: secrets.slice(0, 1),
      failures: this.failedInvocations,
    });
    // Execution's finish step stores executed changes and a snapshot in the seats table.
    this.tables.grantWriteSnapshots(this.execution.step.fn);

    this.operations = new Operations(this, 'Operations', {
      topic: this.alarmTopic,
      plan: fn,
      planSchedule: config.schedules.plan,
      functions: {
        plan: fn,
        site: this.approval.site.fn,
        expiry: this.approval.expiry.fn,
        mailer: this.reviewMailer.function.fn,
        step: this.execution.step.fn,
        report: this.financeReport.function.fn,
        archiver: this.auditArchive.archiver.fn,
      },
      stateMachine: this.execution.stateMachine,
      failureQueues: { FailedInvocations: this.failedInvocations },
    });

    new CfnOutput(this, 'PlanFunctionName', {
      value: fn.functionName,
      description: 'The plan function: invoke it with {"runId":"first-dry-run","dryRun":true} for a dry run',
    });
    new CfnOutput(this, 'DashboardName', {
      value: this.operations.dashboard.dashboardName,
      description: 'The CloudWatch dashboard of the plan, execution, API and audit metrics',
    });

    // cdk-nag findings acknowledged here, each with its reason (STYLE.md: next to the construct).
    const ack = (id: string, reason: string) => Validations.of(this).acknowledge({ id: `AwsSolutions::${id}`, reason });
    ack(
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'The basic execution role only lets a function write its own logs.',
    );
    ack(
      `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.tables.state.node.defaultChild as never)}.Arn>/index/*]`,
      'Queries of the state table GSI (gsi1) need the index ARN.',
    );
    ack(
      `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.tables.audit.node.defaultChild as never)}.Arn>/index/*]`,
      'Queries of the audit indexes (byAccount, byDay) need their ARNs.',
    );
    for (const scheduled of [fn, this.approval.expiry.fn, this.financeReport.function.fn]) {
      ack(
        `AwsSolutions-IAM5[Resource::<${this.getLogicalId(scheduled.node.defaultChild as never)}.Arn>:*]`,
        'A scheduler role may invoke any version of its function, as the L2 target grants.',
      );
    }
    ack('AwsSolutions-L1', 'Node.js 22 is the newest runtime the code is tested on (locally on Node 20 and 22).');
  }
}
