import { DeleteMessageBatchCommand, GetQueueUrlCommand, ListDeadLetterSourceQueuesCommand, ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface RedriveResult {
  readonly deadLetterQueue: string;
  readonly sourceQueue: string;
  readonly moved: number;
}

/** A dead-letter queue no queue sends to (schedules and asynchronous invocations feed it): nothing to move its messages back to. */
export class NoSourceQueue extends Error {}

/**
 * Moves every message of a dead-letter queue back to the queue whose redrive policy names it,
 * with the plain SQS API (receive, send, delete), which every region offers; the console's
 * redrive and StartMessageMoveTask are not offered everywhere (the China regions). A message
 * is deleted from the dead-letter queue only once its copy was accepted by the source queue,
 * so an interruption may leave a message in both, never in neither (the handlers are idempotent).
 */
export async function redrive(sqs: Pick<SQSClient, 'send'>, queue: string, options: { readonly maxMessages?: number } = {}): Promise<RedriveResult> {
  const deadLetterQueue = queue.startsWith('https://') ? queue : (await sqs.send(new GetQueueUrlCommand({ QueueName: queue }))).QueueUrl!;
  const sources = (await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: deadLetterQueue }))).queueUrls ?? [];
  if (sources.length !== 1) {
    throw new NoSourceQueue(
      sources.length === 0
        ? `${queue} is the dead-letter queue of no queue (a schedule or an asynchronous invocation feeds it): read its messages and run the job again (docs/operations.md)`
        : `${queue} is the dead-letter queue of ${sources.length} queues: redrive by hand`,
    );
  }
  const sourceQueue = sources[0]!;
  const limit = options.maxMessages ?? Number.POSITIVE_INFINITY;
  let moved = 0;
  while (moved < limit) {
    const { Messages: messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: deadLetterQueue, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 60, MessageAttributeNames: ['All'] }),
    );
    if (messages.length === 0) break;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: sourceQueue,
        Entries: messages.map((m, i) => ({ Id: String(i), MessageBody: m.Body ?? '', ...(m.MessageAttributes === undefined ? {} : { MessageAttributes: m.MessageAttributes }) })),
      }),
    );
    const accepted = (sent.Successful ?? []).map((s) => messages[Number(s.Id)]!);
    if (accepted.length > 0) {
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: deadLetterQueue, Entries: accepted.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
    moved += accepted.length;
    if ((sent.Failed ?? []).length > 0) throw new Error(`the source queue refused ${sent.Failed!.length} message(s) (${sent.Failed![0]!.Code}); ${moved} moved so far, the rest stay in the dead-letter queue`);
  }
  return { deadLetterQueue, sourceQueue, moved };
}
