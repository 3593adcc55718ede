import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseYuan, type Fen } from '../../shared/domain/money.js';
import { writeInvoiceWorkbook } from '../../shared/sheets/invoice-workbook.js';
import { SEAL, VALVE } from '../helpers/ledger.js';
import { invoice, possessionLine } from '../helpers/money-fixtures.js';
import { loadWorkbook, partText } from '../helpers/workbooks.js';

/** 4 × ¥35.50 + 2 × ¥546.28 = ¥142.00 + ¥1,092.56 = ¥1,234.56, checked by hand. */
const twoLines = () =>
  invoice({
    lines: [
      possessionLine(),
      possessionLine({ part_code: SEAL, part_name: '密封圈 Seal', qty: 2, unit_price: parseYuan('546.28') }),
    ],
  });

const sheetOf = async (bytes: Uint8Array): Promise<ExcelJS.Worksheet> => {
  const sheet = (await loadWorkbook(bytes)).worksheets[0];
  if (sheet === undefined) throw new Error('no sheet');
  return sheet;
};

describe('the fee invoice workbook', () => {
  it('has the merged bilingual title and the header block', async () => {
    // Act
    const sheet = await sheetOf(await writeInvoiceWorkbook(twoLines()));
    // Assess
    expect(sheet.name).toBe('FY-2026-10-0001');
    expect(sheet.getCell('A1').value).toBe('售后服务材料收费暨报销单');
    expect(sheet.getCell('I1').isMerged).toBe(true);
    expect(sheet.getCell('A2').value).toBe('After-sales Service Materials Charge and Reimbursement Form');
    expect(sheet.getCell('C4').value).toBe('FY-2026-10-0001');
    expect(sheet.getCell('H4').value).toBe('草稿 Draft');
    expect(sheet.getCell('C5').value).toBe('D001');
    expect(sheet.getCell('H5').value).toBe('华东卫浴 East China Sanitary');
    expect(sheet.getCell('C6').value).toBe('2026-10');
    expect(sheet.getCell('H6').value).toEqual(new Date('2026-11-05T00:00:00Z'));
    expect(sheet.getCell('H6').numFmt).toBe('yyyy-mm-dd');
    expect(sheet.getCell('C7').value).toBe('未付款 Owed\n已付 paid 0.00 · 冲销 credited 0.00 · 退款 refunded 0.00 · 尚欠 owed 1234.56\n付款方式 Payment method: 银行转账 bank transfer');
    expect(sheet.getCell('H7').value).toBe('即开发票 Tax invoice now');
  });

  it('shows the three dimensions as they are now: life with who and when in Beijing time, settlement from the journal, the tax invoice', async () => {
    // Act
    const sheet = await sheetOf(await writeInvoiceWorkbook(
      {
        ...invoice({ tax_invoice_now: false }), status: 'issued', tax: 'invoiced', tax_invoice: { number: 'TAX-9', date: '2026-12-07' },
        history: [
          { status: 'draft', by: 'reconciliation', at: '2026-12-05T16:00:00.000Z', reason: null },
          { status: 'issued', by: 'u-17', by_name: '张敏', at: '2026-12-06T23:17:57.359Z', reason: null },
          { status: 'issued', tax: 'invoiced', by: 'u-17', by_name: '张敏', at: '2026-12-07T01:00:00.000Z', reason: null },
        ],
      },
      { money: { invoice_no: 'FY-2026-10-0001', kind: 'possession', period: '2026-10', total: 123456 as Fen, paid: 23456 as Fen, credited: 0 as Fen, refunded: 0 as Fen, owed: 100000 as Fen, settlement: 'part_paid', void: false } },
    ));
    // Assess
    expect(sheet.getCell('H4').value).toBe('已开具 Issued\n张敏 2026-12-07 07:17');
    expect(String(sheet.getCell('C7').value)).toMatch(/^部分付款 Part paid\n已付 paid 234.56 .* 尚欠 owed 1000.00/);
    expect(sheet.getCell('H7').value).toBe('已开发票 Tax-invoiced\n发票号 No. TAX-9 · 2026-12-07\n张敏 2026-12-07 09:00');
  });

  it('lists every line in a bordered table with its reason, reference and money formats', async () => {
    // Act
    const sheet = await sheetOf(await writeInvoiceWorkbook(twoLines(), { partUnits: new Map([[VALVE, '个']]) }));
    // Assess
    expect(sheet.getRow(9).values).toEqual([
      undefined, '序号\nNo.', '配件编码\nPart code', '配件名称\nPart name', '单位\nUnit', '数量\nQty',
      '单价（元）\nUnit price', '金额（元）\nAmount', '收费原因\nReason', '参考\nReference',
    ]);
    expect(sheet.getRow(10).values).toEqual([
      undefined, 1, VALVE, '进水阀 Inlet valve', '个', 4, 35.5, 142,
      '事实占有：批次 S1#1，2026-07-10 发货，2026-09-08 到期未退回\nde facto possession: lot S1#1 shipped 2026-07-10, due 2026-09-08', 'S1#1',
    ]);
    expect(sheet.getRow(11).values).toEqual([
      undefined, 2, SEAL, '密封圈 Seal', '', 2, 546.28, 1092.56,
      '事实占有：批次 S1#1，2026-07-10 发货，2026-09-08 到期未退回\nde facto possession: lot S1#1 shipped 2026-07-10, due 2026-09-08', 'S1#1',
    ]);
    expect(sheet.getCell('F10').numFmt).toBe('#,##0.00');
    expect(sheet.getCell('G11').numFmt).toBe('#,##0.00');
    expect(sheet.getCell('H10').alignment?.wrapText).toBe(true);
    expect(sheet.getCell('I11').border?.right?.style).toBe('thin');
  });

  it('names another charge by its note, with no lot reference', async () => {
    // Prepare
    const other = invoice({ lines: [{ ...possessionLine(), reason: 'other', lot: null, note: '运费 freight' }] });
    // Act
    const sheet = await sheetOf(await writeInvoiceWorkbook(other));
    // Assess
    expect(sheet.getCell('H10').value).toBe('其他收费 other charge: 运费 freight');
    expect(sheet.getCell('I10').value).toBe('');
  });

  it('totals the quantity and the amount in figures and in Chinese capitals', async () => {
    // Act
    const sheet = await sheetOf(await writeInvoiceWorkbook(twoLines()));
    // Assess
    expect(sheet.getCell('A12').value).toBe('合计 Total');
    expect(sheet.getCell('E12').value).toBe(6);
    expect(sheet.getCell('G12').value).toBe(1234.56);
    expect(sheet.getCell('G12').numFmt).toBe('#,##0.00');
    expect(sheet.getCell('A13').value).toBe('人民币（大写）\nRMB in words');
    expect(sheet.getCell('C13').value).toBe('壹仟贰佰叁拾肆元伍角陆分');
    expect(sheet.getCell('I13').isMerged).toBe(true);
  });

  it('has signature lines for the clerk, the reviewer and finance', async () => {
    // Act
    const sheet = await sheetOf(await writeInvoiceWorkbook(twoLines()));
    // Assess
    expect([sheet.getCell('A16').value, sheet.getCell('D16').value, sheet.getCell('H16').value]).toEqual([
      '经办人 Prepared by：', '审核 Reviewed by：', '财务 Finance：',
    ]);
  });

  it('prints on A4 portrait, one page wide, the table header on every page and page numbers in the footer', async () => {
    // Act
    const sheet = await sheetOf(await writeInvoiceWorkbook(twoLines()));
    // Assess
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0, horizontalCentered: true });
    expect(sheet.pageSetup.printTitlesRow).toBe('9:9');
    expect(sheet.pageSetup.margins).toMatchObject({ left: 0.5, right: 0.5 });
    expect(sheet.headerFooter.oddFooter).toBe('&LFY-2026-10-0001&C第 &P 页 / 共 &N 页  Page &P of &N');
  });

  it('writes text that looks like a formula as text', async () => {
    // Prepare
    const hostile = invoice({
      dealer: { code: '@D1', name: '=1+1', payment_method: '-2+3' },
      lines: [{ ...possessionLine({ part_code: '+P1', part_name: '=HYPERLINK("http://x","y")' }), reason: 'other', lot: null, note: '=cmd|"/c calc"!A1' }],
    });
    // Act
    const bytes = await writeInvoiceWorkbook(hostile);
    const sheet = await sheetOf(bytes);
    // Assess
    for (const [address, text] of [['H5', '=1+1'], ['C5', '@D1'], ['B10', '+P1'], ['C10', '=HYPERLINK("http://x","y")']] as const) {
      expect(sheet.getCell(address).value).toBe(text);
      expect(sheet.getCell(address).type).toBe(ExcelJS.ValueType.String);
    }
    expect(sheet.getCell('H10').value).toBe('其他收费 other charge: =cmd|"/c calc"!A1');
    expect(await partText(bytes, 'xl/worksheets/sheet1.xml')).not.toContain('<f>');
  });
});
