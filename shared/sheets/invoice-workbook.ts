/**
 * The printable fee invoice (售后服务材料收费暨报销单) of domain.md, "The fee invoice": one A4
 * portrait page (more when the lines run over, each page repeating the table header) with
 * the title, the header block, the bordered lines, the total in figures and in Chinese
 * capitals, and the signature lines.
 *
 * Every figure is written as a value, not a formula: the form is a record of what the
 * reconciliation charged, computed exactly in fen by `buildInvoice`, and the total in words
 * beside it could not follow a recalculated sum anyway.
 */
import type ExcelJS from 'exceljs';
import { lifeOf, taxOf, type FormLife, type Invoice, type InvoiceLine, type TaxState } from '../domain/invoice.js';
import type { FormMoney, JournalEntry, Settlement } from '../domain/journal.js';
import { formatYuan, type Fen } from '../domain/money.js';
import { businessNow } from '../app/quality/time.js';
import { DEFAULT_TIME_ZONE } from '../domain/dates.js';
import { addSheet, BOX, dateValue, FORMATS, newWorkbook, setupPrint, styleHeader, workbookBytes, writeTable, writeTitle, yuanValue, type Column } from './layout.js';

export interface InvoiceWorkbookOptions {
  /** Unit of each part (个, 套…) by part code, from the price list; a part without one shows a blank unit. */
  readonly partUnits?: ReadonlyMap<string, string>;
  /** The form's money as the journal tells it now; a form just made owes its total. */
  readonly money?: FormMoney;
  /** Payments, refunds and transfers on the form, for its history. */
  readonly entries?: readonly JournalEntry[];
  /** The zone times are printed in: Beijing time unless told. */
  readonly timeZone?: string;
}

const LIFE_LABELS: Readonly<Record<FormLife, string>> = { draft: '草稿 Draft', issued: '已开具 Issued', void: '已作废 Void' };
const SETTLEMENT_LABELS: Readonly<Record<Settlement, string>> = { owed: '未付款 Owed', part_paid: '部分付款 Part paid', paid: '已付清 Paid' };
const TAX_LABELS: Readonly<Record<TaxState, string>> = {
  pending: '未定 Not chosen yet',
  now: '即开发票 Tax invoice now',
  archived: '存档待合并开票 Archived for consolidated invoicing',
  invoiced: '已开发票 Tax-invoiced',
};

/** A time as the form prints it: Beijing local time to the minute, `2026-12-07 07:17`. */
const localTime = (iso: string, timeZone: string): string => businessNow(new Date(iso), timeZone).slice(0, 16).replace('T', ' ');

/** Who did it, as people read it: the back office's own runs named in words, a person by the name they signed in with. */
function personOf(by: string, name?: string): string {
  if (name) return name;
  if (by === 'reconciliation') return '月度盘点 Reconciliation run';
  if (by === 'journal-backfill') return '日记账补录 Journal backfill';
  if (by.startsWith('cli:')) return `命令行操作员 CLI operator ${by.slice(4)}`;
  return by;
}

/** The life as the form shows it: the label, and who set it when (and why). */
function statusText(invoice: Invoice, timeZone: string): string {
  const life = lifeOf(invoice);
  const last = [...(invoice.history ?? [])].reverse().find((h) => h.tax === undefined);
  const label = LIFE_LABELS[life];
  if (last === undefined) return label;
  return `${label}\n${personOf(last.by, last.by_name)} ${localTime(last.at, timeZone)}${last.reason === null ? '' : `\n${last.reason}`}`;
}

function settlementText(money: FormMoney | undefined, invoice: Invoice): string {
  const owed = money?.owed ?? (invoice.total > 0 && lifeOf(invoice) !== 'void' ? invoice.total : (0 as Fen));
  const settlement: Settlement = money?.settlement ?? (owed === 0 ? 'paid' : 'owed');
  const f = (fen: Fen | undefined): string => formatYuan(fen ?? (0 as Fen));
  return `${SETTLEMENT_LABELS[settlement]}\n已付 paid ${f(money?.paid)} · 冲销 credited ${f(money?.credited)} · 退款 refunded ${f(money?.refunded)} · 尚欠 owed ${f(owed)}`;
}

function taxText(invoice: Invoice, timeZone: string): string {
  const tax = taxOf(invoice);
  const last = [...(invoice.history ?? [])].reverse().find((h) => h.tax !== undefined);
  const number = invoice.tax_invoice ? `\n发票号 No. ${invoice.tax_invoice.number} · ${invoice.tax_invoice.date}` : '';
  const who = last === undefined ? '' : `\n${personOf(last.by, last.by_name)} ${localTime(last.at, timeZone)}`;
  return `${TAX_LABELS[tax]}${number}${who}`;
}

/** Why a line is charged, as the dealer checks it against its own records. */
function lineReason(line: InvoiceLine): string {
  if (line.reason === 'other') return `其他收费 other charge: ${line.note}`;
  const { lot_id, shipped_date, due_date } = line.lot;
  if (line.reason === 'credit') return `红字冲销 ${line.corrects}：批次 ${lot_id}，${shipped_date} 发货，${due_date} 到期\ncredit of ${line.corrects}: lot ${lot_id} shipped ${shipped_date}, due ${due_date}`;
  if (line.reason === 'flagged_loan') return `借料改收费：批次 ${lot_id}，维修单 ${line.repair_id}\nflagged loan charged: lot ${lot_id}, repair ${line.repair_id}`;
  return `事实占有：批次 ${lot_id}，${shipped_date} 发货，${due_date} 到期未退回\nde facto possession: lot ${lot_id} shipped ${shipped_date}, due ${due_date}`;
}

/** The reference a dealer looks the line up by: the lot (shipment#line) on the reconciliation sheet. */
const lineReference = (line: InvoiceLine): string => (line.reason === 'other' ? '' : line.lot.lot_id);

interface NumberedLine {
  readonly no: number;
  readonly line: InvoiceLine;
}

function lineColumns(units: ReadonlyMap<string, string>): Column<NumberedLine>[] {
  return [
    { kind: 'count', header: '序号\nNo.', width: 6, value: (r) => r.no },
    { kind: 'text', header: '配件编码\nPart code', width: 13, value: (r) => r.line.part_code },
    { kind: 'text', header: '配件名称\nPart name', width: 18, value: (r) => r.line.part_name, wrap: true },
    { kind: 'text', header: '单位\nUnit', width: 6, value: (r) => units.get(r.line.part_code) ?? '' },
    { kind: 'count', header: '数量\nQty', width: 7, value: (r) => r.line.qty },
    { kind: 'money', header: '单价（元）\nUnit price', width: 11, value: (r) => r.line.unit_price },
    { kind: 'money', header: '金额（元）\nAmount', width: 12, value: (r) => r.line.amount },
    { kind: 'text', header: '收费原因\nReason', width: 34, value: (r) => lineReason(r.line), wrap: true },
    { kind: 'text', header: '参考\nReference', width: 11, value: (r) => lineReference(r.line) },
  ];
}

const COLUMNS = 9;
const QTY_COLUMN = 5;
const AMOUNT_COLUMN = 7;
const HEADER_BLOCK_TOP = 4;
const LINES_TOP = 9;

type LabelValue = readonly [label: string, value: ExcelJS.CellValue];

/** A label cell and its value cell, each merged over its own columns and boxed. */
function writePair(sheet: ExcelJS.Worksheet, row: number, at: { label: readonly [number, number]; value: readonly [number, number] }, [label, value]: LabelValue): void {
  sheet.mergeCells(row, at.label[0], row, at.label[1]);
  sheet.mergeCells(row, at.value[0], row, at.value[1]);
  const labelCell = sheet.getCell(row, at.label[0]);
  labelCell.value = label;
  styleHeader(labelCell);
  const valueCell = sheet.getCell(row, at.value[0]);
  valueCell.value = value;
  valueCell.alignment = { vertical: 'middle', horizontal: 'left', wrapText: true };
  if (value instanceof Date) valueCell.numFmt = FORMATS.date;
  for (let column = at.label[0]; column <= at.value[1]; column++) sheet.getCell(row, column).border = BOX;
}

const LEFT = { label: [1, 2], value: [3, 5] } as const;
const RIGHT = { label: [6, 7], value: [8, 9] } as const;

/** Rows 4–7: number, life, dealer, period, date issued, settlement with the payment method, and tax invoicing (开票): the three dimensions as they are now. */
function writeHeaderBlock(sheet: ExcelJS.Worksheet, invoice: Invoice, options: InvoiceWorkbookOptions, timeZone: string): void {
  const rows: readonly (readonly [LabelValue, LabelValue])[] = [
    [['单号 Invoice No.', invoice.invoice_no], ['状态 Status', statusText(invoice, timeZone)]],
    [['经销商编码 Dealer code', invoice.dealer.code], ['经销商名称 Dealer name', invoice.dealer.name]],
    [['期间 Period', invoice.period], ['开具日期 Date issued', dateValue(invoice.issued_on)]],
    [
      ['结算 Settlement', `${settlementText(options.money, invoice)}\n付款方式 Payment method: ${invoice.dealer.payment_method}`],
      ['开票 Tax invoicing', taxText(invoice, timeZone)],
    ],
  ];
  rows.forEach(([left, right], i) => {
    const row = HEADER_BLOCK_TOP + i;
    writePair(sheet, row, LEFT, left);
    writePair(sheet, row, RIGHT, right);
    sheet.getRow(row).height = i === 0 || i === 3 ? 48 : 30;
  });
  const unit = sheet.getCell(LINES_TOP - 1, COLUMNS);
  unit.value = '金额单位：人民币元 Amounts in CNY';
  unit.alignment = { horizontal: 'right' };
  unit.font = { size: 9 };
}

/** The total row (quantity and amount in figures) and the row with the amount in capitals. */
function writeTotals(sheet: ExcelJS.Worksheet, invoice: Invoice, at: number): void {
  sheet.mergeCells(at, 1, at, QTY_COLUMN - 1);
  const label = sheet.getCell(at, 1);
  label.value = '合计 Total';
  const qty = sheet.getCell(at, QTY_COLUMN);
  qty.value = invoice.lines.reduce((n, line) => n + line.qty, 0);
  qty.numFmt = FORMATS.count;
  const amount = sheet.getCell(at, AMOUNT_COLUMN);
  amount.value = yuanValue(invoice.total);
  amount.numFmt = FORMATS.money;

  const words = at + 1;
  sheet.mergeCells(words, 1, words, 2);
  sheet.mergeCells(words, 3, words, COLUMNS);
  sheet.getCell(words, 1).value = '人民币（大写）\nRMB in words';
  sheet.getCell(words, 3).value = invoice.total_in_words;
  sheet.getRow(words).height = 30;
  for (const row of [at, words]) {
    for (let column = 1; column <= COLUMNS; column++) {
      const cell = sheet.getCell(row, column);
      cell.font = { bold: true, size: row === words ? 12 : 11 };
      cell.border = BOX;
      cell.alignment = { vertical: 'middle', wrapText: true };
    }
  }
}

const MONEY_ZH: Readonly<Record<string, string>> = { payment: '收款 payment', refund: '退款 refund', transfer_in: '转入 moved in', transfer_out: '转出 moved out' };

/** The form's history below the signatures: each change of its life and tax invoicing and each movement of money, in time order, with the person and Beijing time. */
function writeHistory(sheet: ExcelJS.Worksheet, invoice: Invoice, entries: readonly JournalEntry[], at: number, timeZone: string): void {
  const changes = (invoice.history ?? []).map((h) => ({
    at: h.at, who: personOf(h.by, h.by_name),
    what: h.tax === undefined ? LIFE_LABELS[lifeOf({ status: h.status })] : `开票 tax: ${TAX_LABELS[h.tax]}`, reason: h.reason ?? '',
  }));
  const money = entries.map((e) => ({
    at: e.at, who: personOf(e.by, e.by_name),
    what: `${MONEY_ZH[e.type] ?? e.type} ${formatYuan(Math.abs(e.amount) as Fen)}${e.date === null ? '' : ` (${e.date})`}${e.counterpart === null ? '' : ` ↔ ${e.counterpart}`}`,
    reason: [e.reason, e.reference].filter(Boolean).join(' · '),
  }));
  const rows = [...changes, ...money].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  sheet.getCell(at, 1).value = '历史 History';
  sheet.getCell(at, 1).font = { bold: true };
  rows.forEach((r, i) => {
    const row = at + 1 + i;
    sheet.getCell(row, 1).value = localTime(r.at, timeZone);
    sheet.mergeCells(row, 1, row, 2);
    sheet.getCell(row, 3).value = r.who;
    sheet.mergeCells(row, 3, row, 4);
    sheet.getCell(row, 5).value = r.what;
    sheet.mergeCells(row, 5, row, 7);
    sheet.getCell(row, 8).value = r.reason;
    sheet.mergeCells(row, 8, row, 9);
    for (const c of [1, 3, 5, 8]) sheet.getCell(row, c).alignment = { wrapText: true, vertical: 'top' };
  });
}

/** Three signature fields with room to sign above their lines. */
function writeSignatures(sheet: ExcelJS.Worksheet, at: number): void {
  const fields: readonly (readonly [from: number, to: number, text: string])[] = [
    [1, 3, '经办人 Prepared by：'],
    [4, 7, '审核 Reviewed by：'],
    [8, 9, '财务 Finance：'],
  ];
  for (const [from, to, text] of fields) {
    sheet.mergeCells(at, from, at, to);
    const cell = sheet.getCell(at, from);
    cell.value = text;
    cell.alignment = { vertical: 'bottom' };
    cell.border = { bottom: { style: 'thin' } };
  }
  sheet.getRow(at).height = 36;
}

/**
 * The fee invoice as an .xlsx: one sheet named after the invoice number, A4 portrait fit to
 * the page width. Text from uploads (dealer and part names, ids, notes) is written as text.
 */
export async function writeInvoiceWorkbook(invoice: Invoice, options: InvoiceWorkbookOptions = {}): Promise<Buffer> {
  const columns = lineColumns(options.partUnits ?? new Map());
  const workbook = newWorkbook();
  const sheet = addSheet(workbook, invoice.invoice_no, columns.map((c) => c.width));
  writeTitle(sheet, COLUMNS, '售后服务材料收费暨报销单', 'After-sales Service Materials Charge and Reimbursement Form');
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  writeHeaderBlock(sheet, invoice, options, timeZone);
  const table = writeTable(sheet, LINES_TOP, columns, invoice.lines.map((line, i) => ({ no: i + 1, line })));
  writeTotals(sheet, invoice, table.last + 1);
  // Two blank rows between the words and the signatures leave room for stamps.
  writeSignatures(sheet, table.last + 5);
  writeHistory(sheet, invoice, options.entries ?? [], table.last + 7, timeZone);
  setupPrint(sheet, { orientation: 'portrait', titleRow: LINES_TOP, footer: invoice.invoice_no });
  return workbookBytes(workbook);
}
