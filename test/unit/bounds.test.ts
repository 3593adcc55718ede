import { beforeEach, describe, expect, it } from 'vitest';
import { correctLedgerLine } from '../../shared/app/finance/corrections.js';
import { reconcilePeriod } from '../../shared/app/reconcile.js';
import { reconciliationWorkbook } from '../../shared/app/reconciliation-downloads.js';
import { reconcileJson } from '../../shared/domain/invoice.js';
import { loadWorkbook } from '../helpers/workbooks.js';
import { submitRequestForm } from '../../shared/app/requests/submit.js';
import { clampedReturnWindow } from '../../shared/domain/bounds.js';
import { DEALER_FIELDS, PART_FIELDS, PRODUCT_FIELDS } from '../../shared/domain/fields.js';
import { createMasterValidator } from '../../shared/domain/master-validation.js';
import { reconcile, shipment } from '../helpers/ledger.js';
import { caller, demoBackOffice, type DemoBackOffice } from '../helpers/memory/world.js';
import { runTable, tableSheet } from '../helpers/rows.js';

/** Issue 24: every value bounded where it enters, refused naming the field and the value in both languages. */
let office: DemoBackOffice;

beforeEach(async () => {
  office = await demoBackOffice('2026-11-02T02:00:00.000Z');
});

const form = (line: Record<string, unknown>, requested_date = '2026-11-02') =>
  submitRequestForm(office, { dealer: 'D001', request_id: 'R-B', requested_date, lines: [{ part_code: 'P-VALVE-01', qty: 1, purpose: 'gift', ...line }], view: 'dealer' });

describe('a material request (portal form, API body and workbook share the rules)', () => {
  it('refuses 9,007,199,254,740,991 units or 10,000, naming qty and the value in both languages; 9,999 is taken', async () => {
    for (const qty of [9_007_199_254_740_991, 10_000]) {
      const refused = await form({ qty });
      expect(refused.status).toBe('rejected');
      expect(refused.errors.map((e) => [e.column, e.code, e.value])).toEqual([['qty', 'out_of_bounds', String(qty)]]);
      expect(refused.errors[0]?.message).toContain('1 to 9,999');
      expect(refused.errors[0]?.message_zh).toContain('超出范围');
    }
    expect(await office.requests.list('D001')).toEqual([]);
    expect((await form({ qty: 9_999 })).status).toBe('submitted');
  });

  it('refuses a request of more than 100 lines, or of more than 150,000 bytes (it would not fit one stored item beside its decisions), in both languages, and stores nothing', async () => {
    // Prepare
    const lines = (n: number, text: string | null) =>
      Array.from({ length: n }, (_, i) => ({ part_code: 'P-VALVE-01', qty: 1, purpose: 'gift', repair_id: `RP-${i}`, remarks: text }));
    const submit = (request_id: string, n: number, text: string | null) => submitRequestForm(office, { dealer: 'D001', request_id, requested_date: '2026-11-02', lines: lines(n, text), view: 'dealer' });
    // Act
    const tooMany = await submit('R-MANY', 101, null);
    const tooLarge = await submit('R-LARGE', 100, '长'.repeat(500));
    const most = await submit('R-MOST', 100, null);
    // Assess
    expect(tooMany.errors.map((e) => [e.code, e.value])).toEqual([['too_many_lines', '101']]);
    expect(tooMany.errors[0]?.message).toContain('at most 100');
    expect(tooMany.errors[0]?.message_zh).toContain('最多 100 行');
    expect(tooLarge.errors.map((e) => e.code)).toEqual(['request_too_large']);
    expect(tooLarge.errors[0]?.message).toContain('more than 150,000');
    expect(tooLarge.errors[0]?.message_zh).toContain('超过上限 150000');
    expect(most.status).toBe('submitted');
    expect((await office.requests.list('D001')).map((r) => r.request_id)).toEqual(['R-MOST']);
  });

  it('refuses a request date before 2000 or after tomorrow, and a purchase date after the request', async () => {
    expect((await form({}, '1999-12-31')).errors.map((e) => [e.column, e.code])).toEqual([['requested_date', 'out_of_bounds']]);
    expect((await form({}, '2026-11-04')).errors.map((e) => [e.column, e.code])).toEqual([['requested_date', 'out_of_bounds']]);
    const repair = { purpose: 'repair', product_model: 'WC-800', serial_no: 'SN-B1', purchase_date: '2030-01-01', fault_description: 'leak', charge_cause: 'none' };
    const later = await form(repair);
    expect(later.errors.map((e) => [e.column, e.code, e.value])).toEqual([['purchase_date', 'purchase_after_request', '2030-01-01']]);
    expect(later.errors[0]?.message).toContain('2026-11-02');
    expect((await form({}, '2026-11-03')).status).toBe('submitted');
  });
});

describe('master data', () => {
  it('refuses a return window over 3,650 days, a warranty over 600 months and a price over ¥10,000,000.00', () => {
    const dealers = runTable(createMasterValidator('dealers'), tableSheet(DEALER_FIELDS, [{ dealer_code: 'D9', dealer_name: 'x', region: 'x', contact: 'x', phone: '13800138001', payment_method: 'x', return_window_days: 999_999_999 }]));
    const products = runTable(createMasterValidator('products'), tableSheet(PRODUCT_FIELDS, [{ product_model: 'M', product_name: 'm', warranty_months: 601 }]));
    const parts = runTable(createMasterValidator('parts'), tableSheet(PART_FIELDS, [{ part_code: 'P1', part_name: '阀', unit: '个', cost_price: '10000000.01', valid_from: '2026-01-01' }, { part_code: 'P2', part_name: '阀', unit: '个', cost_price: '10000000.00', valid_from: '2026-01-01' }]));
    expect(dealers.errors.map((e) => [e.column, e.code, e.value])).toEqual([['return_window_days', 'out_of_bounds', '999999999']]);
    expect(products.errors.map((e) => [e.column, e.code])).toEqual([['warranty_months', 'out_of_bounds']]);
    expect(parts.errors.map((e) => [e.row, e.column, e.code])).toEqual([[2, 'cost_price', 'out_of_bounds']]);
    expect(parts.errors[0]?.message).toContain('10000000.00');
  });
});

describe('a ledger correction', () => {
  it('refuses a corrected quantity over 9,999 as invalid (400), naming qty, and records nothing', async () => {
    await office.ledger.record('shipments', [shipment({ shipment_id: 'S-B', dealer_code: 'D001', qty: 5 })], 'setup');
    const refused = await correctLedgerLine(office, caller('admin'), { type: 'shipments', id: 'S-B', line: 1, qty: 10_000, reason: 'typo' }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'invalid', message: expect.stringContaining('qty: 10000'), message_zh: expect.stringContaining('超出范围') });
    expect(await office.ledger.corrections('D001', 'shipments', 'S-B', 1)).toEqual([]);
  });
});

describe('a lot frozen with a window from before the bounds', () => {
  it('is reconciled with its window clamped to 3,650 days instead of failing the dealer', () => {
    expect(clampedReturnWindow(999_999_999)).toEqual({ days: 3_650, clamped: true });
    expect(clampedReturnWindow(60)).toEqual({ days: 60, clamped: false });
    const run = reconcile({ shipments: [shipment({ qty: 1, shipped_date: '2026-01-01', return_window_days: 999_999_999 })] });
    expect(run.lots.map((l) => l.due_date)).toEqual(['2035-12-30']);
    expect(run.errors).toEqual([{ code: 'window_clamped', part_code: 'P-VALVE-01', lot_id: 'S1#1', qty: 1, recorded_days: 999_999_999, days: 3_650 }]);
  });

  it("is named in the run's output: which lot, the window recorded and the one read, in both languages, in the JSON and in the 用户借料盘点表's error sheet", async () => {
    // Prepare: one lot frozen with 999,999,999 days and one with 0, beside a lot with a sound window.
    await office.ledger.record('shipments', [
      shipment({ shipment_id: 'S-OLD', dealer_code: 'D001', qty: 2, shipped_date: '2026-01-01', return_window_days: 999_999_999 }),
      shipment({ shipment_id: 'S-OLD', line: 2, dealer_code: 'D001', qty: 1, shipped_date: '2026-01-01', return_window_days: 0 }),
      shipment({ shipment_id: 'S-NEW', dealer_code: 'D002', qty: 1, shipped_date: '2026-10-01', return_window_days: 60 }),
    ], 'setup');
    // Act
    const result = await reconcilePeriod(office, { period: '2026-10', as_of: '2026-11-02' });
    const json = reconcileJson({ period: '2026-10', as_of: '2026-11-02', invoices: result.invoices, dealers: result.dealers });
    const workbook = await loadWorkbook((await reconciliationWorkbook(office, '2026-10', '2026-11-02'))!.workbook);
    // Assess
    expect(result.run.failed).toEqual([]);
    expect(json.clamped_windows.map(({ message: _m, ...c }) => c)).toEqual([
      { dealer: 'D001', lot_id: 'S-OLD#1', part_code: 'P-VALVE-01', recorded_days: 999_999_999, days: 3_650 },
      { dealer: 'D001', lot_id: 'S-OLD#2', part_code: 'P-VALVE-01', recorded_days: 0, days: 1 },
    ]);
    expect(json.clamped_windows[0]?.message).toContain('Lot S-OLD#1 (P-VALVE-01) was recorded with a return window of 999999999 days, outside 1–3,650 days: read as 3650 days');
    expect(json.clamped_windows[0]?.message).toContain('批次 S-OLD#1（P-VALVE-01）记录的归还期限 999999999 天超出 1–3,650 天，按 3650 天计');
    const errorSheet = workbook.worksheets.find((sheet) => sheet.name.includes('错误'));
    const texts: string[] = [];
    errorSheet?.eachRow((row) => texts.push(row.values?.toString() ?? ''));
    expect(texts.filter((t) => t.includes('window_clamped'))).toHaveLength(2);
    expect(texts.join('\n')).toContain('read as 1 day');
  });
});
