import { SendMessageBatchCommand, type SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import type { DealerMessage, SendDealerMessages } from '../app/reconcile-messages.js';
import { backoff } from './backoff.js';

const SEND_ROUNDS = 5;

/**
 * The reconciliation queue: one message per dealer, ten per SendMessageBatch. Entries SQS
 * reports as failed (throttled, an internal error) are sent again; the dealer step is
 * idempotent, so a message that was in fact taken and is sent twice does no harm.
 */
export function sqsDealerQueue(queueUrl: string, client: SQSClient): SendDealerMessages {
  return async (messages: readonly DealerMessage[]) => {
    let pending: SendMessageBatchRequestEntry[] = messages.map((message, index) => ({
      Id: String(index),
      MessageBody: JSON.stringify(message),
    }));
    for (let round = 0; pending.length > 0; round++) {
      if (round === SEND_ROUNDS) {
        throw new Error(`SQS did not take ${pending.length} dealer message(s) after ${SEND_ROUNDS} tries: ${pending.map((e) => e.MessageBody).join(', ')}`);
      }
      if (round > 0) await backoff(round, 100);
      const result = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }));
      const failed = new Set((result.Failed ?? []).map((f) => f.Id));
      pending = pending.filter((entry) => failed.has(entry.Id));
    }
  };
}
