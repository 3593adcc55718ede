/**
 * The portal's lists as workbooks (issue 25), each the whole list its page filters: balances,
 * the complaints register, a month's scorecards, unboxing cases, the return-call sample and
 * the returns recorded. One sheet each, laid out as the fee forms list is (layout.ts): headers
 * in Chinese and English, money as exact numbers shown to the fen, dates as Excel dates.
 */
import type { BalanceRow } from '../app/finance/form-life.js';
import type { ListExports } from '../app/list-exports.js';
import type { ComplaintRegisterRow, ReturnRow, SampleRow } from '../app/list-exports.js';
import type { UnboxingJson } from '../app/quality/unboxing.js';
import type { VerifiedScorecard } from '../app/quality/scorecard.js';
import { OVERDUE_STEP_NAMES, type ComplaintState } from '../domain/complaints.js';
import { COMPLAINT_CATEGORIES } from '../domain/fields.js';
import type { IsoDate } from '../domain/dates.js';
import { SCORE_FIGURES, type ScoreFigure, type ScoreLine } from '../domain/scorecard.js';
import { addTableSheet, newWorkbook, workbookBytes, type Column } from './layout.js';

/** A time as people read it: the date and the minutes, no `T`, no seconds. */
const timeText = (at: string | null): string => (at === null ? '' : at.replace('T', ' ').slice(0, 16));

const BALANCE_COLUMNS: readonly Column<BalanceRow>[] = [
  { kind: 'text', header: '经销商编码\nDealer', width: 10, value: (r) => r.dealer },
  { kind: 'text', header: '经销商名称\nDealer name', width: 24, value: (r) => r.dealer_name },
  { kind: 'count', header: '收费单数\nForms', width: 10, value: (r) => r.forms, total: true },
  { kind: 'money', header: '应收（元）\nCharged', width: 14, value: (r) => r.charged, total: true },
  { kind: 'money', header: '冲红（元）\nCredited', width: 14, value: (r) => r.credited, total: true },
  { kind: 'money', header: '已付（元）\nPaid', width: 14, value: (r) => r.paid, total: true },
  { kind: 'money', header: '退款（元）\nRefunded', width: 14, value: (r) => r.refunded, total: true },
  { kind: 'money', header: '余额（元）\nBalance', width: 14, value: (r) => r.balance, total: true },
  { kind: 'money', header: '尚欠（元）\nOwed', width: 14, value: (r) => r.owed, total: true },
];

const COMPLAINT_STATE: Readonly<Record<ComplaintState, string>> = { received: '已受理', replied: '已答复', resolved: '已解决', followed_up: '已回访', closed: '已关闭' };
const CATEGORY: ReadonlyMap<string, string> = new Map(COMPLAINT_CATEGORIES.map((c) => [c.code, c.names[0] ?? c.code]));
const faultText = (fault: boolean | null): string => (fault === null ? '待判定' : fault ? '是' : '否');

const COMPLAINT_COLUMNS: readonly Column<ComplaintRegisterRow>[] = [
  { kind: 'text', header: '投诉单号\nComplaint', width: 16, value: (r) => r.complaint_id },
  { kind: 'text', header: '经销商编码\nDealer', width: 10, value: (r) => r.dealer },
  { kind: 'text', header: '受理时间\nReceived', width: 17, value: (r) => timeText(r.received_at) },
  { kind: 'text', header: '类别\nCategory', width: 12, value: (r) => CATEGORY.get(r.category) ?? r.category },
  { kind: 'text', header: '客户\nCustomer', width: 12, value: (r) => r.customer_name ?? '' },
  { kind: 'text', header: '电话\nPhone', width: 14, value: (r) => r.phone ?? '' },
  { kind: 'text', header: '状态\nState', width: 11, value: (r) => COMPLAINT_STATE[r.state] },
  { kind: 'text', header: '确属服务责任\nService fault', width: 10, value: (r) => faultText(r.service_fault) },
  { kind: 'text', header: '逾期环节\nLate', width: 16, value: (r) => r.overdue.map((s) => OVERDUE_STEP_NAMES[s].zh).join('、') },
  { kind: 'text', header: '首次答复\nFirst reply', width: 17, value: (r) => timeText(r.first_reply_at) },
  { kind: 'text', header: '解决时间\nResolved', width: 17, value: (r) => timeText(r.resolved_at) },
];

const RESULT = (pass: boolean | null): string => (pass === null ? '' : pass ? '达标' : '未达标');

const FIGURE_HEADERS: Readonly<Record<ScoreFigure, string>> = {
  reached_24h: '24小时到达率\nReached in 24 h',
  completed_48h: '48小时完成率\nCompleted in 48 h',
  satisfaction: '满意率\nSatisfied',
  complaint_rate: '服务责任投诉率\nService-fault complaints',
};

/** A figure's three columns: its share, its target and whether it met it (the domain's exact verdict). */
const figureColumns = (figure: ScoreFigure): Column<VerifiedScorecard>[] => {
  const line = (r: VerifiedScorecard): ScoreLine => r[figure];
  return [
    { kind: 'share', header: FIGURE_HEADERS[figure], width: 14, value: (r) => line(r) },
    { kind: 'text', header: '目标\nTarget', width: 8, value: (r) => (line(r).target === null ? '' : `${line(r).target}%`) },
    { kind: 'text', header: '结果\nResult', width: 8, value: (r) => RESULT(line(r).pass) },
  ];
};

const SCORECARD_COLUMNS: readonly Column<VerifiedScorecard>[] = [
  { kind: 'text', header: '经销商编码\nDealer', width: 10, value: (r) => r.dealer },
  { kind: 'count', header: '维修数\nRepairs', width: 9, value: (r) => r.repairs, total: true },
  ...SCORE_FIGURES.flatMap(figureColumns),
];

const CASE_STATUS: Readonly<Record<UnboxingJson['status'], string>> = { open: '待出方案', planned: '已出方案', closed: '已关闭' };

const UNBOXING_COLUMNS: readonly Column<UnboxingJson>[] = [
  { kind: 'text', header: '经销商编码\nDealer', width: 10, value: (r) => r.dealer },
  { kind: 'text', header: '安装单号\nInstallation', width: 16, value: (r) => r.install_id },
  { kind: 'text', header: '型号\nModel', width: 12, value: (r) => r.product_model },
  { kind: 'text', header: '序列号\nSerial No.', width: 16, value: (r) => r.serial_no },
  { kind: 'text', header: '业主\nOwner', width: 10, value: (r) => r.owner_name },
  { kind: 'text', header: '电话\nPhone', width: 14, value: (r) => r.phone },
  { kind: 'date', header: '安装日期\nInstalled', width: 12, value: (r) => r.install_date },
  { kind: 'text', header: '开箱问题\nIssue', width: 30, wrap: true, value: (r) => r.issue },
  { kind: 'date', header: '方案期限\nPlan due', width: 12, value: (r) => r.due_date },
  { kind: 'text', header: '状态\nStatus', width: 10, value: (r) => `${CASE_STATUS[r.status]}${r.overdue ? '（逾期）' : ''}` },
  { kind: 'text', header: '书面方案\nPlan', width: 30, wrap: true, value: (r) => r.plan?.text ?? '' },
  { kind: 'count', header: '照片数\nPhotos', width: 8, value: (r) => r.photos.length },
];

const SAMPLE_COLUMNS: readonly Column<SampleRow>[] = [
  { kind: 'text', header: '经销商编码\nDealer', width: 10, value: (r) => r.dealer },
  { kind: 'count', header: '本月维修数\nRepairs', width: 11, value: (r) => r.repairs },
  { kind: 'count', header: '序号\nNo.', width: 6, value: (r) => r.index },
  { kind: 'text', header: '抽查维修单号\nSampled repair', width: 20, value: (r) => r.repair_id },
];

const RETURN_COLUMNS: readonly Column<ReturnRow>[] = [
  { kind: 'text', header: '退货单号\nReturn No.', width: 16, value: (r) => r.return_id },
  { kind: 'count', header: '行号\nLine', width: 6, value: (r) => r.line },
  { kind: 'date', header: '收货日期\nReceived', width: 12, value: (r) => r.received_date as IsoDate },
  { kind: 'text', header: '经销商编码\nDealer', width: 10, value: (r) => r.dealer_code },
  { kind: 'text', header: '经销商名称\nDealer name', width: 24, value: (r) => r.dealer_name },
  { kind: 'text', header: '配件编码\nPart', width: 14, value: (r) => r.part_code },
  { kind: 'count', header: '数量\nQty', width: 8, value: (r) => r.qty, total: true },
  { kind: 'text', header: '状况\nCondition', width: 14, value: (r) => r.condition ?? '' },
  { kind: 'text', header: '备注\nRemarks', width: 24, wrap: true, value: (r) => r.remarks ?? '' },
];

async function oneSheet<R>(name: string, title: string, subtitle: string, columns: readonly Column<R>[], rows: readonly R[]): Promise<Buffer> {
  const workbook = newWorkbook();
  addTableSheet(workbook, name, { title, subtitle }, columns, rows);
  return workbookBytes(workbook);
}

/** The writers the list exports use (shared/app/list-exports.ts). */
export const LIST_WORKBOOKS: ListExports = {
  balances: (rows) => oneSheet('余额 Balances', '经销商余额', 'Dealer balances', BALANCE_COLUMNS, rows),
  complaints: (rows) => oneSheet('投诉 Complaints', '投诉登记表', 'Complaints register', COMPLAINT_COLUMNS, rows),
  scorecards: (rows, period) => oneSheet('考核 Scorecards', `${period} 服务考核`, `Scorecards ${period}`, SCORECARD_COLUMNS, rows),
  unboxing: (rows, period) => oneSheet('开箱 Unboxing', `${period} 开箱问题`, `Unboxing cases ${period}`, UNBOXING_COLUMNS, rows),
  sample: (rows, period) => oneSheet('回访抽查 Sample', `${period} 回访抽查名单`, `Return-call sample ${period}`, SAMPLE_COLUMNS, rows),
  returns: (rows) => oneSheet('退货 Returns', '退货记录', 'Returns recorded', RETURN_COLUMNS, rows),
};
