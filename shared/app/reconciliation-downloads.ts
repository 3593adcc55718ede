import type { Caller } from '../domain/access.js';
import { XLSX_CONTENT_TYPE } from '../sheets/content-type.js';
import type { ReconciliationWorkbookInput } from '../sheets/reconciliation-workbook.js';
import { authorize, Refusal } from './access.js';
import type { ObjectLinks } from './links.js';
import type { BlobStore, LedgerStore, MasterStore, ReconciliationStore } from './ports.js';
import { reconciliationReport } from './reconciliation-report.js';
import { REPORT_PREFIXES } from './report-keys.js';
import { LINK_SECONDS } from './uploads.js';

export interface ReconciliationWorkbookDeps {
  readonly master: MasterStore;
  readonly reconciliations: ReconciliationStore;
  /** The period's charged shipments, for those no form names. */
  readonly ledger: LedgerStore;
  /** The workbook writer (exceljs, from the composition root). */
  readonly renderReconciliation: (input: ReconciliationWorkbookInput) => Promise<Uint8Array>;
}

/** How many dealers a stored 用户借料盘点表 holds and how many loans it flags: what the portal shows beside the link. */
export interface ReconciliationSummary {
  readonly dealers: number;
  readonly flagged: number;
}

/** Where a month's 用户借料盘点表 as of a date is kept in the reports bucket: the workbook, and its summary beside it. */
export const reconciliationKeys = (period: string, as_of: string) => {
  const stem = `${REPORT_PREFIXES.reconciliations}${period}-${as_of}`;
  return { stem, workbook: `${stem}.xlsx`, summary: `${stem}.json` };
};

/**
 * The 用户借料盘点表 workbook of a month reconciled as of a date, with how many dealers it
 * holds and how many loans were flagged; null when the month was not reconciled as of that date.
 */
export async function reconciliationWorkbook(deps: ReconciliationWorkbookDeps, period: string, as_of: string): Promise<({ workbook: Uint8Array } & ReconciliationSummary) | null> {
  const report = await reconciliationReport(deps, period, as_of);
  if (report === null) return null;
  return {
    workbook: await deps.renderReconciliation(report),
    dealers: report.dealers.length,
    flagged: report.dealers.reduce((n, d) => n + (d.flagged?.length ?? 0), 0),
  };
}

/**
 * Builds the 用户借料盘点表 and keeps it in the reports bucket, the workbook first and its
 * summary last, so a summary found means its workbook is there. Writing again writes the same
 * keys: the run's last dealer, redelivered, does no harm. Null when nothing was reconciled.
 */
export async function storeReconciliationWorkbook(
  deps: ReconciliationWorkbookDeps & { readonly blobs: BlobStore },
  period: string,
  as_of: string,
): Promise<ReconciliationSummary | null> {
  const found = await reconciliationWorkbook(deps, period, as_of);
  if (found === null) return null;
  const keys = reconciliationKeys(period, as_of);
  const summary: ReconciliationSummary = { dealers: found.dealers, flagged: found.flagged };
  await deps.blobs.put('reports', keys.workbook, found.workbook, XLSX_CONTENT_TYPE);
  await deps.blobs.put('reports', keys.summary, JSON.stringify(summary), 'application/json');
  return summary;
}

/** What the API answers for a reconciliation: the workbook's link, or that the run is still making it. */
export type PeriodReconciliation =
  | { readonly status: 'ready'; readonly period: string; readonly as_of: string; readonly dealers: number; readonly flagged: number; readonly workbook_url: string }
  | { readonly status: 'preparing'; readonly period: string; readonly as_of: string; readonly dealers_total: number; readonly dealers_done: number };

/**
 * The 用户借料盘点表 of a month reconciled as of a date. The run's last dealer writes the
 * workbook (shared/app/reconcile.ts), so this only hands out a link to it; while the run is
 * still running it says so. A run settled before the run wrote its workbook (or whose
 * workbook was lost) has it built here once and kept.
 */
export async function periodReconciliation(
  deps: ReconciliationWorkbookDeps & { readonly blobs: BlobStore; readonly links: ObjectLinks },
  caller: Caller,
  period: string,
  as_of: string,
): Promise<PeriodReconciliation> {
  authorize(caller, 'read_reconciliations');
  const notReconciled = () => new Refusal('not_found', `${period} has not been reconciled as of ${as_of}`, `${period} 尚未按 ${as_of} 进行借料盘点`);
  const run = await deps.reconciliations.findRun(period, as_of);
  if (run === undefined) throw notReconciled();
  if (run.status === 'running') {
    return { status: 'preparing', period, as_of, dealers_total: run.dealers_total, dealers_done: run.dealers_done };
  }
  const keys = reconciliationKeys(period, as_of);
  const stored = (await deps.blobs.list('reports', keys.stem)).includes(keys.summary)
    ? (JSON.parse(new TextDecoder().decode(await deps.blobs.get('reports', keys.summary))) as ReconciliationSummary)
    : await storeReconciliationWorkbook(deps, period, as_of);
  if (stored === null) throw notReconciled();
  return {
    status: 'ready',
    period,
    as_of,
    dealers: stored.dealers,
    flagged: stored.flagged,
    workbook_url: await deps.links.downloadUrl('reports', keys.workbook, { fileName: `reconciliation-${period}-${as_of}.xlsx`, expiresInSeconds: LINK_SECONDS }),
  };
}
