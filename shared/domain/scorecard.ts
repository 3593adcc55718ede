/**
 * A dealer's month, scored (domain.md, "Complaints and service quality"): four figures, each
 * with its target, a pass or fail, and the repairs or complaints that broke it by id.
 *
 * Decisions the domain leaves open, taken here:
 * - **Which records count:** repair calls only (service type 维修). A return visit (回访) is the
 *   dealer's own follow-up, not a call answered, so it counts in none of the four figures —
 *   satisfaction included, so that every figure has the same denominator, the month's repairs
 *   (the monthly statistics still count return visits in their own satisfaction share).
 * - **Repairs without an arrival** cannot be on file: the repair report requires arrived_at
 *   (and rejects one before the call), so every counted repair has both times.
 * - **Reached within 24 h:** arrived_at − called_at ≤ 24 h exactly, on the business zone's wall
 *   clock (every day 24 h long: exact in Asia/Shanghai, which has no daylight saving time).
 * - **Completed within 48 h:** by date, as the domain says: completed on the call's day or the
 *   next; the target is that none is later (100.0 %).
 * - **Complaint rate:** the dealer's complaints received in the month (by received_at) that the
 *   department decided are the service's fault, over the month's repairs; the target is
 *   below 3 %. A month without repairs has no rate; it fails all the same when it has such a
 *   complaint, since the complaint is a breach whatever the denominator.
 * - **A month with nothing to count** has value null and pass null: not scored, not failed.
 * - **Exactness:** a share is a pair of whole numbers; pass/fail compares by cross-multiplying,
 *   never on the rounded figure; the shown percentage is rounded half up to one decimal place
 *   in integer arithmetic (tenths of a percent = ⌊(2000·n + d) / 2d⌋), so no float drift.
 */
import { addDays, compareDates, periodOf, toDayNumber, parseIsoDate, type Period } from './dates.js';
import type { Repair } from './report-validation.js';
import { dateOf, type LocalDateTime } from './values.js';

/** The four figures of a scorecard, in the order they are shown. */
export const SCORE_FIGURES = ['reached_24h', 'completed_48h', 'satisfaction', 'complaint_rate'] as const;
export type ScoreFigure = (typeof SCORE_FIGURES)[number];

/** A target as a whole-number percentage and whether a share must reach it (≥) or stay below it (<). */
export interface Target {
  readonly percent: number;
  readonly rule: 'at_least' | 'below';
}

/** The contract's targets: reached within 24 h ≥ 90 %, nothing beyond 48 h, satisfied ≥ 85 %, service-fault complaints < 3 %. */
export const SCORE_TARGETS: Readonly<Record<ScoreFigure, Target>> = {
  reached_24h: { percent: 90, rule: 'at_least' },
  completed_48h: { percent: 100, rule: 'at_least' },
  satisfaction: { percent: 85, rule: 'at_least' },
  complaint_rate: { percent: 3, rule: 'below' },
};

/** What the scorecard needs of a complaint. */
export interface ScoredComplaint {
  readonly complaint_id: string;
  readonly dealer_code: string;
  readonly received_at: LocalDateTime;
  readonly service_fault: boolean;
}

/** One figure: the exact share, its percentage with one decimal place, the target, the verdict and the records that broke it. */
export interface ScoreLine {
  readonly numerator: number;
  readonly denominator: number;
  /** One decimal place, rounded half up; null when there was nothing to count. */
  readonly value: string | null;
  readonly target: string;
  readonly pass: boolean | null;
  /** Repair ids (or complaint ids for the complaint rate), in the order they were added. */
  readonly breaches: readonly string[];
}

export interface Scorecard {
  readonly dealer: string;
  readonly period: Period;
  /** Repair calls of the month: every figure's denominator. */
  readonly repairs: number;
  readonly reached_24h: ScoreLine;
  readonly completed_48h: ScoreLine;
  readonly satisfaction: ScoreLine;
  readonly complaint_rate: ScoreLine;
}

/** `numerator / denominator` as a percentage with one decimal place, rounded half up, in whole numbers only. */
export function percentOf(numerator: number, denominator: number): string {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || numerator < 0 || denominator <= 0) {
    throw new RangeError(`not a share: ${numerator}/${denominator}`);
  }
  const tenths = Math.floor((2000 * numerator + denominator) / (2 * denominator));
  return `${Math.floor(tenths / 10)}.${tenths % 10}`;
}

const targetText = (target: Target): string => `${target.percent}.0`;

/** Whether n/d meets the target, compared as n·100 against percent·d. */
function meets(target: Target, numerator: number, denominator: number): boolean {
  const scaled = numerator * 100;
  const limit = target.percent * denominator;
  return target.rule === 'at_least' ? scaled >= limit : scaled < limit;
}

function line(figure: ScoreFigure, numerator: number, denominator: number, breaches: readonly string[]): ScoreLine {
  const target = SCORE_TARGETS[figure];
  const counted = denominator > 0;
  const pass = counted ? meets(target, numerator, denominator) : figure === 'complaint_rate' && breaches.length > 0 ? false : null;
  return { numerator, denominator, value: counted ? percentOf(numerator, denominator) : null, target: targetText(target), pass, breaches };
}

/** Whole seconds since the day numbering's origin, on the business zone's wall clock. */
const secondOf = (at: LocalDateTime): number => {
  const ymd = parseIsoDate(dateOf(at));
  if (ymd === undefined) throw new RangeError(`not a date-time: ${at}`);
  return toDayNumber(ymd) * 86_400 + Number(at.slice(11, 13)) * 3600 + Number(at.slice(14, 16)) * 60 + Number(at.slice(17, 19) || 0);
};

/** Whole seconds from `from` to `to`. */
export const secondsBetween = (from: LocalDateTime, to: LocalDateTime): number => secondOf(to) - secondOf(from);

/** Whether the repair was reached within 24 hours of the call (exactly 24 h is in time). */
export const reachedWithin24h = (repair: Pick<Repair, 'called_at' | 'arrived_at'>): boolean =>
  secondsBetween(repair.called_at, repair.arrived_at) <= 24 * 3600;

/** Whether the repair was completed within the 48-hour outer limit: on the call's day or the next. */
export const completedWithin48h = (repair: Pick<Repair, 'called_at' | 'completed_date'>): boolean =>
  compareDates(repair.completed_date, addDays(dateOf(repair.called_at), 1)) <= 0;

/** Whether the customer was satisfied: 满意 or 基本满意. */
export const isSatisfied = (repair: Pick<Repair, 'satisfaction'>): boolean => repair.satisfaction !== 'dissatisfied';

/**
 * Scores one dealer's month from its repair report's records and its complaints. Records of
 * other service types, and complaints of other dealers or months, are left out here, so a
 * caller may pass what it has.
 */
export function scoreMonth(
  dealer: string,
  period: Period,
  repairs: Iterable<Pick<Repair, 'repair_id' | 'called_at' | 'arrived_at' | 'completed_date' | 'satisfaction' | 'service_type'>>,
  complaints: Iterable<ScoredComplaint>,
): Scorecard {
  let count = 0;
  const late: string[] = [];
  const beyond48: string[] = [];
  const dissatisfied: string[] = [];
  for (const repair of repairs) {
    if (repair.service_type !== 'repair') continue;
    count += 1;
    if (!reachedWithin24h(repair)) late.push(repair.repair_id);
    if (!completedWithin48h(repair)) beyond48.push(repair.repair_id);
    if (!isSatisfied(repair)) dissatisfied.push(repair.repair_id);
  }
  const faults: string[] = [];
  for (const complaint of complaints) {
    if (complaint.dealer_code === dealer && complaint.service_fault && periodOf(dateOf(complaint.received_at)) === period) faults.push(complaint.complaint_id);
  }
  return {
    dealer,
    period,
    repairs: count,
    reached_24h: line('reached_24h', count - late.length, count, late),
    completed_48h: line('completed_48h', count - beyond48.length, count, beyond48),
    satisfaction: line('satisfaction', count - dissatisfied.length, count, dissatisfied),
    complaint_rate: line('complaint_rate', faults.length, count, faults),
  };
}

/** How far a figure is from its target, for sorting by the worst figure: positive is a miss, in hundredths of a percent. */
export function shortfall(figure: ScoreFigure, score: ScoreLine): number {
  if (score.denominator === 0) return score.pass === false ? Number.MAX_SAFE_INTEGER : Number.NEGATIVE_INFINITY;
  const target = SCORE_TARGETS[figure];
  const basisPoints = Math.floor((score.numerator * 10_000) / score.denominator);
  return target.rule === 'at_least' ? target.percent * 100 - basisPoints : basisPoints - target.percent * 100 + 1;
}

/** The scorecard's worst figure's shortfall: what "sortable by the worst figure" sorts on, descending. */
export const worstShortfall = (card: Scorecard): number => Math.max(...SCORE_FIGURES.map((figure) => shortfall(figure, card[figure])));

/** cli.md's JSON of one figure. */
export const scoreLineJson = (score: ScoreLine) => ({ value: score.value, target: score.target, pass: score.pass, breaches: [...score.breaches] });

/** cli.md's JSON of one dealer's scorecard. */
export const scorecardJson = (card: Scorecard) => ({
  dealer: card.dealer,
  repairs: card.repairs,
  reached_24h: scoreLineJson(card.reached_24h),
  completed_48h: scoreLineJson(card.completed_48h),
  satisfaction: scoreLineJson(card.satisfaction),
  complaint_rate: scoreLineJson(card.complaint_rate),
});

/** The twelve months ending with `last`, oldest first: the months a trend shows side by side. */
export function twelveMonthsTo(last: Period): Period[] {
  const months: Period[] = [];
  let [year, month] = last.split('-').map(Number) as [number, number];
  for (let i = 0; i < 12; i++) {
    months.unshift(`${year}-${String(month).padStart(2, '0')}`);
    month -= 1;
    if (month === 0) {
      month = 12;
      year -= 1;
    }
  }
  return months;
}
