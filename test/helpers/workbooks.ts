import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { SheetRow } from '../../shared/domain/cells.js';
import { UploadRefused } from '../../shared/sheets/guard.js';
import { columnLetter } from '../../shared/sheets/columns.js';
import { readRows, type ReadOptions } from '../../shared/sheets/reader.js';
import { deflated, repeatedByte, zip } from './zip-writer.js';

/**
 * Workbooks written by a different writer than the exceljs that reads them: raw SpreadsheetML
 * zipped by JSZip, laid out as Excel lays it out (the worksheet before the shared strings),
 * with the cell forms real files hold — shared and inline strings, rich text in several
 * runs (shared as Excel keeps it, inline as other writers do), a date-styled serial, a formula
 * with its cached result, error values plain and from a formula, a formatted empty cell.
 */
export type RawCell =
  | { readonly t: 's'; readonly v: string }
  | { readonly t: 'inline'; readonly v: string }
  | { readonly t: 'srich'; readonly runs: readonly string[] }
  | { readonly t: 'irich'; readonly runs: readonly string[] }
  | { readonly t: 'n'; readonly v: number; readonly date?: boolean }
  | { readonly t: 'formula'; readonly f: string; readonly v: string | number }
  | { readonly t: 'e'; readonly v: string }
  | { readonly t: 'ferror'; readonly f: string; readonly v: string }
  | { readonly t: 'styled' };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const col = (i: number): string => columnLetter(i + 1);

export interface RawSheet {
  readonly name: string;
  readonly rows: ReadonlyArray<{ readonly row: number; readonly cells: readonly (RawCell | null)[] }>;
  readonly hidden?: boolean;
  /** The worksheet's part; default xl/worksheets/sheet<position>.xml. */
  readonly part?: string;
}

/**
 * Builds an xlsx by hand; `sheets` in workbook (tab) order. The shared-strings part is
 * written only when some cell uses it, as writers that use inline strings do.
 */
export async function handmadeWorkbook(sheets: readonly RawSheet[]): Promise<Buffer> {
  /** Shared-string items as XML (`<t>` or runs of `<r>`). */
  const shared: string[] = [];
  const sharedIndex = (item: string) => {
    const i = shared.indexOf(item);
    if (i >= 0) return i;
    shared.push(item);
    return shared.length - 1;
  };
  const runs = (texts: readonly string[]) => texts.map((r, k) => `<r>${k === 0 ? '<rPr><b/></rPr>' : ''}<t xml:space="preserve">${esc(r)}</t></r>`).join('');
  const sheetXml = (sheet: RawSheet) => {
    const rows = sheet.rows
      .map(({ row, cells }) => {
        const xml = cells
          .map((cell, i) => {
            if (cell === null) return '';
            const ref = `${col(i)}${row}`;
            switch (cell.t) {
              case 's':
                return `<c r="${ref}" t="s"><v>${sharedIndex(`<t xml:space="preserve">${esc(cell.v)}</t>`)}</v></c>`;
              case 'srich':
                return `<c r="${ref}" t="s"><v>${sharedIndex(runs(cell.runs))}</v></c>`;
              case 'inline':
                return `<c r="${ref}" t="inlineStr"><is><t>${esc(cell.v)}</t></is></c>`;
              case 'irich':
                return `<c r="${ref}" t="inlineStr"><is>${runs(cell.runs)}</is></c>`;
              case 'ferror':
                return `<c r="${ref}" t="e"><f>${esc(cell.f)}</f><v>${esc(cell.v)}</v></c>`;
              case 'styled':
                return `<c r="${ref}" s="1"/>`;
              case 'n':
                return `<c r="${ref}"${cell.date ? ' s="1"' : ''}><v>${cell.v}</v></c>`;
              case 'formula':
                return typeof cell.v === 'number'
                  ? `<c r="${ref}"><f>${esc(cell.f)}</f><v>${cell.v}</v></c>`
                  : `<c r="${ref}" t="str"><f>${esc(cell.f)}</f><v>${esc(cell.v)}</v></c>`;
              case 'e':
                return `<c r="${ref}" t="e"><v>${esc(cell.v)}</v></c>`;
            }
          })
          .join('');
        return `<row r="${row}">${xml}</row>`;
      })
      .join('');
    return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;
  };
  const parts = sheets.map((sheet, i) => sheet.part ?? `xl/worksheets/sheet${i + 1}.xml`);
  const sheetXmls = sheets.map(sheetXml);
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${parts.map((part) => `<Override PartName="/${part}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
  );
  zip.file('_rels/.rels', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`);
  zip.file(
    'xl/workbook.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${sheets.map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}"${s.hidden ? ' state="hidden"' : ''} r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
  );
  zip.file(
    'xl/_rels/workbook.xml.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${parts.map((part, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="${part.replace(/^xl\//, '')}"/>`).join('')}<Relationship Id="rId${sheets.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId${sheets.length + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
  );
  zip.file(
    'xl/styles.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`,
  );
  // Worksheets before the shared strings, as Excel writes them: the streaming reader must cope.
  parts.forEach((part, i) => zip.file(part, sheetXmls[i] ?? ''));
  if (shared.length > 0) {
    zip.file(
      'xl/sharedStrings.xml',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${shared.length}" uniqueCount="${shared.length}">${shared.map((item) => `<si>${item}</si>`).join('')}</sst>`,
    );
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** A zip whose worksheet is `megabytes` of one repeated byte: tiny on disk, enormous unpacked. */
export function zipBomb(megabytes: number): Buffer {
  return zip([
    deflated('[Content_Types].xml', '<Types/>'),
    deflated('xl/workbook.xml', '<workbook/>'),
    repeatedByte('xl/worksheets/sheet1.xml', megabytes, 0x30),
  ]);
}

/**
 * Rewrites the uncompressed size that the central directory and the local header declare for
 * `entryName`, so the archive lies about how big the entry unpacks.
 */
export function lieAboutSize(zip: Buffer, entryName: string, declared: number): Buffer {
  const out = Buffer.from(zip);
  const name = Buffer.from(entryName);
  for (let i = 0; i < out.length - 4; i++) {
    const sig = out.readUInt32LE(i);
    if (sig === 0x04034b50 && out.subarray(i + 30, i + 30 + name.length).equals(name)) out.writeUInt32LE(declared, i + 22);
    if (sig === 0x02014b50 && out.subarray(i + 46, i + 46 + name.length).equals(name)) out.writeUInt32LE(declared, i + 24);
  }
  return out;
}

/** A workbook written by exceljs, one sheet named `name`, filled by `fill`. */
export async function exceljsWorkbook(fill: (sheet: ExcelJS.Worksheet) => void, name = 'data'): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  fill(workbook.addWorksheet(name));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Loads a workbook with exceljs, to look at what a writer wrote. */
export async function loadWorkbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  // exceljs's typings declare a Buffer of their own; at run time it takes Node's.
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
  return workbook;
}

/** The text of one part of an xlsx. */
export async function partText(bytes: Uint8Array, part: string): Promise<string> {
  const file = (await JSZip.loadAsync(bytes)).file(part);
  if (file === null) throw new Error(`no part ${part}`);
  return file.async('string');
}

/** The same xlsx with one part's text replaced. */
export async function replacePart(bytes: Uint8Array, part: string, text: string): Promise<Buffer> {
  const archive = await JSZip.loadAsync(bytes);
  archive.file(part, text);
  return archive.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** Every row `readRows` yields. */
export async function readAll(bytes: Uint8Array, options: ReadOptions = {}): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  for await (const row of readRows(bytes, options)) rows.push(row);
  return rows;
}

/** The code of the UploadRefused that `work` ends with, or 'accepted'. */
export async function refusalOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (error instanceof UploadRefused) return error.issue.code;
    throw error;
  }
  return 'accepted';
}
