import type { BackOfficeConfig } from '../config.js';
import type { Issue } from '../domain/issues.js';
import { XLSX_CONTENT_TYPE } from '../sheets/content-type.js';
import type { ObjectLinks, UploadForm } from './links.js';
import type { Clock } from './ports.js';

/** How long a presigned link works: long enough to upload 20 MB on a slow line, short enough not to be passed around. */
export const LINK_SECONDS = 15 * 60;
/** Issues returned in one answer; the annotated workbook has them all. */
const ISSUES_SHOWN = 1_000;

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

/** The first issues of an upload for an answer, with how many there are in all. */
export function shownIssues(errors: readonly Issue[], warnings: readonly Issue[]) {
  return {
    errors: errors.slice(0, ISSUES_SHOWN),
    errors_total: errors.length,
    warnings: warnings.slice(0, ISSUES_SHOWN),
    warnings_total: warnings.length,
  };
}
