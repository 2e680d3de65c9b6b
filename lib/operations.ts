import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { MetricName, METRICS_NAMESPACE, SERVICE_NAME, TAMPER_EVENTS_METRIC } from '../lambdas/wiring/observability.js';

export interface OperationsProps {
  /** Every alarm notifies here. */
  readonly topic: sns.ITopic;
  /** The nightly plan function. */
  readonly plan: lambda.IFunction;
  /** The plan's schedule expression (`schedules.plan`): how long a silence means a missed run. */
  readonly planSchedule: string;
  /** Every function of the stack, by the name the dashboard shows. */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  readonly stateMachine: sfn.IStateMachine;
  /** Queues that hold failed invocations or records (on-failure destinations, dead-letter queues), by name. */
  readonly failureQueues: Readonly<Record<string, sqs.IQueue>>;
  /**
   * Atlassian 429 answers in 5 minutes that count as a throttle storm (the client backs off on
   * each; a storm means the org's rate limit is shared with something else, or the pacing is off).
   * @default 50
   */
  readonly throttleStormThreshold?: number;
}

/** One of the product's EMF metrics (lambdas/wiring/observability.ts), summed. */
export function productMetric(name: MetricName, period = Duration.minutes(5)): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: SERVICE_NAME },
    statistic: cloudwatch.Stats.SUM,
    period,
  });
}

/**
 * Days the plan may stay silent before its absence alarms: one for a daily (or more frequent)
 * schedule, seven for any other (a weekly cron, a rate of days).
 */
export function planSilenceDays(schedule: string): number {
  const rate = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(schedule);
  if (rate) return rate[2]!.startsWith('day') && Number(rate[1]) > 1 ? 7 : 1;
  const fields = /^cron\((.*)\)$/.exec(schedule)?.[1]?.trim().split(/\s+/);
  const everyDay = (f: string | undefined) => f === '*' || f === '?';
  return fields && everyDay(fields[2]) && everyDay(fields[4]) ? 1 : 7;
}

/**
 * The operational alarms the issue asks for, beside the ones their constructs own (failed
 * executions, audit tampering, archive failures, mailer failures), and one dashboard.
 * Quiet when healthy: every alarm treats missing data as fine, except the plan's own silence.
 */
export class Operations extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const atLeastOne = (alarmId: string, description: string, metric: cloudwatch.IMetric, threshold = 1) =>
      this.alarm(alarmId, props.topic, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });

    atLeastOne(
      'PlanFailed',
      'The nightly plan failed (an error or a timeout): see the plan log and the alert mail.',
      props.plan.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
    );
    const silenceDays = planSilenceDays(props.planSchedule);
    this.alarm('PlanMissed', props.topic, {
      alarmDescription: `No plan run finished in ${silenceDays === 1 ? 'a day' : `${silenceDays} days`} (schedule ${props.planSchedule}): the schedule, the function or its permissions are broken.`,
      metric: productMetric(MetricName.PLAN_RUNS, Duration.days(1)),
      threshold: 1,
      evaluationPeriods: silenceDays,
      datapointsToAlarm: silenceDays,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      // No data is the very thing this alarm is for.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    atLeastOne(
      'ExecutionItemsFailed',
      'An execution left FAILED items: the results mail and the audit log name them and why.',
      productMetric(MetricName.ITEMS_FAILED),
    );
    atLeastOne(
      'ExecutionTimedOutOrAborted',
      'An execution timed out or was aborted: its approved items are left as they were; see the state machine history.',
      new cloudwatch.MathExpression({
        expression: 'timedOut + aborted',
        usingMetrics: {
          timedOut: props.stateMachine.metricTimedOut({ statistic: cloudwatch.Stats.SUM }),
          aborted: props.stateMachine.metricAborted({ statistic: cloudwatch.Stats.SUM }),
        },
        period: Duration.minutes(5),
      }),
    );
    atLeastOne(
      'ThrottleStorm',
      'The Atlassian admin APIs answered 429 many times in 5 minutes: something else shares the org’s rate limit, or the pacing is off.',
      productMetric(MetricName.API_THROTTLES),
      props.throttleStormThreshold ?? 50,
    );
    atLeastOne(
      'ProposalExpired',
      'A proposal expired undecided: its items were not executed; the approvers did not decide in time.',
      productMetric(MetricName.PROPOSALS_EXPIRED, Duration.hours(1)),
    );
    for (const [name, queue] of Object.entries(props.failureQueues)) {
      atLeastOne(
        `${name}Depth`,
        `${name}: failed invocations or records are waiting in ${name} (inspect, fix, redrive).`,
        queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
      );
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
      widgets: [
        [
          graph('Plan', [MetricName.PLAN_RUNS, MetricName.ACCOUNTS_READ, MetricName.ITEMS_PROPOSED]),
          graph('Plan wall time (ms)', [MetricName.PLAN_WALL_TIME], cloudwatch.Stats.MAXIMUM),
          graph('Atlassian API', [MetricName.API_REQUESTS, MetricName.API_THROTTLES]),
        ],
        [
          graph('Execution items', [
            MetricName.ITEMS_APPROVED,
            MetricName.ITEMS_DONE,
            MetricName.ITEMS_FAILED,
            MetricName.ITEMS_SKIPPED,
          ]),
          new cloudwatch.GraphWidget({
            title: 'Approval and audit',
            left: [
              productMetric(MetricName.PROPOSALS_EXPIRED, Duration.hours(1)),
              new cloudwatch.Metric({
                namespace: METRICS_NAMESPACE,
                metricName: TAMPER_EVENTS_METRIC,
                statistic: cloudwatch.Stats.SUM,
                period: Duration.hours(1),
              }),
            ],
          }),
          new cloudwatch.GraphWidget({
            title: 'Executions',
            left: [
              props.stateMachine.metricSucceeded({ statistic: cloudwatch.Stats.SUM }),
              props.stateMachine.metricFailed({ statistic: cloudwatch.Stats.SUM }),
            ],
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Function errors',
            width: 12,
            left: Object.entries(props.functions).map(([label, fn]) =>
              fn.metricErrors({ label, statistic: cloudwatch.Stats.SUM, period: Duration.hours(1) }),
            ),
          }),
          new cloudwatch.AlarmStatusWidget({ title: 'Alarms', width: 12, alarms: this.alarms }),
        ],
      ],
    });
  }

  private alarm(id: string, topic: sns.ITopic, props: cloudwatch.AlarmProps): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, props);
    alarm.addAlarmAction(new SnsAction(topic));
    this.alarms.push(alarm);
    return alarm;
  }
}

function graph(title: string, names: MetricName[], statistic: string = cloudwatch.Stats.SUM): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({
    title,
    left: names.map((n) => productMetric(n, Duration.hours(1)).with({ statistic, label: n })),
  });
}
