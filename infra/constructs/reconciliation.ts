import { Duration, RemovalPolicy, Stack, TimeZone, Validations, type CfnElement } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
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
import { functionEnvironment, nodeFunctionDefaults } from './node-function.js';

/** Where the reconciliation writes invoice workbooks (shared/app/reconcile.ts, `invoiceWorkbookKey`). */
export const INVOICES_PREFIX = 'invoices/';

/** Reminders on the 4th at 09:00, business time: reports were due by the 3rd. */
export const REMINDERS_CRON = 'cron(0 9 4 * ? *)';
/** The previous month is reconciled at 02:00 business time on the configured day, before anyone looks. */
export const reconciliationCron = (day: number): string => `cron(0 2 ${day} * ? *)`;

/**
 * How long the scheduler keeps trying to hand a run to Lambda (throttled API, an outage)
 * before it parks the run in the dead-letter queue. Neither job is needed before business
 * hours, so six hours of retries cost nothing; after that a person re-runs it.
 */
const SCHEDULE_RETRY = { maxEventAge: Duration.hours(6), retryAttempts: 20 };
/** Lambda's own queue for asynchronous invocations keeps an event this long (throttles included). */
const ASYNC_EVENT_AGE = Duration.hours(6);
/**
 * Partition keys the reconciliation writes: per-dealer results, charge state and invoices
 * under `DEALER#…`, the per-period invoice counter, and the run's progress item. Master data,
 * the parts ledger, submissions and the archive stay out of its reach.
 */
const RECONCILE_WRITES = ['DEALER#*', 'COUNTER', 'RUN#RECON'];
/** Partition keys it reads from the table itself: master data, a dealer's items and report versions, the counter. */
const RECONCILE_READS = ['MASTER', 'DEALER#*', 'COUNTER'];
/** The reminders read master data and each dealer's report pointers and versions. */
const REMINDERS_READS = ['MASTER', 'DEALER#*'];

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
 * the previous month is reconciled and invoiced. Both are repeatable, so an admin re-runs
 * either from the Lambda console (docs/operations.md). A run that could not be started, or
 * that failed after Lambda's retries, ends in one dead-letter queue that raises an alarm.
 */
export class Reconciliation extends Construct {
  readonly reconcileFunction: NodejsFunction;
  readonly remindersFunction: NodejsFunction;
  /** Runs that did not happen: not delivered by the scheduler, or failed after Lambda's retries. */
  readonly deadLetterQueue: Queue;
  readonly scheduleGroup: ScheduleGroup;
  readonly reconcileSchedule: Schedule;
  readonly remindersSchedule: Schedule;
  readonly schedulerRole: Role;

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

    // ---- Reconcile -------------------------------------------------------------------------
    const reconcileLogs = new LogGroup(this, 'ReconcileLogs', { retention: RetentionDays.SIX_MONTHS });
    const reconcileRole = new Role(this, 'ReconcileRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Reconcile function: reads the ledger and reports, writes results, invoices and invoice workbooks',
    });
    reconcileLogs.grantWrite(reconcileRole);
    // Transactions have no IAM action of their own: each Put and Update inside the invoice
    // transaction is authorised as PutItem/UpdateItem, with its own partition key. No
    // DeleteItem, BatchWriteItem or ConditionCheckItem: the reconciliation uses none.
    reconcileRole.addToPolicy(
      new PolicyStatement({
        sid: 'WriteRunsResultsAndInvoices',
        effect: Effect.ALLOW,
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': RECONCILE_WRITES } },
      }),
    );
    reconcileRole.addToPolicy(
      new PolicyStatement({
        sid: 'ReadMasterDealersAndCounters',
        effect: Effect.ALLOW,
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': RECONCILE_READS } },
      }),
    );
    // A dealer's ledger in date order and a period's invoices are listed through gsi1, keyed
    // `LEDGER#…` and `PERIOD#…`. No key condition here: how DynamoDB applies LeadingKeys to an
    // index's partition key is not something this stack can test offline.
    reconcileRole.addToPolicy(
      new PolicyStatement({
        sid: 'ListLedgerAndInvoices',
        effect: Effect.ALLOW,
        actions: ['dynamodb:Query'],
        resources: [gsi1Arn],
      }),
    );
    // PutObject only: every run renders the workbooks it lacks and never reads one back.
    reconcileRole.addToPolicy(
      new PolicyStatement({
        sid: 'WriteInvoiceWorkbooks',
        effect: Effect.ALLOW,
        actions: ['s3:PutObject'],
        resources: [invoices.arnForObjects(`${INVOICES_PREFIX}*`)],
      }),
    );

    this.reconcileFunction = new NodejsFunction(this, 'Reconcile', {
      ...nodeFunctionDefaults('functions/reconcile.ts'),
      description: 'Reconciles the parts ledger of a month for every dealer and issues fee invoices',
      // The whole month runs in one invocation, a few dealers at a time, with every dealer's
      // ledger in memory while it is matched; memory also buys CPU.
      memorySize: 1536,
      timeout: Duration.minutes(15),
      // One run at a time. Two overlapping runs would be correct (invoices are created in
      // conditional transactions), but one is simpler to reason about and keeps DynamoDB load
      // flat. A console run while another is under way is refused at once with a throttle; a
      // scheduled (asynchronous) run that meets one waits in Lambda's queue and starts after.
      reservedConcurrentExecutions: 1,
      // A crash (an outage, a timeout) is retried once from the start, which is safe because
      // a run is repeatable; a second failure is parked for an admin.
      retryAttempts: 1,
      maxEventAge: ASYNC_EVENT_AGE,
      onFailure: new SqsDestination(this.deadLetterQueue),
      role: reconcileRole,
      logGroup: reconcileLogs,
      environment: functionEnvironment(props, settings),
    });

    // ---- Reminders -------------------------------------------------------------------------
    const remindersLogs = new LogGroup(this, 'RemindersLogs', { retention: RetentionDays.SIX_MONTHS });
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

    this.remindersFunction = new NodejsFunction(this, 'Reminders', {
      ...nodeFunctionDefaults('functions/reminders.ts'),
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
    // The unqualified function ARNs only: the schedules invoke $LATEST, never a version or alias.
    this.schedulerRole.addToPolicy(
      new PolicyStatement({
        sid: 'InvokeMonthEndJobs',
        effect: Effect.ALLOW,
        actions: ['lambda:InvokeFunction'],
        resources: [this.reconcileFunction.functionArn, this.remindersFunction.functionArn],
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
      target: target(this.remindersFunction),
      timeWindow: TimeWindow.off(),
    });
    this.reconcileSchedule = new Schedule(this, 'ReconcileSchedule', {
      description: `Monthly on day ${settings.reconciliationDay}, 02:00 business time: reconcile and invoice the previous month`,
      scheduleGroup: this.scheduleGroup,
      schedule: ScheduleExpression.expression(reconciliationCron(settings.reconciliationDay), timeZone),
      target: target(this.reconcileFunction),
      timeWindow: TimeWindow.off(),
    });
    // The schedules name their group by its generated name, which CloudFormation cannot order by.
    for (const schedule of [this.remindersSchedule, this.reconcileSchedule]) schedule.node.addDependency(this.scheduleGroup);

    Validations.of(reconcileRole.node.findChild('DefaultPolicy')).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::${arnReference(invoices)}/${INVOICES_PREFIX}*]`,
        reason: 'PutObject only under invoices/, where each invoice gets its own key (invoices/<period>/<dealer>-<number>.xlsx).',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray PutTraceSegments/PutTelemetryRecords, added by active tracing, support no resource-level permissions.',
      },
    );
    Validations.of(remindersRole.node.findChild('DefaultPolicy')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords, added by active tracing, support no resource-level permissions.',
    });
  }
}

/**
 * Invokes a function with the event `{}` (the function works out the period itself), through
 * a role the caller has already granted exactly what it needs. The `aws-scheduler-targets`
 * LambdaInvoke would instead grant invoke on every version and alias (`<arn>:*`) too.
 */
class InvokeFunction implements IScheduleTarget {
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

/** How cdk-nag names a bucket's ARN in a finding: `<LogicalId.Arn>`. */
function arnReference(bucket: IBucket): string {
  return `<${Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnElement)}.Arn>`;
}
