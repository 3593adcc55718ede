/**
 * The dealer archive (经销商档案) as finance and the after-sales department read it: one row
 * per dealer and month, grouped by region, with the month's service work, complaints and the
 * four scorecard figures, a failed figure red. Names come from master data and are written as text.
 */
import type { DealerArchiveRow } from '../app/quality/dealer-archive.js';
import type { ScoreLine } from '../domain/scorecard.js';
import type { Share } from '../domain/statistics.js';
import { addTableSheet, BAD_FILL, newWorkbook, workbookBytes, type Column } from './layout.js';

const shareOf = (line: ScoreLine): Share | null => (line.denominator === 0 ? null : { numerator: line.numerator, denominator: line.denominator });
const verdict = (line: ScoreLine): string => (line.pass === null ? '' : line.pass ? '达标 pass' : '未达标 FAIL');

const scoreColumns = (figure: 'reached_24h' | 'completed_48h' | 'satisfaction' | 'complaint_rate', header: string): Column<DealerArchiveRow>[] => [
  { kind: 'share', header, width: 12, value: (r) => shareOf(r.scorecard[figure]) },
  { kind: 'text', header: '判定\nVerdict', width: 11, value: (r) => verdict(r.scorecard[figure]) },
];

const COLUMNS: Column<DealerArchiveRow>[] = [
  { kind: 'text', header: '区域\nRegion', width: 10, value: (r) => r.region },
  { kind: 'text', header: '经销商编码\nDealer code', width: 12, value: (r) => r.dealer_code },
  { kind: 'text', header: '经销商名称\nDealer name', width: 22, value: (r) => r.dealer_name, wrap: true },
  { kind: 'text', header: '月份\nMonth', width: 9, value: (r) => r.period },
  { kind: 'text', header: '维修报表\nRepair report', width: 11, value: (r) => (r.reported ? '已报 on file' : '未报 missing') },
  { kind: 'count', header: '报修\nRepair calls', width: 10, value: (r) => r.repair_calls, total: true },
  { kind: 'count', header: '回访\nReturn visits', width: 10, value: (r) => r.return_visits, total: true },
  { kind: 'count', header: '更换配件\nParts replaced', width: 11, value: (r) => r.parts_replaced, total: true },
  { kind: 'count', header: '投诉\nComplaints', width: 10, value: (r) => r.complaints, total: true },
  { kind: 'count', header: '服务责任投诉\nService-fault', width: 12, value: (r) => r.service_fault_complaints, total: true, look: { positive: BAD_FILL } },
  ...scoreColumns('reached_24h', '24小时到达率\nReached 24 h'),
  ...scoreColumns('completed_48h', '48小时完成率\nDone 48 h'),
  ...scoreColumns('satisfaction', '满意率\nSatisfied'),
  ...scoreColumns('complaint_rate', '投诉率\nComplaint rate'),
];

/** Writes the dealer archive of the months `from` to `to`. */
export async function writeDealerArchiveWorkbook(from: string, to: string, rows: readonly DealerArchiveRow[]): Promise<Buffer> {
  const workbook = newWorkbook();
  addTableSheet(workbook, '经销商档案', { title: `经销商档案 Dealer archive ${from} – ${to}`, subtitle: '按区域 by region · 目标 targets: 24h ≥ 90%, 48h 100%, 满意 ≥ 85%, 投诉率 < 3%' }, COLUMNS, rows);
  return workbookBytes(workbook);
}
