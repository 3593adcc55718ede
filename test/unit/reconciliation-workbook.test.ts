import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { writeReconciliationWorkbook, type ReconciliationWorkbookInput } from '../../shared/sheets/reconciliation-workbook.js';
import { SEAL, VALVE } from '../helpers/ledger.js';
import { reconciledDealers } from '../helpers/money-fixtures.js';
import { conditionalFormats, rowValues, sheetNamed } from '../helpers/printed-sheets.js';
import { loadWorkbook } from '../helpers/workbooks.js';

const input = (more: Partial<ReconciliationWorkbookInput> = {}): ReconciliationWorkbookInput => ({
  period: '2026-10',
  as_of: '2026-11-05',
  dealers: reconciledDealers(),
  partNames: new Map([[VALVE, '进水阀'], [SEAL, '密封圈']]),
  ...more,
});

const AMBER = { type: 'pattern', pattern: 'solid', bgColor: { argb: 'FFFFEB9C' } };
const RED = { type: 'pattern', pattern: 'solid', bgColor: { argb: 'FFFFC7CE' } };

describe('the reconciliation workbook', () => {
  it('has a summary, a lots sheet and, when a dealer has errors, an errors sheet', async () => {
    // Act
    const workbook = await loadWorkbook(await writeReconciliationWorkbook(input()));
    // Assess
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['盘点汇总 Summary', '借料批次 Lots', '错误 Errors']);
  });

  it('lists, for the after-sales department, the warranty loans whose repair the dealer reported as chargeable', async () => {
    // Prepare
    const dealers = reconciledDealers();
    const flagged = [
      { shipment_id: 'S9', line: 2, dealer_code: 'D001', part_code: VALVE, qty: 1, repair_id: 'RP-0007', reason: 'out_of_warranty' as const },
      { shipment_id: 'S9', line: 3, dealer_code: 'D001', part_code: SEAL, qty: 2, repair_id: 'RP-0008', reason: 'charge_cause' as const },
    ];
    // Act
    const workbook = await loadWorkbook(await writeReconciliationWorkbook(input({ dealers: dealers.map((d) => (d.code === 'D001' ? { ...d, flagged } : d)) })));
    // Assess
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['盘点汇总 Summary', '借料批次 Lots', '待核查借料 Flagged', '错误 Errors']);
    const sheet = sheetNamed(workbook, '待核查借料 Flagged');
    expect(sheet.getCell('A1').value).toBe('保修借料待核查（维修报表显示应收费）');
    expect(rowValues(sheet, 4)).toEqual(['D001', '华东卫浴 East China Sanitary', 'S9', 2, VALVE, '进水阀', 1, 'RP-0007', '维修已过保修期 repair out of warranty']);
    expect(rowValues(sheet, 5)).toEqual(['D001', '华东卫浴 East China Sanitary', 'S9', 3, SEAL, '密封圈', 2, 'RP-0008', '损坏原因属收费范围 damage cause is chargeable']);
  });

  it('sums up each dealer and part in dealer order, with the totals row cached', async () => {
    // Act
    const sheet = sheetNamed(await loadWorkbook(await writeReconciliationWorkbook(input())), '盘点汇总 Summary');
    // Assess
    expect(sheet.getCell('A1').value).toBe('用户借料盘点表');
    expect(sheet.getCell('A2').value).toBe('Borrowed parts reconciliation · 期间 Period 2026-10 · 截至 As of 2026-11-05');
    expect(rowValues(sheet, 3)).toEqual([
      '经销商编码\nDealer code', '经销商名称\nDealer name', '配件编码\nPart code', '配件名称\nPart name', '借出\nBorrowed', '退回\nReturned',
      '冲抵借料\nReturned to lots', '已收费\nCharged', '未到期\nOutstanding', '逾期未收费\nOverdue', '盘盈\nSurplus', '已豁免\nWaived',
    ]);
    expect(rowValues(sheet, 4)).toEqual(['D001', '华东卫浴 East China Sanitary', SEAL, '密封圈', 0, 1, 0, 0, 0, 0, 1, 0]);
    expect(rowValues(sheet, 5)).toEqual(['D001', '华东卫浴 East China Sanitary', VALVE, '进水阀', 6, 1, 1, 3, 2, 0, 0, 0]);
    expect(rowValues(sheet, 6)).toEqual(['D002', '=1+1', VALVE, '进水阀', 2, 0, 0, 0, 0, 2, 0, 0]);
    expect(sheet.getCell('A7').value).toBe('合计 Total');
    expect(sheet.getCell('E7').value).toEqual({ formula: 'SUBTOTAL(109,E4:E6)', result: 8 });
    expect(['F7', 'G7', 'H7', 'I7', 'J7', 'K7'].map((a) => (sheet.getCell(a).value as ExcelJS.CellFormulaValue).result)).toEqual([2, 1, 3, 2, 2, 1]);
    expect(sheet.getCell('E5').numFmt).toBe('#,##0');
  });

  it('highlights charged and overdue units, freezes the header and filters the table', async () => {
    // Act
    const sheet = sheetNamed(await loadWorkbook(await writeReconciliationWorkbook(input())), '盘点汇总 Summary');
    // Assess
    expect(conditionalFormats(sheet)).toEqual([
      { ref: 'H4:H6', rules: [expect.objectContaining({ type: 'cellIs', operator: 'greaterThan', formulae: ['0'], style: expect.objectContaining({ fill: AMBER }) })] },
      { ref: 'J4:J6', rules: [expect.objectContaining({ type: 'cellIs', operator: 'greaterThan', formulae: ['0'], style: expect.objectContaining({ fill: RED }) })] },
    ]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(sheet.autoFilter).toBe('A3:L6');
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToWidth: 1, printTitlesRow: '3:3' });
  });

  it('lists every lot with its dates as dates and its status in words', async () => {
    // Act
    const sheet = sheetNamed(await loadWorkbook(await writeReconciliationWorkbook(input())), '借料批次 Lots');
    // Assess
    const date = (iso: string) => new Date(`${iso}T00:00:00Z`);
    expect(rowValues(sheet, 4)).toEqual(['D001', '华东卫浴 East China Sanitary', VALVE, '进水阀', 'S1', 1, date('2026-07-10'), date('2026-09-08'), 4, 1, 3, 0, 0, '已收费 charged']);
    expect(rowValues(sheet, 5)).toEqual(['D001', '华东卫浴 East China Sanitary', VALVE, '进水阀', 'S2', 1, date('2026-10-01'), date('2026-11-30'), 2, 0, 0, 0, 2, '未到期 open']);
    expect(rowValues(sheet, 6)).toEqual(['D002', '=1+1', VALVE, '进水阀', 'S9', 1, date('2026-07-01'), date('2026-08-30'), 2, 0, 0, 0, 2, '逾期 overdue']);
    expect(sheet.getCell('G4').numFmt).toBe('yyyy-mm-dd');
  });

  it('lists the charged shipments no form names, for finance to form or explain', async () => {
    // Prepare
    const unformed = [{ dealer_code: 'D002', part_code: SEAL, shipment_id: 'S7', line: 2, shipped_date: '2026-10-07', qty: 3 }];
    // Act
    const workbook = await loadWorkbook(await writeReconciliationWorkbook(input({ dealers: reconciledDealers().map((d) => (d.code === 'D002' ? { ...d, unformed } : d)) })));
    // Assess
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['盘点汇总 Summary', '借料批次 Lots', '未开单收费发料 Unformed', '错误 Errors']);
    const sheet = sheetNamed(workbook, '未开单收费发料 Unformed');
    expect(sheet.getCell('A1').value).toContain('收费发料未见收费单');
    expect(rowValues(sheet, 4)).toEqual(['D002', '=1+1', 'S7', 2, new Date('2026-10-07T00:00:00Z'), SEAL, '密封圈', 3]);
  });

  it('explains each error in Chinese and English', async () => {
    // Act
    const sheet = sheetNamed(await loadWorkbook(await writeReconciliationWorkbook(input())), '错误 Errors');
    // Assess
    expect(rowValues(sheet, 4)).toEqual([
      'D002', '=1+1', 'missing_price', VALVE, '', 2,
      '2026-11-05 无成本价，2 件逾期未收费 / No cost price on 2026-11-05: 2 overdue units not charged',
    ]);
  });

  it('writes a dealer name that looks like a formula as text, and leaves out the errors sheet when there are none', async () => {
    // Prepare
    const [, clean] = reconciledDealers();
    if (clean === undefined) throw new Error('no dealer');
    // Act
    const workbook = await loadWorkbook(await writeReconciliationWorkbook(input({ dealers: [{ ...clean, name: '=HYPERLINK("http://x")' }] })));
    // Assess
    const cell = sheetNamed(workbook, '盘点汇总 Summary').getCell('B4');
    expect(cell.value).toBe('=HYPERLINK("http://x")');
    expect(cell.formula).toBeUndefined();
    expect(workbook.getWorksheet('错误 Errors')).toBeUndefined();
  });
});
