import { beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/compose.js';
import { DynamoReportStore } from '../../shared/store/dynamo-report-store.js';
import type { ReportTarget, VersionItem } from '../../shared/app/ports.js';
import { freshStack } from '../helpers/local-stack.js';

const target: ReportTarget = { dealer: 'D001', type: 'installation', period: '2026-10' };
const summary = (source: string) => ({ received_at: '2026-11-02T10:00:00.000Z', late: false, counts: { rows: 1, records: 1, part_lines: 0 }, source });
const rows = (n: number, tag: string): VersionItem[] =>
  Array.from({ length: n }, (_, i) => ({ sk: `INSTALL#${i}`, attributes: { tag } }));

async function readAll(store: DynamoReportStore, version: number): Promise<VersionItem[]> {
  const out: VersionItem[] = [];
  for await (const item of store.readItems(target, version)) out.push(item);
  return out;
}

describe('report versions in DynamoDB Local', () => {
  let store: DynamoReportStore;
  beforeAll(async () => {
    const config = await freshStack();
    store = new DynamoReportStore(createDocumentClient(config), config.tableName);
  });

  it('makes a version current only when it is committed, whatever its size', async () => {
    // Prepare
    const { version } = await store.claim('upload-a', target, '2026-11-02T10:00:00.000Z');
    await store.writeItems(target, version, rows(260, 'a'));
    // Assess: written but not yet current
    expect(await store.currentVersion(target)).toBeUndefined();
    // Act
    expect(await store.commit(target, version, summary('upload-a'))).toBe('current');
    // Assess
    expect((await store.currentVersion(target))?.version).toBe(version);
    expect(await readAll(store, version)).toHaveLength(260);
  });

  it('gives the same upload the same version when it is claimed again', async () => {
    const first = await store.claim('upload-b', target, '2026-11-02T10:00:00.000Z');
    const again = await store.claim('upload-b', target, '2026-11-02T10:00:00.000Z');
    expect(again).toEqual({ version: first.version, resumed: true });
  });

  it('keeps the newer version current when an older one commits late', async () => {
    const older = await store.claim('upload-c', target, '2026-11-02T10:00:00.000Z');
    const newer = await store.claim('upload-d', target, '2026-11-02T10:00:01.000Z');
    expect(await store.commit(target, newer.version, summary('upload-d'))).toBe('current');
    expect(await store.commit(target, older.version, summary('upload-c'))).toBe('superseded');
    expect((await store.currentVersion(target))?.version).toBe(newer.version);
  });

  it('removes a discarded version and leaves the current one intact', async () => {
    const current = await store.currentVersion(target);
    const { version } = await store.claim('upload-e', target, '2026-11-02T10:00:00.000Z');
    await store.writeItems(target, version, rows(30, 'e'));
    await store.discard(target, version, summary('upload-e'));
    expect(await readAll(store, version)).toHaveLength(0);
    expect((await store.currentVersion(target))?.version).toBe(current?.version);
    const statuses = Object.fromEntries((await store.versions(target)).map((v) => [v.version, v.status]));
    expect(statuses[version]).toBe('rejected');
  });
});
