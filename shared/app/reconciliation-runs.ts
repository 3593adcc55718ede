/**
 * The month-end run (月末盘点) started from the portal (issue 25): the same plan and per-dealer
 * step the schedule starts, answered once the run is recorded, and its progress read back
 * from the run (dealers reported of dealers planned).
 */
import type { Caller } from '../domain/access.js';
import { businessDateOf, isValidDate, periodBounds } from '../domain/dates.js';
import { authorize, Refusal } from './access.js';
import { fanOutReconciliation, planReconciliation, reconcilePeriod, type ReconcileDeps } from './reconcile.js';
import type { SendDealerMessages } from './reconcile-messages.js';
import type { Clock, ReconciliationRun, ReconciliationStore } from './ports.js';

/** Starts a month's run; resolves with the run as recorded, before its dealers are done. */
export interface ReconciliationRuns {
  start(input: { readonly period: string; readonly as_of: string }): Promise<ReconciliationRun>;
}

/** On AWS: one message per dealer on the reconciliation queue, as the planner sends them. */
export const queuedReconciliationRuns = (deps: Pick<ReconcileDeps, 'master' | 'reconciliations' | 'clock'>, send: SendDealerMessages): ReconciliationRuns => ({
  start: async (input) => (await fanOutReconciliation(deps, { ...input, exclusive: true }, send)).run,
});

/** Locally: the dealers reconciled in this process after the answer, as the local schedule runs them. */
export const inProcessReconciliationRuns = (deps: ReconcileDeps, failed: (error: unknown) => void): ReconciliationRuns => ({
  start: async (input) => {
    const planned = await planReconciliation(deps, { ...input, exclusive: true });
    void reconcilePeriod(deps, { ...input, planned }).catch(failed);
    return planned.run;
  },
});

export interface RunDeps {
  readonly reconciliations: ReconciliationStore;
  readonly clock: Clock;
  readonly config: { readonly businessTimeZone: string };
  /** Absent where runs are not started on request (a back office built for one job). */
  readonly reconciliationRuns?: ReconciliationRuns;
}

/** A run as the portal follows it; also what a start refused while it runs answers with. */
export const runProgress = (run: ReconciliationRun) => ({
  period: run.period, as_of: run.as_of, status: run.status, dealers_total: run.dealers_total, dealers_done: run.dealers_done,
  failed: run.failed.length, started_at: run.started_at, finished_at: run.finished_at,
});

/**
 * Starts the month's run as of a date (today, business time zone, when none is given). A run of
 * the same month still running, the schedule's or one started here, is refused with
 * `RunInProgress`, which names it: one run of a month at a time from the portal. (The schedule
 * and an operator's `reconcile` take a running run over instead: the way back from a run that died.)
 */
export async function startReconciliation(deps: RunDeps, caller: Caller, period: string, asOf?: string) {
  authorize(caller, 'run_reconciliations');
  periodBounds(period);
  const as_of = asOf ?? businessDateOf(deps.clock.now(), deps.config.businessTimeZone);
  if (!isValidDate(as_of)) throw new Refusal('invalid', `as_of ${as_of} is not a date`, `截至日期 ${as_of} 不是有效日期`);
  if (deps.reconciliationRuns === undefined) throw new Refusal('conflict', 'Runs cannot be started here', '此处不能启动月末盘点');
  return runProgress(await deps.reconciliationRuns.start({ period, as_of }));
}

/** Where the month's run as of the date stands; `none` when it was never started. */
export async function reconciliationRunStatus(deps: Pick<RunDeps, 'reconciliations'>, caller: Caller, period: string, as_of: string) {
  authorize(caller, 'read_reconciliations');
  const run = await deps.reconciliations.findRun(period, as_of);
  return run === undefined ? { period, as_of, status: 'none' as const, dealers_total: 0, dealers_done: 0, failed: 0, started_at: null, finished_at: null } : runProgress(run);
}
