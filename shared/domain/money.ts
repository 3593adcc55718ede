/**
 * Money exact to the fen (分, 0.01 CNY), as domain.md requires: "no binary floating point in
 * amounts".
 *
 * An amount is a count of fen held in a branded JavaScript number that is always a safe
 * integer (|n| ≤ 2^53 − 1, about ¥90 trillion). Integers in that range are represented and
 * added/multiplied exactly by IEEE doubles, so no fraction ever appears; every operation
 * checks that its result is still a safe integer and throws instead of rounding.
 * A `bigint` would be exact without the checks, but amounts travel through JSON, DynamoDB
 * documents and spreadsheet cells, none of which take a `bigint` without custom marshalling;
 * a plain number with a brand keeps them serialisable while the brand keeps yuan, quantities
 * and fen from being mixed up by accident.
 */

declare const fenBrand: unique symbol;

/** An integer number of fen (1 yuan = 100 fen). Build one with `toFen`, `parseYuan` or the operations below. */
export type Fen = number & { readonly [fenBrand]: 'fen' };

/** Nothing to pay. */
export const ZERO_FEN = 0 as Fen;

function checked(value: number, what: string): Fen {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} is not a whole number of fen within the safe range: ${value}`);
  return value as Fen;
}

/** `count` fen as a `Fen`; throws a RangeError unless it is a safe integer (a fraction of a fen does not exist). */
export const toFen = (count: number): Fen => checked(count, 'Amount');

export interface ParseYuanOptions {
  /** Accept a leading minus sign (a credit); amounts are non-negative unless a caller says otherwise. */
  readonly allowNegative?: boolean;
}

// Plain ASCII digits with at most two decimals. Grouping, currency signs, full-width digits and
// spaces are the spreadsheet validator's business (values.ts); here the text is already clean.
const YUAN_TEXT = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;
const MAX_FEN = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Reads a yuan amount written as decimal text ("35.50", "35.5", "35") without going through
 * a float: the digits are joined as an integer count of fen and converted through `bigint`.
 * Throws a RangeError for anything else: more than two decimals, a sign or exponent,
 * a missing integer part (".5"), or a negative amount unless `allowNegative`.
 */
export function parseYuan(text: string, options: ParseYuanOptions = {}): Fen {
  const m = YUAN_TEXT.exec(text);
  if (!m) throw new RangeError(`Not a yuan amount with at most two decimals: ${JSON.stringify(text)}`);
  const [, sign = '', whole = '', fraction = ''] = m;
  const magnitude = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
  if (magnitude > MAX_FEN) throw new RangeError(`Amount too large: ${JSON.stringify(text)}`);
  if (sign === '-' && magnitude !== 0n && !options.allowNegative) {
    throw new RangeError(`Negative amount not allowed here: ${JSON.stringify(text)}`);
  }
  // Number(-0n) is 0, so "-0.00" reads as plain zero.
  return toFen(Number(sign === '-' ? -magnitude : magnitude));
}

/** The sign and the yuan and fen digits of an amount, split by string slicing only. */
function splitFen(amount: Fen): { negative: boolean; yuan: string; cents: string } {
  const digits = String(Math.abs(amount)).padStart(3, '0');
  return { negative: amount < 0, yuan: digits.slice(0, -2), cents: digits.slice(-2) };
}

/** An amount as plain decimal yuan with two places and no grouping ("35.50", "-0.05"): the JSON form of cli.md. */
export function formatYuan(amount: Fen): string {
  const { negative, yuan, cents } = splitFen(amount);
  return `${negative ? '-' : ''}${yuan}.${cents}`;
}

/** An amount for people to read, with the yuan sign and thousands grouped ("¥1,234.56", "-¥0.05"). */
export function formatYuanGrouped(amount: Fen): string {
  const { negative, yuan, cents } = splitFen(amount);
  return `${negative ? '-' : ''}¥${yuan.replace(/\B(?=(\d{3})+$)/g, ',')}.${cents}`;
}

/** `unitPrice` times a whole quantity; throws a RangeError when `qty` is not an integer or the product leaves the safe range. */
export function multiply(unitPrice: Fen, qty: number): Fen {
  if (!Number.isSafeInteger(qty)) throw new RangeError(`Quantity must be a whole number: ${qty}`);
  return checked(unitPrice * qty, 'Product');
}

/**
 * The sum of amounts, exact: each partial sum is checked, and a rounded double past 2^53 is
 * never a safe integer, so an overflow throws a RangeError rather than losing a fen.
 */
export function sum(amounts: Iterable<Fen>): Fen {
  let total = 0;
  for (const amount of amounts) total = checked(total + amount, 'Sum');
  return total as Fen;
}
