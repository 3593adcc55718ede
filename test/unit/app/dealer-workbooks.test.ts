import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ingestReport } from '../../../shared/app/ingest-report.js';
import type { ReportItem, ReportTarget } from '../../../shared/app/ports.js';
import { INSTALLATION_FIELDS, REPAIR_FIELDS, type FieldSpec } from '../../../shared/domain/fields.js';
import { demoBackOffice, type DemoBackOffice } from '../../helpers/memory/world.js';
import { installationRow, repairRow, type ReportRow } from '../../helpers/reports.js';
import { partText } from '../../helpers/workbooks.js';

/**
 * Dealers' own files (issue 28; domain.md, "More of what dealers do"), each habit in a
 * workbook this test writes, taken in as written and again as LibreOffice Calc and Gnumeric
 * save it (soffice --convert-to xlsx, ssconvert), with the same answer from all three.
 * scripts/install-libreoffice.sh installs both programs; without one on the PATH its cases
 * are skipped, saying so.
 */

const run = promisify(execFile);
const onPath = (program: string) => (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, program)).find(existsSync);
const soffice = onPath('soffice');
const ssconvert = onPath('ssconvert');

interface SheetSpec {
  readonly name: string;
  readonly hidden?: boolean;
  readonly rows: readonly (readonly unknown[])[];
  /** Number formats by cell reference (B3: '0000000000'). */
  readonly formats?: Readonly<Record<string, string>>;
}

async function workbook(sheets: readonly SheetSpec[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  for (const spec of sheets) {
    const sheet = book.addWorksheet(spec.name, spec.hidden === true ? { state: 'hidden' } : {});
    for (const row of spec.rows) sheet.addRow([...row] as ExcelJS.CellValue[]);
    for (const [ref, format] of Object.entries(spec.formats ?? {})) sheet.getCell(ref).numFmt = format;
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

const headerOf = (fields: readonly FieldSpec[], rename: Readonly<Record<string, string>> = {}) => fields.map((f) => rename[f.name] ?? f.zh);
const rowOf = (fields: readonly FieldSpec[], row: ReportRow) => fields.map((f) => row[f.name] ?? null);
const installations = (rows: readonly ReportRow[], rename: Readonly<Record<string, string>> = {}) => [headerOf(INSTALLATION_FIELDS, rename), ...rows.map((r) => rowOf(INSTALLATION_FIELDS, r))];
const repairs = (rows: readonly ReportRow[]) => [headerOf(REPAIR_FIELDS), ...rows.map((r) => rowOf(REPAIR_FIELDS, r))];
const column = (name: string) => String.fromCharCode(65 + INSTALLATION_FIELDS.findIndex((f) => f.name === name));

interface Case {
  readonly name: string;
  readonly type: ReportTarget['type'];
  readonly sheets: readonly SheetSpec[];
}

const september = { install_id: 'IN-0901', install_date: '2026-09-12', purchase_date: '2026-09-01', serial_no: 'SN-WC-0901' };
const october2 = { install_id: 'IN-0002', serial_no: 'SN-WC-0002' };

const CASES: readonly Case[] = [
  {
    name: 'notes in headers',
    type: 'installation',
    sheets: [
      {
        name: '安装',
        rows: installations([installationRow({ unboxing_issue: '外箱破损', remarks: '已告知客户' })], {
          install_date: '安装日期（年/月/日）',
          purchase_date: '购买日期(年/月/日)',
          phone: '联系电话（手机）',
          serial_no: '产品序列号(S/N)',
          unboxing_issue: '开箱问题（如有）',
          remarks: '备注（选填）',
        }),
      },
    ],
  },
  {
    name: 'identifiers as shown',
    type: 'installation',
    sheets: [
      {
        name: '安装',
        rows: installations([installationRow({ serial_no: 26090002, phone: 57186723418 })]),
        formats: { [`${column('serial_no')}2`]: '0000000000' },
      },
    ],
  },
  {
    name: 'another month on the first sheet',
    type: 'installation',
    sheets: [
      { name: '9月', rows: installations([installationRow(september), installationRow({ ...september, install_id: 'IN-0902', serial_no: 'SN-WC-0902' })]) },
      { name: '10月', rows: installations([installationRow(), installationRow(october2)]) },
    ],
  },
  {
    name: 'a hidden blank template in front',
    type: 'installation',
    sheets: [
      { name: '模板', hidden: true, rows: installations([]) },
      { name: '本月', rows: installations([installationRow(), installationRow(october2)]) },
    ],
  },
  {
    name: 'the rows only on a hidden sheet',
    type: 'installation',
    sheets: [
      { name: '模板', rows: installations([]) },
      { name: '数据', hidden: true, rows: installations([installationRow()]) },
    ],
  },
  {
    name: 'two sheets nothing tells apart',
    type: 'installation',
    sheets: [
      { name: '张师傅', rows: installations([installationRow()]) },
      { name: '李师傅', rows: installations([installationRow(october2)]) },
    ],
  },
  {
    name: 'totals and signatures',
    type: 'repair',
    sheets: [{ name: '维修', rows: [...repairs([repairRow({ action_taken: '配件已补发，待二次调试' }), repairRow({ repair_id: 'RP-0002' })]), [], ['合计', 2], ['制表人：张三', null, null, '审核人：李四']] }],
  },
];

interface Answer {
  readonly status: string;
  readonly codes: readonly string[];
  readonly rows: number;
  readonly items: readonly ReportItem[];
  readonly messages: readonly string[];
}

let office: DemoBackOffice;
let uploads = 0;

async function answer(type: ReportTarget['type'], bytes: Uint8Array): Promise<Answer> {
  const target: ReportTarget = { dealer: 'D001', type, period: '2026-10' };
  const result = await ingestReport(office, { bytes, target, receivedAt: new Date('2026-11-02T08:00:00+08:00'), sourceId: `dealer-file-${(uploads += 1)}` });
  const items: ReportItem[] = [];
  if (result.status === 'accepted' && result.version !== null) for await (const item of office.reports.readItems(target, result.version)) items.push(item);
  const issues = [...result.errors, ...result.warnings];
  return { status: result.status, codes: issues.map((i) => i.code), rows: result.counts.rows, items, messages: issues.map((i) => i.message) };
}

const recordOf = (a: Answer, i = 0): Record<string, unknown> => (a.items[i]?.record ?? {}) as unknown as Record<string, unknown>;

/** What each case must come to, whichever program saved the file. */
const EXPECTED: Readonly<Record<string, (a: Answer) => void>> = {
  'notes in headers': (a) => {
    expect(a).toMatchObject({ status: 'accepted', codes: [], rows: 1 });
    expect(recordOf(a)).toMatchObject({ unboxing_issue: '外箱破损', remarks: '已告知客户', phone: '13912345678', serial_no: 'SN-WC-0001' });
  },
  'identifiers as shown': (a) => {
    expect(a).toMatchObject({ status: 'accepted', rows: 1 });
    expect(a.codes).toEqual(['phone_lost_zero']);
    expect(a.messages.find((m) => m.includes('57186723418'))).toContain(`cell ${column('phone')}2`);
    expect(recordOf(a)).toMatchObject({ serial_no: '0026090002', phone: '57186723418' });
  },
  'another month on the first sheet': (a) => {
    expect(a).toMatchObject({ status: 'accepted', codes: [], rows: 2 });
    expect(a.items.map((i) => (i.kind === 'installation' ? i.record.install_id : ''))).toEqual(['IN-0001', 'IN-0002']);
  },
  'a hidden blank template in front': (a) => {
    expect(a).toMatchObject({ status: 'accepted', codes: [], rows: 2 });
  },
  'the rows only on a hidden sheet': (a) => {
    expect(a).toMatchObject({ status: 'rejected', codes: ['data_on_hidden_sheet'] });
    expect(a.messages[0]).toContain('"数据"');
  },
  // Gnumeric saves every sheet visible (1.12.55): its copy has the rows on a visible sheet, read as such.
  'the rows only on a hidden sheet, unhidden on saving': (a) => {
    expect(a).toMatchObject({ status: 'accepted', codes: [], rows: 1 });
  },
  'two sheets nothing tells apart': (a) => {
    expect(a).toMatchObject({ status: 'rejected', codes: ['sheet_ambiguous'] });
    expect(a.messages[0]).toContain('"张师傅", "李师傅"');
  },
  'totals and signatures': (a) => {
    // The repairs' units were never installed: unknown_serial warnings besides.
    expect({ status: a.status, rows: a.rows, codes: a.codes.filter((c) => c !== 'unknown_serial') }).toEqual({ status: 'accepted', rows: 2, codes: ['ignored_rows'] });
    expect(a.messages.find((m) => m.startsWith('Rows'))).toContain('"合计"');
    expect(recordOf(a)).toMatchObject({ action_taken: '配件已补发，待二次调试' });
  },
};

let dir: string;
const written = new Map<string, Buffer>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dealer-files-'));
  for (const c of CASES) written.set(c.name, await workbook(c.sheets));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  office = await demoBackOffice();
});

describe('dealer workbooks as written', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    EXPECTED[name]?.(await answer(c.type, written.get(name)!));
  });
});

/** Every case saved by one program, converted in one run. */
async function savedBy(program: 'libreoffice' | 'gnumeric'): Promise<Map<string, Buffer>> {
  const from = join(dir, `${program}-in`);
  const to = join(dir, `${program}-out`);
  await mkdir(from, { recursive: true });
  await mkdir(to, { recursive: true });
  const files = CASES.map((_, i) => join(from, `case${i}.xlsx`));
  await Promise.all(CASES.map((c, i) => writeFile(files[i]!, written.get(c.name)!)));
  if (program === 'libreoffice') {
    await run(soffice!, [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'xlsx:Calc MS Excel 2007 XML', '--outdir', to, ...files], { timeout: 240_000 });
  } else {
    for (const [i, file] of files.entries()) await run(ssconvert!, ['--export-type=Gnumeric_Excel:xlsx2', file, join(to, `case${i}.xlsx`)], { timeout: 120_000 });
  }
  return new Map(await Promise.all(CASES.map(async (c, i) => [c.name, await readFile(join(to, `case${i}.xlsx`))] as const)));
}

describe.skipIf(soffice === undefined)('dealer workbooks saved by LibreOffice Calc', () => {
  let saved: Map<string, Buffer>;
  beforeAll(async () => {
    saved = await savedBy('libreoffice');
  }, 300_000);

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    EXPECTED[name]?.(await answer(c.type, saved.get(name)!));
  });
});

describe.skipIf(ssconvert === undefined)('dealer workbooks saved by Gnumeric', () => {
  let saved: Map<string, Buffer>;
  beforeAll(async () => {
    saved = await savedBy('gnumeric');
  }, 300_000);

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const bytes = saved.get(name)!;
    const unhidden = c.sheets.some((sheet) => sheet.hidden === true) && !(await partText(bytes, 'xl/workbook.xml')).includes('state="hidden"');
    const expected = unhidden && name === 'the rows only on a hidden sheet' ? `${name}, unhidden on saving` : name;
    EXPECTED[expected]?.(await answer(c.type, bytes));
  });
});
