/**
 * Consolidated invoicing (合并开票, domain.md "The fee invoice"): a dealer's forms archived (存档)
 * for consolidated invoicing and not tax-invoiced yet, paid or not, across periods, listed with
 * their total for the one tax invoice made for all of them; recording that invoice's number
 * marks every form on the list invoiced, each by its own conditional change (a form someone
 * changed meanwhile is refused, the others go through).
 */
import type { Caller } from '../../domain/access.js';
import { lifeOf, taxOf, type Invoice } from '../../domain/invoice.js';
import { formatYuan, sum } from '../../domain/money.js';
import { toChineseCapitalSigned } from '../../domain/capitals.js';
import { authorize, Refusal } from '../access.js';
import { setFormTax, type FormDeps } from './form-life.js';
import { dealerBooks } from './journal.js';

export interface ConsolidatedDeps extends FormDeps {
  /** Renders the consolidated list; exceljs stays at the edge. */
  readonly renderConsolidated: (dealer: { readonly code: string; readonly name: string }, forms: readonly Invoice[]) => Promise<Uint8Array>;
}

async function archivedForms(deps: Pick<FormDeps, 'invoices' | 'master' | 'journal' | 'clock'>, caller: Caller, dealer: string) {
  authorize(caller, 'change_invoice_status', dealer);
  const master = await deps.master.load();
  const known = master.dealers.get(dealer);
  if (known === undefined) throw new Refusal('not_found', `No dealer ${dealer} in the master data`, `主数据中没有经销商 ${dealer}`);
  const books = await dealerBooks(deps, dealer);
  const forms = books.forms.filter((i) => taxOf(i) === 'archived' && lifeOf(i) !== 'void');
  return { dealer: { code: dealer, name: known.dealer_name }, books, forms: [...forms].sort((a, b) => (a.invoice_no < b.invoice_no ? -1 : 1)) };
}

/** The dealer's archived forms not yet tax-invoiced, across periods, with their total and what each still owes (finance). */
export async function consolidatedList(deps: Pick<FormDeps, 'invoices' | 'master' | 'journal' | 'clock'>, caller: Caller, dealer: string) {
  const { forms, books } = await archivedForms(deps, caller, dealer);
  const total = sum(forms.map((f) => f.total));
  return {
    dealer,
    count: forms.length,
    total: formatYuan(total),
    total_in_words: toChineseCapitalSigned(total),
    forms: forms.map((f) => {
      const money = books.money(f);
      return { invoice_no: f.invoice_no, period: f.period, kind: f.kind, issued_on: f.issued_on, total: formatYuan(f.total), owed: formatYuan(money.owed), settlement: money.settlement };
    }),
  };
}

/** The list as a workbook (finance). */
export async function consolidatedWorkbook(deps: ConsolidatedDeps, caller: Caller, dealer: string) {
  const found = await archivedForms(deps, caller, dealer);
  return { fileName: `${dealer}-consolidated.xlsx`, bytes: await deps.renderConsolidated(found.dealer, found.forms) };
}

/** Records the one tax invoice made for every form on the list (finance): each becomes invoiced with its number and date. */
export async function invoiceConsolidated(deps: FormDeps, caller: Caller, dealer: string, tax: { readonly number: string; readonly date: string }) {
  const { forms } = await archivedForms(deps, caller, dealer);
  if (forms.length === 0) throw new Refusal('conflict', `Dealer ${dealer} has no archived form waiting for a tax invoice`, `经销商 ${dealer} 没有待合并开票的存档收费单`);
  const invoiced = [];
  for (const form of forms) invoiced.push(await setFormTax(deps, caller, form.invoice_no, tax));
  return { dealer, invoiced: invoiced.map((f) => f.invoice_no), tax_invoice: { number: tax.number.trim(), date: tax.date }, total: formatYuan(sum(forms.map((f) => f.total))) };
}
