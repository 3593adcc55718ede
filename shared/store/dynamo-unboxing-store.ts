import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { UnboxingStore } from '../app/ports.js';
import type { UnboxingCase } from '../domain/unboxing.js';
import { forEachLimited } from '../app/concurrency.js';
import { dealerRangeOf, queryAll } from './batch.js';

/** Items given their index entry at once by `indexMonth`. */
const INDEX_WRITES_IN_FLIGHT = 8;
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
      found.push(caseOf(item));
    }
    return found;
  }

  async monthCases(period: string, first: string, last: string): Promise<UnboxingCase[]> {
    return dealerRangeOf(this.client, this.table, unboxingKeys.monthGsi1pk(period), { first, last }, caseOf);
  }

  async indexMonth(dealer: string, period: string): Promise<number> {
    const stored = await this.cases(dealer, period);
    await forEachLimited(stored, INDEX_WRITES_IN_FLIGHT, async (c) => {
      const { gsi1pk, gsi1sk } = caseIndex(c);
      await this.client
        .send(new UpdateCommand({ TableName: this.table, Key: unboxingKeys.item(c.dealer, c.period, c.install_id), UpdateExpression: 'SET gsi1pk = :gpk, gsi1sk = :gsk', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':gpk': gsi1pk, ':gsk': gsi1sk } }))
        .catch((error: unknown) => {
          if (!isConditionFailure(error)) throw error;
        });
    });
    return stored.length;
  }

  async save(c: UnboxingCase): Promise<'saved' | 'conflict'> {
    const condition =
      c.version === 1
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: '#version = :read', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':read': c.version - 1 } };
    try {
      await this.client.send(new PutCommand({ TableName: this.table, Item: { ...unboxingKeys.item(c.dealer, c.period, c.install_id), ...caseIndex(c), ...c }, ...condition }));
      return 'saved';
    } catch (error) {
      if (isConditionFailure(error)) return 'conflict';
      throw error;
    }
  }
}

/** Where the case is listed among the month's cases of every dealer. */
export const caseIndex = (c: Pick<UnboxingCase, 'dealer' | 'period' | 'install_id'>) => ({ gsi1pk: unboxingKeys.monthGsi1pk(c.period), gsi1sk: unboxingKeys.gsi1sk(c.dealer, c.install_id) });

function caseOf(item: Record<string, unknown>): UnboxingCase {
  const { pk: _pk, sk: _sk, gsi1pk: _gpk, gsi1sk: _gsk, ...stored } = item;
  return stored as unknown as UnboxingCase;
}
