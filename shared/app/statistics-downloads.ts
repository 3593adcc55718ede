import type { Caller } from '../domain/access.js';
import { formatYuan, sum, ZERO_FEN, type Fen } from '../domain/money.js';
import { XLSX_CONTENT_TYPE } from '../sheets/content-type.js';
import type { StatisticsNames } from '../sheets/statistics-workbook.js';
import type { MonthStatistics } from '../domain/statistics.js';
import { periodBounds } from '../domain/dates.js';
import { authorize, Refusal } from './access.js';
import type { ObjectLinks } from './links.js';
import type { BlobStore, Clock, ComplaintStore, DealerArchiveJob, StatisticsJob, StatisticsJobs, VerificationStore } from './ports.js';
import { makeDealerArchive, type DealerArchiveDeps } from './quality/dealer-archive.js';
import { allScorecardYears, monthVerification, type DealerVerification, type ScorecardYear } from './quality/scorecard.js';
import type { BackOfficeConfig } from '../config.js';
import { REPORT_PREFIXES, requestStamp } from './report-keys.js';
import { monthStatistics, type StatisticsDeps, type StatisticsResult } from './statistics.js';
import { LINK_SECONDS } from './uploads.js';

/** What the statistics downloads take: the figures' stores and the workbook writer (exceljs, from the composition root). */
export type StatisticsWorkbookDeps = StatisticsDeps & {
  readonly renderStatistics: (statistics: MonthStatistics, names: StatisticsNames, scorecards?: readonly ScorecardYear[], verification?: readonly DealerVerification[]) => Promise<Uint8Array>;
  /** With the complaints, the workbook carries the dealers' twelve-month scorecards too. */
  readonly complaints?: ComplaintStore;
  /** With the maker's return calls, the month's verified figures beside the reported ones. */
  readonly verification?: VerificationStore;
  readonly config: StatisticsDeps['config'] & Pick<BackOfficeConfig, 'verificationSample' | 'verificationMarginPercent'>;
};

/** The month's statistics with their workbook, for a file on the command line or a download in the portal. */
export async function statisticsWorkbook(deps: StatisticsWorkbookDeps, period: string): Promise<StatisticsResult & { workbook: Uint8Array }> {
  const result = await monthStatistics(deps, period);
  const scorecards = deps.complaints === undefined ? undefined : await allScorecardYears({ ...deps, complaints: deps.complaints }, period);
  const verification = deps.verification === undefined ? undefined : await monthVerification({ ...deps, verification: deps.verification }, period);
  return { ...result, workbook: await deps.renderStatistics(result.statistics, result.names, scorecards, verification) };
}

/**
 * Where a month's statistics are kept in the reports bucket, each request under keys of its
 * own (named by when it was asked for): jobs running at once never overwrite each other, and
 * an older job finishing last cannot pass for the newest.
 */
export const statisticsKeys = (period: string, requested_at: string) => {
  const stem = `${REPORT_PREFIXES.statistics}${period}.`;
  const stamp = requestStamp(requested_at);
  return {
    stem,
    requests: `${stem}request.`,
    request: `${stem}request.${stamp}.json`,
    figures: `${stem}figures.${stamp}.json`,
    allFigures: `${stem}figures.`,
    workbook: `${stem}${stamp}.xlsx`,
  };
};

/** The figures the page charts, kept beside the workbook; `requested_at` names the request they answer. */
export interface StatisticsFigures {
  readonly period: string;
  readonly requested_at: string;
  readonly made_at: string;
  readonly totals: { readonly installations: number; readonly repairs: number; readonly outbound_qty: number };
  readonly dealers: ReadonlyArray<{
    readonly dealer_code: string;
    readonly dealer_name: string;
    readonly installations: number;
    readonly repairs: number;
    readonly charged_fen: Fen;
    readonly charged: string;
  }>;
}

/**
 * Makes the month's statistics for a request and keeps them: the workbook first and its
 * figures last, so figures found mean their workbook is there. What the statistics worker
 * (functions/statistics.ts) runs; a repeated job writes the same keys again.
 */
export async function makeStatistics(deps: StatisticsWorkbookDeps & { readonly blobs: BlobStore; readonly clock: Clock }, job: StatisticsJob): Promise<StatisticsFigures> {
  const { statistics, names, workbook } = await statisticsWorkbook(deps, job.period);
  const keys = statisticsKeys(job.period, job.requested_at);
  await deps.blobs.put('reports', keys.workbook, workbook, XLSX_CONTENT_TYPE);
  const dealers = new Map<string, { installations: number; repairs: number; charged_fen: Fen }>();
  const row = (code: string) => dealers.get(code) ?? dealers.set(code, { installations: 0, repairs: 0, charged_fen: ZERO_FEN }).get(code)!;
  for (const r of statistics.installations.rows) row(r.dealer_code).installations += r.installations;
  for (const r of statistics.repairs.by_dealer) row(r.dealer_code).repairs += r.records;
  for (const invoice of await deps.invoices.byPeriod(job.period)) {
    if (invoice.status === 'void') continue;
    const figures = row(invoice.dealer.code);
    figures.charged_fen = sum([figures.charged_fen, invoice.total]);
  }
  const figures: StatisticsFigures = {
    period: job.period,
    requested_at: job.requested_at,
    made_at: deps.clock.now().toISOString(),
    totals: { installations: statistics.installations.total, repairs: statistics.repairs.total, outbound_qty: statistics.outbound.total_qty },
    dealers: [...dealers.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([code, figures]) => ({ dealer_code: code, dealer_name: names.dealers.get(code) ?? code, ...figures, charged: formatYuan(figures.charged_fen) })),
  };
  await deps.blobs.put('reports', keys.figures, JSON.stringify(figures), 'application/json');
  return figures;
}

/** What the API answers for a month's statistics: the figures and the workbook's link, or that they are being made. */
export type PeriodStatistics =
  | (StatisticsFigures & { readonly status: 'ready'; readonly workbook_url: string })
  | { readonly status: 'preparing'; readonly period: string; readonly requested_at: string };

type StatisticsRequestDeps = { readonly blobs: BlobStore; readonly clock: Clock; readonly statisticsJobs: StatisticsJobs };

/**
 * Asks for the month's statistics: records the request beside where they will be kept and
 * hands the job to the worker, answering at once; the figures follow when the worker is done.
 */
export async function requestStatistics(deps: StatisticsRequestDeps, caller: Caller, period: string): Promise<PeriodStatistics> {
  authorize(caller, 'read_statistics');
  periodBounds(period);
  const job: StatisticsJob = { period, requested_at: deps.clock.now().toISOString() };
  await deps.blobs.put('reports', statisticsKeys(period, job.requested_at).request, JSON.stringify(job), 'application/json');
  await deps.statisticsJobs.request(job);
  return { status: 'preparing', ...job };
}

const readJson = async <T>(blobs: BlobStore, key: string): Promise<T> => JSON.parse(new TextDecoder().decode(await blobs.get('reports', key))) as T;

/**
 * The month's statistics as last asked for: the figures per dealer and a link to the workbook
 * once the worker has made them for the latest request, `preparing` until then; never asked
 * for, not found. The latest request wins: figures of an older one, however late they were
 * made, never answer for it, and the newest figures made are never hidden by an older request.
 */
export async function periodStatistics(deps: { readonly blobs: BlobStore; readonly links: ObjectLinks }, caller: Caller, period: string): Promise<PeriodStatistics> {
  authorize(caller, 'read_statistics');
  const stem = statisticsKeys(period, '');
  const present = (await deps.blobs.list('reports', stem.stem)).sort();
  const latestRequest = present.filter((key) => key.startsWith(stem.requests)).at(-1);
  const latestFigures = present.filter((key) => key.startsWith(stem.allFigures)).at(-1);
  const request = latestRequest === undefined ? undefined : await readJson<StatisticsJob>(deps.blobs, latestRequest);
  const figures = latestFigures === undefined ? undefined : await readJson<StatisticsFigures>(deps.blobs, latestFigures);
  if (figures === undefined && request === undefined) {
    throw new Refusal('not_found', `the statistics of ${period} have not been asked for`, `尚未申请 ${period} 的统计`);
  }
  if (figures === undefined || (request !== undefined && figures.requested_at < request.requested_at)) {
    return { status: 'preparing', period, requested_at: request!.requested_at };
  }
  return {
    status: 'ready',
    ...figures,
    workbook_url: await deps.links.downloadUrl('reports', statisticsKeys(period, figures.requested_at).workbook, { fileName: `statistics-${period}.xlsx`, expiresInSeconds: LINK_SECONDS }),
  };
}

/** A job for the statistics worker: a month's statistics, or a dealer archive. */
export type WorkerJob = StatisticsJob | DealerArchiveJob;

/** What the job is, for a log line or an error. */
export const describeJob = (job: WorkerJob): string =>
  'kind' in job ? `dealer archive ${job.from} to ${job.to} (asked ${job.requested_at})` : `statistics of ${job.period} (asked ${job.requested_at})`;

/** Runs one job of the statistics worker, whichever it is. */
export async function runWorkerJob(deps: StatisticsWorkbookDeps & DealerArchiveDeps & { readonly blobs: BlobStore; readonly clock: Clock }, job: WorkerJob): Promise<void> {
  if ('kind' in job) await makeDealerArchive(deps, job);
  else await makeStatistics(deps, job);
}
