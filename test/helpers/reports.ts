import ExcelJS from 'exceljs';
import { INSTALLATION_FIELDS, REPAIR_FIELDS, type FieldSpec, type ReportType } from '../../shared/domain/fields.js';

/**
 * Input factories for report workbooks: valid rows by default, each test overriding only
 * the cells its rule is about. Written with exceljs's full writer, as a dealer's Excel
 * would save them; the reader under test is exceljs's streaming reader.
 */

export type ReportRow = Record<string, unknown>;

/** An installation in October 2026 of a demo product, every field filled in correctly. */
export function installationRow(overrides: ReportRow = {}): ReportRow {
  return {
    install_id: 'IN-0001',
    install_date: '2026-10-08',
    owner_name: '陈小姐',
    phone: '13912345678',
    address: '上海市浦东新区张江路 88 号',
    product_model: 'WC-800',
    serial_no: 'SN-WC-0001',
    purchase_date: '2026-09-28',
    commissioning: '合格',
    unboxing_issue: null,
    installer: '刘师傅',
    remarks: null,
    ...overrides,
  };
}

/** An in-warranty repair in October 2026 that used one part. */
export function repairRow(overrides: ReportRow = {}): ReportRow {
  return {
    repair_id: 'RP-0001',
    called_at: '2026-10-10 09:00',
    arrived_at: '2026-10-10 15:30',
    completed_date: '2026-10-10',
    owner_name: '周先生',
    phone: '13712345678',
    address: '杭州市西湖区文三路 1 号',
    product_model: 'WC-800',
    serial_no: 'SN-WC-0001',
    purchase_date: '2026-01-15',
    fault_description: '水箱不进水',
    fault_cause: '进水阀老化',
    action_taken: '更换进水阀',
    part_code: 'P-VALVE-01',
    part_qty: 1,
    charge_cause: '无',
    service_type: '维修',
    customer_confirmed: '是',
    satisfaction: '满意',
    ...overrides,
  };
}

export interface WorkbookOptions {
  /** Header language: Chinese names (default) or the English field names. */
  readonly headers?: 'zh' | 'en';
  /** A merged title row above the header, as real files have. */
  readonly title?: string;
  /** Fields to leave out of the header altogether. */
  readonly omit?: readonly string[];
  /** Extra columns the template never had. */
  readonly extraColumns?: readonly string[];
  /** A sheet of filling-in notes in front of the data, as dealers' own copies often have. */
  readonly notesSheetFirst?: boolean;
}

const FIELDS: Record<ReportType, readonly FieldSpec[]> = { installation: INSTALLATION_FIELDS, repair: REPAIR_FIELDS };

/** A report workbook: optional title row, a header row, then one row per record. Returns the row number of the first data row too. */
export async function reportWorkbook(type: ReportType, rows: readonly ReportRow[], options: WorkbookOptions = {}): Promise<Buffer> {
  const fields = FIELDS[type].filter((f) => !(options.omit ?? []).includes(f.name));
  const workbook = new ExcelJS.Workbook();
  if (options.notesSheetFirst === true) workbook.addWorksheet('填写说明').addRows([['填写说明'], ['每行一条记录；日期写成 2026-10-03']]);
  const sheet = workbook.addWorksheet(type);
  if (options.title !== undefined) {
    sheet.addRow([options.title]);
    sheet.mergeCells(1, 1, 1, fields.length);
  }
  sheet.addRow([...fields.map((f) => (options.headers === 'en' ? f.name : f.zh)), ...(options.extraColumns ?? [])]);
  for (const row of rows) {
    sheet.addRow([...fields.map((f) => toCell(row[f.name])), ...(options.extraColumns ?? []).map(() => 'x')]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function toCell(value: unknown): ExcelJS.CellValue {
  if (value === undefined || value === null) return null;
  if (value instanceof Date || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return String(value);
}

/** The demo master data as a master-data workbook (sheets 经销商, 产品, 配件, Chinese headers). */
export async function masterWorkbook(data: {
  dealers: readonly object[];
  products: readonly object[];
  parts: readonly object[];
}): Promise<Buffer> {
  const { DEALER_FIELDS, PRODUCT_FIELDS, PART_FIELDS } = await import('../../shared/domain/fields.js');
  const workbook = new ExcelJS.Workbook();
  const sheets: [string, readonly FieldSpec[], readonly object[]][] = [
    ['经销商', DEALER_FIELDS, data.dealers],
    ['产品', PRODUCT_FIELDS, data.products],
    ['配件', PART_FIELDS, data.parts],
  ];
  for (const [name, fields, rows] of sheets) {
    const sheet = workbook.addWorksheet(name);
    sheet.addRow(fields.map((f) => f.zh));
    for (const row of rows) sheet.addRow(fields.map((f) => toCell((row as Record<string, unknown>)[f.name])));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A shipments or returns upload: Chinese headers, one row per line. */
export async function ledgerWorkbook(type: 'shipments' | 'returns', rows: readonly ReportRow[], options: Pick<WorkbookOptions, 'notesSheetFirst'> = {}): Promise<Buffer> {
  const { SHIPMENT_FIELDS, RETURN_FIELDS } = await import('../../shared/domain/fields.js');
  const fields = type === 'shipments' ? SHIPMENT_FIELDS : RETURN_FIELDS;
  const workbook = new ExcelJS.Workbook();
  if (options.notesSheetFirst === true) workbook.addWorksheet('填写说明').addRows([['每行一个发货或退料明细']]);
  const sheet = workbook.addWorksheet(type);
  sheet.addRow(fields.map((f) => f.zh));
  for (const row of rows) sheet.addRow(fields.map((f) => toCell(row[f.name])));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A warranty loan of 4 inlet valves to D001 in July 2026. */
export function shipmentRow(overrides: ReportRow = {}): ReportRow {
  return { shipment_id: 'S1', shipped_date: '2026-07-10', dealer_code: 'D001', part_code: 'P-VALVE-01', qty: 4, kind: '保修借料', ...overrides };
}

/** One inlet valve returned by D001 in August 2026. */
export function returnRow(overrides: ReportRow = {}): ReportRow {
  return { return_id: 'R1', received_date: '2026-08-01', dealer_code: 'D001', part_code: 'P-VALVE-01', qty: 1, ...overrides };
}
