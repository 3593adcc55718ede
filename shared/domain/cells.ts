/**
 * A spreadsheet cell as the domain sees it, independent of the library that read it.
 *
 * The sheet reader normalises whatever the workbook holds into one of these, so that the
 * validators never depend on exceljs: rich text is joined, a formula becomes its cached
 * result, and a date becomes the wall-clock fields Excel showed (no time zone attached).
 */
export type CellValue =
  | null
  | string
  | number
  | boolean
  | ExcelDateTime
  | CellError;

/** Wall-clock date and time exactly as Excel displays it; no zone, no offset. */
export interface ExcelDateTime {
  readonly kind: 'datetime';
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** An Excel error value such as #N/A or #REF!, kept so that it can be rejected by name. */
export interface CellError {
  readonly kind: 'error';
  readonly text: string;
}

/** One worksheet row: the row number Excel shows (1-based) and its cells by column (index 0 = column A). */
export interface SheetRow {
  readonly row: number;
  readonly cells: readonly CellValue[];
}

export const isDateTime = (v: CellValue): v is ExcelDateTime =>
  typeof v === 'object' && v !== null && v.kind === 'datetime';

export const isCellError = (v: CellValue): v is CellError =>
  typeof v === 'object' && v !== null && v.kind === 'error';

/** A cell that holds nothing a person would call a value: empty, or only whitespace. */
export const isBlank = (v: CellValue | undefined): boolean =>
  v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/** Excel's column letters for a 1-based column number (1 → A, 26 → Z, 27 → AA). */
export function columnLetter(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}
