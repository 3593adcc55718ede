import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  TreatMissingData,
  type AlarmProps,
  type IAlarm,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, MetricFilter, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** A queue that feeds a function, with the dead-letter queue its failures end in. */
export interface MonitoredQueue {
  /** Names the alarms and widgets, e.g. `Intake`. */
  readonly name: string;
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
  /** The age of the oldest waiting message past which work is considered stuck. */
  readonly maxMessageAge: Duration;
}

/** A function whose errors and throttles raise alarms. Its construct id names them. */
export interface MonitoredFunction {
  readonly fn: IFunction;
  /**
   * What a throttle means for this function, in the alarm's description.
   * @default the account's Lambda concurrency is exhausted
   */
  readonly throttleCause?: string;
  /**
   * The function's log group, given to alarm on its `ERROR` records too: for a function that
   * handles some failures itself and still succeeds (a reconciliation in which some dealers
   * failed), which its error metric never shows.
   */
  readonly alarmOnErrorsLoggedIn?: ILogGroup;
}

/** A dead-letter queue fed by something other than a queue (schedules, asynchronous invocations). */
export interface MonitoredDeadLetterQueue {
  /** Names the alarm and widget, e.g. `MonthEndJobs`. */
  readonly name: string;
  readonly queue: IQueue;
  /** What a message in it means and what to do, for the alarm's description. */
  readonly meaning: string;
}

export interface MonitoringProps {
  readonly functions: readonly MonitoredFunction[];
  readonly queues: readonly MonitoredQueue[];
  readonly deadLetterQueues?: readonly MonitoredDeadLetterQueue[];
  readonly alarmEmail?: string;
}

const PERIOD = Duration.minutes(5);

/**
 * What an admin watches: alarms that publish to one encrypted topic, and one dashboard
 * with the same metrics next to the alarms' states.
 */
export class Monitoring extends Construct {
  readonly alarmTopic: Topic;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // A customer key because CloudWatch can only publish to an encrypted topic whose key
    // policy lets it use the key; the AWS-managed SNS key's policy cannot be changed.
    const key = new Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the back-office alarm topic',
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );

    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: 'Back office alarms',
      masterKey: key,
      enforceSSL: true,
    });
    // The topic policy replaces SNS's default one, so CloudWatch needs its own allowance,
    // limited to this account's alarms.
    this.alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    if (props.alarmEmail !== undefined) this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));

    const alarms: IAlarm[] = [];
    const rows: IWidget[][] = [];
    const alarm = (alarmId: string, settings: AlarmProps): void => {
      const created = new Alarm(this, alarmId, settings);
      created.addAlarmAction(new SnsAction(this.alarmTopic));
      alarms.push(created);
    };

    for (const { fn, throttleCause, alarmOnErrorsLoggedIn } of props.functions) {
      const name = fn.node.id;
      const errors = fn.metricErrors({ period: PERIOD, statistic: 'Sum' });
      const throttles = fn.metricThrottles({ period: PERIOD, statistic: 'Sum' });
      alarm(`${name}Errors`, {
        alarmDescription: `${name}: invocations failed (crash or timeout). Read the function's log group.`,
        metric: errors,
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm(`${name}Throttles`, {
        alarmDescription: `${name}: invocations throttled; ${throttleCause ?? "the account's Lambda concurrency is exhausted"}.`,
        metric: throttles,
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      const invocationMetrics = [fn.metricInvocations({ period: PERIOD, statistic: 'Sum' }), errors, throttles];
      if (alarmOnErrorsLoggedIn !== undefined) {
        // Powertools' records, and the runtime's own in JSON format, carry `level`. One metric per
        // function, in the stack's namespace; no data when nothing matched, so no cost at rest.
        const filter = new MetricFilter(this, `${name}LoggedErrorsFilter`, {
          logGroup: alarmOnErrorsLoggedIn,
          filterPattern: FilterPattern.stringValue('$.level', '=', 'ERROR'),
          metricNamespace: stack.stackName,
          metricName: `${name}LoggedErrors`,
          metricValue: '1',
        });
        const loggedErrors = filter.metric({ period: PERIOD, statistic: 'Sum', label: 'logged errors' });
        alarm(`${name}LoggedErrors`, {
          alarmDescription: `${name}: errors were logged, such as dealers that failed while the run carried on. Filter its log group on level ERROR.`,
          metric: loggedErrors,
          threshold: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        });
        invocationMetrics.push(loggedErrors);
      }
      rows.push([
        new GraphWidget({
          title: `${name}: invocations, errors, throttles`,
          width: 12,
          left: invocationMetrics,
        }),
        new GraphWidget({
          title: `${name}: duration`,
          width: 12,
          left: [
            fn.metricDuration({ period: PERIOD, statistic: 'p95' }),
            fn.metricDuration({ period: PERIOD, statistic: 'Maximum' }),
          ],
        }),
      ]);
    }

    for (const { name, queue, deadLetterQueue, maxMessageAge } of props.queues) {
      const deadLetters = deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      });
      const oldest = queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum' });
      alarm(`${name}DeadLetters`, {
        alarmDescription: `${name}: messages wait in the dead-letter queue. Fix the cause, then redrive (docs/operations.md).`,
        metric: deadLetters,
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      // Failures that are retried never reach the function's error metric (the handler reports
      // them per message), so a backlog that stops draining is caught by its age.
      alarm(`${name}Backlog`, {
        alarmDescription: `${name}: the oldest message has waited too long; work is not draining.`,
        metric: oldest,
        threshold: maxMessageAge.toSeconds(),
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      rows.push([
        new GraphWidget({
          title: `${name}: waiting and dead-lettered messages, age of the oldest`,
          width: 24,
          left: [queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }), deadLetters],
          right: [oldest],
        }),
      ]);
    }

    for (const { name, queue, meaning } of props.deadLetterQueues ?? []) {
      const deadLetters = queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' });
      alarm(`${name}DeadLetters`, {
        alarmDescription: `${name}: ${meaning}`,
        metric: deadLetters,
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      rows.push([new GraphWidget({ title: `${name}: dead-lettered messages`, width: 24, left: [deadLetters] })]);
    }

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${stack.stackName}-operations`,
      defaultInterval: Duration.days(7),
      widgets: [[new AlarmStatusWidget({ title: 'Alarms', alarms, width: 24 })], ...rows],
    });
  }
}
