import { describe, expect, it } from 'vitest';
import { toChineseCapitalSigned } from '../../shared/domain/capitals.js';
import { applyCorrections, correctionProblems, type LedgerCorrection } from '../../shared/domain/corrections.js';
import {
  buildInvoice,
  canTransition,
  chargedLotsOf,
  chargeRecordsOf,
  invoiceLineForCharge,
  invoiceLineForCredit,
  waivedLotsOf,
  type Invoice,
} from '../../shared/domain/invoice.js';
import { formatYuan, parseYuan, sum, type Fen } from '../../shared/domain/money.js';
import { foldJournal, missingEntries, paymentProblem, type JournalEntry } from '../../shared/domain/journal.js';
import type { DealerReconciliation } from '../../shared/domain/reconciliation.js';
import { reconcile, returned, shipment, VALVE } from '../helpers/ledger.js';

const DEALER = { code: 'D001', name: '华东卫浴', payment_method: '转账' };

/** The form a run's charges make, stored as of the run's date, and the three inputs the next run reads from it. */
function formOf(run: DealerReconciliation, invoice_no = 'FY-2026-10-0001', status: Invoice['status'] = 'draft') {
  const form = {
    ...buildInvoice({ invoice_no, dealer: DEALER, period: '2026-10', issued_on: run.as_of, tax_invoice_now: false, lines: run.new_charges.map((c) => invoiceLineForCharge(c, VALVE, run.as_of)) }),
    as_of: run.as_of,
    status,
  };
  return form;
}
const nextInputs = (forms: readonly ReturnType<typeof formOf>[]) => ({
  previous_charges: chargedLotsOf(forms),
  charge_records: chargeRecordsOf(forms),
  waived: waivedLotsOf(forms),
});

describe('rule 8: a return in time but recorded late is credited', () => {
  it('credits the units returned on or before the as-of date of the run that charged them, at the price charged, naming the form', () => {
    // Prepare: 2 units shipped 2026-08-01 (due 09-30) are charged as of 11-05
    const lot = shipment({ shipment_id: 'S1', shipped_date: '2026-08-01', qty: 2 });
    const first = reconcile({ shipments: [lot], as_of: '2026-11-05' });
    const form = formOf(first);

    // Act: the return received 2026-09-20 is recorded afterwards
    const later = reconcile({ shipments: [lot], returns: [returned({ received_date: '2026-09-20', qty: 2 })], as_of: '2026-12-05', ...nextInputs([form]) });

    // Assess
    expect(first.new_charges.map((c) => c.qty)).toEqual([2]);
    expect(later.new_credits).toEqual([expect.objectContaining({ lot_id: 'S1#1', qty: 2, unit_price: parseYuan('35.50'), invoice_no: 'FY-2026-10-0001' })]);
    expect(later.surplus).toEqual([]);
    expect(later.lots[0]).toMatchObject({ returned: 2, charged: 0, open: 0, status: 'returned' });
  });

  it('does not credit a return received after the charging run: it is surplus, as before', () => {
    // Prepare
    const lot = shipment({ shipment_id: 'S1', shipped_date: '2026-08-01', qty: 2 });
    const form = formOf(reconcile({ shipments: [lot], as_of: '2026-11-05' }));

    // Act
    const later = reconcile({ shipments: [lot], returns: [returned({ received_date: '2026-11-06', qty: 2 })], as_of: '2026-12-05', ...nextInputs([form]) });

    // Assess
    expect(later.new_credits).toEqual([]);
    expect(later.surplus).toEqual([{ part_code: VALVE, qty: 2 }]);
  });

  it('credits once: the credit note fed back leaves nothing more to credit', () => {
    // Prepare
    const lot = shipment({ shipment_id: 'S1', shipped_date: '2026-08-01', qty: 2 });
    const returns = [returned({ received_date: '2026-09-20', qty: 1 })];
    const form = formOf(reconcile({ shipments: [lot], as_of: '2026-11-05' }));
    const second = reconcile({ shipments: [lot], returns, as_of: '2026-12-05', ...nextInputs([form]) });
    const credit = {
      ...buildInvoice({ invoice_no: 'FY-2026-11-0001', kind: 'credit_note', corrects: form.invoice_no, dealer: DEALER, period: '2026-11', issued_on: '2026-12-05', tax_invoice_now: false, lines: second.new_credits.map((c) => invoiceLineForCredit(c, VALVE)) }),
      as_of: '2026-12-05',
    };

    // Act
    const third = reconcile({ shipments: [lot], returns, as_of: '2026-12-06', ...nextInputs([form, credit]) });

    // Assess
    expect(second.new_credits.map((c) => c.qty)).toEqual([1]);
    expect(credit.total).toBe(-3550);
    expect(credit.total_in_words).toBe('负叁拾伍元伍角');
    expect(third.new_credits).toEqual([]);
    expect(third.lots[0]).toMatchObject({ returned: 1, charged: 1, open: 0 });
  });

  it('credits the whole charge of a shipment line corrected to 0, and never more than was charged', () => {
    // Prepare
    const lot = shipment({ shipment_id: 'S1', shipped_date: '2026-08-01', qty: 5 });
    const form = formOf(reconcile({ shipments: [lot], as_of: '2026-11-05' }));

    // Act
    const cancelled = reconcile({ shipments: [{ ...lot, qty: 0 }], as_of: '2026-12-05', ...nextInputs([form]) });
    const lowered = reconcile({ shipments: [{ ...lot, qty: 2 }], as_of: '2026-12-05', ...nextInputs([form]) });

    // Assess
    expect(cancelled.new_credits.map((c) => [c.lot_id, c.qty])).toEqual([['S1#1', 5]]);
    expect(cancelled.errors).toEqual([]);
    expect(lowered.new_credits.map((c) => [c.lot_id, c.qty])).toEqual([['S1#1', 3]]);
  });
});

describe('rule 10: units of a voided draft are waived', () => {
  it('closes the lot as waived: never charged again, no return expected', () => {
    // Prepare
    const lot = shipment({ shipment_id: 'S1', shipped_date: '2026-08-01', qty: 2 });
    const voided = formOf(reconcile({ shipments: [lot], as_of: '2026-11-05' }), 'FY-2026-10-0001', 'void');

    // Act
    const later = reconcile({ shipments: [lot], as_of: '2026-12-05', ...nextInputs([voided]) });

    // Assess
    expect(later.new_charges).toEqual([]);
    expect(later.lots[0]).toMatchObject({ waived: 2, charged: 0, open: 0, status: 'waived' });
    expect(later.totals[0]).toMatchObject({ waived: 2, charged: 0, overdue: 0 });
  });
});

describe('rule 7: corrections', () => {
  const correction = (more: Partial<LedgerCorrection>): LedgerCorrection => ({
    type: 'shipments', id: 'S1', line: 1, dealer_code: 'D001', previous_qty: 5, qty: 2, reason: 'typo', by: 'admin', at: '2026-09-01T00:00:00Z', ...more,
  });

  it('reads each line at its latest correction; a line corrected to 0 reads as 0', () => {
    // Prepare
    const lines = [shipment({ shipment_id: 'S1', qty: 5 }), shipment({ shipment_id: 'S2', qty: 3 })];
    const corrections = [correction({ qty: 4, at: '2026-09-02T00:00:00Z' }), correction({ qty: 2 }), correction({ id: 'S2', qty: 0 })];

    // Act
    const read = applyCorrections('shipments', lines, (l) => l.shipment_id, corrections);

    // Assess
    expect(read.map((l) => [l.shipment_id, l.qty])).toEqual([['S1', 4], ['S2', 0]]);
  });

  it('refuses a negative or fractional quantity and a blank reason; 0 is a cancellation', () => {
    expect(correctionProblems({ qty: -1, reason: 'x' })).toEqual(['negative_qty']);
    expect(correctionProblems({ qty: 1.5, reason: ' ' })).toEqual(['not_whole', 'no_reason']);
    expect(correctionProblems({ qty: 0, reason: 'cancel' })).toEqual([]);
  });

  it('a typo corrected before the deadline is never charged', () => {
    // Prepare: 5 recorded for 2, 2 returned in time
    const recorded = [shipment({ shipment_id: 'S1', shipped_date: '2026-08-01', qty: 5 })];
    const shipments = applyCorrections('shipments', recorded, (l) => l.shipment_id, [correction({ qty: 2 })]);

    // Act
    const run = reconcile({ shipments, returns: [returned({ received_date: '2026-09-10', qty: 2 })], as_of: '2026-11-05' });

    // Assess
    expect(run.new_charges).toEqual([]);
  });
});

describe('the form: its life, its money from the journal', () => {
  const form = (total: string, more: Partial<Invoice> = {}): Invoice => ({
    ...buildInvoice({ invoice_no: 'FY-2026-10-0001', dealer: DEALER, period: '2026-10', issued_on: '2026-11-05', tax_invoice_now: false, lines: [{ part_code: VALVE, part_name: 'v', qty: 1, unit_price: parseYuan(total), reason: 'other', lot: null, note: 'x' }] }),
    ...more,
  });
  const STAMP = { by: 'finance-user', at: '2026-12-10T01:00:00Z' };
  const payment = (invoice_no: string, amount: string, n: number): JournalEntry => ({
    entry_id: `p${n}`, dealer: 'D001', type: 'payment', invoice_no, form_kind: 'possession', period: '2026-10', amount: -parseYuan(amount) as Fen,
    part_code: null, qty: null, counterpart: null, date: '2026-12-10', method: '转账', reference: null, reason: 'payment', ...STAMP,
  });

  it('a draft is issued or voided, an issued form may be voided, nothing leaves void; paid and archived are not lives', () => {
    expect(canTransition('draft', 'void')).toBe(true);
    expect(canTransition('issued', 'void')).toBe(true);
    expect(canTransition('void', 'issued')).toBe(false);
    expect(canTransition('issued', 'paid')).toBe(false);
    expect(canTransition('draft', 'archived')).toBe(false);
  });

  it('a part payment leaves the rest owed; the payment that covers the total settles the form, which stays issued', () => {
    // Prepare
    const issued = form('71.00', { status: 'issued' });
    const charges = missingEntries([issued], [], STAMP);

    // Act
    const part = foldJournal([...charges, payment(issued.invoice_no, '30.00', 1)]).forms.get(issued.invoice_no)!;
    const full = foldJournal([...charges, payment(issued.invoice_no, '30.00', 1), payment(issued.invoice_no, '41.00', 2)]).forms.get(issued.invoice_no)!;

    // Assess
    expect([formatYuan(part.owed), part.settlement]).toEqual(['41.00', 'part_paid']);
    expect([formatYuan(full.owed), full.settlement]).toEqual(['0.00', 'paid']);
  });

  it('refuses more than is owed, a payment on a void form, and nothing at all', () => {
    const open = foldJournal(missingEntries([form('71.00')], [], STAMP)).forms.get('FY-2026-10-0001')!;
    const voided = foldJournal(missingEntries([form('71.00', { status: 'void' })], [], STAMP)).forms.get('FY-2026-10-0001')!;
    expect(paymentProblem(open, parseYuan('71.01'))).toEqual({ code: 'more_than_owed', owed: 7100 });
    expect(paymentProblem(voided, parseYuan('1.00'))).toEqual({ code: 'void_form' });
    expect(paymentProblem(open, parseYuan('0'))).toEqual({ code: 'not_positive' });
  });

  it('a dealer balance is charged − credited − paid + refunded, the journal\'s sum; void forms count for nothing; a form marked paid before payments were kept reads in as paid in full', () => {
    // Prepare
    const forms = [
      form('100.00', { status: 'issued' }),
      { ...form('50.00', { status: 'void' as const }), invoice_no: 'FY-2026-10-0002' },
      {
        ...buildInvoice({ invoice_no: 'FY-2026-10-0003', kind: 'credit_note', corrects: 'FY-2026-10-0001', dealer: DEALER, period: '2026-10', issued_on: '2026-11-05', tax_invoice_now: false, lines: [{ part_code: VALVE, part_name: 'v', qty: -1, unit_price: parseYuan('20.00'), reason: 'credit', corrects: 'FY-2026-10-0001', lot: { lot_id: 'S1#1', shipment_id: 'S1', shipped_date: '2026-07-01', due_date: '2026-08-30' } }] }),
      },
      { ...form('10.00', { status: 'paid' as const, history: [{ status: 'paid' as const, ...STAMP, reason: null }] }), invoice_no: 'FY-2026-10-0004' },
    ];
    const entries = [...missingEntries(forms, [], STAMP), payment('FY-2026-10-0001', '30.00', 1)];

    // Act
    const { dealer, forms: money } = foldJournal(entries);

    // Assess
    expect([dealer.charged, dealer.paid, dealer.credited, dealer.refunded, dealer.balance].map(formatYuan)).toEqual(['110.00', '40.00', '20.00', '0.00', '50.00']);
    expect(sum(entries.map((e) => e.amount))).toBe(dealer.balance);
    expect([money.get('FY-2026-10-0001')?.owed, money.get('FY-2026-10-0001')?.credited].map((f) => formatYuan(f!))).toEqual(['50.00', '20.00']);
    expect(missingEntries(forms, entries, STAMP)).toEqual([]);
  });

  it('writes a negative amount in capitals as finance does, with 负 in front', () => {
    expect(toChineseCapitalSigned(parseYuan('-71.00', { allowNegative: true }))).toBe('负柒拾壹元整');
    expect(toChineseCapitalSigned(parseYuan('1234.56'))).toBe('壹仟贰佰叁拾肆元伍角陆分');
  });
});
