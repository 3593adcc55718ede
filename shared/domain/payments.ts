/**
 * Payments against fee forms and each dealer's balance (domain.md, "The fee invoice":
 * payments): a form is paid when its payments reach its total; a part-paid form shows what is
 * still owed; a dealer's balance is owed minus paid minus credits, one figure. Money is
 * integer fen throughout.
 */
import type { Invoice, Payment, StatusChange } from './invoice.js';
import { sum, ZERO_FEN, type Fen } from './money.js';

/** What has been paid on a form (none on forms stored before payments were kept). */
export const paidOf = (invoice: Pick<Invoice, 'payments'>): Fen => sum((invoice.payments ?? []).map((p) => p.amount));

/**
 * What is still owed on a form: its total less what was paid; nothing on a void form or a
 * credit note (a credit lowers the dealer's balance, not another form's), nor on a form
 * marked paid without payments recorded (paid before payments were kept).
 */
export function owedOf(invoice: Pick<Invoice, 'total' | 'status' | 'kind' | 'payments'>): Fen {
  if (invoice.status === 'void' || invoice.kind === 'credit_note' || invoice.status === 'paid') return ZERO_FEN;
  return Math.max(0, invoice.total - paidOf(invoice)) as Fen;
}

/** Why a payment is refused: not a positive amount, more than is owed, or a form that takes none. */
export type PaymentProblem =
  | { readonly code: 'not_positive' }
  | { readonly code: 'more_than_owed'; readonly owed: Fen }
  | { readonly code: 'void_form' }
  | { readonly code: 'credit_note' }
  | { readonly code: 'already_paid' };

/** The problem with recording `payment` on `invoice`, if any. */
export function paymentProblem(invoice: Pick<Invoice, 'total' | 'status' | 'kind' | 'payments'>, amount: Fen): PaymentProblem | null {
  if (invoice.status === 'void') return { code: 'void_form' };
  if (invoice.kind === 'credit_note') return { code: 'credit_note' };
  if (invoice.status === 'paid') return { code: 'already_paid' };
  if (amount <= 0) return { code: 'not_positive' };
  const owed = owedOf(invoice);
  if (amount > owed) return { code: 'more_than_owed', owed };
  return null;
}

/**
 * The form with the payment recorded: `paid` (with the change in its history) once payments
 * cover the total. Throws a RangeError for a payment `paymentProblem` refuses.
 */
export function withPayment<I extends Invoice>(invoice: I, payment: Payment): I {
  const problem = paymentProblem(invoice, payment.amount);
  if (problem !== null) throw new RangeError(`Payment on ${invoice.invoice_no} refused: ${problem.code}`);
  const payments = [...(invoice.payments ?? []), payment];
  const covered = sum(payments.map((p) => p.amount)) >= invoice.total;
  const change: StatusChange = { status: 'paid', by: payment.by, at: payment.at, reason: null };
  return {
    ...invoice,
    payments,
    ...(covered && { status: 'paid', history: [...(invoice.history ?? []), change] }),
  };
}

export interface Balance {
  /** Totals of the forms that charge (not void, not credit notes). */
  readonly charged: Fen;
  readonly paid: Fen;
  /** Credit notes, as a positive amount. */
  readonly credits: Fen;
  /** charged − paid − credits; a form marked paid without payments recorded counts as paid in full. */
  readonly balance: Fen;
}

/** A dealer's balance over its forms (domain.md: owed minus paid minus credits). */
export function balanceOf(invoices: Iterable<Pick<Invoice, 'total' | 'status' | 'kind' | 'payments'>>): Balance {
  let charged = ZERO_FEN;
  let paid = ZERO_FEN;
  let credits = ZERO_FEN;
  for (const invoice of invoices) {
    if (invoice.status === 'void') continue;
    if (invoice.kind === 'credit_note') {
      credits = sum([credits, -invoice.total as Fen]);
      continue;
    }
    charged = sum([charged, invoice.total]);
    // Paid before payments were kept: settled in full.
    const settled = invoice.status === 'paid' && (invoice.payments ?? []).length === 0 ? invoice.total : paidOf(invoice);
    paid = sum([paid, settled]);
  }
  return { charged, paid, credits, balance: (charged - paid - credits) as Fen };
}
