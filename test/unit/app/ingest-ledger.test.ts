import { beforeEach, describe, expect, it } from 'vitest';
import { ingestLedger } from '../../../shared/app/ingest-ledger.js';
import type { LedgerType } from '../../../shared/domain/ledger-validation.js';
import { demoBackOffice, type DemoBackOffice } from '../../helpers/memory/world.js';
import { ledgerWorkbook, returnRow, shipmentRow } from '../../helpers/reports.js';

let office: DemoBackOffice;
let uploads = 0;
const receivedAt = new Date('2026-11-02T10:00:00+08:00');

const ingest = (type: LedgerType, bytes: Uint8Array) => ingestLedger(office, { bytes, type, receivedAt, sourceId: `upload-${(uploads += 1)}` });

beforeEach(async () => {
  office = await demoBackOffice();
});

describe('recording the parts ledgers', () => {
  it('records each line once, however often the same file comes in, and counts what it had already', async () => {
    // Prepare: a loan of 4 valves and a gift of 10 seals to D001 on one shipment, a loan to D002
    const file = await ledgerWorkbook('shipments', [
      shipmentRow({ shipment_id: 'S10' }),
      shipmentRow({ shipment_id: 'S10', part_code: 'P-SEAL-03', qty: 10, kind: '赠送品' }),
      shipmentRow({ shipment_id: 'S11', dealer_code: 'D002' }),
    ]);
    // Act
    const results = [await ingest('shipments', file), await ingest('shipments', file), await ingest('shipments', file)];
    // Assess
    expect(results.map((r) => [r.status, r.counts.recorded, r.counts.already_recorded])).toEqual([
      ['accepted', 3, 0],
      ['accepted', 0, 3],
      ['accepted', 0, 3],
    ]);
    const { shipments } = await office.ledger.dealerLedger('D001', '2026-12-31');
    expect(shipments).toEqual([
      expect.objectContaining({ shipment_id: 'S10', line: 1, kind: 'warranty_loan', qty: 4 }),
      expect.objectContaining({ shipment_id: 'S10', line: 2, kind: 'gift', qty: 10 }),
    ]);
  });

  it('refuses a line whose id was recorded with different content, and records nothing of that file', async () => {
    // Prepare
    await ingest('shipments', await ledgerWorkbook('shipments', [shipmentRow()]));
    const bytes = await ledgerWorkbook('shipments', [shipmentRow({ shipment_id: 'S3' }), shipmentRow({ qty: 5 })]);
    // Act
    const result = await ingest('shipments', bytes);
    // Assess
    expect(result.status).toBe('rejected');
    expect(result.errors.map((e) => [e.row, e.column, e.code])).toEqual([[3, 'shipment_id', 'ledger_conflict']]);
    expect(result.errorReport).not.toBeNull();
    expect((await office.ledger.find('shipments', [{ id: 'S3', line: 1 }])).size).toBe(0);
  });

  it('lets remarks be corrected in a re-upload: the line counts as already recorded, not as a conflict', async () => {
    await ingest('returns', await ledgerWorkbook('returns', [returnRow()]));
    const result = await ingest('returns', await ledgerWorkbook('returns', [returnRow({ remarks: '外包装破损' })]));
    expect(result).toMatchObject({ status: 'accepted', counts: { recorded: 0, already_recorded: 1 } });
  });

  it('refuses lines of a dealer or part not in the master data, and records none of the file', async () => {
    const bytes = await ledgerWorkbook('shipments', [shipmentRow({ shipment_id: 'S7' }), shipmentRow({ shipment_id: 'S8', dealer_code: 'D999', part_code: 'P-NONE' })]);
    const result = await ingest('shipments', bytes);
    expect(result.status).toBe('rejected');
    expect(result.errors.map((e) => [e.row, e.code])).toEqual([
      [3, 'unknown_dealer'],
      [3, 'unknown_part'],
    ]);
    expect((await office.ledger.dealerLedger('D001', '2026-12-31')).shipments).toEqual([]);
  });

  it("records returns and gives a dealer its ledger in date order, up to a date", async () => {
    const bytes = await ledgerWorkbook('returns', [returnRow({ return_id: 'R2', received_date: '2026-09-15', qty: 2 }), returnRow()]);
    expect((await ingest('returns', bytes)).status).toBe('accepted');
    const upToAugust = await office.ledger.dealerLedger('D001', '2026-08-31');
    expect(upToAugust.returns.map((r) => [r.return_id, r.received_date, r.qty])).toEqual([['R1', '2026-08-01', 1]]);
    const september = await office.ledger.dealerLedger('D001', '2026-09-30', '2026-09-01');
    expect(september.returns.map((r) => r.return_id)).toEqual(['R2']);
  });
});
