import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DealerReconciliation } from '../../shared/domain/reconciliation.js';
import { MemoryReconciliationStore } from '../helpers/memory/reconciliation-store.js';
import { anyDay, anyLedger, DEALER, reconcile, returned, shipment, VALVE } from '../helpers/ledger.js';

/** The charges of a run as `previous_charges` for the next one, added to the ones before. */
const chargesAfter = (run: DealerReconciliation, before: ReadonlyMap<string, number>): Map<string, number> => {
  const all = new Map(before);
  for (const c of run.new_charges) all.set(c.lot_id, (all.get(c.lot_id) ?? 0) + c.qty);
  return all;
};

const periodOf = (n: number): string => `2030-${String(n + 1).padStart(2, '0')}`;

describe('closed lots leave the stored reconciliation result (issue 23)', () => {
  it('after many closed lots the stored result holds the open ones only, and reads back with every lot as computed', async () => {
    // Prepare: 40 monthly loans of one unit, each returned in its month but the last one.
    const shipments = Array.from({ length: 40 }, (_, i) => shipment({ shipment_id: `S${i}`, line: 1, shipped_date: `20${26 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`, qty: 1, part_code: VALVE }));
    const returns = shipments.slice(0, -1).map((s) => returned({ received_date: s.shipped_date, qty: 1, part_code: VALVE }));
    const run = reconcile({ shipments, returns, as_of: '2029-05-05' });
    const store = new MemoryReconciliationStore();

    // Act
    await store.saveDealer('2029-04', run, []);

    // Assess
    expect(store.storedResult('2029-04', '2029-05-05', DEALER)?.lots.map((l) => l.lot_id)).toEqual(['S39#1']);
    expect(await store.dealerResults('2029-04', '2029-05-05')).toEqual([{ ...run, flagged_loans: [] }]);
  });

  it('every run of a random lot history reads back as it was computed, late-recorded returns and all, while the stored lots stay open ones', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyLedger(),
        fc.uniqueArray(anyDay(), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 0, max: 4 })),
        async ({ shipments, returns }, days, recordedAt) => {
          // Prepare: return i is recorded before run recordedAt[i] (late returns reopen and credit lots).
          const store = new MemoryReconciliationStore();
          const dates = [...days].sort();
          const runs: DealerReconciliation[] = [];
          let charges = new Map<string, number>();

          // Act
          for (const [n, as_of] of dates.entries()) {
            const known = returns.filter((_, i) => (recordedAt[i] ?? 0) <= n);
            const run = reconcile({ shipments, returns: known, as_of, previous_charges: charges });
            charges = chargesAfter(run, charges);
            await store.saveDealer(periodOf(n), run, []);
            runs.push(run);
          }

          // Assess
          for (const [n, run] of runs.entries()) {
            expect(await store.dealerResults(periodOf(n), run.as_of)).toEqual([{ ...run, flagged_loans: [] }]);
            expect(store.storedResult(periodOf(n), run.as_of, DEALER)?.lots.every((l) => l.open > 0)).toBe(true);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
