import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/compose.js';
import { DynamoReportStore } from '../../shared/store/dynamo-report-store.js';
import { unpackRows } from '../../shared/store/packed-rows.js';
import type { ReportItem, ReportTarget } from '../../shared/app/ports.js';
import { freshStack } from '../helpers/local-stack.js';
import { installation, inWarranty, partLine, repair } from '../contract/fixtures.js';

// What every report store does is in test/contract/report-store.contract.ts; this is how the DynamoDB one lays its items out.

const summary = { received_at: '2026-11-02T10:00:00.000Z', late: false, counts: { rows: 1, records: 1, part_lines: 0 }, source: 'upload-a' };
const TTL_DAYS = 7;

describe('report items in DynamoDB Local', () => {
  let client: DynamoDBDocumentClient;
  let table: string;
  let store: DynamoReportStore;
  beforeAll(async () => {
    const config = await freshStack();
    client = createDocumentClient(config);
    table = config.tableName;
    store = new DynamoReportStore(client, table, TTL_DAYS);
  });

  const rawItems = async (pk: string) =>
    (await client.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }))).Items ?? [];
  const readAll = async (target: ReportTarget, version: number, from: DynamoReportStore = store) => {
    const out: ReportItem[] = [];
    for await (const item of from.readItems(target, version)) out.push(item);
    return out;
  };

  it("packs a version's rows, many to an item, in the version's own partition under the sheet row each pack begins with", async () => {
    // Prepare
    const target: ReportTarget = { dealer: 'D001', type: 'repair', period: '2026-10' };
    const { version } = await store.claim('upload-a', target, summary.received_at);
    const [theRepair, thePart, theInstallation] = [repair('RP-1', inWarranty, 9), partLine('RP-1', 9), installation({}, 3)];
    // Act
    await store.writeItems(target, version, [theRepair, thePart, theInstallation]);
    await store.commit(target, version, summary);
    // Assess: one pack, rows in order, each row's entities as written
    const pk = 'DEALER#D001#REPORT#repair#2026-10#V000001';
    const packs = await rawItems(pk);
    expect(packs).toEqual([{ pk, sk: 'ROWS#0000003', packed: expect.any(Uint8Array) }]);
    expect(unpackRows(packs[0]!.packed as Uint8Array)).toEqual([[theInstallation], [theRepair, thePart]]);
    const pointer = (await rawItems('DEALER#D001')).find((item) => item.sk === 'REPORT#repair#2026-10');
    expect(pointer).toMatchObject({ current_version: 1, gsi1pk: 'PERIOD#2026-10', gsi1sk: 'REPORT#repair#D001', dealer: 'D001', report_type: 'repair', period: '2026-10' });
    const versionItem = (await rawItems('DEALER#D001')).find((item) => item.sk === 'REPORT#repair#2026-10#V000001');
    expect(versionItem).toMatchObject({ version: 1, status: 'accepted', source: 'upload-a' });
    expect(await rawItems('SUBMISSION#upload-a')).toEqual([expect.objectContaining({ sk: 'SUBMISSION', version: 1, dealer: 'D001' })]);
  });

  it('writes a large report as a few packs, each begun by its first sheet row', async () => {
    // Prepare: 3,000 rows of about 600 bytes of JSON each
    const target: ReportTarget = { dealer: 'D002', type: 'installation', period: '2026-10' };
    const { version } = await store.claim('upload-large', target, summary.received_at);
    const rows = Array.from({ length: 3_000 }, (_, i) => installation({ install_id: `L-${i}`, serial_no: `SN-L-${i}`, remarks: 'x'.repeat(400) }, i + 2));
    // Act
    await store.writeItems(target, version, rows);
    // Assess
    const packs = await rawItems('DEALER#D002#REPORT#installation#2026-10#V000001');
    expect(packs.length).toBeGreaterThan(1);
    expect(packs.length).toBeLessThan(10);
    expect(packs.map((p) => p.sk)).toEqual(packs.map((p) => `ROWS#${String(unpackRows<ReportItem[]>(p.packed as Uint8Array)[0]![0]!.row).padStart(7, '0')}`));
    expect(packs[0]!.sk).toBe('ROWS#0000002');
  });

  it('still reads a version written one item per entity, before rows were packed', async () => {
    // Prepare: the items as the earlier layout stored them
    const target: ReportTarget = { dealer: 'D003', type: 'repair', period: '2026-09' };
    const { version } = await store.claim('upload-old', target, summary.received_at);
    const [theRepair, thePart] = [repair('RP-OLD', inWarranty, 4), partLine('RP-OLD', 4)];
    const pk = 'DEALER#D003#REPORT#repair#2026-09#V000001';
    const old = [
      { pk, sk: 'PART#RP-OLD#0000004', entity: 'part_line', row: 4, repair_id: 'RP-OLD', part_code: 'P-VALVE-01', part_qty: 1, ...inWarranty },
      { pk, sk: 'REPAIR#RP-OLD', entity: 'repair', row: 4, ...(theRepair.kind === 'repair' ? theRepair.record : {}), ...inWarranty },
    ];
    for (const Item of old) await client.send(new PutCommand({ TableName: table, Item }));
    await store.commit(target, version, summary);
    // Act
    const read = await readAll(target, version);
    const records = await store.repairRecords('D003', ['RP-OLD']);
    // Assess
    expect(read).toEqual([thePart, theRepair]);
    expect(records.get('RP-OLD')).toEqual(theRepair.kind === 'repair' ? theRepair.record : undefined);
  });

  it("lets DynamoDB's TTL remove a superseded version's rows after the configured days, and keeps the current version's", async () => {
    // Prepare
    const target: ReportTarget = { dealer: 'D004', type: 'installation', period: '2026-10' };
    const first = await store.claim('upload-first', target, summary.received_at);
    await store.writeItems(target, first.version, [installation({ install_id: 'IN-A' }, 2)]);
    await store.commit(target, first.version, summary);
    const second = await store.claim('upload-second', target, summary.received_at);
    await store.writeItems(target, second.version, [installation({ install_id: 'IN-B' }, 2)]);
    const late = await store.claim('upload-late', target, summary.received_at);
    await store.writeItems(target, late.version, [installation({ install_id: 'IN-C' }, 2)]);
    const before = Math.floor(Date.now() / 1000);
    // Act: the third becomes current, then the second commits late and is superseded at once
    await store.commit(target, late.version, summary);
    await store.commit(target, second.version, summary);
    // Assess
    const after = Math.floor(Date.now() / 1000);
    const expiry = async (version: number) => (await rawItems(`DEALER#D004#REPORT#installation#2026-10#V00000${version}`)).map((item) => item.expires_at);
    const inTtlDays = { asymmetricMatch: (at: unknown) => typeof at === 'number' && at >= before + TTL_DAYS * 86_400 && at <= after + TTL_DAYS * 86_400 };
    expect(await expiry(first.version)).toEqual([inTtlDays]);
    expect(await expiry(second.version)).toEqual([inTtlDays]);
    expect(await expiry(late.version)).toEqual([undefined]);
    expect((await store.versions(target)).map((v) => v.status)).toEqual(['superseded', 'superseded', 'accepted']);
  });

  describe('a version spread over shards', () => {
    // Shards from sheet row 100 on, four of them, so that a thousand rows show the layout.
    const shardsFromRow100 = { fromRow: 100, shards: 4 };
    let sharded: DynamoReportStore;
    beforeAll(() => {
      sharded = new DynamoReportStore(client, table, TTL_DAYS, shardsFromRow100);
    });
    /** Rows 2 to 1,001, written 50 at a time as an upload does: twenty packs. */
    const writeThousandRows = async (target: ReportTarget, version: number): Promise<ReportItem[]> => {
      const rows = Array.from({ length: 1_000 }, (_, i) => installation({ install_id: `S-${i}`, serial_no: `SN-S-${i}` }, i + 2));
      for (let i = 0; i < rows.length; i += 50) await sharded.writeItems(target, version, rows.slice(i, i + 50));
      return rows;
    };
    const shardPks = (pk: string) => Array.from({ length: 4 }, (_, n) => `${pk}#S0${n}`);

    it('keeps the packs before the first sharded row in the version partition, spreads the later ones over every shard, and says so there', async () => {
      // Prepare
      const target: ReportTarget = { dealer: 'D005', type: 'installation', period: '2026-10' };
      const { version } = await sharded.claim('upload-sharded', target, summary.received_at);
      const pk = 'DEALER#D005#REPORT#installation#2026-10#V000001';
      // Act
      const rows = await writeThousandRows(target, version);
      await sharded.commit(target, version, summary);
      // Assess
      expect((await rawItems(pk)).map((item) => item.sk)).toEqual(['ROWS#0000002', 'ROWS#0000052', 'SHARDS']);
      expect((await rawItems(pk)).at(-1)).toEqual({ pk, sk: 'SHARDS', shards: 4 });
      const perShard = await Promise.all(shardPks(pk).map(async (shard) => (await rawItems(shard)).length));
      expect(perShard.every((packs) => packs >= 2)).toBe(true);
      expect(perShard.reduce((sum, packs) => sum + packs, 0)).toBe(18);
      expect(await readAll(target, version, sharded)).toEqual(rows);
    });

    it('removes every shard of a discarded version, the announcement last', async () => {
      // Prepare
      const target: ReportTarget = { dealer: 'D006', type: 'installation', period: '2026-10' };
      const { version } = await sharded.claim('upload-sharded-discarded', target, summary.received_at);
      const pk = 'DEALER#D006#REPORT#installation#2026-10#V000001';
      await writeThousandRows(target, version);
      // Act
      await sharded.discard(target, version, summary);
      // Assess
      for (const partition of [pk, ...shardPks(pk)]) expect(await rawItems(partition)).toEqual([]);
      expect((await sharded.versions(target)).map((v) => v.status)).toEqual(['rejected']);
    });

    it('gives every shard of a superseded version its expiry, and the announcement too', async () => {
      // Prepare
      const target: ReportTarget = { dealer: 'D007', type: 'installation', period: '2026-10' };
      const first = await sharded.claim('upload-sharded-first', target, summary.received_at);
      await writeThousandRows(target, first.version);
      await sharded.commit(target, first.version, summary);
      const second = await sharded.claim('upload-sharded-second', target, summary.received_at);
      // Act
      await sharded.commit(target, second.version, summary);
      // Assess
      const pk = 'DEALER#D007#REPORT#installation#2026-10#V000001';
      const items = (await Promise.all([pk, ...shardPks(pk)].map(rawItems))).flat();
      expect(items).toHaveLength(21);
      expect(items.every((item) => typeof item.expires_at === 'number')).toBe(true);
    });
  });
});
