import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CellValue, ExcelDateTime } from '../../shared/domain/cells.js';
import { toExcelSerial } from '../../shared/domain/dates.js';
import { CHARGE_CAUSES, REPAIR_FIELDS, YES_NO } from '../../shared/domain/fields.js';
import {
  displayValue,
  MAX_TEXT_LENGTH,
  normalizeId,
  normalizeText,
  parseCell,
  parseDate,
  parseDateTime,
  parseDecimal,
  parseEnum,
  parseId,
  parseInteger,
  parsePositiveInteger,
  parseText,
  type Parsed,
} from '../../shared/domain/values.js';
import { anyYmd, partlyFullWidth, toFullWidth } from '../helpers/arbitraries.js';
import { fieldSpec } from '../helpers/rows.js';

const dt = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0): ExcelDateTime => ({
  kind: 'datetime', year, month, day, hour, minute, second,
});
const refused = (code: string): Parsed<never> => ({ ok: false, code } as Parsed<never>);
const accepted = <T>(value: T): Parsed<T> => ({ ok: true, value });

const anyCell: fc.Arbitrary<CellValue> = fc.oneof(
  fc.constant(null),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom(...'0123456789-/.年月日时分秒:T ０１２３４５６７８９'.split('')) }),
  fc.double(),
  fc.boolean(),
  fc.record({ kind: fc.constant('datetime' as const), year: fc.integer(), month: fc.integer(), day: fc.integer(), hour: fc.integer(), minute: fc.integer(), second: fc.integer() }),
  fc.record({ kind: fc.constant('error' as const), text: fc.constantFrom('#N/A', '#REF!', '#VALUE!') }),
);

describe('text normalization', () => {
  it('turns full-width letters, digits and spaces into ASCII and trims', () => {
    expect(normalizeText('\u3000ＡＢＣ１２３ ')).toBe('ABC123');
  });

  it('removes invisible characters that come with pasted text', () => {
    expect(normalizeText('SN\u200B-1\u0007\uFEFF')).toBe('SN-1');
  });

  it('keeps line breaks in free text but collapses every whitespace run in an id', () => {
    expect(normalizeText('Line 1\r\nLine  2')).toBe('Line 1\nLine  2');
    expect(normalizeId(' WC  100\n A ')).toBe('WC 100 A');
  });
});

describe('identifiers', () => {
  it('drop direction marks and overrides, which would make Excel show another id than the one stored', () => {
    expect(parseId('SN-\u202e2-NS\u202c')).toEqual(accepted('SN-2-NS'));
    expect(parseId('\u200fIN-\u20661\u2069')).toEqual(accepted('IN-1'));
    expect(parseText('\u200fمريم')).toEqual(accepted('مريم'));
  });

  it('keep text as typed, normalized', () => {
    expect(parseId(' SN-0001 ')).toEqual(accepted('SN-0001'));
    expect(parseId('１３８００１３８０００')).toEqual(accepted('13800138000'));
  });

  it('write a phone number Excel stored as a number back as its exact digits', () => {
    expect(parseId(13800138000)).toEqual(accepted('13800138000'));
  });

  it('refuse numbers whose digits Excel has already lost', () => {
    expect(parseId(110101199003071234)).toEqual(refused('number_too_large'));
    expect(parseId(1e15)).toEqual(refused('number_too_large'));
    expect(parseId('1.38E+10')).toEqual(refused('number_too_large'));
    expect(parseId('1.38e+10')).toEqual(refused('number_too_large'));
  });

  it('refuse a number with decimals, which Excel may have rounded', () => {
    expect(parseId(12.5)).toEqual(refused('number_not_integer'));
  });

  it('keep every integer Excel holds exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999_999_999 }), (n) => {
        expect(parseId(n)).toEqual(accepted(String(n)));
      }),
    );
  });

  it('refuse Excel errors by name', () => {
    expect(parseId({ kind: 'error', text: '#N/A' })).toEqual(refused('cell_error'));
  });
});

describe('free text', () => {
  it('accepts what fits and refuses what is longer than the cap', () => {
    expect(parseText('  王伟 ')).toEqual(accepted('王伟'));
    expect(parseText('x'.repeat(MAX_TEXT_LENGTH))).toEqual(accepted('x'.repeat(MAX_TEXT_LENGTH)));
    expect(parseText('x'.repeat(MAX_TEXT_LENGTH + 1))).toEqual(refused('text_too_long'));
  });

  it('reads numbers as the text Excel showed', () => {
    expect(parseText(42)).toEqual(accepted('42'));
  });

  it('keeps what was written: full-width punctuation, letters and digits stay as typed (no NFKC)', () => {
    expect(parseText('配件已补发，待二次调试')).toEqual(accepted('配件已补发，待二次调试'));
    expect(parseText('（选填）ＡＢＣ１２３：完成')).toEqual(accepted('（选填）ＡＢＣ１２３：完成'));
    expect(parseText('\u3000杭州市西湖区\u3000')).toEqual(accepted('杭州市西湖区'));
  });

  it('removes control, zero-width and direction characters, unifies line breaks and tabs', () => {
    expect(parseText('王\u200b伟\u0007')).toEqual(accepted('王伟'));
    expect(parseText('更换\u202e主板\u202c')).toEqual(accepted('更换主板'));
    expect(parseText('第一行\r\n第二行\t完')).toEqual(accepted('第一行\n第二行 完'));
  });

  it('is the identity on text without control characters or edge spaces, whatever the script', () => {
    const clean = fc.string({ unit: 'grapheme', minLength: 1 }).filter((t) => t === t.trim() && !/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2060\ufeff\u061c\u202a-\u202e\u2066-\u2069\r\t]/.test(t) && t.length <= MAX_TEXT_LENGTH);
    fc.assert(
      fc.property(clean, (text) => {
        expect(parseText(text)).toEqual(accepted(text));
      }),
    );
  });
});

describe('dates', () => {
  it.each([
    ['2026-10-03'],
    ['2026-10-3'],
    ['2026/10/3'],
    ['2026.10.3'],
    ['2026年10月3日'],
    ['2026 年 10 月 3 日'],
    ['20261003'],
    ['２０２６－１０－０３'],
    ['２０２６年１０月３日'],
  ])('read the text %s as 2026-10-03', (text) => {
    expect(parseDate(text)).toEqual(accepted('2026-10-03'));
  });

  it('read an Excel date, ignoring its time of day', () => {
    expect(parseDate(dt(2026, 10, 3))).toEqual(accepted('2026-10-03'));
    expect(parseDate(dt(2026, 10, 3, 14, 30))).toEqual(accepted('2026-10-03'));
  });

  it('read serial numbers and numbers typed as 20261003', () => {
    expect(parseDate(46298)).toEqual(accepted('2026-10-03'));
    expect(parseDate(46298.75)).toEqual(accepted('2026-10-03'));
    expect(parseDate(20261003)).toEqual(accepted('2026-10-03'));
  });

  it.each([['10/03/2026'], ['03/10/2026'], ['10-03'], ['26-10-03'], ['10月3日']])('refuse the ambiguous %s', (text) => {
    expect(parseDate(text)).toEqual(refused('ambiguous_date'));
  });

  it.each([['2026-02-30'], ['2026/13/45'], ['2026-10-03x'], ['yesterday'], ['2026-10/03']])('refuse %s, which is no date', (text) => {
    expect(parseDate(text)).toEqual(refused('invalid_date'));
  });

  it('refuse serials outside 1990–2100, most likely a number in the wrong column', () => {
    expect(parseDate(60)).toEqual(refused('invalid_date'));
    expect(parseDate(12)).toEqual(refused('invalid_date'));
    expect(parseDate(toExcelSerial('2101-01-01'))).toEqual(refused('invalid_date'));
    expect(parseDate(-1)).toEqual(refused('invalid_date'));
  });

  it('refuse a time typed alone, which Excel keeps on 1899-12-30', () => {
    expect(parseDate(dt(1899, 12, 30, 14, 30))).toEqual(refused('invalid_date'));
  });

  it('refuse any day before 1 March 1900, typed as text or read from a date cell, where Excel\'s calendar is off', () => {
    for (const cell of ['1899-12-31', '1066年10月14日', '1900-02-28', dt(1900, 2, 28), dt(1900, 1, 1)]) expect(parseDate(cell)).toEqual(refused('invalid_date'));
    expect(parseDate('1900-03-01')).toEqual(accepted('1900-03-01'));
  });

  it('refuse booleans and Excel errors', () => {
    expect(parseDate(true)).toEqual(refused('invalid_date'));
    expect(parseDate({ kind: 'error', text: '#VALUE!' })).toEqual(refused('cell_error'));
  });

  it('read any date back from every accepted form', () => {
    fc.assert(
      fc.property(anyYmd(1990, 2100), ({ year, month, day }) => {
        const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        const forms: CellValue[] = [
          iso,
          `${year}-${month}-${day}`,
          `${year}/${month}/${day}`,
          `${year}.${month}.${day}`,
          `${year}年${month}月${day}日`,
          iso.replace(/-/g, ''),
          Number(iso.replace(/-/g, '')),
          toExcelSerial(iso),
          dt(year, month, day),
        ];
        for (const form of forms) expect(parseDate(form)).toEqual(accepted(iso));
      }),
    );
  });

  it('read full-width text as its half-width form', () => {
    const textAndWide = fc
      .tuple(anyYmd(1990, 2100), fc.constantFrom('-', '/', '.', '年'))
      .map(([{ year, month, day }, sep]) => (sep === '年' ? `${year}年${month}月${day}日` : `${year}${sep}${month}${sep}${day}`))
      .chain((text) => fc.tuple(fc.constant(text), partlyFullWidth(text)));
    fc.assert(
      fc.property(textAndWide, ([text, wide]) => {
        expect(parseDate(wide)).toEqual(parseDate(text));
      }),
    );
  });
});

describe('date-times', () => {
  it.each([
    ['2026-10-03 14:30', '2026-10-03T14:30:00'],
    ['2026-10-03T14:30', '2026-10-03T14:30:00'],
    ['2026/10/3 14:30:05', '2026-10-03T14:30:05'],
    ['2026年10月3日 14时30分', '2026-10-03T14:30:00'],
    ['2026年10月3日14点30分05秒', '2026-10-03T14:30:05'],
    ['2026年10月3日 9:05', '2026-10-03T09:05:00'],
    ['２０２６－１０－０３　１４：３０', '2026-10-03T14:30:00'],
    ['2026-10-03 00:00', '2026-10-03T00:00:00'],
  ])('read the text %s', (text, expected) => {
    expect(parseDateTime(text)).toEqual(accepted(expected));
  });

  it('read an Excel date-time and a serial with a fraction, to the second', () => {
    expect(parseDateTime(dt(2026, 10, 3, 14, 30, 5))).toEqual(accepted('2026-10-03T14:30:05'));
    expect(parseDateTime(46298 + (14 * 3600 + 30 * 60) / 86400)).toEqual(accepted('2026-10-03T14:30:00'));
    expect(parseDateTime(46298 + 86399.9999 / 86400)).toEqual(accepted('2026-10-04T00:00:00'));
  });

  it('refuse a date without a time: response times need the hour', () => {
    expect(parseDateTime('2026-10-03')).toEqual(refused('missing_time'));
    expect(parseDateTime(46298)).toEqual(refused('missing_time'));
    expect(parseDateTime(dt(2026, 10, 3))).toEqual(refused('missing_time'));
  });

  it('refuse impossible times, ambiguous dates and other text', () => {
    expect(parseDateTime('2026-10-03 24:00')).toEqual(refused('invalid_datetime'));
    expect(parseDateTime('2026-10-03 14:60')).toEqual(refused('invalid_datetime'));
    expect(parseDateTime('2026-02-30 14:00')).toEqual(refused('invalid_datetime'));
    expect(parseDateTime('10/03/2026 14:00')).toEqual(refused('ambiguous_date'));
    expect(parseDateTime('soon')).toEqual(refused('invalid_datetime'));
  });

  it('read every second of the day from a serial and from text alike', () => {
    fc.assert(
      fc.property(anyYmd(1990, 2100), fc.integer({ min: 1, max: 86_399 }), (ymd, secondOfDay) => {
        const iso = `${ymd.year}-${String(ymd.month).padStart(2, '0')}-${String(ymd.day).padStart(2, '0')}`;
        const [h, m, s] = [Math.floor(secondOfDay / 3600), Math.floor(secondOfDay / 60) % 60, secondOfDay % 60];
        const time = [h, m, s].map((n) => String(n).padStart(2, '0')).join(':');
        const expected = accepted(`${iso}T${time}`);
        expect(parseDateTime(toExcelSerial(iso) + secondOfDay / 86_400)).toEqual(expected);
        expect(parseDateTime(`${iso} ${time}`)).toEqual(expected);
        expect(parseDateTime(toFullWidth(`${iso} ${time}`))).toEqual(expected);
        expect(parseDateTime(dt(ymd.year, ymd.month, ymd.day, h, m, s))).toEqual(expected);
      }),
    );
  });
});

describe('integers', () => {
  it.each([[12, 12], ['12', 12], ['１２', 12], ['12.0', 12], [' 3 ', 3], ['-2', -2]])('read %s as %s', (cell, n) => {
    expect(parseInteger(cell)).toEqual(accepted(n));
  });

  it.each([[1.5], ['1.5'], ['abc'], ['1e3'], [true]])('refuse %s', (cell) => {
    expect(parseInteger(cell)).toEqual(refused('invalid_integer'));
  });

  it('call zero and negatives not positive where a quantity is wanted', () => {
    expect(parsePositiveInteger(0)).toEqual(refused('not_positive'));
    expect(parsePositiveInteger('-1')).toEqual(refused('not_positive'));
    expect(parsePositiveInteger('2')).toEqual(accepted(2));
  });

  it('read any integer from a number, its text and its full-width text', () => {
    fc.assert(
      fc.property(fc.integer(), (n) => {
        for (const form of [n, String(n), `${n}.0`, toFullWidth(String(n))]) expect(parseInteger(form)).toEqual(accepted(n));
      }),
    );
  });
});

describe('decimal amounts', () => {
  it.each([
    ['35.5', '35.50'],
    ['35', '35.00'],
    ['035.50', '35.50'],
    ['１,２３４.５', '1234.50'],
    ['¥12.30', '12.30'],
    ['￥12', '12.00'],
    ['35.500', '35.50'],
    ['-0.00', '0.00'],
    [35.5, '35.50'],
    [0.1, '0.10'],
  ])('read %s as %s', (cell, expected) => {
    expect(parseDecimal(cell)).toEqual(accepted(expected));
  });

  it('refuse more than two decimals rather than round', () => {
    expect(parseDecimal('35.555')).toEqual(refused('too_many_decimals'));
    expect(parseDecimal(0.1 + 0.2)).toEqual(refused('too_many_decimals'));
    expect(parseDecimal(1e-7)).toEqual(refused('too_many_decimals'));
  });

  it('refuse what is no amount', () => {
    expect(parseDecimal('35,5')).toEqual(refused('invalid_decimal'));
    expect(parseDecimal('abc')).toEqual(refused('invalid_decimal'));
    expect(parseDecimal(1e21)).toEqual(refused('invalid_decimal'));
  });

  it('keep every amount in cents exactly, from text and from a number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (cents) => {
        const expected = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
        expect(parseDecimal(expected)).toEqual(accepted(expected));
        expect(parseDecimal(Number(expected))).toEqual(accepted(expected));
      }),
    );
  });
});

describe('choices', () => {
  it('match the code or any name, ignoring case, spaces, underscores and full width', () => {
    expect(parseEnum('misuse', CHARGE_CAUSES)).toEqual(accepted('misuse'));
    expect(parseEnum('使用不当', CHARGE_CAUSES)).toEqual(accepted('misuse'));
    expect(parseEnum(' Self Handling ', CHARGE_CAUSES)).toEqual(accepted('self_handling'));
    expect(parseEnum('ＵＮＳＴＡＢＬＥ＿ＰＯＷＥＲ', CHARGE_CAUSES)).toEqual(accepted('unstable_power'));
    expect(parseEnum(true, YES_NO)).toEqual(accepted('yes'));
  });

  it('refuse anything else', () => {
    expect(parseEnum('maybe', YES_NO)).toEqual(refused('invalid_choice'));
  });
});

describe('any cell', () => {
  it('is blank (null) when it holds only spaces or invisible characters', () => {
    const phone = fieldSpec(REPAIR_FIELDS, 'phone');
    for (const cell of [null, undefined, '', '  ', '\u3000', '\u200B']) expect(parseCell(phone, cell)).toEqual(accepted(null));
  });

  it('never makes a parser throw', () => {
    fc.assert(
      fc.property(anyCell, (cell) => {
        for (const field of REPAIR_FIELDS) parseCell(field, cell);
        displayValue(cell);
      }),
    );
  });
});

describe('normalizeText fast path', () => {
  it('gives what full NFKC normalization gives, for any mix of ASCII, CJK, full-width and spaces', () => {
    const pieces = fc.constantFrom('a', 'Z', '9', '-', ' ', '　', '１', 'Ａ', '号', '龥', '\t', '\u200b', '（', '，', '\r\n');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 12 }).map((p) => p.join('')), (text) => {
        const slow = text.normalize('NFKC').replace(/[\u200B]/g, '').replace(/\r\n?/g, '\n').replace(/\t/g, ' ').trim();
        expect(normalizeText(text)).toBe(slow);
      }),
    );
  });
});
