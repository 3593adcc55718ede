/**
 * The after-sales department's decision on one request line (审核): approve as proposed, as
 * another kind, or reject; who and when recorded. Approving a charged line makes its `sale`
 * fee form at the cost price of the approval date (先付款后发料).
 */
import { Refusal } from '../access.js';
import { businessDateOf, periodOf } from '../../domain/dates.js';
import { buildInvoice } from '../../domain/invoice.js';
import { partUnitsOf, type MasterData } from '../../domain/master.js';
import { formatYuan } from '../../domain/money.js';
import { priceListFrom } from '../../domain/reconciliation.js';
import { decisionProblem, lineState, requestLineJson, type DecisionInput, type LineDecision, type MaterialRequest, type RequestLine, type RequestLineJson } from '../../domain/request.js';
import { XLSX_CONTENT_TYPE } from '../../sheets/content-type.js';
import type { StoredInvoice } from '../ports.js';
import { invoiceWorkbookKey } from '../reconcile.js';
import { findRequest, lineNotices, paidIn, RequestInputError, saleForms } from './common.js';
import type { RequestDeps } from './deps.js';

export interface DecideInput {
  readonly request_id: string;
  /** Tells apart two dealers' requests of the same id. */
  readonly dealer?: string;
  readonly line: number;
  readonly decision: DecisionInput;
  /** Who decides: the signed-in user, or the operator of the command line. */
  readonly by: string;
  /** false when the decider may not grant a special approval (特批: a manager's alone); undefined for the operator. */
  readonly mayGrantSpecialApproval?: boolean;
}

export interface DecideOutcome {
  readonly request_id: string;
  readonly dealer: string;
  readonly line: RequestLineJson;
  /** The sale form an approved charged line made. */
  readonly invoice: { readonly invoice_no: string; readonly total: string; readonly status: string } | null;
}

/** Attempts when other lines of the same request are decided at the same moment. */
const SAVE_ATTEMPTS = 5;
const STALE_RETRIES = 5;

/** Decides one line; a line already decided, or decided by someone else at the same moment, is refused (409). */
export async function decideRequestLine(deps: RequestDeps, input: DecideInput): Promise<DecideOutcome> {
  const master = await deps.master.load();
  const at = deps.clock.now();
  const today = businessDateOf(at, deps.config.businessTimeZone);
  for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
    const request = await findRequest(deps, input.request_id, input.dealer);
    const line = lineOf(request, input.line);
    let decided: RequestLine;
    if (line.decision === null) {
      decided = { ...line, decision: decisionOf(master, line, input, at.toISOString(), today) };
      if ((await deps.requests.save(withLine(request, decided))) === 'conflict') continue;
    } else if (awaitsItsSaleForm(line) && at.getTime() - Date.parse(line.decision.at) > UNFINISHED_AFTER_MS) {
      // An approval whose sale form a crash kept from being recorded: deciding again finishes it.
      decided = line;
    } else {
      throw alreadyDecided(request, line);
    }
    const invoice = awaitsItsSaleForm(decided) ? await makeSaleForm(deps, master, request, decided, today) : null;
    const now = (await deps.requests.find(request.dealer_code, request.request_id)) ?? request;
    const after = lineOf(now, input.line);
    const paid = paidIn(await saleForms(deps, [now]));
    // One message per request decided (issue 25): the dealer is told once no line waits for a decision, every line's outcome in it.
    const lines = lineNotices(now, paid);
    if (!lines.some((l) => l.state === 'proposed')) await deps.notices?.tell({ kind: 'request_decided', dealer: request.dealer_code, request_id: request.request_id, lines });
    return {
      request_id: request.request_id,
      dealer: request.dealer_code,
      line: requestLineJson(after, lineState(after, paid), 'back_office'),
      invoice: invoice === null ? null : { invoice_no: invoice.invoice_no, total: formatYuan(invoice.total), status: invoice.status },
    };
  }
  throw new Refusal('conflict', `Request ${input.request_id} kept changing while it was decided; try again`, `申请单 ${input.request_id} 正被他人同时修改，请重试`);
}

function lineOf(request: MaterialRequest, n: number): RequestLine {
  const line = request.lines.find((l) => l.line === n);
  if (line === undefined) {
    throw new Refusal('not_found', `Request ${request.request_id} has no line ${n} (it has lines 1 to ${request.lines.length})`, `申请单 ${request.request_id} 没有第 ${n} 行（共 ${request.lines.length} 行）`);
  }
  return line;
}

const withLine = (request: MaterialRequest, line: RequestLine): MaterialRequest => ({
  ...request,
  lines: request.lines.map((l) => (l.line === line.line ? line : l)),
});

/**
 * How long an approval may take to make its sale form before a new decision on the line takes
 * it for one a crash stopped (it takes seconds): sooner, the line is being decided by someone else.
 */
const UNFINISHED_AFTER_MS = 5 * 60_000;

/** An approved charged line whose sale form is not recorded on it yet. */
const awaitsItsSaleForm = (line: RequestLine): boolean =>
  line.decision?.outcome === 'approved' && line.decision.kind === 'charged' && line.decision.invoice_no === null;

function alreadyDecided(request: MaterialRequest, line: RequestLine): Refusal {
  const d = line.decision!;
  return new Refusal(
    'conflict',
    `Line ${line.line} of request ${request.request_id} was already ${d.outcome} by ${d.by} at ${d.at}; a decision is taken once`,
    `申请单 ${request.request_id} 第 ${line.line} 行已由 ${d.by} 于 ${d.at} ${d.outcome === 'approved' ? '批准' : '驳回'}，不能重复审核`,
  );
}

function decisionOf(master: MasterData, line: RequestLine, input: DecideInput, at: string, today: string): LineDecision {
  const problem = decisionProblem(line, input.decision);
  if (problem === 'reason_required') {
    throw new RequestInputError('reason_required', 'A rejection, and an approval as another kind than proposed, need a reason (--reason)', '驳回或改变发料类型的批准须填写理由（--reason）');
  }
  if (problem === 'return_required_missing') {
    throw new RequestInputError(
      'return_required_missing',
      `Line ${line.line}: a special approval must say whether the old part comes back (--return-required yes or no; return_required in the API); there is no default`,
      `第 ${line.line} 行：特批须说明旧件是否需要退回（--return-required yes 或 no；API 中为 return_required），没有默认值`,
    );
  }
  const reason = input.decision.reason?.trim() || null;
  if (input.decision.outcome === 'rejected') {
    return { outcome: 'rejected', kind: null, return_required: null, reason, by: input.by, at, invoice_no: null, unit_price: null };
  }
  const kind = input.decision.kind ?? line.proposal.kind;
  if (kind === 'special_approval' && input.mayGrantSpecialApproval === false) {
    throw new Refusal('forbidden', 'A special approval (特批) is granted by a manager only (at the command line: --manager NAME)', '特批只能由上级领导批准（命令行：--manager 姓名）', { action: 'grant_special_approval', reason: 'role' });
  }
  const unit_price = kind === 'charged' ? (priceListFrom(master.parts).costOn(line.part_code, today) ?? null) : null;
  if (kind === 'charged' && unit_price === null) {
    throw new RequestInputError('no_price', `Part ${line.part_code} has no cost price in force on ${today}; add one to the price list first`, `配件 ${line.part_code} 在 ${today} 没有有效成本价，请先补充价目表`);
  }
  const return_required = kind === 'special_approval' ? (input.decision.return_required ?? null) : null;
  return { outcome: 'approved', kind, return_required, reason, by: input.by, at, invoice_no: null, unit_price };
}

/**
 * The `sale` form of an approved charged line, in the period of the approval date and the same
 * gapless numbering as every other form; its number is then recorded on the line.
 */
async function makeSaleForm(deps: RequestDeps, master: MasterData, request: MaterialRequest, line: RequestLine, today: string): Promise<StoredInvoice> {
  const dealer = master.dealers.get(request.dealer_code);
  const decision = line.decision!;
  const period = periodOf(today);
  const request_line = `${request.request_id}#${line.line}`;
  let invoice: StoredInvoice | undefined;
  for (let attempt = 0; attempt < STALE_RETRIES && invoice === undefined; attempt++) {
    const state = await deps.invoices.chargeState(request.dealer_code);
    // Made already by an approval that stopped before recording it on the line (a voided one reopened the line: a new decision makes a new form).
    invoice = state.invoices.find((form) => form.kind === 'sale' && form.request_line === request_line && form.status !== 'void');
    if (invoice !== undefined) break;
    const created = await deps.invoices.create(request.dealer_code, period, state.version, (invoice_no) => ({
      ...buildInvoice({
        invoice_no,
        kind: 'sale',
        dealer: { code: request.dealer_code, name: dealer?.dealer_name ?? request.dealer_code, payment_method: dealer?.payment_method ?? '' },
        period,
        issued_on: today,
        tax_invoice_now: false,
        lines: [{
          part_code: line.part_code,
          part_name: master.parts.get(line.part_code)?.at(-1)?.part_name ?? line.part_code,
          qty: line.qty,
          unit_price: decision.unit_price!,
          reason: 'other',
          lot: null,
          note: `Material request ${request.request_id} line ${line.line}${line.repair_id === null ? '' : `, repair ${line.repair_id}`}${line.serial_no === null ? '' : `, serial ${line.serial_no}`} / 发料申请 ${request.request_id} 第 ${line.line} 行`,
        }],
      }),
      as_of: today,
      workbook_key: null,
      request_line,
    }));
    if (created.status === 'created') invoice = created.invoice;
  }
  if (invoice === undefined) throw new Error(`dealer ${request.dealer_code}: its forms kept changing while the sale form of request ${request.request_id} was made; decide again`);
  if (invoice.workbook_key === null) {
    const key = invoiceWorkbookKey(invoice);
    await deps.blobs.put('invoices', key, await deps.renderInvoice(invoice, { partUnits: partUnitsOf(master.parts) }), XLSX_CONTENT_TYPE);
    await deps.invoices.setWorkbook(invoice, key);
  }
  await recordInvoiceNo(deps, request, line.line, invoice.invoice_no);
  return invoice;
}

async function recordInvoiceNo(deps: RequestDeps, request: MaterialRequest, n: number, invoice_no: string): Promise<void> {
  for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
    const current = (await deps.requests.find(request.dealer_code, request.request_id)) ?? request;
    const line = lineOf(current, n);
    if ((await deps.requests.save(withLine(current, { ...line, decision: { ...line.decision!, invoice_no } }))) === 'updated') return;
  }
  throw new Error(`request ${request.request_id}: the number of its sale form ${invoice_no} could not be recorded on line ${n}`);
}
