/**
 * Business dates as plain 'YYYY-MM-DD' strings and periods as 'YYYY-MM'.
 *
 * Dealers think in local calendar days, so the domain never carries a `Date` for a business
 * date: a `Date` drags the server's zone along and shifts a day at midnight. Calendar
 * arithmetic here works on a day number (days since 1970-01-01 in the proleptic Gregorian
 * calendar) and only `businessDateOf` touches an instant, through Intl with an explicit zone.
 */

/** A calendar date written 'YYYY-MM-DD'. */
export type IsoDate = string;

/** A calendar month written 'YYYY-MM'. */
export type Period = string;

/** The zone dealers live in unless configuration says otherwise (see domain.md, "Dates and time"). */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** Day of M+1 up to which (inclusive) a report for month M is on time. */
export const REPORT_DEADLINE_DAY = 3;

export interface YearMonthDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PERIOD = /^(\d{4})-(\d{2})$/;

/** Whether `year` is a Gregorian leap year. */
export const isLeapYear = (year: number): boolean =>
  (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Number of days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Whether the three numbers name a real calendar day in years 1–9999 (the range 'YYYY' can write). */
export function isValidYmd({ year, month, day }: YearMonthDay): boolean {
  return (
    Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day) &&
    year >= 1 && year <= 9999 &&
    month >= 1 && month <= 12 &&
    day >= 1 && day <= daysInMonth(year, month)
  );
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Writes a calendar day as 'YYYY-MM-DD'; the caller guarantees it is valid. */
export const formatYmd = ({ year, month, day }: YearMonthDay): IsoDate =>
  `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;

/** Reads a strict 'YYYY-MM-DD' string; undefined when malformed or not a real day. */
export function parseIsoDate(date: string): YearMonthDay | undefined {
  const m = ISO_DATE.exec(date);
  if (!m) return undefined;
  const ymd = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return isValidYmd(ymd) ? ymd : undefined;
}

/** Whether `date` is a strict 'YYYY-MM-DD' string naming a real day. */
export const isValidDate = (date: string): boolean => parseIsoDate(date) !== undefined;

/** The digit at `i` of `text` as a number, or NaN when it is not an ASCII digit. */
function digitAt(text: string, i: number): number {
  const code = text.charCodeAt(i) - 48;
  return code >= 0 && code <= 9 ? code : NaN;
}

/**
 * `isValidDate` without a regular expression, a substring or an object: compareDates checks
 * both of its arguments, and validators compare several dates on every row of a 200,000-row
 * report. A non-digit makes a part NaN, which fails every range check.
 */
function isValidIsoDate(date: string): boolean {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return false;
  const year = digitAt(date, 0) * 1000 + digitAt(date, 1) * 100 + digitAt(date, 2) * 10 + digitAt(date, 3);
  const month = digitAt(date, 5) * 10 + digitAt(date, 6);
  const day = digitAt(date, 8) * 10 + digitAt(date, 9);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function requireDate(date: IsoDate): YearMonthDay {
  const ymd = parseIsoDate(date);
  if (!ymd) throw new RangeError(`Not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  return ymd;
}

/**
 * Days since 1970-01-01 (negative before it). Algorithm from Howard Hinnant's
 * "chrono-compatible low-level date algorithms", exact for the whole proleptic calendar.
 */
export function toDayNumber({ year, month, day }: YearMonthDay): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Inverse of `toDayNumber`. */
export function fromDayNumber(dayNumber: number): YearMonthDay {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** `date` moved by `days` (may be negative). */
export const addDays = (date: IsoDate, days: number): IsoDate =>
  formatYmd(fromDayNumber(toDayNumber(requireDate(date)) + days));

/**
 * `date` moved by `months` calendar months, clamped to the end of a shorter month, the way
 * people count warranties: 2026-01-31 + 1 month = 2026-02-28.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const { year, month, day } = requireDate(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  return formatYmd({ year: targetYear, month: targetMonth, day: Math.min(day, daysInMonth(targetYear, targetMonth)) });
}

/** Orders two dates: negative, zero or positive like a sort comparator. */
export function compareDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  // requireDate throws the error that names the malformed one.
  if (!isValidIsoDate(a)) requireDate(a);
  if (!isValidIsoDate(b)) requireDate(b);
  // Zero-padded fixed-width strings sort chronologically.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: IsoDate, to: IsoDate): number =>
  toDayNumber(requireDate(to)) - toDayNumber(requireDate(from));

/** The month a date belongs to, 'YYYY-MM'. */
export function periodOf(date: IsoDate): Period {
  if (!isValidIsoDate(date)) requireDate(date);
  return date.slice(0, 7);
}

/**
 * The months the back office takes reports for. A report is for a month of business; one
 * outside this range is a typo, and 9999-12 would run every date computation past year 9999.
 */
export const FIRST_PERIOD: Period = '2000-01';
export const LAST_PERIOD: Period = '2099-12';

function isMonth(period: string): boolean {
  const m = PERIOD.exec(period);
  return m !== null && Number(m[1]) >= 1 && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

/**
 * Whether `period`, as a user or a message gives it, is a strict 'YYYY-MM' month between
 * FIRST_PERIOD and LAST_PERIOD: the one check of every period that comes in. (Date
 * arithmetic takes any month: a purchase date may be older than the back office.)
 */
export const isValidPeriod = (period: string): boolean => isMonth(period) && period >= FIRST_PERIOD && period <= LAST_PERIOD;

function requirePeriod(period: Period): { year: number; month: number } {
  if (!isMonth(period)) throw new RangeError(`Not a YYYY-MM period: ${JSON.stringify(period)}`);
  return { year: Number(period.slice(0, 4)), month: Number(period.slice(5, 7)) };
}

/** First and last day of a period. */
export function periodBounds(period: Period): { first: IsoDate; last: IsoDate } {
  const { year, month } = requirePeriod(period);
  return {
    first: formatYmd({ year, month, day: 1 }),
    last: formatYmd({ year, month, day: daysInMonth(year, month) }),
  };
}

/** The month after `period`. */
export const nextPeriod = (period: Period): Period => periodOf(addMonths(periodBounds(period).first, 1));

/**
 * The calendar date of `instant` on a wall clock in `timeZone`: what a dealer would write
 * down for an upload at that moment, whatever zone the server (or the browser) runs in. The
 * one way to say "today" anywhere: the API, the jobs, the CLI and the portal pass the
 * configured business zone, never a default, so a forgotten zone is a compile error rather
 * than a date that is a day off before 08:00 in Beijing.
 */
export function businessDateOf(instant: Date, timeZone: string): IsoDate {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value);
  return formatYmd({ year: part('year'), month: part('month'), day: part('day') });
}

/**
 * `instant` as people in the business zone read a clock: `2026-12-07 07:17` (Beijing local
 * time by default configuration), for every time a screen, a message or a workbook shows.
 */
export function businessDateTimeOf(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '00';
  return `${businessDateOf(instant, timeZone)} ${part('hour')}:${part('minute')}`;
}

/** Last business day on which a report for `period` is on time: the 3rd of the next month. */
export const lateDeadline = (period: Period): IsoDate =>
  formatYmd({ ...requireDate(periodBounds(nextPeriod(period)).first), day: REPORT_DEADLINE_DAY });

/**
 * Whether a report for `period` received at `receivedAt` is late: it is on time until the end
 * of the deadline day in the business zone, so comparing business dates is exact and needs no
 * offset arithmetic.
 */
export const isLate = (period: Period, receivedAt: Date, timeZone: string): boolean =>
  businessDateOf(receivedAt, timeZone) > lateDeadline(period);

/**
 * Excel's 1900 date system counts 1900-01-01 as serial 1 but believes 1900 was a leap year
 * (a Lotus 1-2-3 compatibility bug): serial 60 is the non-existent 1900-02-29, and from
 * serial 61 on the count runs one day ahead, i.e. as if it started on 1899-12-30.
 */
const EXCEL_EPOCH = toDayNumber({ year: 1899, month: 12, day: 30 });
const EXCEL_FAKE_LEAP_DAY = 60;
const EXCEL_FIRST_DATE = '1900-01-01';

/** The date of a whole Excel serial (1900 system); undefined for 60, non-integers and out-of-range serials. */
export function fromExcelSerial(serial: number): IsoDate | undefined {
  if (!Number.isInteger(serial) || serial < 1 || serial === EXCEL_FAKE_LEAP_DAY) return undefined;
  const ymd = fromDayNumber(EXCEL_EPOCH + serial + (serial < EXCEL_FAKE_LEAP_DAY ? 1 : 0));
  return isValidYmd(ymd) ? formatYmd(ymd) : undefined;
}

/** The Excel serial (1900 system) of a date on or after 1900-01-01. */
export function toExcelSerial(date: IsoDate): number {
  if (compareDates(date, EXCEL_FIRST_DATE) < 0) throw new RangeError(`Excel has no serial before ${EXCEL_FIRST_DATE}: ${date}`);
  const offset = toDayNumber(requireDate(date)) - EXCEL_EPOCH;
  return offset <= EXCEL_FAKE_LEAP_DAY ? offset - 1 : offset;
}
