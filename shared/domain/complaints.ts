/**
 * Customer complaints (客户投诉), recorded by the after-sales department from the complaint
 * workbook (投诉登记) or the portal form: the rules of domain.md, "Complaints and service
 * quality", and what an upload of them must satisfy.
 *
 * Decisions the domain leaves open, taken here:
 * - **A complaint id is used once.** A row whose id is already recorded with the same facts is
 *   "already recorded" (a re-import of the same file doubles nothing); the same id with other
 *   facts (received at, dealer, customer, phone, product, category, fault, action) is refused.
 *   Only the progress of a recorded complaint — first reply, resolution, follow-up — may be
 *   filled in by a later row, never changed once filled: a complaint is recorded when it
 *   comes in and completed as it is handled.
 * - **Overdue:** a first reply later than 24 hours after the complaint, or a complaint still
 *   unresolved more than the department's limit (default 7 days, configuration) after it was
 *   received. Times are the business zone's wall clock, as typed.
 * - A follow-up call comes after the resolution, so a follow-up date needs a resolution on or
 *   before it. A serial number is only meaningful with its model, so one needs the other.
 */
import { compareDates, type IsoDate } from './dates.js';
import { COMPLAINT_FIELDS, type FieldSpec } from './fields.js';
import { secondsBetween } from './scorecard.js';
import { createTableValidator, fieldNamed, isOneOf, must, type RowReader, type RowRules, type TableValidator } from './table-validation.js';
import { dateOf, type LocalDateTime } from './values.js';

export const COMPLAINT_CATEGORY_CODES = ['timeliness', 'attitude', 'repair_quality', 'product_quality', 'charges', 'other'] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORY_CODES)[number];

export interface Complaint {
  readonly complaint_id: string;
  readonly received_at: LocalDateTime;
  readonly dealer_code: string;
  readonly customer_name: string;
  readonly phone: string;
  readonly product_model: string | null;
  readonly serial_no: string | null;
  readonly category: ComplaintCategory;
  /** 确属服务责任: decided by the department; only these count in a dealer's complaint rate. */
  readonly service_fault: boolean;
  readonly action_taken: string;
  readonly first_reply_at: LocalDateTime;
  readonly resolved_at: LocalDateTime | null;
  readonly follow_up_date: IsoDate | null;
  readonly follow_up_outcome: string | null;
}

/** The first reply is due within this many hours of the complaint. */
export const FIRST_REPLY_HOURS = 24;
/** A complaint open longer than this many days is overdue, unless the department configures another limit. */
export const DEFAULT_OPEN_LIMIT_DAYS = 7;

/** The facts that make a complaint what it is; a recorded complaint never changes them. */
const ESSENTIAL = ['received_at', 'dealer_code', 'customer_name', 'phone', 'product_model', 'serial_no', 'category', 'service_fault', 'action_taken'] as const;
/** What is filled in as the complaint is handled. */
const PROGRESS = ['first_reply_at', 'resolved_at', 'follow_up_date', 'follow_up_outcome'] as const;

/** What a row does to the complaint recorded under its id: nothing new, fills in its progress, or contradicts it. */
export type ComplaintMerge = { readonly outcome: 'new' | 'same' | 'progress'; readonly complaint: Complaint } | { readonly outcome: 'conflict'; readonly differs: readonly string[] };

/** Compares a row with the complaint recorded under its id (see the module's rules). */
export function mergeComplaint(recorded: Complaint | undefined, incoming: Complaint): ComplaintMerge {
  if (recorded === undefined) return { outcome: 'new', complaint: incoming };
  const differs: string[] = ESSENTIAL.filter((name) => recorded[name] !== incoming[name]);
  differs.push(...PROGRESS.filter((name) => recorded[name] !== null && recorded[name] !== incoming[name]));
  if (differs.length > 0) return { outcome: 'conflict', differs };
  const filled = PROGRESS.some((name) => recorded[name] === null && incoming[name] !== null);
  return filled ? { outcome: 'progress', complaint: incoming } : { outcome: 'same', complaint: recorded };
}

/** The order complaints are listed in: dealer, time received, id. */
export const byDealerAndTime = (a: Complaint, b: Complaint): number =>
  a.dealer_code.localeCompare(b.dealer_code) || a.received_at.localeCompare(b.received_at) || a.complaint_id.localeCompare(b.complaint_id);

/** A recorded complaint as a conflict message quotes it. */
export const describeComplaint = (c: Complaint): string =>
  `${c.received_at.replace('T', ' ').slice(0, 16)} ${c.dealer_code} ${c.customer_name} ${c.category}${c.service_fault ? ' service fault' : ''}`;

export type OverdueReason = 'first_reply_late' | 'open_too_long';

/** A complaint the department must act on, and why. */
export interface OverdueComplaint {
  readonly complaint: Complaint;
  readonly reasons: readonly OverdueReason[];
  /** Whole hours from receipt to the first reply. */
  readonly reply_hours: number;
  /** Whole days open as of `now` (unresolved), or to the resolution. */
  readonly open_days: number;
}

/**
 * The overdue complaints as of `now` (the business zone's wall clock): first reply later than
 * 24 hours, or unresolved longer than `openLimitDays`. Oldest first.
 */
export function overdueComplaints(complaints: Iterable<Complaint>, now: LocalDateTime, openLimitDays = DEFAULT_OPEN_LIMIT_DAYS): OverdueComplaint[] {
  const overdue: OverdueComplaint[] = [];
  for (const complaint of complaints) {
    const replySeconds = secondsBetween(complaint.received_at, complaint.first_reply_at);
    const openSeconds = secondsBetween(complaint.received_at, complaint.resolved_at ?? now);
    const reasons: OverdueReason[] = [];
    if (replySeconds > FIRST_REPLY_HOURS * 3600) reasons.push('first_reply_late');
    if (complaint.resolved_at === null && openSeconds > openLimitDays * 86_400) reasons.push('open_too_long');
    if (reasons.length > 0) overdue.push({ complaint, reasons, reply_hours: Math.floor(replySeconds / 3600), open_days: Math.floor(openSeconds / 86_400) });
  }
  return overdue.sort((a, b) => a.complaint.received_at.localeCompare(b.complaint.received_at) || a.complaint.complaint_id.localeCompare(b.complaint.complaint_id));
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
    return {
      complaint_id: text('complaint_id'),
      received_at: text('received_at'),
      dealer_code: text('dealer_code'),
      customer_name: text('customer_name'),
      phone: text('phone'),
      product_model: optional('product_model'),
      serial_no: optional('serial_no'),
      category: must(isOneOf(COMPLAINT_CATEGORY_CODES, category) ? category : undefined, this.field('category')),
      service_fault: text('service_fault') === 'yes',
      action_taken: text('action_taken'),
      first_reply_at: text('first_reply_at'),
      resolved_at: optional('resolved_at'),
      follow_up_date: optional('follow_up_date'),
      follow_up_outcome: optional('follow_up_outcome'),
    };
  }
}

/** A streaming validator for the complaint workbook: every row checked, a valid row yields its complaint. */
export function createComplaintValidator(ctx: ComplaintContext): TableValidator<ComplaintEntity> {
  return createTableValidator(new ComplaintRules(ctx));
}
