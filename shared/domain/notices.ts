/**
 * Telling people (通知, domain.md): which events the back office tells whom, and the message
 * each recipient keeps. Pure: the texts come from the templates in notice-templates.ts, the
 * delivery (portal list, mail) from shared/app/notices/.
 *
 * A message is keyed by its event and recipient, never by when it was made: a job retried
 * after a crash makes the same ids again, and the store keeps the first of each.
 */
import { createHash } from 'node:crypto';
import type { IsoDate } from './dates.js';
import type { Fen } from './money.js';
import { renderNotice, type Bilingual, type NoticeLink } from './notice-templates.js';

/** Staff recipients; every other recipient is a dealer code. */
export const STAFF_RECIPIENTS = ['finance', 'admin', 'manager', 'warehouse'] as const;
export type StaffRecipient = (typeof STAFF_RECIPIENTS)[number];
/** A dealer code, `finance`, `admin` (the after-sales department and the operators), `manager` (上级领导, who decides disputes) or `warehouse` (the return warehouse, 退料接收处). */
export type Recipient = string;

export const isStaffRecipient = (recipient: string): recipient is StaffRecipient => (STAFF_RECIPIENTS as readonly string[]).includes(recipient);

/** What was uploaded and checked. */
export type UploadKind = 'installation' | 'repair' | 'shipments' | 'returns' | 'master';

/** One lot as a dealer is told about it: what is still out, until when, and what keeping it would cost. */
export interface LotNotice {
  readonly shipment_id: string;
  readonly line: number;
  readonly part_code: string;
  readonly part_name: string;
  /** Units still out. */
  readonly qty: number;
  readonly due_date: IsoDate;
  /** Days from the job's date to the deadline: negative once overdue. */
  readonly days_left: number;
  /** What the units out would cost at today's cost price; null when the part has no price today. */
  readonly cost: Fen | null;
}

/** One report to follow up on the 4th. */
export interface ReportToFollowUp {
  readonly dealer: string;
  readonly dealer_name: string;
  readonly type: 'installation' | 'repair';
  readonly status: 'missing' | 'late';
}

/** One unboxing case as the department is told of it: the unit, the problem and when its written plan is due. */
export interface UnboxingCaseNotice {
  readonly install_id: string;
  readonly product_model: string;
  readonly serial_no: string;
  readonly issue: string;
  readonly due_date: IsoDate;
}

/** One line of a material request as the dealer is told its state. */
export interface RequestLineNotice {
  readonly line: number;
  readonly part_code: string;
  readonly qty: number;
  readonly state: string;
}

/**
 * Everything the back office tells someone about. Events of other features (credit notes,
 * payments, material requests, complaints) are here already so that each is one `tell` call
 * where it happens.
 */
export type NoticeEvent =
  | {
      readonly kind: 'upload_checked';
      readonly upload: UploadKind;
      /** The upload's identity (bucket, key, object version): one message per object taken in. */
      readonly source: string;
      readonly status: 'accepted' | 'rejected';
      readonly errors: number;
      readonly warnings: number;
      /** The dealer of a report; null for ledger files and master data, which staff upload. */
      readonly dealer: string | null;
      readonly period: string | null;
      /** The upload form's id where the portal follows the upload by it. */
      readonly upload_id: string | null;
      /** Whether an annotated workbook was written. */
      readonly annotated: boolean;
    }
  | { readonly kind: 'reports_missing'; readonly period: string; readonly dealer: string; readonly reports: readonly ReportToFollowUp[] }
  | {
      readonly kind: 'reports_follow_up';
      readonly period: string;
      readonly reports: readonly ReportToFollowUp[];
      /** Dealers told in the portal only: no address on file, or the mail failed. */
      readonly unmailed: readonly string[];
    }
  | { readonly kind: 'lots_due'; readonly dealer: string; readonly as_of: IsoDate; readonly lots: readonly LotNotice[] }
  | { readonly kind: 'lots_overdue'; readonly dealer: string; readonly as_of: IsoDate; readonly lots: readonly LotNotice[] }
  | { readonly kind: 'form_issued'; readonly dealer: string; readonly invoice_no: string; readonly period: string; readonly total: Fen }
  | { readonly kind: 'credit_note'; readonly dealer: string; readonly invoice_no: string; readonly corrects: string; readonly period: string; readonly total: Fen }
  | { readonly kind: 'payment_recorded'; readonly dealer: string; readonly invoice_no: string; readonly payment_id: string; readonly amount: Fen; readonly owed: Fen; readonly date: IsoDate }
  | { readonly kind: 'request_decided'; readonly dealer: string; readonly request_id: string; readonly lines: readonly RequestLineNotice[] }
  | { readonly kind: 'request_shipped'; readonly dealer: string; readonly request_id: string; readonly shipment_id: string; readonly shipped_date: IsoDate; readonly lines: readonly RequestLineNotice[] }
  | { readonly kind: 'complaint_overdue'; readonly dealer: string; readonly complaint_id: string; readonly step: 'first_reply' | 'resolution' | 'follow_up'; readonly due: string }
  | { readonly kind: 'run_failed'; readonly job: string; readonly run: string; readonly detail: string; readonly runbook: string }
  | { readonly kind: 'dispute_raised'; readonly dealer: string; readonly invoice_no: string; readonly line: number; readonly part_code: string; readonly qty: number; readonly amount: string; readonly reason: string; readonly due_date: IsoDate }
  | { readonly kind: 'dispute_decided'; readonly dealer: string; readonly invoice_no: string; readonly line: number; readonly decision: 'upheld' | 'waived'; readonly reason: string; readonly credit_note: string | null }
  | { readonly kind: 'unboxing_reported'; readonly dealer: string; readonly period: string; readonly cases: readonly UnboxingCaseNotice[] }
  | { readonly kind: 'dispute_overdue'; readonly dealer: string; readonly invoice_no: string; readonly line: number; readonly due_date: IsoDate };

export type NoticeKind = NoticeEvent['kind'];

export const NOTICE_KINDS = [
  'upload_checked',
  'reports_missing',
  'reports_follow_up',
  'lots_due',
  'lots_overdue',
  'form_issued',
  'credit_note',
  'payment_recorded',
  'request_decided',
  'request_shipped',
  'complaint_overdue',
  'run_failed',
  'dispute_raised',
  'dispute_decided',
  'dispute_overdue',
  'unboxing_reported',
] as const satisfies readonly NoticeKind[];

/** The staff who upload each kind of ledger or master file and are told how it went. */
const STAFF_UPLOADER: Readonly<Record<Exclude<UploadKind, 'installation' | 'repair'>, StaffRecipient>> = {
  shipments: 'admin',
  // The return warehouse uploads its counts of parts received back (domain.md, "Who is involved").
  returns: 'warehouse',
  master: 'admin',
};

/** Who is told of an event (domain.md, "Telling people"); a dealer is never told of another's. */
export function recipientsOf(event: NoticeEvent): Recipient[] {
  switch (event.kind) {
    case 'upload_checked':
      return event.upload === 'installation' || event.upload === 'repair'
        ? event.dealer === null ? ['admin'] : [event.dealer]
        : [STAFF_UPLOADER[event.upload]];
    case 'reports_missing':
    case 'lots_due':
    case 'lots_overdue':
    case 'request_decided':
    case 'request_shipped':
      return [event.dealer];
    case 'reports_follow_up':
    case 'run_failed':
      return ['admin'];
    case 'form_issued':
    case 'credit_note':
    case 'payment_recorded':
      return [event.dealer, 'finance'];
    case 'complaint_overdue':
      return [event.dealer, 'admin'];
    // The manager decides; finance follows the money at stake. The dealer raised it and is told the decision.
    case 'dispute_raised':
      return ['manager', 'finance'];
    case 'dispute_decided':
      return [event.dealer, 'finance'];
    case 'dispute_overdue':
      return ['manager'];
    // Unboxing problems are the department's to plan at once (the seed's 开箱期: 书面方案).
    case 'unboxing_reported':
      return ['admin'];
  }
}

const lotsKey = (lots: readonly LotNotice[]): string => digest(lots.map((l) => `${l.shipment_id}#${l.line}`).sort().join(','));

/**
 * What makes an event the same event when a job runs again. Deadline warnings are keyed by the
 * set of lots they name: the next day's run with the same lots is the same warning, a lot
 * coming into the window makes a new one.
 */
export function eventKey(event: NoticeEvent): string {
  switch (event.kind) {
    case 'upload_checked':
      return `upload_checked#${digest(event.source)}`;
    case 'reports_missing':
      return `reports_missing#${event.period}#${event.dealer}`;
    case 'reports_follow_up':
      return `reports_follow_up#${event.period}`;
    case 'lots_due':
    case 'lots_overdue':
      return `${event.kind}#${event.dealer}#${lotsKey(event.lots)}`;
    case 'form_issued':
    case 'credit_note':
      return `${event.kind}#${event.invoice_no}`;
    case 'payment_recorded':
      return `payment_recorded#${event.invoice_no}#${event.payment_id}`;
    case 'request_decided':
      return `request_decided#${event.request_id}#${digest(event.lines.map((l) => `${l.line}:${l.state}`).join(','))}`;
    case 'request_shipped':
      return `request_shipped#${event.request_id}#${event.shipment_id}`;
    case 'complaint_overdue':
      return `complaint_overdue#${event.complaint_id}#${event.step}`;
    case 'run_failed':
      return `run_failed#${event.job}#${digest(event.run)}`;
    case 'dispute_raised':
    case 'dispute_decided':
    case 'dispute_overdue':
      return `${event.kind}#${event.invoice_no}#${event.line}`;
    // Keyed by the cases named: a report uploaded again with the same problems tells nothing new.
    case 'unboxing_reported':
      return `unboxing_reported#${event.dealer}#${event.period}#${digest(event.cases.map((c) => c.install_id).sort().join(','))}`;
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

/** A message's id: the event's key and the recipient, hashed to a fixed length. */
export const messageId = (key: string, recipient: Recipient): string => digest(`${key}\u0000${recipient}`);

/** Where a message's mail stands. `no_address`: told in the portal only. */
export type MailStatus = 'pending' | 'sent' | 'failed' | 'no_address';

export interface MailState {
  readonly status: MailStatus;
  readonly to: readonly string[];
  readonly at: string | null;
  readonly error: string | null;
}

/** One message as its recipient keeps it: both languages rendered when it was made, so later template edits never rewrite what was said. */
export interface Message {
  readonly id: string;
  readonly event_key: string;
  readonly kind: NoticeKind;
  readonly recipient: Recipient;
  /** The dealer the message is about, when one is; a dealer's messages are about itself only. */
  readonly dealer: string | null;
  readonly created_at: string;
  readonly subject: Bilingual;
  readonly body: Bilingual;
  readonly links: readonly NoticeLink[];
  readonly read_at: string | null;
  readonly mail: MailState;
}

const dealerOf = (event: NoticeEvent): string | null =>
  'dealer' in event && typeof event.dealer === 'string' ? event.dealer : null;

/** The messages an event makes: one per recipient, rendered, unread and not yet mailed. */
export function messagesFor(event: NoticeEvent, created_at: string): Message[] {
  const key = eventKey(event);
  const rendered = renderNotice(event);
  return recipientsOf(event).map((recipient) => ({
    id: messageId(key, recipient),
    event_key: key,
    kind: event.kind,
    recipient,
    dealer: dealerOf(event),
    created_at,
    subject: rendered.subject,
    body: rendered.body,
    links: rendered.links,
    read_at: null,
    mail: { status: 'pending', to: [], at: null, error: null },
  }));
}

/** Days to warn before a lot's deadline (domain.md: 7 days before it, and on the day after it). */
export const DUE_WARNING_DAYS = 7;
