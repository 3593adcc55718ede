import ExcelJS from 'exceljs';
import { REQUEST_FIELDS } from '../../shared/domain/request-fields.js';

/** Input factories for material request (需求表) workbooks: valid rows by default. */
export type RequestRow = Record<string, unknown>;

/** A repair line of request R-2026-001 of 2026-11-02: one inlet valve for a WC-800 bought 2026-01-15, cause none. */
export function requestRow(overrides: RequestRow = {}): RequestRow {
  return {
    request_id: 'R-2026-001',
    requested_date: '2026-11-02',
    part_code: 'P-VALVE-01',
    qty: 1,
    purpose: '维修',
    product_model: 'WC-800',
    serial_no: 'SN-WC-0001',
    purchase_date: '2026-01-15',
    fault_description: '水箱不进水',
    charge_cause: '无',
    repair_id: null,
    remarks: null,
    ...overrides,
  };
}

/** The request of the "Done when": three parts for three repairs — in warranty, out of warranty, cause misuse. */
export const threeRepairs = (request_id = 'R-2026-001'): RequestRow[] => [
  requestRow({ request_id, serial_no: 'SN-IN-1', purchase_date: '2026-01-15', repair_id: 'RP-IN' }),
  requestRow({ request_id, serial_no: 'SN-OUT-1', purchase_date: '2020-03-01', part_code: 'P-SEAL-03', qty: 2, repair_id: 'RP-OUT' }),
  requestRow({ request_id, serial_no: 'SN-MIS-1', purchase_date: '2026-02-01', charge_cause: '使用不当', part_code: 'P-BOARD-02', repair_id: 'RP-MIS' }),
];

/** A material request workbook: a title row, the Chinese headers, one row per line. */
export async function requestWorkbook(rows: readonly RequestRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('需求表');
  sheet.addRow(['需求表 Material request']);
  sheet.addRow(REQUEST_FIELDS.map((f) => f.zh));
  for (const row of rows) sheet.addRow(REQUEST_FIELDS.map((f) => (row[f.name] ?? null) as ExcelJS.CellValue));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
