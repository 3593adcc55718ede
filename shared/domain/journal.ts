/**
 * The receivables journal (domain.md, "The fee invoice"): one append-only list of entries per
 * dealer — every charge line, credit note line, payment, refund, transfer of a payment and
 * void, each with who, when and why. What a form owes, its settlement, the dealer's balance and
 * the revenue are folds over it; nothing else keeps a total. Money is integer fen throughout.
 */
import type { IsoDate, Period } from './dates.js';
import type { Invoice, InvoiceKind, InvoiceLine } from './invoice.js';
import { sum, ZERO_FEN, type Fen } from './money.js';

export const JOURNAL_TYPES = ['charge', 'credit', 'payment', 'refund', 'transfer_out', 'transfer_in', 'void'] as const;
export type JournalType = (typeof JOURNAL_TYPES)[number];

export interface JournalEntry {
  /** Unique in the dealer's journal: derived from what it records, so that recording it again is seen as such. */
  readonly entry_id: string;
  readonly dealer: string;
  readonly type: JournalType;
  /** The form the entry is about. */
  readonly invoice_no: string;
  readonly form_kind: InvoiceKind;
  /** The form's period: the month its charges and credits count in. */
  readonly period: Period;
  /**
   * The entry's effect on the dealer's balance, signed: a charge +, a credit −, a payment −, a
   * refund +, a transfer out +, a transfer in −, a void minus what the form had put on the balance.
   */
  readonly amount: Fen;
  /** Charge and credit lines: the part and the units (negative on a credit). */
  readonly part_code: string | null;
  readonly qty: number | null;
  /** A credit line: the form it corrects; a transfer: the other form. */
  readonly counterpart: string | null;
  /** A payment or refund: the date the money moved, its method and reference. */
  readonly date: IsoDate | null;
  readonly method: string | null;
  readonly reference: string | null;
  readonly by: string;
  /** The person's name as they signed in, when known. */
  readonly by_name?: string;
  readonly at: string;
  readonly reason: string;
}

/** A form's money as the journal tells it. */
export interface FormMoney {
  readonly invoice_no: string;
  readonly kind: InvoiceKind;
  readonly period: Period;
  /** What the form charges (a credit note: what it credits, negative); 0 once void. */
  readonly total: Fen;
  /** Payments on the form, net of transfers in and out. */
  readonly paid: Fen;
  /** By live credit notes naming the form, as a positive amount. */
  readonly credited: Fen;
  readonly refunded: Fen;
  /** total − paid − credited + refunded, never below 0; nothing on a credit note. */
  readonly owed: Fen;
  readonly settlement: Settlement;
  readonly void: boolean;
}

export const SETTLEMENTS = ['owed', 'part_paid', 'paid'] as const;
export type Settlement = (typeof SETTLEMENTS)[number];

/** A dealer's figures: charged − credited − paid + refunded = balance, the journal's sum. */
export interface DealerMoney {
  readonly charged: Fen;
  readonly credited: Fen;
  readonly paid: Fen;
  readonly refunded: Fen;
  readonly balance: Fen;
}

export interface JournalFold {
  readonly forms: ReadonlyMap<string, FormMoney>;
  readonly dealer: DealerMoney;
}

interface Acc {
  kind: InvoiceKind;
  period: Period;
  charges: Fen;
  credits: Fen;
  paid: Fen;
  refunded: Fen;
  void: boolean;
  /** Credit lines of this credit note per form they correct. */
  corrects: Map<string, Fen>;
}

const add = (a: Fen, b: Fen): Fen => sum([a, b]);
const neg = (a: Fen): Fen => -a as Fen;

/** The fold: every form's money and the dealer's figures. */
export function foldJournal(entries: Iterable<JournalEntry>): JournalFold {
  const acc = new Map<string, Acc>();
  const of = (e: JournalEntry): Acc => {
    let found = acc.get(e.invoice_no);
    if (found === undefined) {
      found = { kind: e.form_kind, period: e.period, charges: ZERO_FEN, credits: ZERO_FEN, paid: ZERO_FEN, refunded: ZERO_FEN, void: false, corrects: new Map() };
      acc.set(e.invoice_no, found);
    }
    return found;
  };
  let balance = ZERO_FEN;
  let paid = ZERO_FEN;
  let refunded = ZERO_FEN;
  for (const e of entries) {
    balance = add(balance, e.amount);
    const form = of(e);
    switch (e.type) {
      case 'charge': form.charges = add(form.charges, e.amount); break;
      case 'credit':
        form.credits = add(form.credits, e.amount);
        if (e.counterpart !== null) form.corrects.set(e.counterpart, add(form.corrects.get(e.counterpart) ?? ZERO_FEN, neg(e.amount)));
        break;
      case 'payment': form.paid = add(form.paid, neg(e.amount)); paid = add(paid, neg(e.amount)); break;
      case 'transfer_in': form.paid = add(form.paid, neg(e.amount)); break;
      case 'transfer_out': form.paid = add(form.paid, neg(e.amount)); break;
      case 'refund': form.refunded = add(form.refunded, e.amount); refunded = add(refunded, e.amount); break;
      case 'void': form.void = true; break;
    }
  }
  const credited = new Map<string, Fen>();
  let charged = ZERO_FEN;
  let creditedTotal = ZERO_FEN;
  for (const form of acc.values()) {
    if (form.void) continue;
    charged = add(charged, form.charges);
    creditedTotal = add(creditedTotal, neg(form.credits));
    for (const [target, amount] of form.corrects) credited.set(target, add(credited.get(target) ?? ZERO_FEN, amount));
  }
  const forms = new Map<string, FormMoney>();
  for (const [invoice_no, form] of acc) {
    const isCredit = form.kind === 'credit_note';
    const total = form.void ? ZERO_FEN : isCredit ? form.credits : form.charges;
    const formCredited = isCredit || form.void ? ZERO_FEN : (credited.get(invoice_no) ?? ZERO_FEN);
    const rest = total - form.paid - formCredited + form.refunded;
    const owed = (isCredit ? 0 : Math.max(0, rest)) as Fen;
    const covered = form.paid - form.refunded + formCredited > 0;
    const settlement: Settlement = owed === 0 ? 'paid' : covered ? 'part_paid' : 'owed';
    forms.set(invoice_no, { invoice_no, kind: form.kind, period: form.period, total, paid: form.paid, credited: formCredited, refunded: form.refunded, owed, settlement, void: form.void });
  }
  return { forms, dealer: { charged, credited: creditedTotal, paid, refunded, balance } };
}

/** A form the journal has no entry for yet (a form made a moment ago): owes its total. */
export function formMoneyOf(fold: JournalFold, form: Pick<Invoice, 'invoice_no' | 'kind' | 'period'>): FormMoney {
  return fold.forms.get(form.invoice_no) ?? {
    invoice_no: form.invoice_no, kind: form.kind, period: form.period, total: ZERO_FEN, paid: ZERO_FEN, credited: ZERO_FEN,
    refunded: ZERO_FEN, owed: ZERO_FEN, settlement: 'owed', void: false,
  };
}

/**
 * Revenue (售后服务销售收入): the charge lines of live forms less the credit lines of live
 * credit notes, per part; of one period's forms when given.
 */
/**
 * The entries that are revenue (售后服务销售收入), each part once: the charge and credit lines of
 * forms not voided, of `period` when given. A credit's negative amount and units take back what
 * the form it corrects charged.
 */
export function revenueEntries(entries: Iterable<JournalEntry>, period?: Period): JournalEntry[] {
  const list = [...entries];
  const voided = new Set(list.filter((e) => e.type === 'void').map((e) => e.invoice_no));
  return list.filter((e) => (e.type === 'charge' || e.type === 'credit') && !voided.has(e.invoice_no) && e.part_code !== null && (period === undefined || e.period === period));
}

/** Revenue per part: the revenue entries summed. */
export function revenueByPart(entries: Iterable<JournalEntry>, period?: Period): Map<string, { qty: number; amount: Fen }> {
  const revenue = new Map<string, { qty: number; amount: Fen }>();
  for (const e of revenueEntries(entries, period)) {
    const found = revenue.get(e.part_code!) ?? { qty: 0, amount: ZERO_FEN };
    revenue.set(e.part_code!, { qty: found.qty + (e.qty ?? 0), amount: add(found.amount, e.amount) });
  }
  return revenue;
}

/** Who and when a backfilled or derived entry carries. */
export interface EntryStamp {
  readonly by: string;
  readonly at: string;
}

const lineReason = (line: InvoiceLine): string => {
  if (line.reason === 'other') return line.note;
  if (line.reason === 'flagged_loan') return `flagged loan ${line.lot.shipment_id}, repair ${line.repair_id} / 待核查借料 ${line.lot.shipment_id}，维修单 ${line.repair_id}`;
  if (line.reason === 'credit') return `credit of lot ${line.lot.shipment_id} on ${line.corrects} / 红字冲销 ${line.corrects} 批次 ${line.lot.shipment_id}`;
  return `de facto possession of lot ${line.lot.shipment_id} shipped ${line.lot.shipped_date}, due ${line.lot.due_date} / 事实占有 ${line.lot.shipment_id}`;
};

/** What the journal needs to know of a form to read it in: its content, life and legacy payments. */
export type JournalForm = Pick<Invoice, 'invoice_no' | 'kind' | 'period' | 'lines' | 'status' | 'dealer' | 'history' | 'payments' | 'total' | 'corrects'>;

/**
 * The entries the journal still lacks for these forms, in order: each line of each form (a
 * charge, or a credit on a credit note), a void, and what forms stored before the journal
 * carried — their payments, and a form marked paid with none recorded, settled in full.
 * Re-runnable: an entry already in `entries` is never made again, so reading the forms in
 * twice changes nothing.
 */
export function missingEntries(forms: readonly JournalForm[], entries: readonly JournalEntry[], stamp: EntryStamp): JournalEntry[] {
  const have = new Set(entries.map((e) => e.entry_id));
  const missing: JournalEntry[] = [];
  const push = (e: JournalEntry): void => {
    if (have.has(e.entry_id)) return;
    have.add(e.entry_id);
    missing.push(e);
  };
  const netOf = new Map<string, Fen>();
  for (const e of entries) netOf.set(e.invoice_no, add(netOf.get(e.invoice_no) ?? ZERO_FEN, e.type === 'charge' || e.type === 'credit' ? e.amount : ZERO_FEN));
  for (const form of forms) {
    const base = { dealer: form.dealer.code, invoice_no: form.invoice_no, form_kind: form.kind, period: form.period, date: null, method: null, reference: null };
    const made = form.history?.find((h) => h.status === 'draft') ?? form.history?.[0];
    const lastDraft = [...(form.history ?? [])].reverse().find((h) => h.status === 'draft') ?? made;
    form.lines.forEach((line, i) => {
      const isCredit = form.kind === 'credit_note';
      const when = i === 0 ? (made ?? stamp) : (lastDraft ?? stamp);
      const before = have.size;
      push({
        ...base, entry_id: `${isCredit ? 'credit' : 'charge'}:${form.invoice_no}:${i + 1}`, type: isCredit ? 'credit' : 'charge',
        amount: line.amount, part_code: line.part_code, qty: line.qty, counterpart: isCredit ? (line.reason === 'credit' ? line.corrects : (form.corrects ?? null)) : null,
        by: when.by, at: when.at, reason: lineReason(line),
      });
      if (have.size > before) netOf.set(form.invoice_no, add(netOf.get(form.invoice_no) ?? ZERO_FEN, line.amount));
    });
    (form.payments ?? []).forEach((p, i) => push({
      ...base, entry_id: `payment:${form.invoice_no}:legacy-${i + 1}`, type: 'payment', amount: neg(p.amount), part_code: null, qty: null, counterpart: null,
      date: p.date, method: p.method, reference: p.reference, by: p.by, at: p.at, reason: 'payment recorded before the journal / 日记账启用前的付款',
    }));
    const markedPaid = form.history?.find((h) => h.status === 'paid');
    if (form.status === 'paid' && (form.payments ?? []).length === 0 && markedPaid !== undefined) {
      push({
        ...base, entry_id: `payment:${form.invoice_no}:legacy-marked-paid`, type: 'payment', amount: neg(form.total), part_code: null, qty: null, counterpart: null,
        date: markedPaid.at.slice(0, 10), method: form.dealer.payment_method, reference: null, by: markedPaid.by, at: markedPaid.at,
        reason: 'marked paid before payments were recorded: settled in full / 付款记录启用前标记为已付款：视为全额付清',
      });
    }
    if (form.status === 'void') {
      const voided: EntryStamp & { readonly reason?: string | null } = [...(form.history ?? [])].reverse().find((h) => h.status === 'void') ?? stamp;
      push({
        ...base, entry_id: `void:${form.invoice_no}`, type: 'void', amount: neg(netOf.get(form.invoice_no) ?? ZERO_FEN), part_code: null, qty: null, counterpart: null,
        by: voided.by, at: voided.at, reason: voided.reason || 'void / 作废',
      });
    }
  }
  return missing;
}

/** Why money cannot move as asked. */
export type MoneyProblem =
  | { readonly code: 'not_positive' }
  | { readonly code: 'void_form' }
  | { readonly code: 'credit_note' }
  | { readonly code: 'more_than_owed'; readonly owed: Fen }
  | { readonly code: 'more_than_paid'; readonly paid: Fen }
  | { readonly code: 'same_form' }
  | { readonly code: 'other_dealer' };

/** A payment on a form: positive, on a live form that is not a credit note, no more than is owed. */
export function paymentProblem(form: FormMoney, amount: Fen): MoneyProblem | null {
  if (form.void) return { code: 'void_form' };
  if (form.kind === 'credit_note') return { code: 'credit_note' };
  if (amount <= 0) return { code: 'not_positive' };
  if (amount > form.owed) return { code: 'more_than_owed', owed: form.owed };
  return null;
}

/** What was paid on a form and not refunded or moved away: what can be refunded or moved. */
export const heldOn = (form: FormMoney): Fen => (form.paid - form.refunded) as Fen;

/** A refund from what was paid on the form. */
export function refundProblem(form: FormMoney, amount: Fen): MoneyProblem | null {
  if (amount <= 0) return { code: 'not_positive' };
  if (amount > heldOn(form)) return { code: 'more_than_paid', paid: heldOn(form) };
  return null;
}

/** Moving `amount` of what was paid on `from` to `to`, another live form of the same dealer. */
export function moveProblem(from: FormMoney & { readonly dealer: string }, to: FormMoney & { readonly dealer: string }, amount: Fen): MoneyProblem | null {
  if (from.invoice_no === to.invoice_no) return { code: 'same_form' };
  if (from.dealer !== to.dealer) return { code: 'other_dealer' };
  if (amount <= 0) return { code: 'not_positive' };
  if (amount > heldOn(from)) return { code: 'more_than_paid', paid: heldOn(from) };
  return paymentProblem(to, amount);
}

/**
 * The journal's own running totals for one dealer, kept beside its entries and written in the
 * same transaction as each append: the fold as of entry `seq`, over the dealer's forms as they
 * stood at charge-state `charges_version` (a form made, amended or voided moves that version on
 * before the journal has read it in, so a head whose version is not the dealer's current one is
 * not used: the books are read again instead). What the balance page shows, read without the entries.
 */
export interface DealerHead {
  readonly seq: number;
  readonly charges_version: number;
  /** The dealer's stored forms. */
  readonly forms: number;
  readonly charged: Fen;
  readonly credited: Fen;
  readonly paid: Fen;
  readonly refunded: Fen;
  readonly balance: Fen;
  /** What the dealer's forms owe, each never below 0. */
  readonly owed: Fen;
}

/** The head of a fold over `seq` entries and `forms` forms at charge-state `charges_version`. */
export function dealerHeadOf(fold: JournalFold, at: { readonly seq: number; readonly charges_version: number; readonly forms: number }): DealerHead {
  return { seq: at.seq, charges_version: at.charges_version, forms: at.forms, ...fold.dealer, owed: sum([...fold.forms.values()].map((f) => f.owed)) };
}

/** What a head is kept with: the dealer's head and the money of the forms whose money the append changed (every form on a rebuild). */
export interface JournalHeads {
  readonly dealer: DealerHead;
  readonly forms: readonly FormMoney[];
}

const sameMoney = (a: FormMoney | undefined, b: FormMoney): boolean =>
  a !== undefined && a.total === b.total && a.paid === b.paid && a.credited === b.credited && a.refunded === b.refunded && a.owed === b.owed && a.settlement === b.settlement && a.void === b.void && a.kind === b.kind && a.period === b.period;

/** The forms whose money differs between two folds: those an append must write the head of. */
export function changedForms(before: JournalFold | undefined, after: JournalFold): FormMoney[] {
  return [...after.forms.values()].filter((money) => !sameMoney(before?.forms.get(money.invoice_no), money));
}
