import { Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { Stage } from '../config.js';
import { stageLogGroup } from './node-function.js';

/**
 * What every queue-fed worker of the stack is built from: a work queue with its dead-letter
 * queue, a role of its own with its log group, and an event source that hands it one message
 * at a time. Written once so that the workers differ only in what they may touch.
 */

export interface WorkQueues {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
}

/**
 * A work queue for a function with this timeout, and the dead-letter queue where a message
 * is parked after `maxReceiveCount` failed deliveries for an admin to redrive once the cause is fixed.
 */
export function workQueues(
  scope: Construct,
  options: { readonly functionTimeout: Duration; readonly maxReceiveCount: number; readonly ids?: { readonly queue: string; readonly deadLetterQueue: string } },
): WorkQueues {
  const ids = options.ids ?? { queue: 'Queue', deadLetterQueue: 'DeadLetterQueue' };
  const deadLetterQueue = new Queue(scope, ids.deadLetterQueue, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    // A standard queue keeps a message's original enqueue time in the DLQ, so the DLQ must
    // hold messages longer than the source queue does, or they expire on arrival.
    retentionPeriod: Duration.days(14),
  });
  Validations.of(deadLetterQueue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: 'This is a dead-letter queue itself; an admin redrives it to its source queue.',
  });
  const queue = new Queue(scope, ids.queue, {
    // SSE-SQS rather than KMS: S3 event notifications cannot publish to a queue encrypted
    // with the AWS-managed SQS KMS key, and a customer key adds nothing the queue policy lacks.
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    // AWS's guidance for Lambda event sources: six times the function timeout, so a message
    // is not handed to a second invocation while the first may still be working on it.
    visibilityTimeout: Duration.seconds(options.functionTimeout.toSeconds() * 6),
    retentionPeriod: Duration.days(4),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: options.maxReceiveCount },
  });
  return { queue, deadLetterQueue };
}

/**
 * A function's own role and log group. An explicit role instead of the default one, which
 * would carry the AWSLambdaBasicExecutionRole managed policy (logs on every log group in the account).
 */
export function workerRole(scope: Construct, ids: { readonly role: string; readonly logGroup: string }, description: string, stage: Stage): { role: Role; logGroup: LogGroup } {
  const logGroup = stageLogGroup(scope, ids.logGroup, stage);
  const role = new Role(scope, ids.role, { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description });
  logGroup.grantWrite(role);
  return { role, logGroup };
}

/**
 * The queue as a function's event source, one message per invocation (a large file or a
 * whole month can use most of the timeout by itself), failures reported per message.
 * `maxConcurrency` 2 is the fewest an SQS event source allows.
 */
export const oneMessageAtATime = (queue: Queue, maxConcurrency = 2): SqsEventSource =>
  new SqsEventSource(queue, { batchSize: 1, reportBatchItemFailures: true, maxConcurrency });

/** The acknowledgement every traced function's policy needs. */
export const TRACING_ACKNOWLEDGEMENT = {
  id: 'AwsSolutions-IAM5[Resource::*]',
  reason: 'X-Ray PutTraceSegments/PutTelemetryRecords, added by active tracing, support no resource-level permissions.',
} as const;
