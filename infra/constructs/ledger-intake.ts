import { Duration, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StackSettings } from '../config.js';
import { acknowledgeNotificationsHandler, QueueOfThisAccount } from './intake.js';
import { nagArn } from './nag.js';
import { tableAccess } from './table-access.js';
import { BackOfficeFunction, functionEnvironment } from './node-function.js';
import { oneMessageAtATime, TRACING_ACKNOWLEDGEMENT, workerRole, workQueues } from './worker.js';
import { REPORT_PREFIXES } from '../../shared/app/report-keys.js';
import { LEDGER_UPLOAD_PREFIX } from '../../shared/app/upload-keys.js';
import { everyPartitionOf, PARTITION, PK_PREFIX } from '../../shared/store/keys.js';

/** Shipment and return lines, and the outcome of each ledger upload. */
export const LEDGER_WORKER_WRITES = [everyPartitionOf(PK_PREFIX.shipment), everyPartitionOf(PK_PREFIX.return), everyPartitionOf(PK_PREFIX.ledgerUpload)];
/** What it writes, the master data it checks lines against and the upload tickets it checks objects against. */
export const LEDGER_WORKER_READS = [PARTITION.master, everyPartitionOf(PK_PREFIX.uploadTicket), ...LEDGER_WORKER_WRITES];

/**
 * A 200,000-row file is read twice (checked in full, then recorded): 412 s measured locally
 * against DynamoDB Local (bench/README.md), past the report ingest's five minutes, so the
 * most Lambda allows.
 */
const FUNCTION_TIMEOUT = Duration.minutes(15);
/** Failed attempts before a file is parked in the dead-letter queue, as for the report ingest. */
const MAX_RECEIVE_COUNT = 5;

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
  readonly workerFunction: BackOfficeFunction;

  constructor(scope: Construct, id: string, props: LedgerIntakeProps) {
    super(scope, id);
    const { table, uploads, reports, settings } = props;

    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = workQueues(this, { functionTimeout: FUNCTION_TIMEOUT, maxReceiveCount: MAX_RECEIVE_COUNT }));
    uploads.addEventNotification(EventType.OBJECT_CREATED, new QueueOfThisAccount(this.queue), { prefix: LEDGER_UPLOAD_PREFIX, suffix: '.xlsx' });
    acknowledgeNotificationsHandler(this);

    const { role, logGroup } = workerRole(
      this,
      { role: 'WorkerRole', logGroup: 'WorkerLogs' },
      'Ledger worker: reads ledger uploads, writes ledger lines, upload outcomes and annotated workbooks',
      settings.stage,
    );
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

    this.workerFunction = new BackOfficeFunction(this, 'LedgerWorker', {
      entry: 'functions/ingest-ledger.ts',
      description: 'Checks an uploaded shipments or returns file and records its lines in the ledger',
      // exceljs and the CPU XML tokenizing is bound by, as for the report ingest.
      memorySize: 1024,
      timeout: FUNCTION_TIMEOUT,
      role,
      logGroup,
      environment: functionEnvironment(props, settings),
    });
    // Ledger files come from a few back-office users; two at a time is plenty, and keeps two
    // files naming the same lines from racing each other.
    this.workerFunction.addEventSource(oneMessageAtATime(this.queue));

    Validations.of(role.node.findChild('DefaultPolicy')).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::${nagArn(uploads)}/${LEDGER_UPLOAD_PREFIX}*]`,
        reason: 'Reads ledger uploads: keys are made per upload (ledger/<type>/<id>.xlsx) and the function reads the one announced.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${nagArn(reports)}/${REPORT_PREFIXES.ledgerErrors}*]`,
        reason: 'PutObject only under ledger-errors/, where each rejected upload gets its own key.',
      },
      TRACING_ACKNOWLEDGEMENT,
    );
  }
}
