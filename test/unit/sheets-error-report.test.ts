import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Issue } from '../../shared/domain/issues.js';
import { writeErrorReport, type ErrorReportInput } from '../../shared/sheets/error-report.js';
import { ERROR_LIST_SHEET, Workbook } from '../../shared/sheets/reader.js';
import { exceljsWorkbook, loadWorkbook, partText, readAll, replacePart } from '../helpers/workbooks.js';

const FORMULA_LIKE = '=HYPERLINK("http://x","y")';

const issue = (overrides: Partial<Issue>): Issue => ({ row: 2, column: null, value: null, code: 'invalid', message: 'wrong', message_zh: '错误', ...overrides });

/** A dealer's upload: a header row and one record whose owner name looks like a formula. */
const upload = () =>
  exceljsWorkbook((sheet) => {
    sheet.addRow(['install_id', 'owner_name', 'phone']);
    sheet.addRow(['IN-1', FORMULA_LIKE, '13800138000']);
    sheet.getCell('A1').font = { italic: true };
  }, '安装');

const input = async (overrides: Partial<ErrorReportInput> = {}): Promise<ErrorReportInput> => ({
  original: await upload(),
  errors: [
    issue({ column: 'owner_name', value: FORMULA_LIKE, code: 'text_too_long', message: 'too long', message_zh: '过长' }),
    issue({ column: 'owner_name', code: 'second', message: 'also bad', message_zh: '也有问题' }),
    issue({ row: 2, column: 'phone', value: null, code: 'required', message: 'missing', message_zh: '缺少' }),
    issue({ row: null, column: 'install_date', code: 'missing_column', message: 'column missing', message_zh: '缺少列' }),
  ],
  warnings: [issue({ column: null, value: 'IN-1', code: 'unknown_serial', message: 'unknown', message_zh: '未知' })],
  columns: new Map([
    ['install_id', 0],
    ['owner_name', 1],
    ['phone', 4],
  ]),
  ...overrides,
});

const noteText = (cell: ExcelJS.Cell | undefined): string => JSON.stringify(cell?.note ?? '');

async function expectAnnotated(report: Buffer): Promise<void> {
  const workbook = await loadWorkbook(report);
  const [list, data] = workbook.worksheets;
  // The issue list first, frozen, filtered, one row per issue, linked to the cell
  expect(list?.name).toBe(ERROR_LIST_SHEET);
  expect(list?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  expect(list?.autoFilter).toBeDefined();
  expect(list?.getRow(1).values).toEqual([undefined, '行 Row', '列 Column', '单元格 Cell', '值 Value', '类别 Kind', '代码 Code', '说明', 'Message']);
  expect(list?.rowCount).toBe(6);
  expect(list?.getCell('D2').value).toBe(FORMULA_LIKE);
  expect(list?.getCell('D2').formula).toBeUndefined();
  expect(list?.getCell('C2').value).toMatchObject({ text: 'B2' });
  expect(list?.getCell('C5').value ?? '').toBe(''); // an issue about no row links nowhere
  // The data sheet: the bad cells filled and noted, errors over warnings, values untouched
  expect(data?.name).toBe('安装');
  expect(data?.getCell('B2').value).toBe(FORMULA_LIKE);
  expect(data?.getCell('B2').formula).toBeUndefined();
  expect(data?.getCell('B2').fill).toMatchObject({ fgColor: { argb: 'FFFFC7CE' } });
  expect(noteText(data?.getCell('B2'))).toContain('过长');
  expect(noteText(data?.getCell('B2'))).toContain('also bad');
  expect(data?.getCell('E2').fill).toMatchObject({ fgColor: { argb: 'FFFFC7CE' } });
  expect(data?.getCell('A2').fill).toMatchObject({ fgColor: { argb: 'FFFFEB9C' } });
  expect(noteText(data?.getCell('A2'))).toContain('未知');
}

describe('the annotated error workbook', () => {
  it('of a small upload is the upload itself, annotated in place, its formatting kept', async () => {
    // Act
    const report = await writeErrorReport(await input());
    // Assess
    await expectAnnotated(report);
    expect((await loadWorkbook(report)).worksheets[1]?.getCell('A1').font?.italic).toBe(true);
  });

  it('of a large upload is a value-by-value copy, annotated the same way', async () => {
    // Act
    const report = await writeErrorReport(await input({ inPlaceMaxBytes: 0 }));
    // Assess
    await expectAnnotated(report);
  });

  it('is copied from the upload as the pipeline opened it, not from the bytes opened again', async () => {
    // Prepare: the package the pipeline opened, and bytes that would read differently
    const opened = await Workbook.open(await upload());
    const other = await exceljsWorkbook((sheet) => sheet.addRow(['not', 'the', 'upload']), '安装');
    // Act
    const report = await writeErrorReport(await input({ original: other, opened, inPlaceMaxBytes: 0 }));
    // Assess
    const rows = await readAll(report, { sheet: (name) => name === '安装' });
    expect(rows.map((row) => row.cells[0])).toEqual(['install_id', 'IN-1']);
  });

  it('links each issue to its cell inside the workbook', async () => {
    // Act
    const report = await writeErrorReport(await input());
    // Assess
    const xml = (await partText(report, 'xl/worksheets/sheet1.xml')) + (await partText(report, 'xl/worksheets/sheet2.xml'));
    expect(xml).toContain('location="#&apos;安装&apos;!B2"');
  });

  it('goes back up as it is: the reader skips the issue list, and a second round replaces it', async () => {
    // Prepare
    const first = await writeErrorReport(await input());
    // Act
    const rows = await readAll(first);
    const second = await writeErrorReport(await input({ original: first, errors: [], warnings: [issue({ column: 'install_id' })] }));
    // Assess
    expect(rows[1]?.cells.slice(0, 2)).toEqual(['IN-1', FORMULA_LIKE]);
    const names = (await loadWorkbook(second)).worksheets.map((s) => s.name);
    expect(names).toEqual([ERROR_LIST_SHEET, '安装']);
  });

  it('annotates the sheet it is told to', async () => {
    // Prepare: the issues are about the second sheet
    const original = await exceljsWorkbook((sheet) => {
      sheet.addRow(['notes']);
      sheet.workbook.addWorksheet('配件').addRow(['part_code']).commit();
    });
    // Act
    const report = await writeErrorReport({ original, errors: [issue({ row: 1 })], warnings: [], columns: new Map(), sheetName: '配件' });
    // Assess
    const [, notes, parts] = (await loadWorkbook(report)).worksheets;
    expect(parts?.getCell('A1').fill).toMatchObject({ fgColor: { argb: 'FFFFC7CE' } });
    expect(notes?.getCell('A1').fill).toBeUndefined();
  });

  it('of an upload whose sheet cannot be found is the issue list alone, every issue on it', async () => {
    // Act
    const report = await writeErrorReport(await input({ sheetName: 'no such sheet' }));
    // Assess
    const [list, ...others] = (await loadWorkbook(report)).worksheets;
    expect(list?.name).toBe(ERROR_LIST_SHEET);
    expect(others).toEqual([]);
    expect(list?.rowCount).toBe(6);
    expect(list?.getCell('C2').value).toBe('B2');
  });

  it('of an upload exceljs cannot load in place in bounded time is a copy: a column range to XFD', async () => {
    // Prepare: one styled column range from I to XFD, which exceljs's full loader expands one by one
    const original = await exceljsWorkbook((sheet) => {
      sheet.addRow(['install_id']);
      sheet.addRow(['IN-1']);
    });
    const sheetXml = await partText(original, 'xl/worksheets/sheet1.xml');
    const ranged = await replacePart(original, 'xl/worksheets/sheet1.xml', sheetXml.replace('<sheetData>', '<cols><col min="9" max="16384" width="9" style="0"/></cols><sheetData>'));
    // Act
    const report = await writeErrorReport({ original: ranged, errors: [issue({ column: 'install_id' })], warnings: [], columns: new Map([['install_id', 0]]) });
    // Assess
    const [list, data] = (await loadWorkbook(report)).worksheets;
    expect(list?.name).toBe(ERROR_LIST_SHEET);
    expect(data?.getCell('A2').value).toBe('IN-1');
    expect(data?.getCell('A2').fill).toMatchObject({ fgColor: { argb: 'FFFFC7CE' } });
    // Copied values only: the 16,376-column range did not come along
    expect(data?.columnCount).toBe(1);
  });
});
