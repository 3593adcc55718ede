/**
 * One definition of each service figure (domain.md, "A dealer's month, scored"), used by the
 * scorecard, the monthly statistics and the portal alike, so that one month can only ever
 * give one set of figures.
 *
 * - **Which records count:** repair calls only (service type 维修). A return visit (回访) is a
 *   follow-up and is counted apart, in none of the figures.
 * - **Reached within 24 h:** arrived_at − called_at ≤ 24 h exactly, on the business zone's wall
 *   clock (every day 24 h long: exact in Asia/Shanghai, which has no daylight saving time).
 * - **Fixed within 24 h / 48 h:** the report gives completion as a date, so a repair is in
 *   time when its completion date is on or before the date of (call + 24 h) / (call + 48 h),
 *   Beijing time; adding whole days to a wall-clock time moves its date by as many days.
 * - **Satisfied:** 满意 or 基本满意.
 * - **Complaint rate:** complaints the department decided are the service's fault over the
 *   month's repairs; an undecided complaint (fault null) is not counted until decided.
 * - **Exactness:** a share is a pair of whole numbers; pass/fail compares by cross-multiplying;
 *   the one-decimal display is truncated (never rounded up) in integer arithmetic, so the
 *   shown figure can never contradict the verdict: 89.95 % shows 89.9 and fails "≥ 90".
 */
import { addDays, compareDates, parseIsoDate, toDayNumber } from './dates.js';
import type { Repair } from './report-validation.js';
import { dateOf, type LocalDateTime } from './values.js';

/** An exact share, numerator over denominator; a denominator of 0 means there was nothing to count. */
export interface Share {
  readonly numerator: number;
  readonly denominator: number;
}

/** A target as a whole-number percentage and whether a share must reach it (≥) or stay below it (<). */
export interface Target {
  readonly percent: number;
  readonly rule: 'at_least' | 'below';
}

/** The figures with a target of their own; fixed within 24 h is reported beside them, with none. */
export const KPI_TARGETS = {
  reached_24h: { percent: 90, rule: 'at_least' },
  fixed_48h: { percent: 100, rule: 'at_least' },
  satisfaction: { percent: 85, rule: 'at_least' },
  complaint_rate: { percent: 3, rule: 'below' },
} as const satisfies Record<string, Target>;

/** Whether n/d meets the target, compared as n·100 against percent·d; null when nothing was counted. */
export function meetsTarget(target: Target, share: Share): boolean | null {
  if (share.denominator === 0) return null;
  const scaled = share.numerator * 100;
  const limit = target.percent * share.denominator;
  return target.rule === 'at_least' ? scaled >= limit : scaled < limit;
}

/** `numerator / denominator` as a percentage with one decimal place, truncated (never rounded up), in whole numbers only. */
export function percentOf(numerator: number, denominator: number): string {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || numerator < 0 || denominator <= 0 || !Number.isSafeInteger(numerator * 1000)) {
    throw new RangeError(`not a share: ${numerator}/${denominator}`);
  }
  const tenths = Math.floor((1000 * numerator) / denominator);
  return `${Math.floor(tenths / 10)}.${tenths % 10}`;
}

/** A share's display, or null when nothing was counted. */
export const shareText = (share: Share): string | null => (share.denominator === 0 ? null : percentOf(share.numerator, share.denominator));

/** Whole seconds since the day numbering's origin, on the business zone's wall clock. */
const secondOf = (at: LocalDateTime): number => {
  const ymd = parseIsoDate(dateOf(at));
  if (ymd === undefined) throw new RangeError(`not a date-time: ${at}`);
  return toDayNumber(ymd) * 86_400 + Number(at.slice(11, 13)) * 3600 + Number(at.slice(14, 16)) * 60 + Number(at.slice(17, 19) || 0);
};

/** Whole seconds from `from` to `to`, both on the business zone's wall clock. */
export const secondsBetween = (from: LocalDateTime, to: LocalDateTime): number => secondOf(to) - secondOf(from);

/** Whether a record is a repair call, the only records the figures count. */
export const isRepairCall = (record: Pick<Repair, 'service_type'>): boolean => record.service_type === 'repair';

/** Whether the repair was reached within 24 hours of the call (exactly 24 h is in time). */
export const reachedWithin24h = (repair: Pick<Repair, 'called_at' | 'arrived_at'>): boolean => secondsBetween(repair.called_at, repair.arrived_at) <= 24 * 3600;

/** Whether the repair was completed on or before the date of the call + `hours` (24 or 48). */
export const fixedWithin = (repair: Pick<Repair, 'called_at' | 'completed_date'>, hours: 24 | 48): boolean =>
  compareDates(repair.completed_date, addDays(dateOf(repair.called_at), hours / 24)) <= 0;

/** Whether the customer was satisfied: 满意 or 基本满意. */
export const isSatisfied = (repair: Pick<Repair, 'satisfaction'>): boolean => repair.satisfaction !== 'dissatisfied';

/** Whether a complaint counts in the complaint rate: decided to be the service's fault. */
export const isServiceFault = (complaint: { readonly service_fault: boolean | null }): boolean => complaint.service_fault === true;
