import { beforeAll, describe, expect, it } from 'vitest';
import { ledgerLineKey, type LedgerStore } from '../../shared/app/ports.js';
import { returned, shipment } from '../helpers/ledger.js';
import { fresh } from './fixtures.js';

/** What every LedgerStore does: a line recorded once by its id and line, a dealer's ledger read by date. */
export function describeLedgerStoreContract(name: string, makeStore: () => Promise<LedgerStore>): void {
  describe(`${name} as the parts ledger`, () => {
    let store: LedgerStore;
    beforeAll(async () => {
      store = await makeStore();
    });

    it('records new lines and skips lines already recorded, counting both (a re-upload or a replay)', async () => {
      const id = fresh('S-');
      const lines = [shipment({ shipment_id: id, line: 1 }), shipment({ shipment_id: id, line: 2, qty: 5 })];
      expect(await store.record('shipments', lines, 'upload-1')).toEqual({ recorded: 2, skipped: 0, conflicts: [] });
      const more = [...lines, shipment({ shipment_id: id, line: 3 })];
      expect(await store.record('shipments', more, 'upload-2')).toEqual({ recorded: 1, skipped: 2, conflicts: [] });
      const found = await store.find('shipments', [{ id, line: 1 }, { id, line: 2 }, { id, line: 3 }, { id, line: 4 }]);
      expect([...found.keys()].sort()).toEqual([ledgerLineKey(id, 1), ledgerLineKey(id, 2), ledgerLineKey(id, 3)]);
      expect(found.get(ledgerLineKey(id, 2))).toEqual(lines[1]);
    });

    it('keeps the first recording of a line: a line recorded again with other values is a conflict naming what is recorded, and is not changed', async () => {
      const id = fresh('R-');
      const first = returned({ return_id: id, qty: 1 });
      await store.record('returns', [first], 'upload-1');
      expect(await store.record('returns', [returned({ return_id: id, qty: 9 })], 'upload-2')).toEqual({ recorded: 0, skipped: 0, conflicts: [{ id, line: 1, recorded: first }] });
      expect(await store.record('returns', [returned({ return_id: id, qty: 1, remarks: 'again' })], 'upload-3')).toEqual({ recorded: 0, skipped: 1, conflicts: [] });
      expect((await store.find('returns', [{ id, line: 1 }])).get(ledgerLineKey(id, 1))?.qty).toBe(1);
    });

    it('records lines given whole all together or none of them: one line found recorded, and the new ones stay unwritten', async () => {
      const id = fresh('S-');
      await store.record('shipments', [shipment({ shipment_id: id, line: 1, shipped_date: '2026-10-01' })], 'ship-1', { whole: true });
      const other = [shipment({ shipment_id: id, line: 1, shipped_date: '2026-10-02' }), shipment({ shipment_id: id, line: 2, shipped_date: '2026-10-02' })];
      const outcome = await store.record('shipments', other, 'ship-2', { whole: true });
      expect([outcome.recorded, outcome.skipped, outcome.conflicts.map((c) => [c.id, c.line, (c.recorded as { shipped_date: string }).shipped_date])]).toEqual([0, 0, [[id, 1, '2026-10-01']]]);
      const same = [shipment({ shipment_id: id, line: 1, shipped_date: '2026-10-01' }), shipment({ shipment_id: id, line: 2, shipped_date: '2026-10-01' })];
      expect(await store.record('shipments', same, 'ship-3', { whole: true })).toEqual({ recorded: 0, skipped: 1, conflicts: [] });
      expect((await store.find('shipments', [{ id, line: 2 }])).size).toBe(0);
    });

    it('keeps shipments and returns apart: the same id in both ledgers is two lines', async () => {
      const id = fresh('X-');
      await store.record('shipments', [shipment({ shipment_id: id })], 'u');
      expect(await store.record('returns', [returned({ return_id: id })], 'u')).toEqual({ recorded: 1, skipped: 0, conflicts: [] });
      expect((await store.find('returns', [{ id, line: 1 }])).size).toBe(1);
    });

    it('records more lines at once than one DynamoDB transaction holds', async () => {
      const id = fresh('S-');
      const lines = Array.from({ length: 250 }, (_, i) => shipment({ shipment_id: id, line: i + 1 }));
      expect(await store.record('shipments', lines, 'u')).toEqual({ recorded: 250, skipped: 0, conflicts: [] });
      expect(await store.record('shipments', lines.slice(240), 'u')).toEqual({ recorded: 0, skipped: 10, conflicts: [] });
    });

    it("gives one dealer's shipments and returns dated from a day up to a day, both days included, in date order", async () => {
      // Prepare
      const dealer_code = fresh('D');
      const [s1, s2, s3] = [fresh('S-'), fresh('S-'), fresh('S-')];
      await store.record('shipments', [
        shipment({ shipment_id: s3, dealer_code, shipped_date: '2026-10-31' }),
        shipment({ shipment_id: s1, dealer_code, shipped_date: '2026-10-01' }),
        shipment({ shipment_id: s2, dealer_code, shipped_date: '2026-09-30' }),
        shipment({ shipment_id: s2, line: 2, dealer_code, shipped_date: '2026-09-30' }),
        shipment({ shipment_id: fresh('S-'), dealer_code, shipped_date: '2026-11-01' }),
        shipment({ shipment_id: fresh('S-'), dealer_code: fresh('D'), shipped_date: '2026-10-15' }),
      ], 'u');
      const r1 = fresh('R-');
      await store.record('returns', [returned({ return_id: r1, dealer_code, received_date: '2026-10-31' }), returned({ return_id: fresh('R-'), dealer_code, received_date: '2026-11-01' })], 'u');
      // Act
      const october = await store.dealerLedger(dealer_code, '2026-10-31', '2026-10-01');
      const untilOctober = await store.dealerLedger(dealer_code, '2026-10-31');
      // Assess
      expect(october.shipments.map((s) => s.shipment_id)).toEqual([s1, s3]);
      expect(october.returns.map((r) => r.return_id)).toEqual([r1]);
      expect(untilOctober.shipments.map((s) => [s.shipment_id, s.line])).toEqual([[s2, 1], [s2, 2], [s1, 1], [s3, 1]]);
      expect(untilOctober.shipments[2]).toEqual(shipment({ shipment_id: s1, dealer_code, shipped_date: '2026-10-01' }));
    });

    it('keeps a correction beside its line at its place in the line\'s history (one correction a place): the line stays as recorded, the dealer\'s ledger reads the corrected quantity, 0 for a cancelled line', async () => {
      // Prepare
      const dealer_code = fresh('D');
      const [s1, s2] = [fresh('S-'), fresh('S-')];
      await store.record('shipments', [shipment({ shipment_id: s1, dealer_code, qty: 5 }), shipment({ shipment_id: s2, dealer_code, qty: 3 })], 'u');
      const correction = { type: 'shipments' as const, dealer_code, line: 1, reason: 'typo', by: 'admin-user' };
      // Act
      const first = await store.correct({ ...correction, id: s1, previous_qty: 5, qty: 3, at: '2026-09-01T00:00:00.000Z', sequence: 1 });
      // Made from the history before the first: its place is taken, nothing is written.
      const stale = await store.correct({ ...correction, id: s1, previous_qty: 5, qty: 4, at: '2026-09-01T00:00:00.001Z', sequence: 1 });
      // The clock of another machine may be behind: the place in the history orders, not the time.
      await store.correct({ ...correction, id: s1, previous_qty: 3, qty: 2, at: '2026-08-31T00:00:00.000Z', sequence: 2 });
      await store.correct({ ...correction, id: s2, previous_qty: 3, qty: 0, at: '2026-09-01T00:00:00.000Z', sequence: 1 });
      const missing = await store.correct({ ...correction, id: fresh('S-'), previous_qty: 1, qty: 0, at: '2026-09-01T00:00:00.000Z', sequence: 1 });
      // Assess
      expect([first, stale, missing]).toEqual(['recorded', 'stale', 'missing']);
      expect((await store.dealerLedger(dealer_code, '2026-12-31')).shipments.map((s) => [s.shipment_id, s.qty]).sort()).toEqual([[s1, 2], [s2, 0]].sort());
      expect((await store.corrections(dealer_code, 'shipments', s1, 1)).map((c) => [c.previous_qty, c.qty, c.by])).toEqual([[5, 3, 'admin-user'], [3, 2, 'admin-user']]);
      expect((await store.find('shipments', [{ id: s1, line: 1 }])).get(ledgerLineKey(s1, 1))?.qty).toBe(5);
    });
  });
}
