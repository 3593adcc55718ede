import ExcelJS from 'exceljs';
import { INSTALLATION_FIELDS } from '../../shared/domain/fields.js';
import type { Issue } from '../../shared/domain/issues.js';
import { reconcile, shipment, VALVE } from './ledger.js';
import { invoice, possessionLine } from './money-fixtures.js';
import { octoberStatistics } from './month-fixtures.js';
import { writeErrorReport } from '../../shared/sheets/error-report.js';
import { writeInvoiceWorkbook } from '../../shared/sheets/invoice-workbook.js';
import { writeReconciliationWorkbook } from '../../shared/sheets/reconciliation-workbook.js';
import { writeStatisticsWorkbook } from '../../shared/sheets/statistics-workbook.js';
import { TEMPLATE_FILES, writeTemplate, type TemplateType } from '../../shared/sheets/template.js';
import { writeIssueSlipWorkbook } from '../../shared/sheets/issue-slip-workbook.js';

/**
 * Text an upload (or master data, itself an upload) can carry that a spreadsheet might run:
 * formula starters (= + - @, and tab or CR before them), a link, DDE, an external reference.
 * Each is written into every workbook the back office produces, wherever uploaded text goes.
 */
export const PAYLOADS = [
  '=1+1',
  '+1+1',
  '-1+1',
  '@SUM(1,1)',
  '\t=1+1',
  '\r=2+2',
  '=HYPERLINK("http://evil.example/","click")',
  "=cmd|' /C calc'!A0",
  "='http://evil.example/[book.xlsx]Sheet1'!A1",
  'http://evil.example/',
] as const;

export interface WrittenWorkbook {
  /** Which writer, and which of its paths. */
  readonly name: string;
  readonly bytes: Buffer;
  /** The payloads this workbook must show as plain text. */
  readonly payloads: readonly string[];
}

/** An uploaded installation report whose text cells are all payloads, one row per payload, plus a real formula and a real link. */
async function hostileUpload(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('安装');
  sheet.addRow(INSTALLATION_FIELDS.map((f) => f.zh));
  PAYLOADS.forEach((payload, i) => {
    sheet.addRow(INSTALLATION_FIELDS.map((f) => (f.name === 'install_id' ? `IN-${i}` : f.kind === 'text' || f.kind === 'id' ? payload : '2026-10-08')));
  });
  // What a hostile file can hold beyond text: a live formula and a link to an outside address.
  sheet.addRow(['IN-F', { formula: 'HYPERLINK("http://evil.example/f","formula")', result: 'formula' }, { text: 'link', hyperlink: 'http://evil.example/l' }]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** An issue on every payload cell, quoting the payload, as the validator would raise. */
function issuesOn(): Issue[] {
  return PAYLOADS.flatMap((payload, i) =>
    (['owner_name', 'address', 'serial_no'] as const).map((column) => ({
      row: i + 2,
      column,
      value: payload,
      code: 'invalid_choice',
      message: `${column}: "${payload}" is not allowed`,
      message_zh: `${column}：“${payload}”不可用`,
    })),
  );
}

const COLUMNS = new Map(INSTALLATION_FIELDS.map((f, i) => [f.name, i]));

/** Every writer of shared/sheets, fed the payloads wherever uploaded text reaches it. */
export async function hostileWorkbooks(): Promise<WrittenWorkbook[]> {
  const original = await hostileUpload();
  const errors = issuesOn();
  const payloads = [...PAYLOADS];
  const out: WrittenWorkbook[] = [
    { name: 'error report, annotated in place', bytes: await writeErrorReport({ original, errors, warnings: [], columns: COLUMNS }), payloads },
    { name: 'error report, copied by streaming', bytes: await writeErrorReport({ original, errors, warnings: [], columns: COLUMNS, inPlaceMaxBytes: 0 }), payloads },
  ];
  out.push({
    name: 'fee invoice',
    bytes: await writeInvoiceWorkbook(
      invoice({
        dealer: { code: 'D001', name: PAYLOADS[0], payment_method: PAYLOADS[7] },
        lines: PAYLOADS.map((payload, i) => possessionLine({ part_code: `P-${i}`, part_name: payload })),
      }),
    ),
    payloads,
  });
  out.push({
    name: 'reconciliation',
    bytes: await writeReconciliationWorkbook({
      period: '2026-10',
      as_of: '2026-11-05',
      dealers: PAYLOADS.map((payload, i) => ({
        code: `D${i}`,
        name: payload,
        reconciliation: reconcile({ dealer_code: `D${i}`, shipments: [shipment({ dealer_code: `D${i}`, qty: 2 })] }),
      })),
      partNames: new Map([[VALVE, PAYLOADS[6]]]),
    }),
    payloads,
  });
  out.push({
    name: 'month statistics',
    bytes: await writeStatisticsWorkbook(octoberStatistics(), {
      dealers: new Map([['D001', PAYLOADS[6]], ['D002', PAYLOADS[0]], ['D003', PAYLOADS[3]]]),
      parts: new Map([[VALVE, PAYLOADS[7]]]),
      products: new Map([['WC-800', PAYLOADS[8]], ['BT-200', PAYLOADS[2]]]),
    }),
    payloads: [PAYLOADS[6], PAYLOADS[0], PAYLOADS[7]],
  });
  for (const type of Object.keys(TEMPLATE_FILES) as TemplateType[]) out.push({ name: `template ${type}`, bytes: await writeTemplate(type), payloads: [] });
  out.push({
    name: 'issue slip',
    bytes: Buffer.from(await writeIssueSlipWorkbook({
      slip_no: 'FL-R-1-1',
      request_id: 'R-1',
      dealer: { code: 'D001', name: PAYLOADS[6] },
      shipped_date: '2026-11-05',
      lines: PAYLOADS.map((payload, i) => ({
        line: i + 1, part_code: VALVE, part_name: payload, unit: '个', qty: 1, kind: 'warranty_loan' as const, return_required: null,
        repair_id: payload, serial_no: payload, due_date: '2027-01-04', invoice_no: null,
      })),
    })),
    payloads,
  });
  return out;
}
