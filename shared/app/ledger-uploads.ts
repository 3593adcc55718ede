import { randomUUID } from 'node:crypto';
import type { BackOfficeConfig } from '../config.js';
import type { Action, Caller } from '../domain/access.js';
import type { Issue } from '../domain/issues.js';
import type { LedgerType } from '../domain/ledger-validation.js';
import { XLSX_CONTENT_TYPE } from '../sheets/content-type.js';
import { authorize, Refusal } from './access.js';
import { ingestLedger, type LedgerIngestDeps } from './ingest-ledger.js';
import type { ObjectLinks } from './links.js';
import type { LedgerUploadOutcome, LedgerUploadStore, UploadTicketStore } from './ports.js';
import { REPORT_PREFIXES } from './report-keys.js';
import { ledgerUploadKey, uploadSourceId } from './upload-keys.js';
import { LINK_SECONDS, shownIssues, ticketRefusalIssue, uploadTicket, type TicketRefusal, type UploadTicket } from './uploads.js';

/**
 * Shipments and returns files uploaded through the portal. The API hands out the form and
 * answers where an upload stands; the ledger worker (functions/ingest-ledger.ts) checks and
 * records the file when it lands, however long a 200,000-row file takes.
 */
export type LedgerUploadDeps = LedgerIngestDeps & {
  readonly links: ObjectLinks;
  readonly tickets: UploadTicketStore;
  readonly ledgerUploads: LedgerUploadStore;
  readonly config: Pick<BackOfficeConfig, 'buckets'>;
};

const ledgerAction = (type: LedgerType): Action => (type === 'shipments' ? 'upload_shipments' : 'upload_returns');

/** A presigned form for a shipments (after-sales) or returns (return warehouse) file; its ticket is kept, and the worker takes in nothing without one. */
export async function requestLedgerUpload(deps: LedgerUploadDeps, caller: Caller, type: LedgerType): Promise<UploadTicket> {
  authorize(caller, ledgerAction(type));
  const uploadId = randomUUID();
  const key = ledgerUploadKey(type, uploadId);
  const ticket = await uploadTicket(deps, key, uploadId);
  await deps.tickets.record({ key, upload_id: uploadId, expires_at: ticket.expires_at });
  return ticket;
}

/** Where a ledger upload stands: not arrived yet, being checked, or what became of it. */
export type LedgerUploadState =
  | { readonly state: 'waiting' | 'processing' }
  | {
      readonly state: 'accepted' | 'rejected';
      readonly type: LedgerType;
      readonly upload_id: string;
      readonly received_at: string;
      readonly counts: LedgerUploadOutcome['counts'];
      readonly errors: readonly Issue[];
      readonly errors_total: number;
      readonly warnings: readonly Issue[];
      readonly warnings_total: number;
      /** A presigned link to the uploaded sheet with every bad cell marked, when one was written. */
      readonly error_workbook_url: string | null;
    };

/** Where a shipments or returns upload stands, with its counts, its first issues and the annotated workbook's link once it is judged. */
export async function ledgerUploadStatus(deps: LedgerUploadDeps, caller: Caller, type: LedgerType, uploadId: string): Promise<LedgerUploadState> {
  authorize(caller, ledgerAction(type));
  const key = ledgerUploadKey(type, uploadId);
  const identity = await deps.links.identity('uploads', key);
  if (identity === undefined) return { state: 'waiting' };
  const outcome = await deps.ledgerUploads.findOutcome(key);
  // An outcome of an earlier object under the same key (a form used twice) is not this one's.
  if (outcome === undefined || outcome.source !== uploadSourceId(deps.config.buckets.uploads, key, identity)) return { state: 'processing' };
  let { errors, warnings } = outcome;
  let errorWorkbookUrl: string | null = null;
  if (outcome.error_report_key !== null) {
    // The stored outcome keeps the first issues only; the full list lies beside the workbook.
    const full = JSON.parse(new TextDecoder().decode(await deps.blobs.get('reports', issuesKey(outcome.error_report_key)))) as { errors: Issue[]; warnings: Issue[] };
    ({ errors, warnings } = full);
    errorWorkbookUrl = await deps.links.downloadUrl('reports', outcome.error_report_key, { fileName: `${type}-errors.xlsx`, expiresInSeconds: LINK_SECONDS });
  }
  return {
    state: outcome.status,
    type,
    upload_id: uploadId,
    received_at: outcome.received_at,
    counts: outcome.counts,
    ...shownIssues(errors, warnings),
    error_workbook_url: errorWorkbookUrl,
  };
}

/**
 * Asks for an uploaded file to be recorded. The ledger worker records it as soon as it lands,
 * so this only confirms there is a file and says where to follow it.
 */
export async function recordLedgerUpload(deps: LedgerUploadDeps, caller: Caller, type: LedgerType, uploadId: string) {
  const state = await ledgerUploadStatus(deps, caller, type, uploadId);
  if (state.state === 'waiting') throw new Refusal('not_found', 'Nothing has been uploaded under this upload id', '此上传编号下还没有文件');
  return { upload_id: uploadId, state: state.state, status_path: `/api/ledger/${type}/uploads/${uploadId}` };
}

/** One object that landed under a ledger upload key, as its S3 event names it. */
export interface LedgerObject {
  readonly type: LedgerType;
  readonly uploadId: string;
  readonly receivedAt: Date;
  /** The object version the event named, read rather than whatever is current under the key. */
  readonly versionId?: string;
  /** The object's identity (bucket, key, version or eTag): a replay of it records nothing again. */
  readonly sourceId: string;
}

export interface LedgerObjectResult {
  readonly outcome: LedgerUploadOutcome;
  /** True when this object had been recorded before and its stored outcome was returned. */
  readonly replayed: boolean;
  /** Why the object was refused unread, when it came without a valid ticket. */
  readonly refused: TicketRefusal | null;
}

const issuesKey = (workbookKey: string): string => workbookKey.replace(/\.xlsx$/, '.json');

/**
 * The ledger worker's use case: checks and records one uploaded shipments or returns file and
 * keeps its outcome for the uploader to ask. Only an object under the key of a ticket the API
 * handed out, created before the ticket expired, is read; any other gets a rejected outcome.
 */
export async function recordLedgerObject(
  deps: Omit<LedgerUploadDeps, 'links'> & { readonly config: Pick<BackOfficeConfig, 'buckets'> },
  object: LedgerObject,
): Promise<LedgerObjectResult> {
  const key = ledgerUploadKey(object.type, object.uploadId);
  const previous = await deps.ledgerUploads.findOutcome(key);
  if (previous?.source === object.sourceId) return { outcome: previous, replayed: true, refused: null };

  const base = { type: object.type, upload_id: object.uploadId, source: object.sourceId, received_at: object.receivedAt.toISOString() };
  const ticket = await deps.tickets.find(key);
  const refused: TicketRefusal | null =
    ticket === undefined || ticket.target !== undefined ? 'no_ticket' : object.receivedAt.getTime() > Date.parse(ticket.expires_at) ? 'expired' : null;
  if (refused !== null) {
    const outcome: LedgerUploadOutcome = {
      ...base,
      status: 'rejected',
      counts: { rows: 0, records: 0, recorded: 0, already_recorded: 0 },
      errors: [ticketRefusalIssue(refused)],
      warnings: [],
      error_report_key: null,
    };
    await deps.ledgerUploads.recordOutcome(key, outcome);
    return { outcome, replayed: false, refused };
  }

  const result = await ingestLedger(deps, { bytes: await deps.blobs.get('uploads', key, object.versionId), type: object.type, receivedAt: object.receivedAt, sourceId: object.sourceId });
  let errorReportKey: string | null = null;
  if (result.errorReport !== null) {
    errorReportKey = `${REPORT_PREFIXES.ledgerErrors}${object.type}/${object.uploadId}.xlsx`;
    await deps.blobs.put('reports', errorReportKey, result.errorReport, XLSX_CONTENT_TYPE);
    await deps.blobs.put('reports', issuesKey(errorReportKey), JSON.stringify({ errors: result.errors, warnings: result.warnings }), 'application/json');
  }
  const outcome: LedgerUploadOutcome = { ...base, status: result.status, counts: result.counts, errors: result.errors, warnings: result.warnings, error_report_key: errorReportKey };
  await deps.ledgerUploads.recordOutcome(key, outcome);
  return { outcome, replayed: false, refused: null };
}
