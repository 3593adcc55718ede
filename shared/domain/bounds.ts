/**
 * The bounds of every value the back office takes in (issue 24), in one place: upload rows,
 * portal forms, API bodies, CLI flags and master data all check against these, so a value
 * outside is refused where it enters — naming the field and the value in both languages —
 * and never reaches a job that would fail on it.
 *
 * - Quantities (request line, shipment line, return line): whole numbers 1–9,999; a
 *   correction 0–9,999 (0 cancels the line). domain.md step 2.
 * - A return window: 1–3,650 days (ten years); a product's warranty 1–600 months.
 * - A price or an amount: at most ¥10,000,000.00 (1,000,000,000 fen) — far above any part or
 *   form the maker has; more is a typing error, and 9,999 units at that price stay exact
 *   integers of fen.
 * - A material request: at most 100 lines and 150,000 bytes as submitted, so that it, its
 *   decisions and its shipping stay one stored item (DynamoDB's 400 KB).
 * - A date: not before 2000-01-01 (the first period the back office knows) and not after
 *   tomorrow in business time (a clock a day ahead is allowed for).
 */
import { addDays, compareDates, FIRST_PERIOD, type IsoDate } from './dates.js';
import { formatYuan, parseYuan, type Fen } from './money.js';

export interface Range {
  readonly min: number;
  readonly max: number;
}

export const QTY_BOUNDS: Range = { min: 1, max: 9_999 };
export const CORRECTED_QTY_BOUNDS: Range = { min: 0, max: 9_999 };
export const RETURN_WINDOW_BOUNDS: Range = { min: 1, max: 3_650 };
/** A product's warranty: up to fifty years. */
export const WARRANTY_MONTHS_BOUNDS: Range = { min: 1, max: 600 };
/** ¥10,000,000.00. */
export const MAX_AMOUNT_FEN: Fen = 1_000_000_000 as Fen;
/** Lines of one material request: a request is a few lines; each line's decision and shipping must still fit beside them. */
export const MAX_REQUEST_LINES = 100;
/** A request as submitted, in UTF-8 JSON bytes: well under DynamoDB's 400 KB item, the rest for the lines' decisions (a reason of up to 500 characters each) and shipping. */
export const MAX_REQUEST_BYTES = 150_000;
export const EARLIEST_DATE: IsoDate = `${FIRST_PERIOD}-01`;
/** How far past today (business time) a date may be: a clock a day ahead. */
export const FUTURE_DAYS_ALLOWED = 1;

export const inRange = (value: number, range: Range): boolean => Number.isSafeInteger(value) && value >= range.min && value <= range.max;

/** The latest date accepted on `today`. */
export const latestDate = (today: IsoDate): IsoDate => addDays(today, FUTURE_DAYS_ALLOWED);

/** Whether a date lies in the plausible window: from 2000-01-01 to tomorrow. */
export const plausibleDate = (date: IsoDate, today: IsoDate): boolean =>
  compareDates(date, EARLIEST_DATE) >= 0 && compareDates(date, latestDate(today)) <= 0;

/** The bilingual reason a value is out of its bounds, naming the field and the value. */
export function outOfBoundsMessage(field: { readonly name: string; readonly zh: string }, value: string, bounds: { readonly min: string; readonly max: string }): { readonly en: string; readonly zh: string } {
  return {
    en: `${field.name}: ${value} is out of bounds; it must be from ${bounds.min} to ${bounds.max}`,
    zh: `${field.zh}：${value} 超出范围，应在 ${bounds.min} 至 ${bounds.max} 之间`,
  };
}

/** A range as the messages print it: 1 to 9,999. */
export const rangeText = (range: Range): { readonly min: string; readonly max: string } => ({ min: range.min.toLocaleString('en-US'), max: range.max.toLocaleString('en-US') });

export const amountRangeText = { min: '0.00', max: formatYuan(MAX_AMOUNT_FEN) };

/** Whether an amount written as yuan (35.50) is at most the maximum; text that is no amount is another check's to refuse. */
export function withinAmount(text: string): boolean {
  try {
    return parseYuan(text) <= MAX_AMOUNT_FEN;
  } catch {
    return true;
  }
}

/**
 * A lot's return window as the reconciliation reads it: a window frozen on a lot before the
 * bounds held (999,999,999 days) is clamped into them, and said so, rather than failing the
 * dealer's reconciliation and every notice about its lots.
 */
export function clampedReturnWindow(days: number): { readonly days: number; readonly clamped: boolean } {
  if (inRange(days, RETURN_WINDOW_BOUNDS)) return { days, clamped: false };
  const clamped = !Number.isFinite(days) || days > RETURN_WINDOW_BOUNDS.max ? RETURN_WINDOW_BOUNDS.max : RETURN_WINDOW_BOUNDS.min;
  return { days: clamped, clamped: true };
}
