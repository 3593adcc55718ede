import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { COMPLAINT_FIELDS, DEALER_FIELDS, PART_FIELDS, PRODUCT_FIELDS, UPLOAD_FIELDS, UPLOAD_TITLES, VERIFICATION_CALL_FIELDS, type FieldSpec, type UploadType } from '../domain/fields.js';
import { MAX_ID_LENGTH, MAX_TEXT_LENGTH } from '../domain/values.js';
import { REQUEST_FIELDS, REQUEST_TITLE } from '../domain/request-fields.js';
import { columnLetter } from './columns.js';

/**
 * Blank upload templates a dealer can fill in without reading a manual. Each sheet has a
 * bilingual title (row 1, merged), a notes row explaining every column with the required
 * ones starred (row 2), and the header row the validator matches, `中文\nfield_name` (row 3),
 * frozen below. Its first 1,000 data rows carry Excel's own formats and data validation:
 * ids, phones and serials as text so Excel keeps their digits, dates and date-times in ISO
 * form, choice lists in Chinese, whole numbers above zero.
 */
export type TemplateType = UploadType | 'master' | 'complaints' | 'verification-calls' | 'request';

/** The file name of each template. */
export const TEMPLATE_FILES: Readonly<Record<TemplateType, string>> = {
  installation: 'installation-template.xlsx',
  repair: 'repair-template.xlsx',
  shipments: 'shipments-template.xlsx',
  returns: 'returns-template.xlsx',
  master: 'master-data-template.xlsx',
  complaints: 'complaints-template.xlsx',
  'verification-calls': 'verification-calls-template.xlsx',
  request: 'material-request-template.xlsx',
};

/** Rows below the header that carry formats and validation for the dealer's entries. */
const PREPARED_ROWS = 1_000;
const TITLE_ROW = 1;
const NOTES_ROW = 2;
const HEADER_ROW = 3;

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
const REQUIRED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFCE4D6' } };
const THIN: ExcelJS.Border = { style: 'thin', color: { argb: 'FF8EA9C1' } };

/** The years the validator takes an Excel date from; the template offers the same. */
const FIRST_DATE = new Date(Date.UTC(1990, 0, 1));
const LAST_DATE = new Date(Date.UTC(2100, 11, 31));

const NUMBER_FORMATS: Readonly<Record<FieldSpec['kind'], string>> = {
  // Text, so that a phone number or a long serial typed in keeps every digit and leading zero.
  id: '@',
  text: '@',
  enum: '@',
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm',
  decimal: '0.00',
  integer: '0',
};

type Rule = Pick<ExcelJS.DataValidation, 'type' | 'operator' | 'formulae'> & { readonly error: string };

function ruleFor(field: FieldSpec): Rule {
  switch (field.kind) {
    case 'date':
    case 'datetime':
      return { type: 'date', operator: 'between', formulae: [FIRST_DATE, LAST_DATE], error: '请填写日期，如 2026-10-03 / Enter a date such as 2026-10-03' };
    case 'integer':
      return { type: 'whole', operator: 'greaterThan', formulae: [0], error: '请填写大于 0 的整数 / Enter a whole number greater than 0' };
    case 'decimal':
      return { type: 'decimal', operator: 'greaterThanOrEqual', formulae: [0], error: '请填写金额，最多两位小数 / Enter an amount, at most two decimals' };
    case 'enum': {
      const choices = (field.options ?? []).map((option) => option.names[0] ?? option.code);
      return { type: 'list', formulae: [`"${choices.join(',')}"`], error: `请从列表中选择：${choices.join('、')} / Choose from the list` };
    }
    case 'id':
      return { type: 'textLength', operator: 'lessThanOrEqual', formulae: [MAX_ID_LENGTH], error: `最多 ${MAX_ID_LENGTH} 个字符 / At most ${MAX_ID_LENGTH} characters` };
    case 'text':
      return { type: 'textLength', operator: 'lessThanOrEqual', formulae: [MAX_TEXT_LENGTH], error: `最多 ${MAX_TEXT_LENGTH} 个字符 / At most ${MAX_TEXT_LENGTH} characters` };
  }
}

/** Excel's data validation for a column: its rule, and the column's note as the input prompt. */
function validationFor(field: FieldSpec): ExcelJS.DataValidation {
  const { error, ...rule } = ruleFor(field);
  return {
    ...rule,
    allowBlank: !field.required,
    showInputMessage: true,
    promptTitle: `${field.zh} ${field.name}`.slice(0, 32),
    // One line: a line break inside an XML attribute reads back as a space. Excel refuses prompts over 255 characters.
    prompt: `${field.note_zh} ${field.note}`.slice(0, 255),
    showErrorMessage: true,
    // A warning, not a stop: the validator accepts more forms than Excel recognises (2026年10月3日 typed as text).
    errorStyle: 'warning',
    errorTitle: field.zh,
    error,
  };
}

const noteText = (field: FieldSpec): string => `${field.required ? '* 必填 required' : '选填 optional'}\n${field.note_zh}\n${field.note}`;

/** Wide enough for the header's longer line and at least the width the field asks for. */
const columnWidth = (field: FieldSpec): number => Math.max(field.width ?? 12, field.name.length + 2, field.zh.length * 2 + 2);

function writeTitle(sheet: ExcelJS.Worksheet, title: string, columns: number): void {
  sheet.mergeCells(TITLE_ROW, 1, TITLE_ROW, columns);
  const cell = sheet.getCell(TITLE_ROW, 1);
  cell.value = title;
  cell.font = { bold: true, size: 14 };
  cell.alignment = { vertical: 'middle' };
  sheet.getRow(TITLE_ROW).height = 24;
}

function writeColumn(sheet: ExcelJS.Worksheet, field: FieldSpec, column: number): void {
  const note = sheet.getCell(NOTES_ROW, column);
  note.value = noteText(field);
  note.font = { size: 9, color: { argb: 'FF595959' } };
  note.alignment = { wrapText: true, vertical: 'top' };

  const header = sheet.getCell(HEADER_ROW, column);
  header.value = `${field.zh}\n${field.name}`;
  header.font = { bold: true };
  header.fill = field.required ? REQUIRED_FILL : HEADER_FILL;
  header.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  header.border = { top: THIN, bottom: THIN, left: THIN, right: THIN };

  const first = HEADER_ROW + 1;
  const last = HEADER_ROW + PREPARED_ROWS;
  for (let row = first; row <= last; row++) sheet.getCell(row, column).numFmt = NUMBER_FORMATS[field.kind];
  // One validation over the column's range: set cell by cell, exceljs writes overlapping ranges that Excel reports as damage.
  validations(sheet).add(`${columnLetter(column)}${first}:${columnLetter(column)}${last}`, validationFor(field));
}

/** The worksheet's validation list, which exceljs has but leaves out of its typings. */
const validations = (sheet: ExcelJS.Worksheet): { add(range: string, validation: ExcelJS.DataValidation): void } =>
  (sheet as unknown as { dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void } }).dataValidations;

function addTableSheet(workbook: ExcelJS.Workbook, name: string, title: string, fields: readonly FieldSpec[]): void {
  const sheet = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: HEADER_ROW, topLeftCell: `A${HEADER_ROW + 1}` }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.columns = fields.map((field) => ({ key: field.name, width: columnWidth(field) }));
  writeTitle(sheet, title, fields.length);
  fields.forEach((field, i) => writeColumn(sheet, field, i + 1));
  sheet.getRow(NOTES_ROW).height = 64;
  sheet.getRow(HEADER_ROW).height = 32;
}

/**
 * One blank template workbook. The master-data template has three sheets named exactly
 * 经销商, 产品 and 配件, the names the importer looks for.
 */
export async function writeTemplate(type: TemplateType): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'After-sales back office';
  if (type === 'master') {
    addTableSheet(workbook, UPLOAD_TITLES.dealers.zh, '经销商名录 Dealers', DEALER_FIELDS);
    addTableSheet(workbook, UPLOAD_TITLES.products.zh, '产品目录 Products', PRODUCT_FIELDS);
    addTableSheet(workbook, UPLOAD_TITLES.parts.zh, '配件价目表 Parts price list', PART_FIELDS);
  } else if (type === 'request') {
    addTableSheet(workbook, REQUEST_TITLE.zh, `${REQUEST_TITLE.zh} ${REQUEST_TITLE.en}`, REQUEST_FIELDS);
  } else {
    const title = UPLOAD_TITLES[type];
    const fields = type === 'complaints' ? COMPLAINT_FIELDS : type === 'verification-calls' ? VERIFICATION_CALL_FIELDS : UPLOAD_FIELDS[type];
    addTableSheet(workbook, title.zh, `${title.zh} ${title.en}`, fields);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Writes every template into `dir` (created if missing), named as in TEMPLATE_FILES; returns their paths. */
export async function writeAllTemplates(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [type, file] of Object.entries(TEMPLATE_FILES) as [TemplateType, string][]) {
    const path = join(dir, file);
    await writeFile(path, await writeTemplate(type));
    written.push(path);
  }
  return written;
}
