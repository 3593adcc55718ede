import { beforeAll, describe, expect, it } from 'vitest';
import type { BackOfficeConfig } from '../../shared/config.js';
import { createAdapters, type Adapters } from '../../shared/compose.js';
import { ingestLedger } from '../../shared/app/ingest-ledger.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { freshStack } from '../helpers/local-stack.js';
import { ledgerWorkbook, returnRow, shipmentRow } from '../helpers/reports.js';

let config: BackOfficeConfig;
let adapters: Adapters;
let uploads = 0;
const receivedAt = new Date('2026-11-02T10:00:00+08:00');

const ingest = async (type: 'shipments' | 'returns', bytes: Uint8Array) =>
  ingestLedger({ ...adapters, config }, { bytes, type, receivedAt, sourceId: `test:${(uploads += 1)}` });

beforeAll(async () => {
  config = await freshStack();
  adapters = createAdapters(config);
  await adapters.master.save({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
});

describe('recording the parts ledgers', () => {
  it('records each shipment line once, however often the same file is uploaded', async () => {
    // Prepare
    const bytes = await ledgerWorkbook('shipments', [
      shipmentRow(),
      shipmentRow({ part_code: 'P-SEAL-03', qty: 10, kind: '赠送品' }),
      shipmentRow({ shipment_id: 'S2', dealer_code: 'D002' }),
    ]);
    // Act
    const first = await ingest('shipments', bytes);
    const again = await ingest('shipments', bytes);
    // Assess
    expect(first).toMatchObject({ status: 'accepted', counts: { rows: 3, records: 3, recorded: 3, already_recorded: 0 } });
    expect(again).toMatchObject({ status: 'accepted', counts: { recorded: 0, already_recorded: 3 } });
    const ledger = await adapters.ledger.dealerLedger('D001', '2026-12-31');
    expect(ledger.shipments.map((s) => [s.shipment_id, s.line, s.kind, s.qty])).toEqual([
      ['S1', 1, 'warranty_loan', 4],
      ['S1', 2, 'gift', 10],
    ]);
  });

  it('records the lines of the sheet with the header row when a notes sheet comes first', async () => {
    const result = await ingest('returns', await ledgerWorkbook('returns', [returnRow({ return_id: 'R-NOTES', dealer_code: 'D003' })], { notesSheetFirst: true }));
    expect(result).toMatchObject({ status: 'accepted', errors: [], counts: { records: 1, recorded: 1 } });
  });

  it('refuses a line whose id was recorded with different content, and records nothing of that file', async () => {
    const bytes = await ledgerWorkbook('shipments', [shipmentRow({ shipment_id: 'S3' }), shipmentRow({ qty: 5 })]);
    const result = await ingest('shipments', bytes);
    expect(result.status).toBe('rejected');
    expect(result.errors.map((e) => [e.row, e.column, e.code])).toEqual([[3, 'shipment_id', 'ledger_conflict']]);
    expect(result.errorReport).not.toBeNull();
    expect((await adapters.ledger.find('shipments', [{ id: 'S3', line: 1 }])).size).toBe(0);
  });

  it('records returns and gives a dealer its ledger in date order, up to a date', async () => {
    const bytes = await ledgerWorkbook('returns', [returnRow(), returnRow({ return_id: 'R2', received_date: '2026-09-15', qty: 2 })]);
    expect((await ingest('returns', bytes)).status).toBe('accepted');
    const upToAugust = await adapters.ledger.dealerLedger('D001', '2026-08-31');
    expect(upToAugust.returns.map((r) => [r.return_id, r.received_date, r.qty])).toEqual([['R1', '2026-08-01', 1]]);
    const september = await adapters.ledger.dealerLedger('D001', '2026-09-30', '2026-09-01');
    expect(september.returns.map((r) => r.return_id)).toEqual(['R2']);
    expect(september.shipments).toEqual([]);
  });
});
