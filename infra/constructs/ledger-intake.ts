import { Duration, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StackSettings } from '../config.js';
import { acknowledgeNotificationsHandler, QueueOfThisAccount, uploadQueues } from './intake.js';
import { nagArn } from './nag.js';
import { tableAccess } from './table-access.js';
import { functionEnvironment, nodeFunctionDefaults, stageLogGroup } from './node-function.js';
import { REPORT_PREFIXES } from '../../shared/app/report-keys.js';
import { LEDGER_UPLOAD_PREFIX } from '../../shared/app/upload-keys.js';
import { everyPartitionOf, PARTITION, PK_PREFIX } from '../../shared/store/keys.js';

/** Shipment and return lines, and the outcome of each ledger upload. */
export const LEDGER_WORKER_WRITES = [everyPartitionOf(PK_PREFIX.shipment), everyPartitionOf(PK_PREFIX.return), everyPartitionOf(PK_PREFIX.ledgerUpload)];
/** What it writes, the master data it checks lines against and the upload tickets it checks objects against. */
export const LEDGER_WORKER_READS = [PARTITION.master, everyPartitionOf(PK_PREFIX.uploadTicket), ...LEDGER_WORKER_WRITES];

/** As long as the report ingest: a 200,000-row file is read twice (checked in full, then recorded). */
const FUNCTION_TIMEOUT = Duration.minutes(5);

export interface LedgerIntakeProps {
  readonly table: ITableV2;
  readonly uploads: IBucket;
  readonly reports: IBucket;
  readonly invoices: IBucket;
  readonly settings: StackSettings;
}

/**
 * Shipments and returns files into the ledger, off the API's request path: every object
 * created under `ledger/` in the uploads bucket is announced on a queue and recorded by the
 * ledger worker (functions/ingest-ledger.ts), which keeps the outcome the portal asks the API
 * for. The queue gives retries and a dead-letter queue to redrive from the console.
 */
export class LedgerIntake extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly workerFunction: NodejsFunction;

  constructor(scope: Construct, id: string, props: LedgerIntakeProps) {
    super(scope, id);
    const { table, uploads, reports, settings } = props;

    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = uploadQueues(this, FUNCTION_TIMEOUT));
    uploads.addEventNotification(EventType.OBJECT_CREATED, new QueueOfThisAccount(this.queue), { prefix: LEDGER_UPLOAD_PREFIX, suffix: '.xlsx' });
    acknowledgeNotificationsHandler(this);

    const logGroup = stageLogGroup(this, 'WorkerLogs', settings.stage);
    const role = new Role(this, 'WorkerRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Ledger worker: reads ledger uploads, writes ledger lines, upload outcomes and annotated workbooks',
    });
    logGroup.grantWrite(role);
    role.addToPolicy(
      new PolicyStatement({
        sid: 'ReadLedgerUploads',
        effect: Effect.ALLOW,
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [uploads.arnForObjects(`${LEDGER_UPLOAD_PREFIX}*`)],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        sid: 'WriteLedgerErrors',
        effect: Effect.ALLOW,
        actions: ['s3:PutObject'],
        resources: [reports.arnForObjects(`${REPORT_PREFIXES.ledgerErrors}*`)],
      }),
    );
    // It parses untrusted files: only the ledger's partitions and its outcomes, nothing of reports, invoices or runs.
    for (const statement of tableAccess(table, { reads: LEDGER_WORKER_READS, writes: LEDGER_WORKER_WRITES })) role.addToPolicy(statement);

    this.workerFunction = new NodejsFunction(this, 'LedgerWorker', {
      ...nodeFunctionDefaults('functions/ingest-ledger.ts'),
      description: 'Checks an uploaded shipments or returns file and records its lines in the ledger',
      // exceljs and the CPU XML tokenizing is bound by, as for the report ingest.
      memorySize: 1024,
      timeout: FUNCTION_TIMEOUT,
      role,
      logGroup,
      environment: functionEnvironment(props, settings),
    });
    this.workerFunction.addEventSource(
      new SqsEventSource(this.queue, {
        // One file per invocation: a large one can use most of the timeout by itself.
        batchSize: 1,
        reportBatchItemFailures: true,
        // Ledger files come from a few back-office users; two at a time is plenty, and keeps
        // two files naming the same lines from racing each other.
        maxConcurrency: 2,
      }),
    );

    Validations.of(role.node.findChild('DefaultPolicy')).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::${nagArn(uploads)}/${LEDGER_UPLOAD_PREFIX}*]`,
        reason: 'Reads ledger uploads: keys are made per upload (ledger/<type>/<id>.xlsx) and the function reads the one announced.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${nagArn(reports)}/${REPORT_PREFIXES.ledgerErrors}*]`,
        reason: 'PutObject only under ledger-errors/, where each rejected upload gets its own key.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray PutTraceSegments/PutTelemetryRecords, added by active tracing, support no resource-level permissions.',
      },
    );
  }
}
