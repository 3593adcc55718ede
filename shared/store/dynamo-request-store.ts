import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RequestStore } from '../app/ports.js';
import type { MaterialRequest } from '../domain/request.js';
import { queryAll } from './batch.js';
import { isConditionFailure } from './dynamo-errors.js';
import { dealerPk, requestKeys } from './keys.js';

const toItem = (request: MaterialRequest): Record<string, unknown> => ({
  ...requestKeys.request(request.dealer_code, request.request_id),
  gsi1pk: requestKeys.gsi1pk,
  gsi1sk: requestKeys.gsi1sk(request.request_id, request.dealer_code),
  request,
});

const byId = (a: MaterialRequest, b: MaterialRequest): number =>
  a.request_id < b.request_id ? -1 : a.request_id > b.request_id ? 1 : a.dealer_code < b.dealer_code ? -1 : a.dealer_code > b.dealer_code ? 1 : 0;

/**
 * Material requests, one item each under its dealer (`DEALER#D001` / `REQUEST#R-1`), the
 * request whole in one attribute: every change is one conditional put on its version, so two
 * deciders of one request cannot both write what they read.
 */
export class DynamoRequestStore implements RequestStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(request: MaterialRequest): Promise<'created' | 'exists'> {
    try {
      await this.client.send(new PutCommand({ TableName: this.table, Item: toItem({ ...request, version: 1 }), ConditionExpression: 'attribute_not_exists(pk)' }));
      return 'created';
    } catch (error) {
      if (isConditionFailure(error)) return 'exists';
      throw error;
    }
  }

  async find(dealer: string, request_id: string): Promise<MaterialRequest | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: requestKeys.request(dealer, request_id), ConsistentRead: true }));
    return Item?.request as MaterialRequest | undefined;
  }

  async findById(request_id: string): Promise<MaterialRequest[]> {
    const found: MaterialRequest[] = [];
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: { ':pk': requestKeys.gsi1pk, ':prefix': requestKeys.gsi1IdPrefix(request_id) },
    })) {
      const request = item.request as MaterialRequest;
      // The index is read eventually consistent: the request itself is read again.
      if (request.request_id !== request_id) continue;
      const current = await this.find(request.dealer_code, request_id);
      if (current !== undefined) found.push(current);
    }
    return found.sort(byId);
  }

  async save(request: MaterialRequest): Promise<'updated' | 'conflict'> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: toItem({ ...request, version: request.version + 1 }),
          ConditionExpression: '#request.#version = :read',
          ExpressionAttributeNames: { '#request': 'request', '#version': 'version' },
          ExpressionAttributeValues: { ':read': request.version },
        }),
      );
      return 'updated';
    } catch (error) {
      if (isConditionFailure(error)) return 'conflict';
      throw error;
    }
  }

  async list(dealer?: string): Promise<MaterialRequest[]> {
    const query =
      dealer === undefined
        ? { TableName: this.table, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': requestKeys.gsi1pk } }
        : { TableName: this.table, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': dealerPk(dealer), ':prefix': requestKeys.prefix }, ConsistentRead: true };
    const found: MaterialRequest[] = [];
    for await (const item of queryAll(this.client, query)) found.push(item.request as MaterialRequest);
    return found.sort(byId);
  }
}
