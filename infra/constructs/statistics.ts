import { Duration, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StackSettings } from '../config.js';
import { REPORT_PREFIXES } from '../../shared/app/report-keys.js';
import { everyPartitionOf, PARTITION, PK_PREFIX } from '../../shared/store/keys.js';
import { nagArn } from './nag.js';
import { functionEnvironment, nodeFunctionDefaults, stageLogGroup } from './node-function.js';

/** What the worker reads from the table itself: master data and each dealer's report pointers and versions. */
export const STATISTICS_READS = [PARTITION.master, everyPartitionOf(PK_PREFIX.dealer)];

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
  readonly workerFunction: NodejsFunction;

  constructor(scope: Construct, id: string, props: StatisticsProps) {
    super(scope, id);
    const { table, reports, settings } = props;

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This is the dead-letter queue of the statistics queue; an admin redrives it to its source.',
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Six times the function timeout (AWS's guidance for Lambda event sources).
      visibilityTimeout: Duration.seconds(STATISTICS_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: STATISTICS_MAX_RECEIVE_COUNT },
    });

    const logs = stageLogGroup(this, 'WorkerLogs', settings.stage);
    const role = new Role(this, 'WorkerRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Statistics worker: reads master data, reports, the ledger and invoices; writes the statistics workbook and figures',
    });
    logs.grantWrite(role);
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

    this.workerFunction = new NodejsFunction(this, 'StatisticsWorker', {
      ...nodeFunctionDefaults('functions/statistics.ts'),
      description: "Makes a month's statistics workbook and figures, one request per message",
      // Counters are kept as records stream by; exceljs holds the workbook (a row per dealer and part).
      memorySize: 1024,
      timeout: STATISTICS_TIMEOUT,
      role,
      logGroup: logs,
      environment: functionEnvironment(props, settings),
    });
    this.workerFunction.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 1,
        reportBatchItemFailures: true,
        // Months are few and each reads the whole month: two at once is plenty and spares the table.
        maxConcurrency: 2,
      }),
    );

    Validations.of(role.node.findChild('DefaultPolicy')).acknowledge(
      { id: `AwsSolutions-IAM5[Resource::${nagArn(reports)}/${REPORT_PREFIXES.statistics}*]`, reason: 'PutObject only under statistics/: per month the workbook, its figures.' },
      { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'X-Ray PutTraceSegments/PutTelemetryRecords, added by active tracing, support no resource-level permissions.' },
    );
  }

  /** Lets a function ask for statistics: SendMessage on this queue alone, and the queue's URL in its environment. */
  grantRequests(fn: IFunction & { addEnvironment(key: string, value: string): unknown }): void {
    fn.addEnvironment('STATISTICS_QUEUE_URL', this.queue.queueUrl);
    fn.addToRolePolicy(new PolicyStatement({ sid: 'RequestStatistics', effect: Effect.ALLOW, actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }));
  }
}
