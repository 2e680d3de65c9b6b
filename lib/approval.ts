import { CfnOutput, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { LifecycleFunction } from './lifecycle-function.js';
import type { LifecycleTables } from './tables.js';
import { grantInvokeMailer } from './grants.js';

export { grantSendEmail } from './grants.js';

export interface ApprovalSiteProps {
  readonly tables: LifecycleTables;
  readonly environment: Record<string, string>;
  /**
   * Most concurrent review requests: bounds what anyone holding no valid link can cost (every
   * refusal is audited).
   * @default 10
   */
  readonly maxConcurrency?: number;
  /** The mailer function's fixed name (lib/mailer.ts): the site hands it every mail it asks for. */
  readonly mailerFunctionName: string;
  /** Where a scheduled expiry that failed its retries, or a schedule that could not invoke it, goes. */
  readonly failures: sqs.IQueue;
  /**
   * The secret approvers' sign-in reads (approval.signIn.clientSecret, else entra.clientSecret): the
   * site's only secret. Undefined with sign-in off.
   */
  readonly signInSecretArn?: string | undefined;
  /** approval.reviewBaseUrl when configured (a custom domain): the redirect URI is under it. @default the Function URL */
  readonly reviewBaseUrl?: string | undefined;
}

/**
 * The review site (a Lambda Function URL: the signed single-use link finds the proposal; the
 * approver signs in with Entra ID before a decision counts, unless approval.signIn is off) and the
 * hourly expiry of undecided proposals.
 */
export class ApprovalSite extends Construct {
  readonly site: LifecycleFunction;
  readonly url: lambda.FunctionUrl;
  readonly expiry: LifecycleFunction;

  constructor(scope: Construct, id: string, props: ApprovalSiteProps) {
    super(scope, id);
    this.site = new LifecycleFunction(this, 'Site', {
      handler: 'approval',
      environment: { ...props.environment, LIFECYCLE_MAILER_FUNCTION: props.mailerFunctionName },
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
      // One sweep at a time: two would race to settle the same decisions.
      reservedConcurrentExecutions: 1,
      onFailure: props.failures,
    });
    for (const f of [this.site.fn, this.expiry.fn]) props.tables.grantState(f, 'decide');
    // Neither function sends mail (issue 14, finding 9): the site hands an undo proposal it builds and
    // the approvers' notice of a kept account to the mailer function (ids only; the mailer mints the
    // review links and alerts on a failed send); the hourly sweep never mails.
    grantInvokeMailer(this.site.fn, props.mailerFunctionName);
    props.tables.grantAppendAudit(this.site.fn, 'site');
    props.tables.grantAppendAudit(this.expiry.fn, 'expiry');
    new Schedule(this, 'Hourly', {
      description: 'Expire undecided proposals past their deadline',
      schedule: ScheduleExpression.expression('rate(1 hour)'),
      target: new LambdaInvoke(this.expiry.fn, { retryAttempts: 2, deadLetterQueue: props.failures }),
    });
    new CfnOutput(this, 'ReviewUrl', {
      value: this.url.url,
      description: 'Base URL of the review site (approval links point here)',
    });
    if (props.signInSecretArn) {
      // Sign-in redeems its code with the app registration's client secret, and seals its cookies with a key derived from it.
      this.site.fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [props.signInSecretArn] }),
      );
      const base = props.reviewBaseUrl ? `${props.reviewBaseUrl.replace(/\/+$/, '')}/` : this.url.url;
      new CfnOutput(this, 'SignInRedirectUri', {
        value: `${base}signin/callback`,
        description: 'Register this as a Web redirect URI of the Entra app registration approvers sign in with',
      });
    }
  }
}
