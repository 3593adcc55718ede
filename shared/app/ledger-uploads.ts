import { randomUUID } from 'node:crypto';
import type { BackOfficeConfig } from '../config.js';
import type { Action, Caller } from '../domain/access.js';
import type { LedgerType } from '../domain/ledger-validation.js';
import { XLSX_CONTENT_TYPE } from '../sheets/content-type.js';
import { authorize, Refusal } from './access.js';
import { ingestLedger, type LedgerIngestDeps } from './ingest-ledger.js';
import type { ObjectLinks } from './links.js';
import { REPORT_PREFIXES } from './report-keys.js';
import { uploadSourceId } from './upload-keys.js';
import { LINK_SECONDS, shownIssues, uploadTicket, type UploadTicket } from './uploads.js';

/** Shipments and returns files uploaded through the portal, checked and recorded on request. */
export type LedgerUploadDeps = LedgerIngestDeps & {
  readonly links: ObjectLinks;
  readonly config: Pick<BackOfficeConfig, 'buckets'>;
};

const ledgerAction = (type: LedgerType): Action => (type === 'shipments' ? 'upload_shipments' : 'upload_returns');
/** Ledger uploads live apart from report keys, so the report ingest handler never takes them for a report. */
const ledgerKey = (type: LedgerType, uploadId: string) => `ledger/${type}/${uploadId}.xlsx`;

/** A presigned form for a shipments (after-sales) or returns (return warehouse) file. */
export async function requestLedgerUpload(deps: LedgerUploadDeps, caller: Caller, type: LedgerType): Promise<UploadTicket> {
  authorize(caller, ledgerAction(type));
  const uploadId = randomUUID();
  return uploadTicket(deps, ledgerKey(type, uploadId), uploadId);
}

/** Records an uploaded shipments or returns file; running it again for the same file records nothing twice. */
export async function recordLedgerUpload(deps: LedgerUploadDeps, caller: Caller, type: LedgerType, uploadId: string) {
  authorize(caller, ledgerAction(type));
  const key = ledgerKey(type, uploadId);
  const identity = await deps.links.identity('uploads', key);
  if (identity === undefined) throw new Refusal('not_found', 'Nothing has been uploaded under this upload id', '此上传编号下还没有文件');
  const result = await ingestLedger(deps, {
    bytes: await deps.blobs.get('uploads', key),
    type,
    receivedAt: deps.clock.now(),
    sourceId: uploadSourceId(deps.config.buckets.uploads, key, identity),
  });
  let errorWorkbookUrl: string | null = null;
  if (result.errorReport !== null) {
    const reportKey = `${REPORT_PREFIXES.ledgerErrors}${type}/${uploadId}.xlsx`;
    await deps.blobs.put('reports', reportKey, result.errorReport, XLSX_CONTENT_TYPE);
    errorWorkbookUrl = await deps.links.downloadUrl('reports', reportKey, { fileName: `${type}-errors.xlsx`, expiresInSeconds: LINK_SECONDS });
  }
  const { errorReport: _bytes, ...outcome } = result;
  return { ...outcome, ...shownIssues(outcome.errors, outcome.warnings), error_workbook_url: errorWorkbookUrl };
}
