import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Issue } from '../../shared/domain/issues.js';
import { createReportValidator } from '../../shared/domain/report-validation.js';
import { anyDate } from '../helpers/arbitraries.js';
import { installation, MASTER, repair, reportSheet, validate, type ValidationRun } from '../helpers/rows.js';

/** Where each error is and why, which is what these rules are about. */
const errorsOf = ({ summary }: ValidationRun): Pick<Issue, 'row' | 'column' | 'code'>[] =>
  summary.errors.map(({ row, column, code }) => ({ row, column, code }));

describe('an installation report', () => {
  it('yields one installation per correct row, with values in their stored form', () => {
    // Prepare
    const rows = reportSheet('installation', [installation({ install_date: '2026年10月3日', purchase_date: 46285 })]);
    // Act
    const run = validate('installation', rows);
    // Assess
    expect(run.summary.errors).toEqual([]);
    expect(run.entities).toEqual([
      {
        kind: 'installation',
        row: 2,
        record: {
          install_id: 'I-001',
          install_date: '2026-10-03',
          owner_name: '王伟',
          phone: '13800138000',
          address: '上海市浦东新区世纪大道 100 号',
          product_model: 'WC-100',
          serial_no: 'SN-0001',
          purchase_date: '2026-09-20',
          commissioning: 'passed',
          unboxing_issue: null,
          installer: '李强',
          remarks: null,
        },
      },
    ]);
  });

  it('names a repair report dropped in the installation slot as what it is, in both languages, and the other way round', () => {
    for (const headers of ['en', 'zh'] as const) {
      // Act
      const asInstallation = validate('installation', reportSheet('repair', [repair()], { headers }));
      const asRepair = validate('repair', reportSheet('installation', [installation()], { headers }));

      // Assess
      expect(asInstallation.summary.errors.map((e) => [e.code, e.message_zh])).toEqual([['wrong_template', expect.stringContaining('这是一份维修情况汇总表，不是安装情况统计表')]]);
      expect(asRepair.summary.errors.map((e) => [e.code, e.message])).toEqual([['wrong_template', expect.stringContaining('This file is the installation report (安装情况统计表), not the repair report')]]);
      expect(asInstallation.entities).toEqual([]);
    }
  });

  it('accepts English, Chinese and bilingual headers alike', () => {
    for (const headers of ['en', 'zh', 'bilingual'] as const) {
      const run = validate('installation', reportSheet('installation', [installation()], { headers }));
      expect(run.summary.errors).toEqual([]);
      expect(run.entities).toHaveLength(1);
    }
  });

  it('requires every required field and names the missing one', () => {
    // Prepare
    const rows = reportSheet('installation', [installation({ installer: '  ' })]);
    // Act
    const run = validate('installation', rows);
    // Assess
    expect(errorsOf(run)).toEqual([{ row: 2, column: 'installer', code: 'required' }]);
    expect(run.entities).toEqual([]);
  });

  it('leaves optional fields null when blank and keeps them when given', () => {
    const rows = reportSheet('installation', [installation({ unboxing_issue: '外包装破损', remarks: null })]);
    const [entity] = validate('installation', rows).entities;
    expect(entity?.kind === 'installation' && entity.record.unboxing_issue).toBe('外包装破损');
    expect(entity?.kind === 'installation' && entity.record.remarks).toBeNull();
  });

  it('reports a value that cannot be read with the row, the column and the value as typed', () => {
    // Prepare
    const rows = reportSheet('installation', [installation({ install_date: '2026/13/45' })]);
    // Act
    const { summary } = validate('installation', rows);
    // Assess
    expect(summary.errors).toEqual([
      {
        row: 2,
        column: 'install_date',
        value: '2026/13/45',
        code: 'invalid_date',
        message: 'install_date: "2026/13/45" is not a date; write it as 2026-10-03',
        message_zh: '安装日期：“2026/13/45”不是有效日期，请按 2026-10-03 填写',
      },
    ]);
  });

  it('refuses an install date outside the report\'s month', () => {
    const run = validate('installation', reportSheet('installation', [installation({ install_date: '2026-09-30' })]));
    expect(errorsOf(run)).toEqual([{ row: 2, column: 'install_date', code: 'out_of_period' }]);
  });

  it('refuses a purchase date after the upload day', () => {
    const rows = reportSheet('installation', [installation({ purchase_date: '2026-10-02' })]);
    const run = validate('installation', rows, { today: '2026-10-01', period: '2026-10' });
    expect(errorsOf(run)).toContainEqual({ row: 2, column: 'purchase_date', code: 'future_date' });
  });

  it('refuses an install date after the upload day', () => {
    const run = validate('installation', reportSheet('installation', [installation({ install_date: '2026-10-20', purchase_date: '2026-10-01' })]), { today: '2026-10-15' });
    expect(errorsOf(run)).toEqual([{ row: 2, column: 'install_date', code: 'future_date' }]);
  });

  it('refuses a purchase date after the install date', () => {
    const run = validate('installation', reportSheet('installation', [installation({ install_date: '2026-10-03', purchase_date: '2026-10-04' })]));
    expect(errorsOf(run)).toEqual([{ row: 2, column: 'purchase_date', code: 'purchase_after_install' }]);
  });

  it('accepts a purchase on the install day', () => {
    const run = validate('installation', reportSheet('installation', [installation({ install_date: '2026-10-03', purchase_date: '2026-10-03' })]));
    expect(run.summary.errors).toEqual([]);
  });

  it('refuses a product model that is not in the product list', () => {
    const run = validate('installation', reportSheet('installation', [installation({ product_model: 'XX-9' })]));
    expect(errorsOf(run)).toEqual([{ row: 2, column: 'product_model', code: 'unknown_product' }]);
  });

  it('refuses a commissioning result other than passed or failed', () => {
    const run = validate('installation', reportSheet('installation', [installation({ commissioning: '还行' })]));
    expect(errorsOf(run)).toEqual([{ row: 2, column: 'commissioning', code: 'invalid_choice' }]);
  });

  it('refuses a phone number Excel turned into scientific notation', () => {
    const run = validate('installation', reportSheet('installation', [installation({ phone: '1.38E+10' })]));
    expect(errorsOf(run)).toEqual([{ row: 2, column: 'phone', code: 'number_too_large' }]);
  });

  it('refuses a cell holding an Excel error', () => {
    const run = validate('installation', reportSheet('installation', [installation({ owner_name: { kind: 'error', text: '#N/A' } })]));
    expect(run.summary.errors).toEqual([expect.objectContaining({ row: 2, column: 'owner_name', value: '#N/A', code: 'cell_error' })]);
  });

  it('refuses an install id used twice, naming the earlier row', () => {
    // Prepare
    const rows = reportSheet('installation', [installation(), installation({ serial_no: 'SN-0002' })]);
    // Act
    const run = validate('installation', rows);
    // Assess
    expect(errorsOf(run)).toEqual([{ row: 3, column: 'install_id', code: 'duplicate_id' }]);
    expect(run.summary.errors[0]?.message).toContain('row 2');
    expect(run.entities.map((e) => e.row)).toEqual([2]);
  });

  it('refuses a serial number installed twice in one report', () => {
    const rows = reportSheet('installation', [installation(), installation({ install_id: 'I-002' })]);
    expect(errorsOf(validate('installation', rows))).toEqual([{ row: 3, column: 'serial_no', code: 'duplicate_id' }]);
  });

  it('reports every wrong cell of a row, one issue per cell', () => {
    // Prepare: the install date is both unreadable and, so, cannot also be out of period.
    const rows = reportSheet('installation', [installation({ install_date: 'soon', product_model: 'XX-9', phone: null })]);
    // Act
    const run = validate('installation', rows);
    // Assess
    expect(errorsOf(run)).toEqual([
      { row: 2, column: 'install_date', code: 'invalid_date' },
      { row: 2, column: 'phone', code: 'required' },
      { row: 2, column: 'product_model', code: 'unknown_product' },
    ]);
  });

  it('accepts any install date of the month with any earlier purchase date', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 31 }), anyDate(2000, 2026), (day, purchase) => {
        const installDate = `2026-10-${String(day).padStart(2, '0')}`;
        fc.pre(purchase <= installDate);
        const run = validate('installation', reportSheet('installation', [installation({ install_date: installDate, purchase_date: purchase })]));
        expect(run.summary.errors).toEqual([]);
      }),
    );
  });
});

describe('the rows around the table', () => {
  it('skips a title, notes and blank rows above the header, and blank rows among and after the data', () => {
    // Prepare
    const rows = reportSheet('installation', [null, installation(), null, installation({ install_id: 'I-002', serial_no: 'SN-2' }), null, null], {
      above: [['安装情况统计 Installation report'], [], ['说明：安装日期须在报表月份内', 'install_date must be in the month']],
    });
    // Act
    const run = validate('installation', rows);
    // Assess
    expect(run.summary.errors).toEqual([]);
    expect(run.summary.headerRow).toBe(4);
    expect(run.entities.map((e) => e.row)).toEqual([6, 8]);
    expect(run.summary.counts).toEqual({ rows: 2, records: 2, part_lines: 0 });
  });

  it('reports where each field is, for the annotated error workbook', () => {
    const run = validate('installation', reportSheet('installation', [], { columns: ['install_id', 'install_date', 'phone', 'owner_name', 'address', 'product_model', 'serial_no', 'purchase_date', 'commissioning', 'installer'] }));
    expect(run.summary.columns.get('install_id')).toBe(0);
    expect(run.summary.columns.get('installer')).toBe(9);
    expect(run.summary.columns.has('remarks')).toBe(false);
  });

  it('ignores a column the template does not have, with a warning', () => {
    const run = validate('installation', reportSheet('installation', [installation()], { extraColumns: ['销售员'] }));
    expect(run.summary.errors).toEqual([]);
    expect(run.summary.warnings).toEqual([expect.objectContaining({ row: 1, value: '销售员', code: 'unknown_column' })]);
    expect(run.entities).toHaveLength(1);
  });

  it('rejects a file without a required column with one error naming it, and reads no row', () => {
    // Prepare
    const columns = ['install_id', 'install_date', 'owner_name', 'address', 'product_model', 'serial_no', 'purchase_date', 'commissioning', 'installer'];
    // Act
    const run = validate('installation', reportSheet('installation', [installation(), installation({ install_date: 'bad' })], { columns }));
    // Assess
    expect(errorsOf(run)).toEqual([{ row: 1, column: 'phone', code: 'missing_column' }]);
    expect(run.entities).toEqual([]);
    expect(run.summary.counts.rows).toBe(2);
  });

  it('rejects a file without a header row in its first 30 rows, once', () => {
    // Prepare
    const rows = Array.from({ length: 40 }, (_, i) => ({ row: i + 1, cells: [`note ${i}`] }));
    // Act
    const run = validate('installation', rows);
    // Assess
    expect(errorsOf(run)).toEqual([{ row: null, column: null, code: 'header_not_found' }]);
    expect(run.summary.headerRow).toBeNull();
  });

  it('rejects an empty file as having no header row', () => {
    expect(errorsOf(validate('installation', []))).toEqual([{ row: null, column: null, code: 'header_not_found' }]);
  });

  it('accepts a header row alone: a dealer may have nothing to report', () => {
    const run = validate('installation', reportSheet('installation', []));
    expect(run.summary.errors).toEqual([]);
    expect(run.summary.counts).toEqual({ rows: 0, records: 0, part_lines: 0 });
  });
});

describe('many errors', () => {
  it('are listed up to the limit, then closed by one too_many_errors', () => {
    // Prepare
    const rows = reportSheet('installation', Array.from({ length: 10 }, (_, i) => installation({ install_id: `I-${i}`, serial_no: `S-${i}`, install_date: 'bad' })));
    // Act
    const run = validate('installation', rows, { maxIssues: 3 });
    // Assess
    expect(run.summary.errors.map((e) => e.code)).toEqual(['invalid_date', 'invalid_date', 'invalid_date', 'too_many_errors']);
    expect(run.summary.counts.rows).toBe(10);
  });
});

describe('the validator', () => {
  it('counts the errors so far, so that the caller can stop writing a rejected report', () => {
    // Prepare
    const validator = createReportValidator({ type: 'installation', period: '2026-10', today: '2026-11-02', master: MASTER });
    const [header, good, bad] = reportSheet('installation', [installation(), installation({ install_id: 'I-2', serial_no: 'S-2', install_date: 'bad' })]);
    // Act & Assess
    validator.push(header!);
    expect(validator.push(good!)).toHaveLength(1);
    expect(validator.errorCount).toBe(0);
    expect(validator.push(bad!)).toEqual([]);
    expect(validator.errorCount).toBe(1);
  });

  it('refuses a malformed context at once', () => {
    expect(() => createReportValidator({ type: 'installation', period: '2026-13', today: '2026-11-02', master: MASTER })).toThrow(RangeError);
    expect(() => createReportValidator({ type: 'installation', period: '2026-10', today: '2026/11/02', master: MASTER })).toThrow(RangeError);
  });
});
