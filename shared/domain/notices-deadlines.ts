/**
 * Which of a dealer's lots it is warned about on a day (domain.md: 7 days before a lot's
 * deadline, and from the day after it): from a reconciliation computed as of that day, which
 * charges nothing by itself — the warning only says what the next run would charge.
 */
import { daysBetween, type IsoDate } from './dates.js';
import { multiply } from './money.js';
import type { DealerReconciliation, PriceList } from './reconciliation.js';
import { DUE_WARNING_DAYS, type LotNotice } from './notices.js';

export interface LotWarnings {
  /** Lots still out whose deadline is today or within the next 7 days. */
  readonly due: LotNotice[];
  /** Lots past their deadline with units out that no run has charged yet. */
  readonly overdue: LotNotice[];
}

/** The lots to warn a dealer about on `as_of`, with what the units out would cost at that day's price. */
export function lotWarnings(reconciliation: DealerReconciliation, prices: PriceList, partNames: ReadonlyMap<string, string>, as_of: IsoDate): LotWarnings {
  const notice = (lot: { shipment_id: string; line: number; part_code: string; due_date: IsoDate }, qty: number): LotNotice => {
    const price = prices.costOn(lot.part_code, as_of);
    return {
      shipment_id: lot.shipment_id,
      line: lot.line,
      part_code: lot.part_code,
      part_name: partNames.get(lot.part_code) ?? lot.part_code,
      qty,
      due_date: lot.due_date,
      days_left: daysBetween(as_of, lot.due_date),
      cost: price === undefined ? null : multiply(price, qty),
    };
  };
  const due = reconciliation.lots
    .filter((lot) => lot.status === 'open' && lot.open > 0 && daysBetween(as_of, lot.due_date) <= DUE_WARNING_DAYS)
    .map((lot) => notice(lot, lot.open));
  // Charged "now" in the computed reconciliation means overdue and not yet charged by a run; `overdue` lots lack a price.
  const overdue = [
    ...reconciliation.new_charges.map((charge) => notice(charge, charge.qty)),
    ...reconciliation.lots.filter((lot) => lot.status === 'overdue' && lot.charged === 0).map((lot) => notice(lot, lot.open)),
  ];
  const order = (a: LotNotice, b: LotNotice) => (a.due_date < b.due_date ? -1 : a.due_date > b.due_date ? 1 : a.part_code < b.part_code ? -1 : a.part_code > b.part_code ? 1 : 0);
  return { due: due.sort(order), overdue: overdue.sort(order) };
}
