import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { ApiMetrics } from './api.js';
import {
  Alarm,
  AlarmRule,
  AlarmState,
  AlarmStatusWidget,
  ComparisonOperator,
  CompositeAlarm,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TreatMissingData,
  type AlarmProps,
  type IAlarm,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { CfnBudget } from 'aws-cdk-lib/aws-budgets';
import { Operation, type ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
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
  /**
   * What logged errors mean for this function, in the alarm's description.
   * @default errors were logged while the function went on
   */
  readonly loggedErrorsMeaning?: string;
}

/** The API (HTTP, or REST in China) whose answers and latency raise alarms. */
export interface MonitoredApi {
  readonly metrics: ApiMetrics;
  /** p95 latency past which the portal counts as slow. */
  readonly slowLatency: Duration;
}

/**
 * A run that must happen once on a known day: it is missing when, at the moment the check
 * schedule publishes `dueMetric`, `runMetric` has had no sample for `lookBack`.
 */
export interface MonitoredRun {
  /** Names the alarms, e.g. `Reconciliation`. */
  readonly name: string;
  /** Emitted by every run (any value); one sample is enough. */
  readonly runMetric: Metric;
  /** Published by a schedule after the run's time, 1 when the run was due. */
  readonly dueMetric: Metric;
  /** How far back a run still counts (at most a day: hourly periods). */
  readonly lookBack: Duration;
  readonly meaning: string;
}

/** A dead-letter queue fed by something other than a queue (schedules, asynchronous invocations). */
export interface MonitoredDeadLetterQueue {
  /** Names the alarm and widget, e.g. `MonthEndJobs`. */
  readonly name: string;
  readonly queue: IQueue;
  /** What a message in it means and what to do, for the alarm's description. */
  readonly meaning: string;
}

/** The SES configuration set whose bounce and complaint rates raise alarms before SES pauses sending. */
export interface MonitoredMail {
  readonly configurationSetName: string;
}

export interface MonitoringProps {
  readonly functions: readonly MonitoredFunction[];
  readonly api?: MonitoredApi;
  /** The table whose capacity, throttles and system errors the dashboard shows and alarms on. */
  readonly table?: ITableV2;
  readonly mail?: MonitoredMail;
  /** Monthly cost past which (actual, or forecast) the topic is told: an AWS Budgets budget. */
  readonly monthlyBudget?: number;
  readonly runs?: readonly MonitoredRun[];
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
  /** Each function's alarms that mean a bad version (errors, logged errors): a canary stops on them. */
  readonly functionAlarms = new Map<IFunction, IAlarm[]>();
  /** The API's 5xx alarm, which stops the API's canary too. */
  apiServerErrors: IAlarm | undefined;

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
        // Only this account's alarms, as on the topic below.
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
        },
      }),
    );

    // AWS Budgets publishes its alerts to the same topic.
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'BudgetsPublish',
        principals: [new ServicePrincipal('budgets.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
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
    this.alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'BudgetsPublish',
        principals: [new ServicePrincipal('budgets.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    if (props.alarmEmail !== undefined) this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    if (props.monthlyBudget !== undefined) this.budget(props.monthlyBudget);

    const alarms: IAlarm[] = [];
    const rows: IWidget[][] = [];
    const notify = new SnsAction(this.alarmTopic);
    /** `clears`: also tell the topic when the alarm is over (work someone must redo, not a passing error). */
    const alarm = (alarmId: string, settings: AlarmProps, clears = false): Alarm => {
      const created = new Alarm(this, alarmId, settings);
      created.addAlarmAction(notify);
      if (clears) created.addOkAction(notify);
      alarms.push(created);
      return created;
    };
    /** Any message in a dead-letter queue is work someone must redo; the topic hears when it is done. */
    const deadLetterAlarm = (name: string, meaning: string, metric: Metric): Alarm =>
      alarm(
        `${name}DeadLetters`,
        {
          alarmDescription: `${name}: ${meaning}`,
          metric,
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        },
        true,
      );

    if (props.api !== undefined) rows.push(this.apiAlarms(props.api, alarm));
    if (props.table !== undefined) {
      rows.push(tableWidgets(props.table));
      tableAlarms(props.table, alarm);
    }
    if (props.mail !== undefined) rows.push(mailAlarms(props.mail, alarm));

    for (const { fn, throttleCause, alarmOnErrorsLoggedIn, loggedErrorsMeaning } of props.functions) {
      const name = fn.node.id;
      const errors = fn.metricErrors({ period: PERIOD, statistic: 'Sum' });
      const throttles = fn.metricThrottles({ period: PERIOD, statistic: 'Sum' });
      const own: IAlarm[] = [];
      this.functionAlarms.set(fn, own);
      own.push(alarm(`${name}Errors`, {
        alarmDescription: `${name}: invocations failed (crash or timeout). Read the function's log group.`,
        metric: errors,
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }));
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
        own.push(alarm(`${name}LoggedErrors`, {
          alarmDescription: `${name}: ${loggedErrorsMeaning ?? 'errors were logged while the function went on'}. Filter its log group on level ERROR.`,
          metric: loggedErrors,
          threshold: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }));
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
      deadLetterAlarm(name, 'messages wait in the dead-letter queue. Fix the cause, then redrive (docs/operations.md).', deadLetters);
      // Failures that are retried never reach the function's error metric (the handler reports
      // them per message), so a backlog that stops draining is caught by its age.
      alarm(`${name}Backlog`, {
        alarmDescription: `${name}: the oldest message has waited over ${maxMessageAge.toMinutes()} minutes; work is not draining.`,
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
      deadLetterAlarm(name, meaning, deadLetters);
      rows.push([new GraphWidget({ title: `${name}: dead-lettered messages`, width: 24, left: [deadLetters] })]);
    }

    // The composite notifies; its parts are on the dashboard too, to see which half is in ALARM.
    for (const run of props.runs ?? []) alarms.push(...this.missingRunAlarms(run, notify));

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${stack.stackName}-operations`,
      defaultInterval: Duration.days(7),
      widgets: [[new AlarmStatusWidget({ title: 'Alarms', alarms, width: 24 })], ...rows],
    });
  }

  /**
   * The month's cost, actual and forecast, against the budget: the first sign of a runaway
   * loop (a worker retrying forever, a schedule firing every minute) that no error alarm sees.
   */
  private budget(amount: number): void {
    const subscribers = [{ subscriptionType: 'SNS', address: this.alarmTopic.topicArn }];
    new CfnBudget(this, 'MonthlyBudget', {
      budget: {
        budgetName: `${Stack.of(this).stackName}-monthly`,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount, unit: Stack.of(this).partition === 'aws-cn' ? 'CNY' : 'USD' },
      },
      notificationsWithSubscribers: [
        { notification: { notificationType: 'ACTUAL', comparisonOperator: 'GREATER_THAN', threshold: 80, thresholdType: 'PERCENTAGE' }, subscribers },
        { notification: { notificationType: 'FORECASTED', comparisonOperator: 'GREATER_THAN', threshold: 100, thresholdType: 'PERCENTAGE' }, subscribers },
      ],
    });
  }

  /**
   * The API's own view: answers that failed (5xx: the handler's caught errors, timeouts,
   * integration failures) and a slow p95. The function's metrics miss both, because the
   * handler answers 500 and returns.
   */
  private apiAlarms({ metrics: api, slowLatency }: MonitoredApi, alarm: (id: string, props: AlarmProps) => Alarm): IWidget[] {
    const serverErrors = api.metricServerError({ period: PERIOD, statistic: 'Sum' });
    const latency = api.metricLatency({ period: PERIOD, statistic: 'p95' });
    this.apiServerErrors = alarm('ApiServerErrors', {
      alarmDescription: 'Api: requests answered 5xx (a handler error answered 500, a timeout, an integration failure). Read the ApiAccessLogs group (status, integrationErrorMessage), then the Api function log group at level ERROR.',
      metric: serverErrors,
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm('ApiLatency', {
      alarmDescription: `Api: p95 latency above ${slowLatency.toSeconds()} s for 15 minutes. Look at the routes with the highest responseLatency in the access log and at the function's duration.`,
      metric: latency,
      threshold: slowLatency.toMilliseconds(),
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    return [
      new GraphWidget({
        title: 'Api: requests, 4xx, 5xx',
        width: 12,
        left: [
          api.metricCount({ period: PERIOD, statistic: 'Sum', label: 'requests' }),
          api.metricClientError({ period: PERIOD, statistic: 'Sum', label: '4xx' }),
          serverErrors.with({ label: '5xx' }),
        ],
      }),
      new GraphWidget({
        title: 'Api: latency',
        width: 12,
        left: [latency.with({ label: 'latency p95' }), api.metricIntegrationLatency({ period: PERIOD, statistic: 'p95', label: 'integration latency p95' })],
      }),
    ];
  }

  /**
   * A run that did not happen leaves no data, and a month is longer than an alarm may look
   * back (7 days). So: one alarm is in ALARM while the run has left no sample for `lookBack`;
   * another while the check schedule says the run was due; the composite of both notifies.
   */
  private missingRunAlarms({ name, runMetric, dueMetric, lookBack, meaning }: MonitoredRun, notify: SnsAction): IAlarm[] {
    const hours = Math.ceil(lookBack.toHours({ integral: false }));
    const noRun = new Alarm(this, `${name}NotRecently`, {
      alarmDescription: `${name}: no run in the last ${hours} hours. No notification of its own: it is part of ${name}Missing.`,
      metric: runMetric.with({ period: Duration.hours(1), statistic: 'SampleCount' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: hours,
      datapointsToAlarm: hours,
      // No sample is exactly what this alarm looks for.
      treatMissingData: TreatMissingData.BREACHING,
    });
    const due = new Alarm(this, `${name}Due`, {
      alarmDescription: `${name}: the check schedule says a run was due. No notification of its own: it is part of ${name}Missing.`,
      metric: dueMetric.with({ period: Duration.hours(1), statistic: 'Maximum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const missing = new CompositeAlarm(this, `${name}Missing`, {
      alarmDescription: `${name}: ${meaning}`,
      alarmRule: AlarmRule.allOf(AlarmRule.fromAlarm(due, AlarmState.ALARM), AlarmRule.fromAlarm(noRun, AlarmState.ALARM)),
    });
    missing.addAlarmAction(notify);
    missing.addOkAction(notify);
    return [missing, noRun, due];
  }

}

/**
 * Throttled requests (on-demand tables throttle too, past a partition's limits) and DynamoDB's
 * own failures (system errors, retried by the SDK but a sign of an outage when they persist).
 */
function tableAlarms(table: ITableV2, alarm: (id: string, props: AlarmProps) => Alarm): void {
  const sum = (metricName: string, label: string) => table.metric(metricName, { period: PERIOD, statistic: 'Sum', label });
  alarm('TableThrottles', {
    alarmDescription: 'Table: requests throttled (a hot partition, or an account table limit). Callers retry; sustained, uploads and the API slow down. See the Table widgets of the dashboard.',
    metric: new MathExpression({ expression: 'reads + writes', usingMetrics: { reads: sum('ReadThrottleEvents', 'read throttles'), writes: sum('WriteThrottleEvents', 'write throttles') }, period: PERIOD, label: 'throttled requests' }),
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  alarm('TableSystemErrors', {
    alarmDescription: 'Table: DynamoDB answered 500 (its own failure) in three periods running. Look at the AWS Health Dashboard for the region.',
    // The operations the stores call (an alarm's expression takes at most 10 metrics).
    metric: table.metricSystemErrorsForOperations({
      period: PERIOD,
      statistic: 'Sum',
      operations: [Operation.GET_ITEM, Operation.BATCH_GET_ITEM, Operation.QUERY, Operation.PUT_ITEM, Operation.UPDATE_ITEM, Operation.DELETE_ITEM, Operation.BATCH_WRITE_ITEM, Operation.TRANSACT_WRITE_ITEMS, Operation.TRANSACT_GET_ITEMS],
    }),
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 3,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

/**
 * SES pauses an account's sending at a bounce rate of 10 % or a complaint rate of 0.5 %
 * (it reviews from 5 % and 0.1 %): the alarms fire at the review thresholds, while there is
 * time to clean the dealers' addresses in master data.
 */
function mailAlarms({ configurationSetName }: MonitoredMail, alarm: (id: string, props: AlarmProps) => Alarm): IWidget[] {
  const rate = (metricName: string) => new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1) });
  const bounce = rate('Reputation.BounceRate');
  const complaint = rate('Reputation.ComplaintRate');
  alarm('MailBounceRate', {
    alarmDescription: `Mail: the account's bounce rate is above 5 % (SES pauses sending at 10 %). Find the bounced addresses (configuration set ${configurationSetName}) and correct them in master data.`,
    metric: bounce,
    threshold: 0.05,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  alarm('MailComplaintRate', {
    alarmDescription: `Mail: the account's complaint rate is above 0.1 % (SES pauses sending at 0.5 %). Someone marked a notice as spam: check who receives which notices.`,
    metric: complaint,
    threshold: 0.001,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  return [new GraphWidget({ title: 'Mail: bounce and complaint rates', width: 24, left: [bounce, complaint] })];
}

/** Consumed capacity and throttles: on-demand tables throttle too, past a partition's limits. */
function tableWidgets(table: ITableV2): IWidget[] {
  return [
    new GraphWidget({
      title: 'Table: consumed capacity units',
      width: 12,
      left: [
        table.metricConsumedReadCapacityUnits({ period: PERIOD, statistic: 'Sum', label: 'read units' }),
        table.metricConsumedWriteCapacityUnits({ period: PERIOD, statistic: 'Sum', label: 'write units' }),
      ],
    }),
    new GraphWidget({
      title: 'Table: throttled reads and writes',
      width: 12,
      left: [
        table.metric('ReadThrottleEvents', { period: PERIOD, statistic: 'Sum', label: 'read throttles' }),
        table.metric('WriteThrottleEvents', { period: PERIOD, statistic: 'Sum', label: 'write throttles' }),
      ],
    }),
  ];
}
