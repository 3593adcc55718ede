/**
 * The month scores the worst-first list reads (issue 23): each dealer's month kept in the score
 * store, recomputed from fresh reads by every write that changes what its card shows: a repair
 * report becoming current, a complaint recorded or its fault decision changed, a maker's call
 * recorded (the figures beside the card; they move no rank).
 *
 * Two writers at once: each reads the kept month's stamp *before* reading the inputs and saves
 * on that stamp. The last save to succeed read every input written before it: a write that
 * landed after its reads is followed by its own writer's keep, which either comes later (then it
 * was the last) or found the stamp moved and read again. Every read here is strongly consistent
 * (the pointer, the complaint copies, the calls: the table, no index).
 */
import type { BackOfficeConfig } from '../../config.js';
import { periodOf } from '../../domain/dates.js';
import { rankKey, scoreMonth, type ScoredComplaint } from '../../domain/scorecard.js';
import { dateOf } from '../../domain/values.js';
import { DEFAULT_MARGIN_PERCENT, DEFAULT_SAMPLE_RULE, drawSample, verifiedFigures, type VerificationCall } from '../../domain/verification.js';
import type { ComplaintStore, KeptScore, ReportStore, ScoredRepair, ScoreStore, VerificationStore } from '../ports.js';
import { repairsOf } from './scorecard.js';

export interface ScoreKeepingDeps {
  readonly reports: ReportStore;
  readonly complaints: ComplaintStore;
  readonly verification: VerificationStore;
  readonly scores: ScoreStore;
  readonly config: Pick<BackOfficeConfig, 'verificationSample' | 'verificationMarginPercent'>;
}

/** Saves refused because another writer kept the month meanwhile, read again this many times before giving up. */
const ATTEMPTS = 8;

/** The dealer's month as its card shows it now, from the stores; undefined when it has neither a repair report nor a complaint. */
export async function scoreNow(deps: Omit<ScoreKeepingDeps, 'scores'>, dealer: string, period: string): Promise<KeptScore | undefined> {
  const complaints = (await deps.complaints.ofDealer(dealer, period, period)) ?? (await deps.complaints.received(period, period, dealer));
  return scoreWith(deps, dealer, period, complaints);
}

async function scoreWith(deps: Omit<ScoreKeepingDeps, 'scores'>, dealer: string, period: string, complaints: readonly ScoredComplaint[]): Promise<KeptScore | undefined> {
  const [repairs, calls] = await Promise.all([repairsOf(deps.reports, dealer, period), deps.verification.calls(dealer, period)]);
  return scoreOfMonth(deps.config, dealer, period, repairs, complaints, calls);
}

/** The dealer's month from its repairs (undefined: no report), complaints and the maker's calls; undefined when it has neither a report nor a complaint. */
export function scoreOfMonth(
  config: ScoreKeepingDeps['config'],
  dealer: string,
  period: string,
  repairs: readonly ScoredRepair[] | undefined,
  complaints: readonly ScoredComplaint[],
  calls: readonly VerificationCall[],
): KeptScore | undefined {
  const own = complaints.filter((c) => c.dealer_code === dealer && periodOf(dateOf(c.received_at)) === period);
  if (repairs === undefined && own.length === 0) return undefined;
  const card = scoreMonth(dealer, period, repairs ?? [], own);
  const rule = config.verificationSample ?? DEFAULT_SAMPLE_RULE;
  const verified = repairs === undefined ? null : verifiedFigures(drawSample(dealer, period, repairs, rule), calls, repairs, config.verificationMarginPercent ?? DEFAULT_MARGIN_PERCENT);
  const fits = Buffer.byteLength(JSON.stringify({ card, verified })) <= KEPT_CARD_MAX_BYTES;
  return { dealer, rank: rankKey(card), card: fits ? card : null, verified: fits ? verified : null };
}

/** A card kept with its score up to this size (its breaches by id); DynamoDB's items end at 400 KB. */
const KEPT_CARD_MAX_BYTES = 200_000;

/** The dealer's month a complaint is scored in. */
export const monthOfComplaint = (complaint: Pick<ScoredComplaint, 'dealer_code' | 'received_at'>) => ({ dealer: complaint.dealer_code, period: periodOf(dateOf(complaint.received_at)) });

/** Recomputes the dealer's month and keeps it; call after the write that changed it has landed. */
export async function keepMonthScore(deps: ScoreKeepingDeps, dealer: string, period: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const { stamp } = await deps.scores.find(dealer, period);
    // The dealer's complaints from their copies in its partition (what the ingest, which reads no
    // index, may read). A month they do not reach back to is not yet kept either: the page orders
    // it page by page until read-models rebuild, which copies the complaints, then keeps the scores.
    const complaints = await deps.complaints.ofDealer(dealer, period, period);
    if (complaints === undefined) return;
    const score = await scoreWith(deps, dealer, period, complaints);
    if ((await deps.scores.save(dealer, period, score, stamp)) === 'saved') return;
    if (attempt === ATTEMPTS) throw new Error(`the month score of ${dealer} ${period} was changed by others ${ATTEMPTS} times while it was kept; read-models rebuild keeps it`);
  }
}

/** `keepMonthScore` of each distinct dealer's month, a few at a time; how many. */
export async function keepMonthScores(deps: ScoreKeepingDeps, months: Iterable<{ readonly dealer: string; readonly period: string }>): Promise<number> {
  const distinct = new Map<string, { dealer: string; period: string }>();
  for (const { dealer, period } of months) distinct.set(`${dealer}\u0000${period}`, { dealer, period });
  const all = [...distinct.values()];
  for (let i = 0; i < all.length; i += IN_FLIGHT) await Promise.all(all.slice(i, i + IN_FLIGHT).map(({ dealer, period }) => keepMonthScore(deps, dealer, period)));
  return all.length;
}

const IN_FLIGHT = 8;
