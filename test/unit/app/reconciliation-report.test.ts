import { beforeEach, describe, expect, it } from 'vitest';
import { reconciliationReport } from '../../../shared/app/reconciliation-report.js';
import { reconcilePeriod } from '../../../shared/app/reconcile.js';
import { shipment } from '../../helpers/ledger.js';
import { outOfWarrantyRepair } from '../../contract/fixtures.js';
import { correctLedgerLine } from '../../../shared/app/finance/corrections.js';
import { monthStatistics } from '../../../shared/app/statistics.js';
import { caller, currentReport, demoBackOffice, type DemoBackOffice } from '../../helpers/memory/world.js';

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

  it('lists each dealer\'s charged shipments of the month that no form names, as the statistics do', async () => {
    // Prepare: keyed in by hand in October, one cancelled, one shipped for a request, one in November, one after the run's date
    await office.ledger.record('shipments', [
      shipment({ shipment_id: 'S-HAND', dealer_code: 'D002', shipped_date: '2026-10-07', kind: 'charged', qty: 2 }),
      shipment({ shipment_id: 'S-GONE', dealer_code: 'D002', shipped_date: '2026-10-08', kind: 'charged' }),
      shipment({ shipment_id: 'S-SOLD', dealer_code: 'D002', shipped_date: '2026-10-09', kind: 'charged', request_id: 'RQ-1' }),
      shipment({ shipment_id: 'S-NOV', dealer_code: 'D002', shipped_date: '2026-11-03', kind: 'charged' }),
      shipment({ shipment_id: 'S-LOAN', dealer_code: 'D001', shipped_date: '2026-10-09' }),
    ], 'setup');
    await correctLedgerLine(office, caller('admin'), { type: 'shipments', id: 'S-GONE', line: 1, qty: 0, reason: 'never shipped' });
    await reconcilePeriod({ ...office, renderInvoice: async () => new Uint8Array() }, { period: '2026-10', as_of: '2026-11-05' });
    // Act
    const report = await reconciliationReport(office, '2026-10', '2026-11-05');
    const { statistics } = await monthStatistics(office, '2026-10');
    // Assess
    expect(report?.dealers.map((d) => [d.code, d.unformed])).toEqual([
      ['D001', []],
      ['D002', [{ dealer_code: 'D002', part_code: 'P-VALVE-01', shipment_id: 'S-HAND', line: 1, shipped_date: '2026-10-07', qty: 2 }]],
      ['D003', []],
    ]);
    expect(report?.dealers.flatMap((d) => d.unformed)).toEqual(statistics.revenue.unformed);
  });

  it('is null for a date the month was not reconciled at', async () => {
    expect(await reconciliationReport(office, '2026-10', '2026-11-06')).toBeNull();
  });
});
