import { createRequire } from 'node:module';
import type ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readRows, sheetNames } from '../../shared/sheets/reader.js';
import { exceljsWorkbook, handmadeWorkbook, loadWorkbook, readAll, refusalOf, type RawCell } from '../helpers/workbooks.js';

/** The `tmp` package exceljs spills worksheets through (the same module instance exceljs loads). */
const tmp = createRequire(import.meta.url)('tmp') as { file: (...args: unknown[]) => unknown };

afterEach(() => {
  vi.restoreAllMocks();
});

const date = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0) => ({ kind: 'datetime', year, month, day, hour, minute, second });

describe('the streaming reader on workbooks exceljs did not write', () => {
  it('reads every form a cell takes: strings, rich text, dates, formula results, errors', async () => {
    // Prepare: a title in row 1, row 2 blank, the data in row 3, a lone formatted cell in row 5000
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
              { t: 'irich', runs: ['世纪大道', ' 100 ', '号'] },
              { t: 'n', v: 46298, date: true },
              { t: 'n', v: 46298.6041666667, date: true },
              { t: 'formula', f: '1+1', v: 2 },
              { t: 'formula', f: 'A3&"x"', v: 'RP-1x' },
              { t: 'e', v: '#N/A' },
              { t: 'ferror', f: 'VLOOKUP(A3,Z:Z,1,0)', v: '#N/A' },
              { t: 'n', v: 13712345678 },
            ],
          },
          { row: 5000, cells: [null, { t: 'styled' }] },
        ],
      },
    ]);
    // Act
    const rows = await readAll(bytes);
    // Assess
    expect(rows).toEqual([
      { row: 1, cells: ['维修情况汇总'] },
      {
        row: 3,
        cells: [
          'RP-1',
          '周先生',
          '上海市浦东新区',
          '世纪大道 100 号',
          date(2026, 10, 3),
          date(2026, 10, 3, 14, 30),
          2,
          'RP-1x',
          { kind: 'error', text: '#N/A' },
          { kind: 'error', text: '#N/A' },
          13712345678,
        ],
      },
    ]);
  });

  it('keeps every Chinese character whole, however the XML is chunked', async () => {
    // Prepare: enough text, inline and shared, to cross many inflate-chunk boundaries
    const text = (i: number) => `上海市浦东新区世纪大道${i}号业主王伟`;
    const rows = Array.from({ length: 3_000 }, (_, i) => ({ row: i + 1, cells: [{ t: 'inline', v: text(i) }, { t: 's', v: `${text(i)}乙` }] satisfies RawCell[] }));
    const bytes = await handmadeWorkbook([{ name: 'x', rows }]);
    // Act
    const read = await readAll(bytes);
    // Assess
    expect(read.filter((row, i) => row.cells[0] !== text(i) || row.cells[1] !== `${text(i)}乙`)).toEqual([]);
  });

  it('reads a sheet stored before the shared strings, or with no shared strings at all, without a temporary file', async () => {
    // Prepare
    const spill = vi.spyOn(tmp, 'file');
    const sharedAfter = await handmadeWorkbook([{ name: 'x', rows: [{ row: 1, cells: [{ t: 's', v: '安装单号' }] }] }]);
    const inlineOnly = await handmadeWorkbook([{ name: 'x', rows: [{ row: 1, cells: [{ t: 'inline', v: '安装单号' }] }] }]);
    // Act
    const read = [await readAll(sharedAfter), await readAll(inlineOnly)];
    // Assess
    expect(read).toEqual([[{ row: 1, cells: ['安装单号'] }], [{ row: 1, cells: ['安装单号'] }]]);
    expect(spill).not.toHaveBeenCalled();
  });

  it('reads the first worksheet in tab order unless told which, whatever its part is called', async () => {
    // Prepare: the tab order differs from the part names
    const bytes = await handmadeWorkbook([
      { name: '说明', rows: [{ row: 1, cells: [{ t: 's', v: 'notes' }] }], hidden: true, part: 'xl/worksheets/sheet9.xml' },
      { name: '配件', rows: [{ row: 1, cells: [{ t: 's', v: 'parts' }] }], part: 'xl/worksheets/parts.xml' },
    ]);
    // Act
    const names = await sheetNames(bytes);
    const first = await readAll(bytes);
    const byName = await readAll(bytes, { sheet: (name) => name === '配件' });
    const byPosition = await readAll(bytes, { sheet: (_, index) => index === 1 });
    const none = await readAll(bytes, { sheet: () => false });
    // Assess
    expect(names).toEqual(['说明', '配件']);
    expect(first[0]?.cells).toEqual(['notes']);
    expect(byName[0]?.cells).toEqual(['parts']);
    expect(byPosition[0]?.cells).toEqual(['parts']);
    expect(none).toEqual([]);
  });
});

describe('the streaming reader on workbooks exceljs wrote', () => {
  it('reads dates as the wall-clock time Excel shows, to the second, from the Date UTC fields', async () => {
    // Prepare: exceljs writes a Date's UTC fields as the wall-clock time, whatever the process zone
    const bytes = await exceljsWorkbook((sheet) => sheet.addRow([new Date(Date.UTC(2026, 9, 3, 14, 30, 59, 600)), new Date(Date.UTC(2026, 11, 31, 23, 59, 59, 400))]));
    // Act
    const [row] = await readAll(bytes);
    // Assess: rounded to the nearest second, never shifted by a zone offset
    expect(row?.cells).toEqual([date(2026, 10, 3, 14, 31, 0), date(2026, 12, 31, 23, 59, 59)]);
  });

  it('skips blank rows, also those only formatted or holding spaces, and keeps Excel row numbers', async () => {
    // Prepare
    const bytes = await exceljsWorkbook((sheet) => {
      sheet.getCell('A1').value = 'title';
      sheet.getCell('A2').value = '   ';
      sheet.getCell('B3').numFmt = '@';
      sheet.getCell('C4').value = 'data';
      sheet.getCell('A10').value = true;
    });
    // Act
    const rows = await readAll(bytes);
    // Assess
    expect(rows).toEqual([
      { row: 1, cells: ['title'] },
      { row: 4, cells: [null, null, 'data'] },
      { row: 10, cells: [true] },
    ]);
  });

  it('gives a formula without a cached result as null, and a hyperlink as its text', async () => {
    // Prepare
    const bytes = await exceljsWorkbook((sheet) => {
      sheet.getCell('A1').value = { formula: 'B1*2' } as never;
      sheet.getCell('B1').value = { text: '说明书', hyperlink: 'https://example.com' };
    });
    // Act
    const [row] = await readAll(bytes);
    // Assess
    expect(row?.cells).toEqual([null, '说明书']);
  });

  it('stops past the row limit, counting non-blank rows only', async () => {
    // Prepare: 50 rows with a blank one between each
    const bytes = await exceljsWorkbook((sheet) => {
      for (let i = 0; i < 50; i++) sheet.getCell(i * 2 + 1, 1).value = `r${i}`;
    });
    // Act
    const over = await refusalOf(readAll(bytes, { maxRows: 49 }));
    const exact = await readAll(bytes, { maxRows: 50 });
    // Assess
    expect(over).toBe('too_many_rows');
    expect(exact).toHaveLength(50);
  });

  it('lets the caller stop early without reading the rest', async () => {
    // Prepare
    const bytes = await exceljsWorkbook((sheet) => {
      for (let i = 0; i < 5_000; i++) sheet.addRow([`row ${i}`]);
    });
    // Act
    const seen: number[] = [];
    for await (const row of readRows(bytes)) {
      seen.push(row.row);
      if (seen.length === 3) break;
    }
    // Assess
    expect(seen).toEqual([1, 2, 3]);
  });

  it('refuses a cut-short file as unreadable, and a read past the deadline when the timeout ends it', async () => {
    // Prepare
    const bytes = await exceljsWorkbook((sheet) => {
      for (let i = 0; i < 20_000; i++) sheet.addRow([`row ${i}`, i, '上海市浦东新区']);
    });
    const cut = bytes.subarray(0, Math.floor(bytes.length * 0.6));
    // Act
    const truncated = await refusalOf(readAll(cut, { timeoutMs: 2_000 }));
    const slow = await refusalOf(readAll(bytes, { timeoutMs: 50 }));
    // Assess
    expect(truncated).toBe('unreadable');
    expect(slow).toBe('unreadable');
  });
});

/** A cell as exceljs's own full loader reads it, in the domain's terms: what our reader must give. */
function asLoaded(value: ExcelJS.CellValue): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return date(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate(), value.getUTCHours(), value.getUTCMinutes(), value.getUTCSeconds());
  if (typeof value !== 'object') return value;
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('error' in value) return { kind: 'error', text: value.error };
  if ('formula' in value) return asLoaded(value.result as ExcelJS.CellValue);
  return null;
}

describe('our reader against exceljs', () => {
  const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }).filter((s) => s.trim() !== '' && !/[\u0000-\u001f\ufffe\uffff]|_x[0-9a-f]{4}_/i.test(s));
  const cell = fc.oneof(
    text,
    fc.integer({ min: -1e12, max: 1e12 }),
    fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
    fc.boolean(),
    // Whole seconds: exceljs writes a date as a serial, which our reader rounds to the second.
    fc.date({ min: new Date(Date.UTC(1900, 2, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true }).map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000)),
    fc.array(text, { minLength: 1, maxLength: 3 }).map((runs) => ({ richText: runs.map((t) => ({ text: t, font: { bold: true } })) })),
    fc.record({ formula: fc.constant('1+1'), result: fc.oneof(fc.integer(), text) }),
    fc.constantFrom('#N/A', '#DIV/0!', '#REF!').map((error) => ({ error })),
  );
  const sheet = fc.array(fc.array(fc.option(cell, { nil: null }), { maxLength: 6 }), { maxLength: 8 });

  it('reads every cell of a workbook exceljs wrote as exceljs itself loads it', async () => {
    await fc.assert(
      fc.asyncProperty(sheet, async (rows) => {
        // Prepare
        const bytes = await exceljsWorkbook((ws) =>
          rows.forEach((cells, r) =>
            cells.forEach((value, c) => {
              if (value === null) return;
              const target = ws.getCell(r + 1, c + 1);
              target.value = value as ExcelJS.CellValue;
              if (value instanceof Date) target.numFmt = 'yyyy-mm-dd hh:mm:ss';
            }),
          ),
        );
        const loaded = await loadWorkbook(bytes);
        const expected: { row: number; cells: unknown[] }[] = [];
        loaded.worksheets[0]?.eachRow((row, number) => {
          const values = (Array.isArray(row.values) ? row.values : []).slice(1);
          const cells = Array.from(values, (value) => asLoaded(value));
          if (cells.some((value) => value !== null)) expected.push({ row: number, cells });
        });
        // Act
        const read = await readAll(bytes);
        // Assess
        expect(read).toEqual(expected);
      }),
      { numRuns: 50 },
    );
  });
});
