import type { BackOfficeConfig } from '../config.js';
import { periodBounds } from '../domain/dates.js';
import { buildInvoice, chargedLotsOf, invoiceLineForCharge, type Invoice } from '../domain/invoice.js';
import type { Dealer, MasterData } from '../domain/master.js';
import {
  flagLoansForChargeableRepairs,
  priceListFrom,
  reconcileDealer,
  returnWindowOf,
  type DealerReconciliation,
  type FlaggedLoan,
} from '../domain/reconciliation.js';
import { forEachLimited } from '../store/batch.js';
import type { BlobStore, Clock, InvoiceStore, LedgerStore, MasterStore, ReconciliationRun, ReconciliationStore, ReportStore, StoredInvoice } from './ports.js';

export interface ReconcileDeps {
  readonly master: MasterStore;
  readonly ledger: LedgerStore;
  readonly invoices: InvoiceStore;
  readonly reconciliations: ReconciliationStore;
  readonly reports: ReportStore;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  readonly config: Pick<BackOfficeConfig, 'returnWindowDays'>;
  /** Renders the printable invoice workbook; exceljs stays at the edge. */
  readonly renderInvoice: (invoice: Invoice) => Promise<Uint8Array>;
}

export interface DealerRunResult {
  readonly reconciliation: DealerReconciliation;
  readonly flagged: readonly FlaggedLoan[];
  /** The invoice this run made, when it found something new to charge. */
  readonly invoice: StoredInvoice | null;
}

/** Stale reads of a dealer's charges are retried; each retry recomputes from the ledger. */
const STALE_RETRIES = 5;

export const invoiceWorkbookKey = (invoice: Invoice): string =>
  `invoices/${invoice.period}/${invoice.dealer.code}-${invoice.invoice_no}.xlsx`;

/**
 * Reconciles one dealer as of a date and invoices what is newly charged. Everything is
 * recomputed from the ledger with the lots already invoiced as input, so a second run at the
 * same date finds nothing new to charge; the invoice is stored in one transaction with the
 * dealer's charge state, so two runs at once cannot both charge a lot.
 */
export async function reconcileOneDealer(
  deps: ReconcileDeps,
  master: MasterData,
  dealer: Dealer,
  period: string,
  as_of: string,
): Promise<DealerRunResult> {
  const prices = priceListFrom(master.parts);
  const ledger = await deps.ledger.dealerLedger(dealer.dealer_code, as_of);
  const flagged = await crossCheck(deps, dealer.dealer_code, ledger.shipments);
  for (let attempt = 0; attempt < STALE_RETRIES; attempt++) {
    const state = await deps.invoices.chargeState(dealer.dealer_code);
    const reconciliation = reconcileDealer({
      dealer_code: dealer.dealer_code,
      return_window_days: returnWindowOf(dealer, deps.config.returnWindowDays),
      shipments: ledger.shipments,
      returns: ledger.returns,
      previous_charges: chargedLotsOf(state.invoices),
      as_of,
      prices,
    });
    let invoice: StoredInvoice | null = null;
    if (reconciliation.new_charges.length > 0) {
      const created = await deps.invoices.create(dealer.dealer_code, period, state.version, (invoice_no) => ({
        ...buildInvoice({
          invoice_no,
          dealer: { code: dealer.dealer_code, name: dealer.dealer_name, payment_method: dealer.payment_method },
          period,
          issued_on: as_of,
          tax_invoice_now: false,
          lines: reconciliation.new_charges.map((charge) => invoiceLineForCharge(charge, partName(master, charge.part_code))),
        }),
        as_of,
        workbook_key: null,
      }));
      if (created.status === 'stale') continue;
      invoice = created.invoice;
    }
    await deps.reconciliations.saveDealer(period, reconciliation, flagged);
    await ensureWorkbooks(deps, period, dealer.dealer_code);
    return { reconciliation, flagged, invoice };
  }
  throw new Error(`dealer ${dealer.dealer_code}: its charges kept changing during ${STALE_RETRIES} attempts; run again`);
}

const partName = (master: MasterData, part_code: string): string => master.parts.get(part_code)?.at(-1)?.part_name ?? part_code;

/** Writes the printable workbook of every invoice of the dealer's period that lacks one (also after a crash midway). */
async function ensureWorkbooks(deps: ReconcileDeps, period: string, dealer: string): Promise<void> {
  for (const invoice of await deps.invoices.byPeriod(period, dealer)) {
    if (invoice.workbook_key !== null && invoice.workbook_key !== undefined) continue;
    const key = invoiceWorkbookKey(invoice);
    await deps.blobs.put('invoices', key, await deps.renderInvoice(invoice), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    await deps.invoices.setWorkbook(invoice, key);
  }
}

/** Warranty loans for repairs the dealer's own reports show as chargeable (domain.md's cross-check). */
async function crossCheck(deps: ReconcileDeps, dealer: string, shipments: Parameters<typeof flagLoansForChargeableRepairs>[0]): Promise<FlaggedLoan[]> {
  const wanted = shipments.filter((s) => s.kind === 'warranty_loan' && s.repair_id !== null);
  if (wanted.length === 0) return [];
  const repairs = await deps.reports.repairCharging(dealer, [...new Set(wanted.map((s) => s.repair_id as string))]);
  return flagLoansForChargeableRepairs(wanted, repairs);
}

export interface PeriodRunResult {
  readonly run: ReconciliationRun;
  readonly dealers: readonly DealerReconciliation[];
  readonly invoices: readonly StoredInvoice[];
}

/**
 * Reconciles every dealer for a period as of a date, a few at a time; a dealer that fails
 * is reported and does not stop the others. Locally this is the whole run; on AWS the same
 * `reconcileOneDealer` runs once per dealer message.
 */
export async function reconcilePeriod(
  deps: ReconcileDeps,
  input: { period: string; as_of: string; concurrency?: number; onProgress?: (done: number, total: number, dealer: string) => void },
): Promise<PeriodRunResult> {
  periodBounds(input.period);
  const master = await deps.master.load();
  const dealers = [...master.dealers.values()].sort((a, b) => (a.dealer_code < b.dealer_code ? -1 : 1));
  const results: DealerReconciliation[] = [];
  const failed: { dealer: string; error: string }[] = [];
  const started_at = deps.clock.now().toISOString();
  let done = 0;
  const progress = (): ReconciliationRun => ({
    period: input.period,
    as_of: input.as_of,
    status: 'running',
    dealers_total: dealers.length,
    dealers_done: done,
    failed,
    started_at,
    finished_at: null,
  });
  await deps.reconciliations.saveRun(progress());
  await forEachLimited(dealers, input.concurrency ?? 4, async (dealer) => {
    try {
      results.push((await reconcileOneDealer(deps, master, dealer, input.period, input.as_of)).reconciliation);
    } catch (error) {
      failed.push({ dealer: dealer.dealer_code, error: (error as Error).message });
    }
    done += 1;
    input.onProgress?.(done, dealers.length, dealer.dealer_code);
  });
  const run: ReconciliationRun = {
    ...progress(),
    status: failed.length === 0 ? 'done' : 'done_with_failures',
    finished_at: deps.clock.now().toISOString(),
  };
  await deps.reconciliations.saveRun(run);
  const invoices = await deps.invoices.byPeriod(input.period);
  return { run, dealers: results, invoices };
}
