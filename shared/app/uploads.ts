import type { BackOfficeConfig } from '../config.js';
import { isLate, isValidPeriod } from '../domain/dates.js';
import type { Issue } from '../domain/issues.js';
import { XLSX_CONTENT_TYPE } from '../sheets/content-type.js';
import type { ObjectLinks, UploadForm } from './links.js';
import type { Clock, IssuedTicket, ReportStore, ReportTarget, SubmissionOutcome, UploadTicketStore } from './ports.js';
import { uploadKey } from './upload-keys.js';

/** How long a presigned link works: long enough to upload 20 MB on a slow line, short enough not to be passed around. */
export const LINK_SECONDS = 15 * 60;
/** Issues returned in one answer; the annotated workbook has them all. */
const ISSUES_SHOWN = 1_000;
/**
 * Characters of a quoted cell in an answer: a cell holds up to 32,767, and a thousand of
 * them would be far over the 6 MB a Lambda function may answer. The workbook has them whole.
 */
const VALUE_SHOWN = 200;

/** A presigned form for one upload, and what it allows. */
export interface UploadTicket {
  readonly upload_id: string;
  readonly form: UploadForm;
  readonly content_type: string;
  readonly max_bytes: number;
  readonly expires_at: string;
}

export interface UploadTicketDeps {
  readonly links: ObjectLinks;
  readonly clock: Clock;
  readonly config: Pick<BackOfficeConfig, 'maxUploadBytes'>;
}

/** The form that puts one workbook, at most the configured size, under the key the application chose. */
export async function uploadTicket(deps: UploadTicketDeps, key: string, uploadId: string): Promise<UploadTicket> {
  const form = await deps.links.uploadForm('uploads', key, { contentType: XLSX_CONTENT_TYPE, maxBytes: deps.config.maxUploadBytes, expiresInSeconds: LINK_SECONDS });
  return {
    upload_id: uploadId,
    form,
    content_type: XLSX_CONTENT_TYPE,
    max_bytes: deps.config.maxUploadBytes,
    expires_at: new Date(deps.clock.now().getTime() + LINK_SECONDS * 1000).toISOString(),
  };
}

const shownIssue = (issue: Issue): Issue =>
  issue.value !== null && issue.value.length > VALUE_SHOWN ? { ...issue, value: `${issue.value.slice(0, VALUE_SHOWN - 1)}…` } : issue;

/** The first issues of an upload for an answer, each quoting a short value, with how many there are in all. */
export function shownIssues(errors: readonly Issue[], warnings: readonly Issue[]) {
  return {
    errors: errors.slice(0, ISSUES_SHOWN).map(shownIssue),
    errors_total: errors.length,
    warnings: warnings.slice(0, ISSUES_SHOWN).map(shownIssue),
    warnings_total: warnings.length,
  };
}

/** Keeps the ticket of a report upload form, so that the ingest knows the object it names is expected. */
export async function recordTicket(deps: { readonly tickets: UploadTicketStore }, target: ReportTarget, uploadId: string, expiresAt: string): Promise<IssuedTicket> {
  const ticket: IssuedTicket = { key: uploadKey(target, uploadId), upload_id: uploadId, target, expires_at: expiresAt };
  await deps.tickets.record(ticket);
  return ticket;
}

/** Why an object in the uploads bucket is not taken in: no form was handed out for its key, or it came after the form expired. */
export type TicketRefusal = 'no_ticket' | 'expired';

/** The bilingual issue an upload refused for its ticket is answered with. */
export const ticketRefusalIssue = (reason: TicketRefusal): Issue => ({
  row: null,
  column: null,
  value: null,
  code: 'upload_without_ticket',
  message:
    reason === 'expired'
      ? 'This file arrived after its upload form had expired; upload it again from the portal'
      : 'This file did not come through an upload form of the back office; upload it from the portal',
  message_zh: reason === 'expired' ? '此文件到达时上传表单已过期，请在门户重新上传' : '此文件不是通过本系统的上传表单提交的，请在门户上传',
});

/** An object arrived under a key no ticket names (or after its ticket expired): recorded as refused, so the uploader gets an answer. */
export interface RefusedUpload {
  readonly key: string;
  readonly target: ReportTarget;
  readonly receivedAt: Date;
  /** The upload's identity, as the outcome of an admitted one would be recorded under. */
  readonly sourceId: string;
}

/**
 * The second check behind the presigned form: an object is taken in only under the exact key
 * of a ticket the API handed out for the same report, created before the ticket expired.
 * Otherwise the refusal is recorded as the upload's outcome, and its reason returned; null
 * when the object may be taken in.
 */
export async function refuseWithoutTicket(
  deps: { readonly tickets: UploadTicketStore; readonly reports: ReportStore; readonly config: Pick<BackOfficeConfig, 'businessTimeZone'> },
  upload: RefusedUpload,
): Promise<TicketRefusal | null> {
  const ticket = await deps.tickets.find(upload.key);
  const { target } = upload;
  const reason: TicketRefusal | null =
    ticket?.target === undefined || ticket.target.type === 'master' || ticket.target.dealer !== target.dealer || ticket.target.type !== target.type || ticket.target.period !== target.period
      ? 'no_ticket'
      : upload.receivedAt.getTime() > Date.parse(ticket.expires_at)
        ? 'expired'
        : null;
  if (reason === null) return null;
  const issue = ticketRefusalIssue(reason);
  const outcome: SubmissionOutcome = {
    status: 'rejected',
    target,
    version: null,
    late: isValidPeriod(target.period) && isLate(target.period, upload.receivedAt, deps.config.businessTimeZone),
    received_at: upload.receivedAt.toISOString(),
    counts: { rows: 0, records: 0, part_lines: 0 },
    errors: [issue],
    warnings: [],
    error_report_key: null,
  };
  await deps.reports.recordOutcome(upload.sourceId, outcome);
  return reason;
}
