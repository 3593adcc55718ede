import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MasterStore } from '../app/ports.js';
import type { Dealer, MasterData, PartPrice, Product } from '../domain/master.js';
import { batchWrite, putRequest } from './batch.js';
import { queryAll } from './batch.js';
import { masterKeys, PARTITION } from './keys.js';

/**
 * Master data under one partition (`MASTER` / `DEALER#D001`, `PRODUCT#M1`,
 * `PART#P1#2026-01-01`), and its version (`MASTER` / `VERSION`), raised by every save.
 *
 * The partition is read whole once per store instance, which is once per Lambda container
 * (`compose()` keeps one back office) or per back office: later loads read only the version
 * item (one GetItem) and read the partition again when it has changed, so an import made
 * through any other container is seen at the next call. Callers share the loaded maps and
 * must not change them.
 */
export class DynamoMasterStore implements MasterStore {
  private cached: { readonly version: number; readonly data: MasterData } | undefined;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async load(): Promise<MasterData> {
    const version = await this.version();
    if (this.cached?.version === version) return this.cached.data;
    const data = await this.loadAll();
    // Keyed by the version read before the data: an import that lands meanwhile raises it, and the next call reads again.
    this.cached = { version, data };
    return data;
  }

  /** Master data written before versions were kept reads as version 0, until the next import. */
  private async version(): Promise<number> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: masterKeys.version, ConsistentRead: true }));
    return Number(Item?.version ?? 0);
  }

  private async loadAll(): Promise<MasterData> {
    const dealers = new Map<string, Dealer>();
    const products = new Map<string, Product>();
    const parts = new Map<string, PartPrice[]>();
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': PARTITION.master },
    })) {
      const { pk: _pk, sk, ...record } = item;
      const kind = masterKeys.kindOf(String(sk));
      if (kind === 'DEALER') {
        const dealer = record as unknown as Dealer;
        dealers.set(dealer.dealer_code, dealer);
      } else if (kind === 'PRODUCT') {
        const product = record as unknown as Product;
        products.set(product.product_model, product);
      } else if (kind === 'PART') {
        const price = record as unknown as PartPrice;
        const list = parts.get(price.part_code) ?? [];
        list.push(price);
        parts.set(price.part_code, list);
      }
    }
    for (const list of parts.values()) list.sort((a, b) => a.valid_from.localeCompare(b.valid_from));
    return { dealers, products, parts };
  }

  async save(changes: { dealers: readonly Dealer[]; products: readonly Product[]; parts: readonly PartPrice[] }): Promise<void> {
    const requests = [
      ...changes.dealers.map((d) => putRequest({ ...masterKeys.dealer(d.dealer_code), ...d })),
      ...changes.products.map((p) => putRequest({ ...masterKeys.product(p.product_model), ...p })),
      ...changes.parts.map((p) => putRequest({ ...masterKeys.part(p.part_code, p.valid_from), ...p })),
    ];
    await batchWrite(this.client, this.table, requests);
    // After the records, so a reader that sees the new version reads them.
    await this.client.send(
      new UpdateCommand({ TableName: this.table, Key: masterKeys.version, UpdateExpression: 'ADD version :one', ExpressionAttributeValues: { ':one': 1 } }),
    );
  }
}
