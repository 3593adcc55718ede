import yauzl from 'yauzl';
import { HEADER_SCAN_LIMIT } from '../domain/headers.js';
import type { Issue } from '../domain/issues.js';

/**
 * Refuses what must never reach the spreadsheet parser, in milliseconds and before anything
 * is inflated: oversized uploads, files that are not xlsx at all (with a word on what they
 * are), and zip bombs — by the sizes the archive declares, then by inflating with a byte cap,
 * because declared sizes can lie.
 */
export interface UploadLimits {
  readonly maxBytes: number;
  /** Data rows of one sheet. */
  readonly maxRows: number;
  readonly maxEntries: number;
  readonly maxUncompressedBytes: number;
  /** Uncompressed : compressed, per entry of any size worth checking. Real reports are near 7:1, bombs near 700:1 and beyond. */
  readonly maxCompressionRatio: number;
  readonly timeoutMs: number;
}

/**
 * The reader's cap on non-blank rows: the data rows allowed plus the rows a header may stand
 * below (title, notes, the header itself), so a sheet of exactly `maxRows` records passes.
 */
export const sheetRowCap = (limits: UploadLimits): number => limits.maxRows + HEADER_SCAN_LIMIT;

export const DEFAULT_LIMITS: UploadLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxRows: 200_000,
  maxEntries: 2_000,
  maxUncompressedBytes: 512 * 1024 * 1024,
  maxCompressionRatio: 200,
  timeoutMs: 120_000,
};

/** Entries smaller than this are never bombs, whatever their ratio (a styles.xml of blanks compresses well). */
const RATIO_FLOOR_BYTES = 1024 * 1024;

/** An upload refused as a whole; the issue says why in English and Chinese. */
export class UploadRefused extends Error {
  constructor(readonly issue: Issue) {
    super(issue.message);
    this.name = 'UploadRefused';
  }
}

const MB = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);

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

const SAVE_AS = 'open it in Excel and save it as "Excel Workbook (*.xlsx)"';
const SAVE_AS_ZH = '请用 Excel 打开并另存为“Excel 工作簿 (*.xlsx)”';

/** Names what a file that is not a zip most likely is, so the message says what to do. */
function notXlsx(bytes: Uint8Array): UploadRefused {
  const head = Buffer.from(bytes.subarray(0, 8));
  if (head.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    return refusal(
      'not_xlsx',
      `This is an old .xls workbook or a password-protected one; remove any password, then ${SAVE_AS}`,
      `这是旧版 .xls 工作簿或设置了密码的工作簿；请取消密码，${SAVE_AS_ZH}`,
    );
  }
  if (head.subarray(0, 4).toString('latin1') === '%PDF') {
    return refusal('not_xlsx', 'This is a PDF, not a spreadsheet; upload the Excel file (.xlsx) itself', '这是 PDF 文件而非电子表格，请上传 Excel 文件（.xlsx）');
  }
  const sample = Buffer.from(bytes.subarray(0, 512)).toString('utf8');
  if (bytes.length > 0 && /^[\x09\x0a\x0d\x20-\x7e\u00a0-\uffff]*$/u.test(sample.replace(/\uFFFD/g, ''))) {
    return refusal('not_xlsx', `This is a text or CSV file, not an Excel workbook; ${SAVE_AS}`, `这是文本或 CSV 文件，不是 Excel 工作簿；${SAVE_AS_ZH}`);
  }
  return refusal('not_xlsx', `This file is not an Excel workbook (.xlsx); ${SAVE_AS}`, `此文件不是 Excel 工作簿（.xlsx）；${SAVE_AS_ZH}`);
}

const bomb = () =>
  refusal(
    'zip_bomb',
    'The workbook would unpack to far more than a report can hold, so it was refused before unpacking; save the report again from Excel without extra sheets or formatting',
    '该工作簿解压后的体积远超正常报表，已在解压前拒收；请在 Excel 中重新保存，去掉多余的工作表和格式',
  );

const corrupt = () =>
  refusal('unreadable', 'The workbook is damaged and cannot be read; open it in Excel, save it again and upload the new file', '工作簿已损坏，无法读取；请用 Excel 打开后重新保存，再上传新文件');

function openZip(bytes: Uint8Array): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { lazyEntries: true, validateEntrySizes: true }, (error, zip) =>
      error || zip === undefined ? reject(error ?? new Error('no zip')) : resolve(zip),
    );
  });
}

/** Every entry of the central directory, without inflating anything. */
function entries(zip: yauzl.ZipFile, maxEntries: number): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const found: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      found.push(entry);
      if (found.length > maxEntries) {
        zip.close();
        reject(bomb());
        return;
      }
      zip.readEntry();
    });
    zip.on('end', () => resolve(found));
    zip.on('error', reject);
    zip.readEntry();
  });
}

/** Inflates one entry, counting bytes and discarding them; stops at the cap. */
function inflatedSize(zip: yauzl.ZipFile, entry: yauzl.Entry, budget: number): Promise<number> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || stream === undefined) {
        reject(error ?? new Error('no stream'));
        return;
      }
      let total = 0;
      stream.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > budget) {
          stream.destroy();
          reject(bomb());
        }
      });
      stream.on('end', () => resolve(total));
      stream.on('error', reject);
    });
  });
}

/**
 * Checks an upload before it is parsed. Throws UploadRefused with a bilingual issue for a
 * file that is too big, not an xlsx, damaged, or would inflate out of proportion.
 */
export async function inspectWorkbook(bytes: Uint8Array, limits: UploadLimits = DEFAULT_LIMITS): Promise<void> {
  if (bytes.length > limits.maxBytes) {
    throw refusal(
      'file_too_large',
      `The file is ${MB(bytes.length)} MB; uploads are limited to ${MB(limits.maxBytes)} MB. Split the report or remove pictures and unused sheets`,
      `文件大小为 ${MB(bytes.length)} MB，上传上限为 ${MB(limits.maxBytes)} MB；请拆分报表或删除图片和无用的工作表`,
      `${MB(bytes.length)} MB`,
    );
  }
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b || bytes[2] !== 0x03 || bytes[3] !== 0x04) throw notXlsx(bytes);

  let zip: yauzl.ZipFile;
  let list: yauzl.Entry[];
  try {
    zip = await openZip(bytes);
    list = await entries(zip, limits.maxEntries);
  } catch (error) {
    if (error instanceof UploadRefused) throw error;
    throw corrupt();
  }
  const names = new Set(list.map((e) => e.fileName));
  if (!names.has('[Content_Types].xml') || !names.has('xl/workbook.xml') || !list.some((e) => /^xl\/worksheets\/[^/]+\.xml$/.test(e.fileName))) {
    throw notXlsx(bytes);
  }
  let declared = 0;
  for (const entry of list) {
    declared += entry.uncompressedSize;
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (declared > limits.maxUncompressedBytes || (entry.uncompressedSize > RATIO_FLOOR_BYTES && ratio > limits.maxCompressionRatio)) {
      zip.close();
      throw bomb();
    }
  }

  // The declared sizes passed; now make sure they are true, without keeping any of it.
  try {
    const again = await openZip(bytes);
    const all = await entries(again, limits.maxEntries);
    let budget = limits.maxUncompressedBytes;
    for (const entry of all) budget -= await inflatedSize(again, entry, Math.min(budget, entry.uncompressedSize));
    again.close();
  } catch (error) {
    if (error instanceof UploadRefused) throw error;
    // yauzl reports an entry larger than it declared as an error: a lie about sizes.
    if (/too many bytes|uncompressed size/i.test(String((error as Error).message))) throw bomb();
    throw corrupt();
  }
}
