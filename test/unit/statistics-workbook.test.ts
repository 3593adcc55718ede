import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { writeStatisticsWorkbook, type StatisticsNames } from '../../shared/sheets/statistics-workbook.js';
import { SEAL, VALVE } from '../helpers/ledger.js';
import { octoberStatistics } from '../helpers/month-fixtures.js';
import { conditionalFormats, rowValues, sheetNamed } from '../helpers/printed-sheets.js';
import { loadWorkbook } from '../helpers/workbooks.js';

const NAMES: StatisticsNames = {
  dealers: new Map([['D001', '华东卫浴'], ['D002', '=1+1']]),
  parts: new Map([[VALVE, '进水阀'], [SEAL, '密封圈']]),
  products: new Map([['WC-800', '智能马桶'], ['BT-200', '浴缸']]),
};

const october = async (): Promise<ExcelJS.Workbook> => loadWorkbook(await writeStatisticsWorkbook(octoberStatistics(), NAMES));

describe('the statistics workbook', () => {
  it('opens on the summary, then one sheet per table', async () => {
    // Act
    const workbook = await october();
    // Assess
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      '概要 Summary', '出库 Outbound', '收入 Revenue', '退料 Returns', '安装 Installations', '维修·经销商 Repairs by dealer',
      '维修·产品 Repairs by product', '维修·原因 Repairs by cause', '维修·配件 Repairs by part', '开箱 Unboxing', '开箱案例 Unboxing cases', '响应 Response',
      '未开单收费发料 Unformed',
    ]);
  });

  it('shows the service levels as percentages against their targets, with the exact verdict', async () => {
    // Act
    const sheet = sheetNamed(await october(), '概要 Summary');
    // Assess
    expect(sheet.getCell('A1').value).toBe('售后服务月度统计');
    expect(sheet.getCell('A2').value).toBe('Monthly after-sales statistics · 期间 Period 2026-10');
    expect(rowValues(sheet, 4)).toEqual(['24 小时内到达 Repairs reached within 24 h', 0.5, 0.9, '未达标 not met', '2 / 4']);
    expect(rowValues(sheet, 5)).toEqual(['24 小时内修复 Repairs fixed within 24 h', 1, undefined, '—', '4 / 4']);
    expect(rowValues(sheet, 6)).toEqual(['48 小时内修复 Repairs fixed within 48 h', 1, 1, '达标 met', '4 / 4']);
    expect(rowValues(sheet, 7)).toEqual(['客户满意度（满意+基本满意）Satisfied or fairly satisfied', 0.75, 0.85, '未达标 not met', '3 / 4']);
    expect(rowValues(sheet, 8)).toEqual(['用户确认 Confirmed by the customer', 0.75, undefined, '—', '3 / 4']);
    expect(rowValues(sheet, 9)).toEqual(['服务责任投诉率（< 3%）Service-fault complaint rate', 0, 0.03, '达标 met', '0 / 4']);
    expect(sheet.getCell('B4').numFmt).toBe('0.0%');
  });

  it('colours a met target green and a missed one red', async () => {
    // Act
    const sheet = sheetNamed(await october(), '概要 Summary');
    // Assess
    expect(conditionalFormats(sheet)).toEqual([{
      ref: 'A4:E9',
      rules: [
        expect.objectContaining({ type: 'expression', formulae: ['$D4="达标 met"'], style: expect.objectContaining({ fill: expect.objectContaining({ bgColor: { argb: 'FFC6EFCE' } }) }) }),
        expect.objectContaining({ type: 'expression', formulae: ['$D4="未达标 not met"'], style: expect.objectContaining({ fill: expect.objectContaining({ bgColor: { argb: 'FFFFC7CE' } }) }) }),
      ],
    }]);
  });

  it('counts the unboxing cases per dealer by status, the open ones past their plan’s due date apart', async () => {
    const sheet = sheetNamed(await october(), '开箱案例 Unboxing cases');
    expect(rowValues(sheet, 4)).toEqual(['D001', '华东卫浴', 1, 0, 1, 0, 0]);
    expect(rowValues(sheet, 5)).toEqual(['D002', '=1+1', 1, 1, 0, 0, 1]);
  });

  it('totals the month and its revenue by source in the summary', async () => {
    // Act
    const sheet = sheetNamed(await october(), '概要 Summary');
    // Assess
    expect([13, 14, 15, 16, 17, 18, 19, 20, 21].map((row) => sheet.getCell(row, 2).value)).toEqual([12, 4, 3, 3, 5, 3, 2, 1, 1]);
    expect(sheet.getCell('A23').value).toBe('售后服务销售收入 After-sales revenue');
    expect([24, 25, 26, 27, 28].map((row) => rowValues(sheet, row))).toEqual([
      ['事实占有 de facto possession', 142],
      ['收费发料 parts sold', 71],
      ['补充收费 supplement', 20],
      ['红字冲销 credit note', -35.5],
      ['合计 Total', 197.5],
    ]);
    expect(sheet.getCell('B28').numFmt).toBe('#,##0.00');
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'portrait', fitToWidth: 1 });
  });

  it('lists revenue per dealer, part and source with a cached total and data bars on the amounts', async () => {
    // Act
    const sheet = sheetNamed(await october(), '收入 Revenue');
    // Assess
    expect(rowValues(sheet, 4)).toEqual(['D001', '华东卫浴', VALVE, '进水阀', '红字冲销 credit note', -1, -35.5]);
    expect(rowValues(sheet, 6)).toEqual(['D001', '华东卫浴', VALVE, '进水阀', '收费发料 parts sold', 2, 71]);
    expect(rowValues(sheet, 7)).toEqual(['D002', '=1+1', SEAL, '密封圈', '补充收费 supplement', 1, 20]);
    expect(sheet.getCell('G8').value).toEqual({ formula: 'SUBTOTAL(109,G4:G7)', result: 197.5 });
    expect(sheet.getCell('G4').numFmt).toBe('#,##0.00');
    expect(conditionalFormats(sheet)).toEqual([{ ref: 'G4:G7', rules: [expect.objectContaining({ type: 'dataBar' })] }]);
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', printTitlesRow: '3:3' });
  });

  it('writes a dealer name that looks like a formula as text', async () => {
    // Act
    const cell = sheetNamed(await october(), '安装 Installations').getCell('B5');
    // Assess
    expect(cell.value).toBe('=1+1');
    expect(cell.formula).toBeUndefined();
  });

  it('shows each dealer’s figures over repair calls, truncated to a tenth of a percent, on a red–yellow–green scale, return visits apart', async () => {
    // Act
    const sheet = sheetNamed(await october(), '响应 Response');
    // Assess: 2/3 shows as 66.6 %, never rounded up to 66.7 %
    expect(rowValues(sheet, 4)).toEqual(['D001', '华东卫浴', 3, 2, 0.666, 1, 1, 0.666, 0.666, 0, 0, 0]);
    expect(rowValues(sheet, 5)).toEqual(['D002', '=1+1', 1, 0, 0, 1, 1, 1, 1, 0, 0, 1]);
    const refs = conditionalFormats(sheet).map((cf) => [cf.ref, cf.rules[0]?.type]);
    expect(refs).toEqual([['C4:C5', 'dataBar'], ['E4:E5', 'colorScale'], ['F4:F5', 'colorScale'], ['G4:G5', 'colorScale'], ['H4:H5', 'colorScale'], ['I4:I5', 'colorScale'], ['K4:K5', 'colorScale']]);
  });

  it('counts repairs by fault cause, most frequent first, and unboxing problems by dealer and product', async () => {
    // Act
    const workbook = await october();
    // Assess
    const causes = sheetNamed(workbook, '维修·原因 Repairs by cause');
    expect([4, 5, 6, 7].map((row) => rowValues(causes, row))).toEqual([['进水阀老化', 2], ['使用不当', 1], ['回访', 1], ['运输破损', 1]]);
    const unboxing = sheetNamed(workbook, '开箱 Unboxing');
    expect(rowValues(unboxing, 5)).toEqual(['D001', '华东卫浴', 'WC-800', '智能马桶', 1, 1, 1, 0]);
    expect((unboxing.getCell('E7').value as ExcelJS.CellFormulaValue).result).toBe(2);
  });
});
