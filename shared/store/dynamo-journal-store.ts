import { createHash } from 'node:crypto';
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { JournalEntry } from '../domain/journal.js';
import type { JournalRead, JournalStore } from '../app/ports.js';
import { queryAll } from './batch.js';
import { cancellationCodes } from './dynamo-errors.js';
import { dealerPk, journalKeys } from './keys.js';

/** DynamoDB takes at most 100 items in one transaction. */
const TRANSACTION_ITEMS = 100;

/**
 * Each entry is an item of its own under the dealer (`DEALER#D001` / `JOURNAL#0000000001`),
 * put only where no item is: two writers that read the same position both aim at the next
 * key, and one of them is told 'conflict'. The transaction carries a request token made from
 * what it appends, so the SDK's retry of a write whose answer was lost is answered by DynamoDB
 * as the same transaction, not appended again; and an append that finds its own first entry
 * already in place says so rather than 'conflict'.
 */
export class DynamoJournalStore implements JournalStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async read(dealer: string): Promise<JournalRead> {
    const entries: JournalEntry[] = [];
    let seq = 0;
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': dealerPk(dealer), ':prefix': journalKeys.prefix },
      ConsistentRead: true,
    })) {
      const { pk: _pk, sk: _sk, seq: at, ...entry } = item;
      seq = Number(at);
      entries.push(entry as unknown as JournalEntry);
    }
    return { seq, entries };
  }

  async append(dealer: string, expectedSeq: number, entries: readonly JournalEntry[]): Promise<'appended' | 'conflict'> {
    for (let start = 0; start < entries.length; start += TRANSACTION_ITEMS) {
      const batch = entries.slice(start, start + TRANSACTION_ITEMS);
      const first = expectedSeq + start + 1;
      const token = createHash('sha256').update(JSON.stringify([this.table, dealer, first, batch])).digest('hex').slice(0, 36);
      try {
        await this.client.send(
          new TransactWriteCommand({
            ClientRequestToken: token,
            TransactItems: batch.map((entry, i) => ({
              Put: {
                TableName: this.table,
                Item: { ...journalKeys.entry(dealer, first + i), seq: first + i, ...entry },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
          }),
        );
      } catch (error) {
        if (cancellationCodes(error) === undefined) throw error;
        const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: journalKeys.entry(dealer, first), ConsistentRead: true }));
        if (Item?.entry_id !== batch[0]?.entry_id) return 'conflict';
      }
    }
    return 'appended';
  }
}
