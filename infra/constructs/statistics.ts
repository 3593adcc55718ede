import { Duration, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StackSettings } from '../config.js';
import { REPORT_PREFIXES } from '../../shared/app/report-keys.js';
import { everyPartitionOf, PARTITION, PK_PREFIX } from '../../shared/store/keys.js';
import { nagArn } from './nag.js';
import { BackOfficeFunction, functionEnvironment } from './node-function.js';
import { oneMessageAtATime, TRACING_ACKNOWLEDGEMENT, workerRole, workQueues } from './worker.js';

/**
 * What the worker reads from the table itself: master data, each dealer's report pointers and
 * versions, and the end-user archive (a repair's warranty phase is decided from its unit's installation).
 */
export const STATISTICS_READS = [PARTITION.master, everyPartitionOf(PK_PREFIX.dealer), everyPartitionOf(PK_PREFIX.product)];

/** A month of 5,000 dealers' reports, ledger lines and invoices, read and counted once: minutes, well under this. */
const STATISTICS_TIMEOUT = Duration.minutes(15);
/** Deliveries of a request before it is parked: a month that fails three times needs an admin. */
const STATISTICS_MAX_RECEIVE_COUNT = 3;

export interface StatisticsProps {
  readonly table: ITableV2;
  readonly uploads: IBucket;
  readonly reports: IBucket;
  readonly invoices: IBucket;
  readonly settings: StackSettings;
}

/**
 * The month's statistics off the request path: the API records a request and sends one
 * message to the statistics queue; the worker (functions/statistics.ts) reads the month,
 * writes the workbook and its figures under `statistics/`, and the API hands them out.
 */
export class Statistics extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly workerFunction: BackOfficeFunction;

  constructor(scope: Construct, id: string, props: StatisticsProps) {
    super(scope, id);
    const { table, reports, settings } = props;

    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = workQueues(this, { functionTimeout: STATISTICS_TIMEOUT, maxReceiveCount: STATISTICS_MAX_RECEIVE_COUNT }));

    const { role, logGroup: logs } = workerRole(
      this,
      { role: 'WorkerRole', logGroup: 'WorkerLogs' },
      'Statistics worker: reads master data, reports, the ledger and invoices; writes the statistics workbook and figures',
      settings.stage,
    );
    // Reads only: the worker writes nothing to the table.
    role.addToPolicy(
      new PolicyStatement({
        sid: 'ReadMasterAndReports',
        effect: Effect.ALLOW,
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': STATISTICS_READS } },
      }),
    );
    // A dealer's ledger lines of the month and the month's invoices are listed through gsi1.
    role.addToPolicy(new PolicyStatement({ sid: 'ListLedgerAndInvoices', effect: Effect.ALLOW, actions: ['dynamodb:Query'], resources: [`${table.tableArn}/index/gsi1`] }));
    // PutObject only: the worker writes the month's workbook and figures and never reads them back.
    role.addToPolicy(
      new PolicyStatement({ sid: 'WriteStatistics', effect: Effect.ALLOW, actions: ['s3:PutObject'], resources: [reports.arnForObjects(`${REPORT_PREFIXES.statistics}*`)] }),
    );

    this.workerFunction = new BackOfficeFunction(this, 'StatisticsWorker', {
      entry: 'functions/statistics.ts',
      description: "Makes a month's statistics workbook and figures, one request per message",
      // Counters are kept as records stream by; exceljs holds the workbook (a row per dealer and part).
      memorySize: 1024,
      timeout: STATISTICS_TIMEOUT,
      role,
      logGroup: logs,
      environment: functionEnvironment(props, settings),
    });
    // Months are few and each reads the whole month: two at once is plenty and spares the table.
    this.workerFunction.addEventSource(oneMessageAtATime(this.queue));

    Validations.of(role.node.findChild('DefaultPolicy')).acknowledge(
      { id: `AwsSolutions-IAM5[Resource::${nagArn(reports)}/${REPORT_PREFIXES.statistics}*]`, reason: 'PutObject only under statistics/: per month the workbook, its figures.' },
      TRACING_ACKNOWLEDGEMENT,
    );
  }

  /** Lets a function ask for statistics: SendMessage on this queue alone, and the queue's URL in its environment. */
  grantRequests(fn: IFunction & { addEnvironment(key: string, value: string): unknown }): void {
    fn.addEnvironment('STATISTICS_QUEUE_URL', this.queue.queueUrl);
    fn.addToRolePolicy(new PolicyStatement({ sid: 'RequestStatistics', effect: Effect.ALLOW, actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }));
  }
}
