import type { BackOfficeConfig } from '../../config.js';
import type { Caller } from '../../domain/access.js';
import { addDays, businessDateOf, daysBetween, periodBounds } from '../../domain/dates.js';
import { chargedLotsOf, chargeRecordsOf, lifeOf, waivedLotsOf } from '../../domain/invoice.js';
import { partNamesOf } from '../../domain/master.js';
import { formatYuan } from '../../domain/money.js';
import { priceListFrom, reconcileDealer, returnWindowOf } from '../../domain/reconciliation.js';
import { previousPeriod } from '../../domain/schedule.js';
import type { ReconciliationWorkbookDeps } from '../reconciliation-downloads.js';
import { authorize, Refusal } from '../access.js';
import type { Clock, InvoiceStore, JournalStore, LedgerStore, MasterStore, ReconciliationStore } from '../ports.js';
import { dealerBooks } from '../finance/journal.js';

export interface PositionDeps {
  readonly master: MasterStore;
  readonly ledger: LedgerStore;
  readonly invoices: InvoiceStore;
  readonly journal: JournalStore;
  readonly reconciliations: ReconciliationStore;
  readonly clock: Clock;
  readonly config: Pick<BackOfficeConfig, 'returnWindowDays' | 'businessTimeZone' | 'reconciliationDay'>;
}

const unknownDealer = (dealer: string) => new Refusal('not_found', `No dealer ${dealer}`, `没有经销商 ${dealer}`);

/**
 * A dealer's own position today (domain.md: "its own position"): every lot with its deadline
 * and days left, what came back, the surplus, what was charged; its forms and what it owes.
 * Worked out from the ledger as of today with the charges already made, like a reconciliation
 * that is kept nowhere: looking charges nothing. A lot past its deadline that no run has
 * charged yet shows as overdue.
 */
export async function dealerPosition(deps: PositionDeps, caller: Caller, dealer: string) {
  authorize(caller, 'read_position', dealer);
  const master = await deps.master.load();
  const found = master.dealers.get(dealer);
  if (found === undefined) throw unknownDealer(dealer);
  const as_of = businessDateOf(deps.clock.now(), deps.config.businessTimeZone);
  const [ledger, books, lastRun] = await Promise.all([deps.ledger.dealerLedger(dealer, as_of), dealerBooks(deps, dealer), latestReconciliation(deps, as_of)]);
  const invoices = books.forms;
  const charged = chargedLotsOf(invoices);
  const reconciliation = reconcileDealer({
    dealer_code: dealer,
    return_window_days: returnWindowOf(found, deps.config.returnWindowDays),
    shipments: ledger.shipments,
    returns: ledger.returns,
    previous_charges: charged,
    // As the run sees them: a lot's charge as of its run (credited once back in time), and what finance waived.
    charge_records: chargeRecordsOf(invoices),
    waived: waivedLotsOf(invoices),
    as_of,
    prices: priceListFrom(master.parts),
  });
  const names = partNamesOf(master.parts);
  const lots = reconciliation.lots.map((lot) => {
    const chargedBefore = charged.get(lot.lot_id) ?? 0;
    const toCharge = lot.charged - chargedBefore;
    return {
      shipment_id: lot.shipment_id,
      line: lot.line,
      part_code: lot.part_code,
      part_name: names.get(lot.part_code) ?? lot.part_code,
      shipped_date: lot.shipped_date,
      due_date: lot.due_date,
      days_left: daysBetween(as_of, lot.due_date),
      qty: lot.qty,
      returned: lot.returned,
      charged: chargedBefore,
      out: lot.open + toCharge,
      status: toCharge > 0 ? ('overdue' as const) : lot.status,
    };
  });
  const forms = [...invoices]
    .sort((a, b) => (a.invoice_no < b.invoice_no ? -1 : 1))
    .map((i) => {
      const money = books.money(i);
      return { invoice_no: i.invoice_no, period: i.period, kind: i.kind, status: lifeOf(i), total: formatYuan(i.total), owed: formatYuan(money.owed), settlement: money.settlement };
    });
  return {
    dealer,
    dealer_name: found.dealer_name,
    as_of,
    lots,
    open_lots: lots.filter((l) => l.out > 0).length,
    returned: reconciliation.totals.reduce((n, t) => n + t.returned, 0),
    surplus: reconciliation.surplus,
    charged_units: lots.reduce((n, l) => n + l.charged, 0),
    forms,
    // The receivables journal's sum, as finance counts it: charged − credited − paid + refunded.
    balance: formatYuan(books.fold.dealer.balance),
    reconciliation: lastRun,
  };
}

/**
 * The last scheduled reconciliation run on or before today, of the past year: what the dealer's
 * own 用户借料盘点表 is cut from. The year's scheduled runs are read in one go.
 */
async function latestReconciliation(deps: Pick<PositionDeps, 'reconciliations' | 'config'>, today: string): Promise<{ period: string; as_of: string } | null> {
  const scheduled: { period: string; as_of: string }[] = [];
  let period = previousPeriod(today);
  for (let month = 0; month < 12; month++) {
    const as_of = addDays(periodBounds(period).last, deps.config.reconciliationDay);
    if (as_of <= today) scheduled.push({ period, as_of });
    period = previousPeriod(periodBounds(period).first);
  }
  const statuses = await deps.reconciliations.runStatuses(scheduled);
  return scheduled.find((run) => {
    const status = statuses.get(`${run.period}#${run.as_of}`);
    return status !== undefined && status !== 'running';
  }) ?? null;
}

/**
 * The dealer's own rows of a month's 用户借料盘点表 as of a date, made on request from the
 * stored reconciliation: the workbook of the whole month carries every dealer, this one only the caller's.
 */
export async function dealerReconciliationWorkbook(
  deps: Pick<PositionDeps, 'master' | 'reconciliations'> & Pick<ReconciliationWorkbookDeps, 'renderReconciliation'>,
  caller: Caller,
  dealer: string,
  period: string,
  as_of: string,
): Promise<{ fileName: string; bytes: Uint8Array }> {
  authorize(caller, 'read_position', dealer);
  const mine = await deps.reconciliations.dealerResult(period, as_of, dealer);
  if (mine === undefined) throw new Refusal('not_found', `${period} has no reconciliation of dealer ${dealer} as of ${as_of}`, `${period} 没有经销商 ${dealer} 按 ${as_of} 的借料盘点`);
  const master = await deps.master.load();
  const { flagged_loans: _flagged, ...reconciliation } = mine;
  const bytes = await deps.renderReconciliation({
    period,
    as_of,
    // The cross-check's flags are for the after-sales department, not the dealer's own copy.
    dealers: [{ code: dealer, name: master.dealers.get(dealer)?.dealer_name ?? dealer, reconciliation }],
    partNames: partNamesOf(master.parts),
  });
  return { fileName: `reconciliation-${dealer}-${period}-${as_of}.xlsx`, bytes };
}
