/**
 * Disputes and the manager's queue (shared/domain/disputes.ts): a dealer disputes a charged
 * line of one of its issued forms; the manager (上级领导) decides. A waiver credits the line by
 * a credit note through the period's forms (shared/app/finance/forms.ts) and the receivables
 * journal reads it in like every other credit note: there is no second money total.
 */
import type { Caller } from '../../domain/access.js';
import { listScope } from '../../domain/access.js';
import type { BackOfficeConfig } from '../../config.js';
import { businessDateOf, periodOf } from '../../domain/dates.js';
import { decideDispute, DEFAULT_DISPUTE_DAYS, isOverdue, raiseDispute, waiverCreditLine, type Dispute, type DisputeDecision, type DisputeProblem } from '../../domain/disputes.js';
import { authorize, forbidden, Refusal } from '../access.js';
import type { DisputeStore, StoredInvoice } from '../ports.js';
import { findInvoice } from '../invoices.js';
import { renderForm, type FormDeps } from '../finance/form-life.js';
import { lifeOf } from '../../domain/invoice.js';
import { dealerBooks } from '../finance/journal.js';
import { writeToPeriodForms } from '../finance/forms.js';
import { businessNow } from './time.js';

export interface DisputeDeps extends FormDeps {
  readonly disputes: DisputeStore;
  readonly config: Pick<BackOfficeConfig, 'businessTimeZone' | 'disputeDeadlineDays'>;
}

export type DisputeResult = { readonly status: 'raised' | 'decided'; readonly dispute: DisputeJson } | { readonly status: 'rejected'; readonly errors: readonly DisputeProblem[] };

export type DisputeJson = Dispute & { readonly overdue: boolean };

const todayOf = (deps: Pick<DisputeDeps, 'clock' | 'config'>): string => businessDateOf(deps.clock.now(), deps.config.businessTimeZone);
const nowOf = (deps: Pick<DisputeDeps, 'clock' | 'config'>): string => businessNow(deps.clock.now(), deps.config.businessTimeZone);
const withOverdue = (dispute: Dispute, today: string): DisputeJson => ({ ...dispute, overdue: isOverdue(dispute, today) });

/** A dealer disputes line `line` of its form `invoiceNo` with a reason; it goes to the manager's queue with a deadline. */
export async function raiseFormDispute(deps: DisputeDeps, caller: Caller, invoiceNo: string, line: number, reason: string): Promise<DisputeResult> {
  const form = await findInvoice(deps, caller, invoiceNo, 'raise_disputes');
  const before = await deps.disputes.find(form.dealer.code, invoiceNo, line);
  const raised = raiseDispute(form, line, reason, before !== undefined, caller.subject, nowOf(deps), deps.config.disputeDeadlineDays ?? DEFAULT_DISPUTE_DAYS);
  if ('problems' in raised) return { status: 'rejected', errors: raised.problems };
  if ((await deps.disputes.create(raised.dispute)) === 'exists') {
    throw new Refusal('conflict', `Line ${line} of form ${invoiceNo} was disputed meanwhile`, `收费单 ${invoiceNo} 第 ${line} 行刚被提出异议`);
  }
  const { dispute } = raised;
  await deps.notices?.tell({ kind: 'dispute_raised', dealer: dispute.dealer, invoice_no: dispute.invoice_no, line: dispute.line, part_code: dispute.part_code, qty: dispute.qty, amount: dispute.amount, reason: dispute.reason, due_date: dispute.due_date });
  return { status: 'raised', dispute: withOverdue(dispute, todayOf(deps)) };
}

/** The disputes the caller may see, oldest first, each marked overdue or not as of today: a dealer its own; the manager, the department and finance every dealer's. */
export async function disputeList(deps: Pick<DisputeDeps, 'disputes' | 'clock' | 'config'>, caller: Caller, filter: { readonly dealer?: string; readonly open?: boolean } = {}): Promise<DisputeJson[]> {
  const scope = listScope(caller, 'read_disputes', filter.dealer);
  if (scope === null) throw forbidden('read_disputes', filter.dealer === undefined ? 'role' : 'dealer', filter.dealer);
  const today = todayOf(deps);
  return (await deps.disputes.list(scope.dealer)).filter((d) => filter.open !== true || d.status === 'open').map((d) => withOverdue(d, today));
}

/** Attempts at the credit note when the dealer's charges keep changing under it. */
const CREDIT_ATTEMPTS = 5;

/**
 * The manager decides a dispute: upheld, or waived with the line credited by a credit note.
 * The decision is claimed first on the version read (of two managers at once, one decides and
 * the other is told), then the credit note written; a waiver whose credit note did not get
 * written (the process stopped between) is completed by deciding it again.
 */
export async function decideFormDispute(deps: DisputeDeps, caller: Caller, key: { readonly dealer: string; readonly invoice_no: string; readonly line: number }, decision: DisputeDecision, reason: string): Promise<DisputeResult> {
  authorize(caller, 'decide_escalations');
  const current = await deps.disputes.find(key.dealer, key.invoice_no, key.line);
  if (current === undefined) throw new Refusal('not_found', `No dispute of ${key.invoice_no} line ${key.line} by ${key.dealer}`, `经销商 ${key.dealer} 没有对 ${key.invoice_no} 第 ${key.line} 行提出异议`);
  let decided = current;
  const unfinishedWaiver = current.status === 'waived' && current.decision?.credit_note === null && decision === 'waive';
  if (!unfinishedWaiver) {
    const applied = decideDispute(current, decision, reason, caller.subject, nowOf(deps));
    if ('problems' in applied) return { status: 'rejected', errors: applied.problems };
    if ((await deps.disputes.replace(applied.dispute)) === 'conflict') {
      throw new Refusal('conflict', `The dispute of ${key.invoice_no} line ${key.line} was decided by someone else meanwhile; read it again`, `${key.invoice_no} 第 ${key.line} 行的异议已被他人同时裁定，请重新读取`);
    }
    decided = applied.dispute;
  }
  if (decided.status === 'waived') {
    const note = await creditWaiver(deps, caller, decided);
    if (note !== null) {
      const completed: Dispute = { ...decided, decision: { ...decided.decision!, credit_note: note.invoice_no }, version: decided.version + 1 };
      if ((await deps.disputes.replace(completed)) === 'conflict') throw new Error(`dispute ${key.invoice_no}#${key.line} changed while its credit note was written`);
      decided = completed;
    }
  }
  if (decided.status !== 'open' && decided.decision !== null) {
    await deps.notices?.tell({ kind: 'dispute_decided', dealer: decided.dealer, invoice_no: decided.invoice_no, line: decided.line, decision: decided.status, reason: decided.decision.reason, credit_note: decided.decision.credit_note });
  }
  return { status: 'decided', dispute: withOverdue(decided, todayOf(deps)) };
}

/**
 * The credit note of a waived line on the current period's forms, or the one a first attempt
 * already wrote; none (null) when the form was voided after the dispute was raised: a void form
 * charges nothing, so a credit note would credit the dealer money it never owed.
 */
async function creditWaiver(deps: DisputeDeps, caller: Caller, dispute: Dispute): Promise<StoredInvoice | null> {
  const decisionReason = dispute.decision?.reason ?? '';
  for (let attempt = 0; attempt < CREDIT_ATTEMPTS; attempt++) {
    const state = await deps.invoices.chargeState(dispute.dealer);
    const form = state.invoices.find((i) => i.invoice_no === dispute.invoice_no);
    if (form === undefined) throw new Error(`form ${dispute.invoice_no} of a dispute is gone`);
    if (lifeOf(form) === 'void') return null;
    const credit = waiverCreditLine(form, dispute, decisionReason);
    const written = state.invoices.find((i) => i.kind === 'credit_note' && i.corrects === form.invoice_no && i.lines.some((l) => l.reason === 'other' && l.note === credit.note));
    if (written !== undefined) return written;
    const today = todayOf(deps);
    const outcome = await writeToPeriodForms(deps.invoices, state, { dealer: form.dealer, period: periodOf(today), as_of: today, by: caller.subject, at: deps.clock.now().toISOString() }, [], [credit]);
    if (outcome.status === 'stale') continue;
    const [note] = outcome.forms;
    if (note === undefined) throw new Error('a waiver wrote no credit note');
    return renderForm(deps, note, await dealerBooks(deps, dispute.dealer));
  }
  throw new Refusal('conflict', `The charges of dealer ${dispute.dealer} kept changing; decide again to write the credit note`, `经销商 ${dispute.dealer} 的收费不断变化，请再次裁定以开出红字冲销单`);
}
