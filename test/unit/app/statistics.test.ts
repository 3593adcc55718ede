import { beforeEach, describe, expect, it } from 'vitest';
import type { ReportTarget } from '../../../shared/app/ports.js';
import { monthStatistics } from '../../../shared/app/statistics.js';
import { formatYuan } from '../../../shared/domain/money.js';
import { returned, shipment } from '../../helpers/ledger.js';
import { draftInvoice, installation, outOfWarranty, outOfWarrantyRepair, partLine } from '../../contract/fixtures.js';
import { currentReport, demoBackOffice, type DemoBackOffice } from '../../helpers/memory/world.js';

let office: DemoBackOffice;

beforeEach(async () => {
  office = await demoBackOffice();
});

describe("the month's statistics", () => {
  it("counts each dealer's current reports, the ledger lines dated in the month and the month's invoices", async () => {
    // Prepare
    await currentReport(office, { dealer: 'D001', type: 'installation', period: '2026-10' }, [installation(), installation({ install_id: 'IN-2', serial_no: 'SN-2', commissioning: 'failed' })]);
    await currentReport(office, { dealer: 'D002', type: 'repair', period: '2026-10' }, [outOfWarrantyRepair('RP-1'), partLine('RP-1', 2, 'P-SEAL-03', outOfWarranty)]);
    await currentReport(office, { dealer: 'D003', type: 'installation', period: '2026-09' }, [installation()]);
    await office.ledger.record('shipments', [shipment({ shipped_date: '2026-10-03', qty: 4 }), shipment({ shipment_id: 'S-SEPT', shipped_date: '2026-09-30', qty: 7 })], 'setup');
    await office.ledger.record('returns', [returned({ received_date: '2026-10-20', qty: 1 })], 'setup');
    await office.invoices.create('D002', '2026-10', 0, draftInvoice('D002', '2026-10'));
    // Act
    const { statistics, names } = await monthStatistics(office, '2026-10');
    // Assess
    expect(statistics.installations.total).toBe(2);
    expect(statistics.installations.rows).toEqual([expect.objectContaining({ dealer_code: 'D001', product_model: 'WC-800', installations: 2, commissioning_failed: 1 })]);
    expect(statistics.repairs.total).toBe(1);
    expect(statistics.repairs.by_dealer).toEqual([expect.objectContaining({ dealer_code: 'D002', records: 1, out_of_warranty: 1, materials_charged: 1 })]);
    expect(statistics.repairs.by_part).toEqual([expect.objectContaining({ part_code: 'P-SEAL-03', lines: 1, qty: 1 })]);
    expect(statistics.outbound.total_qty).toBe(4);
    expect(statistics.returns.rows).toEqual([expect.objectContaining({ dealer_code: 'D001', part_code: 'P-VALVE-01', lent: 4, returned: 1 })]);
    expect(formatYuan(statistics.revenue.total)).toBe('35.50');
    expect(names.dealers.get('D002')).toBe('华南洁具安装服务部');
    expect(names.parts.get('P-SEAL-03')).toBeDefined();
  });

  it('reads only the current version of a report', async () => {
    const target: ReportTarget = { dealer: 'D001', type: 'installation', period: '2026-10' };
    await currentReport(office, target, [installation(), installation({ install_id: 'IN-2', serial_no: 'SN-2' })]);
    await currentReport(office, target, [installation()], true);
    expect((await monthStatistics(office, '2026-10')).statistics.installations.total).toBe(1);
  });
});
