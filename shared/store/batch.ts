import { BatchGetCommand, BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { forEachLimited } from '../app/concurrency.js';
import { backoff } from './backoff.js';

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

const BATCH_WRITE_MAX = 25;
const BATCH_GET_MAX = 100;
const MAX_ROUNDS = 12;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function writeBatch(client: DynamoDBDocumentClient, table: string, requests: WriteRequest[]): Promise<void> {
  let pending = requests;
  for (let round = 0; pending.length > 0; round++) {
    if (round >= MAX_ROUNDS) throw new Error(`DynamoDB left ${pending.length} writes unprocessed after ${MAX_ROUNDS} tries`);
    if (round > 0) await backoff(round, 25, 2_000);
    const result = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
    pending = (result.UnprocessedItems?.[table] ?? []) as WriteRequest[];
  }
}

/**
 * Writes many items with BatchWriteItem, 25 per request, several requests in flight, and
 * retries what DynamoDB leaves unprocessed with backoff. Not atomic: callers keep items
 * invisible (a version key range, a pointer written last) until everything is in.
 */
export async function batchWrite(
  client: DynamoDBDocumentClient,
  table: string,
  requests: readonly WriteRequest[],
  concurrency = 8,
): Promise<void> {
  await forEachLimited(chunks(requests, BATCH_WRITE_MAX), concurrency, (batch) => writeBatch(client, table, batch));
}

export const putRequest = (Item: Record<string, unknown>): WriteRequest => ({ PutRequest: { Item } });
export const deleteRequest = (Key: Record<string, unknown>): WriteRequest => ({ DeleteRequest: { Key } });

/** Reads many items by key with BatchGetItem, 100 per request, retrying unprocessed keys. */
export async function batchGet(
  client: DynamoDBDocumentClient,
  table: string,
  keys: readonly Record<string, unknown>[],
  concurrency = 4,
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  await forEachLimited(chunks(keys, BATCH_GET_MAX), concurrency, async (batch) => {
    let pending: Record<string, unknown>[] = batch;
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_ROUNDS) throw new Error(`DynamoDB left ${pending.length} reads unprocessed after ${MAX_ROUNDS} tries`);
      if (round > 0) await backoff(round, 25, 2_000);
      const result = await client.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending } } }));
      found.push(...((result.Responses?.[table] ?? []) as Record<string, unknown>[]));
      pending = (result.UnprocessedKeys?.[table]?.Keys ?? []) as Record<string, unknown>[];
    }
  });
  return found;
}

/** Pages through a query, yielding items as they come so that nothing large is held. */
export async function* queryAll(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
): AsyncGenerator<Record<string, unknown>> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) yield item;
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
}

/**
 * The items of one GSI1 partition (a month's index) belonging to the dealers `first` to `last`
 * (inclusive), whose sort keys begin with `<dealer>#`: `$` follows `#`, so the key range takes
 * every key of `last`; a code that merely begins with another (D0010 after D001) lies inside
 * the range too and is dropped by its dealer.
 */
export async function dealerRangeOf<T extends { readonly dealer: string }>(
  client: DynamoDBDocumentClient,
  table: string,
  gsi1pk: string,
  range: { readonly first: string; readonly last: string },
  read: (item: Record<string, unknown>) => T,
): Promise<T[]> {
  const { first, last } = range;
  const found: T[] = [];
  for await (const item of queryAll(client, {
    TableName: table,
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': gsi1pk, ':from': `${first}#`, ':to': `${last}$` },
  })) {
    const value = read(item);
    if (value.dealer >= first && value.dealer <= last) found.push(value);
  }
  return found;
}
