import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { SheetRow } from '../../shared/domain/cells.js';
import { writeErrorReport } from '../../shared/sheets/error-report.js';
import { DEFAULT_LIMITS, inspectWorkbook, UploadRefused } from '../../shared/sheets/guard.js';
import { readRows, sheetNames } from '../../shared/sheets/reader.js';
import { writeTemplate } from '../../shared/sheets/template.js';
import { handmadeWorkbook, lieAboutSize, zipBomb } from '../helpers/workbooks.js';

async function refusalOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (error instanceof UploadRefused) return error.issue.code;
    throw error;
  }
  return 'accepted';
}

async function rows(bytes: Uint8Array, options = {}): Promise<SheetRow[]> {
  const out: SheetRow[] = [];
  for await (const row of readRows(bytes, options)) out.push(row);
  return out;
}

async function exceljsWorkbook(fill: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  fill(workbook.addWorksheet('data'));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('the upload guard', () => {
  it('lets a real workbook through', async () => {
    const bytes = await exceljsWorkbook((s) => s.addRow(['a']));
    expect(await refusalOf(inspectWorkbook(bytes))).toBe('accepted');
  });

  it('names what a file that is not an xlsx is: CSV, old .xls or encrypted, random bytes', async () => {
    const csv = new TextEncoder().encode('install_id,install_date\nIN-1,2026-10-01\n');
    const ole2 = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    const random = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919 + 13) % 256));
    expect(await refusalOf(inspectWorkbook(csv))).toBe('not_xlsx');
    expect(await refusalOf(inspectWorkbook(ole2))).toBe('not_xlsx');
    expect(await refusalOf(inspectWorkbook(random))).toBe('not_xlsx');
  });

  it('refuses a file over the size limit before opening it', async () => {
    const bytes = await exceljsWorkbook((s) => s.addRow(['a']));
    expect(await refusalOf(inspectWorkbook(bytes, { ...DEFAULT_LIMITS, maxBytes: 100 }))).toBe('file_too_large');
  });

  it('refuses a zip bomb by its declared sizes, before inflating it', async () => {
    const bomb = zipBomb(300);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const started = performance.now();
    expect(await refusalOf(inspectWorkbook(bomb))).toBe('zip_bomb');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('refuses an archive that lies about its sizes, when inflating with a byte cap', async () => {
    const liar = lieAboutSize(zipBomb(40), 'xl/worksheets/sheet1.xml', 1_000);
    expect(await refusalOf(inspectWorkbook(liar))).toBe('zip_bomb');
  });

  it('refuses a truncated workbook as damaged', async () => {
    const bytes = await exceljsWorkbook((s) => s.addRow(['a']));
    expect(await refusalOf(inspectWorkbook(bytes.subarray(0, bytes.length - 200)))).toBe('unreadable');
  });
});

describe('the streaming reader on a workbook exceljs did not write', () => {
  it('reads shared and inline strings, shared rich text in several runs, dates, formula results and errors', async () => {
    // Prepare: row 1 a title, row 3 the data (row 2 blank), and a far-away lone cell in row 5000
    const bytes = await handmadeWorkbook([
      {
        name: '维修',
        rows: [
          { row: 1, cells: [{ t: 's', v: '维修情况汇总' }] },
          {
            row: 3,
            cells: [
              { t: 's', v: 'RP-1' },
              { t: 'inline', v: '周先生' },
              { t: 'srich', runs: ['上海市', '浦东新区'] },
              { t: 'n', v: 46298, date: true },
              { t: 'formula', f: '1+1', v: 2 },
              { t: 'e', v: '#N/A' },
              { t: 'n', v: 13712345678 },
            ],
          },
          { row: 5000, cells: [null, { t: 's', v: '' }] },
        ],
      },
    ]);
    // Act
    const read = await rows(bytes);
    // Assess
    expect(read).toEqual([
      { row: 1, cells: ['维修情况汇总'] },
      {
        row: 3,
        cells: [
          'RP-1',
          '周先生',
          '上海市浦东新区',
          { kind: 'datetime', year: 2026, month: 10, day: 3, hour: 0, minute: 0, second: 0 },
          2,
          { kind: 'error', text: '#N/A' },
          13712345678,
        ],
      },
    ]);
  });

  it('reads a small sheet stored before the shared strings, as Excel stores it', async () => {
    const bytes = await handmadeWorkbook([{ name: 'x', rows: [{ row: 1, cells: [{ t: 's', v: '安装单号' }] }] }]);
    expect(await rows(bytes)).toEqual([{ row: 1, cells: ['安装单号'] }]);
  });

  it('reads the first sheet in tab order unless told which, and lists the sheets', async () => {
    const bytes = await handmadeWorkbook([
      { name: '说明', rows: [{ row: 1, cells: [{ t: 's', v: 'notes' }] }], hidden: true },
      { name: '配件', rows: [{ row: 1, cells: [{ t: 's', v: 'parts' }] }] },
    ]);
    expect(await sheetNames(bytes)).toEqual(['说明', '配件']);
    expect((await rows(bytes))[0]?.cells).toEqual(['notes']);
    expect((await rows(bytes, { sheet: (name: string) => name === '配件' }))[0]?.cells).toEqual(['parts']);
  });

  it('stops past the row limit with a clear refusal', async () => {
    const bytes = await exceljsWorkbook((s) => {
      for (let i = 0; i < 50; i++) s.addRow([`r${i}`]);
    });
    expect(await refusalOf(rows(bytes, { maxRows: 49 }))).toBe('too_many_rows');
    expect(await rows(bytes, { maxRows: 50 })).toHaveLength(50);
  });

  it('never hangs on a cut-short file: it is refused within the timeout', async () => {
    const bytes = await exceljsWorkbook((s) => {
      for (let i = 0; i < 2_000; i++) s.addRow([`row ${i}`, i]);
    });
    const cut = bytes.subarray(0, Math.floor(bytes.length * 0.6));
    expect(await refusalOf(rows(cut, { timeoutMs: 2_000 }))).toBe('unreadable');
  });

  it('reads Excel dates as the wall-clock time Excel shows, to the second', async () => {
    const bytes = await exceljsWorkbook((s) => s.addRow([new Date(Date.UTC(2026, 9, 3, 14, 30, 0, 400))]));
    expect((await rows(bytes))[0]?.cells[0]).toEqual({ kind: 'datetime', year: 2026, month: 10, day: 3, hour: 14, minute: 30, second: 0 });
  });
});

describe('templates', () => {
  it('have a bilingual title, a notes row, the header row, a frozen pane and choice lists', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await writeTemplate('installation')) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet?.getCell('A1').value).toBe('安装情况统计 Installation report');
    expect(String(sheet?.getCell('A2').value)).toContain('必填');
    expect(sheet?.getCell('A3').value).toBe('安装单号\ninstall_id');
    expect(sheet?.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    const commissioning = sheet?.getCell('I4').dataValidation;
    expect(commissioning).toMatchObject({ type: 'list', formulae: ['"合格,不合格"'] });
    expect(sheet?.getCell('D4').numFmt).toBe('@');
  });

  it('read back through the reader and leave a header the validator finds', async () => {
    const read = await rows(await writeTemplate('repair'));
    expect(read.map((r) => r.row)).toEqual([1, 2, 3]);
    expect(read[2]?.cells[0]).toBe('维修单号\nrepair_id');
  });

  it('for master data have the three sheets the importer looks for', async () => {
    expect(await sheetNames(await writeTemplate('master'))).toEqual(['经销商', '产品', '配件']);
  });
});

describe('the annotated error workbook', () => {
  it('marks each bad cell with the reason, lists every issue first, and keeps uploaded text as text', async () => {
    // Prepare: a dealer name that looks like a formula must stay text
    const original = await exceljsWorkbook((s) => {
      s.addRow(['install_id', 'owner_name']);
      s.addRow(['IN-1', '=HYPERLINK("http://x","y")']);
    });
    // Act
    const report = await writeErrorReport({
      original,
      errors: [{ row: 2, column: 'owner_name', value: '=HYPERLINK("http://x","y")', code: 'text_too_long', message: 'too long', message_zh: '过长' }],
      warnings: [{ row: 2, column: 'install_id', value: 'IN-1', code: 'unknown_serial', message: 'unknown', message_zh: '未知' }],
      columns: new Map([
        ['install_id', 0],
        ['owner_name', 1],
      ]),
    });
    // Assess
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(report as unknown as ArrayBuffer);
    const [errors, data] = workbook.worksheets;
    expect(errors?.name).toBe('错误 Errors');
    expect(errors?.getCell('D2').value).toBe('=HYPERLINK("http://x","y")');
    expect(errors?.getCell('D2').formula).toBeUndefined();
    expect(data?.getCell('B2').note).toBeDefined();
    expect(JSON.stringify(data?.getCell('B2').note)).toContain('过长');
    expect(data?.getCell('B2').fill).toMatchObject({ fgColor: { argb: 'FFFFC7CE' } });
    expect(data?.getCell('A2').fill).toMatchObject({ fgColor: { argb: 'FFFFEB9C' } });
    expect(data?.getCell('B2').formula).toBeUndefined();
  });
});
