/** Input factories for the money workbooks: fee invoices and the dealers of a reconciliation. */
import { buildInvoice, type BuildInvoiceInput, type Invoice, type InvoiceLineInput } from '../../shared/domain/invoice.js';
import { parseYuan } from '../../shared/domain/money.js';
import type { DealerReconciliation } from '../../shared/domain/reconciliation.js';
import { DEALER, reconcile, returned, SEAL, shipment, VALVE } from './ledger.js';

/** Four valves of lot S1#1 (shipped 2026-07-10, due 2026-09-08) kept past their deadline, at ¥35.50. */
export const possessionLine = (more: Partial<Pick<InvoiceLineInput, 'part_code' | 'part_name' | 'qty' | 'unit_price'>> = {}): InvoiceLineInput => ({
  part_code: VALVE,
  part_name: '进水阀 Inlet valve',
  qty: 4,
  unit_price: parseYuan('35.50'),
  reason: 'de_facto_possession',
  lot: { lot_id: 'S1#1', shipment_id: 'S1', shipped_date: '2026-07-10', due_date: '2026-09-08' },
  ...more,
});

/** A draft invoice FY-2026-10-0001 of D001 for October 2026 with one possession line, unless overridden. */
export const invoice = (more: Partial<BuildInvoiceInput> = {}): Invoice =>
  buildInvoice({
    invoice_no: 'FY-2026-10-0001',
    dealer: { code: DEALER, name: '华东卫浴 East China Sanitary', payment_method: '银行转账 bank transfer' },
    period: '2026-10',
    issued_on: '2026-11-05',
    tax_invoice_now: true,
    lines: [possessionLine()],
    ...more,
  });

/**
 * Two dealers reconciled as of 2026-11-05, checked by hand:
 * - D001 borrowed valves in S1 (4, due 2026-09-08) and S2 (2, due 2026-11-30); the valve
 *   returned on 2026-08-01 settles S1 first, so S1's other 3 are charged and S2 is outstanding;
 *   a seal returned with no lot is surplus.
 * - D002, named `=1+1`, kept 2 valves of S9 past 2026-08-30, but its part has no price: overdue,
 *   not charged, and a missing_price error.
 */
export const reconciledDealers = (): { code: string; name: string; reconciliation: DealerReconciliation }[] => [
  {
    code: 'D002',
    name: '=1+1',
    reconciliation: reconcile({
      dealer_code: 'D002',
      shipments: [shipment({ shipment_id: 'S9', dealer_code: 'D002', shipped_date: '2026-07-01', qty: 2 })],
      prices: { costOn: () => undefined },
    }),
  },
  {
    code: DEALER,
    name: '华东卫浴 East China Sanitary',
    reconciliation: reconcile({
      shipments: [shipment({ qty: 4 }), shipment({ shipment_id: 'S2', shipped_date: '2026-10-01', qty: 2 })],
      returns: [returned(), returned({ return_id: 'R2', part_code: SEAL, received_date: '2026-10-02' })],
    }),
  },
];
