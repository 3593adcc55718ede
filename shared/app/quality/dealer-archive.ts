import type { Caller } from '../../domain/access.js';
import { nextPeriod, periodBounds } from '../../domain/dates.js';
import { XLSX_CONTENT_TYPE } from '../../sheets/content-type.js';
import type { ObjectLinks } from '../links.js';
import type { BlobStore, Clock, DealerArchiveJob, StatisticsJobs } from '../ports.js';
import { REPORT_PREFIXES, requestStamp } from '../report-keys.js';
import { LINK_SECONDS } from '../uploads.js';
import { scoreMonth, type Scorecard } from '../../domain/scorecard.js';
import { authorize, Refusal } from '../access.js';
import type { ScorecardDeps } from './scorecard.js';
import { readEachDealer } from '../paging.js';

/** One dealer's month in the dealer archive (经销商档案). */
export interface DealerArchiveRow {
  readonly region: string;
  readonly dealer_code: string;
  readonly dealer_name: string;
  readonly period: string;
  readonly repair_calls: number;
  readonly return_visits: number;
  /** Units of parts the month's repairs replaced (the part rows' quantities). */
  readonly parts_replaced: number;
  readonly complaints: number;
  readonly service_fault_complaints: number;
  /** Whether the dealer's repair report for the month is on file: a month not reported is not scored. */
  readonly reported: boolean;
  readonly scorecard: Scorecard;
}

/** The longest span the dealer archive is made for at once. */
export const MAX_ARCHIVE_MONTHS = 36;

/** What the dealer archive workbook takes: the figures' stores and its writer (exceljs, from the composition root). */
export type DealerArchiveDeps = ScorecardDeps & {
  readonly renderDealerArchive: (from: string, to: string, rows: readonly DealerArchiveRow[]) => Promise<Uint8Array>;
};

/**
 * The dealer archive (domain.md, "The two-level archive"): per region and dealer, month by
 * month, repair calls, return visits, parts replaced, complaints and the month's scorecard.
 * Finance and the department; every dealer of the master data, by region then code.
 */
export async function dealerArchive(deps: ScorecardDeps, caller: Caller, from: string, to: string): Promise<DealerArchiveRow[]> {
  authorize(caller, 'read_complaints');
  return archiveRows(deps, from, to);
}

/** The months from `from` to `to`, or the refusal of a span that ends before it begins or is too long. */
function spanOf(from: string, to: string): string[] {
  periodBounds(from);
  periodBounds(to);
  const months: string[] = [];
  for (let month = from; month <= to && months.length <= MAX_ARCHIVE_MONTHS; month = nextPeriod(month)) months.push(month);
  if (months.length === 0) throw new Refusal('invalid', `The span ${from} to ${to} ends before it begins`, `月份范围 ${from} 至 ${to} 的结束早于开始`);
  if (months.length > MAX_ARCHIVE_MONTHS) throw new Refusal('invalid', `At most ${MAX_ARCHIVE_MONTHS} months at once`, `一次最多 ${MAX_ARCHIVE_MONTHS} 个月`);
  return months;
}

async function archiveRows(deps: ScorecardDeps, from: string, to: string): Promise<DealerArchiveRow[]> {
  const months = spanOf(from, to);
  const master = await deps.master.load();
  const complaints = await deps.complaints.received(from, to);
  const dealers = [...master.dealers.values()].sort((a, b) => a.region.localeCompare(b.region) || a.dealer_code.localeCompare(b.dealer_code));
  const complaintsOf = new Map<string, typeof complaints>();
  for (const c of complaints) complaintsOf.set(c.dealer_code, [...(complaintsOf.get(c.dealer_code) ?? []), c]);
  // Dealers eight at a time, each dealer's months one after another: at most eight reads in flight.
  const perDealer = await readEachDealer(dealers.map((d) => d.dealer_code), async (code) => {
    const dealer = master.dealers.get(code)!;
    const rows: DealerArchiveRow[] = [];
    const versions = await deps.reports.currentVersions(code, 'repair', months[0]!, months.at(-1)!);
    for (const period of months) {
      const target = { dealer: code, type: 'repair' as const, period };
      const current = versions.get(period);
      const repairs = [];
      let parts = 0;
      if (current !== undefined) {
        for await (const item of deps.reports.readItems(target, current)) {
          if (item.kind === 'repair') repairs.push(item.record);
          else if (item.kind === 'part_line') parts += item.record.part_qty;
        }
      }
      const own = (complaintsOf.get(code) ?? []).filter((c) => c.received_at.startsWith(period));
      rows.push({
        region: dealer.region,
        dealer_code: code,
        dealer_name: dealer.dealer_name,
        period,
        repair_calls: repairs.filter((r) => r.service_type === 'repair').length,
        return_visits: repairs.filter((r) => r.service_type === 'return_visit').length,
        parts_replaced: parts,
        complaints: own.length,
        service_fault_complaints: own.filter((c) => c.service_fault).length,
        reported: current !== undefined,
        scorecard: scoreMonth(code, period, repairs, own),
      });
    }
    return rows;
  });
  return perDealer.flat();
}

/** The dealer archive as a workbook, made here: the command line's, which has no time limit. */
export async function dealerArchiveWorkbook(deps: DealerArchiveDeps, caller: Caller, from: string, to: string): Promise<{ fileName: string; bytes: Uint8Array }> {
  const rows = await dealerArchive(deps, caller, from, to);
  return { fileName: archiveFileName(from, to), bytes: await deps.renderDealerArchive(from, to, rows) };
}

const archiveFileName = (from: string, to: string): string => `dealer-archive-${from}-${to}.xlsx`;

/**
 * Where a span's dealer archive is kept in the reports bucket, beside the statistics (the same
 * worker makes both), each request under keys of its own: the latest request wins, as there.
 */
export const dealerArchiveKeys = (from: string, to: string, requested_at: string) => {
  const stem = `${REPORT_PREFIXES.statistics}dealer-archive/${from}_${to}.`;
  const stamp = requestStamp(requested_at);
  return { stem, requests: `${stem}request.`, request: `${stem}request.${stamp}.json`, workbook: `${stem}workbook.${stamp}.xlsx` };
};

/** What the API answers for a span's dealer archive: the workbook's link, or that it is being made. */
export type PreparedArchive =
  | { readonly status: 'ready'; readonly from: string; readonly to: string; readonly requested_at: string; readonly workbook_url: string }
  | { readonly status: 'preparing'; readonly from: string; readonly to: string; readonly requested_at: string };

type ArchiveRequestDeps = { readonly blobs: BlobStore; readonly clock: Clock; readonly statisticsJobs: StatisticsJobs };

/**
 * Asks for the dealer archive of a span: at 2,000 dealers it takes minutes, past API Gateway's
 * 29 seconds, so the statistics worker makes it and the API hands out its link when done.
 */
export async function requestDealerArchive(deps: ArchiveRequestDeps, caller: Caller, from: string, to: string): Promise<PreparedArchive> {
  authorize(caller, 'read_complaints');
  spanOf(from, to);
  const job: DealerArchiveJob = { kind: 'dealer_archive', from, to, requested_at: deps.clock.now().toISOString() };
  await deps.blobs.put('reports', dealerArchiveKeys(from, to, job.requested_at).request, JSON.stringify(job), 'application/json');
  await deps.statisticsJobs.request(job);
  return { status: 'preparing', from, to, requested_at: job.requested_at };
}

/** Makes a requested dealer archive and keeps it: what the statistics worker runs for a `dealer_archive` job; a repeated job writes the same key again. */
export async function makeDealerArchive(deps: DealerArchiveDeps & { readonly blobs: BlobStore }, job: DealerArchiveJob): Promise<void> {
  const rows = await archiveRows(deps, job.from, job.to);
  await deps.blobs.put('reports', dealerArchiveKeys(job.from, job.to, job.requested_at).workbook, await deps.renderDealerArchive(job.from, job.to, rows), XLSX_CONTENT_TYPE);
}

/** The span's dealer archive as last asked for: its link once made for the latest request, `preparing` until then; never asked for, not found. */
export async function preparedDealerArchive(deps: { readonly blobs: BlobStore; readonly links: ObjectLinks }, caller: Caller, from: string, to: string): Promise<PreparedArchive> {
  authorize(caller, 'read_complaints');
  spanOf(from, to);
  const keys = dealerArchiveKeys(from, to, '');
  const present = (await deps.blobs.list('reports', keys.stem)).sort();
  const latestRequest = present.filter((key) => key.startsWith(keys.requests)).at(-1);
  if (latestRequest === undefined) throw new Refusal('not_found', `The dealer archive of ${from} to ${to} has not been asked for`, `尚未申请 ${from} 至 ${to} 的经销商档案`);
  const { requested_at } = JSON.parse(new TextDecoder().decode(await deps.blobs.get('reports', latestRequest))) as DealerArchiveJob;
  const workbook = dealerArchiveKeys(from, to, requested_at).workbook;
  if (!present.includes(workbook)) return { status: 'preparing', from, to, requested_at };
  return { status: 'ready', from, to, requested_at, workbook_url: await deps.links.downloadUrl('reports', workbook, { fileName: archiveFileName(from, to), expiresInSeconds: LINK_SECONDS }) };
}
