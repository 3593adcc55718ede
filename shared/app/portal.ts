import { randomUUID } from 'node:crypto';
import type { BackOfficeConfig } from '../config.js';
import { decide, listScope, type Action, type Caller } from '../domain/access.js';
import { businessDateOf, lateDeadline } from '../domain/dates.js';
import { REPORT_TYPES, UPLOAD_TITLES, type ReportType } from '../domain/fields.js';
import { canTransition, InvoiceStatusError, transitionInvoice, type InvoiceStatus } from '../domain/invoice.js';
import type { Issue } from '../domain/issues.js';
import type { LedgerType } from '../domain/ledger-validation.js';
import { formatYuan, sum, ZERO_FEN, type Fen } from '../domain/money.js';
import { TEMPLATE_FILES, writeTemplate, type TemplateType } from '../sheets/template.js';
import { writeStatisticsWorkbook } from '../sheets/statistics-workbook.js';
import { writeReconciliationWorkbook } from '../sheets/reconciliation-workbook.js';
import { ingestLedger } from './ingest-ledger.js';
import type { ObjectLinks, UploadForm } from './links.js';
import type { BlobStore, Clock, InvoiceStore, LedgerStore, MasterStore, ReconciliationStore, ReportStore, ReportTarget, StoredInvoice, SubmissionOutcome, VersionSummary } from './ports.js';
import { monthStatistics } from './statistics.js';
import { reconciliationReport } from './reconciliation-report.js';
import { REPORT_PREFIXES } from './report-keys.js';
import { uploadKey, uploadSourceId } from './upload-keys.js';

/**
 * What the portal and the HTTP API do for a signed-in caller: every use case here first asks
 * `decide` whether the caller may, so no route can forget to. Files never pass through: the
 * browser gets presigned links, and the ingest handler takes in what lands in the uploads bucket.
 */
export interface PortalDeps {
  readonly reports: ReportStore;
  readonly invoices: InvoiceStore;
  readonly master: MasterStore;
  readonly ledger: LedgerStore;
  readonly reconciliations: ReconciliationStore;
  readonly blobs: BlobStore;
  readonly links: ObjectLinks;
  readonly clock: Clock;
  readonly config: Pick<BackOfficeConfig, 'maxUploadBytes' | 'maxUploadRows' | 'businessTimeZone' | 'buckets'>;
}

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** How long a presigned link works: long enough to upload 20 MB on a slow line, short enough not to be passed around. */
const LINK_SECONDS = 15 * 60;
/** Issues returned in one answer; the annotated workbook has them all. */
const ISSUES_SHOWN = 1_000;

export type PortalErrorCode = 'forbidden' | 'not_found' | 'conflict';

/** A refusal the caller is told about in both languages; `denied` marks the ones the audit log keeps. */
export class PortalError extends Error {
  override readonly name = 'PortalError';

  constructor(
    readonly code: PortalErrorCode,
    message: string,
    readonly message_zh: string,
    readonly denied?: { readonly action: Action; readonly reason: 'role' | 'dealer'; readonly dealer?: string },
  ) {
    super(message);
  }
}

const forbidden = (action: Action, reason: 'role' | 'dealer', dealer?: string): PortalError =>
  reason === 'dealer'
    ? new PortalError('forbidden', `You may not act for dealer ${dealer ?? ''}`, `您无权查看或提交经销商 ${dealer ?? ''} 的数据`, { action, reason, dealer })
    : new PortalError('forbidden', 'Your role may not do this', '您的角色无权执行此操作', { action, reason, dealer });

function authorize(caller: Caller, action: Action, dealer?: string): void {
  const decision = decide(caller, action, dealer);
  if (!decision.allowed) throw forbidden(action, decision.reason, dealer);
}

/** Who the caller is, as the portal shows it. */
export async function whoAmI(deps: Pick<PortalDeps, 'master'>, caller: Caller) {
  const master = caller.dealer === null ? undefined : await deps.master.load();
  return {
    subject: caller.subject,
    roles: [...caller.roles].sort(),
    dealer: caller.dealer,
    dealer_name: caller.dealer === null ? null : (master?.dealers.get(caller.dealer)?.dealer_name ?? null),
  };
}

export function listTemplates(caller: Caller) {
  authorize(caller, 'download_templates');
  return (Object.keys(TEMPLATE_FILES) as TemplateType[]).map((type) => ({
    type,
    file_name: TEMPLATE_FILES[type],
    title: type === 'master' ? { en: 'Master data', zh: '主数据' } : UPLOAD_TITLES[type],
  }));
}

export async function template(caller: Caller, type: TemplateType): Promise<{ fileName: string; bytes: Uint8Array }> {
  authorize(caller, 'download_templates');
  return { fileName: TEMPLATE_FILES[type], bytes: await writeTemplate(type) };
}

export interface UploadTicket {
  readonly upload_id: string;
  readonly form: UploadForm;
  readonly content_type: string;
  readonly max_bytes: number;
  readonly expires_at: string;
}

async function ticket(deps: PortalDeps, key: string, uploadId: string): Promise<UploadTicket> {
  const form = await deps.links.uploadForm('uploads', key, { contentType: XLSX_CONTENT_TYPE, maxBytes: deps.config.maxUploadBytes, expiresInSeconds: LINK_SECONDS });
  return {
    upload_id: uploadId,
    form,
    content_type: XLSX_CONTENT_TYPE,
    max_bytes: deps.config.maxUploadBytes,
    expires_at: new Date(deps.clock.now().getTime() + LINK_SECONDS * 1000).toISOString(),
  };
}

/**
 * A presigned form for one report upload. The key is made here from the checked dealer, type
 * and period, so whatever the browser sends can only land where the ingest handler reads it
 * as this dealer's report.
 */
export async function requestReportUpload(deps: PortalDeps, caller: Caller, target: ReportTarget): Promise<UploadTicket> {
  authorize(caller, 'upload_report', target.dealer);
  const master = await deps.master.load();
  if (!master.dealers.has(target.dealer)) {
    throw new PortalError('not_found', `Dealer ${target.dealer} is not in the master data`, `经销商 ${target.dealer} 不在经销商名录中`);
  }
  const uploadId = randomUUID();
  return ticket(deps, uploadKey(target, uploadId), uploadId);
}

export interface SubmissionView {
  readonly dealer: string;
  readonly type: ReportType;
  readonly period: string;
  readonly version: number | null;
  readonly status: VersionSummary['status'];
  readonly late: boolean;
  readonly received_at: string;
  readonly counts: VersionSummary['counts'];
  readonly errors: readonly Issue[];
  readonly errors_total: number;
  readonly warnings: readonly Issue[];
  readonly warnings_total: number;
  /** A presigned link to the uploaded sheet with every bad cell marked, when one was written. */
  readonly error_workbook_url: string | null;
}

async function submissionView(deps: PortalDeps, target: ReportTarget, outcome: SubmissionOutcome, status: VersionSummary['status']): Promise<SubmissionView> {
  let { errors, warnings } = outcome;
  let errorWorkbookUrl: string | null = null;
  if (outcome.error_report_key !== null) {
    // The stored outcome keeps the first issues only; the full list lies beside the workbook.
    const full = JSON.parse(new TextDecoder().decode(await deps.blobs.get('reports', outcome.error_report_key.replace(/\.xlsx$/, '.json')))) as { errors: Issue[]; warnings: Issue[] };
    ({ errors, warnings } = full);
    errorWorkbookUrl = await deps.links.downloadUrl('reports', outcome.error_report_key, {
      fileName: `${target.dealer}-${target.type}-${target.period}-v${outcome.version ?? 0}-errors.xlsx`,
      expiresInSeconds: LINK_SECONDS,
    });
  }
  return {
    ...target,
    version: outcome.version,
    status,
    late: outcome.late,
    received_at: outcome.received_at,
    counts: outcome.counts,
    errors: errors.slice(0, ISSUES_SHOWN),
    errors_total: errors.length,
    warnings: warnings.slice(0, ISSUES_SHOWN),
    warnings_total: warnings.length,
    error_workbook_url: errorWorkbookUrl,
  };
}

export type UploadState =
  | { readonly state: 'waiting' }
  | { readonly state: 'processing' }
  | { readonly state: 'accepted' | 'rejected'; readonly submission: SubmissionView };

/** Where an upload stands: not arrived yet, being checked, or its outcome with every error. */
export async function reportUploadStatus(deps: PortalDeps, caller: Caller, target: ReportTarget, uploadId: string): Promise<UploadState> {
  authorize(caller, 'read_reports', target.dealer);
  const key = uploadKey(target, uploadId);
  const identity = await deps.links.identity('uploads', key);
  if (identity === undefined) return { state: 'waiting' };
  const outcome = await deps.reports.findOutcome(uploadSourceId(deps.config.buckets.uploads, key, identity));
  if (outcome === undefined) return { state: 'processing' };
  const status = outcome.status === 'accepted' ? ((await deps.reports.currentVersion(target))?.version === outcome.version ? 'accepted' : 'superseded') : 'rejected';
  return { state: outcome.status, submission: await submissionView(deps, target, outcome, status) };
}

/** A dealer's month: each report's current version, its history, and whether it is missing or late. */
export async function monthReports(deps: PortalDeps, caller: Caller, dealer: string, period: string) {
  authorize(caller, 'read_reports', dealer);
  const today = businessDateOf(deps.clock.now(), deps.config.businessTimeZone);
  const deadline = lateDeadline(period);
  const reports = await Promise.all(
    REPORT_TYPES.map(async (type) => {
      const target = { dealer, type, period };
      const [current, versions] = await Promise.all([deps.reports.currentVersion(target), deps.reports.versions(target)]);
      const marker = current === undefined ? (today > deadline ? 'missing' : 'due') : current.late ? 'late' : 'on_time';
      return {
        type,
        marker,
        current_version: current?.version ?? null,
        versions: versions
          .sort((a, b) => b.version - a.version)
          .map(({ source: _source, ...version }) => version),
      };
    }),
  );
  return { dealer, period, deadline, reports };
}

/** One version of a report with its errors and the annotated workbook. */
export async function reportVersion(deps: PortalDeps, caller: Caller, target: ReportTarget, version: number): Promise<SubmissionView> {
  authorize(caller, 'read_reports', target.dealer);
  const summary = (await deps.reports.versions(target)).find((v) => v.version === version);
  if (summary === undefined) throw new PortalError('not_found', `No version ${version} of this report`, `该报表没有第 ${version} 版`);
  const outcome = await deps.reports.findOutcome(summary.source);
  if (outcome === undefined) {
    return { ...target, version, status: summary.status, late: summary.late, received_at: summary.received_at, counts: summary.counts, errors: [], errors_total: 0, warnings: [], warnings_total: 0, error_workbook_url: null };
  }
  return submissionView(deps, target, outcome, summary.status);
}

const STATUSES: readonly InvoiceStatus[] = ['draft', 'issued', 'archived', 'paid'];

function invoiceSummary(invoice: StoredInvoice) {
  return {
    invoice_no: invoice.invoice_no,
    period: invoice.period,
    dealer: invoice.dealer,
    issued_on: invoice.issued_on,
    tax_invoice_now: invoice.tax_invoice_now,
    total: formatYuan(invoice.total),
    total_fen: invoice.total,
    total_in_words: invoice.total_in_words,
    status: invoice.status,
    next_statuses: STATUSES.filter((to) => canTransition(invoice.status, to)),
    lines: invoice.lines.length,
  };
}

/** A period's invoices the caller may see, with their total; a dealer sees its own only. */
export async function listInvoices(deps: PortalDeps, caller: Caller, period: string, dealer?: string) {
  const scope = listScope(caller, 'read_invoices', dealer);
  if (scope === null) throw forbidden('read_invoices', decide(caller, 'read_invoices').allowed ? 'dealer' : 'role', dealer);
  const invoices = (await deps.invoices.byPeriod(period, scope.dealer)).sort((a, b) => (a.invoice_no < b.invoice_no ? -1 : 1));
  const total = sum(invoices.map((i) => i.total));
  return { period, dealer: scope.dealer ?? null, count: invoices.length, total: formatYuan(total), total_fen: total, invoices: invoices.map(invoiceSummary) };
}

const INVOICE_NO = /^FY-(\d{4}-\d{2})-\d{4,}$/;

/**
 * The invoice with this number, if the caller may see it. Another dealer's invoice is
 * answered exactly like a number that does not exist, so numbers reveal nothing.
 */
async function findInvoice(deps: PortalDeps, caller: Caller, invoiceNo: string, action: Action): Promise<StoredInvoice> {
  const notFound = new PortalError('not_found', `No invoice ${invoiceNo}`, `没有编号为 ${invoiceNo} 的收费单`);
  const period = INVOICE_NO.exec(invoiceNo)?.[1];
  if (period === undefined) throw notFound;
  const invoice = (await deps.invoices.byPeriod(period)).find((i) => i.invoice_no === invoiceNo);
  if (invoice === undefined) throw notFound;
  const decision = decide(caller, action, invoice.dealer.code);
  if (!decision.allowed) {
    if (decision.reason === 'role') throw forbidden(action, 'role');
    throw new PortalError('not_found', notFound.message, notFound.message_zh, { action, reason: 'dealer', dealer: invoice.dealer.code });
  }
  return invoice;
}

export async function invoiceDetail(deps: PortalDeps, caller: Caller, invoiceNo: string) {
  const invoice = await findInvoice(deps, caller, invoiceNo, 'read_invoices');
  const downloadUrl =
    invoice.workbook_key === null
      ? null
      : await deps.links.downloadUrl('invoices', invoice.workbook_key, { fileName: `${invoice.invoice_no}.xlsx`, expiresInSeconds: LINK_SECONDS });
  return {
    ...invoiceSummary(invoice),
    lines: invoice.lines.map((line) => ({ ...line, unit_price: formatYuan(line.unit_price), amount: formatYuan(line.amount) })),
    download_url: downloadUrl,
  };
}

/** Moves an invoice along draft → issued/archived → paid; finance only. */
export async function changeInvoiceStatus(deps: PortalDeps, caller: Caller, invoiceNo: string, to: InvoiceStatus) {
  authorize(caller, 'change_invoice_status');
  const invoice = await findInvoice(deps, caller, invoiceNo, 'change_invoice_status');
  try {
    transitionInvoice(invoice, to);
  } catch (error) {
    if (!(error instanceof InvoiceStatusError)) throw error;
    throw new PortalError('conflict', `Invoice ${invoiceNo} is ${invoice.status} and cannot become ${to}`, `收费单 ${invoiceNo} 当前状态为 ${invoice.status}，不能改为 ${to}`);
  }
  if ((await deps.invoices.setStatus(invoice, to)) === 'conflict') {
    throw new PortalError('conflict', `Invoice ${invoiceNo} was changed by someone else; reload it`, `收费单 ${invoiceNo} 已被他人修改，请刷新后重试`);
  }
  return invoiceSummary({ ...invoice, status: to });
}

/** The 用户借料盘点表 of a month reconciled as of a date: how many dealers, what was flagged, and a link to the workbook. */
export async function periodReconciliation(deps: PortalDeps, caller: Caller, period: string, as_of: string) {
  authorize(caller, 'read_reconciliations');
  const report = await reconciliationReport(deps, period, as_of);
  if (report === null) {
    throw new PortalError('not_found', `${period} has not been reconciled as of ${as_of}`, `${period} 尚未按 ${as_of} 进行借料盘点`);
  }
  const key = `${REPORT_PREFIXES.reconciliations}${period}-${as_of}.xlsx`;
  await deps.blobs.put('reports', key, await writeReconciliationWorkbook(report), XLSX_CONTENT_TYPE);
  return {
    period,
    as_of,
    dealers: report.dealers.length,
    flagged: report.dealers.reduce((n, d) => n + (d.flagged?.length ?? 0), 0),
    workbook_url: await deps.links.downloadUrl('reports', key, { fileName: `reconciliation-${period}-${as_of}.xlsx`, expiresInSeconds: LINK_SECONDS }),
  };
}

/** The month's statistics: figures per dealer for the page's chart and a link to the full workbook. */
export async function periodStatistics(deps: PortalDeps, caller: Caller, period: string) {
  authorize(caller, 'read_statistics');
  const { statistics, names } = await monthStatistics(deps, period);
  const key = `${REPORT_PREFIXES.statistics}${period}.xlsx`;
  await deps.blobs.put('reports', key, await writeStatisticsWorkbook(statistics, names), XLSX_CONTENT_TYPE);
  const dealers = new Map<string, { installations: number; repairs: number; charged_fen: Fen }>();
  const row = (code: string) => dealers.get(code) ?? dealers.set(code, { installations: 0, repairs: 0, charged_fen: ZERO_FEN }).get(code)!;
  for (const r of statistics.installations.rows) row(r.dealer_code).installations += r.installations;
  for (const r of statistics.repairs.by_dealer) row(r.dealer_code).repairs += r.records;
  for (const invoice of await deps.invoices.byPeriod(period)) {
    const figures = row(invoice.dealer.code);
    figures.charged_fen = sum([figures.charged_fen, invoice.total]);
  }
  return {
    period,
    totals: { installations: statistics.installations.total, repairs: statistics.repairs.total, outbound_qty: statistics.outbound.total_qty },
    dealers: [...dealers.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([code, figures]) => ({ dealer_code: code, dealer_name: names.dealers.get(code) ?? code, ...figures, charged: formatYuan(figures.charged_fen) })),
    workbook_url: await deps.links.downloadUrl('reports', key, { fileName: `statistics-${period}.xlsx`, expiresInSeconds: LINK_SECONDS }),
  };
}

const ledgerAction = (type: LedgerType): Action => (type === 'shipments' ? 'upload_shipments' : 'upload_returns');
/** Ledger uploads live apart from report keys, so the report ingest handler never takes them for a report. */
const ledgerKey = (type: LedgerType, uploadId: string) => `ledger/${type}/${uploadId}.xlsx`;

/** A presigned form for a shipments (after-sales) or returns (return warehouse) file. */
export async function requestLedgerUpload(deps: PortalDeps, caller: Caller, type: LedgerType): Promise<UploadTicket> {
  authorize(caller, ledgerAction(type));
  const uploadId = randomUUID();
  return ticket(deps, ledgerKey(type, uploadId), uploadId);
}

/** Records an uploaded shipments or returns file; running it again for the same file records nothing twice. */
export async function recordLedgerUpload(deps: PortalDeps, caller: Caller, type: LedgerType, uploadId: string) {
  authorize(caller, ledgerAction(type));
  const key = ledgerKey(type, uploadId);
  const identity = await deps.links.identity('uploads', key);
  if (identity === undefined) throw new PortalError('not_found', 'Nothing has been uploaded under this upload id', '此上传编号下还没有文件');
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
  return {
    ...outcome,
    errors: outcome.errors.slice(0, ISSUES_SHOWN),
    errors_total: outcome.errors.length,
    warnings: outcome.warnings.slice(0, ISSUES_SHOWN),
    warnings_total: outcome.warnings.length,
    error_workbook_url: errorWorkbookUrl,
  };
}
