/**
 * Shipping a request (发料): the approved lines that may ship — charged ones only once their
 * sale form is paid — become shipment lines of the parts ledger, exactly as if uploaded, and
 * the issue slip is written for the warehouse.
 */
import { Refusal } from '../access.js';
import { businessDateOf, compareDates, isValidDate } from '../../domain/dates.js';
import type { ShipmentLine } from '../../domain/ledger-validation.js';
import { partUnitsOf } from '../../domain/master.js';
import { dueDate, isLot, returnWindowOn } from '../../domain/reconciliation.js';
import { approvalAfterShipDate, lineState, mayShip, requestLineJson, type MaterialRequest, type RequestLineJson } from '../../domain/request.js';
import { issueSlipNumber, type IssueSlip } from '../../domain/request-slip.js';
import { XLSX_CONTENT_TYPE } from '../../sheets/content-type.js';
import { findRequest, lineNotices, paidIn, RequestInputError, saleForms } from './common.js';
import type { RequestDeps } from './deps.js';

export interface ShipInput {
  readonly request_id: string;
  readonly dealer?: string;
  readonly shipped_date: string;
  /** Only these lines (the warehouse ships line by line); every line that may ship when not given. */
  readonly lines?: readonly number[];
}

export interface ShipOutcome {
  readonly request_id: string;
  readonly dealer: string;
  readonly slip_no: string;
  readonly shipped_date: string;
  /** The issue slip in the reports bucket. */
  readonly slip_key: string;
  /** The lines this shipment shipped, in their new state. */
  readonly shipped: readonly RequestLineJson[];
  /** Every line of the request after the shipment. */
  readonly lines: readonly RequestLineJson[];
}

const SAVE_ATTEMPTS = 5;

/** Where a request's issue slip is kept: `issue-slips/D001/FL-R-1-1.xlsx`. */
export const issueSlipKey = (dealer: string, slip_no: string): string => `issue-slips/${dealer}/${slip_no}.xlsx`;

/**
 * Ships what may ship of a request on a date. The ledger lines are keyed by the slip number
 * and the request line, and the slip number follows from the slips the request already has, so
 * a retry after a failure midway records nothing twice. Ships racing each other meet twice:
 * at the ledger (the slip's lines recorded with another date are a conflict, and that ship
 * stands back) and at the request's conditional save; only the winner writes the slip and
 * tells the dealer, so request, mail, slip and ledger lot all say the same.
 */
export async function shipRequest(deps: RequestDeps, input: ShipInput): Promise<ShipOutcome> {
  const today = businessDateOf(deps.clock.now(), deps.config.businessTimeZone);
  if (!isValidDate(input.shipped_date)) {
    throw new RequestInputError('invalid_date', `The ship date ${input.shipped_date} is not a date; write it as 2026-11-05`, `发货日期 ${input.shipped_date} 无效，请按 2026-11-05 填写`);
  }
  if (compareDates(input.shipped_date, today) > 0) {
    throw new RequestInputError('future_date', `The ship date ${input.shipped_date} is after today (${today})`, `发货日期 ${input.shipped_date} 晚于今天（${today}）`);
  }
  const master = await deps.master.load();
  let lostTo: ShipmentLine | undefined;
  for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
    const request = await findRequest(deps, input.request_id, input.dealer);
    const paid = paidIn(await saleForms(deps, [request]));
    const chosen = input.lines === undefined ? request.lines : request.lines.filter((line) => input.lines!.includes(line.line));
    const ready = chosen.filter((line) => mayShip(line, paid));
    if (ready.length === 0) throw nothingToShip({ ...request, lines: chosen }, paid);
    const early = approvalAfterShipDate(ready, input.shipped_date, deps.config.businessTimeZone);
    if (early !== null) {
      throw new RequestInputError(
        'ship_before_approval',
        `The ship date ${input.shipped_date} is before line ${early.line} of request ${request.request_id} was approved (${early.approved_on}); parts ship on or after their approval`,
        `发货日期 ${input.shipped_date} 早于申请单 ${request.request_id} 第 ${early.line} 行的批准日期（${early.approved_on}）；发料不得早于批准`,
      );
    }
    const dealer = master.dealers.get(request.dealer_code);
    const window = dealer === undefined ? deps.config.returnWindowDays : returnWindowOn(dealer, input.shipped_date, deps.config.returnWindowDays);
    const slip_no = issueSlipNumber(request.request_id, new Set(request.lines.flatMap((l) => (l.shipping === null ? [] : [l.shipping.shipment_id]))).size + 1);
    const ledgerLines = ready.map((line): ShipmentLine => {
      const kind = line.decision!.kind!;
      return {
        shipment_id: slip_no,
        line: line.line,
        shipped_date: input.shipped_date,
        dealer_code: request.dealer_code,
        part_code: line.part_code,
        qty: line.qty,
        kind,
        return_required: kind === 'special_approval' ? line.decision!.return_required : null,
        repair_id: line.repair_id,
        remarks: `material request ${request.request_id} line ${line.line} / 发料申请 ${request.request_id} 第 ${line.line} 行`,
        return_window_days: window,
        request_id: request.request_id,
      };
    });
    const recorded = await deps.ledger.record('shipments', ledgerLines, `request:${request.dealer_code}:${request.request_id}`, { whole: true });
    if (recorded.conflicts.length > 0) {
      // Another ship of this request recorded this slip first with other content (another
      // date): it is the one that may save the request. Read again: it has, or is about to.
      lostTo = recorded.conflicts[0]!.recorded as ShipmentLine;
      continue;
    }
    // Some of the slip's lines recorded the same and others not: another ship of other lines
    // under this slip number is under way; nothing was written, read again.
    if (recorded.recorded + recorded.skipped < ledgerLines.length) continue;
    const due = (l: ShipmentLine) => (isLot(l) ? dueDate(l.shipped_date, window) : null);
    const shippedLines = new Map(ledgerLines.map((l) => [l.line, { shipment_id: slip_no, shipped_date: input.shipped_date, due_date: due(l) }]));
    const after: MaterialRequest = { ...request, lines: request.lines.map((l) => ({ ...l, shipping: shippedLines.get(l.line) ?? l.shipping })) };
    if ((await deps.requests.save(after)) === 'conflict') continue;
    // Only the winning save writes the slip, so the slip always says what the request and the ledger say.
    const slip: IssueSlip = {
      slip_no,
      request_id: request.request_id,
      dealer: { code: request.dealer_code, name: dealer?.dealer_name ?? request.dealer_code, address: dealer?.address ?? '', contact: dealer?.contact ?? '', phone: dealer?.phone ?? '' },
      shipped_date: input.shipped_date,
      lines: ledgerLines.map((l) => {
        const line = request.lines.find((r) => r.line === l.line)!;
        return {
          line: l.line,
          part_code: l.part_code,
          part_name: master.parts.get(l.part_code)?.at(-1)?.part_name ?? l.part_code,
          unit: partUnitsOf(master.parts).get(l.part_code) ?? '',
          qty: l.qty,
          kind: l.kind,
          return_required: l.return_required,
          repair_id: l.repair_id,
          serial_no: line.serial_no,
          due_date: due(l),
          invoice_no: line.decision!.invoice_no,
        };
      }),
    };
    const slip_key = issueSlipKey(request.dealer_code, slip_no);
    await deps.blobs.put('reports', slip_key, await deps.renderIssueSlip(slip), XLSX_CONTENT_TYPE);
    const lines = after.lines.map((l) => requestLineJson(l, lineState(l, paid), 'back_office'));
    await deps.notices?.tell({
      kind: 'request_shipped', dealer: request.dealer_code, request_id: request.request_id, shipment_id: slip_no, shipped_date: input.shipped_date,
      lines: lineNotices(after, paid).filter((l) => shippedLines.has(l.line)),
    });
    return {
      request_id: request.request_id,
      dealer: request.dealer_code,
      slip_no,
      shipped_date: input.shipped_date,
      slip_key,
      shipped: lines.filter((l) => shippedLines.has(l.line)),
      lines,
    };
  }
  if (lostTo !== undefined) {
    throw new Refusal(
      'conflict',
      `Request ${input.request_id} is being shipped by someone else: slip ${lostTo.shipment_id} is recorded in the parts ledger shipped on ${lostTo.shipped_date}; look at the request again before shipping`,
      `申请单 ${input.request_id} 正由他人发货：发货单 ${lostTo.shipment_id} 已按发货日期 ${lostTo.shipped_date} 记入台账；请先刷新申请单再发货`,
    );
  }
  throw new Refusal('conflict', `Request ${input.request_id} kept changing while it was shipped; try again`, `申请单 ${input.request_id} 正被他人同时修改，请重试`);
}

function nothingToShip(request: MaterialRequest, paid: (invoice_no: string) => boolean): Refusal {
  const unpaid = request.lines.filter((l) => lineState(l, paid) === 'awaiting_payment');
  if (unpaid.length > 0) {
    const which = unpaid.map((l) => `line ${l.line} (form ${l.decision!.invoice_no ?? 'not made'})`).join(', ');
    const whichZh = unpaid.map((l) => `第 ${l.line} 行（费用单 ${l.decision!.invoice_no ?? '未生成'}）`).join('、');
    return new Refusal('conflict', `Nothing of request ${request.request_id} may ship: charged ${which} not paid yet; charged parts ship only once paid`, `申请单 ${request.request_id} 暂无可发货的行：收费的${whichZh}尚未付款，先付款后发料`);
  }
  return new Refusal('conflict', `Nothing of request ${request.request_id} is approved and waiting to ship`, `申请单 ${request.request_id} 没有已批准待发货的行`);
}
