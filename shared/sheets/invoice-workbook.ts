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
import type { Invoice, InvoiceLine, InvoiceStatus } from '../domain/invoice.js';
import { addSheet, BOX, dateValue, FORMATS, newWorkbook, setupPrint, styleHeader, workbookBytes, writeTable, writeTitle, yuanValue, type Column } from './layout.js';

export interface InvoiceWorkbookOptions {
  /** Unit of each part (个, 套…) by part code, from the price list; a part without one shows a blank unit. */
  readonly partUnits?: ReadonlyMap<string, string>;
}

const STATUS_LABELS: Readonly<Record<InvoiceStatus, string>> = {
  draft: '草稿 Draft',
  issued: '已开票 Issued',
  archived: '已归档（暂不开票）Archived',
  paid: '已付款 Paid',
  void: '已作废 Void',
};

/** The status as the form shows it: the label, and who set it when (and why) once anyone has. */
function statusText(invoice: Invoice): string {
  const last = invoice.history?.at(-1);
  const label = STATUS_LABELS[invoice.status];
  if (last === undefined) return label;
  return `${label}\n${last.by} ${last.at}${last.reason === null ? '' : `\n${last.reason}`}`;
}

/** Why a line is charged, as the dealer checks it against its own records. */
function lineReason(line: InvoiceLine): string {
  if (line.reason === 'other') return `其他收费 other charge: ${line.note}`;
  const { lot_id, shipped_date, due_date } = line.lot;
  if (line.reason === 'credit') return `红字冲销 credit of ${line.corrects}: lot ${lot_id} shipped ${shipped_date}, due ${due_date}`;
  if (line.reason === 'flagged_loan') return `借料改收费 flagged loan charged: lot ${lot_id}, repair ${line.repair_id}`;
  return `事实占有 de facto possession: lot ${lot_id} shipped ${shipped_date}, due ${due_date}`;
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

/** Rows 4–7: number, status, dealer, period, date issued, payment method and the 开票 choice. */
function writeHeaderBlock(sheet: ExcelJS.Worksheet, invoice: Invoice): void {
  const rows: readonly (readonly [LabelValue, LabelValue])[] = [
    [['单号 Invoice No.', invoice.invoice_no], ['状态 Status', statusText(invoice)]],
    [['经销商编码 Dealer code', invoice.dealer.code], ['经销商名称 Dealer name', invoice.dealer.name]],
    [['期间 Period', invoice.period], ['开具日期 Date issued', dateValue(invoice.issued_on)]],
    [
      ['付款方式 Payment method', invoice.dealer.payment_method],
      ['开票 Tax invoice now', invoice.tax_invoice_now ? '是 Yes' : '否 No（归档待合并开票 archived until consolidated invoicing）'],
    ],
  ];
  rows.forEach(([left, right], i) => {
    const row = HEADER_BLOCK_TOP + i;
    writePair(sheet, row, LEFT, left);
    writePair(sheet, row, RIGHT, right);
    sheet.getRow(row).height = 30;
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
  writeHeaderBlock(sheet, invoice);
  const table = writeTable(sheet, LINES_TOP, columns, invoice.lines.map((line, i) => ({ no: i + 1, line })));
  writeTotals(sheet, invoice, table.last + 1);
  // Two blank rows between the words and the signatures leave room for stamps.
  writeSignatures(sheet, table.last + 5);
  setupPrint(sheet, { orientation: 'portrait', titleRow: LINES_TOP, footer: invoice.invoice_no });
  return workbookBytes(workbook);
}
