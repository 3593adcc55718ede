import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Issue } from '../../shared/domain/issues.js';
import { createReportValidator, type ReportEntity } from '../../shared/domain/report-validation.js';
import { DEFAULT_LIMITS, sheetRowCap } from '../../shared/sheets/guard.js';
import { openUpload } from '../../shared/app/upload-pipeline.js';
import { INSTALLATION_FIELDS } from '../../shared/domain/fields.js';
import { CASES, MAX_CELL_CHARS } from '../fixtures/hostile/corpus.js';
import { builtCorpus, type WrittenCase } from '../fixtures/hostile/generate.js';

/**
 * Every file of the hostile corpus through the ingest path, as ingestReport runs it: the
 * upload guard, the streaming reader under the row cap and the timeout, the installation
 * report validator. Each gets a clear bilingual refusal or the correct records. How long each
 * takes is measured by `npm run bench -- hostile` (bench/hostile.ts), never asserted here: a busy machine is no defect.
 */
interface Outcome {
  /** The refusal of the file as a whole, if any. */
  readonly refusal: Issue | null;
  readonly errors: readonly Issue[];
  readonly warnings: readonly Issue[];
  /** What choosing the data sheet warned of. */
  readonly sheetWarnings: readonly Issue[];
  readonly records: ReadonlyArray<Record<string, unknown>>;
  readonly rows: number;
}

let corpus: Map<string, WrittenCase>;

async function ingestPath(file: string): Promise<Outcome> {
  const bytes = await readFile(corpus.get(file)?.path ?? file);
  const validator = createReportValidator({
    type: 'installation',
    period: '2026-10',
    today: '2026-11-02',
    master: { warrantyMonths: (model) => (model === 'WC-800' ? 24 : undefined), hasPart: () => true },
  });
  const entities: ReportEntity[] = [];
  // Anything but a refusal is a crash, and fails the test here.
  const opened = await openUpload(bytes, { limits: DEFAULT_LIMITS, fields: INSTALLATION_FIELDS });
  const { summary, refusal } =
    opened.status === 'refused'
      ? { summary: validator.finish(), refusal: opened.issue }
      : await opened.read(validator, async (chunk) => void entities.push(...chunk));
  const records = entities.map((e) => e.record as unknown as Record<string, unknown>);
  const sheetWarnings = opened.status === 'admitted' ? opened.sheetWarnings : [];
  return { refusal: refusal ?? null, errors: summary.errors, warnings: summary.warnings, sheetWarnings, records, rows: summary.counts.rows };
}

const where = (issues: readonly Issue[]) => issues.map((i) => [i.row, i.column, i.code]);

/** A message a dealer can act on: English, Chinese, no stack trace, short enough to read. */
function expectReadable(issue: Issue): void {
  expect(issue.code).toMatch(/^[a-z_]+$/);
  expect(issue.message.length).toBeGreaterThan(10);
  expect(issue.message_zh).toMatch(/[\u4e00-\u9fff]/);
  for (const text of [issue.message, issue.message_zh]) {
    expect(text).not.toMatch(/\n\s+at |Error:|undefined|NaN|\[object/);
    expect(text.length).toBeLessThan(400);
  }
}

// Building the corpus takes seconds; the hook's limit only catches a hang on a busy machine.
beforeAll(async () => {
  corpus = new Map((await builtCorpus()).map((c) => [c.file, c]));
}, 300_000);

describe('the hostile corpus', () => {
  it('is written whole, each file small enough to upload', () => {
    expect([...corpus.keys()]).toEqual(CASES.map((c) => c.file));
    for (const { bytes } of corpus.values()) expect(bytes).toBeLessThan(DEFAULT_LIMITS.maxBytes);
  });
});

describe('files that are not workbooks, or not whole ones, are refused before parsing', () => {
  it.each([
    ['truncated.xlsx', 'unreadable', /damaged/, /损坏/],
    ['random-binary.xlsx', 'not_xlsx', /not an Excel workbook/, /不是 Excel 工作簿/],
    ['csv-named.xlsx', 'not_xlsx', /CSV/, /CSV/],
    ['legacy-xls.xlsx', 'not_xlsx', /old \.xls.*password/, /旧版 \.xls.*密码/],
    ['encrypted.xlsx', 'not_xlsx', /old \.xls.*password/, /旧版 \.xls.*密码/],
  ])('%s: %s', async (file, code, message, message_zh) => {
    const outcome = await ingestPath(file);
    expect(outcome.refusal).toMatchObject({ code, row: null, column: null, message: expect.stringMatching(message), message_zh: expect.stringMatching(message_zh) });
    expectReadable(outcome.refusal!);
    expect(outcome.records).toEqual([]);
  });
});

describe('zip bombs are refused without inflating more than the cap', () => {
  it.each([
    ['zip-bomb-declared.xlsx'],
    ['zip-bomb-lying.xlsx'],
    ['zip-bomb-lying-under-limits.xlsx'],
  ])('%s', async (file) => {
    const rssBefore = process.memoryUsage().rss;
    const outcome = await ingestPath(file);
    expect(outcome.refusal).toMatchObject({ code: 'zip_bomb', message_zh: expect.stringContaining('解压') });
    expectReadable(outcome.refusal!);
    // The sheet inflates to 2 GiB; nothing close to that is ever held.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * 1024 * 1024);
  });
});

describe('sheets at and past Excel\'s own limits', () => {
  it('a million rows: refused once past the row limit, without reading the rest', async () => {
    const outcome = await ingestPath('million-rows.xlsx');
    expect(outcome.refusal).toMatchObject({ code: 'too_many_rows', value: String(sheetRowCap(DEFAULT_LIMITS)) });
    expectReadable(outcome.refusal!);
    // Each row lacks most fields: the list of them stops at the issue limit, closed by too_many_errors.
    expect(outcome.errors).toHaveLength(10_001);
    expect(outcome.errors.at(-1)?.code).toBe('too_many_errors');
  }, 90_000);

  it('16,384 columns: the report is read, the stray values beyond the template ignored, the extra header named in a warning', async () => {
    const outcome = await ingestPath('columns-16384.xlsx');
    expect(outcome.refusal).toBeNull();
    expect(outcome.errors).toEqual([]);
    expect(where(outcome.warnings)).toEqual([[1, null, 'unknown_column']]);
    expect(outcome.warnings[0]?.value).toBe('备注2');
    expect(outcome.records.map((r) => r.install_id)).toEqual(['IN-1', 'IN-2']);
  });

  it(`${MAX_CELL_CHARS.toLocaleString('en')}-character cells: each refused as too long, quoted short in the message`, async () => {
    const outcome = await ingestPath('cells-32767.xlsx');
    expect(outcome.refusal).toBeNull();
    expect(outcome.errors).toHaveLength(120);
    expect(new Set(outcome.errors.map((e) => `${e.column}:${e.code}`))).toEqual(new Set(['owner_name:text_too_long', 'address:text_too_long', 'serial_no:text_too_long']));
    for (const error of outcome.errors) {
      expectReadable(error);
      expect(error.message).toContain('32767');
    }
    expect(outcome.records).toEqual([]);
  });

  it('a shared-strings table far bigger than the sheet: read in time, the strings used resolved', async () => {
    const outcome = await ingestPath('shared-strings-bloat.xlsx');
    expect(outcome.errors).toEqual([]);
    expect(outcome.records.map((r) => [r.install_id, r.owner_name, r.installer, r.address])).toEqual([
      ['IN-1', '陈小姐', '刘师傅', '上海市浦东新区张江路 88 号'],
      ['IN-2', '陈小姐', '刘师傅', '上海市浦东新区张江路 88 号'],
    ]);
  });

  it('a shared string that does not exist reads as an empty cell, named as missing', async () => {
    const outcome = await ingestPath('shared-string-out-of-range.xlsx');
    expect(where(outcome.errors)).toEqual([[2, 'owner_name', 'required']]);
  });
});

describe('what Excel shows is what is read', () => {
  it('formulas: their cached results, a formula saved without one as an empty cell', async () => {
    const outcome = await ingestPath('formulas.xlsx');
    expect(where(outcome.errors)).toEqual([[3, 'installer', 'required']]);
    expect(outcome.records).toEqual([
      expect.objectContaining({ install_id: 'IN-1', install_date: '2026-10-08', owner_name: 'CHEN', phone: '13912345678', purchase_date: '2026-09-28', remarks: 'link' }),
    ]);
  });

  it('merged cells: the title above the header is skipped, a merge over a field leaves that field empty', async () => {
    const outcome = await ingestPath('merged-over-data.xlsx');
    expect(where(outcome.errors)).toEqual([[5, 'product_model', 'required']]);
    expect(outcome.records.map((r) => r.install_id)).toEqual(['IN-1']);
  });

  it('hidden sheets and rows: the only sheet with the header is read though hidden, hidden rows included, and the dealer is told', async () => {
    const outcome = await ingestPath('hidden-sheets-and-rows.xlsx');
    expect(outcome.errors).toEqual([]);
    expect(outcome.sheetWarnings).toEqual([expect.objectContaining({ code: 'hidden_sheet_read', value: '安装' })]);
    expect(outcome.records.map((r) => r.install_id)).toEqual(['IN-1', 'IN-2', 'IN-3']);
  });

  it('several sheets: a notes sheet in front is passed over, the first sheet with the header row is read', async () => {
    const outcome = await ingestPath('several-sheets.xlsx');
    expect(outcome.errors).toEqual([]);
    expect(outcome.records.map((r) => r.install_id)).toEqual(['IN-1']);
  });

  it('dates before 1 March 1900, typed or as serials, are refused one by one', async () => {
    const outcome = await ingestPath('dates-before-1900.xlsx');
    expect(where(outcome.errors)).toEqual([2, 3, 4, 5, 6].map((row) => [row, 'purchase_date', 'invalid_date']));
    expect(outcome.errors.map((e) => e.value)).toEqual(['1899-12-31', '1899-12-30', '1899-12-29', '1900-02-28', '1066年10月14日']);
    outcome.errors.forEach(expectReadable);
  });

  it('the 1904 date system: the same days as Excel for Mac shows', async () => {
    const outcome = await ingestPath('date-1904.xlsx');
    expect(outcome.errors).toEqual([]);
    expect(outcome.records).toEqual([expect.objectContaining({ install_date: '2026-10-08', purchase_date: '2026-09-28' })]);
  });

  it('emoji kept, control and zero-width characters dropped, Excel\'s escapes decoded', async () => {
    const outcome = await ingestPath('emoji-and-control.xlsx');
    expect(outcome.errors).toEqual([]);
    expect(outcome.records.map((r) => [r.install_id, r.owner_name, r.installer, r.remarks, r.serial_no, r.address])).toEqual([
      // A joined family emoji falls apart into its members: zero-width joiners are removed with every invisible character.
      ['IN-1', '王👍🏽伟', '👨👩👧 刘师傅', 'bell esc end', 'SN-_x0041_', '上海市浦东新区张江路 88 号'],
      ['IN-2', '陈小姐', '刘师傅', null, 'SN-2', '上海市 浦东新区\n张江路 88 号'],
    ]);
  });

  it('right-to-left text kept as written; direction marks and overrides removed from text and ids alike', async () => {
    const outcome = await ingestPath('right-to-left.xlsx');
    expect(outcome.errors).toEqual([]);
    expect(outcome.records.map((r) => [r.owner_name, r.address, r.installer, r.serial_no])).toEqual([
      ['محمد علي', 'شارع الملك فهد 12، الرياض', 'דוד כהן', 'SN-1'],
      ['مريم', '上海市浦东新区张江路 88 号', '刘师傅', 'SN-2-NS'],
    ]);
  });

  it('a header row alone is a report of nothing: accepted, no rows, with a warning in case the blank template went by mistake', async () => {
    const outcome = await ingestPath('header-only.xlsx');
    expect(outcome).toMatchObject({ refusal: null, errors: [], records: [], rows: 0 });
    expect(outcome.warnings).toEqual([expect.objectContaining({ row: null, column: null, code: 'empty_report', message_zh: expect.stringContaining('没有数据') })]);
  });

  it('the right headers in another order, some in English: every value lands in its field', async () => {
    const outcome = await ingestPath('headers-reordered.xlsx');
    expect(outcome.errors).toEqual([]);
    expect(outcome.records).toEqual([
      expect.objectContaining({ install_id: 'IN-1', serial_no: 'SN-1', remarks: '备注一', commissioning: 'passed', install_date: '2026-10-08' }),
      expect.objectContaining({ install_id: 'IN-2', serial_no: 'SN-2', remarks: null, commissioning: 'failed', installer: '刘师傅' }),
    ]);
  });
});
