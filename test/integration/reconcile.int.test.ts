import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackOfficeConfig } from '../../shared/config.js';
import { createAdapters, type Adapters } from '../../shared/compose.js';
import { ingestLedger } from '../../shared/app/ingest-ledger.js';
import { reconcilePeriod, type ReconcileDeps } from '../../shared/app/reconcile.js';
import { reconcileJson } from '../../shared/domain/invoice.js';
import { writeInvoiceWorkbook } from '../../shared/sheets/invoice-workbook.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { freshStack } from '../helpers/local-stack.js';
import { ledgerWorkbook, returnRow, shipmentRow } from '../helpers/reports.js';

/**
 * A whole month against DynamoDB Local and s3rver, small enough to check by hand:
 *   D001 borrowed 4 inlet valves on 2026-07-10 (due 2026-09-08), returned 1 → 3 × ¥35.50 = ¥106.50
 *        (the price in force on the as-of date, not the one of July), 10 seals due 2026-11-19 are outstanding,
 *        10 seals given as a gift are not in the reconciliation;
 *   D002 (45-day window) borrowed a control board on 2026-08-01, due 2026-09-15 → ¥268.00; a
 *        special approval without return is excluded; its return on 2026-11-10 is after the as-of date;
 *   D003 bought valves (charged, excluded) and returned 2 it never borrowed → surplus 2.
 */
let config: BackOfficeConfig;
let adapters: Adapters;
let deps: ReconcileDeps;

beforeAll(async () => {
  config = await freshStack();
  adapters = createAdapters(config);
  deps = { ...adapters, config, renderInvoice: writeInvoiceWorkbook };
  await adapters.master.save({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
  const receivedAt = new Date('2026-11-20T10:00:00+08:00');
  const shipments = await ledgerWorkbook('shipments', [
    shipmentRow(),
    shipmentRow({ part_code: 'P-SEAL-03', qty: 10, kind: '赠送品' }),
    shipmentRow({ shipment_id: 'S2', shipped_date: '2026-09-20', part_code: 'P-SEAL-03', qty: 10 }),
    shipmentRow({ shipment_id: 'S3', shipped_date: '2026-08-01', dealer_code: 'D002', part_code: 'P-BOARD-02', qty: 1 }),
    shipmentRow({ shipment_id: 'S4', shipped_date: '2026-08-01', dealer_code: 'D002', part_code: 'P-BOARD-02', qty: 1, kind: '特批', return_required: '否' }),
    shipmentRow({ shipment_id: 'S5', shipped_date: '2026-07-01', dealer_code: 'D003', qty: 2, kind: '收费' }),
  ]);
  const returns = await ledgerWorkbook('returns', [
    returnRow({ received_date: '2026-08-15' }),
    returnRow({ return_id: 'R2', received_date: '2026-09-01', dealer_code: 'D003', qty: 2 }),
    returnRow({ return_id: 'R3', received_date: '2026-11-10', dealer_code: 'D002', part_code: 'P-BOARD-02' }),
  ]);
  for (const [type, bytes] of [['shipments', shipments], ['returns', returns]] as const) {
    const result = await ingestLedger({ ...adapters, config }, { bytes, type, receivedAt, sourceId: `setup-${type}` });
    expect(result.errors).toEqual([]);
  }
});

describe('the monthly reconciliation', () => {
  it('charges overdue lots at the price in force on the as-of date and invoices each dealer with something to pay', async () => {
    // Act
    const result = await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-11-05' });
    const json = reconcileJson({ period: '2026-10', as_of: '2026-11-05', invoices: result.invoices, dealers: result.dealers });
    // Assess
    expect(result.run).toMatchObject({ status: 'done', dealers_total: 3, dealers_done: 3, failed: [] });
    const byDealer = Object.fromEntries(json.invoices.map((i) => [i.dealer, i]));
    expect(byDealer.D001).toMatchObject({
      total: '106.50',
      lines: [{ part_code: 'P-VALVE-01', qty: 3, unit_price: '35.50', amount: '106.50', reason: 'de_facto_possession', lot: { shipment_id: 'S1', shipped_date: '2026-07-10', due_date: '2026-09-08' } }],
    });
    expect(byDealer.D001?.total_in_words).toMatch(/^壹佰零陆元伍角/);
    expect(byDealer.D002).toMatchObject({ total: '268.00', total_in_words: '贰佰陆拾捌元整' });
    expect(json.invoices.map((i) => i.invoice_no).sort()).toEqual(['FY-2026-10-0001', 'FY-2026-10-0002']);
    expect(json.outstanding).toEqual([{ dealer: 'D001', part_code: 'P-SEAL-03', qty: 10, due_date: '2026-11-19' }]);
    expect(json.surplus).toEqual([{ dealer: 'D003', part_code: 'P-VALVE-01', qty: 2 }]);
  });

  it('changes nothing when run again for the same date', async () => {
    const before = await adapters.invoices.byPeriod('2026-10');
    const again = await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-11-05' });
    expect(again.invoices).toHaveLength(2);
    expect(again.invoices.map((i) => [i.invoice_no, i.total]).sort()).toEqual(before.map((i) => [i.invoice_no, i.total]).sort());
    expect(again.dealers.flatMap((d) => d.new_charges)).toEqual([]);
  });

  it('stores a printable workbook of each invoice in S3 under a readable key, units from the price list', async () => {
    const [invoice] = await adapters.invoices.byPeriod('2026-10', 'D002');
    expect(invoice?.workbook_key).toBe(`invoices/2026-10/D002-${invoice?.invoice_no}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await adapters.blobs.get('invoices', invoice?.workbook_key ?? '')) as unknown as ArrayBuffer);
    const cells = JSON.stringify(workbook.worksheets[0]?.getSheetValues());
    expect(cells).toContain('贰佰陆拾捌元整');
    // The unit comes from the price list: a control board is counted in 块.
    expect(cells).toMatch(/"P-BOARD-02","控制主板","块"/);
  });

  it('continues the next month from where this one left off: only newly overdue lots are charged', async () => {
    const november = await reconcilePeriod(deps, { period: '2026-11', as_of: '2026-12-01' });
    const json = reconcileJson({ period: '2026-11', as_of: '2026-12-01', invoices: november.invoices, dealers: november.dealers });
    expect(json.invoices).toEqual([
      expect.objectContaining({ dealer: 'D001', invoice_no: 'FY-2026-11-0001', total: '48.00', lines: [expect.objectContaining({ part_code: 'P-SEAL-03', qty: 10 })] }),
    ]);
    expect(json.surplus).toEqual([
      { dealer: 'D002', part_code: 'P-BOARD-02', qty: 1 },
      { dealer: 'D003', part_code: 'P-VALVE-01', qty: 2 },
    ]);
  });
});
