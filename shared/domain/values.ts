/**
 * Parsers from spreadsheet cells to the typed values the domain stores.
 *
 * Dealers type values every way Excel allows: dates as Excel dates, serial numbers or text in
 * several spellings, full-width digits from Chinese input methods, phone numbers that Excel
 * turned into numbers. Each parser accepts every unambiguous form and otherwise names the
 * reason with an issue code; none of them throws on any cell.
 */
import { isBlank, isCellError, isDateTime, type CellError, type CellValue, type ExcelDateTime } from './cells.js';
import { daysInMonth, formatYmd, fromExcelSerial, isValidYmd, type IsoDate, type YearMonthDay } from './dates.js';
import type { EnumOption, FieldSpec } from './fields.js';
import type { IssueCode } from './messages.js';

/** The reasons a single cell can be refused, independent of the rest of its row. */
export type ValueErrorCode = Extract<
  IssueCode,
  | 'cell_error'
  | 'text_too_long'
  | 'number_too_large'
  | 'number_not_integer'
  | 'invalid_date'
  | 'ambiguous_date'
  | 'invalid_datetime'
  | 'missing_time'
  | 'invalid_integer'
  | 'not_positive'
  | 'invalid_decimal'
  | 'too_many_decimals'
  | 'invalid_choice'
>;

export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: ValueErrorCode };

/** A parsed field: integers are numbers, everything else (dates and amounts included) a string. */
export type FieldValue = string | number;

/** Free text beyond this is almost surely a paste accident, and bloats every record. */
export const MAX_TEXT_LENGTH = 500;
/** Identifiers (ids, phones, models, serials, part codes) are short by nature. */
export const MAX_ID_LENGTH = 100;

/**
 * Excel keeps 15 significant digits, so a number of 16 digits or more typed into a cell has
 * already lost its tail (an 18-digit id becomes ...000). That is stricter than 2^53, where
 * JavaScript itself would start losing digits, and it is where the damage really starts.
 */
const EXCEL_EXACT_LIMIT = 1e15;

/** Serials outside these years are far likelier a number typed into the wrong column than a date. */
const SERIAL_MIN_DATE: IsoDate = '1990-01-01';
const SERIAL_MAX_DATE: IsoDate = '2100-12-31';
/**
 * Excel stores a time typed alone as a time on 1899-12-30, and its calendar counts a
 * 29 February 1900 that never was, so no day before 1 March 1900 reads as the day Excel
 * showed; nor did any dealer install, repair or sell anything then, however it was typed.
 */
const EXCEL_MIN_DATE: IsoDate = '1900-03-01';

const SECONDS_PER_DAY = 86_400;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (code: ValueErrorCode): Parsed<never> => ({ ok: false, code });

type PlainCell = Exclude<CellValue, CellError>;

/** Lifts a parser of non-error cells to all cells: an Excel error (#N/A, #REF!) is never a value. */
const total =
  <T>(parse: (cell: PlainCell) => Parsed<T>) =>
  (cell: CellValue): Parsed<T> =>
    isCellError(cell) ? fail('cell_error') : parse(cell);

// Control and zero-width characters arrive with pasted text and are invisible in Excel;
// tab and line breaks are whitespace and are handled separately.
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200D\u2060\uFEFF]/g;

/**
 * Text as the domain keeps it: NFKC (full-width letters, digits and spaces become their
 * ASCII forms), invisible characters removed, line breaks unified, tabs as spaces, trimmed.
 */
export const normalizeText = (text: string): string => (isPlain(text) ? text : normalizeSlowly(text));

/**
 * Text that normalization leaves as it is: printable ASCII and CJK unified ideographs, not
 * starting or ending with a space. Most cells are like this, and the test is far cheaper
 * than NFKC and four replacements on every cell of a 200,000-row report.
 */
const PLAIN = /^[\x21-\x7e\u4e00-\u9fff](?:[\x20-\x7e\u4e00-\u9fff]*[\x21-\x7e\u4e00-\u9fff])?$/;

/**
 * PLAIN's answer for the last text asked about: a cell is tested once to see whether it is
 * empty and again when it is parsed, and the second time is the same string.
 */
let lastText: string | undefined;
let lastTextIsPlain = false;
function isPlain(text: string): boolean {
  if (text !== lastText) {
    lastText = text;
    lastTextIsPlain = PLAIN.test(text);
  }
  return lastTextIsPlain;
}

const normalizeSlowly = (text: string): string =>
  text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .trim();

// Direction marks and overrides: pasted along with text, invisible, and able to make Excel show
// "SN-2-NS" for a stored "SN-\u202E2-NS"; removed from ids and free text alike.
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** An identifier as the domain keeps it: normalized text without direction controls, every whitespace run made one space. */
export const normalizeId = (text: string): string =>
  // Plain text holds no direction control and no whitespace but the space.
  isPlain(text) ? (text.includes('  ') ? text.replace(/ {2,}/g, ' ') : text) : normalizeSlowly(text).replace(BIDI_CONTROLS, '').replace(/\s+/g, ' ');

const pad2 = (n: number): string => String(n).padStart(2, '0');

function formatExcelDateTime(dt: ExcelDateTime): string {
  const date = `${String(dt.year).padStart(4, '0')}-${pad2(dt.month)}-${pad2(dt.day)}`;
  const midnight = dt.hour === 0 && dt.minute === 0 && dt.second === 0;
  return midnight ? date : `${date} ${pad2(dt.hour)}:${pad2(dt.minute)}:${pad2(dt.second)}`;
}

/** A cell written as the user saw it in Excel, for quoting in an issue. */
export function displayValue(cell: CellValue): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') return String(cell);
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  return isDateTime(cell) ? formatExcelDateTime(cell) : cell.text;
}

/** A cell with nothing in it once invisible characters and spaces are gone (absent cells included). */
export const isEmptyCell = (cell: CellValue | undefined): cell is null | undefined | string =>
  cell === undefined || isBlank(cell) || (typeof cell === 'string' && normalizeText(cell) === '');

/** Like `displayValue`, but a blank cell (empty or whitespace only) is null, as `Issue.value` wants. */
export const issueValue = (cell: CellValue | undefined): string | null =>
  cell === undefined || isBlank(cell) ? null : displayValue(cell);

function capped(text: string, limit: number): Parsed<string> {
  return text.length > limit ? fail('text_too_long') : ok(text);
}

/**
 * Free text as the person wrote it: invisible and direction-control characters removed, line
 * breaks unified, tabs as spaces, trimmed, and nothing folded. NFKC would turn the full-width
 * punctuation of Chinese prose into ASCII ("配件已补发，待二次调试" into "…补发,待…"); folding is
 * for identifiers and codes, which must compare equal however they were typed.
 */
export const keepText = (text: string): string =>
  isPlain(text) ? text : text.replace(INVISIBLE, '').replace(BIDI_CONTROLS, '').replace(/\r\n?/g, '\n').replace(/\t/g, ' ').trim();

/** Free text (names, addresses, descriptions). Any cell is readable as text. */
export const parseText = total((cell) => capped(keepText(displayValue(cell)), MAX_TEXT_LENGTH));

// How Excel displays a number too long for its column: 1.38E+10. The digits are gone.
const SCIENTIFIC = /^[+-]?\d+(?:\.\d+)?E[+-]?\d+$/i;

/**
 * An identifier (id, phone, model, serial, part code). Numbers are written back as the exact
 * integer Excel showed; a number Excel cannot hold exactly is refused, since digits are lost.
 */
export const parseId = total((cell) => {
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell) || Math.abs(cell) >= EXCEL_EXACT_LIMIT) return fail('number_too_large');
    return Number.isInteger(cell) ? ok(String(cell)) : fail('number_not_integer');
  }
  const text = normalizeId(displayValue(cell));
  return SCIENTIFIC.test(text) ? fail('number_too_large') : capped(text, MAX_ID_LENGTH);
});

function validDate(ymd: YearMonthDay): IsoDate | undefined {
  return isValidYmd(ymd) ? formatYmd(ymd) : undefined;
}

// Every date this module compares is formatYmd's, valid and fixed-width, so text order is date order.
const within = (date: IsoDate, min: IsoDate, max: IsoDate): boolean => date >= min && date <= max;

/** A serial number's day and time of day, rounded to the second (Excel stores binary fractions). */
function splitSerial(serial: number): { date: IsoDate | undefined; secondOfDay: number } {
  const seconds = Math.round(serial * SECONDS_PER_DAY);
  const day = Math.floor(seconds / SECONDS_PER_DAY);
  const date = fromExcelSerial(day);
  return {
    date: date !== undefined && within(date, SERIAL_MIN_DATE, SERIAL_MAX_DATE) ? date : undefined,
    secondOfDay: seconds - day * SECONDS_PER_DAY,
  };
}

function excelDate(dt: ExcelDateTime): IsoDate | undefined {
  const date = validDate(dt);
  return date !== undefined && date >= EXCEL_MIN_DATE ? date : undefined;
}

/** The accepted ways of writing a date as text, each with the capture groups of year, month and day. */
const DATE_FORMS: readonly { readonly pattern: RegExp; readonly ymd: readonly [number, number, number] }[] = [
  { pattern: /^(\d{4}) ?([-/.]) ?(\d{1,2}) ?\2 ?(\d{1,2})$/, ymd: [1, 3, 4] }, // 2026-10-03, 2026/10/3, 2026.10.3
  { pattern: /^(\d{4}) ?年 ?(\d{1,2}) ?月 ?(\d{1,2}) ?[日号]?$/, ymd: [1, 2, 3] }, // 2026年10月3日
  { pattern: /^(\d{4})(\d{2})(\d{2})$/, ymd: [1, 2, 3] }, // 20261003
];

// Day-first, month-first, two-digit years and dates without a year: nobody can tell which
// day is meant, so none of them is guessed.
const AMBIGUOUS_DATES: readonly RegExp[] = [
  /^\d{1,2} ?[-/.] ?\d{1,2}(?: ?[-/.] ?\d{1,4})?$/,
  /^\d{1,2} ?月 ?\d{1,2} ?[日号]?$/,
];

/** A date written as text, already normalized by `normalizeId`. */
function dateFromText(text: string): Parsed<IsoDate> {
  for (const { pattern, ymd } of DATE_FORMS) {
    const m = pattern.exec(text);
    if (!m) continue;
    const date = validDate({ year: Number(m[ymd[0]]), month: Number(m[ymd[1]]), day: Number(m[ymd[2]]) });
    return date === undefined || date < EXCEL_MIN_DATE ? fail('invalid_date') : ok(date);
  }
  return fail(AMBIGUOUS_DATES.some((re) => re.test(text)) ? 'ambiguous_date' : 'invalid_date');
}

/** A number typed as 20261003 rather than as a date; no serial in the plausible range has 8 digits. */
function dateFromNumber(n: number): Parsed<IsoDate> {
  if (Number.isInteger(n) && n >= 10_000_000 && n <= 99_999_999) return dateFromText(String(n));
  const { date } = Number.isFinite(n) ? splitSerial(n) : { date: undefined };
  return date === undefined ? fail('invalid_date') : ok(date);
}

/**
 * A calendar date, as 'YYYY-MM-DD'. The time of an Excel date-time or a serial with a
 * fraction is dropped: the field records a day.
 */
export const parseDate = total((cell): Parsed<IsoDate> => {
  if (typeof cell === 'number') return dateFromNumber(cell);
  if (isDateTime(cell)) {
    const date = excelDate(cell);
    return date === undefined ? fail('invalid_date') : ok(date);
  }
  return typeof cell === 'string' ? dateFromText(normalizeId(cell)) : fail('invalid_date');
});

/** Wall-clock date and time in the business zone, 'YYYY-MM-DDTHH:mm:ss', with no offset. */
export type LocalDateTime = string;

const formatDateTime = (date: IsoDate, hour: number, minute: number, second: number): LocalDateTime =>
  `${date}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}`;

function validTime(date: IsoDate, hour: number, minute: number, second: number): Parsed<LocalDateTime> {
  const valid = hour <= 23 && minute <= 59 && second <= 59;
  return valid ? ok(formatDateTime(date, hour, minute, second)) : fail('invalid_datetime');
}

// A time of day after the date: "14:30", "14:30:05" (after a space, a T, or straight after
// 日), or "14时30分", "14点30分05秒".
const TIME_FORMS: readonly RegExp[] = [
  /^(.+?)(?: ?T ?| |(?<=[日号]))(\d{1,2}):(\d{2})(?::(\d{2}))?$/,
  /^(.+?) ?(\d{1,2}) ?[时点] ?(\d{1,2}) ?分(?: ?(\d{1,2}) ?秒)?$/,
];

/** How most date-times are typed, '2026-10-03 09:15' or '2026-10-03T09:15:30': read without TIME_FORMS' backtracking. */
const PLAIN_DATE_TIME = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** The digit at `i` of `text` as a number, or NaN when it is not an ASCII digit (NaN fails every range check). */
function digitAt(text: string, i: number): number {
  const code = text.charCodeAt(i) - 48;
  return code >= 0 && code <= 9 ? code : NaN;
}

const twoDigits = (text: string, i: number): number => digitAt(text, i) * 10 + digitAt(text, i + 1);

/**
 * PLAIN_DATE_TIME with every part zero-padded, '2026-10-03 09:15' or '2026-10-03T09:15:30',
 * and valid: the stored form but for the separator and seconds, so it is read without a
 * regular expression or formatting. Undefined for anything else, which the patterns then read.
 */
function paddedDateTime(text: string): LocalDateTime | undefined {
  const length = text.length;
  const separator = text.charCodeAt(10);
  if ((length !== 16 && length !== 19) || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  if ((separator !== 32 && separator !== 84) || text.charCodeAt(13) !== 58 || (length === 19 && text.charCodeAt(16) !== 58)) return undefined;
  const year = digitAt(text, 0) * 1000 + digitAt(text, 1) * 100 + twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return undefined;
  const date = text.slice(0, 10);
  if (date < EXCEL_MIN_DATE) return undefined;
  if (!(twoDigits(text, 11) <= 23 && twoDigits(text, 14) <= 59 && (length === 16 || twoDigits(text, 17) <= 59))) return undefined;
  if (length === 19) return separator === 84 ? text : `${date}T${text.slice(11)}`;
  return `${date}T${text.slice(11)}:00`;
}

/** A date-time written as text, already normalized by `normalizeId`. */
function dateTimeFromText(text: string): Parsed<LocalDateTime> {
  const padded = paddedDateTime(text);
  if (padded !== undefined) return ok(padded);
  const plain = PLAIN_DATE_TIME.exec(text);
  if (plain) {
    const date = validDate({ year: Number(plain[1]), month: Number(plain[2]), day: Number(plain[3]) });
    if (date === undefined || date < EXCEL_MIN_DATE) return fail('invalid_datetime');
    return validTime(date, Number(plain[4]), Number(plain[5]), Number(plain[6] ?? 0));
  }
  for (const pattern of TIME_FORMS) {
    const m = pattern.exec(text);
    if (!m) continue;
    const date = dateFromText(m[1] ?? '');
    if (!date.ok) return date.code === 'ambiguous_date' ? date : fail('invalid_datetime');
    return validTime(date.value, Number(m[2]), Number(m[3]), Number(m[4] ?? 0));
  }
  const dateOnly = dateFromText(text);
  if (dateOnly.ok) return fail('missing_time');
  return dateOnly.code === 'ambiguous_date' ? dateOnly : fail('invalid_datetime');
}

function dateTimeFromSerial(serial: number): Parsed<LocalDateTime> {
  const { date, secondOfDay } = splitSerial(serial);
  if (date === undefined) return fail('invalid_datetime');
  // A whole serial is a date typed without a time, not a call at exactly midnight.
  if (Number.isInteger(serial)) return fail('missing_time');
  return ok(formatDateTime(date, Math.floor(secondOfDay / 3600), Math.floor(secondOfDay / 60) % 60, secondOfDay % 60));
}

function dateTimeFromExcel(dt: ExcelDateTime): Parsed<LocalDateTime> {
  const date = excelDate(dt);
  if (date === undefined) return fail('invalid_datetime');
  // The reader cannot tell a date-only cell from 00:00:00; a real midnight can be typed as text.
  if (dt.hour === 0 && dt.minute === 0 && dt.second === 0) return fail('missing_time');
  return validTime(date, dt.hour, dt.minute, dt.second);
}

/**
 * A date with a time of day, as 'YYYY-MM-DDTHH:mm:ss' on the business wall clock. A date
 * alone is refused: response times need the hour.
 */
export const parseDateTime = total((cell): Parsed<LocalDateTime> => {
  if (typeof cell === 'number') return Number.isFinite(cell) ? dateTimeFromSerial(cell) : fail('invalid_datetime');
  if (isDateTime(cell)) return dateTimeFromExcel(cell);
  return typeof cell === 'string' ? dateTimeFromText(normalizeId(cell)) : fail('invalid_datetime');
});

/** The calendar date of a local date-time. */
export const dateOf = (dateTime: LocalDateTime): IsoDate => dateTime.slice(0, 10);

const INTEGER_TEXT = /^[+-]?\d+(?:\.0*)?$/;

/** A whole number: a numeric cell, or text such as "12", "１２" or "12.0". */
export const parseInteger = total((cell): Parsed<number> => {
  const n = typeof cell === 'number' ? cell : typeof cell === 'string' ? integerFromText(normalizeId(cell)) : NaN;
  return Number.isSafeInteger(n) ? ok(n) : fail('invalid_integer');
});

function integerFromText(text: string): number {
  return INTEGER_TEXT.test(text) ? Number(text) : NaN;
}

/** A whole number greater than zero (quantities). */
export function parsePositiveInteger(cell: CellValue): Parsed<number> {
  const n = parseInteger(cell);
  return n.ok && n.value <= 0 ? fail('not_positive') : n;
}

const DECIMAL_TEXT = /^([+-]?)(\d+)(?:\.(\d+))?$/;
const GROUPED_THOUSANDS = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const MONEY_PLACES = 2;

/** Rewrites decimal text to exactly two places without ever going through a float. */
function decimalFromText(text: string): Parsed<string> {
  const plain = GROUPED_THOUSANDS.test(text) ? text.replace(/,/g, '') : text;
  const m = DECIMAL_TEXT.exec(plain);
  if (!m) return fail('invalid_decimal');
  const [, sign = '', whole = '', fraction = ''] = m;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > MONEY_PLACES) return fail('too_many_decimals');
  const integer = whole.replace(/^0+(?=\d)/, '');
  const cents = significant.padEnd(MONEY_PLACES, '0');
  const isZero = /^0+$/.test(integer + cents);
  return ok(`${isZero ? '' : sign.replace('+', '')}${integer}.${cents}`);
}

/**
 * A money amount as a decimal string with two places ("35.5" → "35.50"). A numeric cell is
 * read through its shortest round-trip form, which is what Excel showed; a number that needs
 * more than two decimals (0.1 + 0.2) is refused rather than rounded.
 */
export const parseDecimal = total((cell): Parsed<string> => {
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return fail('invalid_decimal');
    const text = String(cell);
    // Exponent notation only appears below 1e-6 (too many decimals) or from 1e21 (not money).
    if (/e/i.test(text)) return fail(Math.abs(cell) < 1 ? 'too_many_decimals' : 'invalid_decimal');
    return decimalFromText(text);
  }
  if (typeof cell !== 'string') return fail('invalid_decimal');
  return decimalFromText(normalizeId(cell).replace(/^¥ ?/, ''));
});

/** Spellings of a choice compare without case, spaces, underscores or full-width forms. */
const choiceKey = (text: string): string => normalizeText(text).toLowerCase().replace(/[\s_]+/g, '');

/** Each option list's spellings by key, the first option's code winning, made once per list. */
const choicesByKey = new WeakMap<readonly EnumOption[], ReadonlyMap<string, string>>();

function choicesOf(options: readonly EnumOption[]): ReadonlyMap<string, string> {
  let choices = choicesByKey.get(options);
  if (choices === undefined) {
    const byKey = new Map<string, string>();
    for (const option of options) {
      for (const spelling of [option.code, ...option.names]) {
        const key = choiceKey(spelling);
        if (!byKey.has(key)) byKey.set(key, option.code);
      }
    }
    choices = byKey;
    choicesByKey.set(options, choices);
  }
  return choices;
}

/** One of a field's options, by its code or any of its names; yields the code. */
export function parseEnum(cell: CellValue, options: readonly EnumOption[]): Parsed<string> {
  if (isCellError(cell)) return fail('cell_error');
  const code = choicesOf(options).get(choiceKey(displayValue(cell)));
  return code === undefined ? fail('invalid_choice') : ok(code);
}

/**
 * A cell read as `field` says: null when blank (whether that is allowed is the caller's
 * rule), the typed value, or the reason it cannot be read.
 */
export function parseCell(field: FieldSpec, cell: CellValue | undefined): Parsed<FieldValue | null> {
  if (isEmptyCell(cell)) return ok(null);
  switch (field.kind) {
    case 'text':
      return parseText(cell);
    case 'id':
      return parseId(cell);
    case 'date':
      return parseDate(cell);
    case 'datetime':
      return parseDateTime(cell);
    case 'integer':
      return parseInteger(cell);
    case 'decimal':
      return parseDecimal(cell);
    case 'enum':
      return parseEnum(cell, field.options ?? []);
  }
}
