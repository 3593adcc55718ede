import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../shared/domain/dates.js';
import { parseYuan, sum, type Fen } from '../../shared/domain/money.js';
import {
  dueDate,
  flagLoansForChargeableRepairs,
  isLot,
  isOverdue,
  returnWindowOf,
  type DealerReconciliation,
  type LotState,
} from '../../shared/domain/reconciliation.js';
import { anyDay, anyLedger, DEALER, flatPrices, priceTable, reconcile, returned, SEAL, shipment, VALVE } from '../helpers/ledger.js';

/** The charges of a run as `previous_charges` for the next one, added to the ones before. */
const chargesAfter = (run: DealerReconciliation, before: ReadonlyMap<string, number> = new Map()): Map<string, number> => {
  const all = new Map(before);
  for (const c of run.new_charges) all.set(c.lot_id, (all.get(c.lot_id) ?? 0) + c.qty);
  return all;
};

const lot = (run: DealerReconciliation, lot_id: string): LotState | undefined => run.lots.find((l) => l.lot_id === lot_id);

describe('which shipment lines are lots', () => {
  it('a warranty loan is a lot', () => {
    expect(isLot(shipment({ kind: 'warranty_loan' }))).toBe(true);
  });

  it('a special approval is a lot only when the approval requires a return', () => {
    expect(isLot(shipment({ kind: 'special_approval', return_required: true }))).toBe(true);
    expect(isLot(shipment({ kind: 'special_approval', return_required: false }))).toBe(false);
  });

  it.each(['charged', 'gift', 'office_supplies', 'promotional'] as const)('a %s line is never a lot', (kind) => {
    expect(isLot(shipment({ kind }))).toBe(false);
  });

  it('lines that are not lots are left out of the reconciliation', () => {
    // Prepare
    const shipments = [
      shipment({ shipment_id: 'S1', kind: 'charged' }),
      shipment({ shipment_id: 'S2', kind: 'gift' }),
      shipment({ shipment_id: 'S3', kind: 'special_approval', return_required: false }),
      shipment({ shipment_id: 'S4', kind: 'special_approval', return_required: true }),
    ];

    // Act
    const run = reconcile({ shipments });

    // Assess
    expect(run.lots.map((l) => l.lot_id)).toEqual(['S4#1']);
  });
});

describe('the return deadline', () => {
  it('is the shipping date plus the window', () => {
    expect(dueDate('2026-07-10', 60)).toBe('2026-09-08');
  });

  it('is the dealer\'s own window when it has one, else the default', () => {
    expect(returnWindowOf({ return_window_days: 30 }, 60)).toBe(30);
    expect(returnWindowOf({ return_window_days: null }, 60)).toBe(60);
  });

  it('a lot is still in time on its deadline day', () => {
    // Act
    const run = reconcile({ shipments: [shipment()], as_of: '2026-09-08' });

    // Assess
    expect(run.new_charges).toEqual([]);
    expect(run.outstanding).toEqual([{ part_code: VALVE, qty: 1, due_date: '2026-09-08' }]);
    expect(lot(run, 'S1#1')?.status).toBe('open');
  });

  it('a lot is overdue, and charged, from the day after its deadline', () => {
    // Act
    const run = reconcile({ shipments: [shipment()], as_of: '2026-09-09' });

    // Assess
    expect(isOverdue('2026-09-08', '2026-09-09')).toBe(true);
    expect(run.new_charges.map((c) => c.lot_id)).toEqual(['S1#1']);
    expect(run.outstanding).toEqual([]);
  });

  it('follows the dealer\'s window', () => {
    // Act
    const run = reconcile({ shipments: [shipment()], return_window_days: 90, as_of: '2026-09-09' });

    // Assess
    expect(run.new_charges).toEqual([]);
    expect(lot(run, 'S1#1')?.due_date).toBe('2026-10-08');
  });
});

describe('matching returns to lots', () => {
  it('a return settles the oldest open lot first', () => {
    // Prepare
    const shipments = [
      shipment({ shipment_id: 'S2', shipped_date: '2026-08-01' }),
      shipment({ shipment_id: 'S1', shipped_date: '2026-07-10' }),
    ];

    // Act
    const run = reconcile({ shipments, returns: [returned({ received_date: '2026-08-20' })], as_of: '2026-08-31' });

    // Assess
    expect(lot(run, 'S1#1')).toMatchObject({ returned: 1, status: 'returned' });
    expect(lot(run, 'S2#1')).toMatchObject({ returned: 0, status: 'open' });
  });

  it('lots shipped the same day are settled by shipment id, then line', () => {
    // Prepare
    const shipments = [
      shipment({ shipment_id: 'S2', line: 1 }),
      shipment({ shipment_id: 'S1', line: 2 }),
      shipment({ shipment_id: 'S1', line: 1 }),
    ];

    // Act
    const run = reconcile({ shipments, returns: [returned({ qty: 2 })], as_of: '2026-08-31' });

    // Assess
    expect(run.lots.map((l) => [l.lot_id, l.returned])).toEqual([['S1#1', 1], ['S1#2', 1], ['S2#1', 0]]);
  });

  it('matches per part: a seal returned does not settle a valve', () => {
    // Act
    const run = reconcile({ shipments: [shipment()], returns: [returned({ part_code: SEAL })], as_of: '2026-08-31' });

    // Assess
    expect(lot(run, 'S1#1')?.open).toBe(1);
    expect(run.surplus).toEqual([{ part_code: SEAL, qty: 1 }]);
  });

  it('a return counts only once received, on or before the as-of date', () => {
    // Prepare
    const input = { shipments: [shipment()], returns: [returned({ received_date: '2026-09-10' })] };

    // Act
    const before = reconcile({ ...input, as_of: '2026-09-09' });
    const after = reconcile({ ...input, as_of: '2026-09-10' });

    // Assess
    expect(before.new_charges).toHaveLength(1);
    expect(after.new_charges).toHaveLength(0);
    expect(after.totals[0]).toMatchObject({ returned: 1, returned_to_lots: 1 });
  });

  it('a shipment after the as-of date is not a lot yet', () => {
    // Act
    const run = reconcile({ shipments: [shipment({ shipped_date: '2026-11-06' })], as_of: '2026-11-05' });

    // Assess
    expect(run.lots).toEqual([]);
  });
});

describe('surplus', () => {
  it('units returned with no open lot are surplus, never paid out', () => {
    // Act
    const run = reconcile({ returns: [returned({ qty: 2 })] });

    // Assess
    expect(run.surplus).toEqual([{ part_code: VALVE, qty: 2 }]);
    expect(run.new_charges).toEqual([]);
  });

  it('surplus settles the part\'s next lot when it is shipped', () => {
    // Prepare: returned twice in July, lent again in August.
    const returns = [returned({ received_date: '2026-07-01', qty: 2 })];
    const shipments = [shipment({ shipped_date: '2026-08-01', qty: 3 })];

    // Act
    const run = reconcile({ shipments, returns, as_of: '2026-12-31' });

    // Assess
    expect(lot(run, 'S1#1')).toMatchObject({ returned: 2, charged: 1 });
    expect(run.surplus).toEqual([]);
  });

  it('a unit returned after its lot was charged becomes surplus', () => {
    // Prepare
    const first = reconcile({ shipments: [shipment()], as_of: '2026-09-09' });

    // Act
    const second = reconcile({
      shipments: [shipment()],
      returns: [returned({ received_date: '2026-09-20' })],
      previous_charges: chargesAfter(first),
      as_of: '2026-09-30',
    });

    // Assess
    expect(second.new_charges).toEqual([]);
    expect(lot(second, 'S1#1')).toMatchObject({ returned: 0, charged: 1, status: 'charged' });
    expect(second.surplus).toEqual([{ part_code: VALVE, qty: 1 }]);
  });
});

describe('charging de facto possession', () => {
  it('charges every still-open unit of an overdue lot at the cost price, naming the lot', () => {
    // Prepare
    const shipments = [shipment({ qty: 5 })];
    const returns = [returned({ qty: 1 })];

    // Act
    const run = reconcile({ shipments, returns, prices: flatPrices('35.50') });

    // Assess
    expect(run.new_charges).toEqual([
      {
        lot_id: 'S1#1', shipment_id: 'S1', line: 1, shipped_date: '2026-07-10', due_date: '2026-09-08',
        part_code: VALVE, qty: 4, unit_price: parseYuan('35.50'), amount: parseYuan('142.00'),
      },
    ]);
    expect(lot(run, 'S1#1')).toMatchObject({ returned: 1, charged: 4, open: 0, status: 'charged' });
  });

  it('uses the cost price in force on the as-of date, not on the shipping or due date', () => {
    // Prepare
    const prices = priceTable({ [VALVE]: [['2026-01-01', '30.00'], ['2026-10-01', '35.50'], ['2026-12-01', '40.00']] });

    // Act
    const run = reconcile({ shipments: [shipment()], prices, as_of: '2026-11-05' });

    // Assess
    expect(run.new_charges[0]?.unit_price).toBe(parseYuan('35.50'));
  });

  it('reports a part with no price on the as-of date as an error and charges nothing for it', () => {
    // Prepare
    const prices = priceTable({ [VALVE]: [['2026-12-01', '35.50']] });

    // Act
    const run = reconcile({ shipments: [shipment({ qty: 2 })], prices });

    // Assess
    expect(run.new_charges).toEqual([]);
    expect(run.errors).toEqual([{ code: 'missing_price', part_code: VALVE, qty: 2, as_of: '2026-11-05' }]);
    expect(lot(run, 'S1#1')?.status).toBe('overdue');
    expect(run.totals[0]).toMatchObject({ overdue: 2, charged: 0 });
  });

  it('charges a lot left open for want of a price once a price exists', () => {
    // Prepare
    const prices = priceTable({ [VALVE]: [['2026-12-01', '35.50']] });
    const first = reconcile({ shipments: [shipment()], prices, as_of: '2026-11-05' });

    // Act
    const later = reconcile({ shipments: [shipment()], prices, previous_charges: chargesAfter(first), as_of: '2026-12-01' });

    // Assess
    expect(later.new_charges.map((c) => [c.lot_id, c.qty])).toEqual([['S1#1', 1]]);
    expect(later.errors).toEqual([]);
  });

  it('never charges an already-charged lot again', () => {
    // Prepare
    const input = { shipments: [shipment({ qty: 3 })], as_of: '2026-11-05' };
    const first = reconcile(input);

    // Act
    const again = reconcile({ ...input, previous_charges: chargesAfter(first) });

    // Assess
    expect(first.new_charges).toHaveLength(1);
    expect(again.new_charges).toEqual([]);
    expect(lot(again, 'S1#1')).toMatchObject({ charged: 3, status: 'charged' });
  });

  it('reports, and does not charge again, a charged lot whose returns an older lot recorded late took', () => {
    // Prepare: S2 was charged 1 of 2 after one return; then S1, shipped earlier, is recorded.
    const returns = [returned()];
    const first = reconcile({ shipments: [shipment({ shipment_id: 'S2', qty: 2 })], returns });
    const shipments = [shipment({ shipment_id: 'S1', shipped_date: '2026-07-01' }), shipment({ shipment_id: 'S2', qty: 2 })];

    // Act
    const later = reconcile({ shipments, returns, previous_charges: chargesAfter(first) });

    // Assess
    expect(later.new_charges.map((c) => c.lot_id)).toEqual([]);
    expect(lot(later, 'S1#1')).toMatchObject({ returned: 1, status: 'returned' });
    expect(lot(later, 'S2#1')).toMatchObject({ returned: 0, charged: 1, open: 1, status: 'charged' });
    expect(later.errors).toEqual([{ code: 'charged_lot_open', part_code: VALVE, lot_id: 'S2#1', qty: 1 }]);
  });

  it('reports an earlier charge for a lot the ledger does not have', () => {
    // Act
    const run = reconcile({ previous_charges: new Map([['S9#1', 2]]) });

    // Assess
    expect(run.errors).toEqual([{ code: 'unknown_charged_lot', lot_id: 'S9#1', qty: 2 }]);
  });
});

describe('what the reconciliation reports', () => {
  it('lists outstanding units by part and deadline, and per-part totals for the 用户借料盘点表', () => {
    // Prepare
    const shipments = [
      shipment({ shipment_id: 'S1', shipped_date: '2026-07-10', qty: 4 }),
      shipment({ shipment_id: 'S2', shipped_date: '2026-09-20', part_code: SEAL, qty: 6 }),
      shipment({ shipment_id: 'S3', shipped_date: '2026-09-20', part_code: SEAL, qty: 4 }),
      shipment({ shipment_id: 'S4', shipped_date: '2026-10-01', qty: 1 }),
    ];
    const returns = [returned({ qty: 1 }), returned({ return_id: 'R2', part_code: SEAL, received_date: '2026-12-01' })];

    // Act
    const run = reconcile({ shipments, returns, as_of: '2026-11-05' });

    // Assess
    expect(run.outstanding).toEqual([
      { part_code: SEAL, qty: 10, due_date: '2026-11-19' },
      { part_code: VALVE, qty: 1, due_date: '2026-11-30' },
    ]);
    expect(run.totals).toEqual([
      { part_code: SEAL, borrowed: 10, returned: 0, returned_to_lots: 0, charged: 0, waived: 0, outstanding: 10, overdue: 0, surplus: 0 },
      { part_code: VALVE, borrowed: 5, returned: 1, returned_to_lots: 1, charged: 3, waived: 0, outstanding: 1, overdue: 0, surplus: 0 },
    ]);
  });

  it('refuses lines of another dealer and an earlier charge larger than its lot', () => {
    expect(() => reconcile({ shipments: [shipment({ dealer_code: 'D002' })] })).toThrow(RangeError);
    expect(() => reconcile({ shipments: [shipment()], previous_charges: new Map([['S1#1', 2]]) })).toThrow(RangeError);
    expect(() => reconcile({ shipments: [shipment(), shipment()] })).toThrow(/twice/);
  });
});

describe('the cross-check of loans against chargeable repairs', () => {
  it('flags a warranty loan used on an out-of-warranty repair or one with a charging cause', () => {
    // Prepare
    const lines = [
      shipment({ shipment_id: 'S1', repair_id: 'W1' }),
      shipment({ shipment_id: 'S2', repair_id: 'W2' }),
      shipment({ shipment_id: 'S3', repair_id: 'W3' }),
      shipment({ shipment_id: 'S4', repair_id: 'W4' }),
      shipment({ shipment_id: 'S5', repair_id: null }),
      shipment({ shipment_id: 'S6', repair_id: 'W1', kind: 'charged' }),
    ];
    const repairs = new Map([
      ['W1', { phase: 'out_of_warranty', materials_charged: true }],
      ['W2', { phase: 'in_warranty', materials_charged: true }],
      ['W3', { phase: 'in_warranty', materials_charged: false }],
    ] as const);

    // Act
    const flags = flagLoansForChargeableRepairs(lines, repairs);

    // Assess
    expect(flags).toEqual([
      { shipment_id: 'S1', line: 1, dealer_code: DEALER, part_code: VALVE, qty: 1, repair_id: 'W1', reason: 'out_of_warranty' },
      { shipment_id: 'S2', line: 1, dealer_code: DEALER, part_code: VALVE, qty: 1, repair_id: 'W2', reason: 'charge_cause' },
    ]);
  });
});

describe('properties over any order and mix of shipments and returns', () => {
  const anyWindow = fc.integer({ min: 1, max: 90 });

  it('conserves units per part: borrowed = returned to lots + charged + outstanding; returned = returned to lots + surplus', () => {
    fc.assert(
      fc.property(anyLedger(), anyDay(), anyWindow, ({ shipments, returns }, as_of, window) => {
        // Act
        const run = reconcile({ shipments, returns, as_of, return_window_days: window });

        // Assess
        for (const t of run.totals) {
          expect(t.borrowed).toBe(t.returned_to_lots + t.charged + t.outstanding);
          expect(t.returned).toBe(t.returned_to_lots + t.surplus);
          expect(t.overdue).toBe(0);
          const received = returns.filter((r) => r.part_code === t.part_code && r.received_date <= as_of);
          expect(t.returned).toBe(received.reduce((n, r) => n + r.qty, 0));
        }
        expect(run.errors).toEqual([]);
      }),
    );
  });

  it('charges only overdue lots, and only their units not returned', () => {
    fc.assert(
      fc.property(anyLedger(), anyDay(), anyWindow, ({ shipments, returns }, as_of, window) => {
        // Act
        const run = reconcile({ shipments, returns, as_of, return_window_days: window });

        // Assess
        for (const charge of run.new_charges) {
          expect(charge.due_date < as_of).toBe(true);
          const charged = lot(run, charge.lot_id);
          expect(charge.qty).toBe((charged?.qty ?? 0) - (charged?.returned ?? 0));
        }
        for (const l of run.lots) expect(l.status === 'charged').toBe(l.due_date < as_of && l.returned < l.qty);
      }),
    );
  });

  it('settles lots first in, first out: once a lot is not fully settled, no later lot of its part has a return', () => {
    fc.assert(
      fc.property(anyLedger(), anyDay(), ({ shipments, returns }, as_of) => {
        // Act
        const run = reconcile({ shipments, returns, as_of });

        // Assess
        for (const part of [VALVE, SEAL]) {
          const lots = run.lots.filter((l) => l.part_code === part);
          const firstShort = lots.findIndex((l) => l.returned < l.qty);
          if (firstShort >= 0) expect(lots.slice(firstShort + 1).every((l) => l.returned === 0)).toBe(true);
          if (firstShort >= 0) expect(run.surplus.find((s) => s.part_code === part)).toBeUndefined();
        }
      }),
    );
  });

  it('charges nothing twice: a second run at the same date with the charges fed back adds nothing and changes nothing else', () => {
    fc.assert(
      fc.property(anyLedger(), anyDay(), anyWindow, ({ shipments, returns }, as_of, window) => {
        // Prepare
        const input = { shipments, returns, as_of, return_window_days: window };
        const first = reconcile(input);

        // Act
        const again = reconcile({ ...input, previous_charges: chargesAfter(first) });

        // Assess
        expect(again.new_charges).toEqual([]);
        expect({ ...again, new_charges: first.new_charges }).toEqual(first);
      }),
    );
  });

  it('charges each lot at most once across runs at increasing dates, never more than the lot holds', () => {
    fc.assert(
      fc.property(anyLedger(), fc.uniqueArray(anyDay(), { minLength: 1, maxLength: 4 }), ({ shipments, returns }, days) => {
        // Prepare
        const dates = [...days].sort();
        let charges = new Map<string, number>();
        const charged: string[] = [];

        // Act
        for (const as_of of dates) {
          const run = reconcile({ shipments, returns, as_of, previous_charges: charges });
          charged.push(...run.new_charges.map((c) => c.lot_id));
          charges = chargesAfter(run, charges);

          // Assess
          for (const t of run.totals) expect(t.borrowed).toBe(t.returned_to_lots + t.charged + t.outstanding);
          expect(run.errors).toEqual([]);
        }
        expect(new Set(charged).size).toBe(charged.length);
        for (const [id, qty] of charges) expect(qty).toBeLessThanOrEqual(shipments.find((s) => `${s.shipment_id}#${s.line}` === id)?.qty ?? 0);
      }),
    );
  });

  it('runs at increasing dates charge what one run at the last date charges, when nothing comes back after the first run', () => {
    const anyDates = fc
      .tuple(anyDay(), fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 3 }))
      .map(([first, gaps]) => ({ first, later: gaps.map((_, i) => addDays(first, gaps.slice(0, i + 1).reduce((a, b) => a + b, 0))) }));
    fc.assert(
      fc.property(anyLedger(), anyDates, ({ shipments, returns }, { first, later }) => {
        // Prepare: a constant price, and every return received by the first run.
        const early = returns.filter((r) => r.received_date <= first);
        let charges = new Map<string, number>();
        const amounts: Fen[] = [];

        // Act
        for (const as_of of [first, ...later]) {
          const run = reconcile({ shipments, returns: early, as_of, previous_charges: charges });
          amounts.push(...run.new_charges.map((c) => c.amount));
          charges = chargesAfter(run, charges);
        }
        const once = reconcile({ shipments, returns: early, as_of: later.at(-1) ?? first });

        // Assess
        expect(charges).toEqual(chargesAfter(once));
        expect(sum(amounts)).toBe(sum(once.new_charges.map((c) => c.amount)));
      }),
    );
  });

  it('runs at increasing dates never charge fewer units than one run at the last date: a return after a charge is surplus', () => {
    fc.assert(
      fc.property(anyLedger(), anyDay(), anyDay(), ({ shipments, returns }, d1, d2) => {
        // Prepare
        const [first, last] = d1 <= d2 ? [d1, d2] : [d2, d1];
        const earlier = reconcile({ shipments, returns, as_of: first });

        // Act
        const later = reconcile({ shipments, returns, as_of: last, previous_charges: chargesAfter(earlier) });
        const once = reconcile({ shipments, returns, as_of: last });

        // Assess
        const units = (run: DealerReconciliation): number => run.totals.reduce((n, t) => n + t.charged, 0);
        expect(units(later)).toBeGreaterThanOrEqual(units(once));
      }),
    );
  });

  it('does not depend on the order of the input lines', () => {
    const shuffledLedger = anyLedger().chain(({ shipments, returns }) =>
      fc.record({
        shipments: fc.constant(shipments),
        returns: fc.constant(returns),
        shuffledShipments: fc.shuffledSubarray(shipments, { minLength: shipments.length }),
        shuffledReturns: fc.shuffledSubarray(returns, { minLength: returns.length }),
      }),
    );
    fc.assert(
      fc.property(shuffledLedger, anyDay(), (ledger, as_of) => {
        // Act
        const run = reconcile({ shipments: ledger.shipments, returns: ledger.returns, as_of });
        const shuffled = reconcile({ shipments: ledger.shuffledShipments, returns: ledger.shuffledReturns, as_of });

        // Assess
        expect(shuffled).toEqual(run);
      }),
    );
  });
});
