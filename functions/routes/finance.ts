import * as z from 'zod';
import { correctLedgerLine, ledgerLineHistory, type CorrectionDeps } from '../../shared/app/finance/corrections.js';
import { dealerBalances, formLife, movePayment, recordPayment, refundPayment, setFormTax, type FormDeps } from '../../shared/app/finance/form-life.js';
import { consolidatedList, consolidatedWorkbook, invoiceConsolidated, type ConsolidatedDeps } from '../../shared/app/finance/consolidated.js';
import { chargeFlaggedLoan, type FlaggedLoanDeps } from '../../shared/app/finance/flagged-loans.js';
import { FORM_FILTERS, formsWorkbook, listForms, type FormRow } from '../../shared/app/finance/form-list.js';
import { reconciliationRunStatus, runProgress, startReconciliation, type RunDeps } from '../../shared/app/reconciliation-runs.js';
import { RunInProgress } from '../../shared/app/reconcile.js';
import { XLSX_CONTENT_TYPE } from '../../shared/sheets/content-type.js';
import { DealerCode, InvoiceNo, IsoDate, LedgerType, None, ok, pageOf, PageQuery, Period, route } from './route.js';

/** What the finance routes work on, besides what every route has. */
export type FinanceDeps = FormDeps & CorrectionDeps & ConsolidatedDeps & FlaggedLoanDeps & RunDeps & {
  readonly renderFormList: (rows: readonly FormRow[]) => Promise<Uint8Array>;
};

/** The filters of the forms list; the dealer code in any letter case. */
const FormFilters = {
  state: z.enum(FORM_FILTERS).optional(),
  dealer: z.string().trim().max(32).regex(/^[A-Za-z0-9_-]*$/, 'a dealer code such as D001').optional(),
  period: Period.optional(),
};

const LineParams = z.object({ type: LedgerType, id: z.string().min(1).max(64), line: z.string().regex(/^[1-9][0-9]{0,5}$/, 'a line number such as 1').transform(Number) });

/** Ledger corrections, the form's history, payments and balances (issue 12). */
export const FINANCE_ROUTES = [
  route({
    method: 'GET', path: '/api/ledger/{type}/{id}/lines/{line}', summary: 'One ledger line as recorded, with every correction (who, when, why)', actions: ['correct_shipments', 'correct_returns'],
    params: LineParams, query: None, body: null,
    run: async (deps, caller, { params }) => ok(await ledgerLineHistory(deps, caller, params.type, params.id, params.line)),
  }),
  route({
    method: 'POST', path: '/api/ledger/{type}/{id}/lines/{line}/corrections', summary: 'Correct one ledger line (admin: shipments; warehouse: returns); qty 0 cancels it', actions: ['correct_shipments', 'correct_returns'],
    params: LineParams, query: None, body: z.object({ qty: z.number().int(), reason: z.string().min(1).max(500) }).strict(),
    run: async (deps, caller, { params, body }) => ok(await correctLedgerLine(deps, caller, { ...params, ...body }), 201),
  }),
  route({
    method: 'GET', path: '/api/invoices/{invoice_no}/history', summary: "A form's status history and payments, with what is paid and owed", actions: ['read_invoices'],
    params: z.object({ invoice_no: InvoiceNo }), query: None, body: null,
    run: async (deps, caller, { params }) => ok(await formLife(deps, caller, params.invoice_no)),
  }),
  route({
    method: 'POST', path: '/api/invoices/{invoice_no}/payments', summary: 'Record a payment against a form (finance)', actions: ['record_payments'],
    params: z.object({ invoice_no: InvoiceNo }), query: None,
    body: z.object({ amount: z.string().max(20), date: IsoDate, method: z.string().max(50).optional(), reference: z.string().max(100).optional() }).strict(),
    run: async (deps, caller, { params, body }) => ok(await recordPayment(deps, caller, params.invoice_no, body), 201),
  }),
  route({
    method: 'POST', path: '/api/invoices/{invoice_no}/payments/move', summary: 'Move payments (all, or an amount) to another form of the same dealer (finance)', actions: ['record_payments'],
    params: z.object({ invoice_no: InvoiceNo }), query: None,
    body: z.object({ to: InvoiceNo, amount: z.string().max(20).optional(), reason: z.string().min(1).max(500) }).strict(),
    run: async (deps, caller, { params, body }) => ok(await movePayment(deps, caller, params.invoice_no, body), 201),
  }),
  route({
    method: 'POST', path: '/api/invoices/{invoice_no}/refunds', summary: 'Record money paid back to the dealer from what was paid on the form (finance)', actions: ['record_payments'],
    params: z.object({ invoice_no: InvoiceNo }), query: None,
    body: z.object({ amount: z.string().max(20), date: IsoDate, reason: z.string().min(1).max(500), reference: z.string().max(100).optional() }).strict(),
    run: async (deps, caller, { params, body }) => ok(await refundPayment(deps, caller, params.invoice_no, body), 201),
  }),
  route({
    method: 'POST', path: '/api/invoices/{invoice_no}/tax', summary: 'Tax invoicing (开票), independent of payment: "now", "archive" (存档 for consolidated invoicing), or the tax invoice made (number and date)', actions: ['change_invoice_status'],
    params: z.object({ invoice_no: InvoiceNo }), query: None,
    body: z.union([z.object({ to: z.enum(['now', 'archive']) }).strict(), z.object({ number: z.string().min(1).max(50), date: IsoDate }).strict()]),
    run: async (deps, caller, { params, body }) => ok(await setFormTax(deps, caller, params.invoice_no, body)),
  }),
  route({
    method: 'GET', path: '/api/balances', summary: "Each dealer's balance from its receivables journal: charged − credited − paid + refunded (a dealer sees its own); every dealer's a page at a time (`limit`, default 25; `cursor` from the previous page's `next_cursor`, null on the last)", actions: ['read_invoices'],
    params: None, query: z.object({ dealer: DealerCode.optional(), ...PageQuery }).strict(), body: null,
    run: async (deps, caller, { query }) => ok(await dealerBalances(deps, caller, query.dealer, pageOf(query))),
  }),
  route({
    method: 'GET', path: '/api/dealers/{dealer}/consolidated', summary: "The dealer's archived forms across periods with their total, for consolidated invoicing (合并开票)", actions: ['change_invoice_status'],
    params: z.object({ dealer: DealerCode }), query: None, body: null,
    run: async (deps, caller, { params }) => ok(await consolidatedList(deps, caller, params.dealer)),
  }),
  route({
    method: 'GET', path: '/api/dealers/{dealer}/consolidated/workbook', summary: 'The consolidated invoicing list as an .xlsx', actions: ['change_invoice_status'],
    params: z.object({ dealer: DealerCode }), query: None, body: null,
    run: async (deps, caller, { params }) => {
      const { fileName, bytes } = await consolidatedWorkbook(deps, caller, params.dealer);
      return { status: 200, file: { bytes, fileName, contentType: XLSX_CONTENT_TYPE } };
    },
  }),
  route({
    method: 'POST', path: '/api/dealers/{dealer}/consolidated/issue', summary: 'Record the consolidated tax invoice (number and date) on every archived form of the list', actions: ['change_invoice_status'],
    params: z.object({ dealer: DealerCode }), query: None, body: z.object({ number: z.string().min(1).max(50), date: IsoDate }).strict(),
    run: async (deps, caller, { params, body }) => ok(await invoiceConsolidated(deps, caller, params.dealer, body)),
  }),
  route({
    method: 'POST', path: '/api/flagged-loans/{id}/lines/{line}/charge', summary: "Charge a flagged loan (待核查借料) on the dealer's form of the period, naming its repair (after-sales department)", actions: ['charge_flagged_loans'],
    params: LineParams.omit({ type: true }), query: None, body: z.object({ period: Period }).strict(),
    run: async (deps, caller, { params, body }) => ok(await chargeFlaggedLoan(deps, caller, { shipment_id: params.id, line: params.line, period: body.period }), 201),
  }),
  route({
    method: 'GET', path: '/api/forms', summary: "Fee forms across dealers and periods (finance; a dealer its own): open ones (owed or part paid) unless `state` says otherwise (owed, part_paid, paid, void, all), narrowed by `dealer` (any letter case) and `period`; each page the forms of the next three dealers (`cursor` from `next_cursor`, null after the last dealer)", actions: ['read_invoices'],
    params: None, query: z.object({ ...FormFilters, cursor: PageQuery.cursor }).strict(), body: null,
    run: async (deps, caller, { query }) => {
      const { cursor, ...filters } = query;
      return ok(await listForms(deps, caller, filters, cursor));
    },
  }),
  route({
    method: 'GET', path: '/api/forms/workbook', summary: 'The fee forms the same filters list, every dealer, as an .xlsx', actions: ['read_invoices'],
    params: None, query: z.object(FormFilters).strict(), body: null,
    run: async (deps, caller, { query }) => {
      const { fileName, bytes } = await formsWorkbook(deps, caller, query);
      return { status: 200, file: { bytes, fileName, contentType: XLSX_CONTENT_TYPE } };
    },
  }),
  route({
    method: 'POST', path: '/api/reconciliations/{period}/runs', summary: "Start the month-end run of a period as of a date (today when not given), as the schedule starts it (finance, admin): 202 once the run is recorded, with its dealers to do; 409 while a run of the same period is in progress (the schedule's or the portal's), with that run's progress in `run`", actions: ['run_reconciliations'],
    params: z.object({ period: Period }), query: None, body: z.object({ as_of: IsoDate.optional() }).strict(),
    run: async (deps, caller, { params, body }) => {
      try {
        return ok(await startReconciliation(deps, caller, params.period, body.as_of), 202);
      } catch (error) {
        if (!(error instanceof RunInProgress)) throw error;
        return ok({ error: { code: 'run_in_progress', message: error.message, message_zh: error.message_zh }, run: runProgress(error.run) }, 409);
      }
    },
  }),
  route({
    method: 'GET', path: '/api/reconciliations/{period}/runs', summary: "Where the period's run as of a date stands: running, done or done with failures, dealers done of dealers planned; `none` when never started", actions: ['read_reconciliations'],
    params: z.object({ period: Period }), query: z.object({ as_of: IsoDate }).strict(), body: null,
    run: async (deps, caller, { params, query }) => ok(await reconciliationRunStatus(deps, caller, params.period, query.as_of)),
  }),
];
