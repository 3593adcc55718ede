import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { isDateTime, type CellValue } from '../domain/cells.js';
import type { Issue } from '../domain/issues.js';
import { readRows } from './reader.js';

/**
 * The annotated workbook a dealer fixes and uploads again: the uploaded sheet with every bad
 * cell filled red (warnings yellow) and a note giving the reason in Chinese and English, and
 * a first sheet listing every issue with a link to its cell.
 *
 * Small files are annotated in place, keeping the dealer's own formatting; large ones are
 * copied value by value through the streaming reader and writer so memory stays flat.
 */
export interface ErrorReportInput {
  readonly original: Uint8Array;
  readonly errors: readonly Issue[];
  readonly warnings: readonly Issue[];
  /** Field name → 0-based column index of the uploaded sheet. */
  readonly columns: ReadonlyMap<string, number>;
}

const IN_PLACE_LIMIT_BYTES = 5 * 1024 * 1024;
const ERRORS_SHEET = '错误 Errors';
const ERROR_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const WARNING_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFEB9C' } };

interface Mark {
  readonly fill: ExcelJS.Fill;
  readonly note: string;
}

/** Issues by "row:column" (1-based), errors before warnings, several per cell joined. */
function marksByCell(input: ErrorReportInput): Map<string, Mark> {
  const marks = new Map<string, Mark>();
  const add = (issue: Issue, fill: ExcelJS.Fill) => {
    if (issue.row === null) return;
    const column = issue.column === null ? 1 : (input.columns.get(issue.column) ?? 0) + 1;
    const key = `${issue.row}:${column}`;
    const text = `${issue.message_zh}\n${issue.message}`;
    const existing = marks.get(key);
    marks.set(key, existing === undefined ? { fill, note: text } : { fill: existing.fill, note: `${existing.note}\n\n${text}` });
  };
  input.errors.forEach((issue) => add(issue, ERROR_FILL));
  input.warnings.forEach((issue) => add(issue, WARNING_FILL));
  return marks;
}

/** Excel's column letters for a 1-based column number (1 → A, 27 → AA). */
export const columnLetter = (column: number): string => {
  let n = column;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
};

const quoteSheet = (name: string) => `'${name.replace(/'/g, "''")}'`;

/** The list of every issue; text from the upload is written as plain text, never as a formula. */
function fillErrorsSheet(sheet: ExcelJS.Worksheet, input: ErrorReportInput, dataSheet: string): void {
  sheet.columns = [
    { header: '行 Row', key: 'row', width: 8 },
    { header: '列 Column', key: 'column', width: 18 },
    { header: '单元格 Cell', key: 'cell', width: 10 },
    { header: '值 Value', key: 'value', width: 22 },
    { header: '类别 Kind', key: 'kind', width: 10 },
    { header: '代码 Code', key: 'code', width: 20 },
    { header: '说明', key: 'message_zh', width: 60 },
    { header: 'Message', key: 'message', width: 70 },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const all = [...input.errors.map((i) => ({ i, kind: '错误 error' })), ...input.warnings.map((i) => ({ i, kind: '警告 warning' }))];
  for (const { i, kind } of all) {
    const column = i.column === null ? 1 : (input.columns.get(i.column) ?? 0) + 1;
    const address = i.row === null ? '' : `${columnLetter(column)}${i.row}`;
    const row = sheet.addRow({
      row: i.row ?? '',
      column: i.column ?? '',
      cell: address,
      value: i.value ?? '',
      kind,
      code: i.code,
      message_zh: i.message_zh,
      message: i.message,
    });
    if (address !== '') row.getCell('cell').value = { text: address, hyperlink: `#${quoteSheet(dataSheet)}!${address}` };
    row.alignment = { wrapText: true, vertical: 'top' };
    row.commit();
  }
  sheet.autoFilter = { from: 'A1', to: 'H1' };
}

async function annotateInPlace(input: ErrorReportInput, marks: Map<string, Mark>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(input.original) as unknown as ArrayBuffer);
  const data = workbook.worksheets[0];
  if (data === undefined) throw new Error('the workbook has no worksheet');
  for (const [key, mark] of marks) {
    const [row, column] = key.split(':').map(Number) as [number, number];
    const cell = data.getCell(row, column);
    cell.fill = mark.fill;
    cell.note = mark.note;
  }
  const errors = workbook.addWorksheet(ERRORS_SHEET);
  // The issue list opens first: it is what the dealer came for.
  // exceljs orders sheets by `orderNo`, which its typings leave out.
  const ordered = (sheet: ExcelJS.Worksheet) => sheet as unknown as { orderNo: number };
  workbook.worksheets.forEach((sheet, i) => {
    ordered(sheet).orderNo = sheet === errors ? -1 : i;
  });
  fillErrorsSheet(errors, input, data.name);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function toExcel(value: CellValue): ExcelJS.CellValue {
  if (value === null || typeof value !== 'object') return value;
  if (isDateTime(value)) return new Date(Date.UTC(value.year, value.month - 1, value.day, value.hour, value.minute, value.second));
  return value.text;
}

async function copyStreaming(input: ErrorReportInput, marks: Map<string, Mark>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  const errors = workbook.addWorksheet(ERRORS_SHEET);
  const dataName = '数据 Data';
  fillErrorsSheet(errors, input, dataName);
  errors.commit();
  const data = workbook.addWorksheet(dataName);
  for await (const { row, cells } of readRows(input.original)) {
    const written = data.getRow(row);
    cells.forEach((value, index) => {
      const cell = written.getCell(index + 1);
      cell.value = toExcel(value);
      const mark = marks.get(`${row}:${index + 1}`);
      if (mark !== undefined) {
        cell.fill = mark.fill;
        cell.note = mark.note;
      }
    });
    written.commit();
  }
  data.commit();
  await workbook.commit();
  return Buffer.concat(chunks);
}

/** The annotated workbook for a rejected upload. */
export async function writeErrorReport(input: ErrorReportInput): Promise<Buffer> {
  const marks = marksByCell(input);
  return input.original.length <= IN_PLACE_LIMIT_BYTES ? annotateInPlace(input, marks) : copyStreaming(input, marks);
}
