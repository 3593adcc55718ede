import { beforeEach, describe, expect, it } from 'vitest';
import { reconciliationReport } from '../../../shared/app/reconciliation-report.js';
import { reconcilePeriod } from '../../../shared/app/reconcile.js';
import { shipment } from '../../helpers/ledger.js';
import { outOfWarrantyRepair } from '../../contract/fixtures.js';
import { currentReport, demoBackOffice, type DemoBackOffice } from '../../helpers/memory/world.js';

let office: DemoBackOffice;

beforeEach(async () => {
  office = await demoBackOffice();
});

describe('the reconciliation report of a month', () => {
  it('lists every dealer reconciled, by name, with the loans the cross-check flagged', async () => {
    // Prepare
    await currentReport(office, { dealer: 'D001', type: 'repair', period: '2026-10' }, [outOfWarrantyRepair('RP-1')]);
    await office.ledger.record('shipments', [shipment({ shipment_id: 'S1', shipped_date: '2026-10-09', repair_id: 'RP-1' })], 'setup');
    await reconcilePeriod({ ...office, renderInvoice: async () => new Uint8Array() }, { period: '2026-10', as_of: '2026-11-05' });
    // Act
    const report = await reconciliationReport(office, '2026-10', '2026-11-05');
    // Assess
    expect(report?.dealers.map((d) => [d.code, d.name, d.flagged?.map((f) => f.reason)])).toEqual([
      ['D001', '华东卫浴服务中心', ['out_of_warranty']],
      ['D002', '华南洁具安装服务部', []],
      ['D003', '西南售后服务站', []],
    ]);
    expect(report?.partNames.get('P-VALVE-01')).toBe('进水阀');
  });

  it('is null for a date the month was not reconciled at', async () => {
    expect(await reconciliationReport(office, '2026-10', '2026-11-06')).toBeNull();
  });
});
