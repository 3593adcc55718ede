import { beforeAll, describe, expect, it } from 'vitest';
import type { ReconciliationRun, ReconciliationStore, RunKey } from '../../shared/app/ports.js';
import type { FlaggedLoan, LotState } from '../../shared/domain/reconciliation.js';
import { fresh, reconciliation } from './fixtures.js';

const AT = '2026-11-05T02:00:00.000Z';
const LATER = '2026-11-05T02:05:00.000Z';
const AS_OF = '2026-11-05';

let periods = 0;
/** A month no other test of the run uses: 2030-01, 2030-02, … */
const freshPeriod = (): string => `${2030 + Math.floor(periods / 12)}-${String((periods++ % 12) + 1).padStart(2, '0')}`;

/**
 * What every ReconciliationStore does: a run replaced whole by a newer run of its period and
 * date, each dealer counted once per run, a failure that a later report can change, a success
 * that is final, and a run settled once every dealer has reported.
 */
export function describeReconciliationStoreContract(name: string, makeStore: () => Promise<ReconciliationStore>): void {
  describe(`${name} as the reconciliation store`, () => {
    let store: ReconciliationStore;
    beforeAll(async () => {
      store = await makeStore();
    });

    /** A running run of a period of its own, so that tests never share one. */
    async function startRun(dealers_total: number): Promise<RunKey & ReconciliationRun> {
      const run = { period: freshPeriod(), as_of: AS_OF, run_id: fresh('run-'), status: 'running' as const, dealers_total, dealers_done: 0, failed: [], started_at: AT, finished_at: null };
      await store.saveRun(run);
      return run;
    }

    it('keeps each dealer’s reconciliation of a period and date with the loans its cross-check flagged', async () => {
      const as_of = AS_OF;
      const period = freshPeriod();
      const flagged: FlaggedLoan[] = [{ shipment_id: 'S-1', line: 1, dealer_code: 'D002', part_code: 'P-VALVE-01', qty: 1, repair_id: 'RP-1', reason: 'out_of_warranty' }];
      await store.saveDealer(period, reconciliation('D002', as_of), flagged);
      await store.saveDealer(period, reconciliation('D001', as_of), []);
      await store.saveDealer(period, reconciliation('D001', '2026-11-06'), []);
      expect(await store.dealerResults(period, as_of)).toEqual([
        { ...reconciliation('D001', as_of), flagged_loans: [] },
        { ...reconciliation('D002', as_of), flagged_loans: flagged },
      ]);
      expect(await store.dealerResults(period, '2026-11-07')).toEqual([]);
      expect(await store.dealerResult(period, as_of, 'D002')).toEqual({ ...reconciliation('D002', as_of), flagged_loans: flagged });
      expect(await store.dealerResult(period, '2026-11-07', 'D002')).toBeUndefined();
    });

    it('reads every result back with all its lots, as saved, while lots close, reopen, change, are cancelled and runs come out of date order', async () => {
      const dealer = fresh('DL');
      const lot = (n: number, part: string, change: Partial<LotState> = {}): LotState => ({
        lot_id: `S${n}#1`, dealer_code: dealer, part_code: part, shipment_id: `S${n}`, line: 1, shipped_date: `2026-0${n}-01`,
        due_date: `2026-0${n}-30`, qty: 2, returned: 2, charged: 0, waived: 0, open: 0, status: 'returned', ...change,
      });
      const open = { returned: 0, open: 2, status: 'open' } as const;
      const charged = { returned: 0, charged: 2, status: 'charged' } as const;
      // Each as a run saves it (lots in part then FIFO order), in the order the runs happened; S1–S4 close, S2 reopens and closes again, S3 is credited, S4 is cancelled.
      const history: Array<[string, string, LotState[]]> = [
        [freshPeriod(), '2026-11-05', [lot(2, 'P-A', open), lot(3, 'P-A', charged), lot(1, 'P-B')]],
        [freshPeriod(), '2026-12-05', [lot(2, 'P-A'), lot(3, 'P-A', charged), lot(4, 'P-A'), lot(1, 'P-B')]],
        [freshPeriod(), '2026-11-20', [lot(2, 'P-A', open), lot(3, 'P-A', { returned: 1, charged: 1, status: 'charged' }), lot(4, 'P-A'), lot(1, 'P-B')]],
        [freshPeriod(), '2027-01-05', [lot(2, 'P-A'), lot(3, 'P-A', charged), lot(1, 'P-B'), lot(5, 'P-B', open)]],
      ];
      for (const [period, as_of, lots] of history) await store.saveDealer(period, { ...reconciliation(dealer, as_of), lots }, []);
      for (const [period, as_of, lots] of history) {
        expect(await store.dealerResults(period, as_of)).toEqual([{ ...reconciliation(dealer, as_of), lots, flagged_loans: [] }]);
        expect(await store.dealerResult(period, as_of, dealer)).toEqual({ ...reconciliation(dealer, as_of), lots, flagged_loans: [] });
      }
    });

    it('finds a run with the failures its dealers reported, by dealer, and a newer run of the same period and date replaces it', async () => {
      const run = await startRun(3);
      await store.recordDealerOutcome(run, 'D002', { status: 'failed', error: 'bad' }, AT);
      await store.recordDealerOutcome(run, 'D001', { status: 'failed', error: 'worse' }, AT);
      expect(await store.findRun(run.period, run.as_of)).toEqual({ ...run, dealers_done: 2, failed: [{ dealer: 'D001', error: 'worse' }, { dealer: 'D002', error: 'bad' }] });
      const newer = { ...run, run_id: fresh('run-'), failed: [] };
      await store.saveRun(newer);
      expect(await store.findRun(run.period, run.as_of)).toEqual(newer);
      expect(await store.findRun(run.period, '2026-10-31')).toBeUndefined();
      expect(await store.runStatuses([run, { period: run.period, as_of: '2026-10-31' }])).toEqual(new Map([[`${run.period}#${run.as_of}`, newer.status]]));
    });

    it('counts a dealer once per run however often it reports the same outcome (a redelivered message)', async () => {
      const run = await startRun(2);
      expect(await store.recordDealerOutcome(run, 'D001', { status: 'done' }, AT)).toBe('counted');
      expect(await store.recordDealerOutcome(run, 'D001', { status: 'done' }, LATER)).toBe('unchanged');
      expect((await store.findRun(run.period, run.as_of))?.dealers_done).toBe(1);
    });

    it('records a failure, changes it into success when a retry works, and keeps a success final', async () => {
      const run = await startRun(2);
      expect(await store.recordDealerOutcome(run, 'D001', { status: 'failed', error: 'timeout' }, AT)).toBe('counted');
      expect((await store.findRun(run.period, run.as_of))?.failed).toEqual([{ dealer: 'D001', error: 'timeout' }]);
      expect(await store.recordDealerOutcome(run, 'D001', { status: 'failed', error: 'timeout' }, AT)).toBe('unchanged');
      expect(await store.recordDealerOutcome(run, 'D001', { status: 'failed', error: 'bad price' }, AT)).toBe('updated');
      expect((await store.findRun(run.period, run.as_of))?.failed).toEqual([{ dealer: 'D001', error: 'bad price' }]);
      expect(await store.recordDealerOutcome(run, 'D001', { status: 'done' }, LATER)).toBe('updated');
      expect(await store.recordDealerOutcome(run, 'D001', { status: 'failed', error: 'late failure' }, LATER)).toBe('unchanged');
      const found = await store.findRun(run.period, run.as_of);
      expect([found?.dealers_done, found?.failed]).toEqual([1, []]);
    });

    it('tells a dealer reporting into a replaced or unknown run that it is stale, and counts nothing', async () => {
      const run = await startRun(1);
      const newer = { ...run, run_id: fresh('run-') };
      await store.saveRun(newer);
      expect(await store.recordDealerOutcome(run, 'D001', { status: 'done' }, AT)).toBe('stale');
      expect((await store.findRun(run.period, run.as_of))?.dealers_done).toBe(0);
      expect(await store.recordDealerOutcome({ period: freshPeriod(), as_of: AS_OF, run_id: 'never' }, 'D001', { status: 'done' }, AT)).toBe('stale');
    });

    it('settles a run once every dealer has reported: done, or done with failures; not before', async () => {
      // Prepare
      const clean = await startRun(2);
      const failing = await startRun(1);
      await store.recordDealerOutcome(clean, 'D001', { status: 'done' }, AT);
      // Act and assess: one dealer still out
      expect((await store.settleRun(clean, AT))?.status).toBe('running');
      await store.recordDealerOutcome(clean, 'D002', { status: 'done' }, LATER);
      await store.recordDealerOutcome(failing, 'D001', { status: 'failed', error: 'no prices' }, LATER);
      expect(await store.settleRun(clean, LATER)).toMatchObject({ status: 'done', finished_at: LATER, dealers_done: 2 });
      expect(await store.settleRun(failing, LATER)).toMatchObject({ status: 'done_with_failures', finished_at: LATER });
      // Settling again changes nothing
      expect(await store.settleRun(clean, '2026-11-06T00:00:00.000Z')).toMatchObject({ status: 'done', finished_at: LATER });
      expect(await store.findRun(clean.period, clean.as_of)).toMatchObject({ status: 'done', finished_at: LATER });
    });

    it('leaves a run that a newer one replaced as the newer one is', async () => {
      const run = await startRun(0);
      const newer = { ...run, run_id: fresh('run-'), dealers_total: 5 };
      await store.saveRun(newer);
      expect(await store.settleRun(run, LATER)).toEqual(newer);
    });

    it('claims a period and date for a new run only while no run there is in progress: not while one runs, again once it settled or was abandoned', async () => {
      // Prepare
      const running = await startRun(1);
      const next = { ...running, run_id: fresh('run-'), started_at: LATER };
      // Act and assess: running since AT, not abandoned before AT
      expect(await store.claimRun(next, AT)).toBe('running');
      expect((await store.findRun(running.period, running.as_of))?.run_id).toBe(running.run_id);
      // Abandoned: it started before the limit
      expect(await store.claimRun(next, LATER)).toBe('claimed');
      expect((await store.findRun(running.period, running.as_of))?.run_id).toBe(next.run_id);
      // Settled: a new run may start however recent
      await store.recordDealerOutcome(next, 'D001', { status: 'done' }, LATER);
      await store.settleRun(next, LATER);
      expect(await store.claimRun({ ...next, run_id: fresh('run-') }, AT)).toBe('claimed');
      // A period and date never run
      expect(await store.claimRun({ ...next, period: freshPeriod(), run_id: fresh('run-') }, AT)).toBe('claimed');
    });

    it('names the latest as-of date a period was run at, and none for a period never run', async () => {
      // Prepare
      const period = freshPeriod();
      for (const as_of of ['2026-11-20', '2026-11-05']) {
        await store.saveRun({ period, as_of, run_id: fresh('run-'), status: 'running', dealers_total: 1, dealers_done: 0, started_at: AT, finished_at: null });
      }
      // Act
      const last = await store.lastAsOf(period);
      // Assess
      expect(last).toBe('2026-11-20');
      expect(await store.lastAsOf(freshPeriod())).toBeUndefined();
    });
  });
}
