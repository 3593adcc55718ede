import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type yauzl from 'yauzl';
import type { CellValue, SheetRow } from '../domain/cells.js';
import type { FieldSpec } from '../domain/fields.js';
import { createHeaderMatcher, HEADER_SCAN_LIMIT, isHeaderRow, mapHeaderRow, type HeaderMatcher } from '../domain/headers.js';
import { chooseSheet, inPeriod, type SheetChoice, type SheetSurvey } from '../domain/sheet-choice.js';
import { footerText } from '../domain/table-validation.js';
import { isEmptyCell } from '../domain/values.js';
import { damaged, refusal, tooManyRows, UploadRefused } from './guard.js';
import { normalisationOf, normaliseXml, repairCells, wholeCharacters } from './sheet-xml.js';
import { attribute, tags, workbookIndex, type WorkbookIndex, type Worksheet } from './package.js';
import { storedZip, type StoredPart } from './stored-zip.js';
import { entryChunks, listEntries, openZip } from './zip.js';

/**
 * The streaming reader: exceljs's WorkbookReader, fed so that it reads correctly, with its
 * cells normalised into the domain's CellValue so that nothing past this module knows exceljs.
 *
 * exceljs is not given the upload itself but a stream of just the parts it needs, inflated by
 * yauzl and stored uncompressed: the workbook, its relationships, the styles, the shared
 * strings (an empty table when the workbook has none), then the one worksheet wanted. So:
 * - the worksheet never comes before the shared strings, and exceljs never spills it to a
 *   temporary file (nothing to sweep, even after an early stop);
 * - only the chosen sheet is parsed, whatever its part is called;
 * - the XML is repaired on the way (see sheet-xml.ts): no character broken at a chunk
 *   boundary, inline rich text joined, formula errors kept as errors.
 */

/** Options of `readRows`. */
export interface ReadOptions {
  /** Non-blank rows allowed; one more is refused with `too_many_rows`. Default: no limit. */
  readonly maxRows?: number;
  /** The whole read must finish within this; default 120 s. */
  readonly timeoutMs?: number;
  /** Picks the sheet to read by its name and its 0-based position among the worksheets. */
  readonly sheet?: (name: string, index: number) => boolean;
}

/** The sheet the annotated error workbook adds in front; never read as data, so a corrected copy can be uploaded as it is. */
export const ERROR_LIST_SHEET = '错误 Errors';

const DEFAULT_TIMEOUT_MS = 120_000;
const EMPTY_SHARED_STRINGS = Buffer.from('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>');
/** How far into a part `normalisationOf` looks for its root element and first rows. */
const HEAD_BYTES = 256 * 1024;

const READER_OPTIONS: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions> = {
  sharedStrings: 'cache',
  // Styles say which numbers are dates.
  styles: 'cache',
  hyperlinks: 'ignore',
  worksheets: 'emit',
  entries: 'ignore',
};

/**
 * The workbook part and its relationships exceljs is given: written here, naming the one
 * worksheet fed to it, rather than copied. So exceljs never meets a prefixed or strict
 * workbook part (its parser throws on `<x:workbook>`), and only the date system is taken over.
 */
const workbookPart = (date1904: boolean): Buffer =>
  Buffer.from(
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
      `<workbookPr${date1904 ? ' date1904="1"' : ''}/><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
  );
const WORKBOOK_RELS = Buffer.from(
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
);

const fixed = (name: string, content: Buffer): StoredPart => ({ name, size: content.length, content: [content] });

interface OpenWorkbook {
  readonly zip: yauzl.ZipFile;
  readonly entries: ReadonlyMap<string, yauzl.Entry>;
  readonly index: WorkbookIndex;
}

/** The archive opened and indexed; the caller closes `zip`. */
async function openWorkbook(bytes: Uint8Array): Promise<OpenWorkbook> {
  try {
    const zip = await openZip(bytes);
    const entries = new Map((await listEntries(zip)).map((entry) => [entry.fileName, entry]));
    return { zip, entries, index: await workbookIndex(zip, entries) };
  } catch {
    throw damaged();
  }
}

/**
 * Names of the worksheets in workbook (tab) order, hidden ones included; chart sheets are left
 * out. Used to pick master-data sheets by name.
 *
 * @throws UploadRefused `unreadable` when the archive cannot be read.
 */
export async function sheetNames(bytes: Uint8Array): Promise<string[]> {
  const { zip, index } = await openWorkbook(bytes);
  zip.close();
  return index.worksheets.map((sheet) => sheet.name);
}

/** Data rows under the header looked at per sheet to tell which one holds the report. */
const SURVEY_ROWS = 50;

/** What the data sheet is chosen by: the upload type's fields and, for a monthly report, its month and the field dated in it. */
export interface SheetSearch {
  readonly fields: readonly FieldSpec[];
  readonly period?: { readonly month: string; readonly field: FieldSpec };
  readonly timeoutMs?: number;
}

/** The top of one worksheet: whether it holds the header, and how many of the rows under it fall in the month. */
async function survey(workbook: OpenWorkbook, sheet: Worksheet, search: SheetSearch, match: HeaderMatcher, deadline: number): Promise<SheetSurvey> {
  let scanned = 0;
  let column: number | undefined;
  let header = false;
  let rows = 0;
  let inMonth = 0;
  for await (const row of rowsOf(workbook, sheet, { timeoutMs: Math.max(1, deadline - Date.now()) })) {
    if (row.cells.every((cell) => isEmptyCell(cell))) continue;
    if (!header) {
      if (isHeaderRow(row, search.fields, match)) {
        header = true;
        column = search.period === undefined ? undefined : mapHeaderRow(row, search.fields, match).columns.get(search.period.field.name);
      } else if (++scanned >= HEADER_SCAN_LIMIT) break;
      continue;
    }
    if (footerText(row) !== undefined) continue;
    rows += 1;
    if (search.period !== undefined && column !== undefined && inPeriod(search.period.field, row.cells[column], search.period.month)) inMonth += 1;
    if (rows >= SURVEY_ROWS) break;
  }
  return { name: sheet.name, hidden: sheet.hidden, header, rows, inPeriod: inMonth };
}

/**
 * The worksheet an upload's data is on, as `chooseSheet` (shared/domain/sheet-choice.ts)
 * decides from the top of every worksheet: visible sheets first, a sheet holding the header
 * and rows over a blank template, the report's month by the rows' dates or the sheet's name,
 * and a refusal naming the candidates when that cannot tell, or naming the hidden sheets the
 * only rows are on. A workbook of one worksheet is not read twice.
 *
 * @throws UploadRefused `unreadable` when the archive cannot be read.
 */
export async function chooseDataSheet(bytes: Uint8Array, search: SheetSearch): Promise<SheetChoice> {
  // Opened once for every sheet searched: a workbook may hold a thousand (openpyxl's bigfoot.xlsx).
  const workbook = await openWorkbook(bytes);
  try {
    const candidates = workbook.index.worksheets.filter((sheet) => sheet.name !== ERROR_LIST_SHEET);
    if (candidates.length <= 1) return { kind: 'chosen', name: candidates[0]?.name };
    const match = createHeaderMatcher(search.fields);
    const deadline = Date.now() + (search.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const surveys: SheetSurvey[] = [];
    for (const sheet of candidates) surveys.push(await survey(workbook, sheet, search, match, deadline));
    return chooseSheet(surveys, search.period?.month);
  } finally {
    workbook.zip.close();
  }
}

/** `readRows` options that read the named sheet, or the default sheet when there is no name. */
export const onSheet = (name: string | undefined): Pick<ReadOptions, 'sheet'> => (name === undefined ? {} : { sheet: (sheet) => sheet === name });

/** exceljs reads a date as a Date whose UTC fields are the wall-clock time Excel shows, in any process time zone. */
function wallClock(date: Date): CellValue {
  const time = Math.round(date.getTime() / 1000) * 1000;
  // A serial far outside Excel's calendar (years 1900–9999); Excel itself shows it as an error.
  if (!Number.isFinite(time)) return { kind: 'error', text: '#NUM!' };
  const t = new Date(time);
  return {
    kind: 'datetime',
    year: t.getUTCFullYear(),
    month: t.getUTCMonth() + 1,
    day: t.getUTCDate(),
    hour: t.getUTCHours(),
    minute: t.getUTCMinutes(),
    second: t.getUTCSeconds(),
  };
}

const OOXML_ESCAPE = /_x([0-9A-Fa-f]{4})_/g;

/**
 * Text with OOXML's escapes decoded, as Excel shows it: Excel writes a character XML cannot
 * hold (BEL, ESC, ...) as `_x0007_`, and a literal `_x` as `_x005F_x`. exceljs's streaming
 * reader leaves every escape as it stands, in shared and inline strings alike.
 */
const unescapeText = (text: string): string =>
  text.includes('_x') ? text.replace(OOXML_ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;

/** exceljs's cell value as the domain's CellValue. */
function toCellValue(value: ExcelJS.CellValue | undefined): CellValue {
  if (value === null || value === undefined) return null;
  // An empty <v/> parses as NaN: nothing is there.
  if (typeof value === 'number') return Number.isNaN(value) ? null : value;
  if (typeof value === 'string') return unescapeText(value);
  if (typeof value === 'boolean') return value;
  if (value instanceof Date) return wallClock(value);
  if ('error' in value) return { kind: 'error', text: value.error };
  if ('richText' in value) return unescapeText(value.richText.map((run) => run.text).join(''));
  if ('formula' in value || 'sharedFormula' in value) return toCellValue(value.result);
  return unescapeText(value.text);
}

/** A number format's literal text: "SN-" in quotes, or one character after a backslash. */
const FORMAT_LITERAL = /^(?:"([^"]*)"|\\(.))/;

/**
 * How a number format that pads integers with zeros shows a value, such as 0000000000 or
 * "SN-"000000: the literal text around the zeros, the digits padded to their count. Undefined
 * for any other format, whose numbers are read as numbers. Cached per format text.
 */
const paddings = new Map<string, ((n: number) => string) | undefined>();
function padding(format: string): ((n: number) => string) | undefined {
  if (paddings.has(format)) return paddings.get(format);
  // Only the first section (positive numbers) is applied; a format with more is left alone.
  let rest = format.includes(';') ? '' : format;
  const before: string[] = [];
  const after: string[] = [];
  let zeros = 0;
  while (rest.length > 0) {
    const literal = FORMAT_LITERAL.exec(rest);
    if (literal !== null) {
      (zeros === 0 ? before : after).push(literal[1] ?? literal[2] ?? '');
      rest = rest.slice(literal[0].length);
    } else if (rest.startsWith('0') && after.length === 0) {
      zeros += 1;
      rest = rest.slice(1);
    } else {
      zeros = 0;
      break;
    }
  }
  // A single 0 is Excel's plain integer format: nothing to pad, nothing to show differently.
  const show = zeros > 1 || (zeros === 1 && before.length + after.length > 0) ? (n: number) => `${before.join('')}${String(n).padStart(zeros, '0')}${after.join('')}` : undefined;
  paddings.set(format, show);
  return show;
}

/**
 * A number as the cell shows it, for identifiers typed as numbers: a serial formatted
 * 0000000000 shows 0026090002, and that is what the dealer means; the stored 26090002 is
 * not. Other numbers (and fractions, negatives, huge values) stay numbers.
 */
function asShown(value: number, format: string | undefined): CellValue {
  if (Number.isNaN(value)) return null;
  if (format === undefined || !Number.isSafeInteger(value) || value < 0) return value;
  return padding(format)?.(value) ?? value;
}

const isBlankRow = (cells: readonly CellValue[]): boolean => cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''));

/** The start of an entry's text: enough to see its root element and, for a worksheet, its first cells. */
async function headOf(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of entryChunks(zip, entry)) {
    chunks.push(chunk);
    length += chunk.length;
    if (length >= HEAD_BYTES) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * One part as exceljs needs it: inflated, cut on whole characters, normalised when its start
 * asks for it (see sheet-xml.ts), and a worksheet repaired. A normalised part is run through
 * once to measure it, since a stored entry declares its size up front.
 */
async function copyPart({ zip, entries }: OpenWorkbook, from: string | undefined, name: string, worksheet: boolean): Promise<StoredPart[]> {
  const entry = from === undefined ? undefined : entries.get(from);
  if (entry === undefined) return [];
  const how = normalisationOf(await headOf(zip, entry), worksheet);
  const content = () => {
    const whole = wholeCharacters(entryChunks(zip, entry));
    const normalised = how === undefined ? whole : wholeCharacters(normaliseXml(whole, how));
    return worksheet ? wholeCharacters(repairCells(normalised)) : normalised;
  };
  if (how === undefined) return [{ name, size: entry.uncompressedSize, content: content() }];
  let size = 0;
  for await (const chunk of normaliseXml(wholeCharacters(entryChunks(zip, entry)), how)) size += chunk.length;
  return [{ name, size, content: content() }];
}

/** The parts exceljs needs, in the order it needs them, ending with the chosen worksheet. */
async function partsFor(workbook: OpenWorkbook, sheet: Worksheet): Promise<StoredPart[]> {
  const { index } = workbook;
  const sharedStrings = await copyPart(workbook, index.sharedStrings, 'xl/sharedStrings.xml', false);
  return [
    fixed('xl/workbook.xml', workbookPart(index.date1904)),
    fixed('xl/_rels/workbook.xml.rels', WORKBOOK_RELS),
    ...(await copyPart(workbook, index.styles, 'xl/styles.xml', false)),
    // exceljs spills every worksheet to a temporary file until it has seen a shared-strings table.
    ...(sharedStrings.length > 0 ? sharedStrings : [fixed('xl/sharedStrings.xml', EMPTY_SHARED_STRINGS)]),
    ...(await copyPart(workbook, sheet.part, 'xl/worksheets/sheet1.xml', true)),
  ];
}

const tooSlow = (): UploadRefused =>
  refusal(
    'unreadable',
    'The workbook could not be read in time; it may be damaged or far larger than a report. Open it in Excel, save it again and upload the new file',
    '工作簿未能在限定时间内读完，可能已损坏或远超正常报表；请用 Excel 打开后重新保存，再上传新文件',
  );

/**
 * Stops a read: on the deadline, or when the feed fails. exceljs would wait forever on a feed
 * that stops, so every step of the read is raced against the stop. Only the pending step is
 * held: racing each step against one long-lived promise would keep every step's row alive.
 */
class Stop {
  private reason: UploadRefused | undefined;
  private rejectPending: ((reason: UploadRefused) => void) | undefined;

  stop(reason: UploadRefused): void {
    this.reason ??= reason;
    this.rejectPending?.(this.reason);
  }

  /** `next`, unless the read is stopped first. */
  race<T>(next: Promise<T>): Promise<T> {
    const { reason } = this;
    if (reason !== undefined) return Promise.reject(reason);
    return new Promise<T>((resolve, reject) => {
      this.rejectPending = reject;
      next.then(resolve, reject);
    });
  }

  async *each<T>(source: AsyncIterator<T>): AsyncGenerator<T> {
    for (;;) {
      const next = await this.race(source.next());
      if (next.done) return;
      yield next.value;
    }
  }
}

async function* rowsOf(workbook: OpenWorkbook, sheet: Worksheet, options: ReadOptions): AsyncGenerator<SheetRow> {
  const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;
  const stop = new Stop();
  const timer = setTimeout(() => stop.stop(tooSlow()), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let feed: Readable | undefined;
  let count = 0;
  try {
    feed = storedZip(await stop.race(partsFor(workbook, sheet)));
    feed.once('error', (error: unknown) => stop.stop(error instanceof UploadRefused ? error : damaged()));
    const worksheets = new ExcelJS.stream.xlsx.WorkbookReader(feed, READER_OPTIONS)[Symbol.asyncIterator]();
    for await (const worksheet of stop.each(worksheets)) {
      for await (const row of stop.each(worksheet[Symbol.asyncIterator]())) {
        // A row's values are a sparse array indexed by column number, so index 0 is always empty.
        const values = Array.isArray(row.values) ? row.values : [];
        const cells = Array.from(values.slice(1), (value, i) => (typeof value === 'number' ? asShown(value, row.getCell(i + 1).numFmt) : toCellValue(value)));
        if (isBlankRow(cells)) continue;
        count += 1;
        if (count > maxRows) throw tooManyRows(maxRows);
        yield { row: row.number, cells };
      }
    }
  } catch (error) {
    throw error instanceof UploadRefused ? error : damaged();
  } finally {
    clearTimeout(timer);
    // Ends the feed and every inflater behind it; exceljs, left waiting, is then collected.
    feed?.destroy();
  }
}

/**
 * The rows of one worksheet, streamed: each row is yielded as it is parsed and never kept.
 *
 * - Which sheet: `options.sheet` picks by name and position; by default the first worksheet
 *   in workbook (tab) order, hidden or not, skipping the error list this system adds to an
 *   annotated workbook (`ERROR_LIST_SHEET`). No sheet matching: no rows.
 * - Rows: Excel's own row numbers; rows with nothing but blanks are skipped, wherever they
 *   are (the sheet's declared dimensions are never used). Cells by column, index 0 = column A.
 * - Cells: shared and inline strings and rich text as plain text; a formula as its cached
 *   result (null when none was saved; a date a formula computed comes as its serial number);
 *   an error as CellError; a date-formatted number as the wall-clock date and time Excel
 *   shows, to the second; an integer whose number format pads it with zeros (0000000000,
 *   "SN-"000000) as the text it shows; other numbers and booleans as they are.
 * - Merged cells: only the top-left cell of a merged range holds the value; the others read blank.
 *
 * @throws UploadRefused `too_many_rows` past `maxRows` non-blank rows, and `unreadable` when
 *   the workbook is damaged or the read outlasts `timeoutMs`.
 */
export async function* readRows(bytes: Uint8Array, options: ReadOptions = {}): AsyncGenerator<SheetRow> {
  const pick = options.sheet ?? ((name: string) => name !== ERROR_LIST_SHEET);
  const workbook = await openWorkbook(bytes);
  try {
    const sheet = workbook.index.worksheets.find((s, i) => pick(s.name, i));
    if (sheet !== undefined) yield* rowsOf(workbook, sheet, options);
  } finally {
    workbook.zip.close();
  }
}

/**
 * Past these, exceljs's full loader (used to annotate an upload in place) takes unbounded time:
 * it checks each merged range against every earlier one, expands a column range such as
 * I:XFD into one column each, and holds every sheet whole, however many there are.
 */
const FULL_LOAD_LIMITS = { sheets: 100, sheetXmlBytes: 32 * 1024 * 1024, merges: 2_000, columns: 1_024 };
const MERGE_CELL = Buffer.from('<mergeCell ');

/** The merged ranges a worksheet part declares, counted as it streams by; stops counting past `limit`. */
async function mergesOf(zip: yauzl.ZipFile, entry: yauzl.Entry, limit: number): Promise<number> {
  let merges = 0;
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of entryChunks(zip, entry)) {
    const bytes = Buffer.concat([carry, chunk]);
    for (let at = bytes.indexOf(MERGE_CELL); at >= 0; at = bytes.indexOf(MERGE_CELL, at + 1)) if (++merges > limit) return merges;
    carry = bytes.subarray(Math.max(0, bytes.length - MERGE_CELL.length + 1));
  }
  return merges;
}

const columnSpan = (head: string): number =>
  tags(head, 'col').reduce((span, tag) => span + Math.max(0, Number(attribute(tag, 'max') ?? 0) - Number(attribute(tag, 'min') ?? 0) + 1), 0);

/**
 * Whether exceljs's full loader can be trusted with this workbook: parts where it looks for
 * them (xl/workbook.xml, xl/worksheets/sheetN.xml), nothing to normalise, and none of what
 * makes it slow (see FULL_LOAD_LIMITS). Its loop over merged ranges cannot be interrupted by a
 * timer, so this is judged before, by streaming the sheets once.
 */
export async function suitsFullLoad(bytes: Uint8Array): Promise<boolean> {
  let workbook: OpenWorkbook;
  try {
    workbook = await openWorkbook(bytes);
  } catch {
    return false;
  }
  const { zip, entries, index } = workbook;
  try {
    if (index.workbook !== 'xl/workbook.xml' || index.worksheets.length === 0 || index.listed > FULL_LOAD_LIMITS.sheets) return false;
    const parts = [index.workbook, index.sharedStrings, index.styles].flatMap((part) => (part === undefined ? [] : [entries.get(part)]));
    for (const entry of parts) if (entry === undefined || normalisationOf(await headOf(zip, entry), false) !== undefined) return false;
    let xmlBytes = 0;
    let merges = 0;
    let columns = 0;
    for (const sheet of index.worksheets) {
      const entry = entries.get(sheet.part);
      if (entry === undefined || !/^xl\/worksheets\/sheet\d+\.xml$/.test(sheet.part)) return false;
      xmlBytes += entry.uncompressedSize;
      const head = await headOf(zip, entry);
      columns += columnSpan(head);
      if (xmlBytes > FULL_LOAD_LIMITS.sheetXmlBytes || columns > FULL_LOAD_LIMITS.columns || normalisationOf(head, true) !== undefined) return false;
      merges += await mergesOf(zip, entry, FULL_LOAD_LIMITS.merges - merges);
      if (merges > FULL_LOAD_LIMITS.merges) return false;
    }
    return true;
  } catch {
    return false;
  } finally {
    zip.close();
  }
}
