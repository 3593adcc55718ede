import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dealerBalances, movePayment, recordPayment, refundPayment, setFormStatus, type FormDeps } from '../../../shared/app/finance/form-life.js';
import { dealerBooks } from '../../../shared/app/finance/journal.js';
import { reconcilePeriod, type ReconcileDeps } from '../../../shared/app/reconcile.js';
import { addDays } from '../../../shared/domain/dates.js';
import { dealerHeadOf, foldJournal, formMoneyOf, heldOn, revenueByPart } from '../../../shared/domain/journal.js';
import { formatYuan, sum, type Fen } from '../../../shared/domain/money.js';
import { returned, shipment } from '../../helpers/ledger.js';
import { caller, demoBackOffice } from '../../helpers/memory/world.js';

/**
 * Issue 21's property: over random sequences of shipments (charges once overdue), runs
 * (charges, supplements, credit notes), payments and part payments, voids, refunds and moves,
 * per dealer the journal's sum is the balance everywhere it is shown (balances, the forms'
 * own figures), no payment is ever lost, and revenue is charged less credited. Issue 23's:
 * whenever the journal's head says it is up to date with the dealer's forms, it is the fold of
 * the entries stored, and so is every form's money head.
 */
type Step =
  | { readonly kind: 'ship'; readonly day: number; readonly qty: number }
  | { readonly kind: 'return'; readonly day: number }
  | { readonly kind: 'run'; readonly days: number }
  | { readonly kind: 'pay'; readonly form: number; readonly share: number }
  | { readonly kind: 'void'; readonly form: number }
  | { readonly kind: 'issue'; readonly form: number }
  | { readonly kind: 'refund'; readonly form: number; readonly share: number }
  | { readonly kind: 'move'; readonly form: number; readonly to: number };

const START = '2026-07-01';
const steps = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('ship' as const), day: fc.integer({ min: 0, max: 100 }), qty: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ kind: fc.constant('return' as const), day: fc.integer({ min: 0, max: 150 }) }),
    fc.record({ kind: fc.constant('run' as const), days: fc.integer({ min: 0, max: 40 }) }),
    fc.record({ kind: fc.constant('pay' as const), form: fc.nat(), share: fc.integer({ min: 1, max: 120 }) }),
    fc.record({ kind: fc.constant('void' as const), form: fc.nat() }),
    fc.record({ kind: fc.constant('issue' as const), form: fc.nat() }),
    fc.record({ kind: fc.constant('refund' as const), form: fc.nat(), share: fc.integer({ min: 1, max: 100 }) }),
    fc.record({ kind: fc.constant('move' as const), form: fc.nat(), to: fc.nat() }),
  ),
  { minLength: 1, maxLength: 16 },
);

async function replay(sequence: readonly Step[]): Promise<void> {
  const office = await demoBackOffice('2027-01-20T02:00:00.000Z');
  const deps: ReconcileDeps & FormDeps = { ...office, renderInvoice: async () => new Uint8Array() };
  const finance = caller('finance');
  let asOf = '2026-09-01';
  let recorded = 0;
  let n = 0;
  const refused = (error: unknown): void => {
    // Only a refusal in both languages is an answer; anything else is a fault.
    if ((error as { message_zh?: string }).message_zh === undefined) throw error;
  };
  for (const step of sequence) {
    n += 1;
    const forms = (await office.invoices.chargeState('D001')).invoices;
    const pick = (i: number) => forms[i % Math.max(1, forms.length)];
    if (step.kind === 'ship') {
      await office.ledger.record('shipments', [shipment({ shipment_id: `S${n}`, shipped_date: addDays(START, step.day), qty: step.qty })], 'p');
    } else if (step.kind === 'return') {
      await office.ledger.record('returns', [returned({ return_id: `R${n}`, received_date: addDays(START, step.day) })], 'p');
    } else if (step.kind === 'run') {
      asOf = addDays(asOf, step.days);
      if (asOf <= '2027-01-20') await reconcilePeriod(deps, { period: '2026-10', as_of: asOf });
    } else if (step.kind === 'pay' && pick(step.form)) {
      const form = pick(step.form)!;
      const owed = (await dealerBooks(office, 'D001')).money(form).owed;
      const amount = Math.max(1, Math.floor((owed * step.share) / 100)) as Fen;
      await recordPayment(deps, finance, form.invoice_no, { amount: formatYuan(amount), date: '2027-01-20' }).then(() => { recorded += amount; }, refused);
    } else if (step.kind === 'void' && pick(step.form)) {
      await setFormStatus(deps, finance, pick(step.form)!.invoice_no, 'void', 'property').catch(refused);
    } else if (step.kind === 'issue' && pick(step.form)) {
      await setFormStatus(deps, finance, pick(step.form)!.invoice_no, 'issued').catch(refused);
    } else if (step.kind === 'refund' && pick(step.form)) {
      const form = pick(step.form)!;
      const held = heldOn((await dealerBooks(office, 'D001')).money(form));
      const amount = Math.max(1, Math.floor((held * step.share) / 100)) as Fen;
      await refundPayment(deps, finance, form.invoice_no, { amount: formatYuan(amount), date: '2027-01-20', reason: 'property' }).catch(refused);
    } else if (step.kind === 'move' && pick(step.form) && pick(step.to)) {
      await movePayment(deps, finance, pick(step.form)!.invoice_no, { to: pick(step.to)!.invoice_no, reason: 'property' }).catch(refused);
    }

    // Assess, after every step: first the heads as the step left them, before a read brings them up to date.
    const [{ version, invoices }, stored] = await Promise.all([office.invoices.chargeState('D001'), office.journal.read('D001')]);
    const heads = await office.journal.heads(['D001'], invoices.map((form) => ({ dealer: 'D001', invoice_no: form.invoice_no })));
    const head = heads.dealers.get('D001');
    if (head?.charges_version === version) {
      const fold = foldJournal(stored.entries);
      expect(head).toEqual(dealerHeadOf(fold, { seq: stored.seq, charges_version: version, forms: invoices.length }));
      for (const form of invoices) if (heads.forms.has(form.invoice_no)) expect(heads.forms.get(form.invoice_no), form.invoice_no).toEqual(formMoneyOf(fold, form));
    }
    const books = await dealerBooks(office, 'D001');
    // A read leaves the head up to date, with every form's money; a dealer's empty books keep no head, and reading them writes nothing.
    const after = await office.journal.heads(['D001'], books.forms.map((form) => ({ dealer: 'D001', invoice_no: form.invoice_no })));
    if (books.seq === 0 && books.chargesVersion === 0) expect(after.dealers.get('D001')).toBeUndefined();
    else expect(after.dealers.get('D001')).toEqual(dealerHeadOf(books.fold, { seq: books.seq, charges_version: books.chargesVersion, forms: books.forms.length }));
    for (const form of books.forms) expect(after.forms.get(form.invoice_no), form.invoice_no).toEqual(books.money(form));
    const { dealer, forms: money } = books.fold;
    const journalSum = sum(books.entries.map((e) => e.amount));
    expect(journalSum).toBe(dealer.balance);
    expect(dealer.balance).toBe(dealer.charged - dealer.credited - dealer.paid + dealer.refunded);
    const perForm = sum([...money.values()].filter((f) => f.kind !== 'credit_note').map((f) => (f.total - f.paid - f.credited + f.refunded) as Fen));
    expect(perForm).toBe(dealer.balance);
    const [shown] = (await dealerBalances(office, finance, 'D001')).dealers;
    expect(shown?.balance).toBe(formatYuan(dealer.balance));
    // No payment is ever lost: every payment recorded is on some form, and none sits on a void form.
    expect(dealer.paid).toBe(recorded);
    expect(sum([...money.values()].map((f) => f.paid))).toBe(recorded);
    for (const f of money.values()) if (f.void) expect(heldOn(f), f.invoice_no).toBe(0);
    for (const f of money.values()) expect(f.paid - f.refunded, f.invoice_no).toBeGreaterThanOrEqual(0);
    // Revenue is what was charged less what was credited, part by part.
    expect(sum([...revenueByPart(books.entries).values()].map((r) => r.amount))).toBe(dealer.charged - dealer.credited);
  }
}

describe('the receivables journal', () => {
  it('sums to the balance everywhere it is shown, loses no payment, and gives revenue as charged less credited, after every step of random sequences', async () => {
    await fc.assert(fc.asyncProperty(steps, replay), { numRuns: 40 });
  }, 120_000);
});
