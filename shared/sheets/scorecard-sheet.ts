/**
 * The scorecard sheet of the statistics workbook (考核): each dealer's four service figures for
 * the twelve months ending with the workbook's month, side by side. exceljs cannot write
 * charts; as the rest of the workbook does, the trend is drawn in the cells themselves: every
 * month's figure is filled green when it met its target and red when it did not (the domain's
 * exact verdict, never a comparison of rounded percentages), so a run of red across a row is the
 * trend at a glance, and the month's breaches are listed beside it.
 */
import type ExcelJS from 'exceljs';
import type { DealerVerification, ScorecardYear } from '../app/quality/scorecard.js';
import type { VerifiedLine } from '../domain/verification.js';
import { SCORE_FIGURES, SCORE_TARGETS, type ScoreFigure, type ScoreLine } from '../domain/scorecard.js';
import { addTableSheet, type Column } from './layout.js';

const FIGURE_LABELS: Readonly<Record<ScoreFigure, string>> = {
  reached_24h: '24小时到达率 Reached in 24 h',
  completed_48h: '48小时完成率 Completed in 48 h',
  satisfaction: '满意率 Satisfied',
  complaint_rate: '服务责任投诉率 Service-fault complaints',
};

const PASS_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFC6EFCE' } };
const FAIL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };

interface Row {
  readonly dealer: string;
  readonly dealerName: string;
  readonly figure: ScoreFigure;
  readonly months: readonly ScoreLine[];
}

const shareOf = (line: ScoreLine | undefined) => (line === undefined || line.denominator === 0 ? null : { numerator: line.numerator, denominator: line.denominator });

/** Adds the scorecard sheet: a row per dealer and figure, a column per month, the latest month's breaches last. */
export function addScorecardSheet(workbook: ExcelJS.Workbook, years: readonly ScorecardYear[], dealerNames: ReadonlyMap<string, string>, subtitle: string): void {
  const months = years[0]?.months.map((m) => m.period) ?? [];
  const rows: Row[] = years.flatMap((year) => SCORE_FIGURES.map((figure) => ({ dealer: year.dealer, dealerName: dealerNames.get(year.dealer) ?? '', figure, months: year.months.map((m) => m[figure]) })));
  const columns: Column<Row>[] = [
    { kind: 'text', header: '经销商编码\nDealer code', width: 12, value: (r) => r.dealer },
    { kind: 'text', header: '经销商名称\nDealer name', width: 20, value: (r) => r.dealerName, wrap: true },
    { kind: 'text', header: '指标\nFigure', width: 26, value: (r) => FIGURE_LABELS[r.figure], wrap: true },
    { kind: 'text', header: '目标\nTarget', width: 9, value: (r) => `${SCORE_TARGETS[r.figure].rule === 'below' ? '<' : '≥'} ${SCORE_TARGETS[r.figure].percent}%` },
    ...months.map((period, i): Column<Row> => ({ kind: 'share', header: period, width: 9, value: (r) => shareOf(r.months[i]) })),
    { kind: 'text', header: '本月未达标记录\nBreaches this month', width: 30, value: (r) => (r.months.at(-1)?.breaches ?? []).join(', '), wrap: true },
  ];
  const { sheet, table } = addTableSheet(workbook, '考核 Scorecards', { title: '服务质量考核 Service scorecards (12 months)', subtitle }, columns, rows);
  rows.forEach((row, r) => {
    row.months.forEach((line, m) => {
      if (line.pass === null) return;
      sheet.getCell(table.first + r, 5 + m).fill = line.pass ? PASS_FILL : FAIL_FILL;
    });
  });
}

const reportedShare = (line: VerifiedLine) => (line.denominator === 0 ? null : { numerator: line.reported, denominator: line.denominator });
const verifiedShare = (line: VerifiedLine) => (line.denominator === 0 ? null : { numerator: line.numerator, denominator: line.denominator });

/**
 * The maker's verification of the month (厂家核实), beside the 考核 sheet: per dealer, the
 * sample, the calls made and the customers reached, then each checked figure as the dealer
 * reported it and as the maker's call found it, for the same repairs; a gap over the margin is
 * flagged red, as the scorecard flags it.
 */
export function addVerificationSheet(workbook: ExcelJS.Workbook, rows: readonly DealerVerification[], dealerNames: ReadonlyMap<string, string>, subtitle: string): void {
  const gap = (r: DealerVerification): string => {
    const flagged = [r.verified.confirmed.flag ? '用户确认 confirmed' : '', r.verified.satisfaction.flag ? '满意 satisfied' : ''].filter((t) => t !== '');
    return flagged.length === 0 ? '—' : `偏差超过 ${r.verified.marginPercent} 个百分点 over ${r.verified.marginPercent} points: ${flagged.join(', ')}`;
  };
  const columns: Column<DealerVerification>[] = [
    { kind: 'text', header: '经销商编码\nDealer code', width: 12, value: (r) => r.dealer },
    { kind: 'text', header: '经销商名称\nDealer name', width: 20, value: (r) => dealerNames.get(r.dealer) ?? '', wrap: true },
    { kind: 'count', header: '抽样\nSampled', width: 9, value: (r) => r.verified.sampled, total: true },
    { kind: 'count', header: '已回访\nCalled', width: 9, value: (r) => r.verified.called, total: true },
    { kind: 'share', header: '接通率\nReached', width: 10, value: (r) => (r.verified.reached.denominator === 0 ? null : r.verified.reached) },
    { kind: 'share', header: '用户确认·报告\nConfirmed, reported', width: 13, value: (r) => reportedShare(r.verified.confirmed) },
    { kind: 'share', header: '用户确认·核实\nConfirmed, verified', width: 13, value: (r) => verifiedShare(r.verified.confirmed) },
    { kind: 'share', header: '满意·报告\nSatisfied, reported', width: 13, value: (r) => reportedShare(r.verified.satisfaction) },
    { kind: 'share', header: '满意·核实\nSatisfied, verified', width: 13, value: (r) => verifiedShare(r.verified.satisfaction) },
    { kind: 'text', header: '偏差\nGap flagged', width: 36, value: gap, wrap: true },
  ];
  const { sheet, table } = addTableSheet(workbook, '核实 Verified', { title: '厂家回访核实 The maker\'s verification', subtitle }, columns, rows);
  rows.forEach((row, r) => {
    if (row.verified.flag) sheet.getCell(table.first + r, columns.length).fill = FAIL_FILL;
  });
}
