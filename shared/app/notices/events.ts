import type { NoticeEvent } from '../../domain/notices.js';
import type { LedgerUploadOutcome, ReportTarget } from '../ports.js';

/** The upload form id a key ends in (`…/<uuid>.xlsx`), where the portal follows the upload by it. */
const uploadIdOf = (key: string): string | null => /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.xlsx$/i.exec(key)?.[1] ?? null;

/** A dealer's report checked: accepted or rejected, with its counts; told to the dealer. */
export const reportChecked = (
  target: ReportTarget,
  result: { readonly status: 'accepted' | 'rejected'; readonly errors: readonly unknown[]; readonly warnings: readonly unknown[]; readonly error_report_key?: string | null },
  source: string,
): NoticeEvent => ({
  kind: 'upload_checked',
  upload: target.type,
  source,
  status: result.status,
  errors: result.errors.length,
  warnings: result.warnings.length,
  dealer: target.dealer,
  period: target.period,
  upload_id: null,
  annotated: (result.error_report_key ?? null) !== null,
});

/** A shipments or returns file checked; told to who records them (domain/notices.ts). `upload_id` where it came through a form of the portal. */
export const ledgerChecked = (
  outcome: Pick<LedgerUploadOutcome, 'type' | 'source' | 'status' | 'errors' | 'warnings'> & { readonly upload_id: string | null; readonly annotated: boolean },
): NoticeEvent => ({
  kind: 'upload_checked',
  upload: outcome.type,
  source: outcome.source,
  status: outcome.status,
  errors: outcome.errors.length,
  warnings: outcome.warnings.length,
  dealer: null,
  period: null,
  upload_id: outcome.upload_id,
  annotated: outcome.annotated,
});

/** The master-data workbook checked; told to the admins. */
export const masterChecked = (
  key: string,
  outcome: { readonly status: 'accepted' | 'rejected'; readonly source: string; readonly errors: readonly unknown[]; readonly warnings: readonly unknown[]; readonly error_workbook_key: string | null },
): NoticeEvent => ({
  kind: 'upload_checked',
  upload: 'master',
  source: outcome.source,
  status: outcome.status,
  errors: outcome.errors.length,
  warnings: outcome.warnings.length,
  dealer: null,
  period: null,
  upload_id: uploadIdOf(key),
  annotated: outcome.error_workbook_key !== null,
});
