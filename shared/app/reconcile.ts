import { randomUUID } from 'node:crypto';
import type { BackOfficeConfig } from '../config.js';
import { periodBounds } from '../domain/dates.js';
import {
  chargedLotsOf,
  chargeRecordsOf,
  invoiceLineForCharge,
  invoiceLineForCredit,
  waivedLotsOf,
  type Invoice,
  type InvoiceLineInput,
} from '../domain/invoice.js';
import { partUnitsOf, type Dealer, type MasterData } from '../domain/master.js';
import {
  flagLoansForChargeableRepairs,
  priceListFrom,
  reconcileDealer,
  returnWindowOf,
  type DealerReconciliation,
  type FlaggedLoan,
} from '../domain/reconciliation.js';
import { XLSX_CONTENT_TYPE } from '../sheets/content-type.js';
import { forEachLimited } from './concurrency.js';
import { Refusal } from './access.js';
import { writeToPeriodForms } from './finance/forms.js';
import { dealerBooks } from './finance/journal.js';
import { storeReconciliationWorkbook, type ReconciliationWorkbookDeps } from './reconciliation-downloads.js';
import { DEALER_MESSAGES_PER_SEND, type DealerMessage, type SendDealerMessages } from './reconcile-messages.js';
import { currentRepairCharging } from './warranty/repair-decisions.js';
import type {
  ArchiveStore,
  BlobStore,
  Clock,
  DealerOutcome,
  InvoiceStore,
  JournalStore,
  LedgerStore,
  MasterStore,
  Notices,
  OutcomeTally,
  ReconciliationRun,
  ReconciliationStore,
  ReportStore,
  RunKey,
  StoredInvoice,
} from './ports.js';

export interface ReconcileDeps {
  readonly master: MasterStore;
  readonly ledger: LedgerStore;
  readonly invoices: InvoiceStore;
  readonly reconciliations: ReconciliationStore;
  readonly reports: ReportStore;
  readonly archive: ArchiveStore;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  readonly config: Pick<BackOfficeConfig, 'returnWindowDays'>;
  /** Renders the printable invoice workbook; exceljs stays at the edge. */
  readonly renderInvoice: (invoice: Invoice, options: { readonly partUnits: ReadonlyMap<string, string> }) => Promise<Uint8Array>;
  /** Renders the 用户借料盘点表 the run's last dealer keeps for the portal. */
  readonly renderReconciliation: ReconciliationWorkbookDeps['renderReconciliation'];
  /** Tells the dealer and finance of a credit note the run made. */
  readonly notices?: Notices;
  /** The receivables journal the run's new forms are read into, with its head, so the balance pages need not read them in later. */
  readonly journal?: JournalStore;
}

export interface DealerRunResult {
  readonly reconciliation: DealerReconciliation;
  readonly flagged: readonly FlaggedLoan[];
  /** The first form this run made or amended, when it found something new to charge or credit. */
  readonly invoice: StoredInvoice | null;
  /** Every form this run made or amended (a new draft revision, a supplement, credit notes): what notifications tell. */
  readonly forms: readonly StoredInvoice[];
}

/** Stale reads of a dealer's charges are retried; each retry recomputes from the ledger. */
const STALE_RETRIES = 5;

export const invoiceWorkbookKey = (invoice: Invoice): string =>
  `invoices/${invoice.period}/${invoice.dealer.code}-${invoice.invoice_no}.xlsx`;

/**
 * Reconciles one dealer as of a date, invoices what is newly charged and credits what was
 * charged wrongly (rules 8 and 9: see shared/app/finance/forms.ts). Everything is recomputed
 * from the ledger at corrected quantities with the dealer's forms as input, so a second run
 * at the same date finds nothing new; each form is written in one transaction with the
 * dealer's charge state, read before the ledger, so that neither another run nor a ledger
 * correction recorded meanwhile can make a lot charged or credited twice: the run reads again.
 */
export async function reconcileOneDealer(
  deps: ReconcileDeps,
  master: MasterData,
  dealer: Dealer,
  period: string,
  as_of: string,
): Promise<DealerRunResult> {
  const prices = priceListFrom(master.parts);
  for (let attempt = 0; attempt < STALE_RETRIES; attempt++) {
    const state = await deps.invoices.chargeState(dealer.dealer_code);
    const ledger = await deps.ledger.dealerLedger(dealer.dealer_code, as_of);
    const flagged = await crossCheck(deps, master, dealer.dealer_code, ledger.shipments);
    const reconciliation = reconcileDealer({
      dealer_code: dealer.dealer_code,
      return_window_days: returnWindowOf(dealer, deps.config.returnWindowDays),
      shipments: ledger.shipments,
      returns: ledger.returns,
      previous_charges: chargedLotsOf(state.invoices),
      charge_records: chargeRecordsOf(state.invoices),
      waived: waivedLotsOf(state.invoices),
      as_of,
      prices,
    });
    const written = await writeToPeriodForms(
      deps.invoices,
      state,
      { dealer: { code: dealer.dealer_code, name: dealer.dealer_name, payment_method: dealer.payment_method }, period, as_of, by: 'reconciliation', at: deps.clock.now().toISOString() },
      reconciliation.new_charges.map((charge) => invoiceLineForCharge(charge, partName(master, charge.part_code), as_of)),
      reconciliation.new_credits.map((credit) => invoiceLineForCredit(credit, partName(master, credit.part_code)) as InvoiceLineInput & { reason: 'credit' }),
    );
    if (written.status === 'stale') continue;
    if (deps.journal !== undefined && written.forms.length > 0) await dealerBooks({ ...deps, journal: deps.journal }, dealer.dealer_code);
    await deps.reconciliations.saveDealer(period, reconciliation, flagged);
    await ensureWorkbooks(deps, master, period, dealer.dealer_code);
    for (const form of written.forms) {
      if (form.kind === 'credit_note' && form.corrects) {
        await deps.notices?.tell({ kind: 'credit_note', dealer: dealer.dealer_code, invoice_no: form.invoice_no, corrects: form.corrects, period, total: form.total });
      }
    }
    return { reconciliation, flagged, invoice: written.forms[0] ?? null, forms: written.forms };
  }
  throw new Error(`dealer ${dealer.dealer_code}: its charges kept changing during ${STALE_RETRIES} attempts; run again`);
}

const partName = (master: MasterData, part_code: string): string => master.parts.get(part_code)?.at(-1)?.part_name ?? part_code;

/** Writes the printable workbook of every invoice of the dealer's period that lacks one (also after a crash midway). */
async function ensureWorkbooks(deps: ReconcileDeps, master: MasterData, period: string, dealer: string): Promise<void> {
  for (const invoice of await deps.invoices.byPeriod(period, dealer)) {
    if (invoice.workbook_key !== null && invoice.workbook_key !== undefined) continue;
    const key = invoiceWorkbookKey(invoice);
    await deps.blobs.put('invoices', key, await deps.renderInvoice(invoice, { partUnits: partUnitsOf(master.parts) }), XLSX_CONTENT_TYPE);
    await deps.invoices.setWorkbook(invoice, key);
  }
}

/** Warranty loans for repairs that are chargeable by the warranty decision taken from today's facts (domain.md's cross-check). */
async function crossCheck(deps: ReconcileDeps, master: MasterData, dealer: string, shipments: Parameters<typeof flagLoansForChargeableRepairs>[0]): Promise<FlaggedLoan[]> {
  const wanted = shipments.filter((s) => s.kind === 'warranty_loan' && s.repair_id !== null);
  if (wanted.length === 0) return [];
  const repairs = await currentRepairCharging(deps, master, dealer, [...new Set(wanted.map((s) => s.repair_id as string))]);
  return flagLoansForChargeableRepairs(wanted, repairs);
}

/**
 * How long a run may stay `running` before a new start may replace it: a run whose process
 * died never settles, and would otherwise bar its period for good. A whole month's run of every
 * dealer takes minutes; a retry of failed dealers joins the run and is never barred.
 */
export const RUN_ABANDONED_AFTER_MS = 2 * 60 * 60 * 1000;

export interface PlanInput {
  readonly period: string;
  readonly as_of: string;
  readonly dealers?: readonly string[];
  /** Refuse while a run of the period is going (a start from the portal) rather than take it over. */
  readonly exclusive?: boolean;
}

/** A start refused because a run of the same period is still in progress: it names that run, whose progress the portal then follows. */
export class RunInProgress extends Refusal {
  constructor(readonly run: ReconciliationRun) {
    super(
      'conflict',
      `The month-end run of ${run.period} as of ${run.as_of} is still in progress (${run.dealers_done}/${run.dealers_total} dealers done): wait for it to finish before starting another`,
      `${run.period} 的月末盘点（盘点日期 ${run.as_of}）正在进行（已完成 ${run.dealers_done}/${run.dealers_total} 家经销商），请等待完成后再启动`,
    );
  }
}

/** The run of the period as of the date, if it is running and not abandoned. */
async function runInProgress(deps: Pick<ReconcileDeps, 'reconciliations'>, period: string, as_of: string, abandonedBefore: string): Promise<ReconciliationRun | undefined> {
  const run = await deps.reconciliations.findRun(period, as_of);
  return run?.status === 'running' && run.started_at >= abandonedBefore ? run : undefined;
}

export interface PlannedRun {
  readonly run: ReconciliationRun & RunKey;
  /** The dealers to reconcile, one message (or one local task) each. */
  readonly dealers: readonly string[];
}

/**
 * Starts a run: records it as running with the number of dealers it waits for, and names
 * them. With `dealers`, only those are reconciled: inside the period's current run when
 * there is one (a failed dealer retried after its data was fixed), or as a run of their own.
 */
export async function planReconciliation(
  deps: Pick<ReconcileDeps, 'master' | 'reconciliations' | 'clock'>,
  input: PlanInput,
  master?: MasterData,
): Promise<PlannedRun> {
  periodBounds(input.period);
  const last = await deps.reconciliations.lastAsOf(input.period);
  if (last !== undefined && input.as_of < last) {
    throw new Refusal(
      'conflict',
      `${input.period} was last reconciled as of ${last}: a run as of ${input.as_of} would go back in time; run it as of ${last} or later`,
      `${input.period} 已按截至 ${last} 盘点：不能再按更早的 ${input.as_of} 盘点，请使用 ${last} 或之后的日期`,
    );
  }
  const known = master ?? (await deps.master.load());
  const all = [...known.dealers.keys()].sort();
  let dealers = all;
  if (input.dealers !== undefined) {
    const unknown = input.dealers.filter((code) => !known.dealers.has(code));
    if (unknown.length > 0) throw new Error(`unknown dealer(s) ${unknown.join(', ')}: not in the master data / 主数据中没有经销商 ${unknown.join('、')}`);
    dealers = [...new Set(input.dealers)].sort();
    const current = await deps.reconciliations.findRun(input.period, input.as_of);
    if (current?.run_id !== undefined) return { run: { ...current, run_id: current.run_id }, dealers };
  }
  const now = deps.clock.now();
  const started_at = now.toISOString();
  const run = {
    period: input.period,
    as_of: input.as_of,
    run_id: randomUUID(),
    status: dealers.length === 0 ? 'done' : 'running',
    dealers_total: dealers.length,
    dealers_done: 0,
    failed: [],
    started_at,
    finished_at: dealers.length === 0 ? started_at : null,
  } as const;
  if (input.exclusive !== true) {
    // The schedule and an operator take a running run of the period over: nothing tells a run
    // that died from one that is going, and a taken-over run charges each dealer once all the same.
    await deps.reconciliations.saveRun(run);
    return { run, dealers };
  }
  // A start from the portal waits for a run of the period still going, whatever its date.
  const abandonedBefore = new Date(now.getTime() - RUN_ABANDONED_AFTER_MS).toISOString();
  const earlier = last !== undefined && last !== input.as_of ? await runInProgress(deps, input.period, last, abandonedBefore) : undefined;
  if (earlier !== undefined) throw new RunInProgress(earlier);
  if ((await deps.reconciliations.claimRun(run, abandonedBefore)) === 'running') {
    const current = await runInProgress(deps, input.period, input.as_of, abandonedBefore);
    // Settled between the refused write and this read: the caller may start again; say so as a conflict all the same.
    throw current === undefined ? new Refusal('conflict', `A run of ${input.period} as of ${input.as_of} just finished: start again`, `${input.period}（盘点日期 ${input.as_of}）的月末盘点刚刚结束，请重新启动`) : new RunInProgress(current);
  }
  return { run, dealers };
}

/**
 * Plans a run and sends one message per dealer, ten per send and a few sends at a time. The
 * run is saved before the first message, so even the fastest dealer finds it to report to.
 */
export async function fanOutReconciliation(
  deps: Pick<ReconcileDeps, 'master' | 'reconciliations' | 'clock'>,
  input: PlanInput,
  send: SendDealerMessages,
  concurrency = 4,
): Promise<PlannedRun> {
  const plan = await planReconciliation(deps, input);
  const { period, as_of, run_id } = plan.run;
  const messages: DealerMessage[] = plan.dealers.map((dealer) => ({ period, as_of, run_id, dealer }));
  const sends: DealerMessage[][] = [];
  for (let i = 0; i < messages.length; i += DEALER_MESSAGES_PER_SEND) sends.push(messages.slice(i, i + DEALER_MESSAGES_PER_SEND));
  await forEachLimited(sends, concurrency, send);
  return plan;
}

export interface DealerStepResult {
  readonly dealer: string;
  readonly outcome: DealerOutcome;
  /** What recording the outcome did to the run (a redelivered message changes nothing). */
  readonly tally: OutcomeTally;
  /** The dealer's reconciliation and the invoice it made, when it succeeded. */
  readonly result: DealerRunResult | null;
  /** The run after this dealer's report, done once the last dealer has reported. */
  readonly run: ReconciliationRun | undefined;
}

/**
 * Characters of a dealer's error kept in its run: enough to act on, and never so much that
 * thousands of failing dealers' stack-deep messages outgrow what the run can hold.
 */
export const MAX_ERROR_CHARS = 1_000;
const boundedError = (message: string): string => (message.length > MAX_ERROR_CHARS ? `${message.slice(0, MAX_ERROR_CHARS - 1)}…` : message);

/**
 * One dealer of a run: reconciles it, records its outcome in the run (a failure is recorded,
 * not thrown, so the others go on), and closes the run when it was the last to report; the
 * dealer that finds the run closed writes the run's 用户借料盘点表 to the reports bucket, so
 * the API only hands out a link to it. Safe to repeat: charging is idempotent, a dealer counts
 * once per run, and the workbook is written again under the same key. Only a failure to
 * record the outcome or to write the workbook is thrown, so that the message is retried.
 */
export async function reconcileDealerOfRun(
  deps: ReconcileDeps,
  input: RunKey & { dealer: string },
  master?: MasterData,
  options: { readonly storeWorkbook?: boolean } = {},
): Promise<DealerStepResult> {
  const known = master ?? (await deps.master.load());
  const key: RunKey = { period: input.period, as_of: input.as_of, run_id: input.run_id };
  const dealer = known.dealers.get(input.dealer);
  let result: DealerRunResult | null = null;
  let outcome: DealerOutcome;
  if (dealer === undefined) {
    outcome = { status: 'failed', error: `dealer ${input.dealer} is not in the master data / 主数据中没有经销商 ${input.dealer}` };
  } else {
    try {
      result = await reconcileOneDealer(deps, known, dealer, input.period, input.as_of);
      outcome = { status: 'done' };
    } catch (error) {
      outcome = { status: 'failed', error: boundedError((error as Error).message) };
    }
  }
  const at = deps.clock.now().toISOString();
  const tally = await deps.reconciliations.recordDealerOutcome(key, input.dealer, outcome, at);
  // Also after a repeat: the delivery that reported may have stopped before closing the run.
  const run = await deps.reconciliations.settleRun(key, at);
  if (options.storeWorkbook !== false && run !== undefined && run.run_id === key.run_id && run.status !== 'running') {
    await storeReconciliationWorkbook(deps, key.period, key.as_of);
  }
  return { dealer: input.dealer, outcome, tally, result, run };
}

export interface PeriodRunResult {
  readonly run: ReconciliationRun;
  readonly dealers: readonly DealerReconciliation[];
  readonly invoices: readonly StoredInvoice[];
}

/**
 * Reconciles every dealer for a period as of a date, a few at a time, in this process; a
 * dealer that fails is reported and does not stop the others. On AWS the same plan and
 * per-dealer step run as one message per dealer (functions/reconcile.ts, reconcile-dealer.ts).
 */
export async function reconcilePeriod(
  deps: ReconcileDeps,
  input: {
    period: string;
    as_of: string;
    concurrency?: number;
    onProgress?: (done: number, total: number, dealer: string) => void;
    /** The run as already planned (a run started from the portal answers once it is recorded); planned here otherwise. */
    planned?: PlannedRun;
  },
): Promise<PeriodRunResult> {
  periodBounds(input.period);
  const master = await deps.master.load();
  const plan = input.planned ?? (await planReconciliation(deps, input, master));
  const results: DealerReconciliation[] = [];
  let done = 0;
  await forEachLimited(plan.dealers, input.concurrency ?? 4, async (dealer) => {
    // The workbook once, below: dealers finishing together would each find the run settled.
    const step = await reconcileDealerOfRun(deps, { ...plan.run, dealer }, master, { storeWorkbook: false });
    if (step.result !== null) results.push(step.result.reconciliation);
    done += 1;
    input.onProgress?.(done, plan.dealers.length, dealer);
  });
  const run = (await deps.reconciliations.findRun(input.period, input.as_of)) ?? plan.run;
  if (run.run_id === plan.run.run_id && run.status !== 'running') await storeReconciliationWorkbook(deps, input.period, input.as_of);
  const invoices = await deps.invoices.byPeriod(input.period);
  return { run, dealers: results, invoices };
}
