import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import type { CellValue, SheetRow } from '../domain/cells.js';
import { refusal, tooManyRows } from './guard.js';
import { inStreamingOrder } from './zip-order.js';

/**
 * The streaming reader: exceljs's WorkbookReader, normalised into the domain's CellValue so
 * that nothing past this module knows exceljs. Rows are yielded one at a time and never kept.
 *
 * Which sheet is read: the first worksheet in the workbook's own order (the tab order Excel
 * shows), unless `sheet` picks another by name. Hidden sheets count like any other.
 * Merged cells: only the top-left cell of a merged range holds the value; the others read blank.
 * Rich text: shared strings (how Excel stores it) are joined run by run; an inline string in
 * several runs, which Excel never writes, comes back as its last run only (an exceljs limit).
 */
export interface ReadOptions {
  readonly maxRows?: number;
  readonly timeoutMs?: number;
  readonly sheet?: (name: string, index: number) => boolean;
}

interface SheetEntry {
  readonly name: string;
  /** The worksheet part's number, as in xl/worksheets/sheet<N>.xml. */
  readonly part: string;
}

const DEFAULT_TIMEOUT_MS = 120_000;

function readEntryText(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || stream === undefined) return reject(error ?? new Error('no stream'));
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      stream.on('error', reject);
    });
  });
}

const xmlAttr = (tag: string, name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
const unescapeXml = (text: string) =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** The worksheets in workbook order, read from the two small parts that list them. */
async function worksheets(bytes: Uint8Array): Promise<SheetEntry[]> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { lazyEntries: true }, (e, z) => (e || !z ? reject(e) : resolve(z))),
  );
  const parts = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName === 'xl/workbook.xml' || entry.fileName === 'xl/_rels/workbook.xml.rels') {
        readEntryText(zip, entry).then((text) => {
          parts.set(entry.fileName, text);
          zip.readEntry();
        }, reject);
      } else {
        zip.readEntry();
      }
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
  zip.close();
  const targets = new Map<string, string>();
  for (const tag of (parts.get('xl/_rels/workbook.xml.rels') ?? '').match(/<Relationship\b[^>]*>/g) ?? []) {
    const id = xmlAttr(tag, 'Id');
    const target = xmlAttr(tag, 'Target');
    if (id !== undefined && target !== undefined) targets.set(id, target);
  }
  const sheets: SheetEntry[] = [];
  for (const tag of (parts.get('xl/workbook.xml') ?? '').match(/<(?:\w+:)?sheet\b[^>]*>/g) ?? []) {
    const rid = xmlAttr(tag, 'r:id') ?? xmlAttr(tag, 'id');
    const part = /sheet(\d+)\.xml$/.exec(targets.get(rid ?? '') ?? '')?.[1];
    const name = xmlAttr(tag, 'name');
    if (part !== undefined && name !== undefined) sheets.push({ name: unescapeXml(name), part });
  }
  return sheets;
}

/** Names of the worksheets in workbook order. */
export async function sheetNames(bytes: Uint8Array): Promise<string[]> {
  return (await worksheets(bytes)).map((s) => s.name);
}

type ExcelValue = ExcelJS.CellValue | undefined;

/** exceljs's cell value as the domain's CellValue. */
export function toCellValue(value: ExcelValue): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) {
    // exceljs puts Excel's wall-clock time into the UTC fields, whatever the process zone.
    const t = new Date(Math.round(value.getTime() / 1000) * 1000);
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
  if ('error' in value) return { kind: 'error', text: String(value.error) };
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: ExcelValue }).result;
    return result === undefined || (typeof result === 'object' && result !== null && 'formula' in result) ? null : toCellValue(result);
  }
  if ('text' in value) return toCellValue((value as { text: ExcelValue }).text);
  return null;
}

const isBlankRow = (cells: readonly CellValue[]) => cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''));

/** Races each step of an iterator against what is left of a deadline: exceljs never settles on a truncated file. */
async function* withDeadline<T>(source: AsyncIterator<T>, deadline: number): AsyncGenerator<T> {
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            refusal(
              'unreadable',
              'The workbook could not be read in time; it may be damaged or cut short. Open it in Excel, save it again and upload the new file',
              '工作簿未能在限定时间内读完，可能已损坏或不完整；请用 Excel 打开后重新保存，再上传新文件',
            ),
          ),
        Math.max(0, deadline - Date.now()),
      );
    });
    try {
      const next = await Promise.race([source.next(), timeout]);
      if (next.done) return;
      yield next.value;
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The non-blank rows of the chosen worksheet as SheetRows with Excel's row numbers. Throws
 * UploadRefused `too_many_rows` past `maxRows` data rows and `unreadable` when the file
 * cannot be read (damaged, cut short, or slower than `timeoutMs`).
 */
export async function* readRows(bytes: Uint8Array, options: ReadOptions = {}): AsyncGenerator<SheetRow> {
  const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let sheets: SheetEntry[];
  let ordered: Uint8Array;
  try {
    sheets = await worksheets(bytes);
    ordered = await inStreamingOrder(bytes);
  } catch {
    throw refusal('unreadable', 'The workbook is damaged and cannot be read; open it in Excel, save it again and upload the new file', '工作簿已损坏，无法读取；请用 Excel 打开后重新保存，再上传新文件');
  }
  const pick = options.sheet;
  const chosen = pick === undefined ? sheets[0] : sheets.find((s, i) => pick(s.name, i));
  if (chosen === undefined) return;

  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(ordered.buffer, ordered.byteOffset, ordered.byteLength)]), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  const sheetsIterator = reader[Symbol.asyncIterator]();
  let count = 0;
  try {
    for await (const worksheet of withDeadline(sheetsIterator, deadline)) {
      const part = (worksheet as unknown as { id: string | number }).id;
      // exceljs renames the reader's id to the sheetId from workbook.xml when it finds it; compare by name then.
      if ((worksheet as unknown as { name: string }).name !== chosen.name && String(part) !== chosen.part) continue;
      for await (const row of withDeadline((worksheet as unknown as AsyncIterable<ExcelJS.Row>)[Symbol.asyncIterator](), deadline)) {
        const raw = row.values as ExcelValue[];
        const cells: CellValue[] = [];
        for (let column = 1; column < raw.length; column++) cells.push(toCellValue(raw[column]));
        if (isBlankRow(cells)) continue;
        count += 1;
        if (count > maxRows) {
          throw tooManyRows(maxRows);
        }
        yield { row: row.number, cells };
      }
      return;
    }
  } catch (error) {
    if ((error as Error).name === 'UploadRefused') throw error;
    throw refusal('unreadable', 'The workbook is damaged and cannot be read; open it in Excel, save it again and upload the new file', '工作簿已损坏，无法读取；请用 Excel 打开后重新保存，再上传新文件');
  } finally {
    // Not awaited: after a timeout exceljs may never settle, and closing must not wait for it.
    sheetsIterator.return?.(undefined).catch(() => undefined);
  }
}
