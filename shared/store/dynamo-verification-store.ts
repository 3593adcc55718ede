import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { VerificationStore } from '../app/ports.js';
import type { VerificationCall } from '../domain/verification.js';
import { queryAll } from './batch.js';
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
    })) {
      found.push(callOf(item));
    }
    return found;
  }

  async find(dealer: string, period: string, repair_id: string): Promise<VerificationCall | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: verificationKeys.call(dealer, period, repair_id), ConsistentRead: true }));
    return Item === undefined ? undefined : callOf(Item);
  }

  async save(call: VerificationCall): Promise<'saved' | 'conflict'> {
    const condition =
      call.version === 1
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: '#version = :read', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':read': call.version - 1 } };
    try {
      await this.client.send(new PutCommand({ TableName: this.table, Item: { ...verificationKeys.call(call.dealer, call.period, call.repair_id), ...call }, ...condition }));
      return 'saved';
    } catch (error) {
      if (isConditionFailure(error)) return 'conflict';
      throw error;
    }
  }
}

function callOf(item: Record<string, unknown>): VerificationCall {
  const { pk: _pk, sk: _sk, ...call } = item;
  return call as unknown as VerificationCall;
}
