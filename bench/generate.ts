import { createWriteStream } from 'node:fs';
import ExcelJS from 'exceljs';
import { REPAIR_FIELDS } from '../shared/domain/fields.js';

/**
 * Writes a repair report of `rows` rows for dealer D001, October 2026, the way Excel saves
 * one (shared strings), with a unique owner name, phone and address on every row so that the
 * shared-strings table grows with the file as it does in real reports. Parts and products
 * are the demo master data's. With `mistakeEvery` n > 0, every n-th row's completed date is
 * not a date, so that the report is rejected with an annotated workbook.
 */
export async function generateRepairReport(rows: number, file: string, options: { mistakeEvery?: number } = {}): Promise<void> {
  const mistakeEvery = options.mistakeEvery ?? 0;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: createWriteStream(file), useSharedStrings: true, useStyles: true });
  const sheet = workbook.addWorksheet('维修情况汇总');
  sheet.addRow(['维修情况汇总 Repair report 2026-10']).commit();
  sheet.addRow(REPAIR_FIELDS.map((f) => f.zh)).commit();
  const models = ['WC-800', 'BT-1500', 'FC-200'];
  const parts = ['P-VALVE-01', 'P-SEAL-03', 'P-BOARD-02', 'P-CART-05'];
  for (let i = 0; i < rows; i++) {
    const repair = Math.floor(i / 2); // two part rows per repair: the multi-row case every time
    const day = 1 + (repair % 28);
    const dd = String(day).padStart(2, '0');
    sheet
      .addRow([
        `RP-${String(repair).padStart(7, '0')}`,
        `2026-10-${dd} 09:${String(repair % 60).padStart(2, '0')}`,
        `2026-10-${dd} 15:30`,
        mistakeEvery > 0 && i % mistakeEvery === mistakeEvery - 1 ? 'not a date' : new Date(Date.UTC(2026, 9, day)),
        `业主${repair}`,
        String(13_000_000_000 + repair),
        `上海市浦东新区张江路 ${repair} 号`,
        models[repair % models.length],
        `SN-${repair}`,
        '2026-01-15',
        '水箱不进水',
        '进水阀老化',
        '更换进水阀',
        parts[i % parts.length],
        1 + (i % 3),
        repair % 7 === 0 ? '使用不当' : '无',
        '维修',
        '是',
        '满意',
      ])
      .commit();
  }
  sheet.commit();
  await workbook.commit();
}
