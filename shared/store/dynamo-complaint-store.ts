import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ComplaintStore } from '../app/ports.js';
import { nextPeriod } from '../domain/dates.js';
import { byDealerAndTime, complaintFromStore, type Complaint } from '../domain/complaints.js';
import { batchGet, batchWrite, putRequest, queryAll } from './batch.js';
import { cancellationCodes } from './dynamo-errors.js';
import { complaintKeys, dealerPk } from './keys.js';
import { TABLE_KEYS } from './table.js';
import { backoff } from './backoff.js';

/** How long a closed complaint's entry stays in the open index before the table's TTL removes it. */
const CLOSED_ENTRY_SECONDS = 86_400;

/** Attempts again at a write that met another transaction on the same complaint. */
const CONFLICT_RETRIES = 5;

/**
 * Complaints by id (`COMPLAINT#<id>`), listed by the month received through GSI1
 * (`COMPLAINTS#<month>`). Every write is conditional: a new complaint only where its id is
 * free, a change only on the version it was read at, so two people recording or changing one
 * complaint at once cannot overwrite each other. Complaints stored before their life was
 * tracked (no version, no history) read as version 1.
 */
export class DynamoComplaintStore implements ComplaintStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async find(ids: readonly string[]): Promise<Map<string, Complaint>> {
    const items = await batchGet(this.client, this.table, [...new Set(ids)].map(complaintKeys.item));
    return new Map(items.map((item) => [String(item.complaint_id), complaintOf(item)]));
  }

  async create(complaint: Complaint): Promise<'created' | 'exists'> {
    return (await this.put({ ...complaint, version: 1 }, { ConditionExpression: 'attribute_not_exists(pk)' })) ? 'created' : 'exists';
  }

  async replace(complaint: Complaint): Promise<'updated' | 'conflict'> {
    const read = complaint.version - 1;
    const condition =
      read === 1
        ? { ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#version) OR #version = :read)', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':read': read } }
        : { ConditionExpression: '#version = :read', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':read': read } };
    return (await this.put(complaint, condition)) ? 'updated' : 'conflict';
  }

  /**
   * The complaint and, in the same transaction, its copy in its dealer's partition and its entry
   * in the open index: a closed one's entry says so and expires (the table's TTL removes it; the writer needs no DeleteItem). A transaction that met another on the same items (two people
   * recording at once) is tried again; the condition then decides.
   */
  private async put(complaint: Complaint, condition: Record<string, unknown>): Promise<boolean> {
    const openEntry = complaintKeys.open(complaint.received_at, complaint.complaint_id);
    for (let round = 0; ; round++) {
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.table,
                  Item: {
                    ...complaintKeys.item(complaint.complaint_id),
                    gsi1pk: complaintKeys.monthGsi1pk(complaint.received_at.slice(0, 7)),
                    gsi1sk: complaintKeys.gsi1sk(complaint.dealer_code, complaint.received_at, complaint.complaint_id),
                    ...complaint,
                  },
                  ...condition,
                },
              },
              { Put: { TableName: this.table, Item: { ...openEntry, ...complaint, ...(complaint.closed_at !== null && { [TABLE_KEYS.ttlAttribute]: Math.floor(Date.now() / 1000) + CLOSED_ENTRY_SECONDS }) } } },
              { Put: { TableName: this.table, Item: { ...complaintKeys.dealerCopy(complaint.dealer_code, complaint.received_at, complaint.complaint_id), ...complaint } } },
            ],
          }),
        );
        return true;
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes?.[0] === 'ConditionalCheckFailed') return false;
        if (codes?.includes('TransactionConflict') !== true || round >= CONFLICT_RETRIES) throw error;
        await backoff(round, 20);
      }
    }
  }

  async monthPage(month: string, page: { readonly after?: string; readonly limit: number; readonly dealer?: string }): Promise<{ complaints: Complaint[]; more: boolean }> {
    const { after, limit, dealer } = page;
    // `$` follows `#`: a dealer's keys lie between `<dealer>#` and `<dealer>$`; `\u0000` makes the range begin just after `after`.
    const range =
      dealer !== undefined
        ? { condition: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to', values: { ':from': after === undefined ? complaintKeys.dealerGsi1Prefix(dealer) : `${after}\u0000`, ':to': `${dealer}$` } }
        : after !== undefined
          ? { condition: 'gsi1pk = :pk AND gsi1sk > :after', values: { ':after': after } }
          : { condition: 'gsi1pk = :pk', values: {} };
    const complaints: Complaint[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const found = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'gsi1',
          KeyConditionExpression: range.condition,
          ExpressionAttributeValues: { ':pk': complaintKeys.monthGsi1pk(month), ...range.values },
          Limit: limit + 1 - complaints.length,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of found.Items ?? []) complaints.push(complaintOf(item));
      start = found.LastEvaluatedKey;
    } while (start !== undefined && complaints.length <= limit);
    return { complaints: complaints.slice(0, limit), more: complaints.length > limit };
  }

  async open(from: string): Promise<Complaint[] | undefined> {
    const found: Complaint[] = [];
    let complete: string | undefined;
    for await (const item of queryAll(this.client, { TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': complaintKeys.openComplete.pk }, ConsistentRead: true })) {
      if (item.sk === complaintKeys.openComplete.sk) complete = String(item.from);
      else {
        const complaint = complaintOf(item);
        if (complaint.closed_at === null && complaint.received_at.slice(0, 7) >= from) found.push(complaint);
      }
    }
    return complete !== undefined && complete <= from ? found : undefined;
  }

  async ofDealer(dealer: string, from: string, to: string): Promise<Complaint[] | undefined> {
    const [marker, copies] = await Promise.all([
      this.client.send(new GetCommand({ TableName: this.table, Key: complaintKeys.openComplete, ConsistentRead: true })),
      (async () => {
        const found: Complaint[] = [];
        for await (const item of queryAll(this.client, {
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': dealerPk(dealer), ':from': `${complaintKeys.dealerCopyPrefix}${from}`, ':to': `${complaintKeys.dealerCopyPrefix}${to}~` },
          // A month score kept after a complaint's write reads it here, and must see it (shared/app/quality/month-scores.ts).
          ConsistentRead: true,
        })) {
          found.push(complaintOf(item));
        }
        return found.sort(byDealerAndTime);
      })(),
    ]);
    return marker.Item !== undefined && String(marker.Item.from) <= from ? copies : undefined;
  }

  async indexMonths(from: string, to: string): Promise<{ readonly open: number; readonly dealer_copies: number }> {
    const all = await this.received(from, to);
    const open = all.filter((c) => c.closed_at === null);
    await batchWrite(this.client, this.table, [
      ...open.map((c) => putRequest({ ...complaintKeys.open(c.received_at, c.complaint_id), ...c })),
      ...all.map((c) => putRequest({ ...complaintKeys.dealerCopy(c.dealer_code, c.received_at, c.complaint_id), ...c })),
    ]);
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: complaintKeys.openComplete, ConsistentRead: true }));
    if (Item === undefined || String(Item.from) > from) await this.client.send(new PutCommand({ TableName: this.table, Item: { ...complaintKeys.openComplete, from } }));
    return { open: open.length, dealer_copies: all.length };
  }

  async received(from: string, to: string, dealer?: string): Promise<Complaint[]> {
    const months: string[] = [];
    for (let month = from; month <= to; month = nextPeriod(month)) months.push(month);
    // The months side by side: a year's trend waits for one query's time, not twelve.
    const perMonth = await Promise.all(
      months.map(async (month) => {
        const found: Complaint[] = [];
        for await (const item of queryAll(this.client, {
          TableName: this.table,
          IndexName: 'gsi1',
          KeyConditionExpression: dealer === undefined ? 'gsi1pk = :pk' : 'gsi1pk = :pk AND begins_with(gsi1sk, :dealer)',
          ExpressionAttributeValues: { ':pk': complaintKeys.monthGsi1pk(month), ...(dealer === undefined ? {} : { ':dealer': complaintKeys.dealerGsi1Prefix(dealer) }) },
        })) {
          found.push(complaintOf(item));
        }
        return found;
      }),
    );
    return perMonth.flat().sort(byDealerAndTime);
  }
}

function complaintOf(item: Record<string, unknown>): Complaint {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...complaint } = item;
  return complaintFromStore(complaint);
}
