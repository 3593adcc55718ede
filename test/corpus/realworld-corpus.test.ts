import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { SheetRow } from '../../shared/domain/cells.js';
import { INSTALLATION_FIELDS } from '../../shared/domain/fields.js';
import { writeErrorReport } from '../../shared/sheets/error-report.js';
import type { Issue } from '../../shared/domain/issues.js';
import { createReportValidator } from '../../shared/domain/report-validation.js';
import { openUpload } from '../../shared/app/upload-pipeline.js';
import { DEFAULT_LIMITS } from '../../shared/sheets/guard.js';
import { ERROR_LIST_SHEET, readRows } from '../../shared/sheets/reader.js';
import { CORPUS, corpusFiles, REFUSED, UNREADABLE_SHEET } from '../helpers/realworld-corpus.js';
import { loadWorkbook } from '../helpers/workbooks.js';

/**
 * 147 real workbooks from the test data of public spreadsheet libraries (see the corpus's
 * README and SOURCES.md), each through the upload pipeline as an installation report: the
 * guard, the data sheet, the reader, the validator and the annotated workbook. None is a
 * dealer's report, so none is accepted; each gets one clear answer.
 */
interface Answer {
  readonly refusal: Issue | undefined;
  readonly errors: readonly Issue[];
  readonly annotated: Uint8Array | null;
}

async function upload(file: string): Promise<Answer> {
  const opened = await openUpload(await readFile(CORPUS + file), { limits: DEFAULT_LIMITS, fields: INSTALLATION_FIELDS });
  if (opened.status === 'refused') return { refusal: opened.issue, errors: [], annotated: null };
  const validator = createReportValidator({ type: 'installation', period: '2026-10', today: '2026-11-02', master: { warrantyMonths: () => 24, hasPart: () => true } });
  const { summary, refusal } = await opened.read(validator);
  const errors = [...summary.errors, ...(refusal === undefined ? [] : [refusal])];
  const annotated = refusal === undefined ? await opened.annotate({ errors, warnings: summary.warnings, columns: summary.columns }, writeErrorReport) : null;
  return { refusal, errors, annotated };
}

async function firstRows(file: string, count: number): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  for await (const row of readRows(await readFile(CORPUS + file))) {
    rows.push(row);
    if (rows.length === count) break;
  }
  return rows;
}

const files = corpusFiles();

describe('the real-world corpus', () => {
  it('is all there, and every refusal expected names a file of it', () => {
    expect(files).toHaveLength(147);
    for (const name of [...Object.keys(REFUSED), ...UNREADABLE_SHEET]) expect(files).toContain(name);
  });

  it.each(Object.entries(REFUSED))('%s is refused, saying what it is', async (file, [code, message]) => {
    const answer = await upload(file);
    expect(answer.refusal).toMatchObject({ code, row: null, column: null, message: expect.stringMatching(message), message_zh: expect.stringMatching(/[\u4e00-\u9fff]/) });
    expect(answer.errors.filter((issue) => issue.code !== answer.refusal?.code)).toEqual([]);
  });

  it.each([...UNREADABLE_SHEET])('%s is read until its XML breaks, and refused as damaged alone', async (file) => {
    const answer = await upload(file);
    expect(answer.errors.map((issue) => issue.code)).toEqual(['unreadable']);
  });

  const read = files.filter((file) => REFUSED[file] === undefined && !UNREADABLE_SHEET.has(file));
  it.each(read)(
    '%s is read: no header row found, and the annotated workbook opens on the issue list',
    async (file) => {
      const answer = await upload(file);
      expect(answer.refusal).toBeUndefined();
      expect(answer.errors.map((issue) => issue.code)).toEqual(['header_not_found']);
      expect(answer.annotated).not.toBeNull();
      const workbook = await loadWorkbook(Buffer.from(answer.annotated!));
      expect(workbook.worksheets[0]?.name).toBe(ERROR_LIST_SHEET);
      expect(workbook.worksheets[0]?.getCell('F2').value).toBe('header_not_found');
    },
    120_000,
  );
});

describe('workbooks from other programs are read as Excel shows them', () => {
  it('strict OOXML (an Excel "Strict Open XML" save)', async () => {
    const [first] = await firstRows('poi-SimpleStrict.xlsx', 1);
    expect(first).toEqual({ row: 1, cells: ['test', null, 1] });
  });

  it('prefixed SpreadsheetML elements (<x:worksheet>, Tencent Docs)', async () => {
    const [first] = await firstRows('easyexcel-t04.xlsx', 1);
    expect(first?.cells.slice(0, 3)).toEqual(['序号', 'ID号', '工位号']);
  });

  it('rows and cells without r= references', async () => {
    expect(await firstRows('closedxml-NoReferencesOnRowsOrCells.xlsx', 2)).toEqual([
      { row: 1, cells: ['Test1', 'Test2'] },
      { row: 2, cells: [1, 2] },
    ]);
  });

  it('a sheet part not named sheetN.xml (Apple Numbers)', async () => {
    const [first] = await firstRows('tealeg-macNumbersTest.xlsx', 1);
    expect(first).toEqual({ row: 1, cells: ['编号'] });
  });

  it('a workbook part outside xl/, found through the package relationships', async () => {
    expect(await firstRows('sheetjs-wtf_path.xlsx', 1)).toHaveLength(1);
  });

  it('1904 dates', async () => {
    const [first] = await firstRows('exceljs-1904.xlsx', 1);
    expect(first?.cells[1]).toEqual({ kind: 'datetime', year: 1904, month: 1, day: 1, hour: 0, minute: 0, second: 0 });
  });

  it('bytes after the end of the zip, which Excel ignores', async () => {
    expect(await firstRows('tealeg-panic_test.xlsx', 1)).toHaveLength(1);
  });
});
