import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { UnboxingStore } from '../app/ports.js';
import type { UnboxingCase } from '../domain/unboxing.js';
import { queryAll } from './batch.js';
import { isConditionFailure } from './dynamo-errors.js';
import { dealerPk, unboxingKeys } from './keys.js';

/** Unboxing cases acted on, in the dealer's partition, each written on the version read. */
export class DynamoUnboxingStore implements UnboxingStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async cases(dealer: string, period: string): Promise<UnboxingCase[]> {
    const found: UnboxingCase[] = [];
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': dealerPk(dealer), ':prefix': unboxingKeys.monthPrefix(period) },
      ConsistentRead: true,
    })) {
      const { pk: _pk, sk: _sk, ...stored } = item;
      found.push(stored as unknown as UnboxingCase);
    }
    return found;
  }

  async save(c: UnboxingCase): Promise<'saved' | 'conflict'> {
    const condition =
      c.version === 1
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: '#version = :read', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':read': c.version - 1 } };
    try {
      await this.client.send(new PutCommand({ TableName: this.table, Item: { ...unboxingKeys.item(c.dealer, c.period, c.install_id), ...c }, ...condition }));
      return 'saved';
    } catch (error) {
      if (isConditionFailure(error)) return 'conflict';
      throw error;
    }
  }
}
