import { columnLetter } from './columns.js';

/**
 * Byte-stream fixes applied to a part's XML on its way to exceljs's streaming reader, for
 * three things that reader gets wrong. Each keeps the part's exact byte length, because the
 * part is handed over as a stored zip entry whose size is declared up front.
 *
 * 1. It decodes every chunk as UTF-8 on its own, so a character split across two chunks
 *    turns into U+FFFD: about one row in 500 of a Chinese report came back with a broken character.
 *    `wholeCharacters` ends every chunk on a character boundary.
 * 2. It keeps only the last run of an inline rich string (and reads a phonetic run as the
 *    text). `repairCells` rewrites such a string as one plain `<t>`.
 * 3. It reads the cached result of a formula that failed (`t="e"`) as a number, NaN.
 *    `repairCells` hides the formula, so the cell reads as the error it shows (#N/A, ...).
 */

const INLINE_STRING = Buffer.from('<is>');
const INLINE_STRING_END = Buffer.from('</is>');
const ERROR_TYPE = Buffer.from(' t="e"');
const CELL_END = Buffer.from('</c>');
/** A marker may straddle two chunks: this many trailing bytes wait for the next one. */
const MARKER_TAIL = Math.max(INLINE_STRING.length, ERROR_TYPE.length) - 1;
/** Excel caps a cell at 32,767 characters; an element far longer than that is damage, not data. */
const MAX_ELEMENT_BYTES = 1024 * 1024;

/** The continuation bytes of UTF-8 are 10xxxxxx. */
const isContinuation = (byte: number): boolean => (byte & 0xc0) === 0x80;

const utf8Length = (lead: number): number => (lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2);

/** The length of `bytes` without a last character cut short, if there is one. */
function wholeLength(bytes: Buffer): number {
  // A character is at most four bytes long, so its lead byte is among the last four.
  for (let i = bytes.length - 1; i >= Math.max(0, bytes.length - 4); i--) {
    const byte = bytes[i] ?? 0;
    if (!isContinuation(byte)) return byte >= 0xc0 && bytes.length - i < utf8Length(byte) ? i : bytes.length;
  }
  return bytes.length;
}

/** Re-chunks a UTF-8 stream so that no chunk ends inside a character. */
export async function* wholeCharacters(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of source) {
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const cut = wholeLength(bytes);
    if (cut > 0) yield bytes.subarray(0, cut);
    carry = Buffer.from(bytes.subarray(cut));
  }
  if (carry.length > 0) yield carry;
}

/** `replacement` padded with an XML comment to exactly `bytes` bytes, or undefined if it cannot be. */
function sameLength(replacement: string, bytes: number): Buffer | undefined {
  const gap = bytes - Buffer.byteLength(replacement);
  if (gap === 0) return Buffer.from(replacement);
  // "<!---->" is the shortest comment; spaces inside can never form the forbidden "--".
  return gap >= 7 ? Buffer.from(`${replacement}<!--${' '.repeat(gap - 7)}-->`) : undefined;
}

/** An inline string with runs or phonetic text, as one plain `<t>` holding the runs' text. */
function flattenInlineString(element: Buffer): Buffer {
  const xml = element.toString('utf8');
  if (!/<r[\s>]|<rPh[\s>]/.test(xml)) return element;
  const texts = [...xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '').matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((match) => match[1]);
  return sameLength(`<is><t>${texts.join('')}</t></is>`, element.length) ?? element;
}

/** The tail of an error cell (from ` t="e"` to `</c>`) with its formula replaced by a comment of the same length. */
function hideFormula(cellTail: Buffer): Buffer {
  const xml = cellTail.toString('utf8');
  const formula = /<f\b[^>]*\/>|<f\b[^>]*>[\s\S]*?<\/f>/.exec(xml);
  if (formula === null) return cellTail;
  const comment = sameLength('', Buffer.byteLength(formula[0]));
  if (comment === undefined) return cellTail;
  return Buffer.concat([Buffer.from(xml.slice(0, formula.index)), comment, Buffer.from(xml.slice(formula.index + formula[0].length))]);
}

interface Element {
  readonly start: number;
  /** Index just past the element, or -1 while its end has not arrived. */
  readonly end: number;
  readonly repair: (element: Buffer) => Buffer;
}

/** The next element to repair at or after `from`, or undefined if none starts there. */
function nextElement(bytes: Buffer, from: number): Element | undefined {
  const inline = bytes.indexOf(INLINE_STRING, from);
  const error = bytes.indexOf(ERROR_TYPE, from);
  if (inline >= 0 && (error < 0 || inline < error)) {
    const close = bytes.indexOf(INLINE_STRING_END, inline);
    return { start: inline, end: close < 0 ? -1 : close + INLINE_STRING_END.length, repair: flattenInlineString };
  }
  if (error < 0) return undefined;
  const tagEnd = bytes.indexOf('>', error);
  if (tagEnd < 0) return { start: error, end: -1, repair: hideFormula };
  // An empty error cell (<c ... t="e"/>) has nothing to repair; do not reach into the next cell.
  if (bytes[tagEnd - 1] === 0x2f) return { start: error, end: tagEnd + 1, repair: (element) => element };
  const close = bytes.indexOf(CELL_END, tagEnd);
  return { start: error, end: close < 0 ? -1 : close + CELL_END.length, repair: hideFormula };
}

/**
 * Repairs inline rich strings and formula-error cells in a worksheet's XML (see the module
 * comment), keeping every other byte and the total length unchanged.
 *
 * @throws Error when an element to repair runs on past 1 MiB: the part is damaged.
 */
export async function* repairCells(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of source) {
    const bytes = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    const out: Buffer[] = [];
    let done = 0;
    for (let element = nextElement(bytes, done); element !== undefined && element.end >= 0; element = nextElement(bytes, done)) {
      out.push(bytes.subarray(done, element.start), element.repair(bytes.subarray(element.start, element.end)));
      done = element.end;
    }
    const open = nextElement(bytes, done);
    const keep = open === undefined ? Math.max(done, bytes.length - MARKER_TAIL) : open.start;
    out.push(bytes.subarray(done, keep));
    pending = Buffer.from(bytes.subarray(keep));
    if (pending.length > MAX_ELEMENT_BYTES) throw new Error('an inline string or error cell runs on past 1 MiB');
    const ready = Buffer.concat(out);
    if (ready.length > 0) yield ready;
  }
  if (pending.length > 0) yield pending;
}

/*
 * Normalising a part for exceljs, which matches elements by their literal names: a part whose
 * root gives SpreadsheetML's namespace a prefix (`<x:worksheet xmlns:x=…>`, as WPS, Tencent
 * Docs, Hancom and the OpenXML SDK may write) has that prefix taken off its elements; and a
 * worksheet whose rows or cells leave out their optional `r` reference (Numbers, the OpenXML
 * SDK) gets one, counted as Excel counts: the next row, the next column. Unlike the repairs
 * above this changes the part's length, so the reader measures the result before handing it on.
 */

const MAIN_NAMESPACES = ['http://schemas.openxmlformats.org/spreadsheetml/2006/main', 'http://purl.oclc.org/ooxml/spreadsheetml/main'];

/** How a part must be normalised, judged from its start. */
export interface Normalisation {
  /** The prefix its elements carry for SpreadsheetML's main namespace, if any. */
  readonly prefix: string | undefined;
  /** Rows or cells without an `r` reference are given one. */
  readonly addReferences: boolean;
}

const FIRST_CELL = /<(?:[\w.-]+:)?(?:c|row)(?=[\s/>])[^>]*>/g;

/** What `normaliseXml` must do to a part that starts with `head`; undefined when nothing. */
export function normalisationOf(head: string, worksheet: boolean): Normalisation | undefined {
  const prefix = [...head.matchAll(/\sxmlns:([\w.-]+)\s*=\s*["']([^"']*)["']/g)].find(([, name, uri]) => MAIN_NAMESPACES.includes(uri ?? '') && head.includes(`<${name}:`))?.[1];
  const addReferences = worksheet && [...head.matchAll(FIRST_CELL)].slice(0, 2).some(([tag]) => !/\sr\s*=/.test(tag));
  return prefix === undefined && !addReferences ? undefined : { prefix, addReferences };
}

const TAG = /<(\/?)(?:([\w.-]+):)?([\w.-]+)([^<>]*)>/g;

/** The 1-based column number of a cell reference such as AB12; 0 when it has none. */
const columnOfReference = (reference: string): number => [...(/^[A-Za-z]*/.exec(reference)?.[0] ?? '').toUpperCase()].reduce((n, letter) => n * 26 + letter.charCodeAt(0) - 64, 0);

/**
 * Applies a normalisation to a part's XML, chunk by chunk (chunks must end on whole characters,
 * see `wholeCharacters`); a tag cut by a chunk boundary waits for the next chunk.
 */
export async function* normaliseXml(source: AsyncIterable<Buffer>, how: Normalisation): AsyncGenerator<Buffer> {
  let row = 0;
  let column = 0;
  const rewrite = (tag: string, close: string, prefix: string | undefined, name: string, rest: string): string => {
    if (prefix !== undefined && prefix !== how.prefix) return tag;
    let added = '';
    if (how.addReferences && close === '') {
      const reference = /\sr\s*=\s*["']([^"']*)["']/.exec(rest)?.[1];
      if (name === 'row') {
        row = reference === undefined ? row + 1 : parseInt(reference, 10) || row + 1;
        column = 0;
        if (reference === undefined) added = ` r="${row}"`;
      } else if (name === 'c') {
        column = reference === undefined ? column + 1 : columnOfReference(reference) || column + 1;
        if (reference === undefined) added = ` r="${columnLetter(column)}${row}"`;
      }
    }
    return `<${close}${name}${added}${rest}>`;
  };
  let carry = '';
  for await (const chunk of source) {
    const text = carry + chunk.toString('utf8');
    const open = text.lastIndexOf('<');
    const cut = open >= 0 && text.indexOf('>', open) < 0 ? open : text.length;
    carry = text.slice(cut);
    const ready = text.slice(0, cut).replace(TAG, rewrite);
    if (ready.length > 0) yield Buffer.from(ready);
    if (carry.length > MAX_ELEMENT_BYTES) throw new Error('a tag runs on past 1 MiB');
  }
  if (carry.length > 0) yield Buffer.from(carry);
}
