import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAPITAL_CHARACTERS, toChineseCapital } from '../../shared/domain/capitals.js';
import { parseYuan, toFen } from '../../shared/domain/money.js';

const capital = (yuan: string): string => toChineseCapital(parseYuan(yuan));

const DIGIT_VALUES = new Map([...'零壹贰叁肆伍陆柒捌玖'].map((c, i) => [c, BigInt(i)]));
const PLACE_VALUES = new Map([['拾', 10n], ['佰', 100n], ['仟', 1000n]]);

/**
 * Reads capital numerals back to fen, written independently of the implementation: a digit
 * waits for its place; 万 multiplies what is pending below 亿; 亿 multiplies everything so far.
 */
function fromChineseCapital(text: string): bigint {
  let total = 0n;
  let section = 0n;
  let digit = 0n;
  let yuan = 0n;
  let fen = 0n;
  for (const c of text) {
    const d = DIGIT_VALUES.get(c);
    const place = PLACE_VALUES.get(c);
    if (d !== undefined) digit = d;
    else if (place !== undefined) { section += digit * place; digit = 0n; }
    else if (c === '万') { section = (section + digit) * 10_000n; digit = 0n; }
    else if (c === '亿') { total = (total + section + digit) * 100_000_000n; section = 0n; digit = 0n; }
    else if (c === '元') { yuan = total + section + digit; total = 0n; section = 0n; digit = 0n; }
    else if (c === '角') { fen += digit * 10n; digit = 0n; }
    else if (c === '分') { fen += digit; digit = 0n; }
    else if (c !== '整') throw new Error(`unexpected ${c}`);
  }
  return yuan * 100n + fen;
}

describe('Chinese capital numerals', () => {
  it.each([
    ['1234.56', '壹仟贰佰叁拾肆元伍角陆分'],
    ['142.00', '壹佰肆拾贰元整'],
    ['0', '零元整'],
    ['0.05', '伍分'],
    ['0.55', '伍角伍分'],
    ['1', '壹元整'],
    ['10', '壹拾元整'],
    ['15', '壹拾伍元整'],
    ['110', '壹佰壹拾元整'],
  ])('write %s as %s', (yuan, words) => {
    // Act / Assess
    expect(capital(yuan)).toBe(words);
  });

  describe('an amount ending at 元, 角 or 分', () => {
    it('ends with 整 after 元', () => {
      expect(capital('142.00')).toBe('壹佰肆拾贰元整');
    });

    it('takes no 整 after 角 (the rule lets it be left out)', () => {
      expect(capital('2.30')).toBe('贰元叁角');
      expect(capital('0.50')).toBe('伍角');
    });

    it('never takes 整 after 分', () => {
      expect(capital('20.05')).toBe('贰拾元零伍分');
    });
  });

  describe('zeros', () => {
    it.each([
      ['1005.00', '壹仟零伍元整'],
      ['1050.00', '壹仟零伍拾元整'],
      ['6007.14', '陆仟零柒元壹角肆分'],
      ['1409.50', '壹仟肆佰零玖元伍角'],
    ])('write a run of zeros inside the yuan as one 零: %s = %s', (yuan, words) => {
      expect(capital(yuan)).toBe(words);
    });

    it.each([
      ['1000.05', '壹仟元零伍分'],
      ['20.05', '贰拾元零伍分'],
      ['16409.02', '壹万陆仟肆佰零玖元零贰分'],
    ])('write 零 between 元 and 分 when 角 is zero: %s = %s', (yuan, words) => {
      expect(capital(yuan)).toBe(words);
    });

    it('leave out the optional 零 after 元 when the units of yuan are zero but 角 is not', () => {
      expect(capital('1680.32')).toBe('壹仟陆佰捌拾元叁角贰分');
    });

    it('keep trailing zeros of a group silent', () => {
      expect(capital('107000.53')).toBe('壹拾万柒仟元伍角叁分');
    });
  });

  describe('万 and 亿', () => {
    it.each([
      ['10010.00', '壹万零壹拾元整'],
      ['10000.00', '壹万元整'],
      ['15000.00', '壹万伍仟元整'],
      ['100000.00', '壹拾万元整'],
      ['100000000', '壹亿元整'],
      ['100010000', '壹亿零壹万元整'],
      ['100000001', '壹亿零壹元整'],
      ['110000000', '壹亿壹仟万元整'],
      ['1234567890.12', '壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分'],
      ['1000100000000', '壹万零壹亿元整'],
      ['90071992547409.91', '玖拾万零柒佰壹拾玖亿玖仟贰佰伍拾肆万柒仟肆佰零玖元玖角壹分'],
    ])('group by 万 and 亿 with 零 across an empty place: %s = %s', (yuan, words) => {
      expect(capital(yuan)).toBe(words);
    });
  });

  it('refuses a negative amount', () => {
    expect(() => toChineseCapital(toFen(-1))).toThrow(RangeError);
  });

  const anyAmount = fc.oneof(
    fc.integer({ min: 0, max: 1_000_000 }),
    fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    // Sparse digits, where the zero rules matter most.
    fc.array(fc.constantFrom(0, 0, 0, 1, 5, 9), { minLength: 1, maxLength: 15 }).map((ds) => Number(ds.join(''))),
  ).map(toFen);

  it('use only the capital digits, the places, 万, 亿, 元, 角, 分 and 整', () => {
    fc.assert(
      fc.property(anyAmount, (amount) => {
        // Act
        const words = toChineseCapital(amount);

        // Assess
        expect([...words].every((c) => CAPITAL_CHARACTERS.includes(c))).toBe(true);
        if (amount > 0) expect(words).not.toMatch(/零零|零元|零万|零亿|^零/);
      }),
    );
  });

  it('read back to the same amount, so distinct amounts never share their words', () => {
    fc.assert(
      fc.property(anyAmount, (amount) => {
        // Act / Assess
        expect(fromChineseCapital(toChineseCapital(amount))).toBe(BigInt(amount));
      }),
    );
  });

  it('differ for every amount of a sample', () => {
    fc.assert(
      fc.property(fc.uniqueArray(anyAmount, { minLength: 2, maxLength: 200 }), (amounts) => {
        // Act
        const words = new Set(amounts.map(toChineseCapital));

        // Assess
        expect(words.size).toBe(amounts.length);
      }),
    );
  });
});
