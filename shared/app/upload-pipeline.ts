import type { BackOfficeConfig } from '../config.js';
import type { SheetRow } from '../domain/cells.js';
import type { FieldSpec } from '../domain/fields.js';
import type { Issue } from '../domain/issues.js';
import { DEFAULT_LIMITS, inspectWorkbook, sheetRowCap, tooManyRows, UploadRefused, type UploadLimits } from '../sheets/guard.js';
import { findDataSheet, onSheet, readRows, sheetNames } from '../sheets/reader.js';
import { writeErrorReport, type ErrorReportInput } from '../sheets/error-report.js';

/**
 * The one path every upload type takes from bytes to validated rows: the guard, the sheet
 * the data is on, the rows streamed through the type's validator in chunks, the row cap,
 * and the annotated error workbook. An upload type gives its fields, its validator and what
 * to do with each chunk of valid rows; everything else is here.
 */

/** Builds the annotated workbook of a rejected upload; injected so that use cases never load a workbook writer. */
export type ErrorWorkbookWriter = (input: ErrorReportInput) => Promise<Uint8Array>;

/** What a row validator of any upload type offers the pipeline. */
export interface RowValidator<E, S extends UploadSummary> {
  push(row: SheetRow): E[];
  finish(): S;
}

/** The summary of any table validator: a report's counts its rows under `counts`, the others directly. */
export type UploadSummary = {
  readonly errors: readonly Issue[];
  readonly headerRow: number | null;
  readonly warnings: readonly Issue[];
  readonly columns: ReadonlyMap<string, number>;
} & ({ readonly rows: number } | { readonly counts: { readonly rows: number } });

/** What one read of the data sheet found. */
export interface SheetRead<S> {
  readonly summary: S;
  /**
   * Why the sheet could not be read to the end (damaged, too slow, more rows than allowed);
   * the summary then covers the rows before it, and no annotated workbook is made.
   */
  readonly refusal: Issue | undefined;
}

/** Rows handed to `onChunk` at a time: big enough for parallel writes, small enough to stay flat in memory. */
export const CHUNK_ROWS = 500;

/** The limits of one upload, with the size and row caps the deployment configures. */
export const uploadLimits = (config: Pick<BackOfficeConfig, 'maxUploadBytes' | 'maxUploadRows'>): UploadLimits => ({
  ...DEFAULT_LIMITS,
  maxBytes: config.maxUploadBytes,
  maxRows: config.maxUploadRows,
});

const dataRows = (summary: UploadSummary): number => ('counts' in summary ? summary.counts.rows : summary.rows);

/** An upload that passed the guard: read its sheets as often as needed, annotate it when it is rejected. */
export interface AdmittedUpload {
  readonly status: 'admitted';
  /** The sheet the data is on (see `findDataSheet`), when the upload type gave its fields. */
  readonly sheet: string | undefined;
  /** The worksheets' names in tab order. */
  sheetNames(): Promise<string[]>;
  /**
   * Streams the data sheet (or `sheet`) through `validator`, handing each chunk of valid
   * entities to `onChunk` while the next chunk is read; past the row cap the read is refused.
   */
  read<E, S extends UploadSummary>(validator: RowValidator<E, S>, onChunk?: (entities: E[]) => Promise<void>, sheet?: string): Promise<SheetRead<S>>;
  /** The annotated workbook of the rejected upload, or null when none could be made. */
  annotate(issues: Pick<ErrorReportInput, 'errors' | 'warnings' | 'columns'>): Promise<Uint8Array | null>;
}

/** An upload the guard refused, or whose data sheet could not be found; nothing was read. */
export interface RefusedUpload {
  readonly status: 'refused';
  readonly issue: Issue;
}

export interface UploadSpec {
  readonly limits: UploadLimits;
  /** The upload type's fields: the data sheet is the first whose top rows hold them. None: no data sheet is picked. */
  readonly fields?: readonly FieldSpec[];
  readonly errorWorkbook?: ErrorWorkbookWriter;
}

/**
 * Checks an upload (see `inspectWorkbook`) and finds its data sheet.
 *
 * @returns the refusal with its bilingual reason, or the admitted upload to read.
 */
export async function openUpload(bytes: Uint8Array, spec: UploadSpec): Promise<AdmittedUpload | RefusedUpload> {
  const { limits } = spec;
  let sheet: string | undefined;
  try {
    await inspectWorkbook(bytes, limits);
    if (spec.fields !== undefined) sheet = await findDataSheet(bytes, spec.fields, limits.timeoutMs);
  } catch (error) {
    if (error instanceof UploadRefused) return { status: 'refused', issue: error.issue };
    throw error;
  }
  return {
    status: 'admitted',
    sheet,
    sheetNames: () => sheetNames(bytes),
    read: (validator, onChunk, name = sheet) => readSheet(bytes, limits, name, validator, onChunk),
    annotate: (issues) =>
      annotate(spec.errorWorkbook ?? writeErrorReport, { original: bytes, ...issues, timeoutMs: limits.timeoutMs, ...(sheet === undefined ? {} : { sheetName: sheet }) }),
  };
}

async function readSheet<E, S extends UploadSummary>(
  bytes: Uint8Array,
  limits: UploadLimits,
  sheet: string | undefined,
  validator: RowValidator<E, S>,
  onChunk: ((entities: E[]) => Promise<void>) | undefined,
): Promise<SheetRead<S>> {
  let buffer: E[] = [];
  let inFlight: Promise<void> = Promise.resolve();
  let refusal: Issue | undefined;
  try {
    for await (const row of readRows(bytes, { maxRows: sheetRowCap(limits), timeoutMs: limits.timeoutMs, ...onSheet(sheet) })) {
      const valid = validator.push(row);
      if (onChunk === undefined) continue;
      buffer.push(...valid);
      if (buffer.length >= CHUNK_ROWS) {
        await inFlight;
        inFlight = onChunk(buffer);
        // Marked handled now; the failure still surfaces at the next await of inFlight.
        inFlight.catch(() => undefined);
        buffer = [];
      }
    }
  } catch (error) {
    if (!(error instanceof UploadRefused)) throw error;
    refusal = error.issue;
  }
  await inFlight;
  if (onChunk !== undefined && buffer.length > 0) await onChunk(buffer);
  const finished = validator.finish();
  // A read refused before the header row is no report without a header: the refusal alone says what is wrong.
  const summary = refusal !== undefined && finished.headerRow === null ? { ...finished, errors: finished.errors.filter((issue) => issue.code !== 'header_not_found') } : finished;
  // The reader's cap leaves room for the rows above the header; the data rows are capped here.
  if (refusal === undefined && dataRows(summary) > limits.maxRows) refusal = tooManyRows(limits.maxRows).issue;
  return { summary, refusal };
}

/** The writer's workbook, or null: a workbook that cannot be annotated must never cost the dealer the answer. */
async function annotate(write: ErrorWorkbookWriter, input: ErrorReportInput): Promise<Uint8Array | null> {
  try {
    return await write(input);
  } catch {
    return null;
  }
}
