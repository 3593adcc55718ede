/**
 * The look shared by the workbooks people print and read (fee invoice, reconciliation,
 * monthly statistics): bilingual titles, bordered tables with Excel's own number formats,
 * totals rows, frozen headers, A4 print setup and conditional formatting.
 *
 * Two rules hold for every cell written here:
 * - Money is held in `Fen` until the very last step, `yuanValue`, and every total is summed
 *   in fen first; no amount is ever added up in floating point.
 * - Text is written as a plain string value. exceljs stores a string as a string whatever it
 *   starts with, so a dealer name such as `=1+1` stays text; a formula is only ever built
 *   here from cell addresses, never from text that came from an upload.
 */
import ExcelJS from 'exceljs';
import { columnLetter } from './columns.js';
import type { IsoDate } from '../domain/dates.js';
import { sum, type Fen } from '../domain/money.js';
import type { Share } from '../domain/statistics.js';

/** Excel's number formats, as a finance clerk expects to read them. */
export const FORMATS = {
  money: '#,##0.00',
  count: '#,##0',
  share: '0.0%',
  date: 'yyyy-mm-dd',
} as const;

/** Where a table sheet's table starts: under the two title rows. */
export const TABLE_TOP = 3;

const THIN: ExcelJS.Border = { style: 'thin', color: { argb: 'FF808080' } };
/** Every side of a table cell. */
export const BOX: Partial<ExcelJS.Borders> = { top: THIN, bottom: THIN, left: THIN, right: THIN };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
const TOTAL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };

/** Fills for conditional formatting: Excel's own "light red" and "green" presets, recognisable at a glance. */
export const BAD_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', bgColor: { argb: 'FFFFC7CE' } };
export const GOOD_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', bgColor: { argb: 'FFC6EFCE' } };
export const WARN_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', bgColor: { argb: 'FFFFEB9C' } };

/**
 * An amount as the number Excel stores. Dividing two integers is correctly rounded in IEEE
 * arithmetic, so `fen / 100` is the very double Excel itself holds for the typed decimal
 * (35.5 for "35.50"): shown with two decimals it reads back exactly.
 */
export const yuanValue = (amount: Fen): number => amount / 100;

/** A business date as an Excel date (a whole serial, midnight UTC), so that it sorts and filters as a date. */
export const dateValue = (date: IsoDate): Date => new Date(`${date}T00:00:00Z`);

/** A share as the number a percentage cell shows; null (a blank cell) when there is no share or nothing to divide by. */
/** A share as the cell's number, truncated to a tenth of a percent (shared/domain/kpi.ts), so that '0.0%' never rounds a miss up to its target. */
const shareValue = (share: Share | null): number | null =>
  share === null || share.denominator === 0 ? null : Math.floor((share.numerator * 1000) / share.denominator) / 1000;

/**
 * How a numeric column draws the eye: data bars (`bars`), the red–yellow–green scale of
 * shares (`scale`), or a fill on every value above zero (`positive`).
 */
export type Look = 'bars' | 'scale' | { readonly positive: ExcelJS.Fill };

interface ColumnBase {
  /** Bilingual, Chinese first. */
  readonly header: string;
  readonly width: number;
}

/**
 * A column of a table: its header, its width, and how a row fills it. The kind decides the
 * number format and the alignment; counts and money may be totalled, and numbers may have a look.
 */
export type Column<R> = ColumnBase &
  (
    | { readonly kind: 'text'; readonly value: (row: R) => string; readonly wrap?: boolean }
    | { readonly kind: 'date'; readonly value: (row: R) => IsoDate }
    | { readonly kind: 'count'; readonly value: (row: R) => number; readonly total?: boolean; readonly look?: Look }
    | { readonly kind: 'money'; readonly value: (row: R) => Fen; readonly total?: boolean; readonly look?: Look }
    | { readonly kind: 'share'; readonly value: (row: R) => Share | null; readonly look?: Look }
  );

/** The Excel value and number format of one column for one row. */
function cellOf<R>(column: Column<R>, row: R): { value: ExcelJS.CellValue; numFmt?: string } {
  switch (column.kind) {
    case 'text':
      return { value: column.value(row) };
    case 'date':
      return { value: dateValue(column.value(row)), numFmt: FORMATS.date };
    case 'count':
      return { value: column.value(row), numFmt: FORMATS.count };
    case 'money':
      return { value: yuanValue(column.value(row)), numFmt: FORMATS.money };
    case 'share':
      return { value: shareValue(column.value(row)), numFmt: FORMATS.share };
  }
}

/** Writes one value into a bordered cell with the column's format. */
function writeCell<R>(cell: ExcelJS.Cell, column: Column<R>, row: R): void {
  const { value, numFmt } = cellOf(column, row);
  cell.value = value;
  if (numFmt !== undefined) cell.numFmt = numFmt;
  cell.border = BOX;
  cell.alignment = { vertical: 'top', wrapText: column.kind === 'text' && column.wrap === true };
}

/** A sheet with the given column widths; titles and tables are then written from row 1. */
export function addSheet(workbook: ExcelJS.Workbook, name: string, widths: readonly number[]): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name);
  sheet.columns = widths.map((width) => ({ width }));
  return sheet;
}

/** Merges a row across `columns` and writes one value into it. */
export function mergedRow(sheet: ExcelJS.Worksheet, row: number, columns: number, value: string, font: Partial<ExcelJS.Font>): ExcelJS.Cell {
  sheet.mergeCells(row, 1, row, columns);
  const cell = sheet.getCell(row, 1);
  cell.value = value;
  cell.font = font;
  cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  return cell;
}

/** Rows 1 and 2: the Chinese title and the English subtitle, each merged across the sheet's columns. */
export function writeTitle(sheet: ExcelJS.Worksheet, columns: number, title: string, subtitle: string): void {
  mergedRow(sheet, 1, columns, title, { bold: true, size: 16 });
  sheet.getRow(1).height = 28;
  mergedRow(sheet, 2, columns, subtitle, { italic: true, size: 10, color: { argb: 'FF404040' } });
  sheet.getRow(2).height = 18;
}

/** Styles a header cell: bold on a light fill, centred, wrapped, boxed. */
export function styleHeader(cell: ExcelJS.Cell): void {
  cell.font = { bold: true };
  cell.fill = HEADER_FILL;
  cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  cell.border = BOX;
}

/** Where a written table stands: its header row and its first and last data rows (last < first when it has none). */
export interface TableRange {
  readonly header: number;
  readonly first: number;
  readonly last: number;
  readonly columns: number;
}

/** Writes a header row at `top` and one bordered row per item under it. */
export function writeTable<R>(sheet: ExcelJS.Worksheet, top: number, columns: readonly Column<R>[], rows: Iterable<R>): TableRange {
  const header = sheet.getRow(top);
  columns.forEach((column, i) => {
    const cell = header.getCell(i + 1);
    cell.value = column.header;
    styleHeader(cell);
  });
  header.height = 32;
  let last = top;
  for (const item of rows) {
    last += 1;
    const row = sheet.getRow(last);
    columns.forEach((column, i) => writeCell(row.getCell(i + 1), column, item));
  }
  return { header: top, first: top + 1, last, columns: columns.length };
}

const isTotalled = <R>(column: Column<R>): boolean => 'total' in column && column.total === true;

/** The exact total of a column and the number Excel shows for it; null for a column that is not totalled. */
function columnTotal<R>(column: Column<R>, rows: readonly R[]): { result: number; numFmt: string } | null {
  if (!('total' in column) || column.total !== true) return null;
  return column.kind === 'count'
    ? { result: rows.reduce((n, row) => n + column.value(row), 0), numFmt: FORMATS.count }
    : { result: yuanValue(sum(rows.map(column.value))), numFmt: FORMATS.money };
}

/**
 * The totals row under a table: the label in the first column and, under each totalled
 * column, `SUBTOTAL(109, …)` — the sum of the rows the autofilter shows, so a filtered
 * table totals what is on screen — with its exact total cached for readers that do not
 * recalculate. With no data rows the totals are plain zeros: there is no range to sum.
 */
function writeTotalsRow<R>(sheet: ExcelJS.Worksheet, table: TableRange, columns: readonly Column<R>[], rows: readonly R[], label: string): void {
  const row = sheet.getRow(table.last + 1);
  columns.forEach((column, i) => {
    const cell = row.getCell(i + 1);
    const total = columnTotal(column, rows);
    if (total !== null) {
      cell.value = rows.length === 0 ? 0 : { formula: `SUBTOTAL(109,${columnRange(table, i + 1)})`, result: total.result };
      cell.numFmt = total.numFmt;
    }
    cell.font = { bold: true };
    cell.fill = TOTAL_FILL;
    cell.border = BOX;
  });
  row.getCell(1).value = label;
}

/** Freezes the panes below `row`, so the header stays in view while scrolling. */
function freezeBelow(sheet: ExcelJS.Worksheet, row: number): void {
  sheet.views = [{ state: 'frozen', xSplit: 0, ySplit: row, topLeftCell: `A${row + 1}` }];
}

/** An autofilter on a table's header row. */
function filterTable(sheet: ExcelJS.Worksheet, table: TableRange): void {
  sheet.autoFilter = { from: { row: table.header, column: 1 }, to: { row: Math.max(table.last, table.header), column: table.columns } };
}

/** The A1 range of one column's data rows in a table. */
const columnRange = (table: TableRange, column: number): string =>
  `${columnLetter(column)}${table.first}:${columnLetter(column)}${Math.max(table.first, table.last)}`;

export interface PrintOptions {
  readonly orientation: 'portrait' | 'landscape';
  /** The row repeated at the top of every printed page: a table's header. */
  readonly titleRow: number;
  /** Left part of the footer: what the printed page is. Our own text only: `&` starts a footer code. */
  readonly footer: string;
}

/**
 * A4, one page wide and as many pages long as it takes, centred, the table header repeated
 * on every page and "page n of m" in the footer.
 */
export function setupPrint(sheet: ExcelJS.Worksheet, options: PrintOptions): void {
  sheet.pageSetup = {
    ...sheet.pageSetup,
    paperSize: 9,
    orientation: options.orientation,
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.75, header: 0.3, footer: 0.3 },
    printTitlesRow: `${options.titleRow}:${options.titleRow}`,
  };
  sheet.headerFooter = {
    ...sheet.headerFooter,
    oddFooter: `&L${options.footer.replace(/&/g, '&&')}&C第 &P 页 / 共 &N 页  Page &P of &N`,
  };
}

/** Highlights the cells of `ref` above zero: units charged or overdue that someone has to act on. */
function highlightPositive(sheet: ExcelJS.Worksheet, ref: string, fill: ExcelJS.Fill): void {
  sheet.addConditionalFormatting({ ref, rules: [{ type: 'cellIs', operator: 'greaterThan', formulae: [0], priority: 1, style: { fill } }] });
}

/** The bar colour, which exceljs writes but leaves out of its typings of a data bar. */
type DataBarRule = ExcelJS.DataBarRuleType & { readonly color: Partial<ExcelJS.Color> };

/**
 * Data bars over `ref`, from the smallest to the largest value. exceljs cannot write charts;
 * a bar in each cell shows which dealer or part stands out just as well when scanning a table.
 * Solid, not gradient: for a gradient bar exceljs 4.4 writes an x14 reference with an empty
 * id and no rule behind it, which Excel may repair away; a solid bar gets the complete pair.
 */
function addDataBars(sheet: ExcelJS.Worksheet, ref: string): void {
  const rule: DataBarRule = {
    type: 'dataBar', priority: 1, gradient: false, cfvo: [{ type: 'min' }, { type: 'max' }], color: { argb: 'FF5B9BD5' },
  };
  sheet.addConditionalFormatting({ ref, rules: [rule] });
}

/** A red–yellow–green scale over shares in `ref`: 0 % red, 50 % yellow, 100 % green. */
function addShareScale(sheet: ExcelJS.Worksheet, ref: string): void {
  sheet.addConditionalFormatting({
    ref,
    rules: [{
      type: 'colorScale',
      priority: 1,
      cfvo: [{ type: 'num', value: 0 }, { type: 'num', value: 0.5 }, { type: 'num', value: 1 }],
      color: [{ argb: 'FFF8696B' }, { argb: 'FFFFEB84' }, { argb: 'FF63BE7B' }],
    }],
  });
}

/** A title and subtitle of a sheet; the two together also make its printed footer. */
export interface SheetTitles {
  readonly title: string;
  readonly subtitle: string;
}

/**
 * A sheet holding one table: the titles, the table with its header frozen and filtered,
 * a totals row when some column is totalled, printed A4 landscape.
 */
export function addTableSheet<R>(
  workbook: ExcelJS.Workbook,
  name: string,
  titles: SheetTitles,
  columns: readonly Column<R>[],
  rows: readonly R[],
): { readonly sheet: ExcelJS.Worksheet; readonly table: TableRange } {
  const sheet = addSheet(workbook, name, columns.map((c) => c.width));
  writeTitle(sheet, columns.length, titles.title, titles.subtitle);
  const table = writeTable(sheet, TABLE_TOP, columns, rows);
  if (columns.some(isTotalled)) writeTotalsRow(sheet, table, columns, rows, '合计 Total');
  if (rows.length > 0) applyLooks(sheet, table, columns);
  freezeBelow(sheet, TABLE_TOP);
  filterTable(sheet, table);
  setupPrint(sheet, { orientation: 'landscape', titleRow: TABLE_TOP, footer: `${titles.title} ${titles.subtitle}` });
  return { sheet, table };
}

/** The conditional formatting each column's look asks for, over its data rows. */
function applyLooks<R>(sheet: ExcelJS.Worksheet, table: TableRange, columns: readonly Column<R>[]): void {
  columns.forEach((column, i) => {
    const look = 'look' in column ? column.look : undefined;
    const ref = columnRange(table, i + 1);
    if (look === 'bars') addDataBars(sheet, ref);
    else if (look === 'scale') addShareScale(sheet, ref);
    else if (look !== undefined) highlightPositive(sheet, ref, look.positive);
  });
}

/** The workbook as the bytes of an .xlsx file. */
export async function workbookBytes(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A new workbook signed by the back office. */
export function newWorkbook(): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'After-sales back office';
  return workbook;
}
