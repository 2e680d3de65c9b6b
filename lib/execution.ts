import { ArnFormat, CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { grantSendEmail } from './approval.js';
import { executionDefinition, STEP_TIMEOUT_SECONDS } from './execution-definition.js';
import { LifecycleFunction } from './lifecycle-function.js';
import type { LifecycleTables } from './tables.js';

/** The environment variable that names the execution state machine to the functions that start it. */
export const STATE_MACHINE_ARN_ENV = 'LIFECYCLE_EXECUTION_STATE_MACHINE_ARN';

/** The only action a starter gets on the state machine. */
export const START_EXECUTION_ACTIONS = ['states:StartExecution'] as const;

export interface ExecutionProps {
  readonly tables: LifecycleTables;
  readonly environment: Record<string, string>;
  /** The SES sender (`approval.from`): warnings, results and alerts. */
  readonly from: string;
  /** Secrets Manager ARNs the steps read (the Atlassian API key, the Graph client secret). */
  readonly secretArns: readonly string[];
  /** Where the failed-executions alarm notifies. */
  readonly alarmTopic: sns.ITopic;
  /**
   * Most concurrent step invocations. Chunks run one at a time per execution, but executions of
   * different proposals (and rounds) may overlap, and they all share the org's API rate limit.
   * @default 2
   */
  readonly maxConcurrency?: number;
}

/**
 * Execution of approved proposals: a Step Functions Standard state machine built from the one
 * definition in execution-definition.ts (the local stack runs the same one), whose every Task
 * invokes one step function (lambdas/handlers/execute.ts, `step`), and an alarm on failed runs.
 */
export class Execution extends Construct {
  readonly step: LifecycleFunction;
  readonly stateMachine: sfn.StateMachine;
  /**
   * The state machine's ARN, built from its fixed name rather than read from the resource: a
   * function that starts executions (the review site) and is itself referenced by the steps (its
   * URL in the keep links) would otherwise form a dependency cycle.
   */
  readonly stateMachineArn: string;
  readonly failedAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ExecutionProps) {
    super(scope, id);
    const maxConcurrency = props.maxConcurrency ?? 2;
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1)
      throw new Error(`Execution maxConcurrency must be a whole number >= 1 (got ${maxConcurrency})`);
    if (props.secretArns.length === 0) throw new Error('Execution needs the ARNs of the secrets its steps read');

    this.step = new LifecycleFunction(this, 'Step', {
      handler: 'execute',
      exportName: 'step',
      environment: props.environment,
      timeout: Duration.seconds(STEP_TIMEOUT_SECONDS),
      memorySize: 1024,
      reservedConcurrentExecutions: maxConcurrency,
    });
    const fn = this.step.fn;
    // Items, proposals, tokens (keep links) and execution records all live in the state table.
    props.tables.grantState(fn);
    props.tables.grantAppendAudit(fn, 'step');
    grantSendEmail(fn, props.from);
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [...props.secretArns] }),
    );

    const stack = Stack.of(this);
    const stateMachineName = `${stack.stackName}-execution`.slice(0, 80);
    this.stateMachineArn = stack.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      comment: 'Executes the approved items of one proposal round',
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(Stack.of(this).toJsonString(executionDefinition(fn.functionArn))),
      logs: {
        destination: new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR }),
        level: sfn.LogLevel.ALL,
        // Step inputs and outputs are ids and counts; a caught error's cause helps the on-call.
        includeExecutionData: true,
      },
      tracingEnabled: true,
    });
    // The definition is a string: the L2 cannot see its Task resources, so the invoke is granted here.
    fn.grantInvoke(this.stateMachine);
    // cdk-nag findings on the state machine's role, acknowledged here and for it alone.
    const ack = (id: string, reason: string) =>
      Validations.of(this.stateMachine).acknowledge({ id: `AwsSolutions::${id}`, reason });
    ack(
      `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(fn.node.defaultChild as never)}.Arn>:*]`,
      'The state machine may invoke any version of its step function, as the Lambda L2 grantInvoke grants.',
    );
    ack(
      'AwsSolutions-IAM5[Resource::*]',
      'Step Functions log delivery (logs:*LogDelivery, DescribeLogGroups) and X-Ray (PutTraceSegments) take no resource-level permissions.',
    );

    this.failedAlarm = new cloudwatch.Alarm(this, 'FailedAlarm', {
      alarmDescription:
        'An execution of approved lifecycle changes failed: see the audit log, the alert mail and the state machine history.',
      metric: this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.failedAlarm.addAlarmAction(new SnsAction(props.alarmTopic));

    new CfnOutput(this, 'StateMachineArn', {
      value: this.stateMachine.stateMachineArn,
      description: 'The execution state machine (started by the approval step)',
    });
  }

  /**
   * Lets a function start executions: `states:StartExecution` on this state machine only, and its
   * ARN in the environment (lambdas/wiring/env.ts reads it).
   */
  grantStart(fn: { addEnvironment(key: string, value: string): unknown } & iam.IGrantable): void {
    fn.addEnvironment(STATE_MACHINE_ARN_ENV, this.stateMachineArn);
    fn.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...START_EXECUTION_ACTIONS], resources: [this.stateMachineArn] }),
    );
  }
}
