/**
 * A fee form after it was made (domain.md, "The fee invoice"), in its three dimensions: its
 * life (issue, void), its tax invoicing (now, archived, invoiced) — each change a conditional
 * write on the form's revision with who, when and why — and its settlement, which nobody sets:
 * payments, refunds and transfers are entries of the dealer's receivables journal, and what is
 * paid and owed is read from it. Every change renders the form's workbook again, so a download
 * always shows the form as it is now.
 */
import { decide, listScope, type Caller } from '../../domain/access.js';
import { addDays, businessDateOf, isValidDate } from '../../domain/dates.js';
import { canChangeTax, canTransition, FORM_LIVES, invoiceJson, lifeOf, taxOf, type FormLife, type StatusChange, type TaxState } from '../../domain/invoice.js';
import { heldOn, moveProblem, paymentProblem, refundProblem, type FormMoney, type JournalEntry, type MoneyProblem } from '../../domain/journal.js';
import { partUnitsOf } from '../../domain/master.js';
import type { PageRequest } from '../../domain/paging.js';
import { formatYuan, parseYuan, type Fen } from '../../domain/money.js';
import { XLSX_CONTENT_TYPE } from '../../sheets/content-type.js';
import { forbidden, Refusal } from '../access.js';
import { findInvoice, formDimensions } from '../invoices.js';
import { dealerPage } from '../paging.js';
import type { BlobStore, Clock, InvoiceRenderOptions, InvoiceStore, JournalStore, MasterStore, Notices, RequestStore, StoredInvoice } from '../ports.js';
import { invoiceWorkbookKey } from '../reconcile.js';
import { appendToJournal, dealerBooks, pageHeads, type DealerBooks } from './journal.js';

export interface FormDeps {
  readonly invoices: InvoiceStore;
  readonly journal: JournalStore;
  readonly master: MasterStore;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  readonly renderInvoice: (invoice: StoredInvoice, options: InvoiceRenderOptions) => Promise<Uint8Array>;
  /** Tells the dealer and finance of a form issued and of a payment recorded. */
  readonly notices?: Notices;
  /** Where a voided sale form's request line is reopened for a new decision. */
  readonly requests?: RequestStore;
  readonly config: { readonly businessTimeZone: string };
}

/** Payments, refunds and transfers on a form, as its history of money shows them. */
const moneyEntriesOf = (entries: readonly JournalEntry[], invoiceNo: string): JournalEntry[] =>
  entries.filter((e) => e.invoice_no === invoiceNo && (e.type === 'payment' || e.type === 'refund' || e.type === 'transfer_in' || e.type === 'transfer_out'));

/**
 * A form as finance and the dealer read it: cli.md's invoice JSON with its three dimensions —
 * `status` (life), `paid`/`credited`/`refunded`/`owed`/`settlement` from the journal, `tax` and
 * `tax_invoice` — its history and the money entries on it.
 */
export function formJson(invoice: StoredInvoice, money: FormMoney, entries: readonly JournalEntry[] = []) {
  return {
    ...invoiceJson(invoice),
    period: invoice.period,
    issued_on: invoice.issued_on,
    as_of: invoice.as_of,
    ...formDimensions(invoice, money),
    next_statuses: FORM_LIVES.filter((to) => canTransition(invoice.status, to)),
    history: invoice.history ?? [],
    payments: moneyEntriesOf(entries, invoice.invoice_no).map((e) => ({
      type: e.type, date: e.date ?? e.at.slice(0, 10), amount: formatYuan(Math.abs(e.amount) as Fen), method: e.method ?? '', reference: e.reference,
      counterpart: e.counterpart, reason: e.reason, by: e.by, at: e.at,
    })),
    workbook: invoice.workbook_key,
  };
}

/** Who did it, as histories keep it: the user id, and the name they signed in with when known. */
const by = (caller: Caller) => ({ by: caller.subject, ...(caller.name && { by_name: caller.name }) });

const reloadRefusal = (invoiceNo: string): Refusal =>
  new Refusal('conflict', `Invoice ${invoiceNo} was changed by someone else meanwhile; reload it and try again`, `收费单 ${invoiceNo} 已被他人修改，请刷新后重试`);

/** Renders the form's workbook again under its key, as the journal now tells its money; a form without one gets one. */
export async function renderForm(deps: FormDeps, invoice: StoredInvoice, books: DealerBooks): Promise<StoredInvoice> {
  const key = invoice.workbook_key ?? invoiceWorkbookKey(invoice);
  const partUnits = partUnitsOf((await deps.master.load()).parts);
  const options: InvoiceRenderOptions = {
    partUnits, money: books.money(invoice), entries: moneyEntriesOf(books.entries, invoice.invoice_no),
    ...(deps.config && { timeZone: deps.config.businessTimeZone }),
  };
  await deps.blobs.put('invoices', key, await deps.renderInvoice(invoice, options), XLSX_CONTENT_TYPE);
  if (invoice.workbook_key !== key) await deps.invoices.setWorkbook(invoice, key);
  return { ...invoice, workbook_key: key };
}

/**
 * Writes the changed form from the revision read. The change moves the dealer's charge state,
 * which puts the journal's head behind: every caller reads the dealer's books after its changes
 * (to render and answer), and that read brings the head up to date within the request, so that
 * no later read (a refused request's among them) has to write it.
 */
async function saveChange(deps: FormDeps, invoice: StoredInvoice, changed: StoredInvoice): Promise<StoredInvoice> {
  const next: StoredInvoice = { ...changed, revision: (invoice.revision ?? 0) + 1, workbook_key: invoice.workbook_key ?? invoiceWorkbookKey(invoice) };
  if ((await deps.invoices.revise(invoice, next)) === 'conflict') throw reloadRefusal(invoice.invoice_no);
  return next;
}

const LIFE_ZH: Readonly<Record<FormLife, string>> = { draft: '草稿', issued: '已开具', void: '已作废' };

const describeMoney = (e: JournalEntry): string =>
  `${e.type === 'transfer_in' ? 'moved in' : e.type} ${formatYuan(Math.abs(e.amount) as Fen)}${e.date === null ? '' : ` on ${e.date}`}${e.reference ? ` (${e.reference})` : ''}`;

/**
 * The form's life (finance only): issue a draft, or void a draft or an issued form with a
 * reason. `paid` and `archived` are no longer statuses: refused, saying what to do instead.
 * Void is refused while money is on the form (naming it) and once the form is tax-invoiced;
 * it voids the credit notes that name the form with it, and reopens a sale form's request
 * line for a new decision. A voided form's units are waived by the next reconciliation.
 */
export async function setFormStatus(deps: FormDeps, caller: Caller, invoiceNo: string, to: string, reason?: string) {
  const invoice = await findInvoice(deps, caller, invoiceNo, 'change_invoice_status');
  if (to === 'paid') {
    throw new Refusal(
      'conflict',
      `Nobody sets "paid": invoice ${invoiceNo} is paid when its payments and the credit notes naming it cover it. Record the money received instead: payments record ${invoiceNo} --amount 0.00 --date YYYY-MM-DD`,
      `“已付款”不能手工设置：收费单 ${invoiceNo} 在付款和冲销它的红字单足额时即为已付清。请改为登记收款：payments record ${invoiceNo} --amount 0.00 --date YYYY-MM-DD`,
    );
  }
  if (to === 'archived') {
    throw new Refusal(
      'conflict',
      `"archived" is tax invoicing now, not the form's status: archive invoice ${invoiceNo} for consolidated invoicing with: invoices tax ${invoiceNo} archive`,
      `“存档”现属于开票维度，不是收费单状态：请用 invoices tax ${invoiceNo} archive 将其存档待合并开票`,
    );
  }
  if (to !== 'issued' && to !== 'void') throw new Refusal('invalid', `Status "${to}" is not one of: issued, void`, `状态“${to}”无效，只能是 issued（开具）或 void（作废）`);
  const life = lifeOf(invoice);
  if (!canTransition(invoice.status, to)) {
    throw new Refusal('conflict', `Invoice ${invoiceNo} is ${life} and cannot become ${to}`, `收费单 ${invoiceNo} 当前为${LIFE_ZH[life]}，不能改为${LIFE_ZH[to]}`);
  }
  const at = deps.clock.now().toISOString();
  const why = reason?.trim() || null;
  if (to === 'issued') {
    const next = await saveChange(deps, invoice, { ...invoice, status: 'issued', history: [...(invoice.history ?? []), { status: 'issued', ...by(caller), at, reason: why }] });
    const books = await dealerBooks(deps, invoice.dealer.code);
    const rendered = await renderForm(deps, next, books);
    await deps.notices?.tell({ kind: 'form_issued', dealer: next.dealer.code, invoice_no: next.invoice_no, period: next.period, total: next.total });
    return formJson(rendered, books.money(rendered), books.entries);
  }
  if (why === null) throw new Refusal('invalid', `Voiding ${invoiceNo} needs a reason (--reason)`, `作废收费单 ${invoiceNo} 必须填写原因（--reason）`);
  if (taxOf(invoice) === 'invoiced') {
    throw new Refusal(
      'conflict',
      `Invoice ${invoiceNo} is tax-invoiced (${invoice.tax_invoice?.number ?? ''}): it cannot be voided; correct it with a credit note`,
      `收费单 ${invoiceNo} 已开具发票（${invoice.tax_invoice?.number ?? ''}），不能作废，请以红字冲销单更正`,
    );
  }
  const before = await dealerBooks(deps, invoice.dealer.code);
  const held = heldOn(before.money(invoice));
  if (held > 0) {
    const named = moneyEntriesOf(before.entries, invoiceNo).map(describeMoney).join('; ');
    throw new Refusal(
      'conflict',
      `Invoice ${invoiceNo} has ${formatYuan(held)} paid on it (${named}): a payment is never lost — move it to another form of the dealer (payments move ${invoiceNo} --to INVOICE_NO --reason TEXT) or refund it (payments refund ${invoiceNo} --amount ${formatYuan(held)} --date YYYY-MM-DD --reason TEXT), then void`,
      `收费单 ${invoiceNo} 上有已付款 ${formatYuan(held)} 元（${named}）：付款不能丢失——请先转至该经销商的其他收费单（payments move）或登记退款（payments refund），再作废`,
    );
  }
  const change: StatusChange = { status: 'void', ...by(caller), at, reason: why };
  const voided = await saveChange(deps, invoice, { ...invoice, status: 'void', history: [...(invoice.history ?? []), change] });
  const changed = [voided];
  for (const note of before.forms.filter((f) => f.kind === 'credit_note' && f.corrects === invoiceNo && lifeOf(f) !== 'void')) {
    const withIt = `voided with ${invoiceNo} / 随 ${invoiceNo} 作废`;
    changed.push(await saveChange(deps, note, { ...note, status: 'void', history: [...(note.history ?? []), { status: 'void', ...by(caller), at, reason: withIt }] }));
  }
  // A voided credit note changes what the form it corrects owes.
  const corrected = invoice.kind === 'credit_note' ? before.forms.find((f) => f.invoice_no === invoice.corrects) : undefined;
  if (corrected !== undefined) changed.push(corrected);
  if (invoice.kind === 'sale' && invoice.request_line !== undefined) await reopenRequestLine(deps, invoice.dealer.code, invoice.request_line, invoiceNo);
  const after = await dealerBooks(deps, invoice.dealer.code);
  const [rendered] = await Promise.all(changed.map((form) => renderForm(deps, form, after)));
  return formJson(rendered!, after.money(rendered!), after.entries);
}

/** The request line a voided sale form charged goes back to awaiting a decision; the earlier decision is kept beside it. */
async function reopenRequestLine(deps: FormDeps, dealer: string, requestLine: string, invoiceNo: string): Promise<void> {
  if (deps.requests === undefined) return;
  const [requestId, n] = [requestLine.slice(0, requestLine.lastIndexOf('#')), Number(requestLine.slice(requestLine.lastIndexOf('#') + 1))];
  for (let attempt = 0; attempt < 5; attempt++) {
    const request = await deps.requests.find(dealer, requestId);
    const line = request?.lines.find((l) => l.line === n);
    if (request === undefined || line === undefined || line.decision === null || line.decision.invoice_no !== invoiceNo || line.shipping !== null) return;
    const reopened = { ...line, decision: null, earlier_decisions: [...(line.earlier_decisions ?? []), line.decision] };
    if ((await deps.requests.save({ ...request, lines: request.lines.map((l) => (l.line === n ? reopened : l)) })) === 'updated') return;
  }
  throw new Error(`request ${requestId}: line ${n} could not be reopened after its sale form ${invoiceNo} was voided`);
}

const TAX_ZH: Readonly<Record<TaxState, string>> = { pending: '未定', now: '即开发票', archived: '存档待合并开票', invoiced: '已开发票' };

export type TaxRequest = { readonly to: 'now' | 'archive' } | { readonly number: string; readonly date: string };

/** The form's tax invoicing (finance only), independent of payment: wanted now, archived, or the tax invoice made for it. */
export async function setFormTax(deps: FormDeps, caller: Caller, invoiceNo: string, request: TaxRequest) {
  const invoice = await findInvoice(deps, caller, invoiceNo, 'change_invoice_status');
  const next = taxChange(deps, caller, invoice, request);
  const saved = await saveChange(deps, invoice, next);
  const books = await dealerBooks(deps, invoice.dealer.code);
  const rendered = await renderForm(deps, saved, books);
  return formJson(rendered, books.money(rendered), books.entries);
}

/** The form with its tax dimension changed, or the refusal in both languages. */
export function taxChange(deps: Pick<FormDeps, 'clock' | 'config'>, caller: Caller, invoice: StoredInvoice, request: TaxRequest): StoredInvoice {
  const invoiceNo = invoice.invoice_no;
  if (lifeOf(invoice) === 'void') throw new Refusal('conflict', `Invoice ${invoiceNo} is void: it takes no tax invoice`, `收费单 ${invoiceNo} 已作废，不能开票`);
  const from = taxOf(invoice);
  const to: TaxState = 'to' in request ? (request.to === 'now' ? 'now' : 'archived') : 'invoiced';
  if (!canChangeTax(from, to)) {
    throw new Refusal('conflict', `Invoice ${invoiceNo} is already ${from === 'invoiced' ? `tax-invoiced (${invoice.tax_invoice?.number ?? ''})` : from}`, `收费单 ${invoiceNo} 已是${TAX_ZH[from]}`);
  }
  let tax_invoice = null;
  if ('number' in request) {
    const number = request.number.trim();
    if (number === '' || number.length > 50) throw new Refusal('invalid', `Tax invoice number "${request.number}" must be 1–50 characters`, `发票号码“${request.number}”应为 1–50 个字符`);
    checkMoneyDate(deps, request.date, invoice.issued_on, 'tax invoice date', '开票日期');
    tax_invoice = { number, date: request.date };
  }
  const at = deps.clock.now().toISOString();
  const reason = tax_invoice === null ? null : `tax invoice ${tax_invoice.number} of ${tax_invoice.date} / 发票 ${tax_invoice.number}（${tax_invoice.date}）`;
  return { ...invoice, tax: to, tax_invoice, history: [...(invoice.history ?? []), { status: lifeOf(invoice), tax: to, ...by(caller), at, reason }] };
}

/**
 * A date money moved (or a tax invoice was made) on: a date, not before the form's date, and
 * not more than a day after today (a payment keyed in from another time zone's morning).
 */
function checkMoneyDate(deps: Pick<FormDeps, 'clock' | 'config'>, date: string, formDate: string, what: string, whatZh: string): void {
  if (!isValidDate(date)) throw new Refusal('invalid', `The ${what} "${date}" is not a date such as 2026-12-10`, `${whatZh}“${date}”无效，应写作 2026-12-10`);
  if (date < formDate) throw new Refusal('invalid', `The ${what} ${date} is before the form's date ${formDate}`, `${whatZh} ${date} 早于收费单日期 ${formDate}`);
  const latest = addDays(businessDateOf(deps.clock.now(), deps.config.businessTimeZone), 1);
  if (date > latest) throw new Refusal('invalid', `The ${what} ${date} is in the future (latest allowed: ${latest})`, `${whatZh} ${date} 晚于今天（最晚 ${latest}）`);
}

function amountOf(text: string): Fen {
  try {
    return parseYuan(text.trim());
  } catch {
    throw new Refusal('invalid', `Amount "${text}" is not a yuan amount such as 71.00`, `金额“${text}”无效，应写作 71.00 这样的金额`);
  }
}

function moneyRefusal(problem: MoneyProblem, invoiceNo: string, amount: Fen): Refusal {
  const [en, zh] = {
    not_positive: ['An amount must be more than 0.00', '金额必须大于 0.00'],
    more_than_owed: [`Invoice ${invoiceNo} has ${formatYuan(problem.code === 'more_than_owed' ? problem.owed : amount)} owed: ${formatYuan(amount)} is more than that`, `收费单 ${invoiceNo} 尚欠 ${formatYuan(problem.code === 'more_than_owed' ? problem.owed : amount)} 元，${formatYuan(amount)} 元超过欠款`],
    more_than_paid: [`Invoice ${invoiceNo} holds ${formatYuan(problem.code === 'more_than_paid' ? problem.paid : amount)} paid: ${formatYuan(amount)} is more than that`, `收费单 ${invoiceNo} 上的已付款为 ${formatYuan(problem.code === 'more_than_paid' ? problem.paid : amount)} 元，${formatYuan(amount)} 元超过该金额`],
    void_form: [`Invoice ${invoiceNo} is void: nothing can be paid on it`, `收费单 ${invoiceNo} 已作废，不能付款`],
    credit_note: [`Invoice ${invoiceNo} is a credit note: it is not paid, it lowers what the form it corrects owes`, `收费单 ${invoiceNo} 是红字冲销单，不需付款，只冲减所更正收费单的欠款`],
    same_form: [`A payment is moved to another form, not to ${invoiceNo} itself`, `付款只能转至其他收费单，不能转至 ${invoiceNo} 本身`],
    other_dealer: [`A payment is moved only to another form of the same dealer`, '付款只能转至同一经销商的其他收费单'],
  }[problem.code] as [string, string];
  return new Refusal('conflict', en, zh);
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
 * Records a payment against a form (finance only) as an entry of the dealer's journal, decided
 * against the journal as read and appended only after it: of two payments at once, the second
 * is decided again and refused if it is more than is then owed.
 */
export async function recordPayment(deps: FormDeps, caller: Caller, invoiceNo: string, request: PaymentRequest) {
  const invoice = await findInvoice(deps, caller, invoiceNo, 'record_payments');
  const amount = amountOf(request.amount);
  checkMoneyDate(deps, request.date, invoice.issued_on, 'payment date', '付款日期');
  const at = deps.clock.now().toISOString();
  const books = await appendToJournal(deps, invoice.dealer.code, (b) => {
    const money = b.money(invoice);
    const problem = lifeOf(invoice) === 'void' ? ({ code: 'void_form' } as const) : paymentProblem(money, amount);
    if (problem !== null) throw moneyRefusal(problem, invoiceNo, amount);
    return [{
      ...entryBase(invoice), entry_id: `payment:${invoiceNo}:${b.seq + 1}:${at}`, type: 'payment', amount: -amount as Fen,
      date: request.date, method: request.method?.trim() || invoice.dealer.payment_method, reference: request.reference?.trim() || null,
      ...by(caller), at, reason: 'payment received / 收款',
    }];
  });
  const rendered = await renderForm(deps, invoice, books);
  const money = books.money(invoice);
  // A payment is known by its place among the form's payments: a retried tell makes the same message.
  const payment_id = String(moneyEntriesOf(books.entries, invoiceNo).filter((e) => e.type === 'payment').length);
  await deps.notices?.tell({ kind: 'payment_recorded', dealer: invoice.dealer.code, invoice_no: invoiceNo, payment_id, amount, owed: money.owed, date: request.date });
  return formJson(rendered, money, books.entries);
}

const entryBase = (invoice: StoredInvoice) => ({
  dealer: invoice.dealer.code, invoice_no: invoice.invoice_no, form_kind: invoice.kind, period: invoice.period,
  part_code: null, qty: null, counterpart: null, date: null, method: null, reference: null,
});

export interface MoveRequest {
  readonly to: string;
  /** All that is paid on the form when not given. */
  readonly amount?: string;
  readonly reason: string;
}

/** Moves payments (all, or an amount) from a form to another form of the same dealer (finance), as two journal entries. */
export async function movePayment(deps: FormDeps, caller: Caller, invoiceNo: string, request: MoveRequest) {
  const from = await findInvoice(deps, caller, invoiceNo, 'record_payments');
  const to = await findInvoice(deps, caller, request.to, 'record_payments');
  const reason = request.reason.trim();
  if (reason === '') throw new Refusal('invalid', 'Moving a payment needs a reason (--reason)', '转移付款必须填写原因（--reason）');
  const asked = request.amount === undefined ? undefined : amountOf(request.amount);
  const at = deps.clock.now().toISOString();
  const books = await appendToJournal(deps, from.dealer.code, (b) => {
    const fromMoney = { ...b.money(from), dealer: from.dealer.code };
    const toMoney = { ...b.money(to), void: b.money(to).void || lifeOf(to) === 'void', dealer: to.dealer.code };
    const amount = asked ?? heldOn(fromMoney);
    const problem = moveProblem(fromMoney, toMoney, amount);
    if (problem !== null) throw moneyRefusal(problem, problem.code === 'more_than_owed' || problem.code === 'void_form' || problem.code === 'credit_note' ? to.invoice_no : invoiceNo, amount);
    return [
      { ...entryBase(from), entry_id: `transfer:${invoiceNo}:${b.seq + 1}:${at}`, type: 'transfer_out', amount, counterpart: to.invoice_no, ...by(caller), at, reason },
      { ...entryBase(to), entry_id: `transfer:${to.invoice_no}:${b.seq + 2}:${at}`, type: 'transfer_in', amount: -amount as Fen, counterpart: invoiceNo, ...by(caller), at, reason },
    ];
  });
  const [fromForm, toForm] = await Promise.all([renderForm(deps, from, books), renderForm(deps, to, books)]);
  return { from: formJson(fromForm, books.money(from), books.entries), to: formJson(toForm, books.money(to), books.entries) };
}

export interface RefundRequest {
  readonly amount: string;
  readonly date: string;
  readonly reason: string;
  readonly reference?: string;
}

/** Records money paid back to the dealer from what was paid on the form (finance). */
export async function refundPayment(deps: FormDeps, caller: Caller, invoiceNo: string, request: RefundRequest) {
  const invoice = await findInvoice(deps, caller, invoiceNo, 'record_payments');
  const reason = request.reason.trim();
  if (reason === '') throw new Refusal('invalid', 'A refund needs a reason (--reason)', '退款必须填写原因（--reason）');
  const amount = amountOf(request.amount);
  checkMoneyDate(deps, request.date, invoice.issued_on, 'refund date', '退款日期');
  const at = deps.clock.now().toISOString();
  const books = await appendToJournal(deps, invoice.dealer.code, (b) => {
    const problem = refundProblem(b.money(invoice), amount);
    if (problem !== null) throw moneyRefusal(problem, invoiceNo, amount);
    return [{
      ...entryBase(invoice), entry_id: `refund:${invoiceNo}:${b.seq + 1}:${at}`, type: 'refund', amount,
      date: request.date, method: invoice.dealer.payment_method, reference: request.reference?.trim() || null, ...by(caller), at, reason,
    }];
  });
  const rendered = await renderForm(deps, invoice, books);
  return formJson(rendered, books.money(invoice), books.entries);
}

/** One form with its history and the money on it, for whoever may read it. */
export async function formLife(deps: Pick<FormDeps, 'invoices' | 'journal' | 'clock'>, caller: Caller, invoiceNo: string) {
  const invoice = await findInvoice(deps, caller, invoiceNo, 'read_invoices');
  const books = await dealerBooks(deps, invoice.dealer.code);
  return formJson(invoice, books.money(invoice), books.entries);
}

/** Dealers on one page of balances: read from their journals' heads, two reads a page. */
export const BALANCES_PAGE_SIZE = 25;

/**
 * Each dealer's balance from its journal — charged, credited, paid, refunded, balance
 * (charged − credited − paid + refunded) — for finance and the admin, or a dealer's own.
 * Every dealer's is read a page at a time (the API always asks for one), from the running
 * totals each dealer's journal keeps beside its entries (its head, written with every entry):
 * the money is the journal's own fold, never a copy kept elsewhere.
 */
export async function dealerBalances(deps: Pick<FormDeps, 'invoices' | 'journal' | 'master' | 'clock'>, caller: Caller, dealer?: string, page?: PageRequest) {
  const { balances, next_cursor } = await balanceFigures(deps, caller, dealer, page);
  return {
    dealers: balances.map((b) => ({
      dealer: b.dealer, dealer_name: b.dealer_name, forms: b.forms,
      charged: formatYuan(b.charged), credited: formatYuan(b.credited), paid: formatYuan(b.paid),
      refunded: formatYuan(b.refunded), balance: formatYuan(b.balance), owed: formatYuan(b.owed),
    })),
    next_cursor,
  };
}

/** `dealerBalances` with the money in fen, for the workbook; every dealer's without a page. */
export async function balanceFigures(deps: Pick<FormDeps, 'invoices' | 'journal' | 'master' | 'clock'>, caller: Caller, dealer?: string, page?: PageRequest) {
  const scope = listScope(caller, 'read_invoices', dealer);
  if (scope === null) throw forbidden('read_invoices', decide(caller, 'read_invoices').allowed ? 'dealer' : 'role', dealer);
  const master = await deps.master.load();
  if (scope.dealer !== undefined && !master.dealers.has(scope.dealer)) throw new Refusal('not_found', `No dealer ${scope.dealer} in the master data`, `主数据中没有经销商 ${scope.dealer}`);
  const { keys: codes, next_cursor } = scope.dealer === undefined ? dealerPage([...master.dealers.keys()].sort(), page, BALANCES_PAGE_SIZE) : { keys: [scope.dealer], next_cursor: null };
  const heads = (await pageHeads(deps, codes)).dealers;
  const balances = codes.map((code) => {
    const head = heads.get(code)!;
    const { forms, charged, credited, paid, refunded, balance, owed } = head;
    return { dealer: code, dealer_name: master.dealers.get(code)?.dealer_name ?? code, forms, charged, credited, paid, refunded, balance, owed };
  });
  return { balances, next_cursor };
}

export type BalanceRow = Awaited<ReturnType<typeof balanceFigures>>['balances'][number];
