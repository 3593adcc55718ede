import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DesignHazardStore } from '../app/ports.js';
import type { DesignHazard } from '../domain/design-hazards.js';
import { queryAll } from './batch.js';
import { isConditionFailure } from './dynamo-errors.js';
import { dealerPk, hazardKeys } from './keys.js';

/** Design hazards in the dealer's partition, marked once, every dealer's listed through GSI1. */
export class DynamoDesignHazardStore implements DesignHazardStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(hazard: DesignHazard): Promise<'created' | 'exists'> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...hazardKeys.item(hazard.dealer, hazard.repair_id), gsi1pk: hazardKeys.listGsi1pk, gsi1sk: hazardKeys.gsi1sk(hazard.marked_at, hazard.dealer, hazard.repair_id), ...hazard },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (error) {
      if (isConditionFailure(error)) return 'exists';
      throw error;
    }
  }

  async list(dealer?: string): Promise<DesignHazard[]> {
    const query =
      dealer === undefined
        ? { TableName: this.table, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': hazardKeys.listGsi1pk } }
        : { TableName: this.table, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': dealerPk(dealer), ':prefix': hazardKeys.prefix } };
    const found: DesignHazard[] = [];
    for await (const item of queryAll(this.client, query)) {
      const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...hazard } = item;
      found.push(hazard as unknown as DesignHazard);
    }
    return found.sort(byMarked);
  }
}

export const byMarked = (a: DesignHazard, b: DesignHazard): number =>
  a.marked_at < b.marked_at ? -1 : a.marked_at > b.marked_at ? 1 : `${a.dealer}#${a.repair_id}` < `${b.dealer}#${b.repair_id}` ? -1 : 1;
