import { createHash } from 'node:crypto';
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DealerHead, FormMoney, JournalEntry, JournalHeads } from '../domain/journal.js';
import type { JournalRead, JournalStore } from '../app/ports.js';
import { batchGet, queryAll } from './batch.js';
import { cancellationCodes } from './dynamo-errors.js';
import { dealerPk, journalKeys } from './keys.js';

/** DynamoDB takes at most 100 items in one transaction: one of them is always the dealer's head. */
const TRANSACTION_ITEMS = 99;

/** A head no reader may use: a write that carried no fold, or a long append half done. */
const OUT_OF_DATE = -1;

const MONEY_FIELDS = ['charged', 'credited', 'paid', 'refunded', 'balance', 'owed'] as const;

function headOf(item: Record<string, unknown> | undefined): DealerHead | undefined {
  if (item === undefined || typeof item.charges_version !== 'number' || item.charges_version < 0) return undefined;
  if (MONEY_FIELDS.some((field) => typeof item[field] !== 'number') || typeof item.forms !== 'number') return undefined;
  const { pk: _pk, sk: _sk, ...head } = item;
  return head as unknown as DealerHead;
}

function formMoneyOf(item: Record<string, unknown>): FormMoney {
  const { pk: _pk, sk: _sk, dealer: _dealer, ...money } = item;
  return money as unknown as FormMoney;
}

/** The dealer's head as an item: under its key, the head's fields. */
export const headItem = (dealer: string, head: DealerHead | { readonly seq: number; readonly charges_version: number }): Record<string, unknown> => ({ ...journalKeys.head(dealer), ...head });

/** A form's money head as an item. */
export const formHeadItem = (dealer: string, money: FormMoney): Record<string, unknown> => ({ ...journalKeys.form(dealer, money.invoice_no), dealer, ...money });

/**
 * Each entry is an item of its own under the dealer (`DEALER#D001` / `JOURNAL#0000000001`),
 * put only where no item is: two writers that read the same position both aim at the next
 * key, and one of them is told 'conflict'. The transaction carries a request token made from
 * what it appends, so the SDK's retry of a write whose answer was lost is answered by DynamoDB
 * as the same transaction, not appended again; and an append that finds its own first entry
 * already in place says so rather than 'conflict'.
 *
 * Every transaction also puts the dealer's head (`JOURNAL#HEAD`, after every entry's key): the fold the caller made of
 * the journal it read plus what it appends, or, without one, a head marked out of date. The
 * head's put is conditioned on no newer head being there, so the head is the journal's own
 * running total, never a second count that can drift: a reader finding it out of date reads
 * the entries.
 */
export class DynamoJournalStore implements JournalStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async read(dealer: string): Promise<JournalRead> {
    const entries: JournalEntry[] = [];
    let seq = 0;
    let head: JournalRead['head'];
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': dealerPk(dealer), ':prefix': journalKeys.prefix },
      ConsistentRead: true,
    })) {
      if (item.sk === journalKeys.head(dealer).sk) {
        head = { seq: Number(item.seq), charges_version: Number(item.charges_version) };
        continue;
      }
      const { pk: _pk, sk: _sk, seq: at, ...entry } = item;
      seq = Number(at);
      entries.push(entry as unknown as JournalEntry);
    }
    return { seq, entries, ...(head && { head }) };
  }

  async append(dealer: string, expectedSeq: number, entries: readonly JournalEntry[], heads?: JournalHeads): Promise<'appended' | 'conflict'> {
    if (entries.length === 0 && heads === undefined) return 'appended';
    const items = [
      ...entries.map((entry, i) => ({ Item: { ...journalKeys.entry(dealer, expectedSeq + i + 1), seq: expectedSeq + i + 1, ...entry }, ConditionExpression: 'attribute_not_exists(pk)' })),
      ...(heads?.forms ?? []).map((money) => ({ Item: formHeadItem(dealer, money) })),
    ];
    const lastSeq = expectedSeq + entries.length;
    let written = 0;
    do {
      const batch = items.slice(written, written + TRANSACTION_ITEMS);
      const entriesIn = batch.filter((item) => 'ConditionExpression' in item);
      const seqAfter = expectedSeq + Math.min(entries.length, written + batch.length);
      const final = written + batch.length >= items.length;
      // A long append's earlier transactions leave the head out of date until the last one folds it all.
      const head = final && heads !== undefined ? { ...heads.dealer, seq: lastSeq } : { seq: seqAfter, charges_version: OUT_OF_DATE };
      const token = createHash('sha256').update(JSON.stringify([this.table, dealer, expectedSeq, written, batch, head])).digest('hex').slice(0, 36);
      try {
        await this.client.send(
          new TransactWriteCommand({
            ClientRequestToken: token,
            TransactItems: [
              ...batch.map((put) => ({ Put: { TableName: this.table, ...put } })),
              {
                Put: {
                  TableName: this.table,
                  Item: headItem(dealer, head),
                  ConditionExpression: 'attribute_not_exists(pk) OR seq < :seq OR (seq = :seq AND charges_version <= :version)',
                  ExpressionAttributeValues: { ':seq': head.seq, ':version': head.charges_version },
                },
              },
            ],
          }),
        );
      } catch (error) {
        if (cancellationCodes(error) === undefined) throw error;
        const first = entriesIn[0]?.Item;
        if (first === undefined) return 'conflict';
        const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: journalKeys.entry(dealer, Number(first.seq)), ConsistentRead: true }));
        if (Item?.entry_id !== first.entry_id) return 'conflict';
      }
      written += batch.length;
    } while (written < items.length);
    return 'appended';
  }

  async heads(dealers: readonly string[], forms: readonly { readonly dealer: string; readonly invoice_no: string }[] = []): Promise<{ dealers: Map<string, DealerHead>; forms: Map<string, FormMoney> }> {
    const keys = [...new Set(dealers)].map((dealer) => journalKeys.head(dealer));
    const formKeys = [...new Map(forms.map((f) => [`${f.dealer}#${f.invoice_no}`, journalKeys.form(f.dealer, f.invoice_no)])).values()];
    const found = { dealers: new Map<string, DealerHead>(), forms: new Map<string, FormMoney>() };
    if (keys.length + formKeys.length === 0) return found;
    for (const item of await batchGet(this.client, this.table, [...keys, ...formKeys])) {
      if (item.sk === journalKeys.head('').sk) {
        const head = headOf(item);
        if (head !== undefined) found.dealers.set(String(item.pk).slice(dealerPk('').length), head);
      } else {
        const money = formMoneyOf(item);
        found.forms.set(money.invoice_no, money);
      }
    }
    return found;
  }
}
