import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ComplaintStore } from '../app/ports.js';
import { nextPeriod } from '../domain/dates.js';
import { byDealerAndTime, type Complaint } from '../domain/complaints.js';
import { batchGet, batchWrite, putRequest, queryAll } from './batch.js';
import { complaintKeys } from './keys.js';

/** Complaints by id (`COMPLAINT#<id>`), listed by the month received through GSI1 (`COMPLAINTS#<month>`). */
export class DynamoComplaintStore implements ComplaintStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async find(ids: readonly string[]): Promise<Map<string, Complaint>> {
    const items = await batchGet(this.client, this.table, [...new Set(ids)].map(complaintKeys.item));
    return new Map(items.map((item) => [String(item.complaint_id), complaintOf(item)]));
  }

  async save(complaints: readonly Complaint[]): Promise<void> {
    const last = new Map(complaints.map((c) => [c.complaint_id, c]));
    await batchWrite(
      this.client,
      this.table,
      [...last.values()].map((c) =>
        putRequest({
          ...complaintKeys.item(c.complaint_id),
          gsi1pk: complaintKeys.monthGsi1pk(c.received_at.slice(0, 7)),
          gsi1sk: complaintKeys.gsi1sk(c.dealer_code, c.received_at, c.complaint_id),
          ...c,
        }),
      ),
    );
  }

  async received(from: string, to: string, dealer?: string): Promise<Complaint[]> {
    const found: Complaint[] = [];
    for (let month = from; month <= to; month = nextPeriod(month)) {
      for await (const item of queryAll(this.client, {
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: dealer === undefined ? 'gsi1pk = :pk' : 'gsi1pk = :pk AND begins_with(gsi1sk, :dealer)',
        ExpressionAttributeValues: { ':pk': complaintKeys.monthGsi1pk(month), ...(dealer === undefined ? {} : { ':dealer': complaintKeys.dealerGsi1Prefix(dealer) }) },
      })) {
        found.push(complaintOf(item));
      }
    }
    return found.sort(byDealerAndTime);
  }
}

function complaintOf(item: Record<string, unknown>): Complaint {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...complaint } = item;
  return complaint as unknown as Complaint;
}
