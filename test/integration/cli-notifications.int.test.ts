import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { backoffice } from '../helpers/cli.js';
import { ledgerWorkbook, masterWorkbook, repairRow, reportWorkbook, shipmentRow } from '../helpers/reports.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-notices-'));
  await writeFile(join(dir, 'master.xlsx'), await masterWorkbook({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS }));
  await writeFile(join(dir, 'bad.xlsx'), await reportWorkbook('repair', [repairRow({ completed_date: 'soon' })]));
  expect((await backoffice(dir, 'master', 'import', join(dir, 'master.xlsx'))).code).toBe(0);
}, 240_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('backoffice notifications list', () => {
  it('lists the messages sent to a dealer, with the .eml in the data directory’s outbox', async () => {
    // Act
    const ingest = await backoffice(dir, 'ingest', join(dir, 'bad.xlsx'), '--type', 'repair', '--dealer', 'D001', '--period', '2026-10', '--json');
    const listed = await backoffice(dir, 'notifications', 'list', '--to', 'D001', '--json');
    // Assess
    expect(ingest.code).toBe(1);
    expect(listed.code).toBe(0);
    const messages = JSON.parse(listed.stdout);
    expect(messages).toEqual([expect.objectContaining({ kind: 'upload_checked', to: 'D001', subject_zh: expect.stringContaining('退回'), mail: expect.objectContaining({ status: 'sent', to: ['service@d001.dealer.example'] }) })]);
    const outbox = await readdir(join(dir, 'data', 'outbox'));
    expect(outbox.filter((f) => f.endsWith('.eml'))).toHaveLength(1);
  }, 240_000);

  it('lists the admin’s messages, and refuses a dealer the master data does not have', async () => {
    const admin = await backoffice(dir, 'notifications', 'list', '--to', 'admin', '--json');
    const unknown = await backoffice(dir, 'notifications', 'list', '--to', 'D999');
    const usage = await backoffice(dir, 'notifications', 'list', '--to', 'not a code');
    expect(admin.code).toBe(0);
    expect(JSON.parse(admin.stdout).map((m: { kind: string }) => m.kind)).toEqual(['upload_checked']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('D999');
    expect(usage.code).toBe(2);
  }, 240_000);

  it('runs the deadline job now: a lot due in 5 days is told to its dealer once, however often it runs', async () => {
    // Prepare: D002's window is 45 days, so a loan shipped on 2026-09-25 is due on 2026-11-09
    await writeFile(join(dir, 'shipments.xlsx'), await ledgerWorkbook('shipments', [shipmentRow({ shipment_id: 'S-CLI', dealer_code: 'D002', shipped_date: '2026-09-25', qty: 2 })]));
    expect((await backoffice(dir, 'ingest', join(dir, 'shipments.xlsx'), '--type', 'shipments')).code).toBe(0);
    // Act
    const first = await backoffice(dir, 'notifications', 'deadlines', '--as-of', '2026-11-04', '--json');
    const again = await backoffice(dir, 'notifications', 'deadlines', '--as-of', '2026-11-04', '--json');
    const listed = await backoffice(dir, 'notifications', 'list', '--to', 'D002', '--json');
    // Assess
    expect(JSON.parse(first.stdout).messages).toEqual([expect.objectContaining({ recipient: 'D002', created: true, mail: 'sent' })]);
    expect(JSON.parse(again.stdout).messages).toEqual([expect.objectContaining({ recipient: 'D002', created: false, mail: 'sent' })]);
    const due = JSON.parse(listed.stdout).filter((m: { kind: string }) => m.kind === 'lots_due');
    expect(due).toHaveLength(1);
    expect(due[0].body).toContain('lot S-CLI/1, due 2026-11-09 (5 day(s) left)');
  }, 240_000);
});
