/**
 * Amounts in Chinese capital numerals (中文大写金额), as the fee invoice prints its total.
 *
 * The convention is the People's Bank of China's 《支付结算办法》, annex 《正确填写票据和结算凭证的
 * 基本规定》, with these choices where it allows two forms:
 * - 整 follows 元 only: ¥142.00 = 壹佰肆拾贰元整. An amount ending at 角 takes no 整
 *   (¥2.30 = 贰元叁角, ¥0.50 = 伍角; the rule says 整 "may be omitted" after 角), and one
 *   ending at 分 never does.
 * - A zero 角 between 元 and a non-zero 分 is written 零 (mandatory): ¥20.05 = 贰拾元零伍分.
 *   The optional 零 after 元 when the units of yuan are zero and 角 is not is left out:
 *   ¥1,680.32 = 壹仟陆佰捌拾元叁角贰分.
 * - Inside the yuan, a run of zeros between non-zero digits is one 零 (¥6,007 = 陆仟零柒元整),
 *   including across a 万 or 亿 boundary (¥10,010 = 壹万零壹拾元整, ¥100,010,000 =
 *   壹亿零壹万元整); trailing zeros of a group are silent (¥107,000 = 壹拾万柒仟元整).
 * - Tens are always written with their digit, 壹拾 not 拾, so nothing can be added in front.
 * - Zero is 零元整.
 *
 * The arithmetic is done on `bigint` so that no division of a float is ever involved.
 */
import type { Fen } from './money.js';

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;
/** Units inside a group of four digits, from the units place up. */
const PLACES = ['', '拾', '佰', '仟'] as const;

/** Every character `toChineseCapital` may write. */
export const CAPITAL_CHARACTERS = '零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整';

const digit = (d: bigint): string => DIGITS[Number(d)] ?? '';

/** 1–9999 read within its group of four: inner zero runs become one 零, trailing zeros are silent. */
function readGroup(n: bigint): string {
  let text = '';
  let pendingZero = false;
  for (let place = 3; place >= 0; place -= 1) {
    const d = (n / 10n ** BigInt(place)) % 10n;
    if (d === 0n) {
      pendingZero = text !== '';
    } else {
      text += `${pendingZero ? '零' : ''}${digit(d)}${PLACES[place]}`;
      pendingZero = false;
    }
  }
  return text;
}

/**
 * A positive whole number of yuan. Above 亿 the high part is read as a number of its own
 * (壹万零壹亿), so the reading works for every amount a `Fen` can hold. The lower part gets a
 * 零 when its leading place is zero: 壹万零伍 but 壹万伍仟.
 */
function readYuan(n: bigint): string {
  for (const [size, unit] of [[100_000_000n, '亿'], [10_000n, '万']] as const) {
    if (n >= size) {
      const high = n / size;
      const low = n % size;
      const lowText = low === 0n ? '' : `${low < size / 10n ? '零' : ''}${readYuan(low)}`;
      return `${readYuan(high)}${unit}${lowText}`;
    }
  }
  return readGroup(n);
}

/**
 * The amount in Chinese capital numerals: ¥1,234.56 = 壹仟贰佰叁拾肆元伍角陆分,
 * ¥142.00 = 壹佰肆拾贰元整, ¥1,000.05 = 壹仟元零伍分 (conventions in the module comment).
 * Throws a RangeError for a negative amount: a form writes a credit as its own line, never a
 * negative total in words.
 */
export function toChineseCapital(amount: Fen): string {
  if (amount < 0) throw new RangeError(`A capital amount cannot be negative: ${amount}`);
  const fen = BigInt(amount);
  const yuan = fen / 100n;
  const jiao = (fen / 10n) % 10n;
  const cents = fen % 10n;
  if (fen === 0n) return '零元整';
  const yuanText = yuan === 0n ? '' : `${readYuan(yuan)}元`;
  if (jiao === 0n && cents === 0n) return `${yuanText}整`;
  const jiaoText = jiao !== 0n ? `${digit(jiao)}角` : yuan !== 0n ? '零' : '';
  const centsText = cents !== 0n ? `${digit(cents)}分` : '';
  return `${yuanText}${jiaoText}${centsText}`;
}

/**
 * An amount in capitals that may be negative, as finance writes a credit note's total:
 * 负 before the amount's capitals (-¥71.00 = 负柒拾壹元整).
 */
export const toChineseCapitalSigned = (amount: Fen): string =>
  amount < 0 ? `负${toChineseCapital(-amount as Fen)}` : toChineseCapital(amount);
