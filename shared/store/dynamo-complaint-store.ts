import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ComplaintStore } from '../app/ports.js';
import { nextPeriod } from '../domain/dates.js';
import { byDealerAndTime, complaintFromStore, type Complaint } from '../domain/complaints.js';
import { batchGet, queryAll } from './batch.js';
import { isConditionFailure } from './dynamo-errors.js';
import { complaintKeys } from './keys.js';

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

  private async put(complaint: Complaint, condition: Record<string, unknown>): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...complaintKeys.item(complaint.complaint_id),
            gsi1pk: complaintKeys.monthGsi1pk(complaint.received_at.slice(0, 7)),
            gsi1sk: complaintKeys.gsi1sk(complaint.dealer_code, complaint.received_at, complaint.complaint_id),
            ...complaint,
          },
          ...condition,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
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
  return complaintFromStore(complaint);
}
