/**
 * The one-off rebuild of the month pages' read models for data taken in before they were kept
 * (docs/operations.md, "Read models"): each current report's digest on its pointer, and the
 * maker's calls and the unboxing cases listed in their month's index, the complaints not closed
 * listed in the open index and each complaint copied to its dealer's partition (both complete from
 * `from` on once done), and each dealer's month score kept for the worst-first list (marked
 * complete from `from` on: the writers keep every month after). Repeatable: a digest is
 * kept only on the version it was read from, an index entry replaces itself.
 */
import { nextPeriod } from '../domain/dates.js';
import { REPORT_TYPES } from '../domain/fields.js';
import type { BackOfficeConfig } from '../config.js';
import type { Clock, ComplaintStore, InvoiceStore, JournalStore, MasterStore, ReportStore, ScoreStore, UnboxingStore, VerificationStore } from './ports.js';
import { keepMonthScores, monthOfComplaint } from './quality/month-scores.js';
import { digestFromRows } from './report-digest.js';
import { pageHeads } from './finance/journal.js';
import { periodHeadOf } from './invoices.js';

export interface ReadModelDeps {
  readonly reports: ReportStore;
  readonly verification: VerificationStore;
  readonly unboxing: UnboxingStore;
  readonly complaints: ComplaintStore;
  readonly invoices: InvoiceStore;
  readonly journal: JournalStore;
  readonly master: MasterStore;
  readonly scores: ScoreStore;
  readonly clock: Clock;
  readonly config: Pick<BackOfficeConfig, 'verificationSample' | 'verificationMarginPercent'>;
}

export interface ReadModelRebuild {
  /** Current reports of the months. */
  readonly reports: number;
  /** Digests made from rows and kept (the others had theirs already). */
  readonly digests_kept: number;
  readonly calls_listed: number;
  readonly cases_listed: number;
  readonly open_complaints_listed: number;
  readonly complaints_copied_to_dealers: number;
  /** Months of the range whose forms' count and total were read from their index and kept on their counter. */
  readonly period_heads_kept: number;
  /** Dealers of the master data whose journal head was checked, and written where missing or behind. */
  readonly journal_heads_checked: number;
  /** Dealers' months (a repair report or a complaint) whose score was kept for the worst-first scorecards. */
  readonly month_scores_kept: number;
}

/** Dealers read one page of the month's pointers at a time. */
const PAGE = 100;

export async function rebuildReadModels(deps: ReadModelDeps, from: string, to: string): Promise<ReadModelRebuild> {
  let reports = 0;
  let digests_kept = 0;
  let calls_listed = 0;
  let cases_listed = 0;
  const scored: { dealer: string; period: string }[] = [];
  for (let period = from; period <= to; period = nextPeriod(period)) {
    for (const type of REPORT_TYPES) {
      let after: string | undefined;
      for (let more = true; more; ) {
        const page = await deps.reports.monthReports(type, period, { after, limit: PAGE });
        for (const report of page.reports) {
          reports += 1;
          const target = { dealer: report.dealer, type, period };
          if (report.digest === null && (await deps.reports.keepDigest(target, report.version, await digestFromRows(deps.reports, target, report.version)))) digests_kept += 1;
          // Calls are recorded about a month's reported repairs, cases opened by its installation report: the dealers with a report are the ones that may have them.
          if (type === 'repair') {
            calls_listed += await deps.verification.indexMonth(report.dealer, period);
            scored.push({ dealer: report.dealer, period });
          }
          else cases_listed += await deps.unboxing.indexMonth(report.dealer, period);
        }
        after = page.reports.at(-1)?.dealer;
        more = page.more && after !== undefined;
      }
    }
  }
  const { open, dealer_copies } = await deps.complaints.indexMonths(from, to);
  // After the complaints' copies: a month's score reads its dealer's complaints from them.
  for (const complaint of await deps.complaints.received(from, to)) scored.push(monthOfComplaint(complaint));
  const month_scores_kept = await keepMonthScores(deps, scored);
  await deps.scores.markComplete(from);
  return { reports, digests_kept, calls_listed, cases_listed, open_complaints_listed: open, complaints_copied_to_dealers: dealer_copies, ...(await rebuildHeads(deps, from, to)), month_scores_kept };
}

/**
 * The heads the balance and forms pages read, for data taken in before they were kept: each
 * month's count and total on its number counter (kept only if no form was numbered meanwhile;
 * one numbered since keeps it up to date itself), and every dealer's journal head, read from its
 * entries where missing or behind its forms. Until then both are worked out on read, slower.
 */
async function rebuildHeads(deps: ReadModelDeps, from: string, to: string): Promise<Pick<ReadModelRebuild, 'period_heads_kept' | 'journal_heads_checked'>> {
  let period_heads_kept = 0;
  for (let period = from; period <= to; period = nextPeriod(period)) {
    if ((await deps.invoices.periodHead(period)) === undefined && (await deps.invoices.keepPeriodHead(period, periodHeadOf(await deps.invoices.periodIndex(period))))) period_heads_kept += 1;
  }
  const dealers = [...(await deps.master.load()).dealers.keys()].sort();
  for (let at = 0; at < dealers.length; at += PAGE) await pageHeads(deps, dealers.slice(at, at + PAGE));
  return { period_heads_kept, journal_heads_checked: dealers.length };
}
