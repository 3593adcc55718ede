import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildInvoice,
  canTransition,
  chargedLotsOf,
  INVOICE_STATUSES,
  invoiceJson,
  invoiceLineForCharge,
  invoiceNumber,
  nextInvoiceNumber,
  reconcileJson,
  type BuildInvoiceInput,
  type InvoiceLineInput,
  type InvoiceStatus,
} from '../../shared/domain/invoice.js';
import { parseYuan } from '../../shared/domain/money.js';
import { DEALER, reconcile, returned, SEAL, shipment, VALVE } from '../helpers/ledger.js';

/** Four valves of lot S1 kept past 2026-09-08, at ¥35.50. */
const possessionLine = (more: Partial<Pick<InvoiceLineInput, 'qty' | 'unit_price'>> = {}): InvoiceLineInput => ({
  part_code: VALVE,
  part_name: 'Inlet valve',
  qty: 4,
  unit_price: parseYuan('35.50'),
  reason: 'de_facto_possession',
  lot: { lot_id: 'S1#1', shipment_id: 'S1', shipped_date: '2026-07-10', due_date: '2026-09-08' },
  ...more,
});

const invoiceInput = (more: Partial<BuildInvoiceInput> = {}): BuildInvoiceInput => ({
  invoice_no: 'FY-2026-10-0001',
  dealer: { code: DEALER, name: 'Dealer One', payment_method: 'bank transfer' },
  period: '2026-10',
  issued_on: '2026-11-05',
  tax_invoice_now: true,
  lines: [possessionLine()],
  ...more,
});

describe('invoice numbers', () => {
  it('carry the period and a four-digit sequence', () => {
    expect(invoiceNumber('2026-10', 1)).toBe('FY-2026-10-0001');
    expect(invoiceNumber('2026-10', 9999)).toBe('FY-2026-10-9999');
  });

  it('refuse a sequence outside 1–9999 and a malformed period', () => {
    expect(() => invoiceNumber('2026-10', 0)).toThrow(RangeError);
    expect(() => invoiceNumber('2026-10', 10_000)).toThrow(RangeError);
    expect(() => invoiceNumber('2026-13', 1)).toThrow(RangeError);
  });

  it('follow the highest number of the same period, ignoring other periods', () => {
    // Prepare
    const existing = ['FY-2026-10-0001', 'FY-2026-10-0003', 'FY-2026-11-0007'];

    // Act / Assess
    expect(nextInvoiceNumber('2026-10', existing)).toBe('FY-2026-10-0004');
    expect(nextInvoiceNumber('2026-12', existing)).toBe('FY-2026-12-0001');
  });

  it('are unique and sequential when each is the next of the ones before', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), (count) => {
        // Act
        const numbers: string[] = [];
        for (let i = 0; i < count; i += 1) numbers.push(nextInvoiceNumber('2026-10', numbers));

        // Assess
        expect(numbers).toEqual(Array.from({ length: count }, (_, i) => invoiceNumber('2026-10', i + 1)));
      }),
    );
  });
});

describe('building an invoice', () => {
  it('computes each amount and the total in figures and in capital numerals', () => {
    // Act
    const invoice = buildInvoice(invoiceInput());

    // Assess
    expect(invoice.lines[0]?.amount).toBe(parseYuan('142.00'));
    expect(invoice.total).toBe(parseYuan('142.00'));
    expect(invoice.total_in_words).toBe('壹佰肆拾贰元整');
    expect(invoice.status).toBe('draft');
  });

  it('adds the lines exactly', () => {
    // Prepare
    const lines = [
      possessionLine({ qty: 1, unit_price: parseYuan('0.10') }),
      possessionLine({ qty: 1, unit_price: parseYuan('0.20') }),
      { part_code: SEAL, part_name: 'Seal', qty: 3, unit_price: parseYuan('411.42'), reason: 'other', lot: null, note: 'lost on site' } as const,
    ];

    // Act
    const invoice = buildInvoice(invoiceInput({ lines }));

    // Assess
    expect(invoice.total).toBe(parseYuan('1234.56'));
    expect(invoice.total_in_words).toBe('壹仟贰佰叁拾肆元伍角陆分');
  });

  it('refuses an invoice with nothing to charge', () => {
    expect(() => buildInvoice(invoiceInput({ lines: [] }))).toThrow(/nothing to charge/);
  });

  it('refuses a number of another period, a bad date, a quantity that is not positive and a negative price', () => {
    expect(() => buildInvoice(invoiceInput({ invoice_no: 'FY-2026-09-0001' }))).toThrow(RangeError);
    expect(() => buildInvoice(invoiceInput({ issued_on: '2026-11-31' }))).toThrow(RangeError);
    expect(() => buildInvoice(invoiceInput({ lines: [possessionLine({ qty: 0 })] }))).toThrow(RangeError);
    expect(() => buildInvoice(invoiceInput({ lines: [possessionLine({ unit_price: parseYuan('-1', { allowNegative: true }) })] }))).toThrow(
      RangeError,
    );
  });

  it('turns the reconciliation\'s charges into lines that name their lot', () => {
    // Prepare
    const run = reconcile({ shipments: [shipment({ qty: 5 })], returns: [returned()] });

    // Act
    const lines = run.new_charges.map((charge) => invoiceLineForCharge(charge, 'Inlet valve'));

    // Assess
    expect(lines).toEqual([possessionLine()]);
  });

  it('gives back the charged lots the next reconciliation needs, so nothing is charged twice', () => {
    // Prepare
    const input = { shipments: [shipment({ qty: 5 })], returns: [returned()] };
    const run = reconcile(input);
    const invoice = buildInvoice(invoiceInput({ lines: run.new_charges.map((c) => invoiceLineForCharge(c, 'Inlet valve')) }));

    // Act
    const again = reconcile({ ...input, previous_charges: chargedLotsOf([invoice]) });

    // Assess
    expect(chargedLotsOf([invoice])).toEqual(new Map([['S1#1', 4]]));
    expect(again.new_charges).toEqual([]);
  });
});

describe('invoice status', () => {
  const ALL: readonly InvoiceStatus[] = INVOICE_STATUSES;
  // The life alone (issue 21): forms stored as archived or paid are issued ones, which may still be voided (the use case refuses one with money on it or tax-invoiced).
  const ALLOWED = new Set(['draft→issued', 'draft→void', 'issued→void', 'archived→void', 'paid→void']);

  it('a draft is issued or voided; an issued form may be voided', () => {
    expect(['issued', 'void'].every((to) => canTransition('draft', to as InvoiceStatus))).toBe(true);
    expect(canTransition('issued', 'void')).toBe(true);
  });

  it('archived and paid are not lives a form moves to, and void is final', () => {
    expect(ALL.some((from) => canTransition(from, 'archived') || canTransition(from, 'paid'))).toBe(false);
    expect(ALL.some((to) => canTransition('void', to))).toBe(false);
  });

  it.each(ALL.flatMap((from) => ALL.map((to) => [from, to] as const)).filter(([from, to]) => !ALLOWED.has(`${from}→${to}`)))(
    'refuses %s → %s',
    (from, to) => {
      // Act / Assess
      expect(canTransition(from, to)).toBe(false);
    },
  );
});

describe('the JSON of `reconcile`', () => {
  it('has exactly the shape of cli.md, amounts as two-place strings', () => {
    // Prepare
    const shipments = [
      shipment({ qty: 5 }),
      shipment({ shipment_id: 'S2', shipped_date: '2026-09-20', part_code: SEAL, qty: 10 }),
    ];
    const d001 = reconcile({ shipments, returns: [returned()] });
    const d003 = reconcile({ dealer_code: 'D003', returns: [returned({ dealer_code: 'D003', qty: 2 })] });
    const invoice = buildInvoice(invoiceInput({ lines: d001.new_charges.map((c) => invoiceLineForCharge(c, 'Inlet valve')) }));

    // Act
    const json = reconcileJson({ period: '2026-10', as_of: '2026-11-05', invoices: [invoice], dealers: [d003, d001] });

    // Assess
    expect(JSON.parse(JSON.stringify(json))).toEqual({
      period: '2026-10',
      as_of: '2026-11-05',
      invoices: [
        {
          dealer: 'D001', invoice_no: 'FY-2026-10-0001', kind: 'possession', status: 'draft', total: '142.00', total_in_words: '壹佰肆拾贰元整',
          lines: [
            {
              part_code: 'P-VALVE-01', qty: 4, unit_price: '35.50', amount: '142.00', reason: 'de_facto_possession',
              lot: { shipment_id: 'S1', shipped_date: '2026-07-10', due_date: '2026-09-08' },
            },
          ],
        },
      ],
      outstanding: [{ dealer: 'D001', part_code: 'P-SEAL-03', qty: 10, due_date: '2026-11-19' }],
      surplus: [{ dealer: 'D003', part_code: 'P-VALVE-01', qty: 2 }],
      clamped_windows: [],
    });
  });

  it('writes a line of another charge with no lot', () => {
    // Prepare
    const line = { part_code: SEAL, part_name: 'Seal', qty: 1, unit_price: parseYuan('5'), reason: 'other', lot: null, note: 'lost' } as const;

    // Act
    const json = invoiceJson(buildInvoice(invoiceInput({ lines: [line] })));

    // Assess
    expect(json.lines).toEqual([{ part_code: SEAL, qty: 1, unit_price: '5.00', amount: '5.00', reason: 'other', lot: null }]);
  });
});
