import type { Caller } from '../../domain/access.js';
import { nextPeriod } from '../../domain/dates.js';
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
  const months: string[] = [];
  for (let month = from; month <= to && months.length <= MAX_ARCHIVE_MONTHS; month = nextPeriod(month)) months.push(month);
  if (months.length === 0) throw new Refusal('invalid', `The span ${from} to ${to} ends before it begins`, `月份范围 ${from} 至 ${to} 的结束早于开始`);
  if (months.length > MAX_ARCHIVE_MONTHS) throw new Refusal('invalid', `At most ${MAX_ARCHIVE_MONTHS} months at once`, `一次最多 ${MAX_ARCHIVE_MONTHS} 个月`);
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

/** The dealer archive as a workbook to download. */
export async function dealerArchiveWorkbook(deps: DealerArchiveDeps, caller: Caller, from: string, to: string): Promise<{ fileName: string; bytes: Uint8Array }> {
  const rows = await dealerArchive(deps, caller, from, to);
  return { fileName: `dealer-archive-${from}-${to}.xlsx`, bytes: await deps.renderDealerArchive(from, to, rows) };
}
