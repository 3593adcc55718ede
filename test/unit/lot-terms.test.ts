import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { ingestLedger } from '../../shared/app/ingest-ledger.js';
import { dealerWindowOn, withReturnWindowOf, type Dealer } from '../../shared/domain/master.js';
import { returnWindowOn } from '../../shared/domain/reconciliation.js';
import { anyDate } from './../helpers/arbitraries.js';
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

/** "A lot keeps the terms it shipped with: the return window is the dealer's window on the shipping date." */
describe("the dealer's window on the shipping date", () => {
  const d002: Dealer = { dealer_code: 'D002', dealer_name: '华南', region: '华南', contact: '李', phone: '1', payment_method: '转账', return_window_days: 45 };
  // 45 days as imported on 2026-09-01, 20 days from 2026-11-01, the default from 2026-12-01
  const history = withReturnWindowOf(
    { ...d002, return_window_days: null },
    withReturnWindowOf({ ...d002, return_window_days: 20 }, withReturnWindowOf(d002, undefined, '2026-09-01'), '2026-11-01'),
    '2026-12-01',
  );

  it('is the window in force on that date, whenever the line is keyed in', () => {
    expect(history.return_window_history).toEqual([{ from: '2026-09-01', days: 45 }, { from: '2026-11-01', days: 20 }, { from: '2026-12-01', days: null }]);
    expect(returnWindowOn(history, '2026-10-31', 60)).toBe(45);
    expect(returnWindowOn(history, '2026-11-01', 60)).toBe(20);
    expect(returnWindowOn(history, '2026-12-15', 60)).toBe(60);
    // Before the dealer was first known: the first window it had
    expect(returnWindowOn(history, '2026-01-01', 60)).toBe(45);
    // A dealer stored before windows had a history: its window, until its next import changes it
    expect(returnWindowOn(d002, '2026-01-01', 60)).toBe(45);
    const changed = withReturnWindowOf({ ...d002, return_window_days: 20 }, d002, '2026-11-01');
    expect([returnWindowOn(changed, '2026-10-31', 60), returnWindowOn(changed, '2026-11-01', 60)]).toEqual([45, 20]);
  });

  it('property: a window change applies from its date on and never to a date before it', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ day: anyDate(2025, 2027), days: fc.option(fc.integer({ min: 1, max: 365 })) }), { minLength: 1, maxLength: 6 }), anyDate(2025, 2027), (changes, shipped) => {
        const sorted = [...changes].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
        let dealer: Dealer | undefined;
        for (const change of sorted) dealer = withReturnWindowOf({ ...d002, return_window_days: change.days }, dealer, change.day);
        const inForce = sorted.filter((c) => c.day <= shipped).at(-1) ?? sorted[0]!;
        // The last import of a day wins; imports that did not change the window add nothing.
        expect(dealerWindowOn(dealer!, shipped)).toBe(sorted.filter((c) => c.day === inForce.day).at(-1)!.days);
      }),
    );
  });

  it('is what a shipments upload keyed in after the window changed records for a line shipped before it', async () => {
    // Prepare: D002 had 45 days until 2026-11-01, 20 days since
    const office = await demoBackOffice('2026-11-20T02:00:00.000Z');
    await office.master.save({ dealers: [history], products: [], parts: [] });
    const file = await ledgerWorkbook('shipments', [
      shipmentRow({ shipment_id: 'S30', dealer_code: 'D002', shipped_date: '2026-10-25' }),
      shipmentRow({ shipment_id: 'S31', dealer_code: 'D002', shipped_date: '2026-11-10' }),
    ]);
    // Act
    await ingestLedger(office, { bytes: file, type: 'shipments', receivedAt: new Date('2026-11-20T10:00:00+08:00'), sourceId: 'late-keyed' });
    // Assess
    const { shipments } = await office.ledger.dealerLedger('D002', '2026-12-31');
    expect(shipments.map((s) => [s.shipment_id, s.return_window_days])).toEqual([['S30', 45], ['S31', 20]]);
  });
});
