import { beforeEach, describe, expect, it } from 'vitest';
import { ingestLedger } from '../../shared/app/ingest-ledger.js';
import { reconcile, shipment } from '../helpers/ledger.js';
import { demoBackOffice, type DemoBackOffice } from '../helpers/memory/world.js';
import { ledgerWorkbook, shipmentRow } from '../helpers/reports.js';

/** "A lot keeps the terms it shipped with": the return window is the one recorded with its shipment line. */
describe('a lot keeps the return window it shipped with', () => {
  it('is not made overdue by a shorter window set after it shipped', () => {
    // Prepare: shipped 2026-09-20 under a 60-day window (due 2026-11-19); the dealer's window is 30 days now
    const shipments = [shipment({ shipped_date: '2026-09-20', return_window_days: 60 })];
    // Act
    const run = reconcile({ shipments, return_window_days: 30, as_of: '2026-11-05' });
    // Assess
    expect(run.new_charges).toEqual([]);
    expect(run.lots).toEqual([expect.objectContaining({ due_date: '2026-11-19', status: 'open' })]);
  });

  it("takes the dealer's current window for a line recorded before lots kept their terms", () => {
    const run = reconcile({ shipments: [shipment({ shipped_date: '2026-09-20' })], return_window_days: 30, as_of: '2026-11-05' });
    expect(run.lots).toEqual([expect.objectContaining({ due_date: '2026-10-20', status: 'charged' })]);
  });
});

describe('recording a shipments upload', () => {
  let office: DemoBackOffice;
  beforeEach(async () => {
    office = await demoBackOffice();
  });

  it("records each line with the dealer's return window of the day: its own, or the default", async () => {
    // Prepare: D002 has a 45-day window of its own, D001 none (the configured 60 days)
    const file = await ledgerWorkbook('shipments', [shipmentRow({ shipment_id: 'S20' }), shipmentRow({ shipment_id: 'S21', dealer_code: 'D002' })]);
    // Act
    await ingestLedger(office, { bytes: file, type: 'shipments', receivedAt: new Date('2026-11-02T10:00:00+08:00'), sourceId: 'terms' });
    // Assess
    expect((await office.ledger.dealerLedger('D001', '2026-12-31')).shipments).toEqual([expect.objectContaining({ shipment_id: 'S20', return_window_days: 60 })]);
    expect((await office.ledger.dealerLedger('D002', '2026-12-31')).shipments).toEqual([expect.objectContaining({ shipment_id: 'S21', return_window_days: 45 })]);
  });
});
