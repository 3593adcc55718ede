import type { Caller } from '../../domain/access.js';
import type { BackOfficeConfig } from '../../config.js';
import { periodOf, type Period } from '../../domain/dates.js';
import { VERIFICATION_CALL_FIELDS } from '../../domain/fields.js';
import type { Issue } from '../../domain/issues.js';
import { makeIssue } from '../../domain/messages.js';
import { fieldNamed } from '../../domain/table-validation.js';
import { createCallSheetValidator, DEFAULT_SAMPLE_RULE, drawSample, recordCall, type CallEntity, type CallOutcome, type OutcomeProblem, type VerificationCall } from '../../domain/verification.js';
import { authorize, Refusal } from '../access.js';
import type { Clock, ComplaintStore, MasterStore, ReportStore, ScoreStore, VerificationStore } from '../ports.js';
import { keepMonthScore, keepMonthScores } from './month-scores.js';
import { readWholeWorkbook, uploadLimits, type ErrorWorkbookWriter, type WorkbookImport } from '../upload-pipeline.js';
import { repairsOf } from './scorecard.js';
import { businessNow } from './time.js';

export interface VerificationDeps {
  readonly reports: ReportStore;
  readonly master: MasterStore;
  readonly verification: VerificationStore;
  /** The month scores, whose cards show the maker's figures beside the dealer's (and the complaints they are scored with). */
  readonly scores: ScoreStore;
  readonly complaints: ComplaintStore;
  readonly clock: Clock;
  readonly config: Pick<BackOfficeConfig, 'businessTimeZone' | 'verificationSample' | 'verificationMarginPercent'>;
}

/** What recording one call came to. */
export type CallRecordResult =
  | { readonly status: 'recorded' | 'replaced' | 'unchanged'; readonly call: VerificationCall }
  | { readonly status: 'rejected'; readonly errors: readonly OutcomeProblem[] };

/** Attempts at a write that keeps losing the race to other writers of the same call before giving up. */
const WRITE_ATTEMPTS = 5;

/**
 * Records the outcome of the maker's call about one repair (`verification record`), by the
 * department: only a repair of its month's sample (placesInSample), written by saveCall.
 */
export async function recordVerificationCall(deps: VerificationDeps, caller: Caller, dealer: string, repair_id: string, outcome: CallOutcome): Promise<CallRecordResult> {
  authorize(caller, 'record_verification');
  const master = await deps.master.load();
  if (!master.dealers.has(dealer)) throw new Refusal('not_found', `Dealer "${dealer}" is not in the master data`, `经销商编码“${dealer}”不在经销商名录中`);
  const place = (await placesInSample(deps, dealer, [repair_id], new Map())).get(repair_id);
  if (place === undefined || place.status === 'not_reported') {
    throw new Refusal('not_found', `Repair ${repair_id} is on no current repair report of dealer ${dealer}`, `经销商 ${dealer} 的现行维修报表中没有维修单 ${repair_id}`);
  }
  if (place.status === 'not_sampled') {
    const { period, sample } = place;
    throw new Refusal(
      'invalid',
      `Repair ${repair_id} of dealer ${dealer} is not in the maker's sample of ${period} (${sample.join(', ') || 'none'}): only sampled repairs are called and recorded`,
      `经销商 ${dealer} 的维修单 ${repair_id} 不在 ${period} 的厂家抽查样本（${sample.join('、') || '无'}）中：只登记抽中的维修单`,
    );
  }
  const result = await saveCall(deps, { dealer, period: place.period, repair_id }, outcome, caller.subject);
  if (result.status === 'recorded' || result.status === 'replaced') await keepMonthScore(deps, dealer, place.period);
  return result;
}

/** Where a repair stands for the maker's call: on the dealer's current reports or not, and in its month's sample or not. */
type SamplePlace =
  | { readonly status: 'sampled'; readonly period: Period }
  | { readonly status: 'not_reported' }
  | { readonly status: 'not_sampled'; readonly period: Period; readonly sample: readonly string[] };

/**
 * The place of each of `repairIds` of one dealer (the one check of `verification record` and
 * the workbook import): the repair is found on the dealer's current repair reports, its month
 * is the one its completion date falls in, and it may be recorded only when that month's
 * sample holds it (the sample is what the maker committed to call: anything else would let the
 * department pick the repairs that flatter or damn a dealer). `samples` keeps each month's
 * sample by dealer and month, so that a file of many calls draws each once.
 */
async function placesInSample(deps: Pick<VerificationDeps, 'reports' | 'config'>, dealer: string, repairIds: readonly string[], samples: Map<string, readonly string[]>): Promise<Map<string, SamplePlace>> {
  const repairs = await deps.reports.repairRecords(dealer, repairIds);
  const places = new Map<string, SamplePlace>();
  for (const repair_id of repairIds) {
    const repair = repairs.get(repair_id);
    if (repair === undefined) {
      places.set(repair_id, { status: 'not_reported' });
      continue;
    }
    const period = periodOf(repair.completed_date);
    const key = `${dealer}\u0000${period}`;
    let sample = samples.get(key);
    if (sample === undefined) {
      sample = drawSample(dealer, period, (await repairsOf(deps.reports, dealer, period)) ?? [], deps.config.verificationSample ?? DEFAULT_SAMPLE_RULE);
      samples.set(key, sample);
    }
    places.set(repair_id, sample.includes(repair_id) ? { status: 'sampled', period } : { status: 'not_sampled', period, sample });
  }
  return places;
}

/**
 * Writes one call: a repair called before is replaced with the earlier outcome kept; a write
 * that loses a race reads the call again and replaces that one, so no outcome is lost from the
 * history.
 */
async function saveCall(deps: Pick<VerificationDeps, 'verification' | 'clock' | 'config'>, key: { readonly dealer: string; readonly period: Period; readonly repair_id: string }, outcome: CallOutcome, by: string): Promise<CallRecordResult> {
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const existing = await deps.verification.find(key.dealer, key.period, key.repair_id);
    const applied = recordCall(existing, key, outcome, by, businessNow(deps.clock.now(), deps.config.businessTimeZone));
    if ('problems' in applied) return { status: 'rejected', errors: applied.problems };
    if (!applied.changed) return { status: 'unchanged', call: applied.call };
    if ((await deps.verification.save(applied.call)) === 'saved') return { status: existing === undefined ? 'recorded' : 'replaced', call: applied.call };
  }
  throw new Refusal('conflict', `The call about repair ${key.repair_id} keeps being recorded by someone else meanwhile; read it again`, `维修单 ${key.repair_id} 的回访结果正被他人同时登记，请重新读取`);
}

export type CallImportResult = WorkbookImport<{
  readonly rows: number;
  readonly calls: number;
  /** Repairs called for the first time. */
  readonly recorded: number;
  /** Repairs whose earlier outcome this file replaced (kept in the call's history). */
  readonly replaced: number;
  /** Rows that repeat the outcome recorded (a re-import): nothing written. */
  readonly unchanged: number;
}>;

/**
 * Takes in the department's return-call workbook (厂家回访) through the one upload pipeline:
 * every row checked, and each row's repair placed on its dealer's current reports and in its
 * month's sample, by the checks of `verification record`; any error refuses the file whole,
 * with the annotated workbook, and records nothing. A clean file records each call as
 * `verification record` does (an earlier outcome replaced and kept in the history).
 */
export async function importVerificationCalls(
  deps: VerificationDeps & { readonly config: Pick<BackOfficeConfig, 'maxUploadBytes' | 'maxUploadRows'>; readonly errorWorkbook: ErrorWorkbookWriter },
  caller: Caller,
  request: { readonly bytes: Uint8Array; readonly receivedAt: Date },
): Promise<CallImportResult> {
  authorize(caller, 'record_verification');
  const master = await deps.master.load();
  const validator = createCallSheetValidator({ master: { hasDealer: (code) => master.dealers.has(code) } });
  const read = await readWholeWorkbook(
    request.bytes,
    { limits: uploadLimits(deps.config), fields: VERIFICATION_CALL_FIELDS },
    validator,
    async (entities) => {
      const { sampled, outside } = await placeCalls(deps, entities);
      return { issues: outside, checked: sampled };
    },
    deps.errorWorkbook,
  );
  if (read.status === 'refused') {
    const { rows, errors, warnings, errorReport } = read;
    return { status: 'rejected', counts: { rows, calls: 0, recorded: 0, replaced: 0, unchanged: 0 }, errors, warnings, errorReport };
  }
  const { summary, entities, checked: sampled } = read;
  const counts = { recorded: 0, replaced: 0, unchanged: 0 };
  for (const { key, outcome } of sampled) {
    const result = await saveCall(deps, key, outcome, caller.subject);
    // The validator refused every outcome recordCall refuses, so a clean file has none.
    if (result.status === 'rejected') throw new Error(`The call about repair ${key.repair_id} passed the workbook's checks but not recordCall's`);
    counts[result.status] += 1;
  }
  await keepMonthScores(deps, sampled.map(({ key }) => key));
  return { status: 'accepted', counts: { rows: summary.rows, calls: entities.length, ...counts }, errors: [], warnings: summary.warnings, errorReport: null };
}

const REPAIR_ID = fieldNamed(VERIFICATION_CALL_FIELDS, 'repair_id');

/** Each valid row's call keyed by its month, or the issue of a repair off the dealer's reports or outside its month's sample, naming the row. */
async function placeCalls(deps: Pick<VerificationDeps, 'reports' | 'config'>, entities: readonly CallEntity[]) {
  const byDealer = new Map<string, CallEntity[]>();
  for (const entity of entities) {
    const rows = byDealer.get(entity.dealer);
    if (rows === undefined) byDealer.set(entity.dealer, [entity]);
    else rows.push(entity);
  }
  const samples = new Map<string, readonly string[]>();
  const sampled: { readonly key: { readonly dealer: string; readonly period: Period; readonly repair_id: string }; readonly outcome: CallOutcome }[] = [];
  const outside: Issue[] = [];
  for (const [dealer, rows] of byDealer) {
    const places = await placesInSample(deps, dealer, rows.map((e) => e.repair_id), samples);
    for (const { row, repair_id, outcome } of rows) {
      const place = places.get(repair_id) ?? { status: 'not_reported' };
      const at = { row, column: REPAIR_ID.name, value: repair_id };
      if (place.status === 'sampled') sampled.push({ key: { dealer, period: place.period, repair_id }, outcome });
      else if (place.status === 'not_reported') outside.push(makeIssue('repair_not_reported', at, { field: REPAIR_ID, value: repair_id, dealer }));
      else outside.push(makeIssue('repair_not_sampled', at, { field: REPAIR_ID, value: repair_id, dealer, period: place.period, sample: place.sample }));
    }
  }
  return { sampled, outside };
}
