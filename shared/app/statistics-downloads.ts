import type { Caller } from '../domain/access.js';
import { formatYuan, sum, ZERO_FEN, type Fen } from '../domain/money.js';
import { XLSX_CONTENT_TYPE } from '../sheets/content-type.js';
import type { StatisticsNames } from '../sheets/statistics-workbook.js';
import type { MonthStatistics } from '../domain/statistics.js';
import { authorize } from './access.js';
import type { ObjectLinks } from './links.js';
import type { BlobStore } from './ports.js';
import { REPORT_PREFIXES } from './report-keys.js';
import { monthStatistics, type StatisticsDeps, type StatisticsResult } from './statistics.js';
import { LINK_SECONDS } from './uploads.js';

/** What the statistics downloads take: the figures' stores and the workbook writer (exceljs, from the composition root). */
export type StatisticsWorkbookDeps = StatisticsDeps & {
  readonly renderStatistics: (statistics: MonthStatistics, names: StatisticsNames) => Promise<Uint8Array>;
};

/** The month's statistics with their workbook, for a file on the command line or a download in the portal. */
export async function statisticsWorkbook(deps: StatisticsWorkbookDeps, period: string): Promise<StatisticsResult & { workbook: Uint8Array }> {
  const result = await monthStatistics(deps, period);
  return { ...result, workbook: await deps.renderStatistics(result.statistics, result.names) };
}

/** The month's statistics: figures per dealer for the page's chart and a link to the full workbook. */
export async function periodStatistics(deps: StatisticsWorkbookDeps & { readonly blobs: BlobStore; readonly links: ObjectLinks }, caller: Caller, period: string) {
  authorize(caller, 'read_statistics');
  const { statistics, names, workbook } = await statisticsWorkbook(deps, period);
  const key = `${REPORT_PREFIXES.statistics}${period}.xlsx`;
  await deps.blobs.put('reports', key, workbook, XLSX_CONTENT_TYPE);
  const dealers = new Map<string, { installations: number; repairs: number; charged_fen: Fen }>();
  const row = (code: string) => dealers.get(code) ?? dealers.set(code, { installations: 0, repairs: 0, charged_fen: ZERO_FEN }).get(code)!;
  for (const r of statistics.installations.rows) row(r.dealer_code).installations += r.installations;
  for (const r of statistics.repairs.by_dealer) row(r.dealer_code).repairs += r.records;
  for (const invoice of await deps.invoices.byPeriod(period)) {
    const figures = row(invoice.dealer.code);
    figures.charged_fen = sum([figures.charged_fen, invoice.total]);
  }
  return {
    period,
    totals: { installations: statistics.installations.total, repairs: statistics.repairs.total, outbound_qty: statistics.outbound.total_qty },
    dealers: [...dealers.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([code, figures]) => ({ dealer_code: code, dealer_name: names.dealers.get(code) ?? code, ...figures, charged: formatYuan(figures.charged_fen) })),
    workbook_url: await deps.links.downloadUrl('reports', key, { fileName: `statistics-${period}.xlsx`, expiresInSeconds: LINK_SECONDS }),
  };
}
