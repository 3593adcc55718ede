import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import {
  DEALER_FIELDS,
  PART_FIELDS,
  PRODUCT_FIELDS,
  UPLOAD_FIELDS,
  UPLOAD_TITLES,
  type FieldSpec,
  type UploadType,
} from '../domain/fields.js';

/**
 * Blank upload templates a dealer can fill in without reading a manual: a bilingual title,
 * a notes row explaining every column (required ones starred), the header row the validator
 * matches, frozen below the header, with Excel's own data validation for dates, whole
 * numbers and choices, and id/phone/serial columns formatted as text so Excel keeps their
 * digits. Notes sit above the header, where the validator expects titles and notes.
 */
export type TemplateType = UploadType | 'master';

export const TEMPLATE_FILES: Readonly<Record<TemplateType, string>> = {
  installation: 'installation-template.xlsx',
  repair: 'repair-template.xlsx',
  shipments: 'shipments-template.xlsx',
  returns: 'returns-template.xlsx',
  master: 'master-data-template.xlsx',
};

/** Rows of the template that carry formats and validation for the dealer's entries. */
const PREPARED_ROWS = 1_000;
const HEADER_ROW = 3;

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
const REQUIRED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFCE4D6' } };
const THIN: ExcelJS.Border = { style: 'thin', color: { argb: 'FF8EA9C1' } };

function validationFor(field: FieldSpec): ExcelJS.DataValidation | undefined {
  const prompt = { showInputMessage: true, promptTitle: field.zh, prompt: `${field.note_zh}\n${field.note}`.slice(0, 255) };
  const error = { showErrorMessage: true, errorStyle: 'warning' as const, errorTitle: field.zh };
  switch (field.kind) {
    case 'date':
    case 'datetime':
      return {
        type: 'date',
        operator: 'between',
        allowBlank: !field.required,
        formulae: [new Date(Date.UTC(1990, 0, 1)), new Date(Date.UTC(2100, 11, 31))],
        ...prompt,
        ...error,
        error: '请填写日期，如 2026-10-03 / Enter a date such as 2026-10-03',
      };
    case 'integer':
      return {
        type: 'whole',
        operator: 'greaterThan',
        allowBlank: !field.required,
        formulae: [0],
        ...prompt,
        ...error,
        error: '请填写正整数 / Enter a whole number greater than 0',
      };
    case 'enum': {
      const choices = (field.options ?? []).map((o) => o.names[0] ?? o.code);
      return {
        type: 'list',
        allowBlank: !field.required,
        formulae: [`"${choices.join(',')}"`],
        ...prompt,
        ...error,
        error: `请从列表中选择：${choices.join(' / ')}`,
      };
    }
    default:
      // Free text: no rule, but the same input prompt explaining the column.
      return { type: 'textLength', operator: 'lessThanOrEqual', allowBlank: true, formulae: [500], ...prompt, ...error, error: '内容过长 / Too long' };
  }
}

const NUMBER_FORMATS: Partial<Record<FieldSpec['kind'], string>> = {
  id: '@',
  text: '@',
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm',
  decimal: '0.00',
  integer: '0',
};

function addTableSheet(workbook: ExcelJS.Workbook, name: string, title: string, fields: readonly FieldSpec[]): void {
  const sheet = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: HEADER_ROW, xSplit: 0, topLeftCell: `A${HEADER_ROW + 1}` }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.columns = fields.map((f) => ({ key: f.name, width: Math.max(f.width ?? 12, 10) }));

  sheet.mergeCells(1, 1, 1, fields.length);
  const titleCell = sheet.getCell(1, 1);
  titleCell.value = title;
  titleCell.font = { bold: true, size: 14 };
  titleCell.alignment = { vertical: 'middle' };
  sheet.getRow(1).height = 24;

  const notes = sheet.getRow(2);
  const header = sheet.getRow(HEADER_ROW);
  fields.forEach((field, i) => {
    const note = notes.getCell(i + 1);
    note.value = `${field.required ? '* 必填 required\n' : '选填 optional\n'}${field.note_zh}\n${field.note}`;
    note.font = { size: 9, color: { argb: 'FF595959' } };
    note.alignment = { wrapText: true, vertical: 'top' };
    const cell = header.getCell(i + 1);
    cell.value = `${field.zh}\n${field.name}`;
    cell.font = { bold: true };
    cell.fill = field.required ? REQUIRED_FILL : HEADER_FILL;
    cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
    cell.border = { top: THIN, bottom: THIN, left: THIN, right: THIN };

    const format = NUMBER_FORMATS[field.kind];
    const validation = validationFor(field);
    for (let r = HEADER_ROW + 1; r <= HEADER_ROW + PREPARED_ROWS; r++) {
      const data = sheet.getCell(r, i + 1);
      if (format !== undefined) data.numFmt = format;
      if (validation !== undefined) data.dataValidation = validation;
    }
  });
  notes.height = 64;
  header.height = 32;
}

/** One blank template workbook. */
export async function writeTemplate(type: TemplateType): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'After-sales back office';
  if (type === 'master') {
    addTableSheet(workbook, UPLOAD_TITLES.dealers.zh, '经销商名录 Dealers', DEALER_FIELDS);
    addTableSheet(workbook, UPLOAD_TITLES.products.zh, '产品目录 Products', PRODUCT_FIELDS);
    addTableSheet(workbook, UPLOAD_TITLES.parts.zh, '配件价目表 Parts price list', PART_FIELDS);
  } else {
    const title = UPLOAD_TITLES[type];
    addTableSheet(workbook, title.zh, `${title.zh} ${title.en}`, UPLOAD_FIELDS[type]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Writes every template into `dir`; returns the file paths. */
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
