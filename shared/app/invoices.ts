import { decide, listScope, type Action, type Caller } from '../domain/access.js';
import { isValidPeriod } from '../domain/dates.js';
import { canTransition, FORM_LIVES, lifeOf, taxOf } from '../domain/invoice.js';
import type { FormMoney } from '../domain/journal.js';
import { partUnitsOf } from '../domain/master.js';
import { formatYuan, sum, type Fen } from '../domain/money.js';
import { encodeCursor, type PageRequest } from '../domain/paging.js';
import { dealerBooks, pageHeads, type JournalDeps } from './finance/journal.js';
import { authorize, forbidden, Refusal } from './access.js';
import type { ObjectLinks } from './links.js';
import type { BlobStore, Clock, InvoiceStore, JournalStore, MasterStore, PeriodHead, PeriodIndexEntry, StoredInvoice } from './ports.js';
import type { ReconcileDeps } from './reconcile.js';
import { LINK_SECONDS } from './uploads.js';
import { pageAfter, readEachDealer } from './paging.js';

/** The fee invoices as finance, the dealers and the operator reach them. */
export interface InvoiceDeps {
  readonly invoices: InvoiceStore;
  readonly master: MasterStore;
  readonly blobs: BlobStore;
  readonly links: ObjectLinks;
  readonly journal: JournalStore;
  readonly clock: Clock;
}

/** A form in a list: its three dimensions, with its money from the dealer's journal. */
export function invoiceSummary(invoice: StoredInvoice, money: FormMoney) {
  return {
    invoice_no: invoice.invoice_no,
    period: invoice.period,
    dealer: invoice.dealer,
    issued_on: invoice.issued_on,
    tax_invoice_now: invoice.tax_invoice_now,
    total: formatYuan(invoice.total),
    total_fen: invoice.total,
    total_in_words: invoice.total_in_words,
    status: lifeOf(invoice),
    next_statuses: FORM_LIVES.filter((to) => canTransition(invoice.status, to)),
    lines: invoice.lines.length,
    kind: invoice.kind,
    ...formDimensions(invoice, money),
  };
}

/** What a form corrects, its settlement from the journal and its tax invoicing: the same wherever a form is shown. */
export function formDimensions(invoice: StoredInvoice, money: FormMoney) {
  return {
    corrects: invoice.corrects ?? null,
    paid: formatYuan(money.paid),
    credited: formatYuan(money.credited),
    refunded: formatYuan(money.refunded),
    owed: formatYuan(money.owed),
    settlement: money.settlement,
    tax: taxOf(invoice),
    tax_invoice: invoice.tax_invoice ?? null,
  };
}

/** Each form with its money, each dealer's journal read once, a few dealers' side by side. */
export async function withMoney(deps: JournalDeps, invoices: readonly StoredInvoice[]): Promise<{ invoice: StoredInvoice; money: FormMoney }[]> {
  const codes = [...new Set(invoices.map((invoice) => invoice.dealer.code))];
  const books = new Map((await readEachDealer(codes, (code) => dealerBooks(deps, code))).map((b) => [b.dealer, b]));
  return invoices.map((invoice) => ({ invoice, money: books.get(invoice.dealer.code)!.money(invoice) }));
}

const byNumber = (a: StoredInvoice, b: StoredInvoice): number => (a.invoice_no < b.invoice_no ? -1 : 1);

/**
 * Invoices in number order: of a period, or of every period when none is given, and of one
 * dealer or all. For the operator's command line, which answers to no role.
 */
export async function findInvoices(deps: Pick<InvoiceDeps, 'invoices' | 'master'>, filter: { readonly period?: string; readonly dealer?: string }): Promise<StoredInvoice[]> {
  if (filter.period !== undefined) return (await deps.invoices.byPeriod(filter.period, filter.dealer)).sort(byNumber);
  const dealers = filter.dealer === undefined ? [...(await deps.master.load()).dealers.keys()] : [filter.dealer];
  const all: StoredInvoice[] = [];
  for (const code of dealers) all.push(...(await deps.invoices.chargeState(code)).invoices);
  return all.sort(byNumber);
}

/** Forms on one page of a period's every-dealer list: one query, their money from the journals' heads. */
export const INVOICES_PAGE_SIZE = 25;

/** A period's count and total from its index (number, dealer, total), for a period whose counter keeps no head yet. */
export const periodHeadOf = (index: readonly PeriodIndexEntry[]): PeriodHead => ({ count: index.length, total: sum(index.map((i) => i.total)) });

/**
 * A period's invoices the caller may see, with their count and total; a dealer sees its own
 * only. Every dealer's are listed a page at a time by number (the API always asks for one):
 * the count and total, still the period's, come from the period's head on its number counter
 * (its index is read only for a period numbered before the head was kept), the page is one
 * query of the period's index, and the forms' money comes from the heads their dealers'
 * journals keep. A dealer's own forms of a period are few and come whole.
 */
export async function listInvoices(deps: Pick<InvoiceDeps, 'invoices' | 'master' | 'journal' | 'clock'>, caller: Caller, period: string, dealer?: string, page?: PageRequest) {
  const scope = listScope(caller, 'read_invoices', dealer);
  if (scope === null) throw forbidden('read_invoices', decide(caller, 'read_invoices').allowed ? 'dealer' : 'role', dealer);
  let listed: { count: number; total: Fen; invoices: StoredInvoice[]; next_cursor: string | null };
  let shown: { invoice: StoredInvoice; money: FormMoney }[];
  if (scope.dealer === undefined && page !== undefined) {
    const { after, limit } = pageAfter(page, INVOICES_PAGE_SIZE);
    const [head, found] = await Promise.all([deps.invoices.periodHead(period), deps.invoices.periodPage(period, after, limit)]);
    const { count, total } = head ?? periodHeadOf(await deps.invoices.periodIndex(period));
    const last = found.invoices.at(-1);
    listed = { count, total, invoices: found.invoices, next_cursor: found.more && last !== undefined ? encodeCursor(last.invoice_no) : null };
    const heads = await pageHeads(deps, [], found.invoices);
    shown = found.invoices.map((invoice) => ({ invoice, money: heads.money(invoice) }));
  } else {
    const invoices = await findInvoices(deps, { period, dealer: scope.dealer });
    listed = { count: invoices.length, total: sum(invoices.map((i) => i.total)), invoices, next_cursor: null };
    shown = await withMoney(deps, invoices);
  }
  return {
    period, dealer: scope.dealer ?? null, count: listed.count, total: formatYuan(listed.total), total_fen: listed.total,
    invoices: shown.map(({ invoice, money }) => invoiceSummary(invoice, money)),
    next_cursor: listed.next_cursor,
  };
}

/**
 * Each invoice with its printable workbook: the one stored when it was made, else (an
 * invoice whose run stopped before writing it) one rendered now.
 */
export async function* invoiceWorkbooks(
  deps: Pick<InvoiceDeps, 'blobs' | 'master'> & Pick<ReconcileDeps, 'renderInvoice'>,
  invoices: readonly StoredInvoice[],
): AsyncGenerator<{ invoice: StoredInvoice; workbook: Uint8Array }> {
  let partUnits: ReadonlyMap<string, string> | undefined;
  for (const invoice of invoices) {
    if (invoice.workbook_key) {
      yield { invoice, workbook: await deps.blobs.get('invoices', invoice.workbook_key) };
    } else {
      partUnits ??= partUnitsOf((await deps.master.load()).parts);
      yield { invoice, workbook: await deps.renderInvoice(invoice, { partUnits }) };
    }
  }
}

const INVOICE_NO = /^FY-(\d{4}-\d{2})-\d{4,}$/;

/**
 * The invoice with this number, if the caller may see it. The role is checked before the
 * lookup, and another dealer's invoice is answered exactly like a number that does not
 * exist, so numbers reveal nothing to anyone.
 */
export async function findInvoice(deps: Pick<InvoiceDeps, 'invoices'>, caller: Caller, invoiceNo: string, action: Action): Promise<StoredInvoice> {
  authorize(caller, action);
  const notFound = new Refusal('not_found', `No invoice ${invoiceNo}`, `没有编号为 ${invoiceNo} 的收费单`);
  const period = INVOICE_NO.exec(invoiceNo)?.[1];
  if (period === undefined || !isValidPeriod(period)) throw notFound;
  const invoice = (await deps.invoices.byPeriod(period)).find((i) => i.invoice_no === invoiceNo);
  if (invoice === undefined) throw notFound;
  if (!decide(caller, action, invoice.dealer.code).allowed) {
    throw new Refusal('not_found', notFound.message, notFound.message_zh, { action, reason: 'dealer', dealer: invoice.dealer.code });
  }
  return invoice;
}

/** One invoice with its lines and a presigned download of its workbook. */
export async function invoiceDetail(deps: Pick<InvoiceDeps, 'invoices' | 'links' | 'journal' | 'clock'>, caller: Caller, invoiceNo: string) {
  const invoice = await findInvoice(deps, caller, invoiceNo, 'read_invoices');
  const downloadUrl =
    invoice.workbook_key === null
      ? null
      : await deps.links.downloadUrl('invoices', invoice.workbook_key, { fileName: `${invoice.invoice_no}.xlsx`, expiresInSeconds: LINK_SECONDS });
  return {
    ...invoiceSummary(invoice, (await dealerBooks(deps, invoice.dealer.code)).money(invoice)),
    lines: invoice.lines.map((line) => ({ ...line, unit_price: formatYuan(line.unit_price), amount: formatYuan(line.amount) })),
    download_url: downloadUrl,
  };
}

