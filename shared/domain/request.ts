/**
 * Material requests (发料申请) of domain.md, "Material requests: asking for parts": a dealer's
 * request, the warranty check's proposal for each line, the after-sales department's
 * decision, and what the dealer sees of each line. Pure: the use cases in
 * shared/app/requests/ store and ship them.
 */
import { businessDateOf, compareDates, type IsoDate } from './dates.js';
import type { ShipmentKind } from './ledger-validation.js';
import { formatYuan, type Fen } from './money.js';
import type { RequestPurpose } from './request-fields.js';
import type { ChargeCause, RepairPhase, WarrantyDecision } from './warranty.js';

/** One line as the dealer asks for it (the workbook's row, or the portal form's line). */
export interface RequestLineInput {
  /** 1-based, in the order the dealer listed the lines. */
  readonly line: number;
  readonly part_code: string;
  readonly qty: number;
  readonly purpose: RequestPurpose;
  readonly product_model: string | null;
  readonly serial_no: string | null;
  readonly purchase_date: IsoDate | null;
  readonly fault_description: string | null;
  readonly charge_cause: ChargeCause | null;
  readonly repair_id: string | null;
  readonly remarks: string | null;
}

/** The warranty check's answer for a line, at once when the request comes in. */
export interface Proposal {
  readonly kind: ShipmentKind;
  readonly phase: RepairPhase | null;
  readonly purchase_date_used: IsoDate | null;
  readonly purchase_date_source: 'archive' | 'stated' | null;
  /** The cost price on the request date, for a charged line. */
  readonly unit_price: Fen | null;
  readonly reason: string;
  readonly reason_zh: string;
  /**
   * Set when the archive holds the unit for another dealer: that dealer (for the approver)
   * and the reason the requesting dealer is told instead, without that dealer's customer's
   * dates (domain.md, step 2). Absent on requests stored before the rule.
   */
  readonly other_dealer?: { readonly dealer_code: string; readonly reason: string; readonly reason_zh: string };
}

/**
 * Who reads a request: the requesting dealer is told neither another dealer's code nor its
 * customer's dates; the back office (who decides the line) sees them.
 */
export type RequestView = 'dealer' | 'back_office';

/** The after-sales department's decision on one line, with who took it and when. */
export interface LineDecision {
  readonly outcome: 'approved' | 'rejected';
  /** The kind approved (null for a rejection). */
  readonly kind: ShipmentKind | null;
  /** Whether the old part must come back, for a special approval; null otherwise. */
  readonly return_required: boolean | null;
  readonly reason: string | null;
  readonly by: string;
  readonly at: string;
  /** The sale form made for an approved charged line, once made. */
  readonly invoice_no: string | null;
  readonly unit_price: Fen | null;
}

/** Where an approved line went: the issue slip (its shipment id in the ledger) and the dates. */
export interface LineShipping {
  readonly shipment_id: string;
  readonly shipped_date: IsoDate;
  /** The return deadline of a lot (a loan, or a special approval that requires a return). */
  readonly due_date: IsoDate | null;
}

export interface RequestLine extends RequestLineInput {
  readonly proposal: Proposal;
  readonly decision: LineDecision | null;
  /** Decisions undone when the sale form they made was voided: the line was reopened for a new decision. */
  readonly earlier_decisions?: readonly LineDecision[];
  readonly shipping: LineShipping | null;
}

export interface MaterialRequest {
  readonly request_id: string;
  readonly dealer_code: string;
  readonly requested_date: IsoDate;
  readonly submitted_at: string;
  readonly lines: readonly RequestLine[];
  /** Moves on with every stored change, so that two deciders of one line cannot both win. */
  readonly version: number;
}

export const LINE_STATES = ['proposed', 'approved', 'rejected', 'awaiting_payment', 'shipped'] as const;
export type LineState = (typeof LINE_STATES)[number];

/**
 * What the dealer sees of a line: shipped once shipped; rejected; an approved charged line
 * awaits payment until its sale form is paid; else approved; else proposed.
 */
export function lineState(line: RequestLine, saleFormPaid: (invoice_no: string) => boolean): LineState {
  if (line.shipping !== null) return 'shipped';
  if (line.decision === null) return 'proposed';
  if (line.decision.outcome === 'rejected') return 'rejected';
  return mayShip(line, saleFormPaid) ? 'approved' : 'awaiting_payment';
}

/** Whether an approved line may ship now: charged lines only once their sale form is paid (先付款后发料). */
export function mayShip(line: RequestLine, saleFormPaid: (invoice_no: string) => boolean): boolean {
  const { decision } = line;
  if (decision?.outcome !== 'approved' || line.shipping !== null) return false;
  if (decision.kind !== 'charged') return true;
  return decision.invoice_no !== null && saleFormPaid(decision.invoice_no);
}

/**
 * The ship date is never before the approval (domain.md, step 5): of the lines about to ship,
 * the one approved last, with its approval's business date, when `shipped_date` comes before
 * that date; null when the date may stand. A loan shipped "before" its approval would start
 * its return window early and be charged at once.
 */
export function approvalAfterShipDate(
  lines: readonly RequestLine[],
  shipped_date: IsoDate,
  timeZone: string,
): { readonly line: number; readonly approved_on: IsoDate } | null {
  let latest: { line: number; approved_on: IsoDate } | null = null;
  for (const line of lines) {
    if (line.decision?.outcome !== 'approved') continue;
    const approved_on = businessDateOf(new Date(line.decision.at), timeZone);
    if (latest === null || compareDates(approved_on, latest.approved_on) > 0) latest = { line: line.line, approved_on };
  }
  return latest !== null && compareDates(shipped_date, latest.approved_on) < 0 ? latest : null;
}

/** The proposal for a line that is not for a repair: its purpose is its kind, free. */
export function purposeProposal(purpose: Exclude<RequestPurpose, 'repair'>): Proposal {
  const words = { office_supplies: ['office supplies', '办公用品'], promotional: ['promotional material', '宣传资料'], gift: ['gift', '赠送品'] }[purpose];
  return {
    kind: purpose,
    phase: null,
    purchase_date_used: null,
    purchase_date_source: null,
    unit_price: null,
    reason: `Not for a repair: ${words[0]}, shipped free without return`,
    reason_zh: `非维修用途：${words[1]}，免费发放，无需退回`,
  };
}

/** The proposal for a repair line from the warranty decision; a charged line carries the cost price of the day. */
export function repairProposal(decision: WarrantyDecision, costPrice: Fen | null): Proposal {
  return {
    kind: decision.kind,
    phase: decision.phase,
    purchase_date_used: decision.purchase_date_used,
    purchase_date_source: decision.purchase_date_source,
    unit_price: decision.kind === 'charged' ? costPrice : null,
    reason: decision.reason,
    reason_zh: decision.reason_zh,
    ...otherDealerOf(decision),
  };
}

function otherDealerOf(decision: WarrantyDecision): Pick<Proposal, 'other_dealer'> {
  const warning = decision.warnings.find((w) => w.code === 'other_dealer_installation');
  return warning === undefined ? {} : { other_dealer: { dealer_code: warning.dealer_code, reason: decision.dealer_reason, reason_zh: decision.dealer_reason_zh } };
}

/** A decision the department may take on a line. */
export type DecisionInput =
  | { readonly outcome: 'approved'; readonly kind?: ShipmentKind; readonly return_required?: boolean; readonly reason?: string }
  | { readonly outcome: 'rejected'; readonly reason?: string };

export type DecisionProblem = 'reason_required' | 'return_required_missing';

/**
 * What a decision needs besides the line: a rejection and an approval as another kind need a
 * reason, and a special approval must say whether the old part comes back.
 */
export function decisionProblem(line: RequestLine, input: DecisionInput): DecisionProblem | null {
  const reason = input.reason?.trim() ?? '';
  if (input.outcome === 'rejected') return reason === '' ? 'reason_required' : null;
  const kind = input.kind ?? line.proposal.kind;
  if (kind !== line.proposal.kind && reason === '') return 'reason_required';
  if (kind === 'special_approval' && input.return_required === undefined) return 'return_required_missing';
  return null;
}

/** A line as the CLI's and the API's JSON show it (cli.md, `requests submit` and `requests list`). */
export interface RequestLineJson {
  readonly line: number;
  readonly part_code: string;
  readonly qty: number;
  readonly purpose: RequestPurpose;
  readonly product_model: string | null;
  readonly serial_no: string | null;
  readonly repair_id: string | null;
  readonly proposed_kind: ShipmentKind;
  readonly phase: RepairPhase | null;
  readonly purchase_date_used: IsoDate | null;
  /** `maker_records` when the dealer's view withholds the date of another dealer's unit. */
  readonly purchase_date_source: 'archive' | 'stated' | 'maker_records' | null;
  readonly unit_price: string | null;
  readonly reason: string;
  readonly reason_zh: string;
  /** Whether the archive holds the unit for another dealer. */
  readonly other_dealer_unit: boolean;
  /** That dealer's code, in the back office's view only (null in the dealer's). */
  readonly installed_by: string | null;
  readonly state: LineState;
  readonly decision: {
    readonly outcome: 'approved' | 'rejected';
    readonly kind: ShipmentKind | null;
    readonly return_required: boolean | null;
    readonly reason: string | null;
    readonly by: string;
    readonly at: string;
    readonly invoice_no: string | null;
  } | null;
  readonly shipment_id: string | null;
  readonly shipped_date: IsoDate | null;
  readonly due_date: IsoDate | null;
}

export function requestLineJson(line: RequestLine, state: LineState, view: RequestView): RequestLineJson {
  const { decision, shipping, proposal } = line;
  const other = proposal.other_dealer;
  const withheld = other !== undefined && view === 'dealer';
  return {
    line: line.line,
    part_code: line.part_code,
    qty: line.qty,
    purpose: line.purpose,
    product_model: line.product_model,
    serial_no: line.serial_no,
    repair_id: line.repair_id,
    proposed_kind: proposal.kind,
    phase: proposal.phase,
    purchase_date_used: withheld ? null : proposal.purchase_date_used,
    purchase_date_source: withheld ? 'maker_records' : proposal.purchase_date_source,
    unit_price: proposal.unit_price === null ? null : formatYuan(proposal.unit_price),
    reason: withheld ? other.reason : proposal.reason,
    reason_zh: withheld ? other.reason_zh : proposal.reason_zh,
    other_dealer_unit: other !== undefined,
    installed_by: other === undefined || withheld ? null : other.dealer_code,
    state,
    decision:
      decision === null
        ? null
        : { outcome: decision.outcome, kind: decision.kind, return_required: decision.return_required, reason: decision.reason, by: decision.by, at: decision.at, invoice_no: decision.invoice_no },
    shipment_id: shipping?.shipment_id ?? null,
    shipped_date: shipping?.shipped_date ?? null,
    due_date: shipping?.due_date ?? null,
  };
}
