import type { BackOfficeConfig } from '../../config.js';
import { chargedLotsOf, chargeRecordsOf, waivedLotsOf } from '../../domain/invoice.js';
import { partNamesOf } from '../../domain/master.js';
import { lotWarnings } from '../../domain/notices-deadlines.js';
import type { NoticeEvent, ReportToFollowUp } from '../../domain/notices.js';
import { priceListFrom, reconcileDealer, returnWindowOf } from '../../domain/reconciliation.js';
import type { ComplaintStore, DisputeStore, InvoiceStore, LedgerStore, ReportStore } from '../ports.js';
import { isOverdue } from '../../domain/disputes.js';
import { overdueNow } from '../quality/complaints.js';
import { reportFollowUps } from '../reminders.js';
import { addressBook, requireAllMailed, tell, UndeliveredNotices, type NoticeDeps, type Told } from './tell.js';

export interface DeadlineNoticeDeps extends NoticeDeps {
  readonly ledger: LedgerStore;
  readonly invoices: InvoiceStore;
  /** Complaints still open past their limits are told to the department with the day's deadlines. */
  readonly complaints?: ComplaintStore;
  /** Disputes still open past their deadline are told to the manager. */
  readonly disputes?: DisputeStore;
  readonly config: NoticeDeps['config'] & Pick<BackOfficeConfig, 'returnWindowDays' | 'businessTimeZone' | 'complaintOpenLimitDays'>;
}

/** A unit of a scheduled job's work that failed and was passed over: the dealer (null for the job's own list), and why. */
export interface JobFailure {
  readonly dealer: string | null;
  readonly error: string;
}

/** The message of an error, cut to a line a report and a log can hold. */
const errorText = (error: unknown): string => ((error as Error)?.message ?? String(error)).slice(0, 500);

/**
 * Runs one unit of a job's work on its own: a unit that throws is recorded in `failed` and the
 * job goes on with the next, so one dealer's broken data never keeps the others from being told.
 */
async function isolated(failed: JobFailure[], dealer: string | null, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof UndeliveredNotices) throw error;
    failed.push({ dealer, error: errorText(error) });
  }
}

/**
 * Tells the admins which units of a run failed (once per job and run: the message is keyed by
 * them), for the run's report; the job itself goes on and succeeds for the others.
 */
async function tellFailures(deps: NoticeDeps, job: { readonly name: string; readonly run: string; readonly runbook: string }, failed: readonly JobFailure[]): Promise<Told[]> {
  if (failed.length === 0) return [];
  const detail = failed.map((f) => `${f.dealer ?? job.name}: ${f.error}`).join('\n');
  return tell(deps, { kind: 'run_failed', job: job.name, run: job.run, detail: `${failed.length} failed, the others were done / ${failed.length} 个失败，其余已完成\n${detail}`, runbook: job.runbook }).catch(() => []);
}

/**
 * The daily deadline job: each dealer with lots due within 7 days, or overdue and not yet
 * charged, is told which (its own lots only); a dealer with nothing due is told nothing. The
 * lots come from a reconciliation computed as of the day and kept nowhere: it charges nothing.
 * Run again the same day (or the next, with the same lots) it finds its messages kept and
 * mails nothing twice. Each dealer is a unit of its own: one whose data cannot be read or
 * reconciled is listed in `failed` (and told to the admins) while every other is told.
 */
export async function deadlineNotices(deps: DeadlineNoticeDeps, as_of: string): Promise<{ readonly as_of: string; readonly told: Told[]; readonly failed: JobFailure[] }> {
  const master = await deps.master.load();
  const prices = priceListFrom(master.parts);
  const partNames = partNamesOf(master.parts);
  const book = addressBook(deps);
  const told: Told[] = [];
  const failed: JobFailure[] = [];
  for (const dealer of [...master.dealers.values()].sort((a, b) => (a.dealer_code < b.dealer_code ? -1 : 1))) {
    await isolated(failed, dealer.dealer_code, async () => {
      const ledger = await deps.ledger.dealerLedger(dealer.dealer_code, as_of);
      if (ledger.shipments.length === 0) return;
      const { invoices } = await deps.invoices.chargeState(dealer.dealer_code);
      const charges = chargedLotsOf(invoices);
      const reconciliation = reconcileDealer({
        dealer_code: dealer.dealer_code,
        return_window_days: returnWindowOf(dealer, deps.config.returnWindowDays),
        shipments: ledger.shipments,
        returns: ledger.returns,
        previous_charges: charges,
        charge_records: chargeRecordsOf(invoices),
        waived: waivedLotsOf(invoices),
        as_of,
        prices,
      });
      const { due, overdue } = lotWarnings(reconciliation, prices, partNames, as_of);
      const events: NoticeEvent[] = [];
      if (due.length > 0) events.push({ kind: 'lots_due', dealer: dealer.dealer_code, as_of, lots: due });
      if (overdue.length > 0) events.push({ kind: 'lots_overdue', dealer: dealer.dealer_code, as_of, lots: overdue });
      for (const event of events) told.push(...(await tell(deps, event, book)));
    });
  }
  if (deps.complaints !== undefined) {
    const complaints = deps.complaints;
    await isolated(failed, null, async () => {
      // Steps still to do only: a step done late is a figure on the scorecard, not something to act on.
      for (const { complaint, late } of await overdueNow({ ...deps, complaints })) {
        for (const { step, due, done } of late) {
          if (!done) told.push(...(await tell(deps, { kind: 'complaint_overdue', dealer: complaint.dealer_code, complaint_id: complaint.complaint_id, step, due: due.replace('T', ' ') }, book)));
        }
      }
    });
  }
  if (deps.disputes !== undefined) {
    const disputes = deps.disputes;
    await isolated(failed, null, async () => {
      for (const d of (await disputes.list(undefined)).filter((d) => isOverdue(d, as_of))) {
        told.push(...(await tell(deps, { kind: 'dispute_overdue', dealer: d.dealer, invoice_no: d.invoice_no, line: d.line, due_date: d.due_date }, book)));
      }
    });
  }
  told.push(...(await tellFailures(deps, { name: 'deadlines', run: as_of, runbook: 'The daily deadline job' }, failed)));
  requireAllMailed(told);
  return { as_of, told, failed };
}

export interface ReminderNoticeDeps extends NoticeDeps {
  readonly reports: ReportStore;
}

/**
 * The 4th of the month: each dealer with a missing or late report of `period` is told which,
 * and the after-sales department gets one list naming, besides, the dealers that could not be
 * mailed and those that failed. Nothing missing, nothing told. Each dealer is a unit of its
 * own: one whose reports cannot be read, or whose message cannot be kept, is listed in `failed`
 * while every other is told.
 */
export async function reportReminders(deps: ReminderNoticeDeps, period: string): Promise<{ readonly period: string; readonly followUps: ReportToFollowUp[]; readonly told: Told[]; readonly failed: JobFailure[] }> {
  const failed: JobFailure[] = [];
  const followUps = await reportFollowUps(deps, period, (dealer, error) => failed.push({ dealer, error: errorText(error) }));
  const book = addressBook(deps);
  const told: Told[] = [];
  for (const dealer of [...new Set(followUps.map((f) => f.dealer))]) {
    await isolated(failed, dealer, async () => {
      told.push(...(await tell(deps, { kind: 'reports_missing', period, dealer, reports: followUps.filter((f) => f.dealer === dealer) }, book)));
    });
  }
  if (followUps.length > 0) {
    const unmailed = [...told.filter((t) => t.mail === 'no_address' || t.mail === 'failed').map((t) => t.recipient), ...failed.flatMap((f) => (f.dealer === null ? [] : [f.dealer]))];
    told.push(...(await tell(deps, { kind: 'reports_follow_up', period, reports: followUps, unmailed }, book)));
  }
  told.push(...(await tellFailures(deps, { name: 'reminders', run: period, runbook: 'Reminders' }, failed)));
  requireAllMailed(told);
  return { period, followUps, told, failed };
}

/**
 * Runs a scheduled job and, when it fails for another reason than mail still to send, tells
 * the admins what failed and where the runbook looks (once per job and run), then fails as
 * before so the scheduler retries it and the dead-letter queue keeps what never succeeded.
 */
export async function reportingFailure<T>(deps: NoticeDeps, job: { readonly name: string; readonly run: string; readonly runbook: string }, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof UndeliveredNotices)) {
      await tell(deps, { kind: 'run_failed', job: job.name, run: job.run, detail: (error as Error).message ?? String(error), runbook: job.runbook }).catch(() => undefined);
    }
    throw error;
  }
}
