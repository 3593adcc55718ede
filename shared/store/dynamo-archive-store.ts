import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { archiveKey, type ArchiveEntry, type ArchiveStore } from '../app/ports.js';
import { batchGet, batchWrite, putRequest } from './batch.js';
import { archiveItemKey as keyOf } from './keys.js';

/** The end-user archive (`PRODUCT#<model>` / `SERIAL#<serial>`), one entry per installed product. */
export class DynamoArchiveStore implements ArchiveStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async find(keys: ReadonlyArray<{ product_model: string; serial_no: string }>): Promise<Map<string, ArchiveEntry>> {
    const unique = new Map(keys.map((k) => [archiveKey(k.product_model, k.serial_no), keyOf(k.product_model, k.serial_no)]));
    const items = await batchGet(this.client, this.table, [...unique.values()]);
    const found = new Map<string, ArchiveEntry>();
    for (const item of items) {
      const { pk: _pk, sk: _sk, ...entry } = item;
      const archived = entry as unknown as ArchiveEntry;
      found.set(archiveKey(archived.product_model, archived.serial_no), archived);
    }
    return found;
  }

  async put(entries: readonly ArchiveEntry[]): Promise<void> {
    await batchWrite(
      this.client,
      this.table,
      entries.map((e) => putRequest({ ...keyOf(e.product_model, e.serial_no), ...e })),
    );
  }
}
