import { listScope, type Caller } from '../../domain/access.js';
import type { ScoredComplaint } from '../../domain/scorecard.js';
import { scoreMonth, twelveMonthsTo, worstShortfall, type Scorecard } from '../../domain/scorecard.js';
import type { Repair } from '../../domain/report-validation.js';
import type { BackOfficeConfig } from '../../config.js';
import { DEFAULT_MARGIN_PERCENT, DEFAULT_SAMPLE_RULE, drawSample, verifiedFigures, type VerifiedFigures } from '../../domain/verification.js';
import { authorize, forbidden, Refusal } from '../access.js';
import type { Clock, ComplaintStore, MasterStore, ReportStore, VerificationStore } from '../ports.js';
import { DEFAULT_OPEN_LIMIT_DAYS, overdueStepsOf, type OverdueSteps } from '../../domain/complaints.js';
import { businessNow } from './time.js';
import type { PageRequest } from '../../domain/paging.js';
import { dealerPage, readEachDealer } from '../paging.js';

export interface ScorecardDeps {
  readonly reports: ReportStore;
  readonly master: MasterStore;
  readonly complaints: ComplaintStore;
}

type ScoredRepair = Pick<Repair, 'repair_id' | 'called_at' | 'arrived_at' | 'completed_date' | 'satisfaction' | 'service_type' | 'customer_confirmed'>;

/** What scoring needs of a version's repairs. */
async function scoredRepairs(reports: ReportStore, target: { readonly dealer: string; readonly type: 'repair'; readonly period: string }, version: number): Promise<ScoredRepair[]> {
  const repairs: ScoredRepair[] = [];
  for await (const item of reports.readItems(target, version)) {
    if (item.kind !== 'repair') continue;
    const { repair_id, called_at, arrived_at, completed_date, satisfaction, service_type, customer_confirmed } = item.record;
    repairs.push({ repair_id, called_at, arrived_at, completed_date, satisfaction, service_type, customer_confirmed });
  }
  return repairs;
}

/** `repairsOf` for each of the months, the current versions found by one read and the months' rows read side by side. */
async function repairsOfMonths(reports: ReportStore, dealer: string, months: readonly string[]): Promise<(ScoredRepair[] | undefined)[]> {
  const current = await reports.currentVersions(dealer, 'repair', months[0]!, months.at(-1)!);
  return Promise.all(months.map((period) => {
    const version = current.get(period);
    return version === undefined ? undefined : scoredRepairs(reports, { dealer, type: 'repair', period }, version);
  }));
}

/** What scoring needs of a dealer's current repair report of the month, streamed; none when it has not reported. */
export async function repairsOf(reports: ReportStore, dealer: string, period: string): Promise<ScoredRepair[] | undefined> {
  const target = { dealer, type: 'repair' as const, period };
  const current = await reports.currentVersion(target);
  return current === undefined ? undefined : scoredRepairs(reports, target, current.version);
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

/**
 * One page of the month's scorecards (the API's list): `monthScorecards` of the page's dealers
 * of the master data, in code order; a page may hold fewer cards than dealers, as a dealer
 * with nothing that month has none. A dealer asking for its own gets its one card.
 */
export async function monthScorecardPage(deps: VerifiedScorecardDeps, caller: Caller, period: string, dealer: string | undefined, page: PageRequest): Promise<{ cards: VerifiedScorecard[]; next_cursor: string | null }> {
  const { codes, asked } = await dealersInScope(deps, caller, dealer);
  const { keys, next_cursor } = asked ? { keys: codes, next_cursor: null } : dealerPage(codes, page, SCORECARDS_PAGE_SIZE);
  return { cards: await scorecardsOf(deps, keys, asked, period), next_cursor };
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
  const complaints: ScoredComplaint[] = await deps.complaints.received(months[0]!, last, codes.length === 1 ? codes[0] : undefined);
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

/** One page of `verificationSample` (the API's list: the page's dealers of the master data in code order, those without a repair report left out); every dealer without a page. */
export async function verificationSamplePage(deps: ScorecardDeps & { readonly config: Pick<BackOfficeConfig, 'verificationSample'> }, caller: Caller, period: string, page?: PageRequest): Promise<{ dealers: DealerSample[]; next_cursor: string | null }> {
  authorize(caller, 'read_complaints');
  const rule = deps.config.verificationSample ?? DEFAULT_SAMPLE_RULE;
  const master = await deps.master.load();
  const { keys, next_cursor } = dealerPage([...master.dealers.keys()].sort(), page, SAMPLES_PAGE_SIZE);
  const samples = await readEachDealer(keys, async (dealer): Promise<DealerSample | undefined> => {
    const repairs = await repairsOf(deps.reports, dealer, period);
    return repairs === undefined ? undefined : { dealer, repairs: repairs.filter((r) => r.service_type === 'repair').length, sampled: drawSample(dealer, period, repairs, rule) };
  });
  return { dealers: samples.filter((sample) => sample !== undefined), next_cursor };
}
