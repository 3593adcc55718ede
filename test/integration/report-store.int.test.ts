import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/compose.js';
import { DynamoReportStore } from '../../shared/store/dynamo-report-store.js';
import type { ReportTarget } from '../../shared/app/ports.js';
import { freshStack } from '../helpers/local-stack.js';
import { installation, inWarranty, partLine, repair } from '../contract/fixtures.js';

// What every report store does is in test/contract/report-store.contract.ts; this is how the DynamoDB one lays its items out.

const summary = { received_at: '2026-11-02T10:00:00.000Z', late: false, counts: { rows: 1, records: 1, part_lines: 0 }, source: 'upload-a' };

describe('report items in DynamoDB Local', () => {
  let client: DynamoDBDocumentClient;
  let table: string;
  let store: DynamoReportStore;
  beforeAll(async () => {
    const config = await freshStack();
    client = createDocumentClient(config);
    table = config.tableName;
    store = new DynamoReportStore(client, table);
  });

  const rawItems = async (pk: string) =>
    (await client.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }))).Items ?? [];

  it("keeps each entity flat in the version's own partition, under a key made of its id (and a part line's sheet row)", async () => {
    // Prepare
    const target: ReportTarget = { dealer: 'D001', type: 'repair', period: '2026-10' };
    const { version } = await store.claim('upload-a', target, summary.received_at);
    const [theRepair, thePart, theInstallation] = [repair('RP-1', inWarranty, 9), partLine('RP-1', 9), installation({}, 3)];
    // Act
    await store.writeItems(target, version, [theRepair, thePart, theInstallation]);
    await store.commit(target, version, summary);
    // Assess
    const pk = 'DEALER#D001#REPORT#repair#2026-10#V000001';
    expect(await rawItems(pk)).toEqual([
      { pk, sk: 'INSTALL#IN-0001', entity: 'installation', row: 3, ...theInstallation.record },
      { pk, sk: 'PART#RP-1#0000009', entity: 'part_line', row: 9, repair_id: 'RP-1', part_code: 'P-VALVE-01', part_qty: 1, ...inWarranty },
      { pk, sk: 'REPAIR#RP-1', entity: 'repair', row: 9, ...(theRepair.kind === 'repair' ? theRepair.record : {}), ...inWarranty },
    ]);
    const pointer = (await rawItems('DEALER#D001')).find((item) => item.sk === 'REPORT#repair#2026-10');
    expect(pointer).toMatchObject({ current_version: 1, gsi1pk: 'PERIOD#2026-10', gsi1sk: 'REPORT#repair#D001', dealer: 'D001', report_type: 'repair', period: '2026-10' });
    const versionItem = (await rawItems('DEALER#D001')).find((item) => item.sk === 'REPORT#repair#2026-10#V000001');
    expect(versionItem).toMatchObject({ version: 1, status: 'accepted', source: 'upload-a' });
    expect(await rawItems('SUBMISSION#upload-a')).toEqual([expect.objectContaining({ sk: 'SUBMISSION', version: 1, dealer: 'D001' })]);
  });
});
