import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UPLOAD_FIELDS } from '../../shared/domain/fields.js';
import { sheetNames } from '../../shared/sheets/reader.js';
import { writeAllTemplates, writeTemplate } from '../../shared/sheets/template.js';
import { loadWorkbook, partText, readAll } from '../helpers/workbooks.js';

describe('upload templates', () => {
  // Each template is seconds of exceljs work on a busy machine (a thousand rows of formats and
  // validation): the installation and repair templates are written, and the repair one loaded, once.
  let installation: Buffer;
  let repair: Awaited<ReturnType<typeof loadWorkbook>>['worksheets'][number] | undefined;
  beforeAll(async () => {
    installation = await writeTemplate('installation');
    repair = (await loadWorkbook(await writeTemplate('repair'))).worksheets[0];
  });

  it('have a merged bold bilingual title, a notes row with required columns starred, and the bilingual header', async () => {
    // Act
    const sheet = (await loadWorkbook(installation)).worksheets[0];
    // Assess
    expect(sheet?.name).toBe('安装情况统计');
    expect(sheet?.getCell('A1').value).toBe('安装情况统计 Installation report');
    expect(sheet?.getCell('A1').font?.bold).toBe(true);
    expect(sheet?.getCell('L1').isMerged).toBe(true);
    expect(sheet?.getCell('A2').value).toBe('* 必填 required\n本报表内唯一\nUnique per report');
    expect(sheet?.getCell('J2').value).toMatch(/^选填 optional\n/);
    expect(sheet?.getCell('A2').alignment?.wrapText).toBe(true);
    expect(sheet?.getRow(3).values).toEqual([undefined, ...UPLOAD_FIELDS.installation.map((f) => `${f.zh}\n${f.name}`)]);
    expect(sheet?.getCell('A3').font?.bold).toBe(true);
    expect(sheet?.getCell('A3').border?.bottom?.style).toBe('thin');
  });

  it('freeze the panes below the header and size the columns', async () => {
    // Act
    const sheet = repair;
    // Assess
    expect(sheet?.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(sheet?.getColumn(1).width).toBeGreaterThanOrEqual(16);
    expect(sheet?.getColumn('S').width).toBeGreaterThanOrEqual('satisfaction'.length);
  });

  it('keep phones and ids as text, and offer dates, choices and whole numbers through Excel validation', async () => {
    // Act
    const sheet = repair;
    // Assess: F phone, B called_at, D completed_date, O part_qty, Q service_type
    expect(sheet?.getCell('F4').numFmt).toBe('@');
    expect(sheet?.getCell('F1003').numFmt).toBe('@');
    expect(sheet?.getCell('D4').numFmt).toBe('yyyy-mm-dd');
    expect(sheet?.getCell('B4').numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(sheet?.getCell('D500').dataValidation).toMatchObject({ type: 'date', showInputMessage: true, showErrorMessage: true, prompt: expect.stringContaining('2026-10-03') });
    expect(sheet?.getCell('O4').dataValidation).toMatchObject({ type: 'whole', operator: 'greaterThan', formulae: [0] });
    expect(sheet?.getCell('Q4').dataValidation).toMatchObject({ type: 'list', formulae: ['"维修,回访"'] });
    expect(sheet?.getCell('Q1004').dataValidation).toBeUndefined();
  });

  it('write one validation per column, never overlapping ranges', async () => {
    // Act
    const xml = await partText(installation, 'xl/worksheets/sheet1.xml');
    // Assess
    const ranges = [...xml.matchAll(/sqref="([^"]+)"/g)].map((m) => m[1]);
    expect(ranges).toHaveLength(UPLOAD_FIELDS.installation.length);
    expect(ranges).toContain('I4:I1003');
  });

  it('read back through the reader as title, notes and the header the validator matches', async () => {
    // Act
    const rows = await readAll(await writeTemplate('shipments'));
    // Assess
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3]);
    expect(rows[2]?.cells).toEqual(UPLOAD_FIELDS.shipments.map((f) => `${f.zh}\n${f.name}`));
  });

  it('for master data have the three sheets the importer looks for', async () => {
    // Act
    const names = await sheetNames(await writeTemplate('master'));
    // Assess
    expect(names).toEqual(['经销商', '产品', '配件']);
  });

  it('are all written to a directory under their file names', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'templates-'));
    try {
      // Act
      const paths = await writeAllTemplates(join(dir, 'nested'));
      // Assess
      const expected = ['complaints-template.xlsx', 'installation-template.xlsx', 'master-data-template.xlsx', 'material-request-template.xlsx', 'repair-template.xlsx', 'returns-template.xlsx', 'shipments-template.xlsx', 'verification-calls-template.xlsx'];
      expect((await readdir(join(dir, 'nested'))).sort()).toEqual(expected);
      expect(paths).toHaveLength(8);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
