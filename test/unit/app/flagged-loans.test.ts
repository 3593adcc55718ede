import { beforeEach, describe, expect, it } from 'vitest';
import { chargeFlaggedLoan } from '../../../shared/app/finance/flagged-loans.js';
import { reconcilePeriod, type ReconcileDeps } from '../../../shared/app/reconcile.js';
import { writeInvoiceWorkbook } from '../../../shared/sheets/invoice-workbook.js';
import { outOfWarrantyRepair } from '../../contract/fixtures.js';
import { returned, shipment } from '../../helpers/ledger.js';
import { caller, demoBackOffice, type DemoBackOffice } from '../../helpers/memory/world.js';

/**
 * Issue 21, "Free parts leak out": a free loan flagged on an out-of-warranty repair could not be
 * charged once the old part had come back ("nothing left to charge: it is returned"). Rule 10:
 * it is charged at the cost price whatever came back.
 */
let office: DemoBackOffice;
let deps: ReconcileDeps & DemoBackOffice;

beforeEach(async () => {
  office = await demoBackOffice('2026-11-10T02:00:00.000Z');
  deps = { ...office, renderInvoice: writeInvoiceWorkbook };
  // RP-1 is reported out of warranty, yet its valve went out as a warranty loan; the old valve came back on 10-20
  const target = { dealer: 'D001', type: 'repair' as const, period: '2026-10' };
  const { version } = await office.reports.claim('repairs', target, '2026-11-02T02:00:00.000Z');
  await office.reports.writeItems(target, version, [outOfWarrantyRepair('RP-1')]);
  await office.reports.commit(target, version, { received_at: '2026-11-02T02:00:00.000Z', late: false, counts: { rows: 1, records: 1, part_lines: 0 }, source: 'repairs' });
  await office.ledger.record('shipments', [shipment({ shipment_id: 'S9', shipped_date: '2026-10-09', repair_id: 'RP-1' })], 'setup');
  await office.ledger.record('returns', [returned({ return_id: 'R1', received_date: '2026-10-20' })], 'setup');
});

describe('charging a flagged loan whose old part has come back', () => {
  it('charges the whole lot at the cost price, and the next run neither credits it nor charges it again', async () => {
    // Act
    const form = await chargeFlaggedLoan(deps, caller('admin'), { shipment_id: 'S9', line: 1, period: '2026-11' });
    // The charge is decided in November, so it lands on November's form, as the run of that month sees it.
    const run = await reconcilePeriod(deps, { period: '2026-11', as_of: '2026-12-20' });
    // Assess
    expect(form.lines).toEqual([expect.objectContaining({ reason: 'flagged_loan', qty: 1, amount: '35.50' })]);
    expect(run.invoices.map((i) => [i.kind, i.total])).toEqual([['possession', 3550]]);
    const d001 = run.dealers.find((d) => d.dealer_code === 'D001');
    expect(d001?.lots.find((l) => l.lot_id === 'S9#1')).toMatchObject({ status: 'charged', charged: 1 });
    expect(d001?.surplus).toEqual([{ part_code: 'P-VALVE-01', qty: 1 }]);
  });

  it('refuses a second charge of the same loan', async () => {
    await chargeFlaggedLoan(deps, caller('admin'), { shipment_id: 'S9', line: 1, period: '2026-11' });
    await expect(chargeFlaggedLoan(deps, caller('admin'), { shipment_id: 'S9', line: 1, period: '2026-11' })).rejects.toMatchObject({ code: 'conflict' });
  });
});
