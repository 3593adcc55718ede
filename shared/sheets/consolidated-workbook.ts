/**
 * The consolidated invoicing list (合并开票): one dealer's archived fee forms across periods
 * in one table with their total in figures and in Chinese capitals, for the one tax invoice
 * finance makes for all of them.
 */
import type { Invoice } from '../domain/invoice.js';
import { sum } from '../domain/money.js';
import { toChineseCapitalSigned } from '../domain/capitals.js';
import { addTableSheet, mergedRow, newWorkbook, workbookBytes, type Column } from './layout.js';

const COLUMNS: readonly Column<Invoice>[] = [
  { kind: 'text', header: '单号\nInvoice No.', width: 18, value: (i) => i.invoice_no },
  { kind: 'text', header: '期间\nPeriod', width: 10, value: (i) => i.period },
  { kind: 'date', header: '开具日期\nDate issued', width: 12, value: (i) => i.issued_on },
  { kind: 'text', header: '类别\nKind', width: 12, value: (i) => i.kind },
  { kind: 'count', header: '行数\nLines', width: 8, value: (i) => i.lines.length },
  { kind: 'money', header: '金额（元）\nAmount', width: 14, value: (i) => i.total, total: true },
];

/** The list as an .xlsx: the forms by number, a totals row, and the total in capitals under it. */
export async function writeConsolidatedWorkbook(dealer: { readonly code: string; readonly name: string }, forms: readonly Invoice[]): Promise<Buffer> {
  const workbook = newWorkbook();
  const { sheet, table } = addTableSheet(
    workbook,
    '合并开票 Consolidated',
    { title: `合并开票清单 ${dealer.code} ${dealer.name}`, subtitle: 'Consolidated invoicing list' },
    COLUMNS,
    [...forms].sort((a, b) => (a.invoice_no < b.invoice_no ? -1 : 1)),
  );
  mergedRow(sheet, table.last + 2, COLUMNS.length, `人民币（大写）RMB in words: ${toChineseCapitalSigned(sum(forms.map((f) => f.total)))}`, { bold: true });
  return workbookBytes(workbook);
}
