import { beforeAll, describe, expect, it } from 'vitest';
import type { BackOfficeConfig } from '../../shared/config.js';
import { createAdapters, type Adapters } from '../../shared/compose.js';
import { ingestLedger } from '../../shared/app/ingest-ledger.js';
import { ingestReport } from '../../shared/app/ingest-report.js';
import { reconcilePeriod } from '../../shared/app/reconcile.js';
import { reconciliationReport } from '../../shared/app/reconciliation-report.js';
import { writeInvoiceWorkbook } from '../../shared/sheets/invoice-workbook.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { freshStack } from '../helpers/local-stack.js';
import { ledgerWorkbook, repairRow, reportWorkbook, shipmentRow } from '../helpers/reports.js';

/**
 * The 用户借料盘点表 comes from what the run stored per dealer, cross-check included:
 * D001 reported repair RP-0001 on a toilet bought in 2023 (24-month warranty, so out of
 * warranty) and RP-0002 damaged by misuse, yet took both valves as warranty loans.
 */
let config: BackOfficeConfig;
let adapters: Adapters;

beforeAll(async () => {
  config = await freshStack();
  adapters = createAdapters(config);
  await adapters.master.save({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
  const receivedAt = new Date('2026-11-02T10:00:00+08:00');
  const repairs = await ingestReport({ ...adapters, config }, {
    bytes: await reportWorkbook('repair', [
      repairRow({ purchase_date: '2023-05-01' }),
      repairRow({ repair_id: 'RP-0002', serial_no: 'SN-WC-0002', charge_cause: '使用不当' }),
      repairRow({ repair_id: 'RP-0003', serial_no: 'SN-WC-0003' }),
    ]),
    target: { dealer: 'D001', type: 'repair', period: '2026-10' },
    receivedAt,
    sourceId: 'setup-repairs',
  });
  expect(repairs.errors).toEqual([]);
  const shipments = await ingestLedger({ ...adapters, config }, {
    bytes: await ledgerWorkbook('shipments', [
      shipmentRow({ shipment_id: 'S1', shipped_date: '2026-10-09', qty: 1, repair_id: 'RP-0001' }),
      shipmentRow({ shipment_id: 'S2', shipped_date: '2026-10-09', qty: 1, repair_id: 'RP-0002' }),
      shipmentRow({ shipment_id: 'S3', shipped_date: '2026-10-09', qty: 1, repair_id: 'RP-0003' }),
    ]),
    type: 'shipments',
    receivedAt,
    sourceId: 'setup-shipments',
  });
  expect(shipments.errors).toEqual([]);
  await reconcilePeriod({ ...adapters, config, renderInvoice: writeInvoiceWorkbook }, { period: '2026-10', as_of: '2026-11-05' });
});

describe('the reconciliation report of a month', () => {
  it('lists every dealer reconciled, with the loans the cross-check flagged and why', async () => {
    const report = await reconciliationReport(adapters, '2026-10', '2026-11-05');

    expect(report?.dealers.map((d) => d.code).sort()).toEqual(['D001', 'D002', 'D003']);
    const d001 = report?.dealers.find((d) => d.code === 'D001');
    expect(d001?.name).toBe(DEMO_DEALERS.find((d) => d.dealer_code === 'D001')?.dealer_name);
    expect(d001?.flagged?.map((f) => [f.shipment_id, f.repair_id, f.reason]).sort()).toEqual([
      ['S1', 'RP-0001', 'out_of_warranty'],
      ['S2', 'RP-0002', 'charge_cause'],
    ]);
    expect(d001?.reconciliation.totals).toEqual([expect.objectContaining({ part_code: 'P-VALVE-01', borrowed: 3 })]);
  });

  it('is null for a date the month was not reconciled at', async () => {
    expect(await reconciliationReport(adapters, '2026-10', '2026-11-06')).toBeNull();
  });
});
