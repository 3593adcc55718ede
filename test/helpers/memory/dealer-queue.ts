import { DEALER_MESSAGES_PER_SEND, DealerMessage, type SendDealerMessages } from '../../../shared/app/reconcile-messages.js';

/** The reconciliation queue in memory: what was sent, in order; a send of more than SQS takes at once is refused. */
export function memoryDealerQueue(): { readonly send: SendDealerMessages; readonly sent: DealerMessage[]; readonly sends: number[] } {
  const sent: DealerMessage[] = [];
  const sends: number[] = [];
  const send: SendDealerMessages = async (messages) => {
    if (messages.length > DEALER_MESSAGES_PER_SEND) throw new Error(`SQS takes at most ${DEALER_MESSAGES_PER_SEND} messages per batch, not ${messages.length}`);
    sends.push(messages.length);
    // Each body as the dealer step parses it from the queue.
    sent.push(...messages.map((message) => DealerMessage.parse(JSON.parse(JSON.stringify(message)))));
  };
  return { send, sent, sends };
}
