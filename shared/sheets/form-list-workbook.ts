/**
 * Finance's list of fee forms (收费单清单) as filtered in the portal: one row a form with its
 * dealer, period, state and money, a totals row under the amounts.
 */
import type { FormRow } from '../app/finance/form-list.js';
import { addTableSheet, newWorkbook, workbookBytes, type Column } from './layout.js';

const KIND: Record<string, string> = { possession: '借料收费', sale: '销售', supplement: '补充收费', credit_note: '冲红' };
const SETTLEMENT: Record<string, string> = { owed: '未付款', part_paid: '部分付款', paid: '已付清' };
const LIFE: Record<string, string> = { draft: '草稿', issued: '已开具', void: '已作废' };

const COLUMNS: readonly Column<FormRow>[] = [
  { kind: 'text', header: '单号\nForm No.', width: 18, value: (r) => r.invoice_no },
  { kind: 'text', header: '经销商编码\nDealer', width: 10, value: (r) => r.dealer },
  { kind: 'text', header: '经销商名称\nDealer name', width: 24, value: (r) => r.dealer_name },
  { kind: 'text', header: '期间\nPeriod', width: 10, value: (r) => r.period },
  { kind: 'date', header: '开具日期\nDate issued', width: 12, value: (r) => r.issued_on },
  { kind: 'text', header: '类别\nKind', width: 10, value: (r) => KIND[r.kind] ?? r.kind },
  { kind: 'text', header: '状态\nState', width: 10, value: (r) => (r.status === 'void' ? LIFE.void! : (SETTLEMENT[r.settlement] ?? r.settlement)) },
  { kind: 'money', header: '金额（元）\nAmount', width: 14, value: (r) => r.total_fen, total: true },
  { kind: 'money', header: '已付（元）\nPaid', width: 14, value: (r) => r.paid_fen, total: true },
  { kind: 'money', header: '尚欠（元）\nOwed', width: 14, value: (r) => r.owed_fen, total: true },
];

/** The forms by dealer and number, with totals. */
export async function writeFormListWorkbook(rows: readonly FormRow[]): Promise<Buffer> {
  const workbook = newWorkbook();
  addTableSheet(workbook, '收费单 Forms', { title: '收费单清单', subtitle: 'Fee forms' }, COLUMNS, rows);
  return workbookBytes(workbook);
}
