import { listScope, type Caller } from '../../domain/access.js';
import type { ScoredComplaint } from '../../domain/scorecard.js';
import { scoreMonth, twelveMonthsTo, worstShortfall, type Scorecard } from '../../domain/scorecard.js';
import type { BackOfficeConfig } from '../../config.js';
import { DEFAULT_MARGIN_PERCENT, DEFAULT_SAMPLE_RULE, drawSample, verifiedFigures, type VerifiedFigures } from '../../domain/verification.js';
import { authorize, forbidden, Refusal } from '../access.js';
import type { Clock, ComplaintStore, CurrentReport, KeptScore, MasterStore, ReportStore, ScoredRepair, ScoreStore, VerificationStore } from '../ports.js';
import { DEFAULT_OPEN_LIMIT_DAYS, overdueStepsOf, type OverdueSteps } from '../../domain/complaints.js';
import { businessNow } from './time.js';
import type { PageRequest } from '../../domain/paging.js';
import { encodeCursor, MAX_PAGE_SIZE } from '../../domain/paging.js';
import { dealerPage, pageAfter, readEachDealer } from '../paging.js';
import { digestOf } from '../report-digest.js';

export interface ScorecardDeps {
  readonly reports: ReportStore;
  readonly master: MasterStore;
  readonly complaints: ComplaintStore;
}

/** The repairs of a current repair report: its digest, or its rows where it has none. */
async function repairsIn(reports: ReportStore, report: CurrentReport): Promise<readonly ScoredRepair[]> {
  const digest = await digestOf(reports, report, 'repair');
  return digest.type === 'repair' ? digest.repairs : [];
}

/** `repairsOf` for each of the months: the months' pointers with their digests in one query, rows read only where a month has no digest. */
async function repairsOfMonths(reports: ReportStore, dealer: string, months: readonly string[]): Promise<(readonly ScoredRepair[] | undefined)[]> {
  const current = new Map((await reports.dealerReports(dealer, 'repair', months[0]!, months.at(-1)!)).map((r) => [r.period, r]));
  return Promise.all(months.map((period) => {
    const report = current.get(period);
    return report === undefined ? undefined : repairsIn(reports, report);
  }));
}

/**
 * One page of the month's current repair reports across dealers, by dealer code (one query of
 * the month's pointers), each with its repairs; `upTo` the last dealer the page covers (null:
 * the list's end), what the page's other reads are bounded by.
 */
async function monthRepairPage(reports: ReportStore, period: string, page: PageRequest, size: number) {
  const at = pageAfter(page, size);
  const { reports: current, more } = await reports.monthReports('repair', period, at);
  const repairs = await readEachDealer(current.map((r) => r.dealer), async (dealer) => repairsIn(reports, current.find((r) => r.dealer === dealer)!));
  const reported = current.map((r, i) => ({ dealer: r.dealer, repairs: repairs[i]! }));
  return { after: at.after, reported, upTo: more ? (current.at(-1)?.dealer ?? null) : null, more };
}

/** What scoring needs of a dealer's current repair report of the month (its digest, else its rows); none when it has not reported. */
export async function repairsOf(reports: ReportStore, dealer: string, period: string): Promise<readonly ScoredRepair[] | undefined> {
  const [report] = await reports.dealerReports(dealer, 'repair', period, period);
  return report === undefined ? undefined : repairsIn(reports, report);
}

/** The dealers the caller may see, narrowed to `dealer` when one is asked for; refuses another dealer's or an unknown one. */
async function dealersInScope(deps: ScorecardDeps, caller: Caller, dealer: string | undefined): Promise<{ codes: string[]; asked: boolean }> {
  const scope = listScope(caller, 'read_scorecards', dealer);
  if (scope === null) throw forbidden('read_scorecards', dealer === undefined ? 'role' : 'dealer', dealer);
  const master = await deps.master.load();
  if (scope.dealer !== undefined && !master.dealers.has(scope.dealer)) {
    throw new Refusal('not_found', `Dealer "${scope.dealer}" is not in the master data`, `经销商编码“${scope.dealer}”不在经销商名录中`);
  }
  return scope.dealer === undefined ? { codes: [...master.dealers.keys()].sort(), asked: false } : { codes: [scope.dealer], asked: true };
}

/** What the month's scorecards need beside the reports and complaints: the maker's calls and the sample's and the flag's settings. */
export interface VerifiedScorecardDeps extends ScorecardDeps {
  readonly verification: VerificationStore;
  /** The month scores kept worst first (shared/app/quality/month-scores.ts), read by the worst-first page. */
  readonly scores: ScoreStore;
  readonly clock: Clock;
  readonly config: Pick<BackOfficeConfig, 'verificationSample' | 'verificationMarginPercent' | 'businessTimeZone' | 'complaintOpenLimitDays'>;
}

/** A month's scorecard with the maker's verification beside it (null: the dealer did not report that month) and the month's complaints with a step late as of now. */
export type VerifiedScorecard = Scorecard & { readonly verified: VerifiedFigures | null; readonly overdue_steps: readonly OverdueSteps[] };

/**
 * Each dealer's scorecard of the month (shared/domain/scorecard.ts), by dealer code, with the
 * maker's verified figures beside the reported ones (shared/domain/verification.ts). A dealer
 * sees only its own. Asked for all, the list holds the dealers with a repair report or a
 * complaint that month; asked for one, it holds that dealer even with nothing to score.
 */
export async function monthScorecards(deps: VerifiedScorecardDeps, caller: Caller, period: string, dealer?: string): Promise<VerifiedScorecard[]> {
  const { codes, asked } = await dealersInScope(deps, caller, dealer);
  return scorecardsOf(deps, codes, asked, period);
}

/** Dealers on one page of the month's scorecards: each costs its repair report, its sampled calls and its complaints' share. */
export const SCORECARDS_PAGE_SIZE = 25;

/** How a page of the month's scorecards is ordered: by dealer code, or worst first across the month ('month') or, for a month whose scores are not all kept yet, within the page ('page'). */
export type ScorecardOrder = 'dealer' | 'month' | 'page';

/**
 * One page of the month's scorecards (the API's list): `monthScorecards` of the dealers with a
 * repair report that month, `limit` of them in code order, with those that have only complaints
 * and whose codes fall in the page's range (so a page may hold a few more cards than `limit`).
 * Worst first, the month's kept scores in their rank order, `limit` a page (`worstFirstPage`); a
 * month before the kept ones (`read-models rebuild` keeps them) falls back to the page in code
 * order sorted worst first. A dealer asking for its own gets its one card.
 */
export async function monthScorecardPage(
  deps: VerifiedScorecardDeps,
  caller: Caller,
  period: string,
  dealer: string | undefined,
  page: PageRequest,
  sort: 'dealer' | 'worst' = 'dealer',
): Promise<{ cards: VerifiedScorecard[]; next_cursor: string | null; order: ScorecardOrder }> {
  const { codes, asked } = await dealersInScope(deps, caller, dealer);
  if (asked) return { cards: await scorecardsOf(deps, codes, asked, period), next_cursor: null, order: sort === 'worst' ? 'month' : 'dealer' };
  if (sort === 'worst') {
    const from = await deps.scores.completeFrom();
    if (from !== undefined && period >= from) return { ...(await worstFirstPage(deps, new Set(codes), period, page)), order: 'month' };
    const byCode = await codeOrderPage(deps, codes, period, page);
    return { cards: byWorstFigure(byCode.cards) as VerifiedScorecard[], next_cursor: byCode.next_cursor, order: 'page' };
  }
  return { ...(await codeOrderPage(deps, codes, period, page)), order: 'dealer' };
}

/**
 * A page of the month's kept scores, worst first across the month: one query of the month's
 * ranks, the cursor the last rank; the month's complaints (one query) for the steps late now.
 */
async function worstFirstPage(deps: VerifiedScorecardDeps, known: ReadonlySet<string>, period: string, page: PageRequest): Promise<{ cards: VerifiedScorecard[]; next_cursor: string | null }> {
  const [{ scores, more }, complaints] = await Promise.all([deps.scores.worstFirst(period, pageAfter(page, SCORECARDS_PAGE_SIZE)), deps.complaints.received(period, period)]);
  const now = businessNow(deps.clock.now(), deps.config.businessTimeZone);
  const openLimitDays = deps.config.complaintOpenLimitDays ?? DEFAULT_OPEN_LIMIT_DAYS;
  const listed = scores.filter((s) => known.has(s.dealer));
  // A card too large to keep (thousands of failed repairs) is read as the dealer's own is.
  const unkept = listed.filter((s) => s.card === null).map((s) => s.dealer);
  const large = new Map(unkept.length === 0 ? [] : (await scorecardsOf(deps, unkept, true, period)).map((card) => [card.dealer, card]));
  const cards = listed.map((s: KeptScore): VerifiedScorecard =>
    s.card === null ? large.get(s.dealer)! : { ...s.card, verified: s.verified, overdue_steps: overdueStepsOf(complaints.filter((c) => c.dealer_code === s.dealer), now, openLimitDays) });
  return { cards, next_cursor: more && scores.length > 0 ? encodeCursor(scores.at(-1)!.rank) : null };
}

async function codeOrderPage(deps: VerifiedScorecardDeps, codes: readonly string[], period: string, page: PageRequest): Promise<{ cards: VerifiedScorecard[]; next_cursor: string | null }> {
  // The page is the month's repair reports after the cursor (their digests, one query), the
  // month's complaints (one query) and the page's dealers' verification calls (one query);
  // a dealer with complaints and no report joins the page whose range its code falls in.
  const { after, reported, upTo, more } = await monthRepairPage(deps.reports, period, page, SCORECARDS_PAGE_SIZE);
  const complaints = await deps.complaints.received(period, period);
  const inRange = (code: string) => (after === undefined || code > after) && (upTo === null || code <= upTo);
  const known = new Set(codes);
  const byDealer = new Map<string, readonly ScoredRepair[] | undefined>(reported.map((r) => [r.dealer, r.repairs]));
  for (const c of complaints) if (inRange(c.dealer_code) && known.has(c.dealer_code) && !byDealer.has(c.dealer_code)) byDealer.set(c.dealer_code, undefined);
  const dealers = [...byDealer.keys()].sort();
  const first = dealers[0];
  const last = dealers.at(-1);
  const calls = first === undefined || last === undefined ? [] : await deps.verification.monthCalls(period, first, last);
  const now = businessNow(deps.clock.now(), deps.config.businessTimeZone);
  const openLimitDays = deps.config.complaintOpenLimitDays ?? DEFAULT_OPEN_LIMIT_DAYS;
  const rule = deps.config.verificationSample ?? DEFAULT_SAMPLE_RULE;
  const margin = deps.config.verificationMarginPercent ?? DEFAULT_MARGIN_PERCENT;
  const cards = dealers.map((code): VerifiedScorecard => {
    const repairs = byDealer.get(code);
    const own = complaints.filter((c) => c.dealer_code === code);
    const verified = repairs === undefined ? null : verifiedFigures(drawSample(code, period, repairs, rule), calls.filter((c) => c.dealer === code), repairs, margin);
    return { ...scoreMonth(code, period, repairs ?? [], own), verified, overdue_steps: overdueStepsOf(own, now, openLimitDays) };
  });
  return { cards, next_cursor: more && last !== undefined ? encodeCursor(upTo ?? last) : null };
}

async function scorecardsOf(deps: VerifiedScorecardDeps, codes: readonly string[], asked: boolean, period: string): Promise<VerifiedScorecard[]> {
  // The month's complaints of one dealer are a key range of the month's index; of many, the month's whole index.
  const complaints = codes.length === 1 ? await deps.complaints.received(period, period, codes[0]) : await deps.complaints.received(period, period);
  const now = businessNow(deps.clock.now(), deps.config.businessTimeZone);
  const openLimitDays = deps.config.complaintOpenLimitDays ?? DEFAULT_OPEN_LIMIT_DAYS;
  const cards = await readEachDealer(codes, async (code): Promise<VerifiedScorecard | undefined> => {
    const repairs = await repairsOf(deps.reports, code, period);
    const own = complaints.filter((c) => c.dealer_code === code);
    if (repairs === undefined && own.length === 0 && !asked) return undefined;
    const verified = repairs === undefined ? null : await verificationOf(deps, code, period, repairs);
    return { ...scoreMonth(code, period, repairs ?? [], own), verified, overdue_steps: overdueStepsOf(own, now, openLimitDays) };
  });
  return cards.filter((card) => card !== undefined);
}

type VerificationDeps = Pick<VerifiedScorecardDeps, 'verification'> & { readonly config: Pick<BackOfficeConfig, 'verificationSample' | 'verificationMarginPercent'> };

/** The maker's verification of a dealer's month: its sample drawn from the month's repairs, the calls recorded, set beside the dealer's report. */
async function verificationOf(deps: VerificationDeps, dealer: string, period: string, repairs: readonly ScoredRepair[]): Promise<VerifiedFigures> {
  return verifiedFigures(
    drawSample(dealer, period, repairs, deps.config.verificationSample ?? DEFAULT_SAMPLE_RULE),
    await deps.verification.calls(dealer, period),
    repairs,
    deps.config.verificationMarginPercent ?? DEFAULT_MARGIN_PERCENT,
  );
}

/** One dealer's month as the maker verified it. */
export interface DealerVerification {
  readonly dealer: string;
  readonly verified: VerifiedFigures;
}

/** Every dealer's verification of the month, by dealer code, for the statistics workbook: the dealers with a repair report that month. */
export async function monthVerification(deps: Pick<ScorecardDeps, 'reports' | 'master'> & VerificationDeps, period: string): Promise<DealerVerification[]> {
  const master = await deps.master.load();
  const all: DealerVerification[] = [];
  for (const dealer of [...master.dealers.keys()].sort()) {
    const repairs = await repairsOf(deps.reports, dealer, period);
    if (repairs !== undefined) all.push({ dealer, verified: await verificationOf(deps, dealer, period, repairs) });
  }
  return all;
}

/** Scorecards ordered worst first: by the largest miss of any figure, then dealer code. */
export const byWorstFigure = (cards: readonly Scorecard[]): Scorecard[] =>
  [...cards].sort((a, b) => worstShortfall(b) - worstShortfall(a) || a.dealer.localeCompare(b.dealer));

/** A dealer's twelve months ending with `last`, side by side, oldest first. */
export interface ScorecardYear {
  readonly dealer: string;
  readonly months: readonly Scorecard[];
}

/**
 * Every dealer's (or one dealer's) scorecards of the twelve months ending with `last`: the
 * trend the portal and the statistics workbook show. A dealer with nothing in any of the
 * months is left out unless asked for.
 */
export async function scorecardYear(deps: ScorecardDeps, caller: Caller, last: string, dealer?: string): Promise<ScorecardYear[]> {
  const { codes, asked } = await dealersInScope(deps, caller, dealer);
  return yearsOf(deps, codes, asked, last);
}

/** Dealers on one page of the trend: each costs twelve months of repair reports. */
export const TREND_PAGE_SIZE = 5;

/** One page of `scorecardYear` (the API's trend): the page's dealers of the master data, in code order; a dealer asking for its own gets its year. */
export async function scorecardYearPage(deps: ScorecardDeps, caller: Caller, last: string, dealer: string | undefined, page: PageRequest): Promise<{ years: ScorecardYear[]; next_cursor: string | null }> {
  const { codes, asked } = await dealersInScope(deps, caller, dealer);
  const { keys, next_cursor } = asked ? { keys: codes, next_cursor: null } : dealerPage(codes, page, TREND_PAGE_SIZE);
  return { years: await yearsOf(deps, keys, asked, last), next_cursor };
}

/** Every dealer's twelve months ending with `last`, for the statistics workbook (made for finance and the department only). */
export async function allScorecardYears(deps: ScorecardDeps, last: string): Promise<ScorecardYear[]> {
  const master = await deps.master.load();
  return yearsOf(deps, [...master.dealers.keys()].sort(), false, last);
}

async function yearsOf(deps: ScorecardDeps, codes: readonly string[], asked: boolean, last: string): Promise<ScorecardYear[]> {
  const months = twelveMonthsTo(last);
  // One dealer's year is its complaints' copies (one query) when they reach back far enough; many dealers', the months' index.
  const complaints: ScoredComplaint[] =
    codes.length === 1 ? ((await deps.complaints.ofDealer(codes[0]!, months[0]!, last)) ?? (await deps.complaints.received(months[0]!, last, codes[0]))) : await deps.complaints.received(months[0]!, last);
  // A dealer's months are read side by side; dealers one after another, so at most twelve reads are in flight.
  const years: ScorecardYear[] = [];
  for (const code of codes) {
    const reported = await repairsOfMonths(deps.reports, code, months);
    const cards = months.map((month, m) => scoreMonth(code, month, reported[m] ?? [], complaints));
    const any = asked || reported.some((repairs) => repairs !== undefined) || complaints.some((c) => c.dealer_code === code);
    if (any) years.push({ dealer: code, months: cards });
  }
  return years;
}

/** One dealer's sample of the month for the maker's return call. */
export interface DealerSample {
  readonly dealer: string;
  readonly repairs: number;
  readonly sampled: readonly string[];
}

/**
 * The maker's return-call sample (shared/domain/verification.ts) of every dealer with a
 * repair report of the month, by dealer code: the same list every time. The department and
 * finance.
 */
export async function verificationSample(deps: ScorecardDeps & { readonly config: Pick<BackOfficeConfig, 'verificationSample'> }, caller: Caller, period: string): Promise<DealerSample[]> {
  return (await verificationSamplePage(deps, caller, period)).dealers;
}

/** Dealers on one page of the month's return-call samples: each costs its repair report. */
export const SAMPLES_PAGE_SIZE = 25;

/** One page of `verificationSample` (the API's list: `limit` dealers with a repair report that month, in code order); every dealer without a page. */
export async function verificationSamplePage(deps: Pick<ScorecardDeps, 'reports'> & { readonly config: Pick<BackOfficeConfig, 'verificationSample'> }, caller: Caller, period: string, page?: PageRequest): Promise<{ dealers: DealerSample[]; next_cursor: string | null }> {
  authorize(caller, 'read_complaints');
  const rule = deps.config.verificationSample ?? DEFAULT_SAMPLE_RULE;
  const sampleOf = ({ dealer, repairs }: { dealer: string; repairs: readonly ScoredRepair[] }): DealerSample => ({ dealer, repairs: repairs.filter((r) => r.service_type === 'repair').length, sampled: drawSample(dealer, period, repairs, rule) });
  if (page !== undefined) {
    const { reported, more } = await monthRepairPage(deps.reports, period, page, SAMPLES_PAGE_SIZE);
    return { dealers: reported.map(sampleOf), next_cursor: more && reported.length > 0 ? encodeCursor(reported.at(-1)!.dealer) : null };
  }
  // Every dealer's (the CLI and the workbook): the pages one after another.
  const dealers: DealerSample[] = [];
  for (let cursor: string | undefined, more = true; more; ) {
    const next = await monthRepairPage(deps.reports, period, { cursor, limit: MAX_PAGE_SIZE }, MAX_PAGE_SIZE);
    dealers.push(...next.reported.map(sampleOf));
    more = next.more && next.reported.length > 0;
    cursor = more ? encodeCursor(next.reported.at(-1)!.dealer) : undefined;
  }
  return { dealers, next_cursor: null };
}
