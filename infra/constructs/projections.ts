import { Duration, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StackSettings } from '../config.js';
import { everyPartitionOf, PK_PREFIX } from '../../shared/store/keys.js';
import { BackOfficeFunction, functionEnvironment } from './node-function.js';
import { tableAccess } from './table-access.js';
import { oneMessageAtATime, TRACING_ACKNOWLEDGEMENT, workerRole, workQueues } from './worker.js';

/** The upload outcomes (marked up to date), the end-user archive and the units' histories and lookups. */
export const PROJECTION_WRITES = [everyPartitionOf(PK_PREFIX.submission), everyPartitionOf(PK_PREFIX.product), everyPartitionOf(PK_PREFIX.unit), everyPartitionOf(PK_PREFIX.lookup)];
/** What it writes, and the report versions and pointers (under the dealer) it projects from. */
export const PROJECTION_READS = [everyPartitionOf(PK_PREFIX.dealer), ...PROJECTION_WRITES];

/** A 200,000-row report's archive entries and histories: a few minutes at most. */
const PROJECTION_TIMEOUT = Duration.minutes(10);
/** Deliveries of a job before it is parked: every step rewrites what it wrote, so retries are safe. */
const PROJECTION_MAX_RECEIVE_COUNT = 5;

export interface ProjectionsProps {
  readonly table: ITableV2;
  readonly uploads: IBucket;
  readonly reports: IBucket;
  readonly invoices: IBucket;
  readonly settings: StackSettings;
}

/**
 * An accepted report's projections off the verdict's path: the ingest records the verdict,
 * then sends one message to the projection queue; the worker (functions/project-report.ts)
 * builds the version's archive entries and unit histories and marks its outcome up to date.
 */
export class Projections extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly workerFunction: BackOfficeFunction;

  constructor(scope: Construct, id: string, props: ProjectionsProps) {
    super(scope, id);
    const { table, settings } = props;

    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = workQueues(this, { functionTimeout: PROJECTION_TIMEOUT, maxReceiveCount: PROJECTION_MAX_RECEIVE_COUNT }));

    const { role, logGroup: logs } = workerRole(
      this,
      { role: 'WorkerRole', logGroup: 'WorkerLogs' },
      "Projection worker: reads accepted report versions; writes the end-user archive, unit histories and the upload's outcome",
      settings.stage,
    );
    for (const statement of tableAccess(table, { reads: PROJECTION_READS, writes: PROJECTION_WRITES })) role.addToPolicy(statement);

    this.workerFunction = new BackOfficeFunction(this, 'ProjectionWorker', {
      entry: 'functions/project-report.ts',
      description: "Builds an accepted report version's archive entries and unit histories, one version per message",
      timeout: PROJECTION_TIMEOUT,
      role,
      logGroup: logs,
      environment: functionEnvironment(props, settings),
    });
    this.workerFunction.addEventSource(oneMessageAtATime(this.queue, settings.ingestConcurrency));

    Validations.of(role.node.findChild('DefaultPolicy')).acknowledge(TRACING_ACKNOWLEDGEMENT);
  }

  /** Lets a function hand on projections: SendMessage on this queue alone, and the queue's URL in its environment. */
  grantRequests(fn: IFunction & { addEnvironment(key: string, value: string): unknown }): void {
    fn.addEnvironment('PROJECTION_QUEUE_URL', this.queue.queueUrl);
    fn.addToRolePolicy(new PolicyStatement({ sid: 'RequestProjections', effect: Effect.ALLOW, actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }));
  }
}
