import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { LifecycleFunction } from './lifecycle-function.js';
import type { LifecycleTables } from './tables.js';

export interface ApprovalSiteProps {
  readonly tables: LifecycleTables;
  readonly environment: Record<string, string>;
  /** The SES sender (`approval.from`). */
  readonly from: string;
  /**
   * Most concurrent review requests: bounds what anyone holding no valid link can cost (every
   * refusal is audited).
   * @default 10
   */
  readonly maxConcurrency?: number;
}

/**
 * The review site (a Lambda Function URL: the signed single-use link is the authentication) and
 * the hourly expiry of undecided proposals.
 */
export class ApprovalSite extends Construct {
  readonly site: LifecycleFunction;
  readonly url: lambda.FunctionUrl;
  readonly expiry: LifecycleFunction;

  constructor(scope: Construct, id: string, props: ApprovalSiteProps) {
    super(scope, id);
    this.site = new LifecycleFunction(this, 'Site', {
      handler: 'approval',
      environment: props.environment,
      timeout: Duration.minutes(5),
      memorySize: 1024,
      reservedConcurrentExecutions: props.maxConcurrency ?? 10,
    });
    this.url = this.site.fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    this.expiry = new LifecycleFunction(this, 'Expiry', {
      handler: 'approval',
      exportName: 'expire',
      environment: props.environment,
      timeout: Duration.minutes(5),
      memorySize: 512,
    });
    for (const f of [this.site.fn, this.expiry.fn]) props.tables.grantState(f, 'decide');
    // The site mails: an undo proposal it builds, the approvers' notice of a kept account, the alert
    // of a failed send. The hourly sweep never mails, so it gets no SES right.
    grantSendEmail(this.site.fn, props.from);
    props.tables.grantAppendAudit(this.site.fn, 'site');
    props.tables.grantAppendAudit(this.expiry.fn, 'expiry');
    new Schedule(this, 'Hourly', {
      description: 'Expire undecided proposals past their deadline',
      schedule: ScheduleExpression.expression('rate(1 hour)'),
      target: new LambdaInvoke(this.expiry.fn, { retryAttempts: 2 }),
    });
    new CfnOutput(this, 'ReviewUrl', {
      value: this.url.url,
      description: 'Base URL of the review site (approval links point here)',
    });
  }
}

/** ses:SendEmail from the configured sender's identity only (the address and its domain). */
export function grantSendEmail(grantee: iam.IGrantable, from: string): void {
  const stack = Stack.of(grantee as unknown as Construct);
  const domain = from.split('@')[1]!;
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [from, domain].map((identity) =>
        stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
      ),
    }),
  );
}
