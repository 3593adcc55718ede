import ExcelJS from 'exceljs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { backoffice as run } from '../helpers/cli.js';
import { ledgerWorkbook, masterWorkbook, returnRow, shipmentRow } from '../helpers/reports.js';
import { requestRow, requestWorkbook } from '../helpers/requests.js';
import { atBusinessNoon } from '../helpers/business-clock.js';

/**
 * The month of issue 12 replayed through the command line (../shared/cli.md), valves at ¥35.50:
 *   S1: 2 valves to D001 shipped 2026-08-01 (due 09-30), charged as of 11-05 (¥71.00); the return
 *       received 09-20 is recorded afterwards → a credit note of -¥71.00 at the next run;
 *   S2: 5 valves typed for 2 shipped 2026-10-01 (due 11-30), corrected, returned 11-25 → never charged;
 *   S3: 1 seal (¥4.80) shipped 2026-08-15, recorded late → the second run amends the draft (¥75.80);
 *   S-ORPH: 1 valve to D003, charged, its return recorded late and credited; the form voided voids
 *       the credit note, and the next run does not make it again;
 *   R-REV-1: D002 asks for two boards (¥268.00) today; one is paid, tax-invoiced and shipped and the
 *       month's revenue is 268.00, not 536.00; the other's sale form is voided and its line decided again.
 * Steps depend on each other and run in order.
 */
let dir: string;
const backoffice = (...args: string[]) => run(dir, ...args);
const file = (name: string) => join(dir, name);
const json = (stdout: string) => JSON.parse(stdout);
// Requests are decided, paid and shipped today, in the business time zone: the command line's clock
// at noon of it, so that the file cannot run across business midnight.
const today = atBusinessNoon();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'backoffice-finance-'));
  await writeFile(file('master.xlsx'), await masterWorkbook({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS }));
  await writeFile(file('shipments.xlsx'), await ledgerWorkbook('shipments', [
    shipmentRow({ shipment_id: 'S1', shipped_date: '2026-08-01', qty: 2 }),
    shipmentRow({ shipment_id: 'S2', shipped_date: '2026-10-01', qty: 5 }),
  ]));
  await writeFile(file('late-shipments.xlsx'), await ledgerWorkbook('shipments', [shipmentRow({ shipment_id: 'S3', shipped_date: '2026-08-15', part_code: 'P-SEAL-03', qty: 1 })]));
  await writeFile(file('returns.xlsx'), await ledgerWorkbook('returns', [
    returnRow({ return_id: 'R1', received_date: '2026-09-20', qty: 2 }),
    returnRow({ return_id: 'R2', received_date: '2026-11-25', qty: 2 }),
  ]));
  const setup = [
    await backoffice('master', 'import', file('master.xlsx')),
    await backoffice('ingest', file('shipments.xlsx'), '--type', 'shipments'),
    await backoffice('reconcile', '--period', '2026-10', '--as-of', '2026-11-05', '--json'),
  ];
  expect(setup.map((r) => r.code)).toEqual([0, 0, 0]);
  expect(json(setup[2]!.stdout).invoices).toEqual([expect.objectContaining({ invoice_no: 'FY-2026-10-0001', total: '71.00', kind: 'possession', status: 'draft' })]);
}, 300_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a finance month through the command line', () => {
  it('corrects the typo, refuses a line that does not exist and a negative quantity (exit 1, both languages)', async () => {
    // Act
    const corrected = await backoffice('ledger', 'correct', '--type', 'shipments', '--id', 'S2', '--line', '1', '--qty', '2', '--reason', '5 typed for 2', '--json');
    const missing = await backoffice('ledger', 'correct', '--type', 'shipments', '--id', 'S9', '--line', '1', '--qty', '2', '--reason', 'x');
    const negative = await backoffice('ledger', 'correct', '--type', 'shipments', '--id', 'S2', '--line', '1', '--qty', '-1', '--reason', 'x');

    // Assess
    expect(corrected.code).toBe(0);
    expect(json(corrected.stdout)).toMatchObject({ id: 'S2', line: 1, original_qty: 5, qty: 2, corrections: [expect.objectContaining({ previous_qty: 5, qty: 2, reason: '5 typed for 2' })] });
    expect([missing.code, negative.code]).toEqual([1, 1]);
    expect(missing.stderr).toMatch(/S9[\s\S]*没有记录/);
  }, 120_000);

  it('credits the late-recorded return and amends the draft at the next run; an earlier as-of is refused', async () => {
    // Prepare
    expect((await backoffice('ingest', file('returns.xlsx'), '--type', 'returns')).code).toBe(0);
    expect((await backoffice('ingest', file('late-shipments.xlsx'), '--type', 'shipments')).code).toBe(0);

    // Act
    const earlier = await backoffice('reconcile', '--period', '2026-10', '--as-of', '2026-11-01');
    const later = await backoffice('reconcile', '--period', '2026-10', '--as-of', '2026-12-05', '--json');

    // Assess
    expect(earlier.code).toBe(1);
    expect(earlier.stderr).toMatch(/2026-11-05[\s\S]*盘点/);
    expect(later.code).toBe(0);
    expect(json(later.stdout).invoices).toEqual([
      expect.objectContaining({ invoice_no: 'FY-2026-10-0001', kind: 'possession', status: 'draft', total: '75.80' }),
      expect.objectContaining({
        invoice_no: 'FY-2026-10-0002', kind: 'credit_note', corrects: 'FY-2026-10-0001', total: '-71.00', total_in_words: '负柒拾壹元整',
        lines: [expect.objectContaining({ part_code: 'P-VALVE-01', qty: -2, unit_price: '35.50', amount: '-71.00', reason: 'credit' })],
      }),
    ]);
  }, 180_000);

  it('marks the form issued and the exported workbook says issued; nobody sets "paid" (issue 21: paid without money)', async () => {
    // Act
    const issued = await backoffice('invoices', 'status', 'FY-2026-10-0001', 'issued', '--json');
    const voiding = await backoffice('invoices', 'status', 'FY-2026-10-0001', 'paid');
    const exported = await backoffice('invoices', 'export', '--out', file('forms'), '--period', '2026-10');

    // Assess
    expect(issued.code).toBe(0);
    expect(json(issued.stdout)).toMatchObject({ status: 'issued', history: [expect.objectContaining({ status: 'draft' }), expect.objectContaining({ status: 'draft' }), expect.objectContaining({ status: 'issued' })] });
    expect(voiding.code).toBe(1);
    expect(voiding.stderr).toContain('payments record FY-2026-10-0001');
    expect(exported.code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile(file('forms/D001-FY-2026-10-0001.xlsx'))) as unknown as ArrayBuffer);
    // Issue 21, the printed form: who and when in Beijing local time, never an ISO instant; the reason in Chinese first
    const status = String(workbook.worksheets[0]?.getCell('H4').value);
    expect(status).toMatch(/^已开具 Issued\n命令行操作员 CLI operator .+ \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(JSON.stringify(workbook.worksheets[0]?.getSheetValues())).toContain('事实占有：批次');
  }, 180_000);

  it('records a part payment, refuses more than is owed — the credit note naming the form lowers what it owes (issue 21) — and lists paid, credited and owed', async () => {
    // Act
    const part = await backoffice('payments', 'record', 'FY-2026-10-0001', '--amount', '3.00', '--date', '2026-12-05', '--reference', 'TX-1', '--json');
    const tooMuch = await backoffice('payments', 'record', 'FY-2026-10-0001', '--amount', '1.81', '--date', '2026-12-05');
    const list = await backoffice('invoices', 'list', '--period', '2026-10', '--json');

    // Assess
    expect(part.code).toBe(0);
    expect(json(part.stdout)).toMatchObject({ paid: '3.00', credited: '71.00', owed: '1.80', status: 'issued', settlement: 'part_paid' });
    expect(tooMuch.code).toBe(1);
    expect(tooMuch.stderr).toContain('1.80');
    expect(json(list.stdout).map((i: Record<string, unknown>) => [i.invoice_no, i.kind, i.total, i.paid, i.credited, i.owed, i.settlement, i.tax])).toEqual([
      ['FY-2026-10-0001', 'possession', '75.80', '3.00', '71.00', '1.80', 'part_paid', 'pending'],
      ['FY-2026-10-0002', 'credit_note', '-71.00', '0.00', '0.00', '0.00', 'paid', 'pending'],
    ]);
  }, 180_000);

  it('refuses a void while money is on the form, naming the payment; a refund lets it through and the balance keeps every payment (issue 21: a payment disappears)', async () => {
    // Act
    const refused = await backoffice('invoices', 'status', 'FY-2026-10-0001', 'void', '--reason', 'wrong dealer');
    const refund = await backoffice('payments', 'refund', 'FY-2026-10-0001', '--amount', '3.00', '--date', '2026-12-06', '--reason', 'paid back', '--json');
    const balances = await backoffice('invoices', 'balances', '--dealer', 'D001', '--json');

    // Assess
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('payment 3.00 on 2026-12-05 (TX-1)');
    expect(refund.code).toBe(0);
    expect(json(refund.stdout)).toMatchObject({ paid: '3.00', refunded: '3.00', owed: '4.80' });
    expect(json(balances.stdout).dealers).toEqual([expect.objectContaining({ dealer: 'D001', charged: '75.80', credited: '71.00', paid: '3.00', refunded: '3.00', balance: '4.80' })]);
  }, 180_000);

  it('archives the form for consolidated invoicing and records the one tax invoice on it (issue 21: a paid form can get its tax invoice)', async () => {
    // Act
    const archived = await backoffice('invoices', 'tax', 'FY-2026-10-0001', 'archive', '--json');
    const consolidated = await backoffice('invoices', 'consolidated', '--dealer', 'D001', '--number', 'TAX-2026-001', '--date', '2026-12-06', '--json');
    const voiding = await backoffice('invoices', 'status', 'FY-2026-10-0001', 'void', '--reason', 'too late');

    // Assess
    expect(json(archived.stdout)).toMatchObject({ tax: 'archived' });
    expect(json(consolidated.stdout)).toMatchObject({ count: 1, invoiced: ['FY-2026-10-0001'], tax_invoice: { number: 'TAX-2026-001', date: '2026-12-06' } });
    expect(voiding.code).toBe(1);
    expect(voiding.stderr).toContain('credit note');
  }, 180_000);

  it('voids the credit note with the form it corrects, and the next run does not make it again (issue 21: orphan credits)', async () => {
    // Prepare: D003 kept a valve past its deadline (charged as of 12-06); its return of 09-20, recorded late, is credited as of 12-07
    await writeFile(file('d003-shipments.xlsx'), await ledgerWorkbook('shipments', [shipmentRow({ shipment_id: 'S-ORPH', dealer_code: 'D003', shipped_date: '2026-08-01', qty: 1 })]));
    await writeFile(file('d003-returns.xlsx'), await ledgerWorkbook('returns', [returnRow({ return_id: 'R-ORPH', dealer_code: 'D003', received_date: '2026-09-20', qty: 1 })]));
    expect((await backoffice('ingest', file('d003-shipments.xlsx'), '--type', 'shipments')).code).toBe(0);
    const charged = await backoffice('reconcile', '--period', '2026-10', '--as-of', '2026-12-06', '--json');
    expect((await backoffice('ingest', file('d003-returns.xlsx'), '--type', 'returns')).code).toBe(0);
    const credited = await backoffice('reconcile', '--period', '2026-10', '--as-of', '2026-12-07', '--json');
    const d003 = (run: { stdout: string }) => json(run.stdout).invoices.filter((i: { dealer: string }) => i.dealer === 'D003').map((i: Record<string, unknown>) => [i.invoice_no, i.kind, i.total, i.status, i.corrects ?? null]);
    expect(d003(credited)).toEqual([
      ['FY-2026-10-0003', 'possession', '35.50', 'draft', null],
      ['FY-2026-10-0004', 'credit_note', '-35.50', 'draft', 'FY-2026-10-0003'],
    ]);

    // Act
    const voided = await backoffice('invoices', 'status', 'FY-2026-10-0003', 'void', '--reason', 'charged in error');
    const again = await backoffice('reconcile', '--period', '2026-10', '--as-of', '2026-12-07', '--json');

    // Assess
    expect([charged.code, voided.code, again.code]).toEqual([0, 0, 0]);
    expect(d003(again)).toEqual([
      ['FY-2026-10-0003', 'possession', '35.50', 'void', null],
      ['FY-2026-10-0004', 'credit_note', '-35.50', 'void', 'FY-2026-10-0003'],
    ]);
  }, 300_000);

  it('counts a sold board once in the month\'s revenue, reopens the request line of a voided sale form, and tax-invoices a paid form (issue 21)', async () => {
    // Prepare: D002 asks for two boards (¥268.00) broken by misuse, both charged
    await writeFile(file('request.xlsx'), await requestWorkbook([
      requestRow({ request_id: 'R-REV-1', part_code: 'P-BOARD-02', serial_no: 'SN-REV-1', charge_cause: '使用不当', repair_id: 'RP-REV-1' }),
      requestRow({ request_id: 'R-REV-1', part_code: 'P-BOARD-02', serial_no: 'SN-REV-2', charge_cause: '使用不当', repair_id: 'RP-REV-2' }),
    ]));
    expect((await backoffice('requests', 'submit', file('request.xlsx'), '--dealer', 'D002')).code).toBe(0);

    // Act: approve both (a sale form each), void the second form, decide its line again; pay the first, tax-invoice it, ship, count the month
    const sold = await backoffice('requests', 'decide', 'R-REV-1', '--line', '1', '--approve', '--json');
    const withdrawn = await backoffice('requests', 'decide', 'R-REV-1', '--line', '2', '--approve', '--json');
    const [saleForm, voidedForm] = [json(sold.stdout).invoice.invoice_no as string, json(withdrawn.stdout).invoice.invoice_no as string];
    const voided = await backoffice('invoices', 'status', voidedForm, 'void', '--reason', 'dealer withdrew the line');
    const decidedAgain = await backoffice('requests', 'decide', 'R-REV-1', '--line', '2', '--reject', '--reason', 'dealer withdrew the line', '--json');
    const paid = await backoffice('payments', 'record', saleForm, '--amount', '268.00', '--date', today, '--json');
    const taxed = await backoffice('invoices', 'tax', saleForm, '--number', 'TAX-2026-S01', '--date', today, '--json');
    const shipped = await backoffice('requests', 'ship', 'R-REV-1', '--shipped-date', today, '--json');
    const stats = await backoffice('stats', '--period', today.slice(0, 7), '--out', file('stats.xlsx'));

    // Assess
    expect([sold.code, withdrawn.code, voided.code, decidedAgain.code, paid.code, taxed.code, shipped.code, stats.code]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(json(decidedAgain.stdout)).toMatchObject({ line: { state: 'rejected' }, invoice: null });
    expect(json(paid.stdout)).toMatchObject({ paid: '268.00', owed: '0.00', settlement: 'paid' });
    expect(json(taxed.stdout)).toMatchObject({ settlement: 'paid', tax: 'invoiced', tax_invoice: { number: 'TAX-2026-S01', date: today } });
    expect(json(shipped.stdout).shipped).toEqual([expect.objectContaining({ line: 1, state: 'shipped' })]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile(file('stats.xlsx'))) as unknown as ArrayBuffer);
    const revenue = workbook.getWorksheet('收入 Revenue');
    expect(revenue?.getRow(4).values).toEqual([undefined, 'D002', '华南洁具安装服务部', 'P-BOARD-02', '控制主板', '收费发料 parts sold', 1, 268]);
    expect(revenue?.getCell('A5').value).toBe('合计 Total');
    expect((revenue?.getCell('G5').value as ExcelJS.CellFormulaValue).result).toBe(268);
    expect(workbook.getWorksheet('未开单收费发料 Unformed')).toBeUndefined();
  }, 300_000);
});
