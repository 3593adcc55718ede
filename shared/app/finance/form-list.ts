/**
 * Finance's list of fee forms across dealers and periods (issue 25): every open form by
 * default, narrowed by settlement, dealer and period, a few dealers a page; and the same list
 * whole as a workbook. Each form's money comes from its dealer's journal, read as it stands
 * (nothing is appended by a read), so the list shows what the form's own page shows.
 */
import { decide, listScope, type Caller } from '../../domain/access.js';
import { lifeOf } from '../../domain/invoice.js';
import type { FormMoney } from '../../domain/journal.js';
import { foldJournal, formMoneyOf } from '../../domain/journal.js';
import { knownDealerCode } from '../../domain/master.js';
import { formatYuan } from '../../domain/money.js';
import { forbidden, Refusal } from '../access.js';
import { dealerPage, readEachDealer } from '../paging.js';
import type { StoredInvoice } from '../ports.js';
import { dealerFormsAndEntries, type JournalDeps } from './journal.js';
import type { FormDeps } from './form-life.js';

/** Which forms: unsettled (owed or part paid, the default), one settlement, void ones, or all. */
export const FORM_FILTERS = ['open', 'owed', 'part_paid', 'paid', 'void', 'all'] as const;
export type FormFilter = (typeof FORM_FILTERS)[number];

/**
 * Dealers read for one page: each costs its charge state and its journal (three DynamoDB
 * calls), so a page stays within ten calls with the master data's version check.
 */
export const FORM_DEALERS_PER_PAGE = 3;

export interface FormQuery {
  readonly state?: FormFilter;
  /** A dealer code, in any letter case. */
  readonly dealer?: string;
  readonly period?: string;
}

type ListDeps = JournalDeps & Pick<FormDeps, 'master'>;

const matches = (filter: FormFilter, invoice: StoredInvoice, money: FormMoney): boolean => {
  const isVoid = lifeOf(invoice) === 'void' || money.void;
  if (filter === 'all') return true;
  if (filter === 'void') return isVoid;
  if (isVoid || invoice.kind === 'credit_note') return false;
  if (filter === 'open') return money.settlement !== 'paid';
  return money.settlement === filter;
};

/** A form as a row of the list. */
function formRow(invoice: StoredInvoice, money: FormMoney, dealerName: string) {
  return {
    invoice_no: invoice.invoice_no,
    dealer: invoice.dealer.code,
    dealer_name: dealerName,
    period: invoice.period,
    kind: invoice.kind,
    issued_on: invoice.issued_on,
    status: lifeOf(invoice),
    total: formatYuan(money.void ? invoice.total : money.total),
    paid: formatYuan(money.paid),
    owed: formatYuan(money.owed),
    total_fen: money.void ? invoice.total : money.total,
    paid_fen: money.paid,
    owed_fen: money.owed,
    settlement: money.settlement,
  };
}

export type FormRow = ReturnType<typeof formRow>;

/** One dealer's forms that pass the filter, by number. */
async function dealerForms(deps: ListDeps, code: string, dealerName: string, query: FormQuery): Promise<FormRow[]> {
  const { forms: invoices, entries } = await dealerFormsAndEntries(deps, code);
  const fold = foldJournal(entries);
  const state = query.state ?? 'open';
  return invoices
    .filter((invoice) => query.period === undefined || invoice.period === query.period)
    .map((invoice) => ({ invoice, money: formMoneyOf(fold, invoice) }))
    .filter(({ invoice, money }) => matches(state, invoice, money))
    .sort((a, b) => (a.invoice.invoice_no < b.invoice.invoice_no ? -1 : 1))
    .map(({ invoice, money }) => formRow(invoice, money, dealerName));
}

/** The dealer codes the caller may list, the asked-for one found whatever its letter case. */
async function dealersOf(deps: ListDeps, caller: Caller, asked: string | undefined): Promise<{ codes: string[]; names: Map<string, string> }> {
  const master = await deps.master.load();
  const names = new Map([...master.dealers].map(([code, d]) => [code, d.dealer_name]));
  const wanted = asked?.trim();
  const code = wanted === undefined || wanted === '' ? undefined : knownDealerCode(names.keys(), wanted);
  const scope = listScope(caller, 'read_invoices', code);
  if (scope === null) throw forbidden('read_invoices', decide(caller, 'read_invoices').allowed ? 'dealer' : 'role', code);
  if (scope.dealer !== undefined && !names.has(scope.dealer)) throw new Refusal('not_found', `No dealer ${scope.dealer} in the master data`, `主数据中没有经销商 ${scope.dealer}`);
  return { codes: scope.dealer === undefined ? [...names.keys()].sort() : [scope.dealer], names };
}

/**
 * One page of the list: the forms of the next FORM_DEALERS_PER_PAGE dealers after `cursor`
 * that pass the filter (a page may hold none while `next_cursor` says more dealers follow).
 * A dealer sees its own forms only.
 */
export async function listForms(deps: ListDeps, caller: Caller, query: FormQuery, cursor?: string) {
  const { codes, names } = await dealersOf(deps, caller, query.dealer);
  const page = dealerPage(codes, { limit: FORM_DEALERS_PER_PAGE, ...(cursor !== undefined && { cursor }) }, FORM_DEALERS_PER_PAGE);
  const forms = (await readEachDealer(page.keys, (code) => dealerForms(deps, code, names.get(code) ?? code, query))).flat();
  return {
    state: query.state ?? 'open', dealer: codes.length === 1 ? codes[0] : null, period: query.period ?? null,
    dealers_read: page.keys, dealers_total: codes.length,
    forms, next_cursor: page.next_cursor,
  };
}

/** Every form that passes the filter, all dealers read (a few at a time): what the export writes. */
export async function allForms(deps: ListDeps, caller: Caller, query: FormQuery): Promise<FormRow[]> {
  return (await everyForm(deps, caller, query)).rows;
}

async function everyForm(deps: ListDeps, caller: Caller, query: FormQuery): Promise<{ rows: FormRow[]; dealer: string | null }> {
  const { codes, names } = await dealersOf(deps, caller, query.dealer);
  const rows = (await readEachDealer(codes, (code) => dealerForms(deps, code, names.get(code) ?? code, query))).flat();
  return { rows, dealer: query.dealer?.trim() ? (codes[0] ?? null) : null };
}

/** The list as an .xlsx, named after its filter (the dealer as the master data spells it). */
export async function formsWorkbook(deps: ListDeps & { readonly renderFormList: (rows: readonly FormRow[]) => Promise<Uint8Array> }, caller: Caller, query: FormQuery) {
  const { rows, dealer } = await everyForm(deps, caller, query);
  const name = ['forms', query.state ?? 'open', dealer, query.period ?? null].filter((part) => part !== null).join('-');
  return { fileName: `${name}.xlsx`, bytes: await deps.renderFormList(rows) };
}
