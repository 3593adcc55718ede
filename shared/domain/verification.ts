/**
 * The maker's own verification (domain.md, "The maker verifies"): each month a sample of each
 * dealer's repair calls for the maker's return call (回访/满意度调查), the outcome of each call,
 * and the maker's figures set beside the dealer's own report.
 *
 * Decisions the domain leaves open, taken here:
 * - **Size:** the configured share of the dealer's repair calls, rounded up, and at least the
 *   configured minimum (all of them when the dealer has fewer).
 * - **Reproducible:** repairs are ordered by a 32-bit FNV-1a hash of dealer, month and repair
 *   id, and the first ones are taken: the same report gives the same list every time, on every
 *   machine, and one repair more or less in the report moves no other repair's place.
 * - Return visits are never sampled: they are follow-ups, not repairs (shared/domain/kpi.ts).
 * - **Recorded again:** a second call about a repair replaces the outcome, the earlier one kept
 *   with who recorded it and when (recordCall).
 * - **Flag:** exact shares of the same repairs compared, margin in percentage points (verifiedFigures).
 */
import type { Period } from './dates.js';
import { VERIFICATION_CALL_FIELDS, type FieldSpec } from './fields.js';
import { isRepairCall, isSatisfied, percentOf, shareText, type Share } from './kpi.js';
import type { Repair, Satisfaction } from './report-validation.js';
import { createTableValidator, fieldNamed, must, type RowReader, type RowRules, type TableValidator } from './table-validation.js';
import type { LocalDateTime } from './values.js';

export interface SampleRule {
  /** Whole percent of the month's repair calls, 1–100. */
  readonly sharePercent: number;
  /** At least this many repairs (all when fewer). */
  readonly minimum: number;
}

export const DEFAULT_SAMPLE_RULE: SampleRule = { sharePercent: 10, minimum: 3 };

/** 32-bit FNV-1a over the UTF-16 code units of `text`. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** How many of `count` repair calls the sample holds. */
export const sampleSize = (count: number, rule: SampleRule): number => Math.min(count, Math.max(rule.minimum, Math.ceil((count * rule.sharePercent) / 100)));

/** The repair ids drawn for the maker's call, in the order drawn. */
export function drawSample(dealer: string, period: string, repairs: Iterable<Pick<Repair, 'repair_id' | 'service_type'>>, rule: SampleRule = DEFAULT_SAMPLE_RULE): string[] {
  const ids = [...new Set([...repairs].filter(isRepairCall).map((r) => r.repair_id))];
  const key = (id: string): number => fnv1a(`${dealer}\u0000${period}\u0000${id}`);
  return ids.sort((a, b) => key(a) - key(b) || (a < b ? -1 : a > b ? 1 : 0)).slice(0, sampleSize(ids.length, rule));
}

/** What the maker's call about one repair found: the customer reached, the repair confirmed, how satisfied. */
export interface CallOutcome {
  readonly reached: boolean;
  /** Whether the customer confirms the repair was done as reported; null when not asked (or not reached). */
  readonly confirmed: boolean | null;
  readonly satisfaction: Satisfaction | null;
}

/** An outcome replaced by a later call about the same repair, with who recorded it and when. */
export interface ReplacedOutcome extends CallOutcome {
  readonly recorded_at: LocalDateTime;
  readonly recorded_by: string;
}

/**
 * The maker's call about one repair of a dealer's month. Recording the same repair again
 * replaces the outcome (a customer not reached is called again; a wrong answer is put right)
 * and keeps the one replaced in `history`: the department's record of its own calls, like a
 * complaint's fault decision, is revisable with every change kept.
 */
export interface VerificationCall extends CallOutcome {
  readonly dealer: string;
  readonly period: Period;
  readonly repair_id: string;
  readonly recorded_at: LocalDateTime;
  readonly recorded_by: string;
  /** 1 when first recorded, one more at every replacement: the store writes on the version read. */
  readonly version: number;
  /** Earlier outcomes, oldest first. */
  readonly history: readonly ReplacedOutcome[];
}

/** Why an outcome was refused, naming the field and the value, in both languages. */
export interface OutcomeProblem {
  readonly field: string;
  readonly value: string | null;
  readonly message: string;
  readonly message_zh: string;
}

/** The answers an outcome gives although the customer was not reached: a customer not reached answered nothing. */
export function answersWithoutReach(outcome: CallOutcome): ('confirmed' | 'satisfaction')[] {
  if (outcome.reached) return [];
  return [...(outcome.confirmed !== null ? (['confirmed'] as const) : []), ...(outcome.satisfaction !== null ? (['satisfaction'] as const) : [])];
}

const sameOutcome = (a: CallOutcome, b: CallOutcome): boolean => a.reached === b.reached && a.confirmed === b.confirmed && a.satisfaction === b.satisfaction;

/**
 * The call recorded (pure): a new call at version 1, or `existing` replaced with its outcome
 * kept in the history; `existing` itself when the outcome is the same (a retry changes
 * nothing). A customer not reached can have confirmed nothing and given no satisfaction:
 * such an outcome is refused.
 */
export function recordCall(
  existing: VerificationCall | undefined,
  key: { readonly dealer: string; readonly period: Period; readonly repair_id: string },
  outcome: CallOutcome,
  by: string,
  at: LocalDateTime,
): { readonly call: VerificationCall; readonly changed: boolean } | { readonly problems: readonly OutcomeProblem[] } {
  const problems = answersWithoutReach(outcome).map((field): OutcomeProblem =>
    field === 'confirmed'
      ? { field, value: outcome.confirmed ? 'yes' : 'no', message: 'confirmed: a customer not reached cannot have confirmed the repair; leave it out or record reached yes', message_zh: 'confirmed：未联系到用户，不能填写是否确认维修；请留空，或将联系到填为“是”' }
      : { field, value: outcome.satisfaction, message: 'satisfaction: a customer not reached gave no satisfaction; leave it out or record reached yes', message_zh: 'satisfaction：未联系到用户，不能填写满意度；请留空，或将联系到填为“是”' },
  );
  if (problems.length > 0) return { problems };
  if (existing !== undefined && sameOutcome(existing, outcome)) return { call: existing, changed: false };
  const history = existing === undefined ? [] : [...existing.history, { reached: existing.reached, confirmed: existing.confirmed, satisfaction: existing.satisfaction, recorded_at: existing.recorded_at, recorded_by: existing.recorded_by }];
  return {
    call: { ...key, ...outcome, recorded_at: at, recorded_by: by, version: existing === undefined ? 1 : existing.version + 1, history },
    changed: true,
  };
}

/** One verified figure beside what the dealer reported for the same repairs. */
export interface VerifiedLine extends Share {
  /** The dealer's own report of the same repairs, over the same denominator. */
  readonly reported: number;
  /** Whether the verified share falls short of the reported one by more than the margin. */
  readonly flag: boolean;
}

/** The maker's verification of a dealer's month, set beside the dealer's own report. */
export interface VerifiedFigures {
  /** Repairs the sample holds now. */
  readonly sampled: number;
  /** Calls recorded about repairs of the month's current report. */
  readonly called: number;
  /** Customers reached, of the calls. */
  readonly reached: Share;
  /** Repairs the customer confirmed (verified) against those the report says were confirmed, of the reached calls that asked. */
  readonly confirmed: VerifiedLine;
  /** Customers satisfied (满意 + 基本满意) by the maker's call against the report's satisfaction, of the reached calls that asked. */
  readonly satisfaction: VerifiedLine;
  /** The margin, in percentage points. */
  readonly marginPercent: number;
  /** Any figure flagged. */
  readonly flag: boolean;
}

/** What verification needs of a repair record: the dealer's own report of it. */
export type VerifiedRepair = Pick<Repair, 'repair_id' | 'service_type' | 'customer_confirmed' | 'satisfaction'>;

/**
 * Whether the verified share v/d falls short of the reported share r/d by more than
 * `marginPercent` percentage points, exactly: 100·(r − v) > margin·d.
 */
export const fallsShort = (reported: number, verified: number, denominator: number, marginPercent: number): boolean =>
  denominator > 0 && 100 * (reported - verified) > marginPercent * denominator;

/**
 * The maker's figures of a dealer's month (domain.md, "The maker verifies"), each set against
 * the dealer's report **of the same repairs**, so that the comparison is exact (no sampling
 * error between a month's share and a sample's): of the reached calls that asked, how many
 * the customer confirmed against how many the report marks confirmed (用户确认), and how many
 * were satisfied against how many the report says were. A figure is flagged when the verified
 * share falls short of the reported one by more than the margin (percentage points). Calls
 * about repairs no longer on the month's current report (re-uploaded without them) are not
 * counted; return visits are never verified.
 */
export function verifiedFigures(sample: readonly string[], calls: Iterable<CallOutcome & { readonly repair_id: string }>, repairs: Iterable<VerifiedRepair>, marginPercent: number): VerifiedFigures {
  const reportOf = new Map<string, VerifiedRepair>();
  for (const repair of repairs) if (isRepairCall(repair)) reportOf.set(repair.repair_id, repair);
  let called = 0;
  let reached = 0;
  const confirmed = { numerator: 0, denominator: 0, reported: 0 };
  const satisfied = { numerator: 0, denominator: 0, reported: 0 };
  for (const call of calls) {
    const report = reportOf.get(call.repair_id);
    if (report === undefined) continue;
    called += 1;
    if (!call.reached) continue;
    reached += 1;
    if (call.confirmed !== null) {
      confirmed.denominator += 1;
      if (call.confirmed) confirmed.numerator += 1;
      if (report.customer_confirmed) confirmed.reported += 1;
    }
    if (call.satisfaction !== null) {
      satisfied.denominator += 1;
      if (isSatisfied({ satisfaction: call.satisfaction })) satisfied.numerator += 1;
      if (isSatisfied(report)) satisfied.reported += 1;
    }
  }
  const line = (s: typeof confirmed): VerifiedLine => ({ ...s, flag: fallsShort(s.reported, s.numerator, s.denominator, marginPercent) });
  const confirmedLine = line(confirmed);
  const satisfactionLine = line(satisfied);
  return {
    sampled: sample.length,
    called,
    reached: { numerator: reached, denominator: called },
    confirmed: confirmedLine,
    satisfaction: satisfactionLine,
    marginPercent,
    flag: confirmedLine.flag || satisfactionLine.flag,
  };
}

/** cli.md's `verified` of a scorecard: shares as one-decimal strings, truncated, beside the dealer's reported share of the same repairs. */
export const verifiedJson = (v: VerifiedFigures) => {
  const line = (l: VerifiedLine) => ({ value: shareText(l), reported: l.denominator === 0 ? null : percentOf(l.reported, l.denominator), of: l.denominator, flag: l.flag });
  return {
    sampled: v.sampled,
    called: v.called,
    reached: { value: shareText(v.reached), of: v.reached.denominator },
    confirmed: line(v.confirmed),
    satisfaction: line(v.satisfaction),
    margin: `${v.marginPercent}.0`,
    flag: v.flag,
  };
};

/** The margin when none is configured: ten percentage points. */
export const DEFAULT_MARGIN_PERCENT = 10;

export interface CallSheetContext {
  readonly master: { hasDealer(code: string): boolean };
}

/** One valid row of the return-call workbook, with its row so that a check against the reports can point at its cell. */
export interface CallEntity {
  readonly row: number;
  readonly dealer: string;
  readonly repair_id: string;
  readonly outcome: CallOutcome;
}

/**
 * The rules of the return-call workbook (厂家回访) that need no store: every cell read, the
 * dealer known, one row per repair of a dealer (two outcomes of one call in one file would
 * leave which one counts to the order of the rows), no answer from a customer not reached.
 * Whether the repair is on the dealer's reports and in its month's sample needs the reports:
 * the use case checks that.
 */
class CallSheetRules implements RowRules<CallEntity> {
  readonly fields = VERIFICATION_CALL_FIELDS;
  private readonly firstRows = new Map<string, number>();

  constructor(private readonly ctx: CallSheetContext) {}

  check(row: RowReader): CallEntity[] {
    this.fields.forEach((field) => row.read(field, field.required));
    const dealerField = this.field('dealer_code');
    const repairField = this.field('repair_id');
    const dealer = row.text(dealerField);
    const repairId = row.text(repairField);
    if (dealer !== undefined && !this.ctx.master.hasDealer(dealer)) row.flag(dealerField, 'unknown_dealer', { field: dealerField, value: dealer });
    if (dealer !== undefined && repairId !== undefined) {
      const key = `${dealer}\u0000${repairId}`;
      const first = this.firstRows.get(key);
      if (first === undefined) this.firstRows.set(key, row.row);
      else row.flag(repairField, 'duplicate_id', { field: repairField, value: repairId, firstRow: first });
    }
    const reached = row.text(this.field('reached'));
    if (reached === undefined) return [];
    const confirmed = row.text(this.field('confirmed'));
    const satisfaction = row.text(this.field('satisfaction'));
    const outcome: CallOutcome = {
      reached: reached === 'yes',
      confirmed: confirmed === undefined ? null : confirmed === 'yes',
      satisfaction: (satisfaction ?? null) as Satisfaction | null,
    };
    for (const name of answersWithoutReach(outcome)) {
      const field = this.field(name);
      row.flag(field, 'answer_without_reach', { field, value: must(row.text(field), field) });
    }
    if (row.issueCount > 0) return [];
    return [{ row: row.row, dealer: must(dealer, dealerField), repair_id: must(repairId, repairField), outcome }];
  }

  private field(name: string): FieldSpec {
    return fieldNamed(this.fields, name);
  }
}

/** A streaming validator for the return-call workbook: every row checked, a valid row yields its call. */
export function createCallSheetValidator(ctx: CallSheetContext): TableValidator<CallEntity> {
  return createTableValidator(new CallSheetRules(ctx));
}
