import type { ReportItem, StoredInvoice } from '../../shared/app/ports.js';
import type { Installation, Repair } from '../../shared/domain/report-validation.js';
import type { RepairClassification } from '../../shared/domain/warranty.js';
import { buildInvoice } from '../../shared/domain/invoice.js';
import { toFen } from '../../shared/domain/money.js';
import type { DealerReconciliation } from '../../shared/domain/reconciliation.js';
import { installationRecord, repairRecord } from '../helpers/month-fixtures.js';

/**
 * Entities as the use cases hand them to the stores, valid by default; each contract test
 * overrides only what its rule is about.
 */

let unique = 0;
/** A name no other test of the run uses, so tests sharing one DynamoDB table never see each other's items. */
export const fresh = (prefix: string): string => `${prefix}${(unique += 1)}`;

export const installation = (overrides: Partial<Installation> = {}, row = 2): ReportItem => ({ kind: 'installation', row, record: installationRecord(overrides) });

export const inWarranty: RepairClassification = { phase: 'in_warranty', warranty_end: '2028-01-15', materials_charged: false, service_fee: false };
export const outOfWarranty: RepairClassification = { phase: 'out_of_warranty', warranty_end: '2022-01-01', materials_charged: true, service_fee: true };

/** A repair as validated, before its classification: the statistics fixture's repair without its phase and charging. */
const repairOnly = (repair_id: string): Repair => {
  const { phase: _phase, materials_charged: _charged, ...record } = repairRecord({ repair_id });
  return record;
};

export const repair = (repair_id: string, classification: RepairClassification = inWarranty, row = 2): ReportItem => ({
  kind: 'repair',
  row,
  record: repairOnly(repair_id),
  classification,
});

/**
 * A repair whose own facts are out of warranty (bought 2020-01-01), stored with that
 * classification: what the cross-check derives from the facts agrees with what was stored.
 */
export const outOfWarrantyRepair = (repair_id: string): ReportItem => {
  const item = repair(repair_id, outOfWarranty);
  return { ...item, record: { ...(item.record as Repair), purchase_date: '2020-01-01' } } as ReportItem;
};

export const partLine = (repair_id: string, row: number, part_code = 'P-VALVE-01', classification: RepairClassification = inWarranty): ReportItem => ({
  kind: 'part_line',
  row,
  record: { repair_id, part_code, part_qty: 1 },
  classification,
});

/** A draft invoice builder for `InvoiceStore.create`: one line of one valve. */
export const draftInvoice =
  (dealer: string, period: string) =>
  (invoice_no: string): StoredInvoice => ({
    ...buildInvoice({
      invoice_no,
      dealer: { code: dealer, name: `经销商 ${dealer}`, payment_method: '银行转账' },
      period,
      issued_on: `${period}-28`,
      tax_invoice_now: false,
      lines: [{ part_code: 'P-VALVE-01', part_name: '进水阀', qty: 1, unit_price: toFen(3550), reason: 'other', lot: null, note: '测试' }],
    }),
    as_of: `${period}-28`,
    workbook_key: null,
  });

export const reconciliation = (dealer_code: string, as_of: string): DealerReconciliation => ({
  dealer_code,
  as_of,
  lots: [],
  new_credits: [],
  new_charges: [],
  outstanding: [],
  surplus: [],
  totals: [],
  errors: [],
});
