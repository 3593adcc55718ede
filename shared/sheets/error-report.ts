import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { isDateTime, type CellValue } from '../domain/cells.js';
import type { Issue } from '../domain/issues.js';
import { columnLetter } from './columns.js';
import { ERROR_LIST_SHEET, readRows, sheetNames, suitsFullLoad, type Workbook } from './reader.js';

/**
 * The annotated workbook a dealer fixes and uploads again: the uploaded sheet with every bad
 * cell filled red (warnings yellow) and a note giving the reasons in Chinese and English, and
 * in front of it a sheet listing every issue with a link to its cell. The reader skips that
 * list, so the corrected workbook can go back up as it is.
 *
 * Small uploads that exceljs's full loader handles in bounded time are annotated in place,
 * keeping the dealer's own formatting; the others are copied value by value through the
 * streaming reader and writer, so memory stays flat. Where even that fails, the workbook holds
 * the issue list alone: the dealer always gets every issue.
 * Nothing from the upload is ever written as a formula: text starting with = + - @ stays text.
 */
export interface ErrorReportInput {
  readonly original: Uint8Array;
  /**
   * The upload as the pipeline opened it (archive, index, shared strings and styles already
   * read), so that what is read again for the annotation is read from it instead of opening
   * the bytes anew; without it, `original` is opened.
   */
  readonly opened?: Workbook;
  readonly errors: readonly Issue[];
  readonly warnings: readonly Issue[];
  /** Field name → 0-based column index of the uploaded sheet. */
  readonly columns: ReadonlyMap<string, number>;
  /** The sheet the issues are about; by default the one `readRows` reads by default. */
  readonly sheetName?: string;
  /** Uploads up to this size are annotated in place, larger ones copied; default 5 MiB. */
  readonly inPlaceMaxBytes?: number;
  /** The copy's read of the upload must finish within this; default the reader's. */
  readonly timeoutMs?: number;
}

/** `sheetName` names no sheet of the upload, or it has none: there is only the issue list to give. */
class SheetMissing extends Error {
  constructor(sheetName: string | undefined) {
    super(`the workbook has no sheet ${sheetName ?? ''} to annotate`);
  }
}

const DEFAULT_IN_PLACE_MAX_BYTES = 5 * 1024 * 1024;
const ERROR_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const WARNING_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFEB9C' } };
/** A sheet view's tab selection, which exceljs reads and writes but leaves out of its typings. */
const SELECTED = { tabSelected: true } as const;

type Severity = 'error' | 'warning';

interface Mark {
  readonly row: number;
  /** 1-based. */
  readonly column: number;
  readonly severity: Severity;
  readonly note: string;
}

/** The 1-based column of an issue; an issue about a whole row, or a column the sheet lacks, points at its first cell. */
const columnOf = (issue: Issue, columns: ReadonlyMap<string, number>): number => (issue.column === null ? 0 : (columns.get(issue.column) ?? 0)) + 1;

const cellKey = (row: number, column: number): string => `${row}:${column}`;

/** One mark per cell holding every issue's reasons; a cell with any error is an error. */
function marksOf(input: ErrorReportInput): Iterable<Mark> {
  const marks = new Map<string, Mark>();
  const add = (issue: Issue, severity: Severity) => {
    if (issue.row === null) return;
    const column = columnOf(issue, input.columns);
    const key = cellKey(issue.row, column);
    const text = `${issue.message_zh}\n${issue.message}`;
    const existing = marks.get(key);
    marks.set(key, existing === undefined ? { row: issue.row, column, severity, note: text } : { ...existing, note: `${existing.note}\n\n${text}` });
  };
  input.errors.forEach((issue) => add(issue, 'error'));
  input.warnings.forEach((issue) => add(issue, 'warning'));
  return marks.values();
}

const quoteSheet = (name: string): string => `'${name.replace(/'/g, "''")}'`;

/**
 * Adds the issue list: one row per issue, errors first, each linked to its cell; the header
 * frozen and filtered. Views are given at creation, the only time a streamed sheet takes them.
 */
function addIssueList(workbook: ExcelJS.Workbook, input: ErrorReportInput, dataSheet: string | undefined): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(ERROR_LIST_SHEET, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1, ...SELECTED }] });
  sheet.columns = [
    { header: '行 Row', key: 'row', width: 8 },
    { header: '列 Column', key: 'column', width: 18 },
    { header: '单元格 Cell', key: 'cell', width: 11 },
    { header: '值 Value', key: 'value', width: 24 },
    { header: '类别 Kind', key: 'kind', width: 12 },
    { header: '代码 Code', key: 'code', width: 20 },
    { header: '说明', key: 'message_zh', width: 60 },
    { header: 'Message', key: 'message', width: 70 },
  ];
  sheet.getRow(1).font = { bold: true };
  const issues = [...input.errors.map((issue) => ({ issue, kind: '错误 error' })), ...input.warnings.map((issue) => ({ issue, kind: '警告 warning' }))];
  for (const { issue, kind } of issues) {
    const address = issue.row === null ? '' : `${columnLetter(columnOf(issue, input.columns))}${issue.row}`;
    // Plain strings and numbers only: exceljs writes a string as a string, whatever it starts with.
    const row = sheet.addRow({
      row: issue.row ?? '',
      column: issue.column ?? '',
      // The form exceljs documents for a link inside the workbook.
      cell: address === '' || dataSheet === undefined ? address : { text: address, hyperlink: `#${quoteSheet(dataSheet)}!${address}` },
      value: issue.value ?? '',
      kind,
      code: issue.code,
      message_zh: issue.message_zh,
      message: issue.message,
    });
    row.alignment = { wrapText: true, vertical: 'top' };
    row.commit();
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: 8 } };
  return sheet;
}

/**
 * exceljs keeps the tab order in `orderNo` and a tab's selection in its view's `tabSelected`;
 * its typings show neither.
 */
interface SheetOrder {
  orderNo: number;
}

/** Puts the issue list first and makes it the only selected tab: two selected tabs are grouped, and edits go to both. */
function openOnIssueList(workbook: ExcelJS.Workbook, list: ExcelJS.Worksheet): void {
  workbook.worksheets.forEach((sheet, i) => {
    (sheet as unknown as SheetOrder).orderNo = sheet === list ? -1 : i;
    // A sheet loaded without a view element has null views, whatever the typings say.
    if (sheet !== list) sheet.views = (sheet.views ?? []).map((view) => ({ ...view, tabSelected: false }));
  });
  // Window position and size are Excel's defaults; what matters is the first tab being the active one.
  workbook.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 0, visibility: 'visible' }];
}

/** exceljs's typings declare a Buffer of their own that Node's Buffer does not satisfy; at run time it takes Node's. */
type ExcelBuffer = Parameters<ExcelJS.Xlsx['load']>[0];

async function annotateInPlace(input: ErrorReportInput, marks: Iterable<Mark>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(input.original) as unknown as ExcelBuffer);
  // A corrected workbook comes back with the list of its last round: replace it, never add a second.
  const previous = workbook.getWorksheet(ERROR_LIST_SHEET);
  if (previous !== undefined) workbook.removeWorksheet(previous.id);
  const data = input.sheetName === undefined ? workbook.worksheets[0] : workbook.getWorksheet(input.sheetName);
  if (data === undefined) throw new SheetMissing(input.sheetName);
  workbook.worksheets.forEach(keepValuesOnly);
  for (const mark of marks) paint(data.getCell(mark.row, mark.column), mark);
  openOnIssueList(workbook, addIssueList(workbook, input, data.name));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * The upload's formulas as the values they showed, its links as their text: the annotated
 * copy is kept by the back office and opened by its staff, and must not call out to an
 * address or run a DDE formula that a hostile upload carried in.
 */
function keepValuesOnly(sheet: ExcelJS.Worksheet): void {
  sheet.eachRow((row) =>
    row.eachCell((cell) => {
      if (cell.type === ExcelJS.ValueType.Formula) cell.value = plainResult(cell.result);
      else if (cell.type === ExcelJS.ValueType.Hyperlink) cell.value = cell.text;
    }),
  );
}

/** A formula's cached result as a plain value (an error as its text, as `toExcel` writes it); none is a blank cell. */
function plainResult(result: ExcelJS.CellValue | undefined): ExcelJS.CellValue {
  if (result === undefined || result === null || typeof result !== 'object' || result instanceof Date) return result ?? null;
  return 'error' in result ? result.error : null;
}

/** A read cell written back as a value: dates as dates, errors as their text, never a formula. */
function toExcel(value: CellValue): ExcelJS.CellValue {
  if (value === null || typeof value !== 'object') return value;
  if (isDateTime(value)) return new Date(Date.UTC(value.year, value.month - 1, value.day, value.hour, value.minute, value.second));
  return value.text;
}

const dateFormat = (value: CellValue): string | undefined => {
  if (value === null || !isDateTime(value)) return undefined;
  return value.hour === 0 && value.minute === 0 && value.second === 0 ? 'yyyy-mm-dd' : 'yyyy-mm-dd hh:mm:ss';
};

/** The sheet the issues are about, by name: `sheetName`, or the one the reader reads by default. */
async function dataSheetName(input: ErrorReportInput): Promise<string> {
  const names = await sheetNames(input.opened ?? input.original);
  const name = input.sheetName ?? names.find((n) => n !== ERROR_LIST_SHEET);
  if (name === undefined || !names.includes(name)) throw new SheetMissing(input.sheetName);
  return name;
}

function paint(cell: ExcelJS.Cell, mark: Mark): void {
  cell.fill = mark.severity === 'error' ? ERROR_FILL : WARNING_FILL;
  cell.note = mark.note;
}

/** A streamed workbook: the issue list first, then whatever `addSheets` adds. */
async function streamedWorkbook(input: ErrorReportInput, dataName: string | undefined, addSheets: (workbook: ExcelJS.stream.xlsx.WorkbookWriter) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  addIssueList(workbook, input, dataName).commit();
  await addSheets(workbook);
  await workbook.commit();
  return Buffer.concat(chunks);
}

async function copyStreaming(input: ErrorReportInput, marks: Iterable<Mark>): Promise<Buffer> {
  const marksByRow = new Map<number, Mark[]>();
  for (const mark of marks) marksByRow.set(mark.row, [...(marksByRow.get(mark.row) ?? []), mark]);
  const dataName = await dataSheetName(input);
  return streamedWorkbook(input, dataName, (workbook) => copySheet(workbook, input, dataName, marksByRow));
}

async function copySheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, input: ErrorReportInput, dataName: string, marksByRow: ReadonlyMap<number, readonly Mark[]>): Promise<void> {
  const data = workbook.addWorksheet(dataName);
  const read = { sheet: (name: string) => name === dataName, ...(input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs }) };
  for await (const { row, cells } of readRows(input.opened ?? input.original, read)) {
    const written = data.getRow(row);
    cells.forEach((value, index) => {
      const cell = written.getCell(index + 1);
      cell.value = toExcel(value);
      const numFmt = dateFormat(value);
      if (numFmt !== undefined) cell.numFmt = numFmt;
    });
    // Marked cells may be blank, or beyond the row's last value (a required value left out).
    for (const mark of marksByRow.get(row) ?? []) paint(written.getCell(mark.column), mark);
    written.commit();
  }
  data.commit();
}

/**
 * The annotated workbook for a rejected upload. Never fails for the upload's sake: an upload
 * that cannot be annotated in place is copied, and one that cannot be copied (no such sheet,
 * damaged past the rows already read, too slow) gets the issue list alone.
 */
export async function writeErrorReport(input: ErrorReportInput): Promise<Buffer> {
  const marks = [...marksOf(input)];
  if (input.original.length <= (input.inPlaceMaxBytes ?? DEFAULT_IN_PLACE_MAX_BYTES) && (await suitsFullLoad(input.opened ?? input.original))) {
    try {
      return await annotateInPlace(input, marks);
    } catch {
      // exceljs's full loader trips on damage its streaming reader (and Excel) tolerate, such as
      // a shared string that does not exist; the copy is built from what the reader reads.
    }
  }
  try {
    return await copyStreaming(input, marks);
  } catch {
    return streamedWorkbook(input, undefined, async () => undefined);
  }
}
