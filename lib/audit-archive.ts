import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LifecycleFunction } from './lifecycle-function.js';

export const ARCHIVE_BUCKET_ENV = 'LIFECYCLE_AUDIT_ARCHIVE_BUCKET';

export interface AuditArchiveProps {
  /** The audit table, with its change stream (AUDIT_TABLE.changeStream). */
  readonly table: dynamodb.ITable;
  readonly alarmTopic: sns.ITopic;
  /**
   * Object Lock retention, in days, in compliance mode: no one can delete or overwrite an archived
   * record before it ends, and it cannot be shortened later.
   * @default 2555 (7 years)
   */
  readonly retentionDays?: number;
}

/**
 * The audit archive: every audit record copied, as it is written, to an S3 bucket with Object Lock
 * in compliance mode, by a function that reads the audit table's change stream. Any change or
 * removal of a record raises the TamperEvents alarm; archiving failures go to a dead-letter queue
 * with its own alarm. `lifecycle audit verify` compares the table with this archive.
 */
export class AuditArchive extends Construct {
  readonly bucket: s3.Bucket;
  readonly archiver: LifecycleFunction;
  readonly tamperAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: AuditArchiveProps) {
    super(scope, id);
    const retentionDays = props.retentionDays ?? 2555;
    if (!Number.isInteger(retentionDays) || retentionDays < 1)
      throw new Error(`AuditArchive retentionDays must be a whole number of days >= 1 (got ${retentionDays})`);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(retentionDays)),
      versioned: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.archiver = new LifecycleFunction(this, 'Archiver', {
      handler: 'audit-archive',
      environment: { [ARCHIVE_BUCKET_ENV]: this.bucket.bucketName },
      timeout: Duration.minutes(1),
      memorySize: 512,
    });
    const fn = this.archiver.fn;
    // Write new objects and read them back (to compare a redelivered record); never delete.
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [this.bucket.arnForObjects('*')],
      }),
    );
    const dlq = new sqs.Queue(this, 'Failures', { enforceSSL: true, retentionPeriod: Duration.days(14) });
    fn.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 50,
        onFailure: new SqsDlq(dlq),
      }),
    );
    this.tamperAlarm = new cloudwatch.Alarm(this, 'Tampering', {
      alarmDescription: 'An audit record was changed, removed or written over: see the archive tamper/ folder',
      metric: new cloudwatch.Metric({
        namespace: 'AtlassianLifecycle',
        metricName: 'TamperEvents',
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(5),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.tamperAlarm.addAlarmAction(new SnsAction(props.alarmTopic));
    const failures = new cloudwatch.Alarm(this, 'ArchiveFailures', {
      alarmDescription: 'Audit records could not be archived (dead-letter queue not empty)',
      metric: dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    failures.addAlarmAction(new SnsAction(props.alarmTopic));

    const ack = (id: string, reason: string) => Validations.of(this).acknowledge({ id: `AwsSolutions::${id}`, reason });
    ack(
      'AwsSolutions-S1',
      'The archive is written only by its archiver function; CloudTrail data events can log access if wanted.',
    );
    ack(
      `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as never)}.Arn>/*]`,
      'The archiver writes one object per audit record (keys are made from the record); it can never delete one.',
    );
    ack(
      'AwsSolutions-IAM5[Resource::*]',
      'dynamodb:ListStreams, which the stream event source needs, takes no resource.',
    );
    ack('AwsSolutions-SQS3', 'This queue is the dead-letter queue of the archiver event source.');
    new CfnOutput(this, 'BucketName', {
      value: this.bucket.bucketName,
      description: `The audit archive (Object Lock, compliance, ${retentionDays} days): set ${ARCHIVE_BUCKET_ENV} for lifecycle audit verify`,
    });
  }

  /** Lets a function read the archive (for verify). */
  grantRead(grantee: iam.IGrantable): void {
    this.bucket.grantRead(grantee);
  }
}
