/** Input factories for the parts ledger, the reconciliation and the fee invoice, with their fast-check generators. */
import fc from 'fast-check';
import { addDays } from '../../shared/domain/dates.js';
import type { ReturnLine, ShipmentKind, ShipmentLine } from '../../shared/domain/ledger-validation.js';
import { parseYuan } from '../../shared/domain/money.js';
import {
  priceListFrom,
  reconcileDealer,
  type DealerReconciliation,
  type PriceList,
  type ReconcileDealerInput,
} from '../../shared/domain/reconciliation.js';

export const DEALER = 'D001';
export const VALVE = 'P-VALVE-01';
export const SEAL = 'P-SEAL-03';

/** A warranty loan of one valve to D001 shipped on 2026-07-10 (due 2026-09-08 with the default window), unless overridden. */
export const shipment = (more: Partial<ShipmentLine> = {}): ShipmentLine => ({
  shipment_id: 'S1',
  line: 1,
  shipped_date: '2026-07-10',
  dealer_code: DEALER,
  part_code: VALVE,
  qty: 1,
  kind: 'warranty_loan',
  return_required: null,
  repair_id: null,
  remarks: null,
  ...more,
});

/** One valve received back from D001 on 2026-08-01, unless overridden. */
export const returned = (more: Partial<ReturnLine> = {}): ReturnLine => ({
  return_id: 'R1',
  line: 1,
  received_date: '2026-08-01',
  dealer_code: DEALER,
  part_code: VALVE,
  qty: 1,
  condition: null,
  remarks: null,
  ...more,
});

/** Every part costs the same, whatever the date. */
export const flatPrices = (yuan: string): PriceList => {
  const price = parseYuan(yuan);
  return { costOn: () => price };
};

/** Prices per part as [valid_from, yuan] pairs, read through the master data's price list. */
export const priceTable = (table: Record<string, readonly (readonly [string, string])[]>): PriceList =>
  priceListFrom(
    new Map(
      Object.entries(table).map(([part_code, prices]) => [
        part_code,
        prices.map(([valid_from, cost_price]) => ({ part_code, part_name: part_code, unit: 'pc', cost_price, valid_from })),
      ]),
    ),
  );

/** D001 with the default 60-day window, nothing charged before, every part at ¥35.50, as of 2026-11-05, unless overridden. */
export const reconcile = (more: Partial<ReconcileDealerInput> = {}): DealerReconciliation =>
  reconcileDealer({
    dealer_code: DEALER,
    return_window_days: 60,
    shipments: [],
    returns: [],
    previous_charges: new Map(),
    as_of: '2026-11-05',
    prices: flatPrices('35.50'),
    ...more,
  });

const START = '2026-01-01';
const KINDS: readonly ShipmentKind[] = ['warranty_loan', 'charged', 'gift', 'office_supplies', 'promotional', 'special_approval'];

/** A day within the first ~8 months of 2026, so that lots, deadlines and as-of dates overlap in every way. */
export const anyDay = (): fc.Arbitrary<string> => fc.integer({ min: 0, max: 240 }).map((n) => addDays(START, n));

/** Any mix of D001's shipments (every kind, two parts, shared dates so ties happen) and returns of the same parts. */
export const anyLedger = (): fc.Arbitrary<{ shipments: ShipmentLine[]; returns: ReturnLine[] }> =>
  fc.record({
    shipments: fc
      .array(
        fc.record({
          shipped_date: anyDay(),
          part_code: fc.constantFrom(VALVE, SEAL),
          qty: fc.integer({ min: 1, max: 5 }),
          kind: fc.constantFrom(...KINDS, 'warranty_loan', 'warranty_loan'),
          return_required: fc.boolean(),
          shipment_id: fc.constantFrom('S1', 'S2', 'S3'),
        }),
        { maxLength: 12 },
      )
      // Line numbers make each (shipment_id, line) unique, as the ledger does.
      .map((lines) => lines.map((l, i) => shipment({ ...l, line: i + 1, return_required: l.kind === 'special_approval' ? l.return_required : null }))),
    returns: fc
      .array(fc.record({ received_date: anyDay(), part_code: fc.constantFrom(VALVE, SEAL), qty: fc.integer({ min: 1, max: 5 }) }), { maxLength: 12 })
      .map((lines) => lines.map((l, i) => returned({ ...l, return_id: `R${i + 1}` }))),
  });
