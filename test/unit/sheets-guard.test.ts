import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, inspectWorkbook, UploadRefused } from '../../shared/sheets/guard.js';
import { suitsFullLoad, Workbook } from '../../shared/sheets/reader.js';
import { bookParts } from '../fixtures/hostile/corpus.js';
import { exceljsWorkbook, handmadeWorkbook, lieAboutSize, refusalOf, zipBomb } from '../helpers/workbooks.js';
import { deflated, zip } from '../helpers/zip-writer.js';

/** The issue of the refusal `work` ends with. */
async function refusedWith(work: Promise<unknown>): Promise<UploadRefused['issue']> {
  const error: unknown = await work.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof UploadRefused)) throw new Error(`expected UploadRefused, got ${String(error)}`);
  return error.issue;
}

describe('the upload guard', () => {
  it('lets real workbooks through, from exceljs and from another writer', async () => {
    // Prepare
    const fromExceljs = await exceljsWorkbook((sheet) => sheet.addRow(['安装单号', 'install_id']));
    const handmade = await handmadeWorkbook([{ name: '安装', rows: [{ row: 1, cells: [{ t: 's', v: '安装单号' }] }] }]);
    // Act
    const verdicts = await Promise.all([refusalOf(inspectWorkbook(fromExceljs)), refusalOf(inspectWorkbook(handmade))]);
    // Assess
    expect(verdicts).toEqual(['accepted', 'accepted']);
  });

  it('refuses a file over the size limit before opening it, saying both sizes in MB', async () => {
    // Prepare
    const bytes = await exceljsWorkbook((sheet) => sheet.addRow(['a']));
    // Act
    const issue = await refusedWith(inspectWorkbook(bytes, { ...DEFAULT_LIMITS, maxBytes: 1024 }));
    // Assess
    expect(issue).toMatchObject({ code: 'file_too_large', row: null, column: null });
    expect(issue.message).toMatch(/0\.0 MB/);
    expect(issue.message_zh).toContain('上传上限');
  });

  it('names an old .xls or password-protected workbook and says what to do', async () => {
    // Prepare: the OLE2 signature both carry
    const ole2 = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    // Act
    const issue = await refusedWith(inspectWorkbook(ole2));
    // Assess
    expect(issue.code).toBe('not_xlsx');
    expect(issue.message).toMatch(/old \.xls.*password-protected.*\.xlsx/);
    expect(issue.message_zh).toContain('密码');
  });

  it('names a CSV, in UTF-8, GBK or Excel\'s UTF-16 "Unicode text"', async () => {
    // Prepare
    const utf8 = new TextEncoder().encode('install_id,install_date\nIN-1,2026-10-01\n');
    const gbk = Buffer.from([0xb0, 0xb2, 0xd7, 0xb0, 0xb5, 0xa5, 0xba, 0xc5, 0x2c, 0x0d, 0x0a]); // 安装单号, in GBK
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('install_id\t\r\n', 'utf16le')]);
    // Act
    const issues = await Promise.all([utf8, gbk, utf16].map((bytes) => refusedWith(inspectWorkbook(bytes))));
    // Assess
    for (const issue of issues) expect(issue).toMatchObject({ code: 'not_xlsx', message: expect.stringContaining('CSV') });
  });

  it('names a PDF and refuses random bytes', async () => {
    // Prepare
    const pdf = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');
    const random = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919 + 13) % 256));
    // Act
    const [pdfIssue, randomIssue] = await Promise.all([refusedWith(inspectWorkbook(pdf)), refusedWith(inspectWorkbook(random))]);
    // Assess
    expect(pdfIssue).toMatchObject({ code: 'not_xlsx', message: expect.stringContaining('PDF') });
    expect(randomIssue).toMatchObject({ code: 'not_xlsx', message: expect.stringContaining('not an Excel workbook') });
  });

  it('refuses a zip that is not a workbook', async () => {
    // Prepare: a zip whose only "sheet" is not where a workbook keeps it
    const JSZip = (await import('jszip')).default;
    const zip = new JSZip();
    zip.file('word/document.xml', '<document/>');
    const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    // Act
    const issue = await refusedWith(inspectWorkbook(bytes));
    // Assess
    expect(issue).toMatchObject({ code: 'not_xlsx', message: expect.stringContaining('zip archive') });
  });

  it('refuses a zip bomb by its declared sizes, before inflating it', async () => {
    // Prepare: 200 MB of zeros deflated into a fake worksheet
    const bomb = zipBomb(200);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    // Act
    const issue = await refusedWith(inspectWorkbook(bomb));
    // Assess
    expect(issue.code).toBe('zip_bomb');
    expect(issue.message).toContain('before unpacking');
  });

  it('inflates nothing it does not read: a part that lies about its size is refused as a bomb when it is read, within its declared size', async () => {
    // Prepare: a worksheet of 40 MB of rows that claims to unpack to 1 kB, so the ratio looks harmless
    const row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>';
    const sheet = deflated('xl/worksheets/sheet1.xml', `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${row.repeat((40 * 1024 * 1024) / row.length)}</sheetData></worksheet>`);
    const liar = zip(bookParts({ sheets: [{ name: '安装', rows: [] }] }, [{ ...sheet, size: 1_000 }]));
    // Act
    const workbook = new Workbook(await inspectWorkbook(liar));
    const rssBefore = process.memoryUsage().rss;
    const read = await refusedWith((async () => {
      for await (const _ of workbook.batches(workbook.worksheets[0]!));
    })());
    // Assess: admitted by what it declares, refused by what it holds
    expect(read.code).toBe('zip_bomb');
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(32 * 1024 * 1024);
  });

  it('refuses a part that lies about its size as a bomb even when what it holds is not XML', async () => {
    // Prepare: 40 MB of zeros that claim to unpack to 1 kB
    const liar = lieAboutSize(zip(bookParts({ sheets: [{ name: '安装', rows: [] }] }, [deflated('xl/worksheets/sheet1.xml', Buffer.alloc(40 * 1024 * 1024, 0x30))])), 'xl/worksheets/sheet1.xml', 1_000);
    // Act
    const workbook = new Workbook(await inspectWorkbook(liar));
    const read = await refusedWith((async () => {
      for await (const _ of workbook.batches(workbook.worksheets[0]!));
    })());
    // Assess
    expect(read.code).toBe('zip_bomb');
  });

  it('lets a worksheet it reads only in part lie about its size, but never hands such a workbook to a loader that inflates every part', async () => {
    // Prepare: two sheets, and the same with the second's 20 MB claiming 1 kB
    const sheet = (rows: string) => `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;
    const book = { sheets: [{ name: '安装', rows: [] }, { name: '备用', rows: [] }] };
    const first = deflated('xl/worksheets/sheet1.xml', sheet(''));
    const second = deflated('xl/worksheets/sheet2.xml', sheet('<row r="1"><c r="A1"><v>1</v></c></row>'.padEnd(20 * 1024 * 1024, ' ')));
    const honest = zip(bookParts(book, [first, second]));
    const liar = zip(bookParts(book, [first, { ...second, size: 1_000 }]));
    // Act
    const verdicts = await Promise.all([refusalOf(inspectWorkbook(liar)), suitsFullLoad(honest), suitsFullLoad(liar), suitsFullLoad(new Workbook(await inspectWorkbook(liar)))]);
    // Assess
    expect(verdicts).toEqual(['accepted', true, false, false]);
  });

  it('still inflates the parts it never reads, refusing one that lies about its size', async () => {
    // Prepare: an extra part of 40 MB that claims 1 kB
    const parts = bookParts({ sheets: [{ name: '安装', rows: [] }] }, [deflated('xl/worksheets/sheet1.xml', '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>')]);
    const liar = zip([...parts, { ...deflated('xl/media/image1.png', Buffer.alloc(40 * 1024 * 1024, 0x30)), size: 1_000 }]);
    // Act
    const issue = await refusedWith(inspectWorkbook(liar));
    // Assess
    expect(issue.code).toBe('zip_bomb');
  });

  it('refuses more entries than a workbook has', async () => {
    // Prepare
    const bytes = await exceljsWorkbook((sheet) => sheet.addRow(['a']));
    // Act
    const issue = await refusedWith(inspectWorkbook(bytes, { ...DEFAULT_LIMITS, maxEntries: 3 }));
    // Assess
    expect(issue.code).toBe('zip_bomb');
  });

  it('refuses a truncated workbook as damaged', async () => {
    // Prepare
    const bytes = await exceljsWorkbook((sheet) => sheet.addRow(['a']));
    // Act
    const issue = await refusedWith(inspectWorkbook(bytes.subarray(0, bytes.length - 200)));
    // Assess
    expect(issue).toMatchObject({ code: 'unreadable', message_zh: expect.stringContaining('损坏') });
  });
});
