import type { BackOfficeConfig } from '../../config.js';
import { chargedLotsOf, chargeRecordsOf, waivedLotsOf } from '../../domain/invoice.js';
import { partNamesOf } from '../../domain/master.js';
import { lotWarnings } from '../../domain/notices-deadlines.js';
import type { NoticeEvent, ReportToFollowUp } from '../../domain/notices.js';
import { priceListFrom, reconcileDealer, returnWindowOf } from '../../domain/reconciliation.js';
import type { ComplaintStore, InvoiceStore, LedgerStore, ReportStore } from '../ports.js';
import { overdueNow } from '../quality/complaints.js';
import { reportFollowUps } from '../reminders.js';
import { addressBook, requireAllMailed, tell, tellAll, UndeliveredNotices, type NoticeDeps, type Told } from './tell.js';

export interface DeadlineNoticeDeps extends NoticeDeps {
  readonly ledger: LedgerStore;
  readonly invoices: InvoiceStore;
  /** Complaints still open past their limits are told to the department with the day's deadlines. */
  readonly complaints?: ComplaintStore;
  readonly config: NoticeDeps['config'] & Pick<BackOfficeConfig, 'returnWindowDays' | 'businessTimeZone' | 'complaintOpenLimitDays'>;
}

/**
 * The daily deadline job: each dealer with lots due within 7 days, or overdue and not yet
 * charged, is told which (its own lots only); a dealer with nothing due is told nothing. The
 * lots come from a reconciliation computed as of the day and kept nowhere: it charges nothing.
 * Run again the same day (or the next, with the same lots) it finds its messages kept and
 * mails nothing twice.
 */
export async function deadlineNotices(deps: DeadlineNoticeDeps, as_of: string): Promise<{ readonly as_of: string; readonly told: Told[] }> {
  const master = await deps.master.load();
  const prices = priceListFrom(master.parts);
  const partNames = partNamesOf(master.parts);
  const events: NoticeEvent[] = [];
  for (const dealer of [...master.dealers.values()].sort((a, b) => (a.dealer_code < b.dealer_code ? -1 : 1))) {
    const ledger = await deps.ledger.dealerLedger(dealer.dealer_code, as_of);
    if (ledger.shipments.length === 0) continue;
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
    if (due.length > 0) events.push({ kind: 'lots_due', dealer: dealer.dealer_code, as_of, lots: due });
    if (overdue.length > 0) events.push({ kind: 'lots_overdue', dealer: dealer.dealer_code, as_of, lots: overdue });
  }
  if (deps.complaints !== undefined) {
    // Steps still to do only: a step done late is a figure on the scorecard, not something to act on.
    for (const { complaint, late } of await overdueNow({ ...deps, complaints: deps.complaints })) {
      for (const { step, due, done } of late) {
        if (!done) events.push({ kind: 'complaint_overdue', dealer: complaint.dealer_code, complaint_id: complaint.complaint_id, step, due: due.replace('T', ' ') });
      }
    }
  }
  return { as_of, told: await tellAll(deps, events) };
}

export interface ReminderNoticeDeps extends NoticeDeps {
  readonly reports: ReportStore;
}

/**
 * The 4th of the month: each dealer with a missing or late report of `period` is told which,
 * and the after-sales department gets one list naming, besides, the dealers that could not be
 * mailed. Nothing missing, nothing told.
 */
export async function reportReminders(deps: ReminderNoticeDeps, period: string): Promise<{ readonly period: string; readonly followUps: ReportToFollowUp[]; readonly told: Told[] }> {
  const followUps = await reportFollowUps(deps, period);
  if (followUps.length === 0) return { period, followUps, told: [] };
  const dealers = [...new Set(followUps.map((f) => f.dealer))];
  const book = addressBook(deps);
  const told: Told[] = [];
  for (const dealer of dealers) {
    told.push(...(await tell(deps, { kind: 'reports_missing', period, dealer, reports: followUps.filter((f) => f.dealer === dealer) }, book)));
  }
  const unmailed = told.filter((t) => t.mail === 'no_address' || t.mail === 'failed').map((t) => t.recipient);
  told.push(...(await tell(deps, { kind: 'reports_follow_up', period, reports: followUps, unmailed }, book)));
  requireAllMailed(told);
  return { period, followUps, told };
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
