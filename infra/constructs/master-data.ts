import { Duration, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { EventType } from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StackSettings } from '../config.js';
import { acknowledgeNotificationsHandler, QueueOfThisAccount } from './intake.js';
import { nagArn } from './nag.js';
import { BackOfficeFunction, functionEnvironment, type FunctionResources } from './node-function.js';
import { oneMessageAtATime, TRACING_ACKNOWLEDGEMENT, workerRole, workQueues } from './worker.js';
import { tableAccess } from './table-access.js';
import { REPORT_PREFIXES } from '../../shared/app/report-keys.js';
import { MASTER_PORTAL_PREFIX } from '../../shared/app/upload-keys.js';
import { everyPartitionOf, PARTITION, PK_PREFIX } from '../../shared/store/keys.js';

/** The master data, and nothing else, is what the import writes. */
export const MASTER_IMPORT_WRITES = [PARTITION.master];
/** What it writes, and the tickets of the admin's upload forms for master-data workbooks (`TICKET#master/portal/…`). */
export const MASTER_IMPORT_READS = [PARTITION.master, everyPartitionOf(`${PK_PREFIX.uploadTicket}${MASTER_PORTAL_PREFIX}`)];

/** A master-data workbook is a few thousand rows: a minute is ample, five leave room for a slow read. */
const FUNCTION_TIMEOUT = Duration.minutes(5);
/** Failed attempts before a workbook is parked in the dead-letter queue for an admin to redrive. */
const MAX_RECEIVE_COUNT = 3;

export interface MasterDataProps extends FunctionResources {
  readonly settings: StackSettings;
}

/**
 * Master data without the CLI: every `.xlsx` created under the uploads bucket's `master/portal/`
 * (the admin page's form, each key under its ticket) is announced on a queue and
 * imported by its own function, whose outcome and annotated workbook go under
 * `master-imports/` of the reports bucket. Apart from the report ingest so that the function
 * reading master-data workbooks is the only one that may write master data, and nothing else.
 */
export class MasterData extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly importFunction: BackOfficeFunction;

  constructor(scope: Construct, id: string, props: MasterDataProps) {
    super(scope, id);
    const { table, uploads, reports, settings } = props;

    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = workQueues(this, { functionTimeout: FUNCTION_TIMEOUT, maxReceiveCount: MAX_RECEIVE_COUNT }));
    uploads.addEventNotification(EventType.OBJECT_CREATED, new QueueOfThisAccount(this.queue), { prefix: MASTER_PORTAL_PREFIX, suffix: '.xlsx' });
    acknowledgeNotificationsHandler(this);

    const { role, logGroup } = workerRole(
      this,
      { role: 'ImportMasterRole', logGroup: 'ImportMasterLogs' },
      'Master-data import: reads master/ uploads, writes the master data and its outcomes',
      settings.stage,
    );
    const outcomes = `${REPORT_PREFIXES.masterImports}*`;
    const allow = (sid: string, actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
      role.addToPolicy(new PolicyStatement({ sid, effect: Effect.ALLOW, actions, resources, ...(conditions === undefined ? {} : { conditions }) }));
    // GetObjectVersion: the import reads the version the event named.
    // Only the portal form's keys: each has a ticket, which the import checks before reading.
    allow('ReadMasterUploads', ['s3:GetObject', 's3:GetObjectVersion'], [uploads.arnForObjects(`${MASTER_PORTAL_PREFIX}*`)]);
    allow('WriteMasterOutcomes', ['s3:GetObject', 's3:PutObject'], [reports.arnForObjects(outcomes)]);
    // Whether an object's outcome exists already (a replayed event): listed under its prefix only.
    allow('ListMasterOutcomes', ['s3:ListBucket'], [reports.bucketArn], { StringLike: { 's3:prefix': [outcomes] } });
    for (const statement of tableAccess(table, { reads: MASTER_IMPORT_READS, writes: MASTER_IMPORT_WRITES })) role.addToPolicy(statement);

    this.importFunction = new BackOfficeFunction(this, 'ImportMaster', {
      entry: 'functions/import-master.ts',
      description: 'Imports a master-data workbook (dealers, products, parts prices) put under master/ of the uploads bucket',
      memorySize: 1024,
      timeout: FUNCTION_TIMEOUT,
      role,
      logGroup,
      environment: functionEnvironment(props, settings),
    });
    // Master-data workbooks come a few a year.
    this.importFunction.addEventSource(oneMessageAtATime(this.queue));

    Validations.of(role.node.findChild('DefaultPolicy')).acknowledge(
      { id: `AwsSolutions-IAM5[Resource::${nagArn(uploads)}/${MASTER_PORTAL_PREFIX}*]`, reason: 'Reads the master-data workbooks of the portal form, one key per upload ticket.' },
      { id: `AwsSolutions-IAM5[Resource::${nagArn(reports)}/${outcomes}]`, reason: 'Outcome JSON and annotated workbook of each master-data object, one key per object version.' },
      TRACING_ACKNOWLEDGEMENT,
    );
  }
}
