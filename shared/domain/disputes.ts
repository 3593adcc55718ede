/**
 * Escalation (domain.md, "Escalation"; the seed's 不接受则上报上级领导): a dealer that does
 * not accept a charged line of a fee form disputes it with a reason; the dispute goes to the
 * manager's queue (上级领导) with a deadline, and the manager decides — upheld, or waived — with
 * who, when and why kept.
 *
 * Decisions the domain leaves open, taken here:
 * - **What may be disputed:** a charge line (positive quantity) of an issued form of the
 *   dealer's own, not a draft (not yet sent to the dealer, amended freely), not a void form
 *   (nothing is owed), not a credit note (it lowers what is owed).
 * - **Once per line:** a line is disputed once; a decided dispute is final (the manager was the
 *   last level), so a second dispute of the same line is refused.
 * - **Deadline:** the business date the dispute was raised + the configured days; an open
 *   dispute after its deadline is overdue.
 * - **Waive:** the line's whole amount is credited by a credit note naming the form (the
 *   receivables journal's one credit path). The credit line is an `other` line, not a lot
 *   credit: the lot stays charged for the reconciliation, which would otherwise charge it again.
 *   A line of a form voided since the dispute was raised is waived with no credit note: the
 *   void form charges nothing, and a credit note would credit money never owed.
 */
import { addDays, compareDates, type IsoDate } from './dates.js';
import type { InvoiceLineInput, StoredForm } from './invoice.js';
import { lifeOf, type Invoice } from './invoice.js';
import { formatYuan } from './money.js';
import type { LocalDateTime } from './values.js';

export const DISPUTE_DECISIONS = ['uphold', 'waive'] as const;
export type DisputeDecision = (typeof DISPUTE_DECISIONS)[number];

/** Days the manager has to decide when none are configured. */
export const DEFAULT_DISPUTE_DAYS = 10;

/** The longest reason kept. */
export const MAX_REASON_LENGTH = 500;

export interface Dispute {
  readonly dealer: string;
  readonly invoice_no: string;
  /** The line's place on the form, from 1. */
  readonly line: number;
  readonly part_code: string;
  readonly qty: number;
  /** The line's amount, two places: what is at stake. */
  readonly amount: string;
  readonly reason: string;
  readonly raised_at: LocalDateTime;
  readonly raised_by: string;
  readonly due_date: IsoDate;
  readonly status: 'open' | 'upheld' | 'waived';
  readonly decision: {
    readonly by: string;
    readonly at: LocalDateTime;
    readonly reason: string;
    /** The credit note a waiver made. */
    readonly credit_note: string | null;
  } | null;
  /** 1 when raised, 2 once decided: the store writes on the version read. */
  readonly version: number;
}

/** Why a dispute or a decision was refused, in both languages, naming the field and the value. */
export interface DisputeProblem {
  readonly field: string;
  readonly value: string | null;
  readonly message: string;
  readonly message_zh: string;
}

const problem = (field: string, value: string | number | null, message: string, message_zh: string): DisputeProblem => ({
  field,
  value: value === null ? null : String(value),
  message: `${field}: ${message}`,
  message_zh: `${field}：${message_zh}`,
});

const checkReason = (reason: string): DisputeProblem | null => {
  const text = reason.trim();
  if (text === '') return problem('reason', reason, 'a reason is required', '必须填写理由');
  if (text.length > MAX_REASON_LENGTH) return problem('reason', `${text.slice(0, 40)}…`, `at most ${MAX_REASON_LENGTH} characters`, `最多 ${MAX_REASON_LENGTH} 个字`);
  return null;
};

/**
 * A dispute of line `line` (from 1) of `form`, raised now (pure), or every problem: a form not
 * issued, a credit note, a line that is not there or charges nothing, no reason, a line
 * disputed before.
 */
export function raiseDispute(
  form: Pick<Invoice, 'invoice_no' | 'kind' | 'status' | 'lines'> & { readonly dealer: { readonly code: string } },
  line: number,
  reason: string,
  disputedBefore: boolean,
  by: string,
  at: LocalDateTime,
  days: number,
): { readonly dispute: Dispute } | { readonly problems: readonly DisputeProblem[] } {
  const problems: DisputeProblem[] = [];
  const life = lifeOf(form);
  if (life !== 'issued') {
    problems.push(problem('invoice_no', form.invoice_no, `form ${form.invoice_no} is ${life}: only an issued form's charges may be disputed`, `收费单 ${form.invoice_no} 为${life === 'draft' ? '草稿' : '已作废'}：只能对已开出的收费单提出异议`));
  }
  if (form.kind === 'credit_note') problems.push(problem('invoice_no', form.invoice_no, `form ${form.invoice_no} is a credit note: it charges nothing`, `收费单 ${form.invoice_no} 是红字冲销单，没有收费`));
  const charged = form.lines[line - 1];
  if (!Number.isSafeInteger(line) || charged === undefined || charged.qty <= 0) {
    problems.push(problem('line', line, `form ${form.invoice_no} has no charged line ${line} (it has ${form.lines.length})`, `收费单 ${form.invoice_no} 没有第 ${line} 行收费（共 ${form.lines.length} 行）`));
  }
  const bad = checkReason(reason);
  if (bad !== null) problems.push(bad);
  if (disputedBefore) problems.push(problem('line', line, `line ${line} of form ${form.invoice_no} was disputed before; a decided dispute is final`, `收费单 ${form.invoice_no} 第 ${line} 行已提出过异议；异议裁定后不再受理`));
  if (problems.length > 0 || charged === undefined) return { problems };
  return {
    dispute: {
      dealer: form.dealer.code, invoice_no: form.invoice_no, line, part_code: charged.part_code, qty: charged.qty, amount: formatYuan(charged.amount),
      reason: reason.trim(), raised_at: at, raised_by: by, due_date: addDays(at.slice(0, 10), days), status: 'open', decision: null, version: 1,
    },
  };
}

/** The manager's decision on an open dispute (pure), or the problems: decided already, no reason. */
export function decideDispute(dispute: Dispute, decision: DisputeDecision, reason: string, by: string, at: LocalDateTime, creditNote: string | null = null): { readonly dispute: Dispute } | { readonly problems: readonly DisputeProblem[] } {
  const problems: DisputeProblem[] = [];
  if (dispute.status !== 'open') {
    problems.push(problem('decision', decision, `the dispute of ${dispute.invoice_no} line ${dispute.line} was ${dispute.status} by ${dispute.decision?.by ?? '?'} at ${dispute.decision?.at ?? '?'}: a decision is final`, `${dispute.invoice_no} 第 ${dispute.line} 行的异议已由 ${dispute.decision?.by ?? '?'} 于 ${dispute.decision?.at ?? '?'} 裁定，不能更改`));
  }
  const bad = checkReason(reason);
  if (bad !== null) problems.push(bad);
  if (problems.length > 0) return { problems };
  return { dispute: { ...dispute, status: decision === 'uphold' ? 'upheld' : 'waived', decision: { by, at, reason: reason.trim(), credit_note: creditNote }, version: dispute.version + 1 } };
}

/** Whether an open dispute is past its deadline on business date `today`. */
export const isOverdue = (dispute: Pick<Dispute, 'status' | 'due_date'>, today: IsoDate): boolean => dispute.status === 'open' && compareDates(today, dispute.due_date) > 0;

/**
 * The credit note line that waives a disputed line: the line's quantity back at its price, as
 * an `other` line naming the dispute (the lot stays charged; see the module's note), and the
 * form it corrects.
 */
export function waiverCreditLine(form: Pick<StoredForm, 'invoice_no' | 'lines'>, dispute: Pick<Dispute, 'line' | 'reason'>, decisionReason: string): Extract<InvoiceLineInput, { readonly reason: 'other' }> & { readonly corrects: string } {
  const charged = form.lines[dispute.line - 1];
  if (charged === undefined) throw new RangeError(`form ${form.invoice_no} has no line ${dispute.line}`);
  return {
    part_code: charged.part_code,
    part_name: charged.part_name,
    qty: -charged.qty,
    unit_price: charged.unit_price,
    reason: 'other',
    lot: null,
    note: `waived on dispute of ${form.invoice_no} line ${dispute.line}: ${decisionReason} / 异议豁免 ${form.invoice_no} 第 ${dispute.line} 行：${decisionReason}`,
    corrects: form.invoice_no,
  };
}
