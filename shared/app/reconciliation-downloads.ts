import type { Caller } from '../domain/access.js';
import { XLSX_CONTENT_TYPE } from '../sheets/content-type.js';
import type { ReconciliationWorkbookInput } from '../sheets/reconciliation-workbook.js';
import { authorize, Refusal } from './access.js';
import type { ObjectLinks } from './links.js';
import type { BlobStore, MasterStore, ReconciliationStore } from './ports.js';
import { reconciliationReport } from './reconciliation-report.js';
import { REPORT_PREFIXES } from './report-keys.js';
import { LINK_SECONDS } from './uploads.js';

export interface ReconciliationWorkbookDeps {
  readonly master: MasterStore;
  readonly reconciliations: ReconciliationStore;
  /** The workbook writer (exceljs, from the composition root). */
  readonly renderReconciliation: (input: ReconciliationWorkbookInput) => Promise<Uint8Array>;
}

/**
 * The 用户借料盘点表 workbook of a month reconciled as of a date, with how many dealers it
 * holds and how many loans were flagged; null when the month was not reconciled as of that date.
 */
export async function reconciliationWorkbook(deps: ReconciliationWorkbookDeps, period: string, as_of: string): Promise<{ workbook: Uint8Array; dealers: number; flagged: number } | null> {
  const report = await reconciliationReport(deps, period, as_of);
  if (report === null) return null;
  return {
    workbook: await deps.renderReconciliation(report),
    dealers: report.dealers.length,
    flagged: report.dealers.reduce((n, d) => n + (d.flagged?.length ?? 0), 0),
  };
}

/** The 用户借料盘点表 of a month reconciled as of a date: how many dealers, what was flagged, and a link to the workbook. */
export async function periodReconciliation(deps: ReconciliationWorkbookDeps & { readonly blobs: BlobStore; readonly links: ObjectLinks }, caller: Caller, period: string, as_of: string) {
  authorize(caller, 'read_reconciliations');
  const found = await reconciliationWorkbook(deps, period, as_of);
  if (found === null) {
    throw new Refusal('not_found', `${period} has not been reconciled as of ${as_of}`, `${period} 尚未按 ${as_of} 进行借料盘点`);
  }
  const key = `${REPORT_PREFIXES.reconciliations}${period}-${as_of}.xlsx`;
  await deps.blobs.put('reports', key, found.workbook, XLSX_CONTENT_TYPE);
  return {
    period,
    as_of,
    dealers: found.dealers,
    flagged: found.flagged,
    workbook_url: await deps.links.downloadUrl('reports', key, { fileName: `reconciliation-${period}-${as_of}.xlsx`, expiresInSeconds: LINK_SECONDS }),
  };
}
