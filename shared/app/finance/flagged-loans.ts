/**
 * Charging a flagged loan (reconciliation rule 10): a warranty loan whose repair the dealer's
 * own report shows as chargeable was a free part for a chargeable repair. The after-sales
 * department decides, once, to charge it: every unit of the lot, returned or not, goes on the
 * dealer's form of the period at the cost price in force on the decision date, naming the
 * repair, and the lot is closed as charged (never charged again, nor credited for a return,
 * by the reconciliation).
 */
import type { Caller } from '../../domain/access.js';
import { businessDateOf, periodOf } from '../../domain/dates.js';
import { chargedLotsOf, chargeRecordsOf, waivedLotsOf, type InvoiceLineInput } from '../../domain/invoice.js';
import { flagLoansForChargeableRepairs, lotId, priceListFrom, reconcileDealer, returnWindowOf } from '../../domain/reconciliation.js';
import { authorize, Refusal } from '../access.js';
import { ledgerLineKey, type ArchiveStore, type LedgerStore, type ReportStore } from '../ports.js';
import { currentRepairCharging } from '../warranty/repair-decisions.js';
import type { ReconcileDeps } from '../reconcile.js';
import type { BackOfficeConfig } from '../../config.js';
import { formJson, renderForm, type FormDeps } from './form-life.js';
import { dealerBooks } from './journal.js';
import { writeToPeriodForms } from './forms.js';

export interface FlaggedLoanDeps extends FormDeps {
  readonly ledger: LedgerStore;
  readonly reports: ReportStore;
  readonly archive: ArchiveStore;
  readonly config: ReconcileDeps['config'] & Pick<BackOfficeConfig, 'businessTimeZone'>;
}

const refuse = (en: string, zh: string): Refusal => new Refusal('conflict', en, zh);

/** Charges the flagged loan on shipment line `shipment_id`/`line` on the dealer's form of `period` (admin). */
export async function chargeFlaggedLoan(deps: FlaggedLoanDeps, caller: Caller, input: { readonly shipment_id: string; readonly line: number; readonly period: string }) {
  authorize(caller, 'charge_flagged_loans');
  const { shipment_id, line } = input;
  const current = periodOf(businessDateOf(deps.clock.now(), deps.config.businessTimeZone));
  // A charge decided today belongs to this month's forms: another period would be a form dated in a month that has not come, or has closed.
  if (input.period !== current) {
    throw new Refusal('invalid', `A flagged loan is charged on the current period's form: period must be ${current}, not ${input.period}`, `待核查借料只能计入本期收费单：期间应为 ${current}，而不是 ${input.period}`);
  }
  const shipment = (await deps.ledger.find('shipments', [{ id: shipment_id, line }])).get(ledgerLineKey(shipment_id, line));
  if (shipment === undefined) throw new Refusal('not_found', `No shipment line ${shipment_id} line ${line}`, `没有发货单 ${shipment_id} 第 ${line} 行`);
  const master = await deps.master.load();
  // The same decision the run's cross-check flagged it by: derived from the reports and the archive as they stand.
  const repairs = shipment.repair_id === null ? new Map() : await currentRepairCharging(deps, master, shipment.dealer_code, [shipment.repair_id]);
  const [flag] = flagLoansForChargeableRepairs([shipment], repairs);
  if (flag === undefined) {
    throw refuse(
      `Shipment line ${shipment_id} line ${line} is not a flagged loan: no repair report shows its repair as chargeable`,
      `发货单 ${shipment_id} 第 ${line} 行不是待核查借料：维修报告未显示其维修应收费`,
    );
  }
  const dealer = master.dealers.get(shipment.dealer_code);
  if (dealer === undefined) throw new Refusal('not_found', `No dealer ${shipment.dealer_code} in the master data`, `主数据中没有经销商 ${shipment.dealer_code}`);
  const today = businessDateOf(deps.clock.now(), deps.config.businessTimeZone);
  const prices = priceListFrom(master.parts);
  const unitPrice = prices.costOn(shipment.part_code, today);
  if (unitPrice === undefined) throw refuse(`Part ${shipment.part_code} has no cost price on ${today}`, `配件 ${shipment.part_code} 在 ${today} 没有成本价`);

  const state = await deps.invoices.chargeState(dealer.dealer_code);
  const ledger = await deps.ledger.dealerLedger(dealer.dealer_code, today);
  const view = reconcileDealer({
    dealer_code: dealer.dealer_code, return_window_days: returnWindowOf(dealer, deps.config.returnWindowDays),
    shipments: ledger.shipments, returns: ledger.returns, previous_charges: chargedLotsOf(state.invoices),
    charge_records: chargeRecordsOf(state.invoices), waived: waivedLotsOf(state.invoices), as_of: today, prices,
  });
  const lot = view.lots.find((l) => l.lot_id === lotId(shipment_id, line));
  // Whatever came back: returning the old part does not make the new one free (rule 10).
  if (lot === undefined || lot.qty === 0 || lot.charged > 0 || lot.waived > 0) {
    throw refuse(
      `Loan ${shipment_id} line ${line} has nothing left to charge: it is cancelled, charged or waived already`,
      `借料 ${shipment_id} 第 ${line} 行已取消、已收费或已豁免，无可收费数量`,
    );
  }
  const charge: InvoiceLineInput = {
    part_code: shipment.part_code, part_name: master.parts.get(shipment.part_code)?.at(-1)?.part_name ?? shipment.part_code,
    qty: lot.qty, unit_price: unitPrice, reason: 'flagged_loan', repair_id: flag.repair_id,
    lot: { lot_id: lot.lot_id, shipment_id, shipped_date: lot.shipped_date, due_date: lot.due_date, charged_as_of: today },
  };
  const written = await writeToPeriodForms(
    deps.invoices, state,
    { dealer: { code: dealer.dealer_code, name: dealer.dealer_name, payment_method: dealer.payment_method }, period: input.period, as_of: today, by: caller.subject, at: deps.clock.now().toISOString() },
    [charge], [],
  );
  if (written.status === 'stale') throw refuse('The dealer\'s charges changed meanwhile; try again', '该经销商的收费刚被更新，请重试');
  const [form] = written.forms;
  if (form === undefined) throw new Error('a charge wrote no form');
  const books = await dealerBooks(deps, dealer.dealer_code);
  const rendered = await renderForm(deps, form, books);
  return formJson(rendered, books.money(rendered), books.entries);
}
