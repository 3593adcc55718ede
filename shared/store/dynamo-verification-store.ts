import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { VerificationStore } from '../app/ports.js';
import type { VerificationCall } from '../domain/verification.js';
import { forEachLimited } from '../app/concurrency.js';
import { dealerRangeOf, queryAll } from './batch.js';

/** Items given their index entry at once by `indexMonth`. */
const INDEX_WRITES_IN_FLIGHT = 8;
import { isConditionFailure } from './dynamo-errors.js';
import { verificationKeys } from './keys.js';

/**
 * The maker's calls, one item per dealer, month and repair in the dealer's partition. Every
 * write is conditional on the version read, so two people recording one repair's call at once
 * cannot overwrite each other: the second is told, reads again and replaces with history.
 */
export class DynamoVerificationStore implements VerificationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async calls(dealer: string, period: string): Promise<VerificationCall[]> {
    const found: VerificationCall[] = [];
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': verificationKeys.call(dealer, period, '').pk, ':prefix': verificationKeys.monthPrefix(period) },
      // A month score kept after a call's write reads the calls here, and must see it (shared/app/quality/month-scores.ts).
      ConsistentRead: true,
    })) {
      found.push(callOf(item));
    }
    return found;
  }

  async monthCalls(period: string, first: string, last: string): Promise<VerificationCall[]> {
    return dealerRangeOf(this.client, this.table, verificationKeys.monthGsi1pk(period), { first, last }, callOf);
  }

  async find(dealer: string, period: string, repair_id: string): Promise<VerificationCall | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: verificationKeys.call(dealer, period, repair_id), ConsistentRead: true }));
    return Item === undefined ? undefined : callOf(Item);
  }

  async indexMonth(dealer: string, period: string): Promise<number> {
    const stored = await this.calls(dealer, period);
    await forEachLimited(stored, INDEX_WRITES_IN_FLIGHT, async (call) => {
      const { gsi1pk, gsi1sk } = callIndex(call);
      await this.client
        .send(new UpdateCommand({ TableName: this.table, Key: verificationKeys.call(call.dealer, call.period, call.repair_id), UpdateExpression: 'SET gsi1pk = :gpk, gsi1sk = :gsk', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':gpk': gsi1pk, ':gsk': gsi1sk } }))
        .catch((error: unknown) => {
          if (!isConditionFailure(error)) throw error;
        });
    });
    return stored.length;
  }

  async save(call: VerificationCall): Promise<'saved' | 'conflict'> {
    const condition =
      call.version === 1
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: '#version = :read', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':read': call.version - 1 } };
    try {
      await this.client.send(new PutCommand({ TableName: this.table, Item: { ...verificationKeys.call(call.dealer, call.period, call.repair_id), ...callIndex(call), ...call }, ...condition }));
      return 'saved';
    } catch (error) {
      if (isConditionFailure(error)) return 'conflict';
      throw error;
    }
  }
}

/** Where the call is listed among the month's calls of every dealer. */
export const callIndex = (call: Pick<VerificationCall, 'dealer' | 'period' | 'repair_id'>) => ({ gsi1pk: verificationKeys.monthGsi1pk(call.period), gsi1sk: verificationKeys.gsi1sk(call.dealer, call.repair_id) });

function callOf(item: Record<string, unknown>): VerificationCall {
  const { pk: _pk, sk: _sk, gsi1pk: _gpk, gsi1sk: _gsk, ...call } = item;
  return call as unknown as VerificationCall;
}
