import { Duration, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { grantSendEmail } from './approval.js';
import { LifecycleFunction } from './lifecycle-function.js';
import type { LifecycleTables } from './tables.js';

export interface FinanceReportProps {
  readonly tables: LifecycleTables;
  readonly environment: Record<string, string>;
  /** The SES sender (`approval.from`): the function may send from this identity only. */
  readonly from: string;
  /** Day of the month the billing period starts (`finance.billingDay`, 1-28). */
  readonly billingDay: number;
  /** IANA zone of the billing day (`finance.timeZone`). */
  readonly timeZone: string;
  /**
   * Hour of the billing day (in `timeZone`) the report is sent, once the new period's count exists.
   * @default 7
   */
  readonly hour?: number;
  /** Secrets Manager ARNs of the Atlassian API key: the billed-accounts CSV lists the org's accounts. */
  readonly secretArns: readonly string[];
  /** Where a report invocation that failed its retries, or a schedule that could not invoke it, goes. */
  readonly failures: sqs.IQueue;
}

/** resvg's native binary for the function's architecture (x86_64, as installed on the build machine). */
const NATIVE = ['@resvg/resvg-js', '@resvg/resvg-js-linux-x64-gnu'];
const FONT = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');

/**
 * The monthly finance report: a function (chart rendered with Vega-Lite and resvg, mailed with SES)
 * and its EventBridge Scheduler schedule on the billing day in the billing time zone.
 */
export class FinanceReport extends Construct {
  readonly function: LifecycleFunction;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: FinanceReportProps) {
    super(scope, id);
    if (!Number.isInteger(props.billingDay) || props.billingDay < 1 || props.billingDay > 28)
      throw new Error(`FinanceReport billingDay must be a whole day from 1 to 28 (got ${props.billingDay})`);
    const hour = props.hour ?? 7;
    if (!Number.isInteger(hour) || hour < 0 || hour > 23)
      throw new Error(`FinanceReport hour must be a whole hour from 0 to 23 (got ${hour})`);
    this.function = new LifecycleFunction(this, 'Report', {
      handler: 'report',
      environment: { ...props.environment, LIFECYCLE_CHART_FONT: `/var/task/${basename(FONT)}` },
      timeout: Duration.minutes(10),
      memorySize: 1024,
      reservedConcurrentExecutions: 1,
      // The resvg binary installed here is linux-x64-gnu: the function runs on x86_64 to load it.
      architecture: lambda.Architecture.X86_64,
      copyModules: NATIVE,
      copyFiles: [FONT],
      onFailure: props.failures,
    });
    const fn = this.function.fn;
    props.tables.seats.grantReadData(fn);
    grantSendEmail(fn, props.from);
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [...props.secretArns] }),
    );
    this.schedule = new Schedule(this, 'Schedule', {
      description: 'Monthly finance report: Guard seats billed, savings and chart, mailed to finance',
      schedule: ScheduleExpression.expression(`cron(0 ${hour} ${props.billingDay} * ? *)`, TimeZone.of(props.timeZone)),
      target: new LambdaInvoke(fn, { retryAttempts: 2, deadLetterQueue: props.failures }),
    });
  }
}
