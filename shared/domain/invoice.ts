/**
 * The fee invoice (售后服务材料收费暨报销单) of domain.md, "The fee invoice": one per dealer and
 * reconciliation period with something to charge, its numbering, its status and its JSON view
 * in the `reconcile` output of cli.md.
 */
import { isValidDate, isValidPeriod, type IsoDate, type Period } from './dates.js';
import { toChineseCapitalSigned } from './capitals.js';
import { formatYuan, multiply, sum, type Fen } from './money.js';
import { clampedWindowsOf, windowClampedText, type ChargeLine, type CreditLine, type DealerReconciliation, type LotCharge } from './reconciliation.js';

/**
 * Why a line is on a form: a lot kept past its deadline (事实占有), any other charge, a
 * credit (红字) of units charged wrongly, or a flagged loan the after-sales department decided
 * to charge (a free part used on a chargeable repair).
 */
export type ChargeReason = 'de_facto_possession' | 'other' | 'credit' | 'flagged_loan';

/** The lot a de facto possession charge is for, as the dealer can look it up. */
export interface LotRef {
  readonly lot_id: string;
  readonly shipment_id: string;
  readonly shipped_date: IsoDate;
  readonly due_date: IsoDate;
  /** On a charge: the as-of date of the run that charged it, when it differs from the form's (an amended draft). */
  readonly charged_as_of?: IsoDate;
}

interface LineBase {
  readonly part_code: string;
  readonly part_name: string;
  readonly qty: number;
  readonly unit_price: Fen;
}

/**
 * A line as given to `buildInvoice`: a possession charge always names its lot, any other
 * charge says what it is; a credit names the lot and the form it corrects and has a negative
 * quantity at the price charged; a flagged loan's charge names its lot and the repair.
 */
export type InvoiceLineInput =
  | (LineBase & { readonly reason: 'de_facto_possession'; readonly lot: LotRef })
  | (LineBase & { readonly reason: 'other'; readonly lot: null; readonly note: string })
  | (LineBase & { readonly reason: 'credit'; readonly lot: LotRef; readonly corrects: string })
  | (LineBase & { readonly reason: 'flagged_loan'; readonly lot: LotRef; readonly repair_id: string });

/** A line on the invoice: the input with its amount, computed here so that it always equals qty × unit price. */
export type InvoiceLine = InvoiceLineInput & { readonly amount: Fen };

/**
 * Statuses a stored form may carry. A form's life is `draft` → `issued` → `void` (作废); forms
 * stored before the three dimensions were kept apart may say `archived` (now: issued, tax
 * archived) or `paid` (now: issued; the backfill reads its payment into the journal).
 */
export const INVOICE_STATUSES = ['draft', 'issued', 'archived', 'paid', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** The form's life (domain.md, "three separate dimensions"). */
export const FORM_LIVES = ['draft', 'issued', 'void'] as const;
export type FormLife = (typeof FORM_LIVES)[number];

/** Tax invoicing (开票): not chosen yet, wanted now, archived (存档) for consolidated invoicing, or invoiced. */
export const TAX_STATES = ['pending', 'now', 'archived', 'invoiced'] as const;
export type TaxState = (typeof TAX_STATES)[number];

/** The tax invoice (发票) made for a form: its number and date. */
export interface TaxInvoice {
  readonly number: string;
  readonly date: IsoDate;
}

/** A form's life, whatever status an older form was stored with. */
export const lifeOf = (invoice: Pick<Invoice, 'status'>): FormLife => (invoice.status === 'archived' || invoice.status === 'paid' ? 'issued' : invoice.status);

/** A form's tax dimension, whatever an older form was stored with. */
export const taxOf = (invoice: Pick<Invoice, 'status' | 'tax' | 'tax_invoice_now'>): TaxState =>
  invoice.tax ?? (invoice.status === 'archived' ? 'archived' : invoice.tax_invoice_now ? 'now' : 'pending');

/**
 * What a form is for (domain.md, "The fee invoice"): `possession` charges from the
 * reconciliation, `sale` of charged parts from an approved material request, `supplement`
 * (new charges after the period's form left draft) and `credit_note` (红字, negative). All
 * kinds share one gapless numbering per period.
 */
export const INVOICE_KINDS = ['possession', 'sale', 'supplement', 'credit_note'] as const;
export type InvoiceKind = (typeof INVOICE_KINDS)[number];

export interface InvoiceDealer {
  readonly code: string;
  readonly name: string;
  readonly payment_method: string;
}

export interface Invoice {
  readonly invoice_no: string;
  readonly kind: InvoiceKind;
  readonly dealer: InvoiceDealer;
  readonly period: Period;
  readonly issued_on: IsoDate;
  /** Whether the dealer wants its tax invoice now (开票) rather than consolidated later. */
  readonly tax_invoice_now: boolean;
  readonly lines: readonly InvoiceLine[];
  readonly total: Fen;
  /** The total in Chinese capital numerals, as the form prints it. */
  readonly total_in_words: string;
  readonly status: InvoiceStatus;
  /** Tax invoicing; absent on forms stored before it was kept (see `taxOf`). */
  readonly tax?: TaxState;
  /** The tax invoice made for the form, once `tax` is `invoiced`. */
  readonly tax_invoice?: TaxInvoice | null;
  /** The form a credit note or a supplement names; absent on the others. */
  readonly corrects?: string | null;
  /** Bumped by every change of the stored form, so that two changes at once cannot both win; absent on forms never changed. */
  readonly revision?: number;
  /** Every status change with who and when; forms stored before it was kept have none. */
  readonly history?: readonly StatusChange[];
  /** Payments stored on forms before the receivables journal kept them: read into the journal by the backfill, never written now. */
  readonly payments?: readonly Payment[];
}

/** One change of a form: its life after it (and its tax dimension, when that changed), by whom, when, and why. */
export interface StatusChange {
  readonly status: InvoiceStatus;
  readonly tax?: TaxState;
  readonly by: string;
  /** The person's name as they signed in, for the printed history; absent for the back office's own runs. */
  readonly by_name?: string;
  readonly at: string;
  readonly reason: string | null;
}

/** One payment finance recorded (domain.md, "payments"). */
export interface Payment {
  readonly date: IsoDate;
  readonly amount: Fen;
  readonly method: string;
  readonly reference: string | null;
  readonly by: string;
  readonly at: string;
}

export interface BuildInvoiceInput {
  readonly invoice_no: string;
  /** `possession` when not given: the reconciliation's own form. */
  readonly kind?: InvoiceKind;
  readonly dealer: InvoiceDealer;
  readonly period: Period;
  readonly issued_on: IsoDate;
  readonly tax_invoice_now: boolean;
  readonly lines: readonly InvoiceLineInput[];
  /** The form a credit note or supplement names. */
  readonly corrects?: string;
}

// 'FY' for 费用 (fee); four digits keep the numbers of a period sorting in issue order.
const INVOICE_NO = /^FY-(\d{4}-\d{2})-(\d{4})$/;
const MAX_SEQ = 9999;

/** The invoice number of the `seq`-th invoice (1-based) of a period: `FY-2026-10-0001`. */
export function invoiceNumber(period: Period, seq: number): string {
  if (!isValidPeriod(period)) throw new RangeError(`Not a YYYY-MM period: ${JSON.stringify(period)}`);
  if (!Number.isSafeInteger(seq) || seq < 1 || seq > MAX_SEQ) throw new RangeError(`Invoice sequence must be 1–${MAX_SEQ}: ${seq}`);
  return `FY-${period}-${String(seq).padStart(4, '0')}`;
}

/**
 * The number following the highest of `existing` in the same period (the first when there is
 * none), so numbers stay unique and sequential per period; numbers of other periods are ignored.
 */
export function nextInvoiceNumber(period: Period, existing: Iterable<string>): string {
  let highest = 0;
  for (const number of existing) {
    const m = INVOICE_NO.exec(number);
    if (m?.[1] === period) highest = Math.max(highest, Number(m[2]));
  }
  return invoiceNumber(period, highest + 1);
}

/** The invoice line charging a reconciliation's charge for de facto possession of its lot. */
export const invoiceLineForCharge = (charge: ChargeLine, part_name: string, charged_as_of?: IsoDate): InvoiceLineInput => ({
  part_code: charge.part_code,
  part_name,
  qty: charge.qty,
  unit_price: charge.unit_price,
  reason: 'de_facto_possession',
  lot: {
    lot_id: charge.lot_id, shipment_id: charge.shipment_id, shipped_date: charge.shipped_date, due_date: charge.due_date,
    ...(charged_as_of !== undefined && { charged_as_of }),
  },
});

/** The credit note line for a reconciliation's credit: negative units at the price charged, naming lot and form. */
export const invoiceLineForCredit = (credit: CreditLine, part_name: string): InvoiceLineInput => ({
  part_code: credit.part_code,
  part_name,
  qty: -credit.qty,
  unit_price: credit.unit_price,
  reason: 'credit',
  corrects: credit.invoice_no,
  lot: { lot_id: credit.lot_id, shipment_id: credit.shipment_id, shipped_date: credit.shipped_date, due_date: credit.due_date },
});

/** Lines that close a lot by charging it: a possession charge or a flagged loan's. */
const closesLotByCharge = (line: InvoiceLine): line is InvoiceLine & { readonly lot: LotRef } =>
  line.reason === 'de_facto_possession' || line.reason === 'flagged_loan';

/**
 * Units charged per lot on these invoices, net of credits (lot id → units): the
 * `previous_charges` the next reconciliation needs, so that an invoiced lot is never charged
 * twice. A void form charges nothing (its units are waived, see `waivedLotsOf`); a void credit
 * note still counts as made, so that the next run does not make it again.
 */
export function chargedLotsOf(invoices: Iterable<Pick<Invoice, 'lines'> & Partial<Pick<Invoice, 'status' | 'kind'>>>): Map<string, number> {
  const charged = new Map<string, number>();
  for (const invoice of invoices) {
    if (invoice.status === 'void' && invoice.kind !== 'credit_note') continue;
    for (const line of invoice.lines) {
      if (line.reason !== 'other') charged.set(line.lot.lot_id, (charged.get(line.lot.lot_id) ?? 0) + line.qty);
    }
  }
  for (const [lot, units] of charged) if (units <= 0) charged.delete(lot);
  return charged;
}

/** How each lot was charged (the first form that charged it): what the reconciliation credits against (rule 8). */
export function chargeRecordsOf(invoices: Iterable<StoredForm>): Map<string, LotCharge> {
  const records = new Map<string, LotCharge>();
  for (const invoice of invoices) {
    if (invoice.status === 'void') continue;
    for (const line of invoice.lines) {
      if (!closesLotByCharge(line) || records.has(line.lot.lot_id)) continue;
      records.set(line.lot.lot_id, {
        invoice_no: invoice.invoice_no, as_of: line.lot.charged_as_of ?? invoice.as_of, unit_price: line.unit_price, part_code: line.part_code,
        shipment_id: line.lot.shipment_id, line: Number(line.lot.lot_id.split('#').at(-1)), shipped_date: line.lot.shipped_date, due_date: line.lot.due_date,
        ...(line.reason === 'flagged_loan' ? { sold: true } : {}),
      });
    }
  }
  return records;
}

/** Units waived per lot (lot id → units): the lots a voided draft charged (rule 10). */
export function waivedLotsOf(invoices: Iterable<Pick<Invoice, 'lines' | 'status'>>): Map<string, number> {
  const waived = new Map<string, number>();
  for (const invoice of invoices) {
    if (invoice.status !== 'void') continue;
    for (const line of invoice.lines) if (closesLotByCharge(line)) waived.set(line.lot.lot_id, (waived.get(line.lot.lot_id) ?? 0) + line.qty);
  }
  return waived;
}

/** What `chargeRecordsOf` reads of a stored form: the as-of date of the run that made it. */
export type StoredForm = Pick<Invoice, 'invoice_no' | 'lines' | 'status'> & { readonly as_of: IsoDate };

/**
 * A draft invoice: amounts computed from quantity and unit price, the total in figures and
 * in words. Throws a RangeError for an invoice the domain never makes: no line (an invoice
 * exists only when there is something to charge), a quantity that is not a positive integer
 * (a negative one on a credit note, which has nothing else), a negative price, a malformed
 * period or date, or a number of another period.
 */
export function buildInvoice(input: BuildInvoiceInput): Invoice {
  const { invoice_no, dealer, period, issued_on, tax_invoice_now, lines } = input;
  const kind = input.kind ?? 'possession';
  const sign = kind === 'credit_note' ? -1 : 1;
  if (!isValidPeriod(period)) throw new RangeError(`Not a YYYY-MM period: ${JSON.stringify(period)}`);
  if (!isValidDate(issued_on)) throw new RangeError(`Not a YYYY-MM-DD date: ${JSON.stringify(issued_on)}`);
  if (INVOICE_NO.exec(invoice_no)?.[1] !== period) throw new RangeError(`Invoice number ${invoice_no} is not one of period ${period}`);
  if (lines.length === 0) throw new RangeError(`Invoice ${invoice_no} has nothing to charge`);
  const priced = lines.map((line): InvoiceLine => {
    if (!Number.isSafeInteger(line.qty) || line.qty * sign <= 0) {
      throw new RangeError(`Quantity must be a ${sign < 0 ? 'negative' : 'positive'} whole number on a ${kind} form: ${line.qty}`);
    }
    if (line.unit_price < 0) throw new RangeError(`Unit price cannot be negative: ${line.unit_price}`);
    return { ...line, amount: multiply(line.unit_price, line.qty) };
  });
  const total = sum(priced.map((line) => line.amount));
  return {
    invoice_no, kind, dealer, period, issued_on, tax_invoice_now,
    lines: priced, total, total_in_words: toChineseCapitalSigned(total), status: 'draft',
    ...(input.corrects !== undefined && { corrects: input.corrects }),
  };
}

/**
 * The moves of a form's life: a draft is issued or voided; an issued form may still be voided
 * (when no money is on it and it is not tax-invoiced: see the use case); `void` is final.
 */
const TRANSITIONS: Readonly<Record<FormLife, readonly FormLife[]>> = {
  draft: ['issued', 'void'],
  issued: ['void'],
  void: [],
};

/** Whether a form may move from its life to another. */
export const canTransition = (from: InvoiceStatus, to: InvoiceStatus): boolean => (to === 'issued' || to === 'void') && TRANSITIONS[lifeOf({ status: from })].includes(to);

/** The tax moves: any but an invoiced one may be wanted now, archived or invoiced; invoiced is final. */
export const canChangeTax = (from: TaxState, to: TaxState): boolean => from !== 'invoiced' && from !== to;

export interface InvoiceLineJson {
  readonly part_code: string;
  readonly qty: number;
  readonly unit_price: string;
  readonly amount: string;
  readonly reason: ChargeReason;
  readonly lot: { readonly shipment_id: string; readonly shipped_date: IsoDate; readonly due_date: IsoDate } | null;
}

export interface InvoiceJson {
  readonly dealer: string;
  readonly invoice_no: string;
  readonly kind: InvoiceKind;
  readonly status: FormLife;
  readonly total: string;
  readonly total_in_words: string;
  readonly lines: readonly InvoiceLineJson[];
  /** Only on a credit note or a supplement: the form it names. */
  readonly corrects?: string;
}

/** An invoice in the shape of cli.md's `reconcile` output, amounts as two-place decimal strings. */
export function invoiceJson(invoice: Invoice): InvoiceJson {
  return {
    dealer: invoice.dealer.code,
    invoice_no: invoice.invoice_no,
    kind: invoice.kind,
    status: lifeOf(invoice),
    total: formatYuan(invoice.total),
    total_in_words: invoice.total_in_words,
    ...(invoice.corrects && { corrects: invoice.corrects }),
    lines: invoice.lines.map((line) => ({
      part_code: line.part_code,
      qty: line.qty,
      unit_price: formatYuan(line.unit_price),
      amount: formatYuan(line.amount),
      reason: line.reason,
      lot: line.lot && { shipment_id: line.lot.shipment_id, shipped_date: line.lot.shipped_date, due_date: line.lot.due_date },
    })),
  };
}

/** Code-unit order, the same on every machine whatever its locale. */
const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface ReconcileJson {
  readonly period: Period;
  readonly as_of: IsoDate;
  readonly invoices: readonly InvoiceJson[];
  readonly outstanding: readonly { readonly dealer: string; readonly part_code: string; readonly qty: number; readonly due_date: IsoDate }[];
  readonly surplus: readonly { readonly dealer: string; readonly part_code: string; readonly qty: number }[];
  /** Lots whose recorded return window lay outside 1–3,650 days, and the window the run read instead. */
  readonly clamped_windows: readonly ClampedWindowJson[];
}

export interface ClampedWindowJson {
  readonly dealer: string;
  readonly lot_id: string;
  readonly part_code: string;
  readonly recorded_days: number;
  readonly days: number;
  readonly message: string;
}

/** The clamped lots of a run, by dealer then lot, each with its words in both languages. */
export const clampedWindowsJson = (dealers: readonly DealerReconciliation[]): ClampedWindowJson[] =>
  clampedWindowsOf([...dealers].sort((a, b) => byCode(a.dealer_code, b.dealer_code))).map((c) => ({
    dealer: c.dealer, lot_id: c.lot_id, part_code: c.part_code, recorded_days: c.recorded_days, days: c.days, message: windowClampedText(c),
  }));

/**
 * The whole `reconcile --json` document of cli.md: the period's invoices after the run (by
 * number) and every dealer's outstanding and surplus units (by dealer, then part).
 */
export function reconcileJson(input: {
  readonly period: Period;
  readonly as_of: IsoDate;
  readonly invoices: readonly Invoice[];
  readonly dealers: readonly DealerReconciliation[];
}): ReconcileJson {
  const dealers = [...input.dealers].sort((a, b) => byCode(a.dealer_code, b.dealer_code));
  return {
    period: input.period,
    as_of: input.as_of,
    invoices: [...input.invoices].sort((a, b) => byCode(a.invoice_no, b.invoice_no)).map(invoiceJson),
    outstanding: dealers.flatMap((d) => d.outstanding.map((o) => ({ dealer: d.dealer_code, part_code: o.part_code, qty: o.qty, due_date: o.due_date }))),
    surplus: dealers.flatMap((d) => d.surplus.map((s) => ({ dealer: d.dealer_code, part_code: s.part_code, qty: s.qty }))),
    clamped_windows: clampedWindowsJson(dealers),
  };
}
