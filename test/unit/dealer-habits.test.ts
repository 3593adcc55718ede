import { describe, expect, it } from 'vitest';
import type { CellValue, SheetRow } from '../../shared/domain/cells.js';
import { footerText } from '../../shared/domain/table-validation.js';
import { installation, repair, reportSheet, validate } from '../helpers/rows.js';

/**
 * The habits of real dealer files (domain.md, "More of what dealers do") as the validator
 * meets them, rows already read: totals and signature rows under the data, phones typed as
 * numbers, free text as written. The same habits in saved workbooks: sheet-habits.int.test.ts.
 */

const below = (rows: SheetRow[], ...extra: (readonly CellValue[])[]): SheetRow[] => {
  const last = rows.at(-1)?.row ?? 0;
  return [...rows, ...extra.map((cells, i) => ({ row: last + 2 + i, cells }))];
};

describe('totals and signature rows under the data', () => {
  it('are not counted, not read as records, and listed once as ignored', () => {
    // Prepare: two records, a blank row, then what dealers write under a table
    const rows = below(reportSheet('installation', [installation(), installation({ install_id: 'I-002', serial_no: 'SN-0002' })]), ['合计', null, null, null, null, null, null, null, null, null, null, null], ['制表人：张三', null, null, '审核人：李四'], [null, '经销商负责人签字：']);
    // Act
    const run = validate('installation', rows);
    // Assess
    expect(run.summary.errors).toEqual([]);
    expect(run.summary.counts.rows).toBe(2);
    expect(run.entities).toHaveLength(2);
    const ignored = run.summary.warnings.filter((w) => w.code === 'ignored_rows');
    expect(ignored).toEqual([expect.objectContaining({ row: 5, column: null, value: '合计 / 制表人：张三 / 经销商负责人签字：' })]);
    expect(ignored[0]?.message).toContain('Rows 5 "合计", 6 "制表人：张三", 7 "经销商负责人签字："');
    expect(ignored[0]?.message_zh).toContain('合计或签字行');
  });

  it('in a repair report too, with a total that carries numbers', () => {
    const rows = below(reportSheet('repair', [repair()]), ['总计：1 单', null, null, null, null, null, null, null, null, null, null, null, null, null, null, 1]);
    const run = validate('repair', rows);
    expect(run.summary.errors).toEqual([]);
    expect(run.summary.counts.rows).toBe(1);
    expect(run.summary.warnings.map((w) => w.code)).toContain('ignored_rows');
  });

  it.each([['合计'], ['合 计'], ['小计'], ['总计'], ['Total'], ['制表：王芳'], ['审核'], ['签字：'], ['复核人']])('%j marks a footer', (text) => {
    expect(footerText({ row: 9, cells: [text, 3] })).toBe(text);
  });

  it.each([['I-001'], ['审核后更换主板，客户已确认签字，费用由厂家承担，配件于次日寄出，另附说明一份待回访后归档处理完毕']])('%j does not', (text) => {
    expect(footerText({ row: 9, cells: [text] })).toBeUndefined();
  });

  it('a report without such rows has no ignored-rows warning', () => {
    const run = validate('installation', reportSheet('installation', [installation()]));
    expect(run.summary.warnings.map((w) => w.code)).not.toContain('ignored_rows');
  });
});

describe('a phone typed as a number', () => {
  it('that lost its leading 0 (10–11 digits, not starting with 1) is kept as shown, with a warning naming the cell', () => {
    // Prepare: the landline 0571-86723418 typed as a number
    const rows = reportSheet('installation', [installation({ phone: 57186723418 }), installation({ install_id: 'I-002', serial_no: 'SN-0002', phone: 2087654321 })]);
    // Act
    const run = validate('installation', rows);
    // Assess
    expect(run.summary.errors).toEqual([]);
    expect(run.entities).toHaveLength(2);
    expect(run.summary.warnings).toEqual([
      expect.objectContaining({ row: 2, column: 'phone', value: '57186723418', code: 'phone_lost_zero' }),
      expect.objectContaining({ row: 3, column: 'phone', value: '2087654321', code: 'phone_lost_zero' }),
    ]);
    expect(run.summary.warnings[0]?.message).toContain('cell D2');
  });

  it.each([[13800138000], [4008123], [123456789012]])('%d (a mobile, a short number, too many digits) raises no warning', (phone) => {
    const run = validate('installation', reportSheet('installation', [installation({ phone })]));
    expect(run.summary.warnings.filter((w) => w.code === 'phone_lost_zero')).toEqual([]);
  });

  it('typed as text keeps its 0 and raises no warning', () => {
    const run = validate('installation', reportSheet('installation', [installation({ phone: '057186723418' })]));
    expect(run.summary.warnings).toEqual([]);
    expect(run.entities[0]).toMatchObject({ record: { phone: '057186723418' } });
  });
});

describe('text as written', () => {
  it('keeps full-width punctuation in free text while identifiers are folded', () => {
    const rows = reportSheet('repair', [repair({ action_taken: '配件已补发，待二次调试', owner_name: '王伟（业主）', serial_no: 'ＳＮ－０００１' })]);
    const run = validate('repair', rows);
    expect(run.summary.errors).toEqual([]);
    expect(run.entities[0]).toMatchObject({ record: { action_taken: '配件已补发，待二次调试', owner_name: '王伟（业主）', serial_no: 'SN-0001' } });
  });
});
