import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideDispute, isOverdue, raiseDispute, waiverCreditLine, type Dispute } from '../../shared/domain/disputes.js';
import { buildInvoice, type Invoice, type InvoiceLineInput } from '../../shared/domain/invoice.js';
import { formatYuan, toFen } from '../../shared/domain/money.js';

const DEALER = { code: 'D001', name: '华东卫浴', payment_method: '转账' };
const lot = { lot_id: 'S1#1', shipment_id: 'S1', shipped_date: '2026-07-10', due_date: '2026-09-08' };
const charge = (qty: number, unit_price: number): InvoiceLineInput => ({ part_code: 'P-VALVE-01', part_name: '进水阀', qty, unit_price: toFen(unit_price), reason: 'de_facto_possession', lot }) as InvoiceLineInput;
const form = (more: Partial<Invoice> = {}): Invoice => ({
  ...buildInvoice({ invoice_no: 'FY-2026-10-0001', kind: 'possession', dealer: DEALER, period: '2026-10', issued_on: '2026-11-05', tax_invoice_now: false, lines: [charge(4, 3550), charge(1, 990)] }),
  status: 'issued',
  ...more,
});
const raised = (): Dispute => {
  const r = raiseDispute(form(), 1, '配件已退回', false, 'dealer-d001', '2026-11-06T10:00:00', 10);
  if (!('dispute' in r)) throw new Error(JSON.stringify(r.problems));
  return r.dispute;
};

describe('a dealer disputes a charged line', () => {
  it('raises a dispute of an issued form line with the amount at stake and a deadline of the configured days', () => {
    expect(raised()).toMatchObject({ dealer: 'D001', invoice_no: 'FY-2026-10-0001', line: 1, qty: 4, amount: '142.00', reason: '配件已退回', due_date: '2026-11-16', status: 'open', decision: null, version: 1 });
  });

  it('refuses a draft, a void form, a credit note, a line that is not there, a blank reason and a line disputed before, naming each', () => {
    const fields = (r: ReturnType<typeof raiseDispute>) => ('problems' in r ? r.problems.map((p) => p.field) : []);
    expect(fields(raiseDispute(form({ status: 'draft' }), 1, 'x', false, 'd', '2026-11-06T10:00:00', 10))).toEqual(['invoice_no']);
    expect(fields(raiseDispute(form({ status: 'void' }), 1, 'x', false, 'd', '2026-11-06T10:00:00', 10))).toEqual(['invoice_no']);
    expect(fields(raiseDispute(form({ kind: 'credit_note' }), 1, 'x', false, 'd', '2026-11-06T10:00:00', 10))).toEqual(['invoice_no']);
    expect(fields(raiseDispute(form(), 3, ' ', true, 'd', '2026-11-06T10:00:00', 10))).toEqual(['line', 'reason', 'line']);
    const refused = raiseDispute(form(), 0, 'x', false, 'd', '2026-11-06T10:00:00', 10);
    expect('problems' in refused && refused.problems[0]!.message_zh).toMatch(/没有第 0 行/);
  });
});

describe("the manager's decision", () => {
  it('upholds or waives with who, when and why, once', () => {
    const upheld = decideDispute(raised(), 'uphold', '超期未退', 'manager', '2026-11-08T09:00:00');
    expect(upheld).toMatchObject({ dispute: { status: 'upheld', decision: { by: 'manager', at: '2026-11-08T09:00:00', reason: '超期未退', credit_note: null }, version: 2 } });
    if (!('dispute' in upheld)) throw new Error('refused');
    expect(decideDispute(upheld.dispute, 'waive', '改判', 'manager', '2026-11-09T09:00:00')).toMatchObject({ problems: [{ field: 'decision' }] });
    expect(decideDispute(raised(), 'waive', '', 'manager', '2026-11-08T09:00:00')).toMatchObject({ problems: [{ field: 'reason' }] });
  });

  it('is overdue after its deadline while open, never once decided', () => {
    const open = raised();
    expect([isOverdue(open, '2026-11-16'), isOverdue(open, '2026-11-17')]).toEqual([false, true]);
    expect(isOverdue({ ...open, status: 'waived' }, '2027-01-01')).toBe(false);
  });

  it('waives by a credit note line that credits exactly the line, to the fen, naming the form, and leaves the lot charged', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 0, max: 1_000_000_000 }), (qty, price) => {
        const disputed = form({ lines: buildInvoice({ invoice_no: 'FY-2026-10-0001', kind: 'possession', dealer: DEALER, period: '2026-10', issued_on: '2026-11-05', tax_invoice_now: false, lines: [charge(qty, price)] }).lines });
        const credit = waiverCreditLine(disputed, { line: 1, reason: 'x' }, '同意豁免');
        const note = buildInvoice({ invoice_no: 'FY-2026-11-0003', kind: 'credit_note', dealer: DEALER, period: '2026-11', issued_on: '2026-11-08', tax_invoice_now: false, lines: [credit], corrects: credit.corrects });
        expect(formatYuan(note.total)).toBe(formatYuan(toFen(-disputed.lines[0]!.amount)));
        expect(credit).toMatchObject({ corrects: 'FY-2026-10-0001', reason: 'other', lot: null });
      }),
      { numRuns: 100 },
    );
  });
});
