/**
 * Master data kept by the after-sales department: dealers, product models with their
 * warranty, and the parts price list (several prices per part, each from a date on).
 */
export interface Dealer {
  readonly dealer_code: string;
  readonly dealer_name: string;
  readonly region: string;
  readonly contact: string;
  readonly phone: string;
  readonly payment_method: string;
  /** The dealer's own return window; null means the configured default applies. */
  readonly return_window_days: number | null;
  /**
   * Every window the dealer has had, oldest first, each from the business date it was
   * imported (`withReturnWindowOf`): a lot takes the window of its shipping date, whenever its
   * line is keyed in. Dealers stored before the history read without it.
   */
  readonly return_window_history?: readonly ReturnWindowChange[];
  /** Where the dealer's messages are mailed; absent or null: told in the portal only. Dealers stored before the column read without it. */
  readonly email?: string | null;
  /** Where parts are sent, printed on the issue slip; absent: not given (dealers stored before the column read without it). */
  readonly address?: string | null;
}

/** The dealer's own return window from a date on (null: the configured default). */
export interface ReturnWindowChange {
  readonly from: string;
  readonly days: number | null;
}

/**
 * The dealer's own return window on a date (null: the configured default applies): the
 * latest change on or before it; a date before the first change known takes that first one
 * (the dealer had it when the system first knew it).
 */
export function dealerWindowOn(dealer: Pick<Dealer, 'return_window_days' | 'return_window_history'>, date: string): number | null {
  const history = dealer.return_window_history ?? [];
  let found: ReturnWindowChange | undefined;
  for (const change of history) if (change.from <= date) found = change;
  return (found ?? history[0] ?? { days: dealer.return_window_days }).days;
}

/** Before any business date: where the window of a dealer stored before the history starts. */
const SINCE_EVER = '0000-01-01';

/**
 * The dealer as imported on `today`, its window history carried over from the one stored and
 * moved on when the window changed (a second change the same day replaces the first).
 */
export function withReturnWindowOf(imported: Dealer, stored: Dealer | undefined, today: string): Dealer {
  // A dealer stored before the history had its window all along, as far as anyone knows.
  const before = stored === undefined ? [] : (stored.return_window_history ?? [{ from: SINCE_EVER, days: stored.return_window_days }]);
  const current = before.at(-1);
  const history =
    current !== undefined && current.days === imported.return_window_days
      ? before
      : [...before.filter((change) => change.from < today), { from: today, days: imported.return_window_days }];
  return { ...imported, return_window_history: history };
}

export interface Product {
  readonly product_model: string;
  readonly product_name: string;
  readonly warranty_months: number;
}

export interface PartPrice {
  readonly part_code: string;
  readonly part_name: string;
  readonly unit: string;
  /** Yuan as an exact decimal string with two places ("35.50"): never a binary float. */
  readonly cost_price: string;
  readonly valid_from: string;
}

export interface MasterData {
  readonly dealers: ReadonlyMap<string, Dealer>;
  readonly products: ReadonlyMap<string, Product>;
  /** Prices per part code, sorted by valid_from ascending. */
  readonly parts: ReadonlyMap<string, readonly PartPrice[]>;
}

/** The price in force on a date: the latest whose valid_from is on or before it. */
export function priceOn(prices: readonly PartPrice[], date: string): PartPrice | undefined {
  let found: PartPrice | undefined;
  for (const price of prices) {
    if (price.valid_from <= date && (found === undefined || price.valid_from >= found.valid_from)) found = price;
  }
  return found;
}

/** Each part's name as its latest price-list entry gives it; the code stands in for a part without one. */
export const partNamesOf = (parts: MasterData['parts']): ReadonlyMap<string, string> =>
  new Map([...parts.entries()].map(([code, prices]) => [code, prices.at(-1)?.part_name ?? code]));

/** Each part's unit (个, 套…) as its latest price-list entry gives it; a part without one has none. */
export const partUnitsOf = (parts: MasterData['parts']): ReadonlyMap<string, string> =>
  new Map([...parts.entries()].flatMap(([code, prices]) => {
    const unit = prices.at(-1)?.unit;
    return unit === undefined || unit === '' ? [] : [[code, unit] as const];
  }));

/**
 * A dealer code as the master data spells it, whatever the letter case a person typed in a
 * filter (`d001` finds D001); the typed code, trimmed, when no dealer has it.
 */
export function knownDealerCode(codes: Iterable<string>, typed: string): string {
  const wanted = typed.trim();
  const lower = wanted.toLowerCase();
  for (const code of codes) if (code.toLowerCase() === lower) return code;
  return wanted;
}
