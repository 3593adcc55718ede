import { REPORT_TYPES, type ReportType } from '../domain/fields.js';
import { LEDGER_TYPES, type LedgerType } from '../domain/ledger-validation.js';
import type { ReportTarget } from './ports.js';

/**
 * Upload object keys are made by the application, never by the uploader:
 * `<type>/<dealer>/<period>/<upload id>.xlsx`. The key alone tells the ingest handler whose
 * report it is, so an upload cannot claim another dealer by what it puts in the file.
 */
const KEY = /^(?<type>[a-z_]+)\/(?<dealer>[A-Za-z0-9_-]{1,32})\/(?<period>\d{4}-\d{2})\/(?<id>[A-Za-z0-9._-]{1,200})\.xlsx$/;

export function uploadKey(target: ReportTarget, uploadId: string): string {
  return `${target.type}/${target.dealer}/${target.period}/${uploadId}.xlsx`;
}

/** The report an uploads-bucket key belongs to, or null for a key the application did not make. */
export function parseUploadKey(key: string): ReportTarget | null {
  const match = KEY.exec(key);
  const groups = match?.groups;
  if (groups === undefined) return null;
  const type = groups.type as ReportType;
  if (!REPORT_TYPES.includes(type)) return null;
  return { type, dealer: groups.dealer as string, period: groups.period as string };
}

/** S3 event notifications carry keys URL-encoded, with '+' for spaces. */
export const decodeEventKey = (key: string): string => decodeURIComponent(key.replace(/\+/g, ' '));

/** The identity of one uploaded object, as the ingest handler records its submission under. */
export const uploadSourceId = (bucketName: string, key: string, objectIdentity: string): string => `s3://${bucketName}/${key}#${objectIdentity}`;

/**
 * Master-data workbooks arrive under `master/portal/<upload id>.xlsx`, the one key of the
 * ticket the admin's portal form was signed with: the import is notified of, may read and
 * takes in nothing else under `master/` (operators load a file with `backoffice master import`).
 */
export const MASTER_UPLOAD_PREFIX = 'master/';
export const MASTER_PORTAL_PREFIX = `${MASTER_UPLOAD_PREFIX}portal/`;

/** The key the portal's master-data upload form puts the workbook under. */
export const masterUploadKey = (uploadId: string): string => `${MASTER_PORTAL_PREFIX}${uploadId}.xlsx`;

/** Whether a key is a master-data workbook of the portal's form (which must have its ticket). */
export const isMasterUploadKey = (key: string): boolean => key.startsWith(MASTER_PORTAL_PREFIX) && key.toLowerCase().endsWith('.xlsx');

/**
 * Shipments and returns files live apart from report keys, under `ledger/<type>/<upload id>.xlsx`:
 * the S3 notifications send this prefix to the ledger worker and the report types' to the ingest.
 */
export const LEDGER_UPLOAD_PREFIX = 'ledger/';

const LEDGER_KEY = /^ledger\/(?<type>[a-z]+)\/(?<id>[A-Za-z0-9-]{1,64})\.xlsx$/;

export const ledgerUploadKey = (type: LedgerType, uploadId: string): string => `${LEDGER_UPLOAD_PREFIX}${type}/${uploadId}.xlsx`;

/** The ledger upload an uploads-bucket key names, or null for a key the application did not make. */
export function parseLedgerUploadKey(key: string): { readonly type: LedgerType; readonly uploadId: string } | null {
  const groups = LEDGER_KEY.exec(key)?.groups;
  if (groups === undefined || !LEDGER_TYPES.includes(groups.type as LedgerType)) return null;
  return { type: groups.type as LedgerType, uploadId: groups.id as string };
}
