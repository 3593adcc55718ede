/**
 * A fee form's life after the reconciliation made it (domain.md, "The fee invoice"): status
 * changes with who, when and why (void: drafts only, with a reason), payments, each dealer's
 * balance. Every change is one conditional write on the form's revision, so of two finance
 * users changing one form at once one wins and the other is told to reload (409); every
 * change renders the form's workbook again, so a download always shows the current status.
 */
import { decide, listScope, type Caller } from '../../domain/access.js';
import { isValidDate } from '../../domain/dates.js';
import { canTransition, INVOICE_STATUSES, invoiceJson, type Invoice, type InvoiceStatus, type StatusChange } from '../../domain/invoice.js';
import { partUnitsOf } from '../../domain/master.js';
import { formatYuan, parseYuan, type Fen } from '../../domain/money.js';
import { balanceOf, owedOf, paidOf, paymentProblem, withPayment } from '../../domain/payments.js';
import { XLSX_CONTENT_TYPE } from '../../sheets/content-type.js';
import { forbidden, Refusal } from '../access.js';
import { findInvoice } from '../invoices.js';
import type { BlobStore, Clock, InvoiceStore, MasterStore, Notices, StoredInvoice } from '../ports.js';
import { invoiceWorkbookKey, type ReconcileDeps } from '../reconcile.js';

export interface FormDeps {
  readonly invoices: InvoiceStore;
  readonly master: MasterStore;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  readonly renderInvoice: ReconcileDeps['renderInvoice'];
  /** Tells the dealer and finance of a form issued and of a payment recorded. */
  readonly notices?: Notices;
}

/** A form as finance and the dealer read it: cli.md's invoice JSON with period, dates, what is paid and owed, and its history. */
export function formJson(invoice: StoredInvoice) {
  return {
    ...invoiceJson(invoice),
    period: invoice.period,
    issued_on: invoice.issued_on,
    as_of: invoice.as_of,
    corrects: invoice.corrects ?? null,
    paid: formatYuan(paidOf(invoice)),
    owed: formatYuan(owedOf(invoice)),
    next_statuses: INVOICE_STATUSES.filter((to) => canTransition(invoice.status, to)),
    history: invoice.history ?? [],
    payments: (invoice.payments ?? []).map((p) => ({ ...p, amount: formatYuan(p.amount) })),
    workbook: invoice.workbook_key,
  };
}

const reloadRefusal = (invoiceNo: string): Refusal =>
  new Refusal('conflict', `Invoice ${invoiceNo} was changed by someone else meanwhile; reload it and try again`, `收费单 ${invoiceNo} 已被他人修改，请刷新后重试`);

/** Writes the changed form and renders its workbook again under the same key. */
async function saveChange(deps: FormDeps, invoice: StoredInvoice, changed: StoredInvoice): Promise<StoredInvoice> {
  const key = invoice.workbook_key ?? invoiceWorkbookKey(invoice);
  const next: StoredInvoice = { ...changed, revision: (invoice.revision ?? 0) + 1, workbook_key: key };
  if ((await deps.invoices.revise(invoice, next)) === 'conflict') throw reloadRefusal(invoice.invoice_no);
  const partUnits = partUnitsOf((await deps.master.load()).parts);
  await deps.blobs.put('invoices', key, await deps.renderInvoice(next, { partUnits }), XLSX_CONTENT_TYPE);
  return next;
}

const STATUS_ZH: Readonly<Record<InvoiceStatus, string>> = { draft: '草稿', issued: '已开票', archived: '已归档', paid: '已付款', void: '已作废' };

/**
 * Moves a form's status (finance only), keeping who, when and why in its history. Void takes
 * a draft only, and a reason; its units are waived by the next reconciliation (never charged
 * again). Refused moves are 409 with both languages.
 */
export async function setFormStatus(deps: FormDeps, caller: Caller, invoiceNo: string, to: InvoiceStatus, reason?: string) {
  const invoice = await findInvoice(deps, caller, invoiceNo, 'change_invoice_status');
  if (!canTransition(invoice.status, to)) {
    const onlyDrafts = to === 'void' ? ' (only a draft may be voided)' : '';
    const onlyDraftsZh = to === 'void' ? '（只有草稿可以作废）' : '';
    throw new Refusal(
      'conflict',
      `Invoice ${invoiceNo} is ${invoice.status} and cannot become ${to}${onlyDrafts}`,
      `收费单 ${invoiceNo} 当前状态为${STATUS_ZH[invoice.status]}，不能改为${STATUS_ZH[to]}${onlyDraftsZh}`,
    );
  }
  const why = reason?.trim() || null;
  if (to === 'void' && why === null) throw new Refusal('conflict', `Voiding ${invoiceNo} needs a reason`, `作废收费单 ${invoiceNo} 必须填写原因`);
  const change: StatusChange = { status: to, by: caller.subject, at: deps.clock.now().toISOString(), reason: why };
  const next = await saveChange(deps, invoice, { ...invoice, status: to, history: [...(invoice.history ?? []), change] });
  if (to === 'issued') await deps.notices?.tell({ kind: 'form_issued', dealer: next.dealer.code, invoice_no: next.invoice_no, period: next.period, total: next.total });
  return formJson(next);
}

export interface PaymentRequest {
  /** Yuan as decimal text, e.g. "71.00". */
  readonly amount: string;
  readonly date: string;
  /** The dealer's payment method when not given. */
  readonly method?: string;
  readonly reference?: string;
}

/**
 * Records a payment against a form (finance only); the form is paid once its payments reach
 * its total. Refused in both languages: an amount that is not a positive yuan amount with at
 * most two decimals, a date that is not a date, more than is owed, a void form, a credit note.
 */
export async function recordPayment(deps: FormDeps, caller: Caller, invoiceNo: string, request: PaymentRequest) {
  const invoice = await findInvoice(deps, caller, invoiceNo, 'record_payments');
  let amount: Fen;
  try {
    amount = parseYuan(request.amount.trim());
  } catch {
    throw new Refusal('conflict', `Amount "${request.amount}" is not a yuan amount such as 71.00`, `金额“${request.amount}”无效，应写作 71.00 这样的金额`);
  }
  if (!isValidDate(request.date)) throw new Refusal('conflict', `Payment date "${request.date}" is not a date such as 2026-12-10`, `付款日期“${request.date}”无效，应写作 2026-12-10`);
  const problem = paymentProblem(invoice, amount);
  if (problem !== null) {
    const [en, zh] = {
      not_positive: ['A payment must be more than 0.00', '付款金额必须大于 0.00'],
      more_than_owed: [`Invoice ${invoiceNo} has ${formatYuan(owedOf(invoice))} owed: a payment of ${formatYuan(amount)} is more than that`, `收费单 ${invoiceNo} 尚欠 ${formatYuan(owedOf(invoice))} 元，付款 ${formatYuan(amount)} 元超过欠款`],
      void_form: [`Invoice ${invoiceNo} is void: nothing can be paid on it`, `收费单 ${invoiceNo} 已作废，不能付款`],
      credit_note: [`Invoice ${invoiceNo} is a credit note: it is not paid, it lowers the dealer's balance`, `收费单 ${invoiceNo} 是红字冲销单，不需付款，只冲减余额`],
      already_paid: [`Invoice ${invoiceNo} is already paid`, `收费单 ${invoiceNo} 已付清`],
    }[problem.code] as [string, string];
    throw new Refusal('conflict', en, zh);
  }
  const payment = {
    date: request.date, amount, method: request.method?.trim() || invoice.dealer.payment_method,
    reference: request.reference?.trim() || null, by: caller.subject, at: deps.clock.now().toISOString(),
  };
  const next = await saveChange(deps, invoice, withPayment(invoice, payment));
  // A payment is known by its place among the form's payments: a retried tell makes the same message.
  const payment_id = String(next.payments?.length ?? 1);
  await deps.notices?.tell({ kind: 'payment_recorded', dealer: next.dealer.code, invoice_no: next.invoice_no, payment_id, amount, owed: owedOf(next), date: request.date });
  return formJson(next);
}

/** One form with its history and payments, for whoever may read it. */
export async function formLife(deps: Pick<FormDeps, 'invoices'>, caller: Caller, invoiceNo: string) {
  return formJson(await findInvoice(deps, caller, invoiceNo, 'read_invoices'));
}

/**
 * Each dealer's balance (owed − paid − credits) over its forms of every period, for finance
 * and the admin, or for a dealer its own only.
 */
export async function dealerBalances(deps: Pick<FormDeps, 'invoices' | 'master'>, caller: Caller, dealer?: string) {
  const scope = listScope(caller, 'read_invoices', dealer);
  if (scope === null) throw forbidden('read_invoices', decide(caller, 'read_invoices').allowed ? 'dealer' : 'role', dealer);
  const master = await deps.master.load();
  const codes = scope.dealer === undefined ? [...master.dealers.keys()].sort() : [scope.dealer];
  const balances = [];
  for (const code of codes) {
    const forms: readonly Invoice[] = (await deps.invoices.chargeState(code)).invoices;
    const b = balanceOf(forms);
    balances.push({
      dealer: code,
      dealer_name: master.dealers.get(code)?.dealer_name ?? code,
      forms: forms.length,
      charged: formatYuan(b.charged),
      paid: formatYuan(b.paid),
      credits: formatYuan(b.credits),
      balance: formatYuan(b.balance),
    });
  }
  return { dealers: balances };
}
