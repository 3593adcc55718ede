/**
 * Input factories for report tests: worksheets built from records keyed by field name, with
 * the headers written the way dealers write them, and a ready-made master data lookup.
 */
import type { CellValue, SheetRow } from '../../shared/domain/cells.js';
import { UPLOAD_FIELDS, type FieldSpec, type ReportType } from '../../shared/domain/fields.js';
import {
  createReportValidator,
  type MasterLookup,
  type ReportContext,
  type ReportEntity,
  type ReportSummary,
} from '../../shared/domain/report-validation.js';
import type { TableSummary, TableValidator } from '../../shared/domain/table-validation.js';

export type RowInput = Readonly<Record<string, CellValue>>;

/** How the header row names the columns: field names, Chinese headers, or both as the template prints them. */
export type HeaderStyle = 'en' | 'zh' | 'bilingual';

export interface SheetLayout {
  /** Default 'zh'. */
  readonly headers?: HeaderStyle;
  /** Field names in column order; default every field of the type, in template order. */
  readonly columns?: readonly string[];
  /** Header texts of columns the template never had, appended on the right. */
  readonly extraColumns?: readonly string[];
  /** Rows above the header: a title, notes. */
  readonly above?: readonly (readonly CellValue[])[];
}

/** The field of `fields` named `name`; a typo in a test fails loudly. */
export function fieldSpec(fields: readonly FieldSpec[], name: string): FieldSpec {
  const field = fields.find((f) => f.name === name);
  if (field === undefined) throw new Error(`no field ${name}`);
  return field;
}

export const headerText = (field: FieldSpec, style: HeaderStyle): string =>
  style === 'en' ? field.name : style === 'zh' ? field.zh : `${field.zh}\n${field.name}`;

/**
 * A worksheet of `type`: the rows of `layout.above`, the header row, then one row per record
 * (`null` for a blank row), numbered as Excel shows them.
 */
export function reportSheet(type: ReportType, records: readonly (RowInput | null)[], layout: SheetLayout = {}): SheetRow[] {
  return tableSheet(UPLOAD_FIELDS[type], records, layout);
}

/** A worksheet of any table-shaped upload (master data, ledgers), laid out like `reportSheet`. */
export function tableSheet(fields: readonly FieldSpec[], records: readonly (RowInput | null)[], layout: SheetLayout = {}): SheetRow[] {
  const columns = (layout.columns ?? fields.map((f) => f.name)).map((name) => fieldSpec(fields, name));
  const header: CellValue[] = [...columns.map((f) => headerText(f, layout.headers ?? 'zh')), ...(layout.extraColumns ?? [])];
  const lines: (readonly CellValue[])[] = [
    ...(layout.above ?? []),
    header,
    ...records.map((record) => (record === null ? [] : columns.map((f) => record[f.name] ?? null))),
  ];
  return lines.map((cells, i) => ({ row: i + 1, cells }));
}

/** Feeds every row to a table validator: the entities it yields and its summary. */
export function runTable<E>(validator: TableValidator<E>, rows: readonly SheetRow[]): { entities: E[] } & TableSummary {
  const entities = rows.flatMap((row) => validator.push(row));
  return { entities, ...validator.finish() };
}

/** A correct installation row of October 2026; override what a test is about. */
export const installation = (overrides: RowInput = {}): RowInput => ({
  install_id: 'I-001',
  install_date: '2026-10-03',
  owner_name: '王伟',
  phone: 13800138000,
  address: '上海市浦东新区世纪大道 100 号',
  product_model: 'WC-100',
  serial_no: 'SN-0001',
  purchase_date: '2026-09-20',
  commissioning: '合格',
  unboxing_issue: null,
  installer: '李强',
  remarks: null,
  ...overrides,
});

/** A correct repair row of October 2026 using one part; override what a test is about. */
export const repair = (overrides: RowInput = {}): RowInput => ({
  repair_id: 'R-001',
  called_at: '2026-10-05 09:00',
  arrived_at: '2026-10-05 15:30',
  completed_date: '2026-10-05',
  owner_name: '张敏',
  phone: '13900139000',
  address: '上海市徐汇区漕溪北路 1 号',
  product_model: 'WC-100',
  serial_no: 'SN-0001',
  purchase_date: '2025-06-01',
  fault_description: '冲水无力',
  fault_cause: '进水阀老化',
  action_taken: '更换进水阀',
  part_code: 'P-VALVE-01',
  part_qty: 1,
  charge_cause: '无',
  service_type: '维修',
  customer_confirmed: '是',
  satisfaction: '满意',
  ...overrides,
});

/** A further row of the same repair that names another part and leaves the repair's own fields blank. */
export const extraPartRow = (repairId: string, partCode: string, qty: CellValue, overrides: RowInput = {}): RowInput => ({
  repair_id: repairId,
  part_code: partCode,
  part_qty: qty,
  ...overrides,
});

const WARRANTY_MONTHS = new Map([['WC-100', 12], ['BT-200', 24]]);
const PARTS = new Set(['P-VALVE-01', 'P-SEAL-03']);

/** Products WC-100 (12 months) and BT-200 (24 months); parts P-VALVE-01 and P-SEAL-03. */
export const MASTER: MasterLookup = {
  warrantyMonths: (model) => WARRANTY_MONTHS.get(model),
  hasPart: (code) => PARTS.has(code),
};

export interface ValidationRun {
  readonly entities: ReportEntity[];
  readonly summary: ReportSummary;
}

/** Pushes every row through a fresh validator for October 2026, uploaded on 2026-11-02. */
export function validate(type: ReportType, rows: readonly SheetRow[], context: Partial<ReportContext> = {}): ValidationRun {
  const validator = createReportValidator({ type, period: '2026-10', today: '2026-11-02', master: MASTER, ...context });
  const entities = rows.flatMap((row) => validator.push(row));
  return { entities, summary: validator.finish() };
}
