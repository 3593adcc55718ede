import { beforeEach, describe, expect, it } from 'vitest';
import { ingestReport } from '../../../shared/app/ingest-report.js';
import type { ReportTarget } from '../../../shared/app/ports.js';
import { reconcileOneDealer } from '../../../shared/app/reconcile.js';
import { monthStatistics } from '../../../shared/app/statistics.js';
import { shipment } from '../../helpers/ledger.js';
import { demoBackOffice, type DemoBackOffice } from '../../helpers/memory/world.js';
import { installationRow, repairRow, reportWorkbook } from '../../helpers/reports.js';

/**
 * "Nothing is frozen by upload order": a repair uploaded before its unit's installation report
 * follows the archive's facts once the installation arrives, in the cross-check of loans and
 * in the statistics, whatever was stored with the repair.
 */
let office: DemoBackOffice;
const october = (type: ReportTarget['type']): ReportTarget => ({ dealer: 'D001', type, period: '2026-10' });
let uploads = 0;
const upload = async (type: ReportTarget['type'], rows: Record<string, unknown>[]) =>
  ingestReport(office, { bytes: await reportWorkbook(type, rows), target: october(type), receivedAt: new Date('2026-11-02T08:00:00+08:00'), sourceId: `u${(uploads += 1)}` });

beforeEach(async () => {
  office = await demoBackOffice('2026-11-05T02:00:00.000Z');
  // Prepare: the repair comes first, stating a purchase in 2026: in warranty, serial unknown
  const repairs = await upload('repair', [repairRow({ purchase_date: '2026-01-15' })]);
  expect(repairs.warnings.map((w) => w.code)).toEqual(['unknown_serial']);
  // ...then the installation report says the unit was bought in 2023
  await upload('installation', [installationRow({ install_date: '2026-10-01', purchase_date: '2023-01-10' })]);
  await office.ledger.record('shipments', [shipment({ shipment_id: 'S9', shipped_date: '2026-10-09', repair_id: 'RP-0001' })], 'setup');
});

describe('a repair decided again from the archive as it stands', () => {
  it('is flagged by the cross-check once the archive shows it out of warranty', async () => {
    // Act
    const master = await office.master.load();
    const { flagged } = await reconcileOneDealer({ ...office, renderInvoice: async () => new Uint8Array() }, master, master.dealers.get('D001')!, '2026-10', '2026-11-05');
    // Assess
    expect(flagged).toEqual([expect.objectContaining({ shipment_id: 'S9', repair_id: 'RP-0001', reason: 'out_of_warranty' })]);
  });

  it('is counted out of warranty and charged in the statistics', async () => {
    const { statistics } = await monthStatistics(office, '2026-10');
    expect(statistics.repairs.by_dealer).toEqual([expect.objectContaining({ dealer_code: 'D001', out_of_warranty: 1, materials_charged: 1 })]);
  });
});
