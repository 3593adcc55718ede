import type { BackOfficeConfig } from '../config.js';
import type { Issue } from '../domain/issues.js';
import type { MasterData } from '../domain/master.js';
import { isLate, businessDateOf, isValidPeriod } from '../domain/dates.js';
import { warrantyWarningIssues } from '../domain/messages.js';
import { UPLOAD_FIELDS } from '../domain/fields.js';
import { createReportValidator, type ReportEntity } from '../domain/report-validation.js';
import { fieldNamed } from '../domain/table-validation.js';
import type { RepairClassification } from '../domain/warranty.js';
import { decideRepair } from './warranty/repair-decisions.js';
import { archiveKey, type ArchiveEntry, type ArchiveStore, type BlobStore, type Clock, type MasterStore, type ProjectionJob, type ProjectionJobs, type ReportItem, type ReportStore, type ReportTarget, type SubmissionOutcome } from './ports.js';
import { XLSX_CONTENT_TYPE } from '../sheets/content-type.js';
import { REPORT_PREFIXES } from './report-keys.js';
import { openUpload, uploadLimits, type AdmittedUpload, type ErrorWorkbookWriter } from './upload-pipeline.js';
import { projectReport } from './report-projections.js';
import { DigestCollector } from './report-digest.js';
import { keepMonthScore, type ScoreKeepingDeps } from './quality/month-scores.js';

export interface IngestDeps extends Omit<ScoreKeepingDeps, 'config'> {
  readonly reports: ReportStore;
  readonly master: MasterStore;
  readonly archive: ArchiveStore;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  readonly config: Pick<BackOfficeConfig, 'businessTimeZone' | 'maxUploadBytes' | 'maxUploadRows' | 'unboxingPlanDays' | 'verificationSample' | 'verificationMarginPercent'>;
  readonly errorWorkbook: ErrorWorkbookWriter;
  /**
   * Where an accepted version's projections (archive, unit histories) are sent once the
   * verdict is recorded. None: they are built here, after the verdict, before returning.
   */
  readonly projections?: ProjectionJobs;
}

export interface IngestRequest {
  readonly bytes: Uint8Array;
  readonly target: ReportTarget;
  readonly receivedAt: Date;
  /** The upload's identity (S3 bucket, key and eTag; or one CLI run): a replay of it changes nothing. */
  readonly sourceId: string;
}

export interface IngestResult extends SubmissionOutcome {
  /** The annotated workbook for a rejected upload, when its rows could be read. */
  readonly errorReport: Uint8Array | null;
  /** True when this upload had been processed before and its stored outcome was returned. */
  readonly replayed: boolean;
}

const fileIssue = (code: string, value: string | null, message: string, message_zh: string): Issue => ({
  row: null,
  column: null,
  value,
  code,
  message,
  message_zh,
});

/**
 * Takes in a dealer's monthly installation or repair report: guards the file, streams and
 * validates every row, writes the rows of a clean report as a new version and makes it the
 * current one; a report with any error is rejected whole, its partial rows removed, and an
 * annotated workbook of its mistakes is stored for the dealer.
 */
export async function ingestReport(deps: IngestDeps, request: IngestRequest): Promise<IngestResult> {
  const previous = await deps.reports.findOutcome(request.sourceId);
  if (previous !== undefined) {
    // An attempt stopped between the verdict and handing on its projections: hand them on again.
    if (previous.status === 'accepted' && previous.version !== null && previous.histories === 'pending') {
      await keepScoreOf(deps, previous.target);
      return { ...(await project(deps, { target: previous.target, version: previous.version, source: request.sourceId }, previous)), errorReport: null, replayed: true };
    }
    return { ...previous, errorReport: null, replayed: true };
  }

  const { target } = request;
  const receivedAt = request.receivedAt.toISOString();
  const late = isValidPeriod(target.period) && isLate(target.period, request.receivedAt, deps.config.businessTimeZone);
  const refuse = async (issue: Issue): Promise<IngestResult> => {
    const outcome: SubmissionOutcome = {
      status: 'rejected',
      target,
      version: null,
      late,
      received_at: receivedAt,
      counts: { rows: 0, records: 0, part_lines: 0 },
      errors: [issue],
      warnings: [],
      error_report_key: null,
    };
    await deps.reports.recordOutcome(request.sourceId, outcome);
    return { ...outcome, errorReport: null, replayed: false };
  };

  if (!isValidPeriod(target.period)) {
    return refuse(fileIssue('invalid_period', target.period, `Period "${target.period}" is not a month; write it as 2026-10`, `报表月份“${target.period}”无效，请按 2026-10 填写`));
  }
  const master = await deps.master.load();
  if (!master.dealers.has(target.dealer)) {
    return refuse(fileIssue('unknown_dealer', target.dealer, `Dealer "${target.dealer}" is not in the master data`, `经销商编码“${target.dealer}”不在经销商名录中`));
  }
  const fields = UPLOAD_FIELDS[target.type];
  const period = { month: target.period, field: fieldNamed(fields, target.type === 'installation' ? 'install_date' : 'completed_date') };
  const upload = await openUpload(request.bytes, { limits: uploadLimits(deps.config), fields, period });
  if (upload.status === 'refused') return refuse(upload.issue);

  const claim = await deps.reports.claim(request.sourceId, target, receivedAt);
  const stream = await validateAndWrite(deps, request, master, claim.version, upload);
  const { summary } = stream;
  const inSheetOrder = bySheetPosition(summary.columns);
  const errors = [...summary.errors, ...stream.refusals].sort(inSheetOrder);
  const warnings = [...upload.sheetWarnings, ...summary.warnings, ...stream.serialWarnings].sort(inSheetOrder);
  const versionSummary = { received_at: receivedAt, late, counts: summary.counts, source: request.sourceId };

  if (errors.length > 0) {
    await deps.reports.discard(target, claim.version, versionSummary);
    const errorReport = stream.readable ? await upload.annotate({ errors, warnings, columns: summary.columns }, deps.errorWorkbook) : null;
    const key = `${REPORT_PREFIXES.errorReports}${target.dealer}/${target.type}/${target.period}/v${claim.version}.xlsx`;
    if (errorReport !== null) {
      await deps.blobs.put('reports', key, errorReport, XLSX_CONTENT_TYPE);
    }
    await deps.blobs.put('reports', key.replace(/\.xlsx$/, '.json'), JSON.stringify({ errors, warnings }), 'application/json');
    const outcome: SubmissionOutcome = {
      status: 'rejected',
      target,
      version: claim.version,
      late,
      received_at: receivedAt,
      counts: summary.counts,
      errors,
      warnings,
      error_report_key: errorReport === null ? null : key,
    };
    await deps.reports.recordOutcome(request.sourceId, outcome);
    return { ...outcome, errorReport, replayed: false };
  }

  await deps.reports.commit(target, claim.version, versionSummary, stream.digest.digest());
  // The verdict first: the status the dealer polls turns accepted now; the archive and the
  // unit histories are built after it (report-projections.ts).
  const outcome: SubmissionOutcome = {
    status: 'accepted',
    target,
    version: claim.version,
    late,
    received_at: receivedAt,
    counts: summary.counts,
    errors: [],
    warnings,
    error_report_key: null,
    histories: 'pending',
  };
  await deps.reports.recordOutcome(request.sourceId, outcome);
  await keepScoreOf(deps, target);
  const projected = await project(deps, { target, version: claim.version, source: request.sourceId }, outcome);
  return { ...projected, errorReport: null, replayed: false };
}

/** A repair report that became current moves its dealer's month score (kept after the verdict, which does not wait for it; a replay keeps it again). */
async function keepScoreOf(deps: IngestDeps, target: ReportTarget): Promise<void> {
  if (target.type === 'repair') await keepMonthScore(deps, target.dealer, target.period);
}

/** Hands the version's projections to the worker, or builds them here when there is none; the outcome as it then stands. */
async function project(deps: IngestDeps, job: ProjectionJob, outcome: SubmissionOutcome): Promise<SubmissionOutcome> {
  if (deps.projections !== undefined) {
    await deps.projections.request(job);
    return outcome;
  }
  await projectReport(deps, job);
  return { ...outcome, histories: 'up_to_date' };
}

/** Issues as a dealer reads the sheet: row by row, left to right; whole-file issues first. */
const bySheetPosition =
  (columns: ReadonlyMap<string, number>) =>
  (a: Issue, b: Issue): number =>
    (a.row ?? 0) - (b.row ?? 0) || (columns.get(a.column ?? '') ?? -1) - (columns.get(b.column ?? '') ?? -1);

/** Chunks of rows whose archive look-ups and writes may be in flight at once while the sheet is read on. */
const CHUNKS_IN_FLIGHT = 4;

/**
 * Streams the rows through the validator and, while the report is still clean, writes what
 * it yields in chunks. The reading does not wait on DynamoDB: up to CHUNKS_IN_FLIGHT chunks
 * have their serials looked up and their rows written while the next are read (one chunk at a
 * time, its look-ups and then its write, made reading and DynamoDB take turns: 28 of 30 s of a
 * 100,000-row ingest). The chunks are classified in sheet order, since a repair's later part
 * lines take the classification of its first row, and every write has landed before this returns.
 * Once an error is seen nothing more is looked up or written: the version will be discarded,
 * but every row is still checked so that the dealer gets the full list.
 */
async function validateAndWrite(deps: IngestDeps, request: IngestRequest, master: MasterData, version: number, upload: AdmittedUpload) {
  const { target } = request;
  const validator = createReportValidator({
    type: target.type,
    period: target.period,
    today: businessDateOf(request.receivedAt, deps.config.businessTimeZone),
    master: {
      warrantyMonths: (model) => master.products.get(model)?.warranty_months,
      hasPart: (code) => master.parts.has(code),
    },
  });
  const classifications = new Map<string, RepairClassification>();
  const serialWarnings: Issue[] = [];
  const digest = new DigestCollector(target.type);
  const inFlight = new Set<Promise<unknown>>();
  /** The first look-up or write that failed: it fails the ingest, once what is in flight has settled. */
  let failure: { readonly error: unknown } | undefined;
  const track = (work: Promise<unknown>) => {
    const tracked: Promise<unknown> = work.then(
      () => inFlight.delete(tracked),
      (error: unknown) => {
        failure ??= { error };
        inFlight.delete(tracked);
      },
    );
    inFlight.add(tracked);
  };
  const settle = async (): Promise<void> => {
    await Promise.all(inFlight);
    if (failure !== undefined) throw failure.error;
  };
  let classified: Promise<void> = Promise.resolve();

  const flush = async (entities: ReportEntity[]) => {
    // A report already bound to be rejected is neither written nor looked up in the archive:
    // its rows are still checked, but its serials' warnings can wait for the corrected upload.
    if (validator.errorCount > 0) return;
    const repairs = entities.filter((e): e is RepairEntity => e.kind === 'repair');
    const archived = repairs.length === 0 ? Promise.resolve(new Map<string, ArchiveEntry>()) : deps.archive.find(repairs.map((r) => r.record));
    archived.catch(() => undefined);
    const written = classified.then(async () => {
      const found = await archived;
      if (validator.errorCount > 0 || failure !== undefined) return { done: Promise.resolve() };
      const items = toItems(master, target.dealer, entities, repairs, found, classifications, serialWarnings);
      digest.add(items);
      return { done: deps.reports.writeItems(target, version, items) };
    });
    classified = written.then(
      () => undefined,
      () => undefined,
    );
    track(written.then((write) => write.done));
    while (inFlight.size >= CHUNKS_IN_FLIGHT) await Promise.race(inFlight);
    if (failure !== undefined) await settle();
  };

  const { summary, refusal } = await upload.read(validator, flush).finally(settle);
  return { summary, serialWarnings, digest, refusals: refusal === undefined ? [] : [refusal], readable: refusal === undefined };
}

type RepairEntity = Extract<ReportEntity, { kind: 'repair' }>;

/**
 * Turns validated entities into report items, adding each repair's warranty decision as it
 * stands at the upload (the archive's facts, `archived`, first) and its warnings: a serial
 * number no installation report has shown, a purchase date other than the archive's, a unit
 * another dealer installed. Later work derives the decision again from the archive of its day.
 */
function toItems(
  master: MasterData,
  dealer: string,
  entities: readonly ReportEntity[],
  repairs: readonly RepairEntity[],
  archived: ReadonlyMap<string, ArchiveEntry>,
  classifications: Map<string, RepairClassification>,
  serialWarnings: Issue[],
): ReportItem[] {
  for (const { row, record } of repairs) {
    const entry = archived.get(archiveKey(record.product_model, record.serial_no));
    const { phase, warranty_end, materials_charged, service_fee, warnings } = decideRepair(master, dealer, record, entry);
    serialWarnings.push(...warrantyWarningIssues(row, record, warnings, 'dealer'));
    classifications.set(record.repair_id, { phase, warranty_end, materials_charged, service_fee });
  }
  return entities.flatMap((entity): ReportItem[] => {
    if (entity.kind === 'installation') return [entity];
    const classification = classifications.get(entity.record.repair_id);
    // Only a repair whose first row was refused goes unclassified; the report is rejected then and nothing is written.
    return classification === undefined ? [] : [{ ...entity, classification }];
  });
}
