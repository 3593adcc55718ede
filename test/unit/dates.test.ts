import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  businessDateOf,
  compareDates,
  daysBetween,
  daysInMonth,
  fromDayNumber,
  fromExcelSerial,
  isLate,
  isValidDate,
  isValidPeriod,
  lateDeadline,
  nextPeriod,
  periodBounds,
  periodOf,
  toDayNumber,
  toExcelSerial,
} from '../../shared/domain/dates.js';
import { anyDate as dateIn } from '../helpers/arbitraries.js';

const anyDate = dateIn();

describe('calendar dates', () => {
  it('accepts only real days written YYYY-MM-DD', () => {
    expect(isValidDate('2026-10-03')).toBe(true);
    expect(isValidDate('2028-02-29')).toBe(true);
    expect(isValidDate('2026-02-29')).toBe(false);
    expect(isValidDate('1900-02-29')).toBe(false);
    expect(isValidDate('2000-02-29')).toBe(true);
    expect(isValidDate('2026-10-3')).toBe(false);
    expect(isValidDate('2026-13-01')).toBe(false);
  });

  it('agrees with the UTC calendar of Date on day numbers', () => {
    fc.assert(
      fc.property(anyDate, (date) => {
        expect(toDayNumber({ year: +date.slice(0, 4), month: +date.slice(5, 7), day: +date.slice(8) })).toBe(
          Date.parse(`${date}T00:00:00Z`) / 86_400_000,
        );
      }),
    );
  });

  it('round-trips day numbers', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 2_000_000 }), (n) => {
        expect(toDayNumber(fromDayNumber(n))).toBe(n);
      }),
    );
  });

  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-10-31', 1)).toBe('2026-11-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2026-07-10', 60)).toBe('2026-09-08');
  });

  it('adds days so that daysBetween measures them back', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -5000, max: 5000 }), (date, n) => {
        expect(daysBetween(date, addDays(date, n))).toBe(n);
        expect(addDays(addDays(date, n), -n)).toBe(date);
      }),
    );
  });

  it('adds months clamped to the end of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2025-10-03', 12)).toBe('2026-10-03');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
  });

  it('adds months keeping the day when it exists and never leaving the target month', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -240, max: 240 }), (date, months) => {
        const result = addMonths(date, months);
        const expectedIndex = +date.slice(0, 4) * 12 + +date.slice(5, 7) - 1 + months;
        expect(+result.slice(0, 4) * 12 + +result.slice(5, 7) - 1).toBe(expectedIndex);
        const day = +date.slice(8);
        expect(+result.slice(8)).toBe(Math.min(day, daysInMonth(+result.slice(0, 4), +result.slice(5, 7))));
      }),
    );
  });

  it('orders dates chronologically', () => {
    fc.assert(
      fc.property(anyDate, anyDate, (a, b) => {
        expect(compareDates(a, b)).toBe(Math.sign(daysBetween(b, a)));
      }),
    );
  });

  it('refuses malformed dates instead of computing nonsense', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => compareDates('2026/10/03', '2026-10-03')).toThrow(RangeError);
  });
});

describe('periods', () => {
  it('puts a date in its month', () => {
    expect(periodOf('2026-10-31')).toBe('2026-10');
  });

  it('accepts only YYYY-MM months', () => {
    expect(isValidPeriod('2026-10')).toBe(true);
    expect(isValidPeriod('2026-13')).toBe(false);
    expect(isValidPeriod('2026-1')).toBe(false);
    expect(isValidPeriod('2026-00')).toBe(false);
  });

  it('accepts months from 2000-01 to 2099-12 only, so a typo such as 9999-12 never reaches date arithmetic', () => {
    expect(isValidPeriod('2000-01')).toBe(true);
    expect(isValidPeriod('2099-12')).toBe(true);
    expect(isValidPeriod('1999-12')).toBe(false);
    expect(isValidPeriod('2100-01')).toBe(false);
    expect(isValidPeriod('9999-12')).toBe(false);
    expect(isValidPeriod('0000-01')).toBe(false);
  });

  it('knows the first and last day and the next month', () => {
    expect(periodBounds('2028-02')).toEqual({ first: '2028-02-01', last: '2028-02-29' });
    expect(nextPeriod('2026-12')).toBe('2027-01');
  });

  it('contains exactly the dates whose period it is', () => {
    fc.assert(
      fc.property(anyDate, (date) => {
        const { first, last } = periodBounds(periodOf(date));
        expect(compareDates(first, date)).toBeLessThanOrEqual(0);
        expect(compareDates(date, last)).toBeLessThanOrEqual(0);
        expect(periodOf(addDays(last, 1))).toBe(nextPeriod(periodOf(date)));
      }),
    );
  });
});

describe('business date of an instant', () => {
  it('is the wall-clock date in the business zone, whatever the server zone', () => {
    // Prepare: 16:30 UTC on Oct 3 is already 00:30 on Oct 4 in Shanghai.
    const instant = new Date('2026-10-03T16:30:00Z');
    // Act & Assess
    expect(businessDateOf(instant, 'Asia/Shanghai')).toBe('2026-10-04');
    expect(businessDateOf(instant, 'UTC')).toBe('2026-10-03');
    expect(businessDateOf(instant, 'America/New_York')).toBe('2026-10-03');
  });

  it('matches a fixed UTC+8 offset for Shanghai', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2100-01-01T00:00:00Z') }), (ms) => {
        const shifted = new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
        expect(businessDateOf(new Date(ms), 'Asia/Shanghai')).toBe(shifted);
      }),
    );
  });
});

describe('late reports', () => {
  it('are due by the 3rd of the next month', () => {
    expect(lateDeadline('2026-10')).toBe('2026-11-03');
    expect(lateDeadline('2026-12')).toBe('2027-01-03');
  });

  it('are on time until the end of the 3rd in the business zone, late from its first millisecond after', () => {
    expect(isLate('2026-10', new Date('2026-11-03T23:59:59.999+08:00'), 'Asia/Shanghai')).toBe(false);
    expect(isLate('2026-10', new Date('2026-11-04T00:00:00.000+08:00'), 'Asia/Shanghai')).toBe(true);
    // 2026-11-03T20:00Z is already the 4th in Shanghai, but still the 3rd in UTC.
    expect(isLate('2026-10', new Date('2026-11-03T20:00:00Z'), 'Asia/Shanghai')).toBe(true);
    expect(isLate('2026-10', new Date('2026-11-03T20:00:00Z'), 'UTC')).toBe(false);
  });

  it('are never late when received during the month itself', () => {
    expect(isLate('2026-10', new Date('2026-10-31T12:00:00+08:00'), 'Asia/Shanghai')).toBe(false);
  });
});

describe('Excel serial dates (1900 system)', () => {
  it('maps the serials Excel shows', () => {
    expect(fromExcelSerial(1)).toBe('1900-01-01');
    expect(fromExcelSerial(59)).toBe('1900-02-28');
    expect(fromExcelSerial(61)).toBe('1900-03-01');
    expect(fromExcelSerial(46298)).toBe('2026-10-03');
    expect(toExcelSerial('2026-10-03')).toBe(46298);
  });

  it('has no date for serial 60, the 1900-02-29 that never was, nor for 0 or fractions', () => {
    expect(fromExcelSerial(60)).toBeUndefined();
    expect(fromExcelSerial(0)).toBeUndefined();
    expect(fromExcelSerial(46298.5)).toBeUndefined();
  });

  it('round-trips every serial but 60', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_958_465 }).filter((n) => n !== 60), (serial) => {
        const date = fromExcelSerial(serial);
        expect(date).toBeDefined();
        expect(toExcelSerial(date ?? '')).toBe(serial);
      }),
    );
  });

  it('round-trips every date from 1900 on', () => {
    fc.assert(
      fc.property(anyDate, (date) => {
        expect(fromExcelSerial(toExcelSerial(date))).toBe(date);
      }),
    );
  });
});
