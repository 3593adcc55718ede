import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../shared/domain/dates.js';
import { buildInvoice, chargedLotsOf, chargeRecordsOf, waivedLotsOf } from '../../shared/domain/invoice.js';
import { parseYuan } from '../../shared/domain/money.js';
import type { ReturnLine } from '../../shared/domain/ledger-validation.js';
import { reconcile, returned, shipment, VALVE } from '../helpers/ledger.js';

/**
 * Rule 10 of domain.md: a flagged loan (a free part used on a chargeable repair) is charged at
 * the cost price whether or not the old part has come back; returning the old part does not
 * make the new one free.
 */
const DEALER = { code: 'D001', name: '华东卫浴', payment_method: '转账' };
const LOAN = shipment({ shipment_id: 'S9', shipped_date: '2026-10-09', qty: 2, repair_id: 'RP-1' });

/** The form the after-sales department's decision makes: every unit of the lot, as of the decision date. */
function flaggedCharge(as_of: string, qty = LOAN.qty) {
  return {
    ...buildInvoice({
      invoice_no: 'FY-2026-10-0001', dealer: DEALER, period: '2026-10', issued_on: as_of, tax_invoice_now: false,
      lines: [{
        part_code: VALVE, part_name: VALVE, qty, unit_price: parseYuan('35.50'), reason: 'flagged_loan', repair_id: 'RP-1',
        lot: { lot_id: 'S9#1', shipment_id: 'S9', shipped_date: LOAN.shipped_date, due_date: '2026-12-08', charged_as_of: as_of },
      }],
    }),
    as_of,
    status: 'draft' as const,
  };
}
const after = (form: ReturnType<typeof flaggedCharge>) => ({ previous_charges: chargedLotsOf([form]), charge_records: chargeRecordsOf([form]), waived: waivedLotsOf([form]) });

describe('rule 10: a flagged loan is charged whatever came back', () => {
  it('is never credited for the old part returned before the charge: the lot stays charged and the return is surplus', () => {
    // Prepare: both old parts came back on 2026-10-20, then the loan was charged as of 2026-11-10
    const form = flaggedCharge('2026-11-10');
    // Act
    const run = reconcile({ shipments: [LOAN], returns: [returned({ received_date: '2026-10-20', qty: 2 })], as_of: '2026-12-20', ...after(form) });
    // Assess
    expect(run.new_credits).toEqual([]);
    expect(run.new_charges).toEqual([]);
    expect(run.lots).toEqual([expect.objectContaining({ lot_id: 'S9#1', status: 'charged', charged: 2, returned: 0, open: 0 })]);
    expect(run.surplus).toEqual([{ part_code: VALVE, qty: 2 }]);
  });

  it('credits only what a correction took off the lot, never a return', () => {
    const form = flaggedCharge('2026-11-10');
    const run = reconcile({ shipments: [{ ...LOAN, qty: 1 }], returns: [returned({ received_date: '2026-10-20', qty: 1 })], as_of: '2026-12-20', ...after(form) });
    expect(run.new_credits).toEqual([expect.objectContaining({ lot_id: 'S9#1', qty: 1, invoice_no: 'FY-2026-10-0001' })]);
  });

  it('property: whatever returns arrive, before or after the charge, the sold lot keeps its whole charge and no credit names it', () => {
    const anyReturns = fc.array(fc.record({ day: fc.integer({ min: 0, max: 199 }).map((n) => addDays('2026-06-15', n)), qty: fc.integer({ min: 1, max: 3 }) }), { maxLength: 6 });
    fc.assert(
      fc.property(anyReturns, (list) => {
        const returns: ReturnLine[] = list.map((r, i) => returned({ return_id: `R${i}`, received_date: r.day, qty: r.qty }));
        const run = reconcile({ shipments: [LOAN], returns, as_of: '2026-12-31', ...after(flaggedCharge('2026-10-15')) });
        expect(run.new_credits).toEqual([]);
        expect(run.lots.find((l) => l.lot_id === 'S9#1')).toMatchObject({ charged: 2, open: 0, status: 'charged' });
        const total = run.totals.find((t) => t.part_code === VALVE);
        expect(total?.surplus ?? 0).toBe(returns.reduce((n, r) => n + r.qty, 0));
      }),
    );
  });
});
