import type { DealerOutcome, OutcomeTally, ReconciledDealer, ReconciliationRun, ReconciliationStore, RunKey } from '../../../shared/app/ports.js';
import { joinLots, latestClosedLots, splitLots, type ClosedLotVersion, type DealerReconciliation, type FlaggedLoan } from '../../../shared/domain/reconciliation.js';
import { byteOrder, copy } from './order.js';

/** A run as held: its failures by dealer, as the DynamoDB item keeps them. */
type HeldRun = { -readonly [K in keyof Omit<ReconciliationRun, 'failed'>]: ReconciliationRun[K] } & { failed: Map<string, string> };

const runId = (period: string, as_of: string) => `${period}#${as_of}`;
const markerId = (run: RunKey, dealer: string) => `${run.period}#${run.as_of}#${run.run_id}#${dealer}`;

/**
 * Reconciliations and runs in memory, with the DynamoDB store's rules: a run replaced whole
 * by a newer one of its period and date, a dealer counted once per run, a failure that a later
 * report can change, a success that is final, and a run settled once every dealer reported.
 */
export class MemoryReconciliationStore implements ReconciliationStore {
  /** Results as the DynamoDB item holds them: the open lots only, and the sequence number their closed lots are read at. */
  private readonly results = new Map<string, ReconciledDealer & { readonly lots_seq: number }>();
  /** Per dealer: its closed-lot versions and its last result sequence number. */
  private readonly closedLots = new Map<string, { seq: number; versions: ClosedLotVersion[] }>();
  private readonly runs = new Map<string, HeldRun>();
  private readonly markers = new Map<string, DealerOutcome>();

  async saveDealer(period: string, result: DealerReconciliation, flagged: readonly FlaggedLoan[]): Promise<void> {
    const dealer = this.closedLots.get(result.dealer_code) ?? { seq: 0, versions: [] };
    this.closedLots.set(result.dealer_code, dealer);
    const seq = ++dealer.seq;
    const { open, versions } = splitLots(result.lots, latestClosedLots(dealer.versions), seq);
    dealer.versions.push(...copy(versions));
    this.results.set(`${runId(period, result.as_of)}#${result.dealer_code}`, copy({ ...result, lots: open, flagged_loans: flagged, lots_seq: seq }));
  }

  /** The result as saved, closed lots left out: what the DynamoDB store's item holds (the bench measures it). */
  storedResult(period: string, as_of: string, dealer: string): ReconciledDealer | undefined {
    const held = this.results.get(`${runId(period, as_of)}#${dealer}`);
    return held && copy(held);
  }

  /** How many closed-lot versions the dealer's results wrote (the bench counts them). */
  closedLotVersionCount(dealer: string): number {
    return this.closedLots.get(dealer)?.versions.length ?? 0;
  }

  async dealerResult(period: string, as_of: string, dealer: string): Promise<ReconciledDealer | undefined> {
    return (await this.dealerResults(period, as_of)).find((r) => r.dealer_code === dealer);
  }

  async dealerResults(period: string, as_of: string): Promise<ReconciledDealer[]> {
    const prefix = `${runId(period, as_of)}#`;
    return [...this.results.entries()]
      .filter(([id]) => id.startsWith(prefix))
      .sort(([a], [b]) => byteOrder(a, b))
      .map(([, { lots_seq, ...result }]) => copy({ ...result, lots: joinLots(result.lots, this.closedLots.get(result.dealer_code)?.versions ?? [], lots_seq) }));
  }

  async lastAsOf(period: string): Promise<string | undefined> {
    return [...this.runs.values()].filter((run) => run.period === period).map((run) => run.as_of).sort(byteOrder).at(-1);
  }

  async saveRun(run: Omit<ReconciliationRun, 'failed'>): Promise<void> {
    this.runs.set(runId(run.period, run.as_of), { ...copy(run), failed: new Map() });
  }

  async claimRun(run: Omit<ReconciliationRun, 'failed'>, abandonedBefore: string): Promise<'claimed' | 'running'> {
    const held = this.runs.get(runId(run.period, run.as_of));
    if (held !== undefined && held.status === 'running' && held.started_at >= abandonedBefore) return 'running';
    await this.saveRun(run);
    return 'claimed';
  }

  async findRun(period: string, as_of: string): Promise<ReconciliationRun | undefined> {
    const held = this.runs.get(runId(period, as_of));
    if (held === undefined) return undefined;
    const failed = [...held.failed].map(([dealer, error]) => ({ dealer, error })).sort((a, b) => (a.dealer < b.dealer ? -1 : 1));
    return copy({ ...held, failed });
  }

  async runStatuses(runs: readonly Pick<RunKey, 'period' | 'as_of'>[]): Promise<Map<string, ReconciliationRun['status']>> {
    return new Map(runs.flatMap((run) => {
      const held = this.runs.get(runId(run.period, run.as_of));
      return held === undefined ? [] : [[runId(run.period, run.as_of), held.status] as const];
    }));
  }

  async recordDealerOutcome(run: RunKey, dealer: string, outcome: DealerOutcome, _at: string): Promise<OutcomeTally> {
    const held = this.runs.get(runId(run.period, run.as_of));
    if (held === undefined || held.run_id !== run.run_id) return 'stale';
    const marker = markerId(run, dealer);
    const before = this.markers.get(marker);
    if (before === undefined) {
      held.dealers_done += 1;
    } else if (before.status === 'done' || (outcome.status === 'failed' && before.error === outcome.error)) {
      return 'unchanged';
    }
    this.markers.set(marker, copy(outcome));
    if (outcome.status === 'failed') held.failed.set(dealer, outcome.error);
    else held.failed.delete(dealer);
    return before === undefined ? 'counted' : 'updated';
  }

  async settleRun(run: RunKey, at: string): Promise<ReconciliationRun | undefined> {
    const current = await this.findRun(run.period, run.as_of);
    if (current === undefined || current.run_id !== run.run_id || current.dealers_done < current.dealers_total) return current;
    const status = current.failed.length > 0 ? 'done_with_failures' : 'done';
    if (current.status === status) return current;
    const held = this.runs.get(runId(run.period, run.as_of))!;
    held.status = status;
    held.finished_at = at;
    return { ...current, status, finished_at: at };
  }
}
