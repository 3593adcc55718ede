/** Reading back the workbooks the back office writes for people: sheets by name, row values, conditional formatting. */
import type ExcelJS from 'exceljs';

/** The sheet of that name; throws when there is none, so a test fails on the missing sheet itself. */
export function sheetNamed(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const sheet = workbook.getWorksheet(name);
  if (sheet === undefined) throw new Error(`no sheet ${name}`);
  return sheet;
}

/** Values of a row from column A on, without the hole exceljs leaves at index 0. */
export const rowValues = (sheet: ExcelJS.Worksheet, row: number): unknown[] => (sheet.getRow(row).values as unknown[]).slice(1);

/** The conditional formatting exceljs read back, which it keeps on the sheet but leaves out of its typings. */
export const conditionalFormats = (sheet: ExcelJS.Worksheet): ExcelJS.ConditionalFormattingOptions[] =>
  (sheet as unknown as { conditionalFormattings: ExcelJS.ConditionalFormattingOptions[] }).conditionalFormattings;
