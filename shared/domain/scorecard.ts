/**
 * A dealer's month, scored (domain.md, "Complaints and service quality"): the figures of
 * shared/domain/kpi.ts — one definition each, shared with the statistics — each with its
 * target, a pass or fail, and the repairs or complaints that broke it by id; beside them the
 * maker's own verification (shared/domain/verification.ts) when the month was sampled.
 *
 * Decisions the domain leaves open, taken here:
 * - **Repairs without an arrival** cannot be on file: the repair report requires arrived_at
 *   (and rejects one before the call), so every counted repair has both times.
 * - **Fixed within 48 h** must hold for every repair (target 100 %: 48 h is the outer limit);
 *   `completed_48h` is the same figure under the name cli.md kept. Fixed within 24 h is the
 *   contract's aim, reported without a pass/fail of its own (target null).
 * - **Complaint rate:** the dealer's complaints received in the month (by received_at) that
 *   the department decided are the service's fault, over the month's repairs; the target is
 *   below 3 %. A month without repairs has no rate; it fails all the same when it has such a
 *   complaint, since the complaint is a breach whatever the denominator.
 * - **A month with nothing to count** has value null and pass null: not scored, not failed.
 */
import { periodOf, type Period } from './dates.js';
import { fixedWithin, isRepairCall, isSatisfied, isServiceFault, KPI_TARGETS, meetsTarget, percentOf, reachedWithin24h, type Target } from './kpi.js';
import type { Repair } from './report-validation.js';
import { dateOf, type LocalDateTime } from './values.js';
import { verifiedJson, type VerifiedFigures } from './verification.js';
import type { OverdueSteps } from './complaints.js';

export { percentOf } from './kpi.js';
export type { Target } from './kpi.js';

/** The figures of a scorecard with a target, in the order they are shown. */
export const SCORE_FIGURES = ['reached_24h', 'completed_48h', 'satisfaction', 'complaint_rate'] as const;
export type ScoreFigure = (typeof SCORE_FIGURES)[number];

/** The contract's targets: reached within 24 h ≥ 90 %, nothing beyond 48 h, satisfied ≥ 85 %, service-fault complaints < 3 %. */
export const SCORE_TARGETS: Readonly<Record<ScoreFigure, Target>> = {
  reached_24h: KPI_TARGETS.reached_24h,
  completed_48h: KPI_TARGETS.fixed_48h,
  satisfaction: KPI_TARGETS.satisfaction,
  complaint_rate: KPI_TARGETS.complaint_rate,
};

/** What the scorecard needs of a complaint. */
export interface ScoredComplaint {
  readonly complaint_id: string;
  readonly dealer_code: string;
  readonly received_at: LocalDateTime;
  readonly service_fault: boolean | null;
}

/** One figure: the exact share, its percentage with one decimal place, the target, the verdict and the records that broke it. */
export interface ScoreLine {
  readonly numerator: number;
  readonly denominator: number;
  /** One decimal place, truncated; null when there was nothing to count. */
  readonly value: string | null;
  /** null for a figure reported without a target. */
  readonly target: string | null;
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
  readonly fixed_24h: ScoreLine;
  readonly fixed_48h: ScoreLine;
  readonly completed_48h: ScoreLine;
  readonly satisfaction: ScoreLine;
  readonly complaint_rate: ScoreLine;
}

const targetText = (target: Target): string => `${target.percent}.0`;

function line(target: Target | null, numerator: number, denominator: number, breaches: readonly string[], failsWhenEmpty = false): ScoreLine {
  const counted = denominator > 0;
  const pass = target === null ? null : counted ? meetsTarget(target, { numerator, denominator }) : failsWhenEmpty && breaches.length > 0 ? false : null;
  return { numerator, denominator, value: counted ? percentOf(numerator, denominator) : null, target: target === null ? null : targetText(target), pass, breaches };
}

/** What scoring needs of a repair record. */
export type ScoredRepair = Pick<Repair, 'repair_id' | 'called_at' | 'arrived_at' | 'completed_date' | 'satisfaction' | 'service_type'>;

/**
 * Scores one dealer's month from its repair report's records and its complaints. Records of
 * other service types, and complaints of other dealers or months, are left out here, so a
 * caller may pass what it has.
 */
export function scoreMonth(dealer: string, period: Period, repairs: Iterable<ScoredRepair>, complaints: Iterable<ScoredComplaint>): Scorecard {
  let count = 0;
  const late: string[] = [];
  const beyond24: string[] = [];
  const beyond48: string[] = [];
  const dissatisfied: string[] = [];
  for (const repair of repairs) {
    if (!isRepairCall(repair)) continue;
    count += 1;
    if (!reachedWithin24h(repair)) late.push(repair.repair_id);
    if (!fixedWithin(repair, 24)) beyond24.push(repair.repair_id);
    if (!fixedWithin(repair, 48)) beyond48.push(repair.repair_id);
    if (!isSatisfied(repair)) dissatisfied.push(repair.repair_id);
  }
  const faults: string[] = [];
  for (const complaint of complaints) {
    if (complaint.dealer_code === dealer && isServiceFault(complaint) && periodOf(dateOf(complaint.received_at)) === period) faults.push(complaint.complaint_id);
  }
  const fixed48 = line(KPI_TARGETS.fixed_48h, count - beyond48.length, count, beyond48);
  return {
    dealer,
    period,
    repairs: count,
    reached_24h: line(KPI_TARGETS.reached_24h, count - late.length, count, late),
    fixed_24h: line(null, count - beyond24.length, count, beyond24),
    fixed_48h: fixed48,
    completed_48h: fixed48,
    satisfaction: line(KPI_TARGETS.satisfaction, count - dissatisfied.length, count, dissatisfied),
    complaint_rate: line(KPI_TARGETS.complaint_rate, faults.length, count, faults, true),
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

/** cli.md's JSON of one dealer's scorecard; with `verified` when the card carries the maker's figures. */
export const scorecardJson = (card: Scorecard & { readonly verified?: VerifiedFigures | null; readonly overdue_steps?: readonly OverdueSteps[] }) => ({
  dealer: card.dealer,
  repairs: card.repairs,
  reached_24h: scoreLineJson(card.reached_24h),
  completed_48h: scoreLineJson(card.completed_48h),
  satisfaction: scoreLineJson(card.satisfaction),
  complaint_rate: scoreLineJson(card.complaint_rate),
  fixed_24h: scoreLineJson(card.fixed_24h),
  fixed_48h: scoreLineJson(card.fixed_48h),
  ...(card.verified === undefined ? {} : { verified: card.verified === null ? null : verifiedJson(card.verified) }),
  ...(card.overdue_steps === undefined ? {} : { overdue_steps: card.overdue_steps }),
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

/** Finite shortfalls are within ±10,001 hundredths of a percent; the offset keeps them positive, the width sorts them as text. */
const RANK_OFFSET = 1_000_000;
const RANK_WIDTH = 7;

/**
 * The card's place in its month, worst first, as a key that sorts as text: `byWorstFigure`'s
 * order (the largest shortfall first, then dealer code) kept in an index. A complaint that
 * fails a month without repairs (MAX_SAFE_INTEGER) comes before every finite miss, a month with
 * nothing scored (-Infinity) after every figure.
 */
export function rankKey(card: Scorecard): string {
  const worst = worstShortfall(card);
  if (worst === Number.NEGATIVE_INFINITY) return `2#${card.dealer}`;
  if (worst >= Number.MAX_SAFE_INTEGER) return `0#${card.dealer}`;
  if (!Number.isInteger(worst) || Math.abs(worst) >= RANK_OFFSET) throw new Error(`shortfall ${worst} of ${card.dealer} is out of the rank's range`);
  return `1#${String(RANK_OFFSET - worst).padStart(RANK_WIDTH, '0')}#${card.dealer}`;
}
