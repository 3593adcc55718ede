import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DisputeStore } from '../app/ports.js';
import type { Dispute } from '../domain/disputes.js';
import { queryAll } from './batch.js';
import { isConditionFailure } from './dynamo-errors.js';
import { dealerPk, disputeKeys } from './keys.js';

/**
 * Disputes in the dealer's partition, every dealer's listed through GSI1 for the manager's
 * queue. A line is disputed once (the write needs the key free) and decided on the version
 * read, so two managers deciding at once cannot both decide.
 */
export class DynamoDisputeStore implements DisputeStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async find(dealer: string, invoice_no: string, line: number): Promise<Dispute | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: disputeKeys.item(dealer, invoice_no, line), ConsistentRead: true }));
    return Item === undefined ? undefined : disputeOf(Item);
  }

  async create(dispute: Dispute): Promise<'created' | 'exists'> {
    return (await this.put(dispute, { ConditionExpression: 'attribute_not_exists(pk)' })) ? 'created' : 'exists';
  }

  async replace(dispute: Dispute): Promise<'updated' | 'conflict'> {
    const condition = { ConditionExpression: '#version = :read', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':read': dispute.version - 1 } };
    return (await this.put(dispute, condition)) ? 'updated' : 'conflict';
  }

  private async put(dispute: Dispute, condition: Record<string, unknown>): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...disputeKeys.item(dispute.dealer, dispute.invoice_no, dispute.line),
            gsi1pk: disputeKeys.queueGsi1pk,
            gsi1sk: disputeKeys.gsi1sk(dispute.raised_at, dispute.dealer, dispute.invoice_no, dispute.line),
            ...dispute,
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

  async list(dealer?: string): Promise<Dispute[]> {
    const found: Dispute[] = [];
    const query =
      dealer === undefined
        ? { TableName: this.table, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': disputeKeys.queueGsi1pk } }
        : { TableName: this.table, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': dealerPk(dealer), ':prefix': disputeKeys.prefix } };
    for await (const item of queryAll(this.client, query)) found.push(disputeOf(item));
    return found.sort(byRaised);
  }
}

export const byRaised = (a: Dispute, b: Dispute): number =>
  a.raised_at < b.raised_at ? -1 : a.raised_at > b.raised_at ? 1 : `${a.dealer}#${a.invoice_no}#${a.line}` < `${b.dealer}#${b.invoice_no}#${b.line}` ? -1 : 1;

function disputeOf(item: Record<string, unknown>): Dispute {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...dispute } = item;
  return dispute as unknown as Dispute;
}
