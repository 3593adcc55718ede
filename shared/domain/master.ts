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
  /** Where the dealer's messages are mailed; absent or null: told in the portal only. Dealers stored before the column read without it. */
  readonly email?: string | null;
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
