/**
 * The issue slip (领料单/发货单) of domain.md's material requests, step 5: what the warehouse
 * ships for one request on one date. Its number is the shipment id of its lines in the parts
 * ledger, and each ledger line is the request line it ships, so the slip's lines and the
 * ledger's are the same lines.
 */
import type { IsoDate } from './dates.js';
import type { ShipmentKind } from './ledger-validation.js';

export interface IssueSlipLine {
  /** The request line, which is also the ledger line under the slip's shipment id. */
  readonly line: number;
  readonly part_code: string;
  readonly part_name: string;
  readonly unit: string;
  readonly qty: number;
  readonly kind: ShipmentKind;
  readonly return_required: boolean | null;
  readonly repair_id: string | null;
  readonly serial_no: string | null;
  readonly due_date: IsoDate | null;
  readonly invoice_no: string | null;
}

export interface IssueSlip {
  readonly slip_no: string;
  readonly request_id: string;
  /** The dealer as the slip prints it: its address, contact and phone from the master data, empty when not given. */
  readonly dealer: { readonly code: string; readonly name: string; readonly address?: string; readonly contact?: string; readonly phone?: string };
  readonly shipped_date: IsoDate;
  readonly lines: readonly IssueSlipLine[];
}

/**
 * The number of a request's `n`-th slip (1-based): `FL-<request id>-<n>`. Computed from the
 * slips the request already has, so a shipment retried after a failure midway gets the same
 * number and the ledger, keyed by it, records nothing twice.
 */
export const issueSlipNumber = (request_id: string, n: number): string => `FL-${request_id}-${n}`;
