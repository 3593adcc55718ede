/** fast-check generators shared by the domain's property tests. */
import fc from 'fast-check';
import { daysInMonth, formatYmd } from '../../shared/domain/dates.js';

export interface Ymd {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** A real calendar day in the given years. */
export const anyYmd = (minYear = 1900, maxYear = 2200): fc.Arbitrary<Ymd> =>
  fc
    .record({ year: fc.integer({ min: minYear, max: maxYear }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
    .map(({ year, month, day }) => ({ year, month, day: Math.min(day, daysInMonth(year, month)) }));

/** A real calendar day in the given years, as 'YYYY-MM-DD'. */
export const anyDate = (minYear = 1900, maxYear = 2200): fc.Arbitrary<string> => anyYmd(minYear, maxYear).map(formatYmd);

/** The full-width form (U+FF01–U+FF5E) of printable ASCII, as Chinese input methods type it. */
export const toFullWidth = (text: string): string =>
  text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');

/** Some characters of `text` made full-width. */
export const partlyFullWidth = (text: string): fc.Arbitrary<string> =>
  fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length }).map((flags) =>
    [...text].map((c, i) => (flags[i] ? toFullWidth(c) : c)).join(''),
  );
