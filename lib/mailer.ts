import { Duration, Validations, type Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { grantSendEmail } from './grants.js';
import { LifecycleFunction } from './lifecycle-function.js';
import type { LifecycleTables } from './tables.js';

export interface ReviewMailerProps {
  readonly tables: LifecycleTables;
  /** The functions' common environment; the review URL is added here. */
  readonly environment: Record<string, string>;
  /** The review site's base URL: the links the mailer mints point here. */
  readonly reviewBaseUrl: string;
  /** The SES sender (`approval.from`). */
  readonly from: string;
  /** The fixed name the review site invokes (reviewMailerName). */
  readonly functionName: string;
  /** Where a request that failed its retries is reported. */
  readonly alarmTopic: sns.ITopic;
}

/** The mailer's fixed name in a stack (the site names it without a reference; see LifecycleFunctionProps.functionName). */
export function reviewMailerName(stack: Stack): string {
  return `${stack.stackName.slice(0, 48)}-review-mailer`;
}

/**
 * The mailer function (lambdas/handlers/mailer.ts): sends the mail the public review site asks for
 * (an undo proposal with its review links, a keep notice), so the site holds no SES right and never
 * sees a review link. Invoked asynchronously; a request that fails its two retries goes to a queue,
 * whose depth raises an alarm.
 */
export class ReviewMailer extends Construct {
  readonly function: LifecycleFunction;
  readonly failures: sqs.Queue;
  readonly failuresAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ReviewMailerProps) {
    super(scope, id);
    this.failures = new sqs.Queue(this, 'Failures', {
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
    });
    this.function = new LifecycleFunction(this, 'Fn', {
      handler: 'mailer',
      functionName: props.functionName,
      environment: { ...props.environment, LIFECYCLE_REVIEW_BASE_URL: props.reviewBaseUrl },
      timeout: Duration.minutes(2),
      memorySize: 512,
      // A few undo requests or keep notices at a time; SES sending quotas are per second.
      reservedConcurrentExecutions: 2,
    });
    const fn = this.function.fn;
    fn.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(this.failures) });
    // Reads the proposal and its items, issues and withdraws links, records the send: no delete, no batch write.
    props.tables.grantState(fn, 'decide');
    props.tables.grantAppendAudit(fn, 'mailer');
    grantSendEmail(fn, props.from);
    this.failuresAlarm = new cloudwatch.Alarm(this, 'FailuresAlarm', {
      alarmDescription:
        'A mail the review site asked for (an undo proposal, a keep notice) failed its retries: see the mailer queue and logs',
      metric: this.failures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.failuresAlarm.addAlarmAction(new SnsAction(props.alarmTopic));
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: 'This queue is the on-failure destination of the mailer function (a dead-letter queue itself).',
    });
  }
}
