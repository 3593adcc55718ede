import { randomUUID } from 'node:crypto';
import type { BackOfficeConfig } from '../config.js';
import type { Caller } from '../domain/access.js';
import { XLSX_CONTENT_TYPE } from '../sheets/content-type.js';
import { authorize } from './access.js';
import { importMaster, type MasterImportResult, type MasterIssue } from './import-master.js';
import type { ObjectLinks } from './links.js';
import type { BlobStore, Clock, MasterStore, UploadTicketStore } from './ports.js';
import { REPORT_PREFIXES } from './report-keys.js';
import { isMasterUploadKey, MASTER_UPLOAD_PREFIX, masterUploadKey, uploadSourceId } from './upload-keys.js';
import type { ErrorWorkbookWriter } from './upload-pipeline.js';
import { LINK_SECONDS, shownIssues, ticketRefusalIssue, uploadTicket, type TicketRefusal, type UploadTicket } from './uploads.js';

/**
 * The master-data workbook (dealers, products, parts price list) taken from the uploads
 * bucket's `master/portal/` prefix: put there by an admin through the portal's form, under
 * the ticket it was signed with. Each object's outcome is kept as JSON in the reports bucket,
 * beside the annotated workbook of a rejected file, under a key made from the object's key and
 * identity: the answer to "what became of it", and what makes a replayed event a no-op.
 */
export interface MasterUploadDeps {
  readonly master: MasterStore;
  readonly blobs: BlobStore;
  readonly links: ObjectLinks;
  readonly tickets: UploadTicketStore;
  readonly clock: Clock;
  readonly config: Pick<BackOfficeConfig, 'maxUploadBytes' | 'buckets' | 'businessTimeZone'>;
}

/** What the import of one master-data object needs: no links, but the annotated workbook's writer. */
export type MasterImportDeps = Pick<MasterUploadDeps, 'master' | 'blobs' | 'tickets' | 'clock' | 'config'> & { readonly errorWorkbook: ErrorWorkbookWriter };

/** The stored outcome of one master-data object. */
export interface MasterOutcome {
  readonly status: MasterImportResult['status'];
  /** The object it is about: `s3://bucket/key#identity`. */
  readonly source: string;
  readonly received_at: string;
  readonly counts: MasterImportResult['counts'];
  readonly errors: readonly MasterIssue[];
  readonly warnings: readonly MasterIssue[];
  /** The annotated workbook in the reports bucket, when one was written. */
  readonly error_workbook_key: string | null;
}

/** An object identity (version id, or an ETag with its quotes) as a key may carry it. */
const keySafe = (identity: string): string => identity.replace(/[^A-Za-z0-9._-]/g, '');

/** Where one master-data object's outcome goes: `master-imports/<key below master/>.<identity>.json`. */
export const masterOutcomeKey = (key: string, identity: string): string =>
  `${REPORT_PREFIXES.masterImports}${key.slice(MASTER_UPLOAD_PREFIX.length).replace(/\.xlsx$/i, '')}.${keySafe(identity)}.json`;

async function findOutcome(deps: Pick<MasterUploadDeps, 'blobs'>, outcomeKey: string): Promise<MasterOutcome | undefined> {
  if (!(await deps.blobs.list('reports', outcomeKey)).includes(outcomeKey)) return undefined;
  return JSON.parse(new TextDecoder().decode(await deps.blobs.get('reports', outcomeKey))) as MasterOutcome;
}

/** A presigned form for the master-data workbook; its ticket is kept, and the import takes in a portal upload only with one. */
export async function requestMasterUpload(deps: MasterUploadDeps, caller: Caller): Promise<UploadTicket> {
  authorize(caller, 'import_master');
  const uploadId = randomUUID();
  const key = masterUploadKey(uploadId);
  const ticket = await uploadTicket(deps, key, uploadId);
  await deps.tickets.record({ key, upload_id: uploadId, target: { type: 'master' }, expires_at: ticket.expires_at });
  return ticket;
}

export type MasterUploadState =
  | { readonly state: 'waiting' | 'processing' }
  | {
      readonly state: MasterOutcome['status'];
      readonly received_at: string;
      readonly counts: MasterOutcome['counts'];
      readonly errors: readonly MasterIssue[];
      readonly errors_total: number;
      readonly warnings: readonly MasterIssue[];
      readonly warnings_total: number;
      readonly error_workbook_url: string | null;
    };

/** Where the admin's master-data upload stands: not arrived yet, being checked, or its outcome with the first errors. */
export async function masterUploadStatus(deps: MasterUploadDeps, caller: Caller, uploadId: string): Promise<MasterUploadState> {
  authorize(caller, 'import_master');
  const key = masterUploadKey(uploadId);
  const identity = await deps.links.identity('uploads', key);
  if (identity === undefined) return { state: 'waiting' };
  const outcome = await findOutcome(deps, masterOutcomeKey(key, identity));
  if (outcome === undefined) return { state: 'processing' };
  const shown = shownIssues(outcome.errors, outcome.warnings) as ReturnType<typeof shownIssues> & Pick<MasterOutcome, 'errors' | 'warnings'>;
  return {
    state: outcome.status,
    received_at: outcome.received_at,
    counts: outcome.counts,
    ...shown,
    error_workbook_url:
      outcome.error_workbook_key === null ? null : await deps.links.downloadUrl('reports', outcome.error_workbook_key, { fileName: 'master-data-errors.xlsx', expiresInSeconds: LINK_SECONDS }),
  };
}

/** One master-data object as its S3 event names it. */
export interface MasterObject {
  readonly key: string;
  /** The version the event names, where the bucket keeps versions. */
  readonly versionId?: string;
  readonly eTag?: string;
  readonly receivedAt: Date;
}

/** What became of one object: imported now, found already imported (a replayed event), or not a master-data key. */
export type MasterObjectResult = { readonly replayed: boolean; readonly outcome: MasterOutcome; readonly refused?: TicketRefusal } | { readonly ignored: true };

/**
 * Imports one master-data object, once per object identity: a portal upload
 * (`master/portal/<id>.xlsx`) under an unexpired ticket of the master form. Any other key is
 * not the import's (its role may not read it, and S3 notifies it of none).
 */
export async function importMasterObject(deps: MasterImportDeps, object: MasterObject): Promise<MasterObjectResult> {
  if (!isMasterUploadKey(object.key)) return { ignored: true };
  // The identity the status route finds it by (see ObjectLinks.identity): version id, else ETag.
  const identity = object.versionId ?? object.eTag ?? '';
  const outcomeKey = masterOutcomeKey(object.key, identity);
  const existing = await findOutcome(deps, outcomeKey);
  if (existing !== undefined) return { replayed: true, outcome: existing };
  const base = { source: uploadSourceId(deps.config.buckets.uploads, object.key, identity), received_at: object.receivedAt.toISOString() };
  const refused = await ticketRefusal(deps, object);
  if (refused !== null) {
    const outcome: MasterOutcome = { ...base, status: 'rejected', counts: { dealers: 0, products: 0, parts: 0 }, errors: [{ ...ticketRefusalIssue(refused), sheet: null }], warnings: [], error_workbook_key: null };
    await deps.blobs.put('reports', outcomeKey, JSON.stringify(outcome), 'application/json');
    return { replayed: false, outcome, refused };
  }
  // The version the event names, not whatever was written under the key since.
  const result = await importMaster(deps, await deps.blobs.get('uploads', object.key, object.versionId));
  let errorWorkbookKey: string | null = null;
  if (result.errorReport !== undefined && result.errorReport !== null) {
    errorWorkbookKey = outcomeKey.replace(/\.json$/, '.xlsx');
    await deps.blobs.put('reports', errorWorkbookKey, result.errorReport, XLSX_CONTENT_TYPE);
  }
  const outcome: MasterOutcome = { ...base, status: result.status, counts: result.counts, errors: result.errors, warnings: result.warnings, error_workbook_key: errorWorkbookKey };
  await deps.blobs.put('reports', outcomeKey, JSON.stringify(outcome), 'application/json');
  return { replayed: false, outcome };
}

async function ticketRefusal(deps: Pick<MasterImportDeps, 'tickets'>, object: MasterObject): Promise<TicketRefusal | null> {
  const ticket = await deps.tickets.find(object.key);
  if (ticket?.target?.type !== 'master') return 'no_ticket';
  return object.receivedAt.getTime() > Date.parse(ticket.expires_at) ? 'expired' : null;
}
