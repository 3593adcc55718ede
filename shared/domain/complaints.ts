/**
 * Customer complaints (客户投诉), recorded by the after-sales department from the complaint
 * workbook (投诉登记), the portal form or the command line: the rules of domain.md,
 * "Complaints and service quality", and what an upload of them must satisfy.
 *
 * A complaint is recorded when it is received; its life comes later, one step at a time, each
 * kept in its history with who and when: the first reply, the investigation, the fault decision
 * (确属服务责任, with a reason, revisable), the action, compensation (赔偿), the resolution, the
 * follow-up call (回访: due date, date done, outcome) and closing.
 *
 * Decisions the domain leaves open, taken here:
 * - **A complaint id is used once.** A row whose id is already recorded with the same receipt
 *   facts (received at, dealer, customer, phone, product, category) fills in what the register
 *   still lacks (fault, action, reply, resolution, follow-up) and changes nothing already filled
 *   in: a revision is a step with a reason (`complaints update`), never a silent overwrite by a
 *   workbook. The same id with other receipt facts, or another value where one is recorded, is
 *   refused.
 * - **States** follow the steps: `received`, `replied` (first reply given), `resolved`,
 *   `followed_up` (follow-up call done), `closed`.
 * - **Overdue** (each step on its own, as of a time, on the business zone's wall clock): the
 *   first reply later than 24 hours after receipt (or missing past it); the resolution later
 *   than the department's open limit (default 7 days, configuration); the follow-up call later
 *   than its due date, which is the date set or else the resolution's date + 7 days. A late step
 *   stays late once done (it is a breach on the scorecard) but is no longer a task; a closed
 *   complaint is late in nothing.
 * - A follow-up call comes after the resolution, so a follow-up date needs a resolution on or
 *   before it. A serial number is only meaningful with its model, so one needs the other.
 */
import { addDays, compareDates, isValidDate, type IsoDate } from './dates.js';
import { COMPLAINT_FIELDS, type FieldSpec } from './fields.js';
import { secondsBetween } from './kpi.js';
import { formatYuan, parseYuan } from './money.js';
import { createTableValidator, fieldNamed, isOneOf, must, type RowReader, type RowRules, type TableValidator } from './table-validation.js';
import { dateOf, type LocalDateTime } from './values.js';

export const COMPLAINT_CATEGORY_CODES = ['timeliness', 'attitude', 'repair_quality', 'product_quality', 'charges', 'other'] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORY_CODES)[number];

export const COMPLAINT_STATES = ['received', 'replied', 'resolved', 'followed_up', 'closed'] as const;
export type ComplaintState = (typeof COMPLAINT_STATES)[number];

/** One change to a complaint, as `complaints show` lists it. */
export interface ComplaintChange {
  /** When, on the business zone's wall clock. */
  readonly at: LocalDateTime;
  /** Who: the signed-in user's subject, or `cli`. */
  readonly by: string;
  readonly field: string;
  readonly from: string | boolean | null;
  readonly to: string | boolean | null;
  readonly reason: string | null;
}

export interface Complaint {
  readonly complaint_id: string;
  readonly received_at: LocalDateTime;
  readonly dealer_code: string;
  readonly customer_name: string;
  readonly phone: string;
  readonly product_model: string | null;
  readonly serial_no: string | null;
  readonly category: ComplaintCategory;
  /** 确属服务责任: decided by the department (null until decided); only `true` counts in a dealer's complaint rate. */
  readonly service_fault: boolean | null;
  /** Why the fault was decided as it was (the latest decision's reason). */
  readonly fault_reason: string | null;
  /** What the investigation found. */
  readonly investigation: string | null;
  readonly action_taken: string | null;
  /** 赔偿, yuan with two places ("200.00"); null when none. */
  readonly compensation: string | null;
  readonly first_reply_at: LocalDateTime | null;
  readonly resolved_at: LocalDateTime | null;
  /** When the follow-up call is due; null: the resolution's date + DEFAULT_FOLLOW_UP_DAYS. */
  readonly follow_up_due: IsoDate | null;
  readonly follow_up_date: IsoDate | null;
  readonly follow_up_outcome: string | null;
  readonly closed_at: LocalDateTime | null;
  /** Every change after receipt, oldest first. */
  readonly history: readonly ComplaintChange[];
  /** 1 when recorded, one more with each change; what a conditional write compares. */
  readonly version: number;
}

/** The first reply is due within this many hours of the complaint. */
export const FIRST_REPLY_HOURS = 24;
/** A complaint open longer than this many days is overdue, unless the department configures another limit. */
export const DEFAULT_OPEN_LIMIT_DAYS = 7;
/** The follow-up call is due this many days after the resolution, unless a due date is set. */
export const DEFAULT_FOLLOW_UP_DAYS = 7;

/** What a complaint recorded before its life was tracked lacks, filled in as "not yet": every stored complaint reads into today's shape. */
export function complaintFromStore(item: Record<string, unknown>): Complaint {
  const text = (name: string): string | null => (typeof item[name] === 'string' ? (item[name] as string) : null);
  return {
    complaint_id: String(item.complaint_id),
    received_at: String(item.received_at),
    dealer_code: String(item.dealer_code),
    customer_name: String(item.customer_name),
    phone: String(item.phone),
    product_model: text('product_model'),
    serial_no: text('serial_no'),
    category: item.category as ComplaintCategory,
    service_fault: typeof item.service_fault === 'boolean' ? item.service_fault : null,
    fault_reason: text('fault_reason'),
    investigation: text('investigation'),
    action_taken: text('action_taken'),
    compensation: text('compensation'),
    first_reply_at: text('first_reply_at'),
    resolved_at: text('resolved_at'),
    follow_up_due: text('follow_up_due'),
    follow_up_date: text('follow_up_date'),
    follow_up_outcome: text('follow_up_outcome'),
    closed_at: text('closed_at'),
    history: Array.isArray(item.history) ? (item.history as ComplaintChange[]) : [],
    version: typeof item.version === 'number' ? item.version : 1,
  };
}

/** The facts of the complaint as received; a recorded complaint never changes them. */
const RECEIPT = ['received_at', 'dealer_code', 'customer_name', 'phone', 'product_model', 'serial_no', 'category'] as const;
/** What a workbook row may fill in where the register has nothing yet. */
const FILLABLE = ['service_fault', 'action_taken', 'first_reply_at', 'resolved_at', 'follow_up_date', 'follow_up_outcome'] as const;

/** What a row does to the complaint recorded under its id: nothing new, fills in its progress, or contradicts it. */
export type ComplaintMerge = { readonly outcome: 'new' | 'same' | 'progress'; readonly complaint: Complaint } | { readonly outcome: 'conflict'; readonly differs: readonly string[] };

/** Compares a row with the complaint recorded under its id (see the module's rules); what it fills in is kept in the history as done `by` someone `at` a time. */
export function mergeComplaint(recorded: Complaint | undefined, incoming: Complaint, by = 'import', at: LocalDateTime = incoming.received_at): ComplaintMerge {
  if (recorded === undefined) return { outcome: 'new', complaint: incoming };
  const differs: string[] = RECEIPT.filter((name) => recorded[name] !== incoming[name]);
  differs.push(...FILLABLE.filter((name) => recorded[name] !== null && incoming[name] !== null && recorded[name] !== incoming[name]));
  if (differs.length > 0) return { outcome: 'conflict', differs };
  const filled = FILLABLE.filter((name) => recorded[name] === null && incoming[name] !== null);
  if (filled.length === 0) return { outcome: 'same', complaint: recorded };
  const changes = filled.map((name): ComplaintChange => ({ at, by, field: name, from: null, to: incoming[name], reason: null }));
  return { outcome: 'progress', complaint: { ...recorded, ...Object.fromEntries(filled.map((name) => [name, incoming[name]])), history: [...recorded.history, ...changes] } };
}

/** The order complaints are listed in: dealer, time received, id. */
export const byDealerAndTime = (a: Complaint, b: Complaint): number =>
  a.dealer_code.localeCompare(b.dealer_code) || a.received_at.localeCompare(b.received_at) || a.complaint_id.localeCompare(b.complaint_id);

/** A recorded complaint as a conflict message quotes it. */
export const describeComplaint = (c: Complaint): string =>
  `${c.received_at.replace('T', ' ').slice(0, 16)} ${c.dealer_code} ${c.customer_name} ${c.category}${c.service_fault === true ? ' service fault' : ''}`;

/** Where a complaint is in its life. */
export function complaintState(c: Complaint): ComplaintState {
  if (c.closed_at !== null) return 'closed';
  if (c.follow_up_date !== null) return 'followed_up';
  if (c.resolved_at !== null) return 'resolved';
  if (c.first_reply_at !== null) return 'replied';
  return 'received';
}

/** The steps that may be late. */
export const OVERDUE_STEPS = ['first_reply', 'resolution', 'follow_up'] as const;
export type OverdueStep = (typeof OVERDUE_STEPS)[number];

/** A late step as notices and workbooks name it. */
export const OVERDUE_STEP_NAMES: Readonly<Record<OverdueStep, { readonly en: string; readonly zh: string }>> = {
  first_reply: { en: 'first reply', zh: '首次答复' },
  resolution: { en: 'resolution', zh: '解决' },
  follow_up: { en: 'follow-up call', zh: '回访' },
};

/** One late step: when it was due and whether it is done (late) or still to do (a task). */
export interface LateStep {
  readonly step: OverdueStep;
  readonly due: LocalDateTime;
  readonly done: boolean;
}

/** The limits overdue is measured against. */
export interface OverdueLimits {
  readonly openLimitDays: number;
}

/** When the follow-up call is due: the date set, or the resolution's date + 7 days; null before the resolution. */
export const followUpDue = (c: Complaint): IsoDate | null =>
  c.follow_up_due ?? (c.resolved_at === null ? null : addDays(dateOf(c.resolved_at), DEFAULT_FOLLOW_UP_DAYS));

/** The steps of one complaint that are late as of `now` (see the module's rules); none once closed. */
export function lateSteps(c: Complaint, now: LocalDateTime, limits: OverdueLimits): LateStep[] {
  if (c.closed_at !== null) return [];
  const late: LateStep[] = [];
  const replyDue = addSeconds(c.received_at, FIRST_REPLY_HOURS * 3600);
  const reply = c.first_reply_at ?? now;
  if (secondsBetween(replyDue, reply) > 0) late.push({ step: 'first_reply', due: replyDue, done: c.first_reply_at !== null });
  const resolutionDue = addSeconds(c.received_at, limits.openLimitDays * 86_400);
  const resolved = c.resolved_at ?? now;
  if (secondsBetween(resolutionDue, resolved) > 0) late.push({ step: 'resolution', due: resolutionDue, done: c.resolved_at !== null });
  const followDue = followUpDue(c);
  if (followDue !== null) {
    const followed = c.follow_up_date ?? dateOf(now);
    if (compareDates(followed, followDue) > 0) late.push({ step: 'follow_up', due: `${followDue}T23:59:59`, done: c.follow_up_date !== null });
  }
  return late;
}

/** `at` + whole seconds, on the wall clock. */
function addSeconds(at: LocalDateTime, seconds: number): LocalDateTime {
  const total = Number(at.slice(11, 13)) * 3600 + Number(at.slice(14, 16)) * 60 + Number(at.slice(17, 19) || 0) + seconds;
  const days = Math.floor(total / 86_400);
  const rest = total - days * 86_400;
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${addDays(dateOf(at), days)}T${two(Math.floor(rest / 3600))}:${two(Math.floor((rest % 3600) / 60))}:${two(rest % 60)}`;
}

/** A complaint with what is late about it. */
export interface OverdueComplaint {
  readonly complaint: Complaint;
  readonly late: readonly LateStep[];
  /** Whole hours from receipt to the first reply (or to now, unanswered). */
  readonly reply_hours: number;
  /** Whole days open as of `now` (unresolved), or to the resolution. */
  readonly open_days: number;
}

/** The complaints with any late step as of `now` (the business zone's wall clock), oldest first. */
export function overdueComplaints(complaints: Iterable<Complaint>, now: LocalDateTime, openLimitDays = DEFAULT_OPEN_LIMIT_DAYS): OverdueComplaint[] {
  const overdue: OverdueComplaint[] = [];
  for (const complaint of complaints) {
    const late = lateSteps(complaint, now, { openLimitDays });
    if (late.length === 0) continue;
    overdue.push({
      complaint,
      late,
      reply_hours: Math.floor(secondsBetween(complaint.received_at, complaint.first_reply_at ?? now) / 3600),
      open_days: Math.floor(secondsBetween(complaint.received_at, complaint.resolved_at ?? now) / 86_400),
    });
  }
  return overdue.sort((a, b) => a.complaint.received_at.localeCompare(b.complaint.received_at) || a.complaint.complaint_id.localeCompare(b.complaint.complaint_id));
}

/** One step of a complaint's life, as `complaints update` and the portal give it; only what is given changes. */
export interface ComplaintStep {
  readonly first_reply_at?: LocalDateTime;
  readonly investigation?: string;
  readonly service_fault?: boolean;
  /** Required with a fault decision. */
  readonly reason?: string;
  readonly action_taken?: string;
  /** Yuan with at most two places. */
  readonly compensation?: string;
  readonly resolved_at?: LocalDateTime;
  readonly follow_up_due?: IsoDate;
  readonly follow_up_date?: IsoDate;
  readonly follow_up_outcome?: string;
  readonly close?: boolean;
}

/** Why a step was refused, naming the field and the value, in both languages. */
export interface StepProblem {
  readonly field: string;
  readonly value: string | null;
  readonly message: string;
  readonly message_zh: string;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/** A wall-clock date-time as stored ('YYYY-MM-DDTHH:mm:ss'), or undefined when `text` is not one. */
export function localDateTime(text: string): LocalDateTime | undefined {
  const t = text.trim().replace(' ', 'T');
  if (!DATE_TIME.test(t) || !isValidDate(t.slice(0, 10))) return undefined;
  const [h, m, s = 0] = t.slice(11).split(':').map(Number) as [number, number, number?];
  if (h > 23 || m > 59 || s > 59) return undefined;
  return t.length === 16 ? `${t}:00` : t;
}

/**
 * Applies one step to a complaint (pure): every change goes into the history with `by` and
 * `at`, and the version moves on. Refused with every problem when a value is malformed, out of
 * order (a reply before receipt, a follow-up before the resolution), a filled-in time or the
 * follow-up would be overwritten, a fault decision comes without its reason, or the complaint
 * is closed.
 */
export function applyComplaintStep(c: Complaint, step: ComplaintStep, by: string, at: LocalDateTime): { readonly complaint: Complaint } | { readonly problems: readonly StepProblem[] } {
  const problems: StepProblem[] = [];
  const problem = (field: string, value: string | null, message: string, message_zh: string): void => {
    problems.push({ field, value, message: `${field}: ${message}`, message_zh: `${field}：${message_zh}` });
  };
  if (c.closed_at !== null) problem('complaint_id', c.complaint_id, `complaint ${c.complaint_id} is closed; nothing more may change`, `投诉 ${c.complaint_id} 已关闭，不能再修改`);
  const next: Record<string, unknown> = { ...c };
  const changes: ComplaintChange[] = [];
  const set = (field: keyof Complaint, to: string | boolean | null, reason: string | null = null): void => {
    const from = c[field] as string | boolean | null;
    if (from === to) return;
    next[field] = to;
    changes.push({ at, by, field, from, to, reason });
  };
  const onceOnly = (field: 'first_reply_at' | 'resolved_at' | 'follow_up_date', value: string): boolean => {
    if (c[field] === null || c[field] === value) return true;
    problem(field, value, `already recorded as ${c[field]}; a recorded time is not changed`, `已登记为 ${c[field]}，已登记的时间不能更改`);
    return false;
  };
  const time = (field: 'first_reply_at' | 'resolved_at', text: string | undefined): LocalDateTime | undefined => {
    if (text === undefined) return undefined;
    const value = localDateTime(text);
    if (value === undefined) problem(field, text, 'not a date-time; write 2026-10-20T15:00', '不是有效的日期时间，请填写如 2026-10-20T15:00');
    else if (value < c.received_at) problem(field, text, `before the complaint was received (${c.received_at})`, `早于投诉时间（${c.received_at}）`);
    else if (value > at) problem(field, text, `later than now (${at})`, `晚于当前时间（${at}）`);
    else if (onceOnly(field, value)) return value;
    return undefined;
  };
  const date = (field: 'follow_up_due' | 'follow_up_date', text: string | undefined): IsoDate | undefined => {
    if (text === undefined) return undefined;
    if (!isValidDate(text)) problem(field, text, 'not a date; write 2026-10-27', '不是有效日期，请填写如 2026-10-27');
    else return text;
    return undefined;
  };
  const reply = time('first_reply_at', step.first_reply_at);
  if (reply !== undefined) set('first_reply_at', reply);
  if (step.investigation !== undefined) set('investigation', step.investigation.trim());
  if (step.service_fault !== undefined) {
    const reason = step.reason?.trim() ?? '';
    if (reason === '') problem('reason', null, 'a fault decision needs its reason (--reason)', '认定是否服务责任须注明理由（--reason）');
    else if (c.service_fault !== step.service_fault) {
      set('service_fault', step.service_fault, reason);
      next.fault_reason = reason;
    }
  }
  if (step.action_taken !== undefined) set('action_taken', step.action_taken.trim());
  if (step.compensation !== undefined) {
    try {
      const fen = parseYuan(step.compensation);
      if (fen < 0) throw new RangeError('negative');
      set('compensation', formatYuan(fen));
    } catch {
      problem('compensation', step.compensation, 'not an amount of yuan with at most two places, 0 or more (e.g. 200.00)', '不是有效金额（不小于 0，最多两位小数，如 200.00）');
    }
  }
  const resolved = time('resolved_at', step.resolved_at);
  if (resolved !== undefined) set('resolved_at', resolved);
  const due = date('follow_up_due', step.follow_up_due);
  if (due !== undefined) set('follow_up_due', due);
  const followed = date('follow_up_date', step.follow_up_date);
  if (followed !== undefined) {
    const resolvedAt = (next.resolved_at as LocalDateTime | null) ?? null;
    if (resolvedAt === null || compareDates(followed, dateOf(resolvedAt)) < 0) {
      problem('follow_up_date', followed, `the follow-up call comes after the resolution (${resolvedAt ?? 'not resolved yet'})`, `回访须在解决之后（${resolvedAt ?? '尚未解决'}）`);
    } else if (followed > dateOf(at)) problem('follow_up_date', followed, `later than today (${dateOf(at)})`, `晚于今天（${dateOf(at)}）`);
    else if (onceOnly('follow_up_date', followed)) {
      set('follow_up_date', followed);
      if ((step.follow_up_outcome?.trim() ?? '') === '') problem('follow_up_outcome', null, 'a follow-up call needs its outcome (--follow-up-outcome)', '回访须填写回访结果（--follow-up-outcome）');
    }
  }
  if (step.follow_up_outcome !== undefined) {
    if (next.follow_up_date === null) problem('follow_up_outcome', step.follow_up_outcome, 'an outcome needs the follow-up date (--follow-up-at)', '回访结果须同时填写回访日期（--follow-up-at）');
    else set('follow_up_outcome', step.follow_up_outcome.trim());
  }
  if (step.close === true) {
    if (next.resolved_at === null) problem('close', null, 'a complaint is closed once resolved', '投诉须先解决才能关闭');
    else set('closed_at', at);
  }
  if (problems.length > 0) return { problems };
  if (changes.length === 0) return { complaint: c };
  return { complaint: { ...(next as unknown as Complaint), history: [...c.history, ...changes], version: c.version + 1 } };
}

export interface ComplaintContext {
  /** Business date of the upload: no complaint is received after it. */
  readonly today: IsoDate;
  readonly master: { hasDealer(code: string): boolean; hasProduct(model: string): boolean };
}

/** A valid complaint with its row, so that a conflict found in the store can point at the cell. */
export interface ComplaintEntity {
  readonly row: number;
  readonly complaint: Complaint;
}

class ComplaintRules implements RowRules<ComplaintEntity> {
  readonly fields = COMPLAINT_FIELDS;
  private readonly firstRows = new Map<string, number>();

  constructor(private readonly ctx: ComplaintContext) {}

  check(row: RowReader): ComplaintEntity[] {
    this.fields.forEach((field) => row.read(field, field.required));
    this.unique(row);
    this.known(row, 'dealer_code', 'unknown_dealer', (code) => this.ctx.master.hasDealer(code));
    this.known(row, 'product_model', 'unknown_product', (model) => this.ctx.master.hasProduct(model));
    this.times(row);
    return row.issueCount === 0 ? [{ row: row.row, complaint: this.record(row) }] : [];
  }

  private field(name: string): FieldSpec {
    return fieldNamed(this.fields, name);
  }

  private unique(row: RowReader): void {
    const field = this.field('complaint_id');
    const id = row.text(field);
    if (id === undefined) return;
    const first = this.firstRows.get(id);
    if (first === undefined) this.firstRows.set(id, row.row);
    else row.flag(field, 'duplicate_id', { field, value: id, firstRow: first });
  }

  private known(row: RowReader, name: string, code: 'unknown_dealer' | 'unknown_product', exists: (value: string) => boolean): void {
    const field = this.field(name);
    const value = row.text(field);
    if (value !== undefined && !exists(value)) row.flag(field, code, { field, value });
  }

  private times(row: RowReader): void {
    const received = row.text(this.field('received_at'));
    const reply = this.field('first_reply_at');
    const resolved = this.field('resolved_at');
    const followUp = this.field('follow_up_date');
    const serial = this.field('serial_no');
    const replyAt = row.text(reply);
    const resolvedAt = row.text(resolved);
    const followUpDate = row.text(followUp);
    const serialNo = row.text(serial);
    if (serialNo !== undefined && row.text(this.field('product_model')) === undefined && !row.hasIssue(this.field('product_model'))) {
      row.flag(serial, 'serial_without_model', { field: serial, value: serialNo });
    }
    if (received !== undefined && compareDates(dateOf(received), this.ctx.today) > 0) {
      const field = this.field('received_at');
      row.flag(field, 'future_date', { field, value: received, today: this.ctx.today });
    }
    if (received !== undefined && replyAt !== undefined && replyAt < received) row.flag(reply, 'reply_before_received', { field: reply, value: replyAt, receivedAt: received });
    if (received !== undefined && resolvedAt !== undefined && resolvedAt < received) row.flag(resolved, 'resolved_before_received', { field: resolved, value: resolvedAt, receivedAt: received });
    if (followUpDate !== undefined && !row.hasIssue(resolved) && (resolvedAt === undefined || compareDates(followUpDate, dateOf(resolvedAt)) < 0)) {
      row.flag(followUp, 'follow_up_before_resolved', { field: followUp, value: followUpDate, resolvedAt: resolvedAt ?? null });
    }
  }

  private record(row: RowReader): Complaint {
    const text = (name: string): string => must(row.text(this.field(name)), this.field(name));
    const optional = (name: string): string | null => row.text(this.field(name)) ?? null;
    const category = row.text(this.field('category'));
    const fault = optional('service_fault');
    return {
      complaint_id: text('complaint_id'),
      received_at: text('received_at'),
      dealer_code: text('dealer_code'),
      customer_name: text('customer_name'),
      phone: text('phone'),
      product_model: optional('product_model'),
      serial_no: optional('serial_no'),
      category: must(isOneOf(COMPLAINT_CATEGORY_CODES, category) ? category : undefined, this.field('category')),
      service_fault: fault === null ? null : fault === 'yes',
      fault_reason: null,
      investigation: null,
      action_taken: optional('action_taken'),
      compensation: null,
      first_reply_at: optional('first_reply_at'),
      resolved_at: optional('resolved_at'),
      follow_up_due: null,
      follow_up_date: optional('follow_up_date'),
      follow_up_outcome: optional('follow_up_outcome'),
      closed_at: null,
      history: [],
      version: 1,
    };
  }
}

/** A streaming validator for the complaint workbook: every row checked, a valid row yields its complaint. */
export function createComplaintValidator(ctx: ComplaintContext): TableValidator<ComplaintEntity> {
  return createTableValidator(new ComplaintRules(ctx));
}

/** A complaint with the steps of its life that were late (done late, or still not done past their due), as of a time. */
export interface OverdueSteps {
  readonly complaint_id: string;
  readonly steps: readonly { readonly step: LateStep['step']; readonly done: boolean }[];
}

/** The complaints of `complaints` with a late step as of `now`, for the scorecard (domain.md: overdue at each step, flagged on the scorecard). */
export const overdueStepsOf = (complaints: Iterable<Complaint>, now: LocalDateTime, openLimitDays: number): OverdueSteps[] =>
  [...complaints].flatMap((c) => {
    const late = lateSteps(c, now, { openLimitDays });
    return late.length === 0 ? [] : [{ complaint_id: c.complaint_id, steps: late.map((l) => ({ step: l.step, done: l.done })) }];
  });
