import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { forEachLimited } from '../app/concurrency.js';
import { archiveKey, type ArchiveEntry, type ArchiveStore } from '../app/ports.js';
import { byHistoryOrder, latestInstallations, lookupTermsOf, servedBy, type ArchiveSearchBy, type FoundUnit, type UnitEvent, type UnitRef } from '../domain/archive-history.js';
import { batchGet, batchWrite, putRequest, queryAll } from './batch.js';
import { isConditionFailure } from './dynamo-errors.js';
import { archiveItemKey as keyOf, unitHistoryKeys } from './keys.js';

/** Conditional puts in flight at once for one report's installations. */
const PUT_CONCURRENCY = 8;

/**
 * The end-user archive: one entry per installed product (`PRODUCT#<model>` / `SERIAL#<serial>`),
 * and each unit's history with the lookup items that find it (shared/store/keys.ts, `unitHistoryKeys`).
 */
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

  /**
   * One conditional put per unit (a batch write cannot be conditioned): written only when the
   * unit has no entry or one installed on or before this one, so that an earlier month's report
   * archived after a later one never takes the unit back in time, whatever the order of writers.
   */
  async put(entries: readonly ArchiveEntry[]): Promise<void> {
    await forEachLimited(latestInstallations(entries), PUT_CONCURRENCY, async (entry) => {
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...keyOf(entry.product_model, entry.serial_no), ...entry },
            ConditionExpression: 'attribute_not_exists(pk) OR install_date <= :install_date',
            ExpressionAttributeValues: { ':install_date': entry.install_date },
          }),
        );
      } catch (error) {
        // A later installation is archived already: it stays.
        if (!isConditionFailure(error)) throw error;
      }
    });
  }

  async record(events: readonly UnitEvent[]): Promise<void> {
    // One BatchWriteItem may not name a key twice: the last event of a key, and each lookup item once.
    const items = new Map<string, Record<string, unknown>>();
    for (const event of events) {
      const pk = unitHistoryKeys.unitPk(event.product_model, event.serial_no);
      const sk = unitHistoryKeys.eventSk(event.kind, event.dealer_code, event.id);
      items.set(`${pk}\u0000${sk}`, { pk, sk, event });
      for (const { by, term } of lookupTermsOf(event)) {
        const lookup = { pk: unitHistoryKeys.lookupPk(by, term), sk: unitHistoryKeys.lookupSk(event.product_model, event.serial_no, event.dealer_code, event.kind) };
        items.set(`${lookup.pk}\u0000${lookup.sk}`, { ...lookup, product_model: event.product_model, serial_no: event.serial_no, dealer_code: event.dealer_code, kind: event.kind });
      }
    }
    await batchWrite(this.client, this.table, [...items.values()].map(putRequest));
  }

  async lookup(by: ArchiveSearchBy, normalisedTerm: string): Promise<FoundUnit[]> {
    const units = new Map<string, { product_model: string; serial_no: string; dealers: Set<string> }>();
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': unitHistoryKeys.lookupPk(by, normalisedTerm) },
    })) {
      const { product_model, serial_no, dealer_code, kind } = item as { product_model: string; serial_no: string; dealer_code: string; kind: UnitEvent['kind'] };
      const key = archiveKey(product_model, serial_no);
      const unit = units.get(key) ?? units.set(key, { product_model, serial_no, dealers: new Set() }).get(key)!;
      if (servedBy(kind)) unit.dealers.add(dealer_code);
    }
    return [...units.values()].map((u) => ({ product_model: u.product_model, serial_no: u.serial_no, dealers: [...u.dealers].sort() }));
  }

  async history(unit: UnitRef): Promise<UnitEvent[]> {
    const events: UnitEvent[] = [];
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
      ExpressionAttributeValues: { ':pk': unitHistoryKeys.unitPk(unit.product_model, unit.serial_no), ':events': unitHistoryKeys.eventPrefix },
    })) {
      events.push(item.event as UnitEvent);
    }
    return events.sort(byHistoryOrder);
  }
}
