/**
 * Consolidated invoicing (合并开票, domain.md "The fee invoice"): a dealer's forms archived
 * without a tax invoice, across periods, listed with their total for the one tax invoice made
 * for all of them; issuing the list marks every form on it issued, each by its own
 * conditional change (a form someone changed meanwhile is refused, the others go through).
 */
import type { Caller } from '../../domain/access.js';
import { authorize, Refusal } from '../access.js';
import type { Invoice } from '../../domain/invoice.js';
import { formatYuan, sum } from '../../domain/money.js';
import { toChineseCapitalSigned } from '../../domain/capitals.js';
import { setFormStatus, type FormDeps } from './form-life.js';

export interface ConsolidatedDeps extends FormDeps {
  /** Renders the consolidated list; exceljs stays at the edge. */
  readonly renderConsolidated: (dealer: { readonly code: string; readonly name: string }, forms: readonly Invoice[]) => Promise<Uint8Array>;
}

async function archivedForms(deps: Pick<FormDeps, 'invoices' | 'master'>, caller: Caller, dealer: string) {
  authorize(caller, 'change_invoice_status', dealer);
  const master = await deps.master.load();
  const known = master.dealers.get(dealer);
  if (known === undefined) throw new Refusal('not_found', `No dealer ${dealer} in the master data`, `主数据中没有经销商 ${dealer}`);
  const forms = (await deps.invoices.chargeState(dealer)).invoices.filter((i) => i.status === 'archived');
  return { dealer: { code: dealer, name: known.dealer_name }, forms: forms.sort((a, b) => (a.invoice_no < b.invoice_no ? -1 : 1)) };
}

/** The dealer's archived forms across periods with their total (finance). */
export async function consolidatedList(deps: Pick<FormDeps, 'invoices' | 'master'>, caller: Caller, dealer: string) {
  const { forms } = await archivedForms(deps, caller, dealer);
  const total = sum(forms.map((f) => f.total));
  return {
    dealer,
    count: forms.length,
    total: formatYuan(total),
    total_in_words: toChineseCapitalSigned(total),
    forms: forms.map((f) => ({ invoice_no: f.invoice_no, period: f.period, kind: f.kind, issued_on: f.issued_on, total: formatYuan(f.total) })),
  };
}

/** The list as a workbook (finance). */
export async function consolidatedWorkbook(deps: ConsolidatedDeps, caller: Caller, dealer: string) {
  const found = await archivedForms(deps, caller, dealer);
  return { fileName: `${dealer}-consolidated.xlsx`, bytes: await deps.renderConsolidated(found.dealer, found.forms) };
}

/** Issues every archived form of the list (finance): the tax invoice for all of them is made. */
export async function issueConsolidated(deps: FormDeps, caller: Caller, dealer: string) {
  const { forms } = await archivedForms(deps, caller, dealer);
  if (forms.length === 0) throw new Refusal('conflict', `Dealer ${dealer} has no archived form to invoice`, `经销商 ${dealer} 没有待合并开票的归档收费单`);
  const issued = [];
  for (const form of forms) issued.push(await setFormStatus(deps, caller, form.invoice_no, 'issued', 'consolidated invoicing / 合并开票'));
  return { dealer, issued: issued.map((f) => f.invoice_no), total: formatYuan(sum(forms.map((f) => f.total))) };
}
