import { randomUUID } from 'node:crypto';
import { setTimeout as pause } from 'node:timers/promises';
import type { BackOfficeConfig } from '../config.js';
import type { Caller } from '../domain/access.js';
import { businessDateOf, lateDeadline } from '../domain/dates.js';
import { REPORT_TYPES, type ReportType } from '../domain/fields.js';
import type { Issue } from '../domain/issues.js';
import { XLSX_CONTENT_TYPE } from '../sheets/content-type.js';
import { authorize, Refusal } from './access.js';
import type { ObjectLinks } from './links.js';
import type { BlobStore, Clock, MasterStore, ReportStore, ReportTarget, SubmissionOutcome, UploadTicketStore, VersionSummary } from './ports.js';
import { uploadKey, uploadSourceId } from './upload-keys.js';
import { LINK_SECONDS, recordTicket, shownIssues, uploadTicket, type UploadTicket } from './uploads.js';

/**
 * A dealer's monthly reports as people reach them: the upload form, where an upload stands,
 * the month's reports with their versions. Files never pass through: the browser gets
 * presigned links, and the ingest handler takes in what lands in the uploads bucket.
 */
export interface ReportDeps {
  readonly reports: ReportStore;
  readonly master: MasterStore;
  readonly blobs: BlobStore;
  readonly links: ObjectLinks;
  readonly tickets: UploadTicketStore;
  readonly clock: Clock;
  readonly config: Pick<BackOfficeConfig, 'maxUploadBytes' | 'businessTimeZone' | 'buckets'>;
}

/**
 * A presigned form for one report upload. The key is made here from the checked dealer, type
 * and period, so whatever the browser sends can only land where the ingest handler reads it
 * as this dealer's report; its ticket is kept, and the ingest takes in nothing without one.
 */
export async function requestReportUpload(deps: ReportDeps, caller: Caller, target: ReportTarget): Promise<UploadTicket> {
  authorize(caller, 'upload_report', target.dealer);
  const master = await deps.master.load();
  if (!master.dealers.has(target.dealer)) {
    throw new Refusal('not_found', `Dealer ${target.dealer} is not in the master data`, `经销商 ${target.dealer} 不在经销商名录中`);
  }
  const uploadId = randomUUID();
  const ticket = await uploadTicket(deps, uploadKey(target, uploadId), uploadId);
  await recordTicket(deps, target, uploadId, ticket.expires_at);
  return ticket;
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
  /** For an accepted upload: whether the end-user archive and unit histories have taken it in yet. */
  readonly histories?: 'pending' | 'up_to_date';
}

async function submissionView(deps: ReportDeps, target: ReportTarget, outcome: SubmissionOutcome, status: VersionSummary['status']): Promise<SubmissionView> {
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
    ...shownIssues(errors, warnings),
    error_workbook_url: errorWorkbookUrl,
    ...(outcome.histories === undefined ? {} : { histories: outcome.histories }),
  };
}

/** What became of the upload under this key: not arrived yet, being checked, or its outcome. */
async function uploadOutcome(deps: Pick<ReportDeps, 'links' | 'reports' | 'config'>, key: string): Promise<'waiting' | 'processing' | SubmissionOutcome> {
  const identity = await deps.links.identity('uploads', key);
  if (identity === undefined) return 'waiting';
  return (await deps.reports.findOutcome(uploadSourceId(deps.config.buckets.uploads, key, identity))) ?? 'processing';
}

export type UploadState =
  | { readonly state: 'waiting' }
  | { readonly state: 'processing' }
  | { readonly state: 'accepted' | 'rejected'; readonly submission: SubmissionView };

/** Where an upload stands: not arrived yet, being checked, or its outcome with every error. */
export async function reportUploadStatus(deps: ReportDeps, caller: Caller, target: ReportTarget, uploadId: string): Promise<UploadState> {
  authorize(caller, 'read_reports', target.dealer);
  const outcome = await uploadOutcome(deps, uploadKey(target, uploadId));
  if (outcome === 'waiting' || outcome === 'processing') return { state: outcome };
  const status = outcome.status === 'accepted' ? ((await deps.reports.currentVersion(target))?.version === outcome.version ? 'accepted' : 'superseded') : 'rejected';
  return { state: outcome.status, submission: await submissionView(deps, target, outcome, status) };
}

/** How often a waiting operator's upload is looked for again. */
const UPLOAD_POLL_MS = 250;

/**
 * Puts a report into the uploads bucket under an application-made key with its ticket, as
 * the portal's form does, and waits up to `waitMs` for the outcome the ingest handler records
 * for it; undefined when none came in time. `onUploaded` hears where the file went before the wait.
 */
export async function uploadReport(
  deps: Pick<ReportDeps, 'blobs' | 'links' | 'reports' | 'tickets' | 'clock' | 'config'>,
  target: ReportTarget,
  bytes: Uint8Array,
  options: { readonly waitMs: number; readonly onUploaded?: (location: string) => void },
): Promise<{ outcome: SubmissionOutcome; errorWorkbook: Uint8Array | null } | undefined> {
  const uploadId = randomUUID();
  const { key } = await recordTicket(deps, target, uploadId, new Date(deps.clock.now().getTime() + LINK_SECONDS * 1000).toISOString());
  await deps.blobs.put('uploads', key, bytes, XLSX_CONTENT_TYPE);
  options.onUploaded?.(`s3://${deps.config.buckets.uploads}/${key}`);
  const deadline = deps.clock.now().getTime() + options.waitMs;
  while (deps.clock.now().getTime() < deadline) {
    const outcome = await uploadOutcome(deps, key);
    if (typeof outcome !== 'string') {
      const errorWorkbook = outcome.error_report_key === null ? null : await deps.blobs.get('reports', outcome.error_report_key);
      return { outcome, errorWorkbook };
    }
    await pause(UPLOAD_POLL_MS);
  }
  return undefined;
}

/** A dealer's month: each report's current version, its history, and whether it is missing or late. */
export async function monthReports(deps: Pick<ReportDeps, 'reports' | 'clock' | 'config'>, caller: Caller, dealer: string, period: string) {
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
export async function reportVersion(deps: ReportDeps, caller: Caller, target: ReportTarget, version: number): Promise<SubmissionView> {
  authorize(caller, 'read_reports', target.dealer);
  const summary = (await deps.reports.versions(target)).find((v) => v.version === version);
  if (summary === undefined) throw new Refusal('not_found', `No version ${version} of this report`, `该报表没有第 ${version} 版`);
  const outcome = await deps.reports.findOutcome(summary.source);
  if (outcome === undefined) {
    return { ...target, version, status: summary.status, late: summary.late, received_at: summary.received_at, counts: summary.counts, errors: [], errors_total: 0, warnings: [], warnings_total: 0, error_workbook_url: null };
  }
  return submissionView(deps, target, outcome, summary.status);
}
