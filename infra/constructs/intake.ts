import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { BucketNotificationDestinationType, EventType, type BucketNotificationDestinationConfig, type IBucket, type IBucketNotificationDestination } from 'aws-cdk-lib/aws-s3';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StackSettings } from '../config.js';
import { nagArn } from './nag.js';
import { tableAccess } from './table-access.js';
import { BackOfficeFunction, functionEnvironment } from './node-function.js';
import { TRACING_ACKNOWLEDGEMENT, workerRole, workQueues } from './worker.js';
import { REPORT_PREFIXES } from '../../shared/app/report-keys.js';
import { REPORT_TYPES } from '../../shared/domain/fields.js';
import { complaintKeys, everyPartitionOf, PARTITION, PK_PREFIX } from '../../shared/store/keys.js';

/** Report versions and pointers (under the dealer), upload outcomes, the end-user archive. */
export const INGEST_WRITES = [everyPartitionOf(PK_PREFIX.dealer), everyPartitionOf(PK_PREFIX.submission), everyPartitionOf(PK_PREFIX.product), everyPartitionOf(PK_PREFIX.unit), everyPartitionOf(PK_PREFIX.lookup)];
/**
 * What it writes, the master data it checks rows against and the upload tickets it checks objects
 * against; and, for the dealer's month score a repair report moves, the complaints' marker of how
 * far their dealer copies reach (the copies are under the dealer).
 */
export const INGEST_READS = [PARTITION.master, everyPartitionOf(PK_PREFIX.uploadTicket), complaintKeys.openPk, ...INGEST_WRITES];

/**
 * Where dealer reports are uploaded: `<type>/<dealer>/<period>/<upload id>.xlsx`
 * (shared/app/upload-keys.ts). Ledger files (`ledger/…`) are not reports and never reach the ingest.
 */
export const REPORT_UPLOAD_PREFIXES = REPORT_TYPES.map((type) => `${type}/`);

const FUNCTION_TIMEOUT = Duration.minutes(5);
/** Failed attempts before an upload is parked in the dead-letter queue for an admin to redrive. */
const MAX_RECEIVE_COUNT = 5;

export interface IntakeProps {
  readonly table: ITableV2;
  readonly uploads: IBucket;
  readonly reports: IBucket;
  readonly invoices: IBucket;
  readonly settings: StackSettings;
}

/**
 * Dealer uploads into the table: every `.xlsx` created in the uploads bucket is announced
 * on a queue and taken in by the ingest function, which stores the report as a new version
 * or writes an annotated error report. The queue gives retries and a dead-letter queue that
 * an admin can redrive from the console once the cause is fixed.
 */
export class Intake extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly ingestFunction: BackOfficeFunction;

  constructor(scope: Construct, id: string, props: IntakeProps) {
    super(scope, id);
    const { table, uploads, reports, settings } = props;

    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = workQueues(this, { functionTimeout: FUNCTION_TIMEOUT, maxReceiveCount: MAX_RECEIVE_COUNT }));

    const destination = new QueueOfThisAccount(this.queue);
    for (const prefix of REPORT_UPLOAD_PREFIXES) uploads.addEventNotification(EventType.OBJECT_CREATED, destination, { prefix, suffix: '.xlsx' });
    acknowledgeNotificationsHandler(this);

    const { role, logGroup } = workerRole(this, { role: 'IngestRole', logGroup: 'IngestLogs' }, 'Ingest function: reads uploads, writes the table and error reports', settings.stage);
    // Object ARNs end in a wildcard because every upload has its own key; the report types'
    // prefixes are the narrowing that is possible. Not `ledger/`: ledger files are the ledger worker's.
    // GetObjectVersion: the ingest reads the version the event named, not whatever is current.
    role.addToPolicy(
      new PolicyStatement({
        sid: 'ReadReportUploads',
        effect: Effect.ALLOW,
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: REPORT_UPLOAD_PREFIXES.map((prefix) => uploads.arnForObjects(`${prefix}*`)),
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        sid: 'WriteErrorReports',
        effect: Effect.ALLOW,
        actions: ['s3:PutObject'],
        resources: [reports.arnForObjects(`${REPORT_PREFIXES.errorReports}*`)],
      }),
    );
    // The function parses untrusted files, so it reaches only the partitions its stores use:
    // nothing of master data (read only), the ledger, the invoice counters or the runs; no index.
    for (const statement of tableAccess(table, { reads: INGEST_READS, writes: INGEST_WRITES, deletes: true })) role.addToPolicy(statement);

    this.ingestFunction = new BackOfficeFunction(this, 'Ingest', {
      entry: 'functions/ingest.ts',
      description: 'Validates an uploaded dealer report and stores it as a new version',
      // exceljs holds the shared-strings table in memory (about 300 MB for 100k rows), and
      // more memory also buys the CPU that XML tokenizing is bound by.
      memorySize: 1024,
      // No ephemeralStorageSize: the reader feeds exceljs the shared strings before the sheet,
      // so nothing is spilled to /tmp (shared/sheets/reader.ts); Lambda's 512 MB suffice.
      timeout: FUNCTION_TIMEOUT,
      role,
      logGroup,
      // The invoices bucket is named too, so the configuration is complete and truthful; the
      // role grants nothing on it.
      environment: functionEnvironment(props, settings),
    });

    this.ingestFunction.addEventSource(
      new SqsEventSource(this.queue, {
        // One upload per invocation: a large report can use most of the timeout by itself.
        batchSize: 1,
        // The handler reports failed messages itself, so a batch (should it ever be larger)
        // retries only the uploads that failed.
        reportBatchItemFailures: true,
        // Concurrent ingests (`backoffice:ingestConcurrency`, default 5). Capped on the event
        // source rather than by reserved concurrency: a reserved-concurrency cap makes the
        // poller's extra invocations fail as throttles, which count as receives and push
        // healthy uploads to the dead-letter queue.
        maxConcurrency: settings.ingestConcurrency,
      }),
    );

    const policy = role.node.findChild('DefaultPolicy');
    Validations.of(policy).acknowledge(
      ...REPORT_UPLOAD_PREFIXES.map((prefix) => ({
        id: `AwsSolutions-IAM5[Resource::${nagArn(uploads)}/${prefix}*]`,
        reason: `Reads report uploads of one type: keys are made per upload (${prefix}<dealer>/<period>/<id>.xlsx) and the function reads the one announced.`,
      })),
      {
        id: `AwsSolutions-IAM5[Resource::${nagArn(reports)}/${REPORT_PREFIXES.errorReports}*]`,
        reason: 'PutObject only under error-reports/, where each rejected version gets its own key.',
      },
      TRACING_ACKNOWLEDGEMENT,
    );
  }
}

/**
 * S3 event notifications to a queue, like `SqsDestination`, with the queue policy also naming
 * the account the bucket must belong to (`aws:SourceAccount`): a bucket ARN carries no account,
 * so a bucket of the same name in another account would otherwise match.
 */
export class QueueOfThisAccount implements IBucketNotificationDestination {
  constructor(private readonly queue: IQueue) {}

  bind(scope: Construct, bucket: IBucket): BucketNotificationDestinationConfig {
    this.queue.grantSendMessages(
      new ServicePrincipal('s3.amazonaws.com', {
        conditions: { ArnLike: { 'aws:SourceArn': bucket.bucketArn }, StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
      }),
    );
    return { arn: this.queue.queueArn, type: BucketNotificationDestinationType.QUEUE, dependencies: [this.queue] };
  }
}

/**
 * S3 bucket notifications are configured by a CDK-provided singleton function at deploy
 * time (CloudFormation cannot add them without a circular dependency between the bucket and
 * the queue policy). Its role is CDK's, not ours to narrow.
 */
export function acknowledgeNotificationsHandler(scope: Construct): void {
  const stack = Stack.of(scope);
  const handler = stack.node.children.find((child) => child.node.id.startsWith('BucketNotificationsHandler'));
  if (handler === undefined) return;
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: "CDK's bucket-notifications handler runs only during deployment and writes only its own logs.",
  });
}
