import ExcelJS from 'exceljs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { backoffice as run } from '../helpers/cli.js';
import { installationRow, ledgerWorkbook, masterWorkbook, reportWorkbook, returnRow, shipmentRow } from '../helpers/reports.js';

/**
 * The month's end as an outside script runs it through the command line (../shared/cli.md):
 * D001 kept 3 of 4 valves lent in July past their deadline (3 × ¥35.50), D002 kept a control
 * board (¥268.00); D001 sent its installation report on time and nothing else came in.
 */
let dir: string;
const backoffice = (...args: string[]) => run(dir, ...args);
const file = (name: string) => join(dir, name);

async function loadWorkbook(path: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await readFile(path)) as unknown as ArrayBuffer);
  return workbook;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'backoffice-month-end-'));
  await writeFile(file('master.xlsx'), await masterWorkbook({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS }));
  await writeFile(file('shipments.xlsx'), await ledgerWorkbook('shipments', [
    shipmentRow(),
    shipmentRow({ shipment_id: 'S2', shipped_date: '2026-08-01', dealer_code: 'D002', part_code: 'P-BOARD-02', qty: 1 }),
  ]));
  await writeFile(file('returns.xlsx'), await ledgerWorkbook('returns', [returnRow({ received_date: '2026-08-15' })]));
  await writeFile(file('installations.xlsx'), await reportWorkbook('installation', [installationRow()]));
  const setup = [
    await backoffice('master', 'import', file('master.xlsx')),
    await backoffice('ingest', file('shipments.xlsx'), '--type', 'shipments'),
    await backoffice('ingest', file('returns.xlsx'), '--type', 'returns'),
    await backoffice('ingest', file('installations.xlsx'), '--type', 'installation', '--dealer', 'D001', '--period', '2026-10', '--received-at', '2026-11-02T10:00:00+08:00'),
  ];
  expect(setup.map((r) => r.code)).toEqual([0, 0, 0, 0]);
}, 180_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('backoffice reconcile, invoices, stats and reminders', () => {
  it('reconciles the month into fee invoices, and a second run prints the same invoices and adds none', async () => {
    // Act
    const first = await backoffice('reconcile', '--period', '2026-10', '--as-of', '2026-11-05', '--json');
    const second = await backoffice('reconcile', '--period', '2026-10', '--as-of', '2026-11-05', '--json');

    // Assess
    expect(first.code).toBe(0);
    const json = JSON.parse(first.stdout);
    expect(json).toMatchObject({ period: '2026-10', as_of: '2026-11-05', outstanding: [], surplus: [] });
    // Dealers are reconciled a few at a time, so which one gets number 0001 is not fixed; the numbers have no gap.
    expect(json.invoices.map((i: { invoice_no: string }) => i.invoice_no).sort()).toEqual(['FY-2026-10-0001', 'FY-2026-10-0002']);
    expect([...json.invoices].sort((a, b) => (a.dealer < b.dealer ? -1 : 1))).toEqual([
      expect.objectContaining({
        dealer: 'D001', total: '106.50', total_in_words: '壹佰零陆元伍角',
        lines: [{ part_code: 'P-VALVE-01', qty: 3, unit_price: '35.50', amount: '106.50', reason: 'de_facto_possession',
          lot: { shipment_id: 'S1', shipped_date: '2026-07-10', due_date: '2026-09-08' } }],
      }),
      expect.objectContaining({ dealer: 'D002', total: '268.00', total_in_words: '贰佰陆拾捌元整' }),
    ]);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual(json);
  });

  it('lists the invoices of a period as drafts, and of one dealer', async () => {
    const all = await backoffice('invoices', 'list', '--period', '2026-10', '--json');
    const d002 = await backoffice('invoices', 'list', '--period', '2026-10', '--dealer', 'D002', '--json');

    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout).map((i: { invoice_no: string; status: string }) => [i.invoice_no, i.status])).toEqual([
      ['FY-2026-10-0001', 'draft'],
      ['FY-2026-10-0002', 'draft'],
    ]);
    expect(JSON.parse(d002.stdout)).toEqual([expect.objectContaining({ dealer: 'D002', total: '268.00' })]);
  });

  it('exports each invoice as a workbook that opens and shows the total in Chinese capitals', async () => {
    const { code } = await backoffice('invoices', 'export', '--out', file('invoices'), '--period', '2026-10');

    expect(code).toBe(0);
    const files = (await readdir(file('invoices'))).sort();
    expect(files).toEqual([expect.stringMatching(/^D001-FY-2026-10-000[12]\.xlsx$/), expect.stringMatching(/^D002-FY-2026-10-000[12]\.xlsx$/)]);
    const invoice = await loadWorkbook(join(file('invoices'), files[1] ?? ''));
    expect(JSON.stringify(invoice.worksheets[0]?.getSheetValues())).toContain('贰佰陆拾捌元整');
  });

  it('writes the reconciliation sheet of a month already reconciled, and refuses a date it was not reconciled at', async () => {
    const written = await backoffice('reconciliation', '--period', '2026-10', '--as-of', '2026-11-05', '--out', file('reconciliation.xlsx'));
    const notRun = await backoffice('reconciliation', '--period', '2026-10', '--as-of', '2026-11-06', '--out', file('none.xlsx'));

    expect(written.code).toBe(0);
    const sheet = (await loadWorkbook(file('reconciliation.xlsx'))).getWorksheet('盘点汇总 Summary');
    expect(JSON.stringify(sheet?.getSheetValues())).toMatch(/"D001".*"P-VALVE-01".*"D002".*"P-BOARD-02"/);
    expect(notRun.code).toBe(1);
    expect(notRun.stderr).toContain('reconcile --period 2026-10 --as-of 2026-11-06');
    expect(await readdir(dir)).not.toContain('none.xlsx');
  });

  it('writes the month statistics workbook', async () => {
    const { code } = await backoffice('stats', '--period', '2026-10', '--out', file('stats.xlsx'));

    expect(code).toBe(0);
    const stats = await loadWorkbook(file('stats.xlsx'));
    expect(stats.worksheets.length).toBeGreaterThan(1);
    expect(JSON.stringify(stats.worksheets.map((s) => s.getSheetValues()))).toContain('D001');
  });

  it('lists every report of the month still missing, and not the one that came in on time', async () => {
    const { code, stdout } = await backoffice('reminders', '--period', '2026-10', '--json');

    expect(code).toBe(0);
    const { follow_ups } = JSON.parse(stdout);
    expect(follow_ups.map((f: { dealer: string; type: string; status: string }) => `${f.dealer} ${f.type} ${f.status}`)).toEqual([
      'D001 repair missing',
      'D002 installation missing',
      'D002 repair missing',
      'D003 installation missing',
      'D003 repair missing',
    ]);
  });

  it('answers a date that is not one with exit status 2 and says how to write it', async () => {
    const { code, stderr } = await backoffice('reconcile', '--period', '2026-10', '--as-of', '5/11/2026');

    expect(code).toBe(2);
    expect(stderr).toContain('write it as 2026-11-05');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
