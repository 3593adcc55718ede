import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KeptScore, ScoreStore } from '../app/ports.js';
import type { Scorecard } from '../domain/scorecard.js';
import type { VerifiedFigures } from '../domain/verification.js';
import { queryAll } from './batch.js';
import { isConditionFailure } from './dynamo-errors.js';
import { scoreKeys } from './keys.js';

/**
 * Each dealer's month score, one item in the dealer's partition, listed worst first in GSI1 by
 * its rank: a new rank is an update of that item, so the index never holds two entries of one
 * dealer's month. Every write is a put conditioned on the stamp the writer read.
 */
export class DynamoScoreStore implements ScoreStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async find(dealer: string, period: string): Promise<{ score: KeptScore | undefined; stamp: number }> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: scoreKeys.item(dealer, period), ConsistentRead: true }));
    return { score: Item === undefined ? undefined : scoreOf(Item), stamp: Item === undefined ? 0 : Number(Item.stamp) };
  }

  async save(dealer: string, period: string, score: KeptScore | undefined, stamp: number): Promise<'saved' | 'conflict'> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: scoreItem(dealer, period, score, stamp + 1),
          ...(stamp === 0 ? { ConditionExpression: 'attribute_not_exists(pk)' } : { ConditionExpression: 'stamp = :stamp', ExpressionAttributeValues: { ':stamp': stamp } }),
        }),
      );
      return 'saved';
    } catch (error) {
      if (isConditionFailure(error)) return 'conflict';
      throw error;
    }
  }

  async worstFirst(period: string, page: { readonly after?: string; readonly limit: number }): Promise<{ scores: KeptScore[]; more: boolean }> {
    const scores: KeptScore[] = [];
    // One more than the page tells whether there is a next; a query stops at 1 MB, so it may take another.
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      IndexName: 'gsi1',
      KeyConditionExpression: page.after === undefined ? 'gsi1pk = :pk' : 'gsi1pk = :pk AND gsi1sk > :after',
      ExpressionAttributeValues: { ':pk': scoreKeys.monthGsi1pk(period), ...(page.after === undefined ? {} : { ':after': page.after }) },
      Limit: page.limit + 1,
    })) {
      if (scores.length === page.limit) return { scores, more: true };
      scores.push(scoreOf(item)!);
    }
    return { scores, more: false };
  }

  async completeFrom(): Promise<string | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: scoreKeys.complete }));
    return Item === undefined ? undefined : String(Item.from);
  }

  async markComplete(from: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: scoreKeys.complete,
          UpdateExpression: 'SET #from = :from',
          ConditionExpression: 'attribute_not_exists(#from) OR #from > :from',
          ExpressionAttributeNames: { '#from': 'from' },
          ExpressionAttributeValues: { ':from': from },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}

/** The item of a dealer's kept month at `stamp`: listed in the month's ranks while it has a score. */
export function scoreItem(dealer: string, period: string, score: KeptScore | undefined, stamp: number): Record<string, unknown> {
  const listed = score === undefined ? {} : { card: score.card, verified: score.verified, rank: score.rank, gsi1pk: scoreKeys.monthGsi1pk(period), gsi1sk: score.rank };
  return { ...scoreKeys.item(dealer, period), dealer, period, stamp, ...listed };
}

function scoreOf(item: Record<string, unknown>): KeptScore | undefined {
  if (item.rank === undefined) return undefined;
  return { dealer: String(item.dealer), rank: String(item.rank), card: (item.card ?? null) as Scorecard | null, verified: (item.verified ?? null) as VerifiedFigures | null };
}
