import type yauzl from 'yauzl';
import { HEADER_SCAN_LIMIT } from '../domain/headers.js';
import type { Issue } from '../domain/issues.js';
import { workbookIndex, type OpenedPackage, type WorkbookIndex } from './package.js';
import { DoctypePart } from './sheet-xml.js';
import { Archive, EntryOverflow } from './zip.js';

/**
 * Limits on one upload. Neither exceljs nor any other reader has limits of its own, so every
 * upload passes `inspectWorkbook` before it is parsed and is then read under `maxRows` and
 * `timeoutMs`.
 */
export interface UploadLimits {
  readonly maxBytes: number;
  /** Data rows of one sheet. */
  readonly maxRows: number;
  readonly maxEntries: number;
  /** Sum of every entry's unpacked size. */
  readonly maxUncompressedBytes: number;
  /** Unpacked : packed, for the whole archive. */
  readonly maxCompressionRatio: number;
  /** Unpacked : packed, for one entry. */
  readonly maxPartCompressionRatio: number;
  readonly timeoutMs: number;
}

const MiB = 1024 * 1024;

/**
 * Measured here: real reports compress about 7:1, a generated 148,000-row report (14 MB) 8:1
 * with its shared strings 10:1, the templates 10:1; a bomb 700:1 and beyond. That report's
 * 116 MB of XML read in under 5 s, so 512 MiB is about 25 s of parsing, well inside the
 * timeout, and 25 times what a full-size 20 MB upload holds at real ratios.
 *
 * One part may compress further than the whole: a sheet of long repeated text from Excel for
 * Mac (SheetJS's large_strings.xlsx, 57 MB of XML in 0.47 MB) reaches 121:1, while the whole
 * file stays at 70:1. Deflate cannot pass about 1,032:1, and a bomb wants to be near that (the
 * ones in our tests are 700:1 and beyond), so a part is allowed 250:1. What bounds memory and
 * time is the unpacked size, declared and then counted while inflating, not the ratio.
 */
export const DEFAULT_LIMITS: UploadLimits = {
  maxBytes: 20 * MiB,
  maxRows: 200_000,
  maxEntries: 2_000,
  maxUncompressedBytes: 512 * MiB,
  maxCompressionRatio: 100,
  maxPartCompressionRatio: 250,
  timeoutMs: 120_000,
};

/**
 * Entries smaller than this are never bombs, whatever their ratio: a styles part of repeated
 * blanks or a sheet of one repeated value compresses far beyond 100:1 and is harmless.
 */
const RATIO_FLOOR_BYTES = MiB;

/** Deflate's best: no entry unpacks to more than about 1,032 times its packed size. */
const DEFLATE_MAX_RATIO = 1_032;

/**
 * The reader's cap on non-blank rows: the data rows allowed plus the rows a header may stand
 * below (title, notes, the header itself), so a sheet of exactly `maxRows` records passes.
 */
export const sheetRowCap = (limits: UploadLimits): number => limits.maxRows + HEADER_SCAN_LIMIT;

/** An upload refused as a whole; `issue` says why in English and Chinese, with no row or column. */
export class UploadRefused extends Error {
  constructor(readonly issue: Issue) {
    super(issue.message);
    this.name = 'UploadRefused';
  }
}

/** An UploadRefused with the given code and messages. */
export function refusal(code: string, message: string, message_zh: string, value: string | null = null): UploadRefused {
  return new UploadRefused({ row: null, column: null, value, code, message, message_zh });
}

/** The refusal of a sheet with more rows than one upload may hold. */
export const tooManyRows = (maxRows: number): UploadRefused =>
  refusal(
    'too_many_rows',
    `The sheet has more than ${maxRows.toLocaleString('en')} rows, the most one upload may hold; split it into several files`,
    `工作表超过 ${maxRows} 行，超出单次上传上限；请拆分为多个文件`,
    String(maxRows),
  );

/** The refusal of a workbook that is damaged: cut short, not a zip, or parts that do not unpack. */
export const damaged = (): UploadRefused =>
  refusal(
    'unreadable',
    'The workbook is damaged and cannot be read; open it in Excel, save it again and upload the new file',
    '工作簿已损坏，无法读取；请用 Excel 打开后重新保存，再上传新文件',
  );

export const zipBomb = (): UploadRefused =>
  refusal(
    'zip_bomb',
    'The workbook would unpack to far more than any report holds, so it was refused before unpacking; save the report again from Excel without extra sheets, pictures or formatting',
    '该工作簿解压后的体积远超任何报表，已在解压前拒收；请在 Excel 中重新保存，去掉多余的工作表、图片和格式',
  );

const SAVE_AS = 'open it in Excel and save it as "Excel Workbook (*.xlsx)"';
const SAVE_AS_ZH = '请用 Excel 打开并另存为“Excel 工作簿 (*.xlsx)”';

const startsWith = (bytes: Uint8Array, ...signature: number[]): boolean => signature.every((byte, i) => bytes[i] === byte);

/** No NUL or other control bytes in the first kilobyte: text, whatever its encoding (GBK CSVs included). */
function looksLikeText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 1024);
  return head.length > 0 && head.every((byte) => byte >= 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x1a);
}

/** Names what a file that is not a zip most likely is, so the message says what to do about it. */
function notXlsx(bytes: Uint8Array): UploadRefused {
  if (bytes.length === 0) return refusal('not_xlsx', 'The file is empty (0 bytes); upload the report workbook itself', '文件为空（0 字节），请上传报表工作簿本身');
  if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0)) {
    return refusal(
      'not_xlsx',
      `This is an old .xls workbook or a password-protected one; remove any password, then ${SAVE_AS}`,
      `这是旧版 .xls 工作簿或设置了密码的工作簿；请取消密码，然后${SAVE_AS_ZH}`,
    );
  }
  if (startsWith(bytes, 0x25, 0x50, 0x44, 0x46)) {
    return refusal('not_xlsx', 'This is a PDF, not a spreadsheet; upload the Excel file (.xlsx) itself', '这是 PDF 文件而非电子表格，请上传 Excel 文件（.xlsx）本身');
  }
  // Excel's "Unicode text" export is UTF-16 and so full of NUL bytes: recognise it by its byte-order mark.
  if (startsWith(bytes, 0xff, 0xfe) || startsWith(bytes, 0xfe, 0xff) || looksLikeText(bytes)) {
    return refusal('not_xlsx', `This is a text, CSV or web-page file, not an Excel workbook; ${SAVE_AS}`, `这是文本、CSV 或网页文件，不是 Excel 工作簿；${SAVE_AS_ZH}`);
  }
  return refusal('not_xlsx', `This file is not an Excel workbook (.xlsx); ${SAVE_AS}`, `此文件不是 Excel 工作簿（.xlsx）；${SAVE_AS_ZH}`);
}

/** What a zip that is not a workbook package most likely is, judged by its entries, so the message can name it. */
async function notAWorkbookArchive(archive: Archive, entries: readonly yauzl.Entry[]): Promise<UploadRefused> {
  const names = new Set(entries.map((entry) => entry.fileName));
  const mimetype = entries.find((entry) => entry.fileName === 'mimetype');
  const media = mimetype !== undefined && mimetype.uncompressedSize < 200 ? await archive.text(mimetype).catch(() => '') : '';
  if (media.includes('opendocument')) {
    return refusal(
      'not_xlsx',
      `This is an OpenDocument file (${media.includes('spreadsheet') ? '.ods, from LibreOffice or WPS' : media.trim()}), a zip archive but not an Excel workbook; ${SAVE_AS}`,
      `这是 OpenDocument 文件（${media.includes('spreadsheet') ? '.ods，来自 LibreOffice 或 WPS' : media.trim()}），是压缩包而不是 Excel 工作簿；${SAVE_AS_ZH}`,
    );
  }
  if (names.has('xl/workbook.bin')) {
    return refusal(
      'not_xlsx',
      `This is an Excel binary workbook (.xlsb), a zip archive this system does not read; ${SAVE_AS}`,
      `这是 Excel 二进制工作簿（.xlsb），系统无法读取；${SAVE_AS_ZH}`,
    );
  }
  if (entries.length === 0) return refusal('not_xlsx', `This is an empty zip archive, not an Excel workbook; ${SAVE_AS}`, `这是一个空压缩包，不是 Excel 工作簿；${SAVE_AS_ZH}`);
  const office = names.has('word/document.xml') ? ['a Word document', 'Word 文档'] : names.has('ppt/presentation.xml') ? ['a PowerPoint presentation', 'PowerPoint 演示文稿'] : undefined;
  if (office !== undefined) {
    return refusal('not_xlsx', `This is ${office[0]}, a zip archive but not an Excel workbook; ${SAVE_AS}`, `这是${office[1]}，是压缩包而不是 Excel 工作簿；${SAVE_AS_ZH}`);
  }
  return refusal(
    'not_xlsx',
    `This is a zip archive but not an Excel workbook (perhaps a Word, WPS or OpenDocument file); ${SAVE_AS}`,
    `这是压缩包而不是 Excel 工作簿（可能是 Word、WPS 或 OpenDocument 文件）；${SAVE_AS_ZH}`,
  );
}

const inMiB = (bytes: number): string => (bytes / MiB).toFixed(1);

function checkSize(bytes: Uint8Array, limits: UploadLimits): void {
  if (bytes.length <= limits.maxBytes) return;
  throw refusal(
    'file_too_large',
    `The file is ${inMiB(bytes.length)} MB; uploads are limited to ${inMiB(limits.maxBytes)} MB. Split the report, or remove pictures and unused sheets`,
    `文件大小为 ${inMiB(bytes.length)} MB，上传上限为 ${inMiB(limits.maxBytes)} MB；请拆分报表，或删除图片和无用的工作表`,
    `${inMiB(bytes.length)} MB`,
  );
}

async function centralDirectory(archive: Archive, limits: UploadLimits): Promise<yauzl.Entry[]> {
  if (archive.entryCount > limits.maxEntries) throw zipBomb();
  try {
    return await archive.entries();
  } catch {
    throw damaged();
  }
}

/** Judges the archive by what it declares, before a byte is inflated. */
function checkDeclaredSizes(entries: readonly yauzl.Entry[], limits: UploadLimits): void {
  let unpacked = 0;
  let packed = 0;
  for (const entry of entries) {
    unpacked += entry.uncompressedSize;
    packed += entry.compressedSize;
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (entry.uncompressedSize > RATIO_FLOOR_BYTES && ratio > limits.maxPartCompressionRatio) throw zipBomb();
  }
  if (unpacked > limits.maxUncompressedBytes) throw zipBomb();
  if (unpacked > RATIO_FLOOR_BYTES && unpacked / Math.max(packed, 1) > limits.maxCompressionRatio) throw zipBomb();
}

/** The workbook's index, from its relationships and workbook part; undefined for a zip that is no workbook package. */
async function indexOf(archive: Archive, entries: readonly yauzl.Entry[]): Promise<WorkbookIndex | undefined> {
  if (!entries.some((entry) => entry.fileName === '[Content_Types].xml')) return undefined;
  return workbookIndex(archive, new Map(entries.map((entry) => [entry.fileName, entry]))).catch((error: unknown) => {
    if (error instanceof DoctypePart) throw doctype(error.message);
    // A part that does not inflate is judged with the others, by checkUnreadParts.
    return undefined;
  });
}

/** A workbook package names its content types and a workbook part, through its relationships or where Excel puts it. */
async function checkRequiredParts(archive: Archive, entries: readonly yauzl.Entry[], index: WorkbookIndex | undefined): Promise<WorkbookIndex> {
  // An .xlsb names its binary workbook part the same way.
  if (index?.workbook === undefined || !index.workbook.endsWith('.xml')) throw await notAWorkbookArchive(archive, entries);
  if (index.worksheets.length > 0) return index;
  if (index.listed === 0) {
    throw refusal(
      'no_worksheet',
      'The workbook has no sheets at all; put the report on a sheet of the template and upload that file',
      '工作簿中没有任何工作表；请把报表填在模板的工作表中，再上传该文件',
    );
  }
  throw refusal(
    'no_worksheet',
    `The workbook lists ${index.listed} sheet(s), but none is a worksheet that can be found in the file (only charts, or a damaged list of parts); open it in Excel, save it again and upload the new file`,
    `工作簿列出 ${index.listed} 个工作表，但文件中找不到任何可读的工作表（只有图表，或部件清单已损坏）；请用 Excel 打开后重新保存，再上传新文件`,
    String(index.listed),
  );
}

const DOCTYPE = Buffer.from('<!DOCTYPE');

/** The refusal of a part that declares its own XML entities. */
export const doctype = (part: string): UploadRefused =>
  refusal(
    'unreadable',
    `The workbook's part ${part} declares its own XML entities (a DOCTYPE), which Excel never writes and which can make a reader expand text without end; it was refused before anything in it was read. Open the file in Excel, save it again and upload the new file`,
    `工作簿的部件 ${part} 自带 XML 实体声明（DOCTYPE），Excel 从不写入这种内容，它可使读取程序无限展开文本，因此在读取其内容之前即已拒收；请用 Excel 打开后重新保存，再上传新文件`,
    part,
  );

/** The parts the reader inflates when it reads them, within their declared sizes: the worksheets, shared strings and styles. */
const readLater = (index: WorkbookIndex | undefined): Set<string> =>
  new Set(index === undefined ? [] : [...index.worksheets.map((sheet) => sheet.part), ...[index.sharedStrings, index.styles].flatMap((part) => (part === undefined ? [] : [part]))]);

/**
 * Inflates every other part and throws the output away, counting it: declared sizes can lie,
 * and a part that inflates past its size, or fails to inflate, is a bomb or damage, whether or
 * not anything reads it. These are the small parts (relationships, the workbook, themes,
 * properties, drawings); the large ones, the worksheets and shared strings, are inflated once,
 * when they are read, and checked the same way then. An XML part's start is looked at on the way
 * for a DOCTYPE (entity expansion, "billion laughs").
 */
async function checkUnreadParts(archive: Archive, entries: readonly yauzl.Entry[], index: WorkbookIndex | undefined, limits: UploadLimits): Promise<void> {
  const later = readLater(index);
  let unpacked = 0;
  for (const entry of entries) {
    if (entry.fileName.endsWith('/') || later.has(entry.fileName)) continue;
    let first = true;
    try {
      for await (const chunk of archive.chunks(entry)) {
        if (first && chunk.subarray(0, 1024).includes(DOCTYPE)) throw doctype(entry.fileName);
        first = false;
        unpacked += chunk.length;
        if (unpacked > limits.maxUncompressedBytes) throw zipBomb();
      }
    } catch (error) {
      if (error instanceof UploadRefused) throw error;
      throw error instanceof EntryOverflow ? zipBombOr(entry) : damaged();
    }
  }
}

/**
 * Whether every entry inflates within its declared size and no XML part starts by declaring
 * entities: what a reader that inflates every part (exceljs's full loader) needs checked
 * first, since the reader here inflates only the parts it reads, each within its size.
 */
export async function inflatesWithinDeclaredSizes(archive: Archive, entries: readonly yauzl.Entry[]): Promise<boolean> {
  for (const entry of entries) {
    if (entry.fileName.endsWith('/')) continue;
    let first = true;
    try {
      for await (const chunk of archive.chunks(entry)) {
        if (first && chunk.subarray(0, 1024).includes(DOCTYPE)) return false;
        first = false;
      }
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * What an entry that inflated past its declared size is: a bomb if it could grow far, damage
 * (a fuzzed size field) if it is too small to pass the ratio floor even at deflate's limit.
 */
export const zipBombOr = (entry: yauzl.Entry): UploadRefused => (entry.compressedSize * DEFLATE_MAX_RATIO > RATIO_FLOOR_BYTES ? zipBomb() : damaged());

/**
 * Checks an upload before anything parses it, in this order: its size; the zip signature
 * (naming an old .xls or encrypted workbook, a CSV or text file, a PDF); the central directory
 * (entry count, declared unpacked size, compression ratio per entry and overall); the true
 * unpacked size of every part the reader does not read (see checkUnreadParts); then the parts
 * a workbook must have (content types, a workbook part, a worksheet it lists), naming what a
 * zip of something else is. The worksheets, shared strings and styles are not inflated here:
 * every part is inflated only when it is read, and never past its declared size (see zip.ts),
 * so the declared sizes checked here bound the read; a part that inflates past its size is
 * refused then as a bomb, and one that declares XML entities as unreadable.
 *
 * @returns the package, opened and indexed, for the reader to read from without opening it again.
 * @throws UploadRefused `file_too_large`, `not_xlsx`, `zip_bomb`, `no_worksheet` or
 *   `unreadable`, with a bilingual message and no row or column.
 */
export async function inspectWorkbook(bytes: Uint8Array, limits: UploadLimits = DEFAULT_LIMITS): Promise<OpenedPackage> {
  checkSize(bytes, limits);
  if (!startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) throw notXlsx(bytes);
  const archive = await Archive.open(bytes).catch(() => {
    throw damaged();
  });
  try {
    const entries = await centralDirectory(archive, limits);
    checkDeclaredSizes(entries, limits);
    const found = await indexOf(archive, entries);
    await checkUnreadParts(archive, entries, found, limits);
    const index = await checkRequiredParts(archive, entries, found);
    return { archive, entries: new Map(entries.map((entry) => [entry.fileName, entry])), index, othersChecked: true };
  } catch (error) {
    archive.close();
    throw error;
  }
}
