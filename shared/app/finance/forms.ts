/**
 * The period's forms of one dealer as the reconciliation and the after-sales department add
 * to them (domain.md, reconciliation rule 9, "one form per dealer and period"): new charges go
 * on the period's draft form, replaced by its next revision under the same number; once that
 * form left draft they go on a `supplement` naming it; credits go on a `credit_note` per form
 * they correct. Every write is conditioned on the dealer's charge state as read, so that two
 * writers at once cannot both charge or credit the same units: a 'stale' answer means read
 * again and recompute.
 */
import { buildInvoice, type InvoiceDealer, type InvoiceLineInput, type StatusChange } from '../../domain/invoice.js';
import type { ChargeState, InvoiceStore, StoredInvoice } from '../ports.js';

export interface FormWrite {
  readonly dealer: InvoiceDealer;
  readonly period: string;
  readonly as_of: string;
  /** Who adds the lines: `reconciliation` for a run, the user for a decision. */
  readonly by: string;
  readonly at: string;
}

export type FormOutcome = { readonly status: 'written'; readonly forms: readonly StoredInvoice[] } | { readonly status: 'stale' };

const chargeKinds = new Set(['possession', 'supplement']);

/**
 * Puts `charges` on the dealer's period form and `credits` on credit notes (one per form they
 * correct), in that order, each write moving the charge state on from `state.version`.
 * Returns the forms written, or 'stale' at the first write another writer beat.
 */
export async function writeToPeriodForms(
  invoices: InvoiceStore,
  state: ChargeState,
  write: FormWrite,
  charges: readonly InvoiceLineInput[],
  // A lot's credit names its form; so does a waived dispute's `other` line (shared/domain/disputes.ts).
  credits: readonly (InvoiceLineInput & { readonly corrects: string })[],
): Promise<FormOutcome> {
  let version = state.version;
  const written: StoredInvoice[] = [];
  const create = async (kind: StoredInvoice['kind'], lines: readonly InvoiceLineInput[], corrects?: string): Promise<boolean> => {
    const created = await invoices.create(write.dealer.code, write.period, version, (invoice_no) => ({
      ...buildInvoice({ invoice_no, kind, dealer: write.dealer, period: write.period, issued_on: write.as_of, tax_invoice_now: false, lines, ...(corrects !== undefined && { corrects }) }),
      as_of: write.as_of,
      workbook_key: null,
      history: [{ status: 'draft', by: write.by, at: write.at, reason: null }],
    }));
    if (created.status === 'stale') return false;
    version += 1;
    written.push(created.invoice);
    return true;
  };

  if (charges.length > 0) {
    const periodForms = state.invoices.filter((i) => i.period === write.period && chargeKinds.has(i.kind) && i.status !== 'void');
    const draft = periodForms.find((i) => i.status === 'draft');
    if (draft !== undefined) {
      const amended = amendDraft(draft, charges, write);
      if ((await invoices.revise(draft, amended, version)) === 'conflict') return { status: 'stale' };
      version += 1;
      written.push(amended);
    } else {
      const first = periodForms.find((i) => i.kind === 'possession') ?? periodForms[0];
      const ok = first === undefined ? await create('possession', charges) : await create('supplement', charges, first.invoice_no);
      if (!ok) return { status: 'stale' };
    }
  }

  const byForm = new Map<string, InvoiceLineInput[]>();
  for (const credit of credits) byForm.set(credit.corrects, [...(byForm.get(credit.corrects) ?? []), credit]);
  for (const [corrects, lines] of [...byForm].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!(await create('credit_note', lines, corrects))) return { status: 'stale' };
  }
  return { status: 'written', forms: written };
}

/**
 * The draft's next revision: its lines and the new ones, totals recomputed, the workbook to be
 * rendered again, and the amendment in its history.
 */
function amendDraft(draft: StoredInvoice, charges: readonly InvoiceLineInput[], write: FormWrite): StoredInvoice {
  const rebuilt = buildInvoice({
    invoice_no: draft.invoice_no, kind: draft.kind, dealer: draft.dealer, period: draft.period, issued_on: write.as_of,
    tax_invoice_now: draft.tax_invoice_now, lines: [...draft.lines, ...charges], ...(draft.corrects && { corrects: draft.corrects }),
  });
  const change: StatusChange = { status: 'draft', by: write.by, at: write.at, reason: `amended as of ${write.as_of} / 截至 ${write.as_of} 补充收费` };
  return {
    ...draft, ...rebuilt, as_of: draft.as_of, workbook_key: null,
    revision: (draft.revision ?? 0) + 1, history: [...(draft.history ?? []), change],
  };
}
