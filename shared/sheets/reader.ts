import type yauzl from 'yauzl';
import type { SheetRow } from '../domain/cells.js';
import type { FieldSpec } from '../domain/fields.js';
import { createHeaderMatcher, HEADER_SCAN_LIMIT, isHeaderRow, mapHeaderRow, type HeaderMatcher } from '../domain/headers.js';
import { chooseSheet, inPeriod, type SheetChoice, type SheetSurvey } from '../domain/sheet-choice.js';
import { footerText } from '../domain/table-validation.js';
import { isEmptyCell } from '../domain/values.js';
import { damaged, doctype, inflatesWithinDeclaredSizes, refusal, tooManyRows, UploadRefused, zipBombOr } from './guard.js';
import { attribute, openPackage, tags, type OpenedPackage, type Worksheet } from './package.js';
import { DoctypePart, feed, readSharedStrings, readStyles, SharedStrings, worksheetParser, type NumberFormat, type SheetContext } from './sheet-xml.js';
import { EntryOverflow, type Archive } from './zip.js';

/**
 * The sheet reader: one pass over the archive, with yauzl inflating and saxes parsing (see
 * sheet-xml.ts). The package is opened once (by the guard, for an upload) and handed on; its
 * shared strings and styles are parsed at most once, however many sheets are looked at; the
 * chosen worksheet is streamed once and never held, its rows handed on in batches as the
 * XML arrives. exceljs is used only to write workbooks.
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

const tooSlow = (): UploadRefused =>
  refusal(
    'unreadable',
    'The workbook could not be read in time; it may be damaged or far larger than a report. Open it in Excel, save it again and upload the new file',
    '工作簿未能在限定时间内读完，可能已损坏或远超正常报表；请用 Excel 打开后重新保存，再上传新文件',
  );

/**
 * An entry's inflated chunks, refused as too slow once `deadline` has passed, and as a bomb
 * when it inflates past its declared size: the check that makes a part safe to read is made
 * while it is read, the only time it is inflated.
 */
async function* chunksBefore(archive: Archive, entry: yauzl.Entry, deadline: number): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of archive.chunks(entry)) {
      if (Date.now() > deadline) throw tooSlow();
      yield chunk;
    }
  } catch (error) {
    throw error instanceof EntryOverflow ? zipBombOr(entry) : error;
  }
}

/**
 * What anything but a refusal, thrown while reading `entry`, means: the workbook is damaged,
 * unless the part inflates past its declared size, which makes it a bomb whatever its first
 * bytes held (a bomb's need not be XML). That is found by inflating it again, within its
 * declared size, on this path only.
 */
async function asRefusal(error: unknown, archive: Archive, entry: yauzl.Entry | undefined): Promise<UploadRefused> {
  if (error instanceof UploadRefused) return error;
  if (entry === undefined) return damaged();
  if (error instanceof DoctypePart) return doctype(entry.fileName);
  try {
    for await (const _ of archive.chunks(entry));
  } catch (inflating) {
    if (inflating instanceof EntryOverflow) return zipBombOr(entry);
  }
  return damaged();
}

/** The result of parsing `entry` with `parse`, or the refusal of what broke it. */
async function parsePart<T>(archive: Archive, entry: yauzl.Entry, parse: () => Promise<T>): Promise<T> {
  try {
    return await parse();
  } catch (error) {
    throw await asRefusal(error, archive, entry);
  }
}

/**
 * An opened workbook, read from as often as needed: its sheets' names, the sheet that holds
 * the data, the rows of any sheet. The shared strings and styles are parsed on the first read
 * and kept (a compact array of strings, and one entry per cell format).
 */
export class Workbook {
  private context: Promise<Omit<SheetContext, 'date1904'>> | undefined;

  constructor(readonly opened: OpenedPackage) {}

  /** Opens and indexes an archive held in memory; the guard's `inspectWorkbook` does the same for an upload and is preferred. */
  static async open(bytes: Uint8Array): Promise<Workbook> {
    try {
      return new Workbook(await openPackage(bytes));
    } catch {
      throw damaged();
    }
  }

  /** The worksheets in workbook (tab) order, hidden ones included; chart sheets are left out. */
  get worksheets(): readonly Worksheet[] {
    return this.opened.index.worksheets;
  }

  close(): void {
    this.opened.archive.close();
  }

  private part(path: string | undefined): yauzl.Entry | undefined {
    return path === undefined ? undefined : this.opened.entries.get(path);
  }

  private async sheetContext(deadline: number): Promise<SheetContext> {
    const { archive, index } = this.opened;
    this.context ??= (async () => {
      const strings = this.part(index.sharedStrings);
      const styles = this.part(index.styles);
      return {
        sharedStrings: strings === undefined ? SharedStrings.of([]) : await parsePart(archive, strings, () => readSharedStrings(chunksBefore(archive, strings, deadline))),
        formats: styles === undefined ? ([] as NumberFormat[]) : await parsePart(archive, styles, () => readStyles(chunksBefore(archive, styles, deadline))),
      };
    })();
    try {
      return { ...(await this.context), date1904: index.date1904 };
    } catch (error) {
      // A later read, with a later deadline, may try again.
      this.context = undefined;
      throw error;
    }
  }

  /**
   * The rows of one worksheet in batches, as the XML arrives (see `readRows` for what they
   * hold); the batches are the caller's to keep, nothing else of the sheet is held.
   *
   * @throws UploadRefused `too_many_rows` past `maxRows` non-blank rows, and `unreadable`
   *   when the workbook is damaged or the read outlasts `timeoutMs`.
   */
  async *batches(sheet: Worksheet, options: Omit<ReadOptions, 'sheet'> = {}): AsyncGenerator<SheetRow[]> {
    const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;
    const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    let count = 0;
    const entry = this.part(sheet.part);
    try {
      if (entry === undefined) throw damaged();
      const { sax, take } = worksheetParser(await this.sheetContext(deadline));
      for await (const rows of feed(chunksBefore(this.opened.archive, entry, deadline), sax, take)) {
        count += rows.length;
        if (count > maxRows) {
          const allowed = rows.length - (count - maxRows);
          if (allowed > 0) yield rows.slice(0, allowed);
          throw tooManyRows(maxRows);
        }
        yield rows;
      }
    } catch (error) {
      throw await asRefusal(error, this.opened.archive, entry);
    }
  }

  /** The rows of the worksheet `options.sheet` picks, one by one (see `readRows`). */
  async *rows(options: ReadOptions = {}): AsyncGenerator<SheetRow> {
    const pick = options.sheet ?? ((name: string) => name !== ERROR_LIST_SHEET);
    const sheet = this.worksheets.find((s, i) => pick(s.name, i));
    if (sheet === undefined) return;
    for await (const batch of this.batches(sheet, options)) yield* batch;
  }

  /**
   * The worksheet the data is on, as `chooseSheet` (shared/domain/sheet-choice.ts) decides from
   * the top of every worksheet: visible sheets first, a sheet holding the header and rows over
   * a blank template, the report's month by the rows' dates or the sheet's name, and a
   * refusal naming the candidates when that cannot tell, or naming the hidden sheets the only
   * rows are on. A workbook of one worksheet is not surveyed.
   */
  async chooseDataSheet(search: SheetSearch): Promise<SheetChoice> {
    const candidates = this.worksheets.filter((sheet) => sheet.name !== ERROR_LIST_SHEET);
    if (candidates.length <= 1) return { kind: 'chosen', name: candidates[0]?.name };
    const match = createHeaderMatcher(search.fields);
    const deadline = Date.now() + (search.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const surveys: SheetSurvey[] = [];
    for (const sheet of candidates) surveys.push(await this.survey(sheet, search, match, deadline));
    return chooseSheet(surveys, search.period?.month);
  }

  /** The top of one worksheet: whether it holds the header, and how many of the rows under it fall in the month. */
  private async survey(sheet: Worksheet, search: SheetSearch, match: HeaderMatcher, deadline: number): Promise<SheetSurvey> {
    let scanned = 0;
    let column: number | undefined;
    let header = false;
    let rows = 0;
    let inMonth = 0;
    for await (const row of this.rows({ sheet: (name) => name === sheet.name, timeoutMs: Math.max(1, deadline - Date.now()) })) {
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
}

/** The workbook `work` is given, opened from bytes when they are not already opened, and closed after if it was opened here. */
async function withWorkbook<T>(source: Uint8Array | Workbook, work: (workbook: Workbook) => Promise<T>): Promise<T> {
  if (source instanceof Workbook) return work(source);
  const workbook = await Workbook.open(source);
  try {
    return await work(workbook);
  } finally {
    workbook.close();
  }
}

/**
 * Names of the worksheets in workbook (tab) order, hidden ones included; chart sheets are left
 * out. Used to pick master-data sheets by name.
 *
 * @throws UploadRefused `unreadable` when the archive cannot be read.
 */
export const sheetNames = (source: Uint8Array | Workbook): Promise<string[]> => withWorkbook(source, async (workbook) => workbook.worksheets.map((sheet) => sheet.name));

/** Data rows under the header looked at per sheet to tell which one holds the report. */
const SURVEY_ROWS = 50;

/** What the data sheet is chosen by: the upload type's fields and, for a monthly report, its month and the field dated in it. */
export interface SheetSearch {
  readonly fields: readonly FieldSpec[];
  readonly period?: { readonly month: string; readonly field: FieldSpec };
  readonly timeoutMs?: number;
}

/**
 * The worksheet an upload's data is on (see `Workbook.chooseDataSheet`).
 *
 * @throws UploadRefused `unreadable` when the archive cannot be read.
 */
export const chooseDataSheet = (source: Uint8Array | Workbook, search: SheetSearch): Promise<SheetChoice> => withWorkbook(source, (workbook) => workbook.chooseDataSheet(search));

/** `readRows` options that read the named sheet, or the default sheet when there is no name. */
export const onSheet = (name: string | undefined): Pick<ReadOptions, 'sheet'> => (name === undefined ? {} : { sheet: (sheet) => sheet === name });

/**
 * The rows of one worksheet, streamed: each row is yielded as it is parsed and never kept.
 *
 * - Which sheet: `options.sheet` picks by name and position; by default the first worksheet
 *   in workbook (tab) order, hidden or not, skipping the error list this system adds to an
 *   annotated workbook (`ERROR_LIST_SHEET`). No sheet matching: no rows.
 * - Rows: Excel's own row numbers; rows with nothing but blanks are skipped, wherever they
 *   are (the sheet's declared dimensions are never used). Cells by column, index 0 = column A,
 *   up to the last that holds a value; an empty cell before it is null.
 * - Cells: shared and inline strings and rich text as plain text (phonetic guides left out,
 *   OOXML's _xHHHH_ escapes decoded); a formula as its cached result (null when none was
 *   saved; a date a formula computed comes as its serial number); an error as CellError; a
 *   date-formatted number as the wall-clock date and time Excel shows, to the second; an
 *   integer whose number format pads it with zeros (0000000000, "SN-"000000) as the text it
 *   shows; other numbers and booleans as they are.
 * - Merged cells: only the top-left cell of a merged range holds the value; the others read blank.
 *
 * @throws UploadRefused `too_many_rows` past `maxRows` non-blank rows, and `unreadable` when
 *   the workbook is damaged or the read outlasts `timeoutMs`.
 */
export async function* readRows(source: Uint8Array | Workbook, options: ReadOptions = {}): AsyncGenerator<SheetRow> {
  if (source instanceof Workbook) {
    yield* source.rows(options);
    return;
  }
  const workbook = await Workbook.open(source);
  try {
    yield* workbook.rows(options);
  } finally {
    workbook.close();
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
async function mergesOf(archive: Archive, entry: yauzl.Entry, limit: number): Promise<number> {
  let merges = 0;
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of archive.chunks(entry)) {
    const bytes = Buffer.concat([carry, chunk]);
    for (let at = bytes.indexOf(MERGE_CELL); at >= 0; at = bytes.indexOf(MERGE_CELL, at + 1)) if (++merges > limit) return merges;
    carry = bytes.subarray(Math.max(0, bytes.length - MERGE_CELL.length + 1));
  }
  return merges;
}

const columnSpan = (head: string): number =>
  tags(head, 'col').reduce((span, tag) => span + Math.max(0, Number(attribute(tag, 'max') ?? 0) - Number(attribute(tag, 'min') ?? 0) + 1), 0);

/** How far into a part `fullLoadReads` looks for its root element and first rows. */
const HEAD_BYTES = 256 * 1024;

/** The start of an entry's text: enough to see its root element and, for a worksheet, its first cells. */
async function headOf(archive: Archive, entry: yauzl.Entry): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of archive.chunks(entry)) {
    chunks.push(chunk);
    length += chunk.length;
    if (length >= HEAD_BYTES) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}

const MAIN_NAMESPACES = ['http://schemas.openxmlformats.org/spreadsheetml/2006/main', 'http://purl.oclc.org/ooxml/spreadsheetml/main'];
const FIRST_CELL = /<(?:[\w.-]+:)?(?:c|row)(?=[\s/>])[^>]*>/g;

/**
 * Whether exceljs's full loader reads a part that starts with `head` as it is: it matches
 * elements by their literal names, so it misreads a part that prefixes SpreadsheetML's
 * namespace (`<x:worksheet xmlns:x=…>`) and a worksheet whose rows or cells leave out their `r`.
 */
function fullLoadReads(head: string, worksheet: boolean): boolean {
  if (head.slice(0, 1024).includes('<!DOCTYPE')) return false;
  const prefixed = [...head.matchAll(/\sxmlns:([\w.-]+)\s*=\s*["']([^"']*)["']/g)].some(([, name, uri]) => MAIN_NAMESPACES.includes(uri ?? '') && head.includes(`<${name}:`));
  const unreferenced = worksheet && [...head.matchAll(FIRST_CELL)].slice(0, 2).some(([tag]) => !/\sr\s*=/.test(tag));
  return !prefixed && !unreferenced;
}

/**
 * Whether exceljs's full loader can be trusted with this workbook: every part inflating within
 * its declared size and declaring no XML entities (exceljs inflates every part, including the
 * ones the reader never reads), parts where it looks for them (xl/workbook.xml,
 * xl/worksheets/sheetN.xml), nothing it misreads, and none of what makes it slow (see
 * FULL_LOAD_LIMITS). Its loop over merged ranges cannot be interrupted by a timer, so this is
 * judged before, from the package already opened.
 */
export async function suitsFullLoad(source: Uint8Array | Workbook): Promise<boolean> {
  try {
    return await withWorkbook(source, (workbook) => fullLoadSafe(workbook.opened));
  } catch {
    return false;
  }
}

async function fullLoadSafe({ archive, entries, index, othersChecked }: OpenedPackage): Promise<boolean> {
  if (index.workbook !== 'xl/workbook.xml' || index.worksheets.length === 0 || index.listed > FULL_LOAD_LIMITS.sheets) return false;
  // Past the guard only the worksheets, shared strings and styles are left to check: the worksheets are streamed whole below.
  const unchecked = othersChecked === true ? [index.sharedStrings, index.styles].flatMap((part) => (part === undefined ? [] : [entries.get(part)])) : [...entries.values()];
  if (!(await inflatesWithinDeclaredSizes(archive, unchecked.filter((entry) => entry !== undefined)))) return false;
  const parts = [index.workbook, index.sharedStrings, index.styles].flatMap((part) => (part === undefined ? [] : [entries.get(part)]));
  for (const entry of parts) if (entry === undefined || !fullLoadReads(await headOf(archive, entry), false)) return false;
  let xmlBytes = 0;
  let merges = 0;
  let columns = 0;
  for (const sheet of index.worksheets) {
    const entry = entries.get(sheet.part);
    if (entry === undefined || !/^xl\/worksheets\/sheet\d+\.xml$/.test(sheet.part)) return false;
    xmlBytes += entry.uncompressedSize;
    const head = await headOf(archive, entry);
    columns += columnSpan(head);
    if (xmlBytes > FULL_LOAD_LIMITS.sheetXmlBytes || columns > FULL_LOAD_LIMITS.columns || !fullLoadReads(head, true)) return false;
    // Streamed whole, within its declared size (a part past it throws, and the workbook is copied instead).
    merges += await mergesOf(archive, entry, FULL_LOAD_LIMITS.merges - merges);
    if (merges > FULL_LOAD_LIMITS.merges) return false;
  }
  return true;
}
