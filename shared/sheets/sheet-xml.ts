import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { CellValue, SheetRow } from '../domain/cells.js';

/**
 * The SpreadsheetML a report is made of, parsed as it streams by with saxes: the shared
 * strings into an array of plain strings, the styles into what each cell format says about
 * numbers, and a worksheet into rows, each cell as the domain's CellValue.
 *
 * Elements are matched by their local name, so a part that prefixes SpreadsheetML's namespace
 * (`<x:worksheet xmlns:x=…>`, as WPS, Tencent Docs and the OpenXML SDK write) and a Strict OOXML
 * part (the purl.oclc.org namespace) read as Excel's own. Rows and cells without their optional
 * `r` reference (Numbers, the OpenXML SDK) are counted as Excel counts: the next row, the next column.
 */

/** Excel caps a cell at 32,767 characters; text far longer than that in one element is damage, not data. */
const MAX_TEXT_CHARS = 1024 * 1024;

/** The element name without its namespace prefix. */
const local = (name: string): string => {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
};

/** Thrown by the parsers below on anything that is not well-formed SpreadsheetML; the reader turns it into a refusal. */
export class DamagedPart extends Error {}

/** A part declaring its own entities; Excel never writes one. The reader names the part in its refusal. */
export class DoctypePart extends Error {}

/** A parser that throws on the first error, tracks no positions and refuses a DOCTYPE. */
function parser(): SaxesParser {
  const sax = new SaxesParser({ position: false });
  sax.on('error', (error) => {
    throw new DamagedPart(error.message);
  });
  sax.on('doctype', () => {
    throw new DoctypePart('DOCTYPE');
  });
  return sax;
}

const STREAM = { stream: true } as const;

/**
 * Inflated bytes decoded and parsed at a time. What a parse holds while it runs (the decoded
 * text, the rows it completes before they are handed on) survives the young generation's
 * collections, and V8 answers survivors by doubling the young generation: fed 32 KiB at a
 * time, a 100,000-row sheet took it from 16 to 32 MB of resident memory; 4 KiB keeps it at 16.
 */
const FEED_BYTES = 4 * 1024;

/**
 * Feeds a part's inflated chunks to `sax` FEED_BYTES at a time, decoded as UTF-8 across the
 * cuts (a character cut in two is put together, never replaced), calling `after` after each
 * piece so that the caller can hand on what it completed.
 */
export async function* feed<T>(chunks: AsyncIterable<Buffer>, sax: SaxesParser, after: () => T | undefined): AsyncGenerator<T> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    for (let at = 0; at < chunk.length; at += FEED_BYTES) {
      sax.write(decoder.decode(chunk.subarray(at, at + FEED_BYTES), STREAM));
      const ready = after();
      if (ready !== undefined) yield ready;
    }
  }
  sax.write(decoder.decode());
  sax.close();
  const last = after();
  if (last !== undefined) yield last;
}

const OOXML_ESCAPE = /_x([0-9A-Fa-f]{4})_/g;

/**
 * Text with OOXML's escapes decoded, as Excel shows it: Excel writes a character XML cannot
 * hold (BEL, ESC, ...) as `_x0007_`, and a literal `_x` as `_x005F_x`.
 */
export const unescapeText = (text: string): string =>
  text.includes('_x') ? text.replace(OOXML_ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;

/**
 * UTF-16 bytes at which a segment of the shared-strings table is closed: past Node's threshold
 * for external strings (EXTERN_APEX, 1,031,913 characters), so that `toString('utf16le')`
 * hands V8 a string whose characters live outside the JavaScript heap.
 */
const SEGMENT_BYTES = 2 * 1024 * 1024;

/** Strings a table may make room for on its own word: 6 MB of offsets. */
const MAX_RESERVED = 1 << 20;

/**
 * The shared strings, compact: a report's table holds hundreds of thousands of short strings,
 * so they are kept joined into segments of a million characters, with where each string ends
 * and which segment holds it (in typed arrays), rather than as as many string objects; a
 * cell's string is cut out of its segment when the cell is read. Each segment is an external
 * string, made once from UTF-16 bytes gathered outside the heap: a table kept on the heap
 * survives the young generation's collections while it is read, and V8 answers survivors by
 * doubling the young generation (16 MB more resident memory at 100,000 rows). The last,
 * smaller segment is an ordinary string. 65,536 segments (128 GiB of text) are past any part
 * the guard lets through.
 */
export class SharedStrings {
  private readonly segments: string[] = [];
  /** Where each string ends in its segment, in UTF-16 code units, and which segment it is in. */
  private ends = new Uint32Array(16 * 1024);
  private segmentOf = new Uint16Array(16 * 1024);
  private size = 0;
  /** The open segment's text as UTF-16LE, and its length in bytes. */
  private scratch = Buffer.allocUnsafe(SEGMENT_BYTES + 64 * 1024);
  private bytes = 0;

  /** The table of these strings; an empty one reads blank. */
  static of(strings: readonly string[]): SharedStrings {
    const table = new SharedStrings();
    for (const text of strings) table.push(text);
    table.close();
    return table;
  }

  push(text: string): void {
    if (this.bytes + text.length * 2 > this.scratch.length) {
      const larger = Buffer.allocUnsafe(this.bytes + text.length * 2);
      this.scratch.copy(larger, 0, 0, this.bytes);
      this.scratch = larger;
    }
    this.bytes += this.scratch.write(text, this.bytes, 'utf16le');
    if (this.size === this.ends.length) {
      const ends = new Uint32Array(this.ends.length * 2);
      ends.set(this.ends);
      this.ends = ends;
      const segmentOf = new Uint16Array(this.segmentOf.length * 2);
      segmentOf.set(this.segmentOf);
      this.segmentOf = segmentOf;
    }
    this.segmentOf[this.size] = this.segments.length;
    this.ends[this.size++] = this.bytes / 2;
    if (this.bytes >= SEGMENT_BYTES) this.seal();
  }

  /**
   * Makes room for `count` strings at once, as the table declares (`uniqueCount`), rather than
   * doubling as they come; a count past MAX_RESERVED is not taken on trust.
   */
  reserve(count: number): void {
    const room = Math.min(count, MAX_RESERVED);
    if (!(room > this.ends.length)) return;
    const ends = new Uint32Array(room);
    ends.set(this.ends.subarray(0, this.size));
    this.ends = ends;
    const segmentOf = new Uint16Array(room);
    segmentOf.set(this.segmentOf.subarray(0, this.size));
    this.segmentOf = segmentOf;
  }

  /** Closes the table: its last segment made, the buffer it was gathered in and the room left over let go. */
  close(): void {
    this.seal();
    this.scratch = Buffer.alloc(0);
    this.ends = this.ends.slice(0, this.size);
    this.segmentOf = this.segmentOf.slice(0, this.size);
  }

  /** Closes the open segment, if it holds any string. */
  private seal(): void {
    if (this.size === 0 || this.segmentOf[this.size - 1] !== this.segments.length) return;
    this.segments.push(this.scratch.toString('utf16le', 0, this.bytes));
    this.bytes = 0;
  }

  get count(): number {
    return this.size;
  }

  /** The string at `index`; null when it is empty or there is no such string, as Excel shows a blank. */
  at(index: number): string | null {
    if (!(index >= 0 && index < this.size)) return null;
    const segment = this.segmentOf[index] as number;
    const text = this.segments[segment];
    if (text === undefined) return null;
    const start = index === 0 || this.segmentOf[index - 1] !== segment ? 0 : (this.ends[index - 1] as number);
    const end = this.ends[index] as number;
    return end === start ? null : text.slice(start, end);
  }
}

/**
 * The shared strings, in order: each item's text, its rich-text runs joined and its phonetic
 * guide (`rPh`, the furigana over Japanese text) left out, as Excel shows it. An item with no
 * text at all reads blank.
 */
export async function readSharedStrings(chunks: AsyncIterable<Buffer>): Promise<SharedStrings> {
  const strings = new SharedStrings();
  const sax = parser();
  let text = '';
  let capturing = false;
  let phonetic = 0;
  const open = (name: string, attributes: Record<string, string>): void => {
    switch (name) {
      case 'si':
        text = '';
        break;
      case 'sst':
        strings.reserve(Number(attributes.uniqueCount ?? 0));
        break;
      case 't':
        capturing = phonetic === 0;
        break;
      case 'rPh':
        phonetic += 1;
        break;
      default:
        if (name.includes(':')) open(local(name), attributes);
    }
  };
  const close = (name: string): void => {
    switch (name) {
      case 't':
        capturing = false;
        break;
      case 'si':
        strings.push(unescapeText(text));
        text = '';
        break;
      case 'rPh':
        phonetic -= 1;
        break;
      default:
        if (name.includes(':')) close(local(name));
    }
  };
  sax.on('opentag', (tag) => open(tag.name, tag.attributes as Record<string, string>));
  sax.on('text', (value) => {
    if (!capturing) return;
    text += value;
    if (text.length > MAX_TEXT_CHARS) throw new DamagedPart('a shared string runs on past 1 MiB');
  });
  sax.on('cdata', (value) => {
    if (capturing) text += value;
  });
  sax.on('closetag', (tag) => close(tag.name));
  for await (const _ of feed(chunks, sax, () => undefined));
  strings.close();
  return strings;
}

/** What a cell format says about the numbers it shows. */
export interface NumberFormat {
  /** The format reads as a date or time: the number is a serial date. */
  readonly date: boolean;
  /** How an integer shows when the format pads it with zeros (0000000000, "SN-"000000). */
  readonly show: ((n: number) => string) | undefined;
}

/** The built-in formats a cell may name by id alone; the ids left out show numbers as numbers. */
const BUILT_IN_FORMATS: Readonly<Record<number, string>> = {
  1: '0',
  2: '0.00',
  3: '#,##0',
  4: '#,##0.00',
  9: '0%',
  10: '0.00%',
  11: '0.00E+00',
  12: '# ?/?',
  13: '# ??/??',
  14: 'mm-dd-yy',
  15: 'd-mmm-yy',
  16: 'd-mmm',
  17: 'mmm-yy',
  18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM',
  20: 'h:mm',
  21: 'h:mm:ss',
  22: 'm/d/yy h:mm',
  37: '#,##0 ;(#,##0)',
  38: '#,##0 ;[Red](#,##0)',
  39: '#,##0.00 ;(#,##0.00)',
  40: '#,##0.00 ;[Red](#,##0.00)',
  45: 'mm:ss',
  46: '[h]:mm:ss',
  47: 'mmss.0',
  48: '##0.0E+0',
  49: '@',
};

/**
 * The ids Chinese, Japanese and Korean Excel reserve for their local date formats (such as
 * yyyy"年"m"月"d"日", id 31 in a Chinese Excel): a file names them by id and leaves the text
 * to the reader's locale, so they are dates whatever the text would be.
 */
const isLocalDateId = (id: number): boolean => (id >= 27 && id <= 36) || (id >= 50 && id <= 58);

/** A format shows dates when, outside quotes and [brackets], it has a date or time letter. */
const isDateFormat = (format: string): boolean => /[ymdhMsb]/.test(format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));

/** A number format's literal text: "SN-" in quotes, or one character after a backslash. */
const FORMAT_LITERAL = /^(?:"([^"]*)"|\\(.))/;

/**
 * How a number format that pads integers with zeros shows a value, such as 0000000000 or
 * "SN-"000000: the literal text around the zeros, the digits padded to their count. Undefined
 * for any other format, whose numbers are read as numbers.
 */
function padding(format: string): ((n: number) => string) | undefined {
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
  if (!(zeros > 1 || (zeros === 1 && before.length + after.length > 0))) return undefined;
  const [head, tail] = [before.join(''), after.join('')];
  return (n: number) => `${head}${String(n).padStart(zeros, '0')}${tail}`;
}

const PLAIN: NumberFormat = { date: false, show: undefined };

const numberFormat = (format: string | undefined): NumberFormat => (format === undefined ? PLAIN : { date: isDateFormat(format), show: padding(format) });

/** The cell formats (`cellXfs`) by index, each as what it says about numbers. */
export async function readStyles(chunks: AsyncIterable<Buffer>): Promise<NumberFormat[]> {
  const custom = new Map<number, string>();
  const formatIds: number[] = [];
  const sax = parser();
  let inCellXfs = false;
  sax.on('opentag', (tag) => {
    switch (local(tag.name)) {
      case 'numFmt': {
        const { numFmtId, formatCode } = tag.attributes as Record<string, string | undefined>;
        if (numFmtId !== undefined && formatCode !== undefined) custom.set(Number(numFmtId), formatCode);
        break;
      }
      case 'cellXfs':
        inCellXfs = true;
        break;
      case 'xf':
        if (inCellXfs) formatIds.push(Number((tag.attributes as Record<string, string | undefined>).numFmtId ?? 0) || 0);
        break;
    }
  });
  sax.on('closetag', (tag) => {
    if (local(tag.name) === 'cellXfs') inCellXfs = false;
  });
  for await (const _ of feed(chunks, sax, () => undefined));
  const formats = new Map<number, NumberFormat>();
  return formatIds.map((id) => {
    let format = formats.get(id);
    if (format === undefined) {
      format = id === 0 ? PLAIN : isLocalDateId(id) && !custom.has(id) ? { date: true, show: undefined } : numberFormat(custom.get(id) ?? BUILT_IN_FORMATS[id]);
      formats.set(id, format);
    }
    return format;
  });
}

/** What a worksheet's cells are read with. */
export interface SheetContext {
  readonly sharedStrings: SharedStrings;
  readonly formats: readonly NumberFormat[];
  /** Dates count from 1904 (Excel for Mac's old default) instead of 1900. */
  readonly date1904: boolean;
}

const MS_PER_DAY = 86_400_000;
/** 1970-01-01 as an Excel serial in the 1900 date system; the 1904 system starts 1,462 days later. */
const UNIX_EPOCH_SERIAL = 25_569;
const DATE_1904_OFFSET = 1_462;
/** The largest time a JavaScript Date holds. */
const MAX_TIME = 8.64e15;

/**
 * A serial date as the wall-clock date and time Excel shows, to the second. A serial far
 * outside Excel's calendar (years 1900–9999) is the error Excel itself shows.
 */
function dateOf(serial: number, date1904: boolean): CellValue {
  const ms = Math.round((serial - UNIX_EPOCH_SERIAL + (date1904 ? DATE_1904_OFFSET : 0)) * MS_PER_DAY);
  const time = Math.round(ms / 1000) * 1000;
  if (!Number.isFinite(time) || Math.abs(time) > MAX_TIME) return { kind: 'error', text: '#NUM!' };
  const days = Math.floor(time / MS_PER_DAY);
  const seconds = (time - days * MS_PER_DAY) / 1000;
  // The proleptic Gregorian date of a day count from 1970-01-01 (Howard Hinnant's civil_from_days): no Date made per cell.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return {
    kind: 'datetime',
    year: yoe + era * 400 + (month <= 2 ? 1 : 0),
    month,
    day: doy - Math.floor((153 * mp + 2) / 5) + 1,
    hour: Math.floor(seconds / 3600),
    minute: Math.floor(seconds / 60) % 60,
    second: seconds % 60,
  };
}

/** A cell typed `t="d"`: an ISO 8601 date and time, read as the wall clock it names. */
function isoDateOf(text: string): CellValue {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(text.trim());
  if (match === null) return { kind: 'error', text: '#VALUE!' };
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
  return { kind: 'datetime', year: year ?? 0, month: month ?? 0, day: day ?? 0, hour: hour ?? 0, minute: minute ?? 0, second: second ?? 0 };
}

/** The 1-based column of a cell reference such as AB12; 0 when it has no letters. */
function columnOf(reference: string): number {
  let column = 0;
  for (let i = 0; i < reference.length; i++) {
    const code = reference.charCodeAt(i) | 0x20;
    if (code < 0x61 || code > 0x7a) break;
    column = column * 26 + code - 0x60;
  }
  return column;
}

/**
 * A shared string's index as parseInt reads it, without parseInt for the plain digits nearly
 * every cell holds: a third of what making a cell's value costs was parseInt's.
 */
function sharedIndex(text: string): number {
  const length = text.length;
  if (length === 0 || length > 9) return parseInt(text, 10);
  let index = 0;
  for (let i = 0; i < length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return parseInt(text, 10);
    index = index * 10 + digit;
  }
  return index;
}

/** Columns in a sheet; a reference past the last is damage. */
const MAX_COLUMN = 16_384;

/**
 * A worksheet's rows as the sheet reader yields them (see `readRows` in reader.ts for what each
 * cell becomes): returns the parser to feed and `take`, which hands over the rows completed so
 * far. Rows with nothing but blanks are never produced; nothing else of the sheet is kept.
 */
export function worksheetParser({ sharedStrings, formats, date1904 }: SheetContext): { sax: SaxesParser; take: () => SheetRow[] | undefined } {
  const sax = parser();
  let rows: SheetRow[] = [];
  let rowNumber = 0;
  let rowFormat: NumberFormat | undefined;
  let cells: CellValue[] = [];
  /** Whether the open row holds anything but blanks. */
  let filled = false;
  let column = 0;
  let inSheetData = false;
  let inRow = false;
  // The open cell.
  let inCell = false;
  let type: string | undefined;
  let format: NumberFormat | undefined;
  let formula = false;
  let text: string | undefined;
  let capturing = false;
  let phonetic = 0;

  const value = (): CellValue => {
    if (text === undefined) return null;
    // A formula's cached result; a formula that failed shows its error.
    if (formula && type !== 'e') {
      if (type === 'str') return unescapeText(text);
      const result = parseFloat(text);
      return Number.isNaN(result) ? null : result;
    }
    switch (type) {
      case 's':
        return sharedStrings.at(sharedIndex(text));
      case 'inlineStr':
      case 'str':
        return unescapeText(text);
      case 'e':
        return { kind: 'error', text };
      case 'b':
        return parseInt(text, 10) !== 0;
      case 'd':
        return isoDateOf(text);
      default: {
        const number = parseFloat(text);
        if (Number.isNaN(number)) return null;
        if (format === undefined) return number;
        if (format.date) return dateOf(number, date1904);
        return format.show !== undefined && Number.isSafeInteger(number) && number >= 0 ? format.show(number) : number;
      }
    }
  };

  // Called once per element: a switch on the name as written, the prefix taken off only when there is one.
  const open = (name: string, attributes: Record<string, string>): void => {
    switch (name) {
      case 'c': {
        if (!inRow) break;
        const { r, s, t } = attributes;
        column = (r === undefined ? 0 : columnOf(r)) || column + 1;
        if (column > MAX_COLUMN) throw new DamagedPart(`a cell past the last column: ${r ?? column}`);
        type = t;
        format = (s === undefined || s === '0' ? undefined : formats[parseInt(s, 10)]) ?? rowFormat;
        formula = false;
        text = undefined;
        phonetic = 0;
        inCell = true;
        break;
      }
      case 'v':
        if (!inCell) break;
        text = '';
        capturing = true;
        break;
      case 'row': {
        if (!inSheetData) break;
        const { r, s } = attributes;
        rowNumber = r === undefined ? rowNumber + 1 : parseInt(r, 10) || rowNumber + 1;
        // A formatted row lends its number format to cells that name none.
        rowFormat = s === undefined ? undefined : formats[parseInt(s, 10)];
        cells = [];
        filled = false;
        column = 0;
        inRow = true;
        break;
      }
      case 'f':
        if (inCell) formula = true;
        break;
      case 'is':
        if (inCell) text = '';
        break;
      case 't':
        if (!inCell || phonetic > 0) break;
        text ??= '';
        capturing = true;
        break;
      case 'rPh':
        phonetic += 1;
        break;
      case 'sheetData':
        inSheetData = true;
        break;
      default:
        if (name.includes(':')) open(local(name), attributes);
    }
  };

  const close = (name: string): void => {
    switch (name) {
      case 'c': {
        if (!inCell) break;
        inCell = false;
        capturing = false;
        const cell = value();
        if (cell === null) break;
        // Empty columns before it read as null, never as holes.
        while (cells.length < column - 1) cells.push(null);
        cells[column - 1] = cell;
        if (!filled && !(typeof cell === 'string' && cell.trim() === '')) filled = true;
        break;
      }
      case 'v':
      case 't':
        capturing = false;
        break;
      case 'row':
        if (!inRow) break;
        inRow = false;
        if (filled) rows.push({ row: rowNumber, cells });
        break;
      case 'rPh':
        phonetic -= 1;
        break;
      case 'sheetData':
        inSheetData = false;
        break;
      default:
        if (name.includes(':')) close(local(name));
    }
  };

  sax.on('opentag', (tag: SaxesTagPlain) => open(tag.name, tag.attributes));
  sax.on('closetag', (tag) => close(tag.name));
  sax.on('text', (value) => {
    if (!capturing) return;
    text += value;
    if ((text?.length ?? 0) > MAX_TEXT_CHARS) throw new DamagedPart('a cell runs on past 1 MiB');
  });
  sax.on('cdata', (value) => {
    if (capturing) text += value;
  });
  return {
    sax,
    take: () => {
      if (rows.length === 0) return undefined;
      const done = rows;
      rows = [];
      return done;
    },
  };
}
