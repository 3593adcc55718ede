import ExcelJS from 'exceljs';
import { COMPLAINT_FIELDS, VERIFICATION_CALL_FIELDS } from '../../shared/domain/fields.js';
import type { Complaint } from '../../shared/domain/complaints.js';
import type { ReportRow } from './reports.js';

/** A service-fault complaint about D001's visit to 陈小姐's WC-800, answered the same day. */
export function complaintRow(overrides: ReportRow = {}): ReportRow {
  return {
    complaint_id: 'C001',
    received_at: '2026-10-20 10:00',
    dealer_code: 'D001',
    customer_name: '陈小姐',
    phone: '13912345678',
    product_model: 'WC-800',
    serial_no: 'SN-WC-0001',
    category: '服务态度',
    service_fault: '是',
    action_taken: '致歉并约定重新上门',
    first_reply_at: '2026-10-20 15:00',
    resolved_at: '2026-10-22 11:00',
    follow_up_date: null,
    follow_up_outcome: null,
    ...overrides,
  };
}

/** The department's complaint workbook: a title row, Chinese headers, one row per complaint. */
export async function complaintWorkbook(rows: readonly ReportRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('投诉登记');
  sheet.addRow(['投诉登记 Complaints']);
  sheet.addRow(COMPLAINT_FIELDS.map((f) => f.zh));
  for (const row of rows) sheet.addRow(COMPLAINT_FIELDS.map((f) => (row[f.name] ?? null) as ExcelJS.CellValue));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The department's return-call workbook (厂家回访): a title row, Chinese headers, one row per call. */
export async function callWorkbook(rows: readonly ReportRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('厂家回访');
  sheet.addRow(["厂家回访 Maker's return calls"]);
  sheet.addRow(VERIFICATION_CALL_FIELDS.map((f) => f.zh));
  for (const row of rows) sheet.addRow(VERIFICATION_CALL_FIELDS.map((f) => (row[f.name] ?? null) as ExcelJS.CellValue));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The same complaint as recorded (C001), for the rules and the stores. */
export const complaintRecord = (overrides: Partial<Complaint> = {}): Complaint => ({
  complaint_id: 'C001',
  received_at: '2026-10-12T10:00:00',
  dealer_code: 'D001',
  customer_name: '陈小姐',
  phone: '13800138000',
  product_model: 'WC-800',
  serial_no: 'SN-1',
  category: 'attitude',
  service_fault: true,
  action_taken: '道歉并重新上门',
  fault_reason: null,
  investigation: null,
  compensation: null,
  first_reply_at: '2026-10-12T16:00:00',
  resolved_at: null,
  follow_up_due: null,
  follow_up_date: null,
  follow_up_outcome: null,
  closed_at: null,
  history: [],
  version: 1,
  ...overrides,
});
