import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatYuan, formatYuanGrouped, multiply, parseYuan, sum, toFen, ZERO_FEN, type Fen } from '../../shared/domain/money.js';

/** Any amount a Fen can hold, negative included. */
const anyFen = (): fc.Arbitrary<Fen> =>
  fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }).map(toFen);

describe('reading yuan', () => {
  it.each([
    ['35.50', 3550],
    ['35.5', 3550],
    ['35', 3500],
    ['0.05', 5],
    ['0', 0],
    ['007.10', 710],
    ['90071992547409.91', Number.MAX_SAFE_INTEGER],
  ])('reads %s as %i fen', (text, fen) => {
    // Act / Assess
    expect(parseYuan(text)).toBe(fen);
  });

  it.each(['35.505', '1.234', '', '.5', '35.', '1e3', '+1', ' 1', '1,000.00', '¥1', 'abc', '３５', '0x10', '90071992547409.92'])(
    'refuses %j',
    (text) => {
      // Act / Assess
      expect(() => parseYuan(text)).toThrow(RangeError);
    },
  );

  it('refuses a negative amount unless the caller allows credits', () => {
    // Act / Assess
    expect(() => parseYuan('-1.20')).toThrow(/Negative/);
    expect(parseYuan('-1.20', { allowNegative: true })).toBe(-120);
  });

  it('reads minus zero as zero', () => {
    // Act / Assess
    expect(Object.is(parseYuan('-0.00'), 0)).toBe(true);
  });

  it('reads 0.1 and 0.2 into 0.3 exactly, where floats give 0.30000000000000004', () => {
    // Act
    const total = sum([parseYuan('0.1'), parseYuan('0.2')]);

    // Assess
    expect(formatYuan(total)).toBe('0.30');
    expect(total).toBe(parseYuan('0.3'));
  });
});

describe('writing yuan', () => {
  it.each([
    [3550, '35.50', '¥35.50'],
    [5, '0.05', '¥0.05'],
    [0, '0.00', '¥0.00'],
    [123456, '1234.56', '¥1,234.56'],
    [100000000, '1000000.00', '¥1,000,000.00'],
    [-5, '-0.05', '-¥0.05'],
    [-123456789, '-1234567.89', '-¥1,234,567.89'],
  ])('writes %i fen as %s and, for people, %s', (fen, plain, grouped) => {
    // Act / Assess
    expect(formatYuan(toFen(fen))).toBe(plain);
    expect(formatYuanGrouped(toFen(fen))).toBe(grouped);
  });

  it('gives back the amount it was read from (parse ∘ format is the identity)', () => {
    fc.assert(
      fc.property(anyFen(), (amount) => {
        // Act / Assess
        expect(parseYuan(formatYuan(amount), { allowNegative: true })).toBe(amount);
      }),
    );
  });

  it('writes what bigint arithmetic writes, digit for digit', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) }), (fen) => {
        // Act / Assess
        expect(formatYuan(toFen(Number(fen)))).toBe(`${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`);
      }),
    );
  });
});

describe('arithmetic on fen', () => {
  it('refuses a fraction of a fen or an unsafe count', () => {
    // Act / Assess
    expect(() => toFen(0.5)).toThrow(RangeError);
    expect(() => toFen(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
    expect(() => toFen(Number.NaN)).toThrow(RangeError);
  });

  it('multiplies a price by a whole quantity', () => {
    // Act / Assess
    expect(multiply(parseYuan('35.50'), 4)).toBe(parseYuan('142.00'));
    expect(() => multiply(parseYuan('35.50'), 1.5)).toThrow(RangeError);
  });

  it('throws rather than rounding when a product or a sum leaves the safe range', () => {
    // Prepare
    const big = toFen(Number.MAX_SAFE_INTEGER);

    // Act / Assess
    expect(() => multiply(big, 2)).toThrow(RangeError);
    expect(() => sum([big, toFen(1)])).toThrow(RangeError);
  });

  it('sums nothing to zero', () => {
    // Act / Assess
    expect(sum([])).toBe(ZERO_FEN);
  });

  it('sums exactly, as bigint arithmetic does, in any grouping', () => {
    // Amounts up to ¥10 million each keep any 1,000 of them inside the safe range.
    const amount = fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }).map(toFen);
    fc.assert(
      fc.property(fc.array(amount, { maxLength: 1000 }), fc.nat(), (amounts, cut) => {
        // Prepare
        const at = amounts.length === 0 ? 0 : cut % amounts.length;
        const expected = amounts.reduce((total, a) => total + BigInt(a), 0n);

        // Act
        const whole = sum(amounts);
        const grouped = sum([sum(amounts.slice(0, at)), sum(amounts.slice(at))]);

        // Assess
        expect(BigInt(whole)).toBe(expected);
        expect(grouped).toBe(whole);
      }),
    );
  });

  it('multiplies exactly, as bigint arithmetic does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 0, max: 10_000 }), (price, qty) => {
        // Act / Assess
        expect(BigInt(multiply(toFen(price), qty))).toBe(BigInt(price) * BigInt(qty));
      }),
    );
  });

  it('adds many decimal amounts without the drift of floats', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 1, maxLength: 200 }), (cents) => {
        // Prepare: amounts like "0.07", which binary floats cannot hold.
        const texts = cents.map((c) => `0.${String(c).padStart(2, '0')}`);

        // Act
        const total = sum(texts.map((t) => parseYuan(t)));

        // Assess
        expect(total).toBe(cents.reduce((a, b) => a + b, 0));
      }),
    );
  });
});
