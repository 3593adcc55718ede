import { Duration, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  Schedule,
  ScheduleExpression,
  ScheduleGroup,
  ScheduleTargetInput,
  TimeWindow,
  type IScheduleTarget,
  type ScheduleTargetConfig,
} from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StackSettings } from '../config.js';
import { everyPartitionOf, PARTITION, PK_PREFIX } from '../../shared/store/keys.js';
import { nagArn } from './nag.js';
import { REPORT_PREFIXES } from '../../shared/app/report-keys.js';
import { BackOfficeFunction, functionEnvironment, stageLogGroup } from './node-function.js';
import { liveAlias } from './rollout.js';
import { workQueues } from './worker.js';

/** Where the reconciliation writes invoice workbooks (shared/app/reconcile.ts, `invoiceWorkbookKey`). */
export const INVOICES_PREFIX = 'invoices/';

/** Reminders on the 4th at 09:00, business time: reports were due by the 3rd. */
export const REMINDERS_CRON = 'cron(0 9 4 * ? *)';
/**
 * The previous month is reconciled at 04:30 business time on the configured day, before anyone
 * looks. Not earlier: daylight-saving gaps skip 02:00–03:00 (most of Europe and America) and
 * 03:00–04:00 (Eastern Europe), and a schedule whose time does not exist that day does not run.
 */
export const reconciliationCron = (day: number): string => `cron(30 4 ${day} * ? *)`;
/**
 * 23:00 business time on the reconciliation day, the check that the day's run happened: later
 * than every retry of a scheduled run (six hours of the scheduler's, six of Lambda's queue).
 */
export const reconciliationCheckCron = (day: number): string => `cron(0 23 ${day} * ? *)`;
/** What the check schedule publishes, in the stack's namespace, when a run was due. */
export const RECONCILIATION_DUE_METRIC = 'ReconciliationDue';

/**
 * How long the scheduler keeps trying to hand a run to Lambda (throttled API, an outage)
 * before it parks the run in the dead-letter queue. Neither job is needed before business
 * hours, so six hours of retries cost nothing; after that a person re-runs it.
 */
const SCHEDULE_RETRY = { maxEventAge: Duration.hours(6), retryAttempts: 20 };
/** Lambda's own queue for asynchronous invocations keeps an event this long (throttles included). */
const ASYNC_EVENT_AGE = Duration.hours(6);
/**
 * Partition keys the per-dealer reconciliation writes: per-dealer results, charge state and
 * invoices under `DEALER#…`, the per-period invoice counter, and the run's progress item with
 * its dealer markers. Master data, the parts ledger, submissions and the archive stay out of
 * its reach.
 */
const DEALER_WRITES = [everyPartitionOf(PK_PREFIX.dealer), PARTITION.invoiceCounter, PARTITION.reconciliationRuns];
/** Partition keys it reads from the table itself: master data, a dealer's items and report versions, the counter, the run. */
const DEALER_READS = [PARTITION.master, everyPartitionOf(PK_PREFIX.dealer), PARTITION.invoiceCounter, PARTITION.reconciliationRuns];
/** The planner reads master data (the dealers) and writes or reads the run item only. */
const PLANNER_READS = [PARTITION.master, PARTITION.reconciliationRuns];
const PLANNER_WRITES = [PARTITION.reconciliationRuns];
/** The reminders read master data and each dealer's report pointers and versions. */
const REMINDERS_READS = [PARTITION.master, everyPartitionOf(PK_PREFIX.dealer)];

/** One dealer's reconciliation takes seconds; a batch of ten, one after the other, well under this. */
const DEALER_TIMEOUT = Duration.minutes(5);
/**
 * Deliveries of a dealer message before it is parked. A dealer whose reconciliation fails is
 * recorded as failed and not retried; what is retried is a message that could not be read or
 * an outcome that could not be recorded (DynamoDB unavailable), which a few tries outlast.
 */
const DEALER_MAX_RECEIVE_COUNT = 3;
/** Ten dealers per dealer-function invocation, one after the other. */
export const DEALERS_PER_BATCH = 10;

export interface ReconciliationProps {
  readonly table: ITableV2;
  readonly uploads: IBucket;
  readonly reports: IBucket;
  readonly invoices: IBucket;
  readonly settings: StackSettings;
}

/**
 * The month-end jobs, started by EventBridge Scheduler in the business time zone: on the 4th
 * the reminders list the dealers whose reports are missing or late; on the reconciliation day
 * the previous month is reconciled and invoiced, fanned out one SQS message per dealer from
 * the planner (`Reconcile`) to `ReconcileDealer`. Both jobs are repeatable, so an admin re-runs
 * either from the Lambda console (docs/operations.md). A run that could not be started, or
 * that failed after Lambda's retries, ends in one dead-letter queue that raises an alarm;
 * dealer messages that could not be processed end in the dealer queue's own.
 */
export class Reconciliation extends Construct {
  /** The planner: records the run and sends one message per dealer. */
  readonly reconcileFunction: BackOfficeFunction;
  /** Reconciles and invoices the dealers of the dealer queue's messages. */
  readonly reconcileDealerFunction: BackOfficeFunction;
  readonly dealerQueue: Queue;
  readonly dealerDeadLetterQueue: Queue;
  readonly remindersFunction: BackOfficeFunction;
  /** Runs that did not happen: not delivered by the scheduler, or failed after Lambda's retries. */
  readonly deadLetterQueue: Queue;
  readonly scheduleGroup: ScheduleGroup;
  readonly reconcileSchedule: Schedule;
  readonly remindersSchedule: Schedule;
  /** Publishes that the day's run was due, for the alarm that notices a missing run. */
  readonly checkSchedule: Schedule;
  readonly schedulerRole: Role;
  /** One sample per planned run: the planner's `DealersPlanned` (functions/reconcile.ts). */
  readonly runMetric: Metric;
  /** 1 when the check schedule found the day's run due. */
  readonly dueMetric: Metric;

  constructor(scope: Construct, id: string, props: ReconciliationProps) {
    super(scope, id);
    const { table, invoices, settings } = props;
    const stack = Stack.of(this);
    const gsi1Arn = `${table.tableArn}/index/gsi1`;

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This is the dead-letter queue of the schedules and of the two functions’ asynchronous invocations; nothing consumes it but an admin.',
    });

    // ---- Dealer queue ----------------------------------------------------------------------
    ({ queue: this.dealerQueue, deadLetterQueue: this.dealerDeadLetterQueue } = workQueues(this, {
      functionTimeout: DEALER_TIMEOUT,
      maxReceiveCount: DEALER_MAX_RECEIVE_COUNT,
      ids: { queue: 'DealerQueue', deadLetterQueue: 'DealerDeadLetterQueue' },
    }));

    // ---- Reconcile (the planner) -----------------------------------------------------------
    const reconcileLogs = stageLogGroup(this, 'ReconcileLogs', settings.stage);
    const reconcileRole = new Role(this, 'ReconcileRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Reconcile planner: reads the dealers, records the run, sends one message per dealer',
    });
    reconcileLogs.grantWrite(reconcileRole);
    reconcileRole.addToPolicy(
      new PolicyStatement({
        sid: 'ReadDealersAndRun',
        effect: Effect.ALLOW,
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': PLANNER_READS } },
      }),
    );
    reconcileRole.addToPolicy(
      new PolicyStatement({
        sid: 'RecordRun',
        effect: Effect.ALLOW,
        actions: ['dynamodb:PutItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': PLANNER_WRITES } },
      }),
    );
    // SendMessageBatch is authorised as SendMessage; no receive, no delete, no attributes.
    reconcileRole.addToPolicy(
      new PolicyStatement({
        sid: 'SendDealerMessages',
        effect: Effect.ALLOW,
        actions: ['sqs:SendMessage'],
        resources: [this.dealerQueue.queueArn],
      }),
    );

    this.reconcileFunction = new BackOfficeFunction(this, 'Reconcile', {
      entry: 'functions/reconcile.ts',
      description: 'Plans the reconciliation of a month: records the run and sends one message per dealer',
      // A thousand dealers are a hundred SendMessageBatch calls: seconds, little memory.
      memorySize: 512,
      timeout: Duration.minutes(5),
      // One plan at a time. Two at once would each start a run of the same month, the later
      // replacing the earlier (whose dealers' outcomes would then not be counted); one is
      // simpler to reason about. A console run while another is being planned is refused at
      // once with a throttle; a scheduled (asynchronous) run waits in Lambda's queue.
      reservedConcurrentExecutions: 1,
      // A crash (an outage, a timeout) is retried once from the start, as a new run: safe,
      // because the dealer step is repeatable; a second failure is parked for an admin.
      retryAttempts: 1,
      maxEventAge: ASYNC_EVENT_AGE,
      onFailure: new SqsDestination(this.deadLetterQueue),
      role: reconcileRole,
      logGroup: reconcileLogs,
      environment: { ...functionEnvironment(props, settings), RECONCILE_QUEUE_URL: this.dealerQueue.queueUrl },
    });

    // ---- ReconcileDealer -------------------------------------------------------------------
    const dealerLogs = stageLogGroup(this, 'ReconcileDealerLogs', settings.stage);
    const dealerRole = new Role(this, 'ReconcileDealerRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Per-dealer reconciliation: reads the ledger and reports, writes results, invoices, workbooks and the run',
    });
    dealerLogs.grantWrite(dealerRole);
    // Transactions have no IAM action of their own: each Put, Update and ConditionCheck inside the
    // invoice and run transactions is authorised as PutItem/UpdateItem/ConditionCheckItem, with its
    // own partition key (a dealer failing again on a re-run checks the run item: ConditionCheck).
    // No DeleteItem or BatchWriteItem: the reconciliation uses neither.
    dealerRole.addToPolicy(
      new PolicyStatement({
        sid: 'WriteRunsResultsAndInvoices',
        effect: Effect.ALLOW,
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': DEALER_WRITES } },
      }),
    );
    dealerRole.addToPolicy(
      new PolicyStatement({
        sid: 'ReadMasterDealersCountersAndRun',
        effect: Effect.ALLOW,
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': DEALER_READS } },
      }),
    );
    // A dealer's ledger in date order and a period's invoices are listed through gsi1, keyed
    // `LEDGER#…` and `PERIOD#…`. No key condition here: how DynamoDB applies LeadingKeys to an
    // index's partition key is not something this stack can test offline.
    dealerRole.addToPolicy(
      new PolicyStatement({
        sid: 'ListLedgerAndInvoices',
        effect: Effect.ALLOW,
        actions: ['dynamodb:Query'],
        resources: [gsi1Arn],
      }),
    );
    // PutObject only: every run renders the workbooks it lacks and never reads one back.
    dealerRole.addToPolicy(
      new PolicyStatement({
        sid: 'WriteInvoiceWorkbooks',
        effect: Effect.ALLOW,
        actions: ['s3:PutObject'],
        resources: [invoices.arnForObjects(`${INVOICES_PREFIX}*`)],
      }),
    );

    // The dealer that closes a run writes its 用户借料盘点表 (and the summary beside it) for
    // the API to hand out; it reads what the sheet needs through the grants above.
    dealerRole.addToPolicy(
      new PolicyStatement({
        sid: 'WriteReconciliationWorkbook',
        effect: Effect.ALLOW,
        actions: ['s3:PutObject'],
        resources: [props.reports.arnForObjects(`${REPORT_PREFIXES.reconciliations}*`)],
      }),
    );

    this.reconcileDealerFunction = new BackOfficeFunction(this, 'ReconcileDealer', {
      entry: 'functions/reconcile-dealer.ts',
      description: 'Reconciles the parts ledger of one dealer per message and issues its fee invoice',
      // One dealer's ledger in memory at a time, and exceljs for its invoice workbook.
      memorySize: 1024,
      timeout: DEALER_TIMEOUT,
      role: dealerRole,
      logGroup: dealerLogs,
      environment: functionEnvironment(props, settings),
    });
    this.reconcileDealerFunction.addEventSource(
      new SqsEventSource(this.dealerQueue, {
        batchSize: DEALERS_PER_BATCH,
        // The handler reports only the messages that failed, so a batch retries those alone.
        reportBatchItemFailures: true,
        // Capped here, not by reserved concurrency, whose throttles would count as receives
        // and push healthy messages to the dead-letter queue.
        // Batches at once: `backoffice:reconcileConcurrency` (default 5), sized with the network.
        maxConcurrency: settings.reconcileConcurrency,
      }),
    );

    // ---- Reminders -------------------------------------------------------------------------
    const remindersLogs = stageLogGroup(this, 'RemindersLogs', settings.stage);
    const remindersRole = new Role(this, 'RemindersRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Reminders function: reads dealers and their report pointers',
    });
    remindersLogs.grantWrite(remindersRole);
    // Read only, table only: master data by query, each dealer's report pointer and current
    // version by GetItem; it never lists through gsi1.
    remindersRole.addToPolicy(
      new PolicyStatement({
        sid: 'ReadMasterAndReports',
        effect: Effect.ALLOW,
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': REMINDERS_READS } },
      }),
    );

    this.remindersFunction = new BackOfficeFunction(this, 'Reminders', {
      entry: 'functions/reminders.ts',
      description: 'Logs the dealers whose reports for the previous month are missing or late',
      memorySize: 512,
      timeout: Duration.minutes(5),
      // A read-only run: retrying it only logs the list again.
      retryAttempts: 2,
      maxEventAge: ASYNC_EVENT_AGE,
      onFailure: new SqsDestination(this.deadLetterQueue),
      role: remindersRole,
      logGroup: remindersLogs,
      environment: functionEnvironment(props, settings),
    });

    // ---- Schedules -------------------------------------------------------------------------
    // A group of their own, so the scheduler role can be assumed for these schedules only.
    // Schedules are configuration, not records: the group goes with the stack, so a later
    // deployment can create it again under the same generated name.
    this.scheduleGroup = new ScheduleGroup(this, 'Schedules', { removalPolicy: RemovalPolicy.DESTROY });
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com').withConditions({
        StringEquals: {
          'aws:SourceAccount': stack.account,
          'aws:SourceArn': this.scheduleGroup.scheduleGroupArn,
        },
      }),
      description: 'EventBridge Scheduler: invokes the reconcile and reminders functions, parks failed runs',
    });
    // The schedules invoke the functions' live aliases (constructs/rollout.ts), which a deploy
    // moves and a rollback moves back; the role may invoke those and no other version, nor $LATEST.
    const remindersLive = liveAlias(this.remindersFunction);
    const reconcileLive = liveAlias(this.reconcileFunction);
    this.schedulerRole.addToPolicy(
      new PolicyStatement({
        sid: 'InvokeMonthEndJobs',
        effect: Effect.ALLOW,
        actions: ['lambda:InvokeFunction'],
        resources: [reconcileLive.functionArn, remindersLive.functionArn],
      }),
    );
    this.schedulerRole.addToPolicy(
      new PolicyStatement({
        sid: 'ParkUndeliveredRuns',
        effect: Effect.ALLOW,
        actions: ['sqs:SendMessage'],
        resources: [this.deadLetterQueue.queueArn],
      }),
    );

    const timeZone = TimeZone.of(settings.businessTimeZone);
    const target = (fn: IFunction): IScheduleTarget =>
      new InvokeFunction(fn, this.schedulerRole, this.deadLetterQueue);

    this.remindersSchedule = new Schedule(this, 'RemindersSchedule', {
      description: 'Monthly on the 4th, 09:00 business time: reports of the previous month that are missing or late',
      scheduleGroup: this.scheduleGroup,
      schedule: ScheduleExpression.expression(REMINDERS_CRON, timeZone),
      target: target(remindersLive),
      timeWindow: TimeWindow.off(),
    });
    this.reconcileSchedule = new Schedule(this, 'ReconcileSchedule', {
      description: `Monthly on day ${settings.reconciliationDay}, 04:30 business time: reconcile and invoice the previous month`,
      scheduleGroup: this.scheduleGroup,
      schedule: ScheduleExpression.expression(reconciliationCron(settings.reconciliationDay), timeZone),
      target: target(reconcileLive),
      timeWindow: TimeWindow.off(),
    });

    // ---- The check that the run happened ---------------------------------------------------
    // The planner's metric (Powertools: the stack's namespace, dimension service) is the
    // evidence of a run; the check publishes when one was due, straight from the scheduler.
    this.runMetric = new Metric({ namespace: stack.stackName, metricName: 'DealersPlanned', dimensionsMap: { service: 'reconcile' } });
    this.dueMetric = new Metric({ namespace: stack.stackName, metricName: RECONCILIATION_DUE_METRIC });
    const checkRole = new Role(this, 'CheckRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': this.scheduleGroup.scheduleGroupArn },
      }),
      description: 'EventBridge Scheduler: publishes that the reconciliation was due, in its stack namespace only',
    });
    checkRole.addToPolicy(
      new PolicyStatement({
        sid: 'PublishRunDue',
        effect: Effect.ALLOW,
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': stack.stackName } },
      }),
    );
    checkRole.addToPolicy(
      new PolicyStatement({ sid: 'ParkUndeliveredChecks', effect: Effect.ALLOW, actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }),
    );
    Validations.of(checkRole.node.findChild('DefaultPolicy')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'cloudwatch:PutMetricData supports no resource; the condition limits it to the stack’s own namespace.',
    });
    this.checkSchedule = new Schedule(this, 'ReconcileCheckSchedule', {
      description: `Monthly on day ${settings.reconciliationDay}, 23:00 business time: records that a reconciliation run was due (alarm when none ran)`,
      scheduleGroup: this.scheduleGroup,
      schedule: ScheduleExpression.expression(reconciliationCheckCron(settings.reconciliationDay), timeZone),
      target: new PutMetric(stack.stackName, RECONCILIATION_DUE_METRIC, checkRole, this.deadLetterQueue),
      timeWindow: TimeWindow.off(),
    });

    // The schedules name their group by its generated name, which CloudFormation cannot order by.
    for (const schedule of [this.remindersSchedule, this.reconcileSchedule, this.checkSchedule]) schedule.node.addDependency(this.scheduleGroup);

    Validations.of(dealerRole.node.findChild('DefaultPolicy')).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::${nagArn(invoices)}/${INVOICES_PREFIX}*]`,
        reason: 'PutObject only under invoices/, where each invoice gets its own key (invoices/<period>/<dealer>-<number>.xlsx).',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${nagArn(props.reports)}/${REPORT_PREFIXES.reconciliations}*]`,
        reason: 'PutObject only under reconciliations/: per month and as-of date the workbook and its summary.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray PutTraceSegments/PutTelemetryRecords, added by active tracing, support no resource-level permissions.',
      },
    );
    Validations.of(reconcileRole.node.findChild('DefaultPolicy')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords, added by active tracing, support no resource-level permissions.',
    });
    Validations.of(remindersRole.node.findChild('DefaultPolicy')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords, added by active tracing, support no resource-level permissions.',
    });
    this.tableArn = table.tableArn;
  }

  private readonly tableArn: string;

  /**
   * Lets a function start a month's run as the planner does (the portal's month-end run): the
   * run item written (PutItem on the run partition alone) and one message per dealer sent on
   * the dealer queue, whose URL goes in its environment. Master data and the run it reads already.
   */
  grantStartRuns(fn: IFunction & { addEnvironment(key: string, value: string): unknown }): void {
    fn.addEnvironment('RECONCILE_QUEUE_URL', this.dealerQueue.queueUrl);
    fn.addToRolePolicy(new PolicyStatement({ sid: 'StartReconciliationRuns', effect: Effect.ALLOW, actions: ['sqs:SendMessage'], resources: [this.dealerQueue.queueArn] }));
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'RecordReconciliationRun',
        effect: Effect.ALLOW,
        actions: ['dynamodb:PutItem'],
        resources: [this.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': PLANNER_WRITES } },
      }),
    );
  }
}

/**
 * Invokes a function with the event `{}` (the function works out the period itself), through
 * a role the caller has already granted exactly what it needs. The `aws-scheduler-targets`
 * LambdaInvoke would instead grant invoke on every version and alias (`<arn>:*`) too.
 */
export class InvokeFunction implements IScheduleTarget {
  constructor(
    private readonly fn: IFunction,
    private readonly role: IRole,
    private readonly deadLetterQueue: IQueue,
  ) {}

  bind(): ScheduleTargetConfig {
    return {
      arn: this.fn.functionArn,
      role: this.role,
      input: ScheduleTargetInput.fromObject({}),
      retryPolicy: {
        maximumEventAgeInSeconds: SCHEDULE_RETRY.maxEventAge.toSeconds(),
        maximumRetryAttempts: SCHEDULE_RETRY.retryAttempts,
      },
      deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
    };
  }
}

/**
 * Publishes a metric value of 1 through the scheduler's universal target for CloudWatch
 * PutMetricData: no function to run for a check that is only "the day came".
 */
class PutMetric implements IScheduleTarget {
  constructor(
    private readonly namespace: string,
    private readonly metricName: string,
    private readonly role: IRole,
    private readonly deadLetterQueue: IQueue,
  ) {}

  bind(scope: Construct): ScheduleTargetConfig {
    return {
      arn: `arn:${Stack.of(scope).partition}:scheduler:::aws-sdk:cloudwatch:putMetricData`,
      role: this.role,
      input: ScheduleTargetInput.fromObject({ Namespace: this.namespace, MetricData: [{ MetricName: this.metricName, Value: 1, Unit: 'Count' }] }),
      retryPolicy: {
        maximumEventAgeInSeconds: SCHEDULE_RETRY.maxEventAge.toSeconds(),
        maximumRetryAttempts: SCHEDULE_RETRY.retryAttempts,
      },
      deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
    };
  }
}
