import type { BackOfficeConfig } from '../config.js';
import { isDateTime, type CellValue, type SheetRow } from '../domain/cells.js';
import type { FieldSpec } from '../domain/fields.js';
import type { Issue } from '../domain/issues.js';
import { DEFAULT_LIMITS, inspectWorkbook, sheetRowCap, tooManyRows, UploadRefused, type UploadLimits } from '../sheets/guard.js';
import { ERROR_LIST_SHEET, onSheet, Workbook, type SheetSearch } from '../sheets/reader.js';
import type { ErrorReportInput } from '../sheets/error-report.js';

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
  /** The sheet the data is on (see `Workbook.chooseDataSheet`), when the upload type gave its fields. */
  readonly sheet: string | undefined;
  /** What choosing the sheet warns of (rows read from a hidden sheet). */
  readonly sheetWarnings: readonly Issue[];
  /** The worksheets' names in tab order. */
  sheetNames(): Promise<string[]>;
  /**
   * Streams the data sheet (or `sheet`) through `validator`, handing each chunk of valid
   * entities to `onChunk` while the next chunk is read; past the row cap the read is refused.
   */
  read<E, S extends UploadSummary>(validator: RowValidator<E, S>, onChunk?: (entities: E[]) => Promise<void>, sheet?: string): Promise<SheetRead<S>>;
  /**
   * The annotated workbook of the rejected upload, written by `writer`, or null when none could be made;
   * the issues' cells are marked on the data sheet, or on `sheetName` (an upload of several sheets).
   */
  annotate(issues: Pick<ErrorReportInput, 'errors' | 'warnings' | 'columns' | 'sheetName'>, writer: ErrorWorkbookWriter): Promise<Uint8Array | null>;
}

/** An upload the guard refused, or whose sheets could not be searched for the data; no row was read. */
export interface RefusedUpload {
  readonly status: 'refused';
  readonly issue: Issue;
}

export interface UploadSpec {
  readonly limits: UploadLimits;
  /** The upload type's fields: the data sheet is the one whose top rows hold them (see `Workbook.chooseDataSheet`). None: no data sheet is picked. */
  readonly fields?: readonly FieldSpec[];
  /** A monthly report's month and the field dated in it, which tell its sheet from other months'. */
  readonly period?: SheetSearch['period'];
}

/** What taking in a register's workbook answers: its counts (`rows` and what was recorded), and why it was refused. */
export interface WorkbookImport<C extends { readonly rows: number }> {
  readonly status: 'accepted' | 'rejected';
  readonly counts: C;
  readonly errors: readonly Issue[];
  readonly warnings: readonly Issue[];
  readonly errorReport: Uint8Array | null;
}

/** A workbook taken whole: every row valid and every cross-check passed. */
export interface CleanWorkbook<E, S, T> {
  readonly status: 'clean';
  readonly summary: S;
  readonly entities: readonly E[];
  /** What the cross-check found that the caller needs to store the rows (what is new, what changed). */
  readonly checked: T;
}

/** A workbook refused whole, nothing stored: its problems, and the annotated workbook when the sheet was read to the end. */
export interface RefusedWorkbook {
  readonly status: 'refused';
  readonly rows: number;
  readonly errors: readonly Issue[];
  readonly warnings: readonly Issue[];
  readonly errorReport: Uint8Array | null;
}

/**
 * A register's workbook (complaints, the maker's return calls), taken in whole or refused
 * whole: the rows through `validator`, then the valid ones through `crossCheck` against what is
 * stored (whose issues name rows too); any error refuses the file, with every error in row order
 * and the annotated workbook. Nothing is stored here: the caller stores a clean workbook's rows.
 */
export async function readWholeWorkbook<E, S extends UploadSummary, T>(
  bytes: Uint8Array,
  spec: UploadSpec,
  validator: RowValidator<E, S>,
  crossCheck: (entities: readonly E[]) => Promise<{ readonly issues: readonly Issue[]; readonly checked: T }>,
  errorWorkbook: ErrorWorkbookWriter,
): Promise<CleanWorkbook<E, S, T> | RefusedWorkbook> {
  const refused = (errors: readonly Issue[], warnings: readonly Issue[], rows: number, errorReport: Uint8Array | null = null): RefusedWorkbook => ({ status: 'refused', rows, errors, warnings, errorReport });
  const upload = await openUpload(bytes, spec);
  if (upload.status === 'refused') return refused([upload.issue], [], 0);
  const entities: E[] = [];
  const { summary, refusal } = await upload.read(validator, async (chunk) => {
    entities.push(...chunk);
  });
  if (refusal !== undefined) return refused([...summary.errors, refusal], summary.warnings, dataRows(summary));
  const { issues, checked } = await crossCheck(entities);
  const errors = [...summary.errors, ...issues].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  if (errors.length > 0) {
    const errorReport = await upload.annotate({ errors, warnings: summary.warnings, columns: summary.columns }, errorWorkbook);
    return refused(errors, summary.warnings, dataRows(summary), errorReport);
  }
  return { status: 'clean', summary, entities, checked };
}

/**
 * Checks an upload (see `inspectWorkbook`) and finds its data sheet. The archive is opened
 * once, by the guard, and every later read (sheet choice, rows, sheet names) is made from it.
 *
 * @returns the refusal with its bilingual reason, or the admitted upload to read.
 */
export async function openUpload(bytes: Uint8Array, spec: UploadSpec): Promise<AdmittedUpload | RefusedUpload> {
  const { limits } = spec;
  let sheet: string | undefined;
  let workbook: Workbook;
  const sheetWarnings: Issue[] = [];
  try {
    workbook = new Workbook(await inspectWorkbook(bytes, limits));
    if (spec.fields !== undefined) {
      const choice = await workbook.chooseDataSheet({ fields: spec.fields, timeoutMs: limits.timeoutMs, ...(spec.period === undefined ? {} : { period: spec.period }) });
      if (choice.kind === 'refused') return { status: 'refused', issue: choice.issue };
      sheet = choice.name;
      if (choice.warning !== undefined) sheetWarnings.push(choice.warning);
    }
  } catch (error) {
    if (error instanceof UploadRefused) return { status: 'refused', issue: error.issue };
    throw error;
  }
  return {
    status: 'admitted',
    sheet,
    sheetWarnings,
    sheetNames: async () => workbook.worksheets.map((s) => s.name),
    read: async (validator, onChunk, name) => {
      const read = await readSheet(workbook, limits, name ?? sheet, validator, onChunk);
      if (!read.summary.errors.some((issue) => issue.code === 'header_not_found')) return read;
      const searched = await describeSheets(workbook, name === undefined ? undefined : [name], limits.timeoutMs);
      return { ...read, summary: { ...read.summary, errors: read.summary.errors.map((issue) => (issue.code === 'header_not_found' ? withSearched(issue, searched) : issue)) } };
    },
    annotate: (issues, writer) =>
      annotate(writer, { original: bytes, opened: workbook, timeoutMs: limits.timeoutMs, ...(sheet === undefined ? {} : { sheetName: sheet }), ...issues }),
  };
}

async function readSheet<E, S extends UploadSummary>(
  workbook: Workbook,
  limits: UploadLimits,
  sheet: string | undefined,
  validator: RowValidator<E, S>,
  onChunk: ((entities: E[]) => Promise<void>) | undefined,
): Promise<SheetRead<S>> {
  let buffer: E[] = [];
  let inFlight: Promise<void> = Promise.resolve();
  let refusal: Issue | undefined;
  const chosen = workbook.worksheets.find((s) => (sheet === undefined ? s.name !== ERROR_LIST_SHEET : s.name === sheet));
  try {
    const batches = chosen === undefined ? [] : workbook.batches(chosen, { maxRows: sheetRowCap(limits), timeoutMs: limits.timeoutMs });
    for await (const rows of batches) {
      for (const row of rows) {
        const valid = validator.push(row);
        if (onChunk === undefined) continue;
        for (const entity of valid) buffer.push(entity);
        if (buffer.length >= CHUNK_ROWS) {
          await inFlight;
          inFlight = onChunk(buffer);
          // Marked handled now; the failure still surfaces at the next await of inFlight.
          inFlight.catch(() => undefined);
          buffer = [];
        }
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

/** Sheets described in a missing header's message, and rows of each. */
const DESCRIBED_SHEETS = 5;
const DESCRIBED_ROWS = 2;
const DESCRIBED_ROW_CHARS = 80;

const cellText = (cell: CellValue): string => {
  if (cell === null) return '';
  if (typeof cell !== 'object') return String(cell).trim();
  if (isDateTime(cell)) return `${cell.year}-${String(cell.month).padStart(2, '0')}-${String(cell.day).padStart(2, '0')}`;
  return cell.text;
};

interface SearchedSheet {
  readonly name: string;
  /** Its first non-blank rows as text, cells joined by " | ". */
  readonly rows: readonly string[];
}

/**
 * What the header was looked for in: the named sheets, or every worksheet the data could be on,
 * each with its first non-blank rows. Best effort within the time limit: a sheet that cannot be
 * read is listed with no rows.
 */
async function describeSheets(workbook: Workbook, names: readonly string[] | undefined, timeoutMs: number): Promise<SearchedSheet[]> {
  const candidates = (names ?? workbook.worksheets.map((sheet) => sheet.name).filter((name) => name !== ERROR_LIST_SHEET)).slice(0, DESCRIBED_SHEETS);
  const deadline = Date.now() + timeoutMs;
  const searched: SearchedSheet[] = [];
  for (const name of candidates) {
    const rows: string[] = [];
    try {
      for await (const row of workbook.rows({ ...onSheet(name), timeoutMs: Math.max(1, deadline - Date.now()) })) {
        const text = row.cells.map(cellText).filter((cell) => cell !== '').join(' | ');
        rows.push(text.length > DESCRIBED_ROW_CHARS ? `${text.slice(0, DESCRIBED_ROW_CHARS)}…` : text);
        if (rows.length === DESCRIBED_ROWS) break;
      }
    } catch {
      // Described as far as it could be read.
    }
    searched.push({ name, rows });
  }
  return searched;
}

/** The missing header's message, ending with the sheets searched and what their top rows hold. */
function withSearched(issue: Issue, searched: readonly SearchedSheet[]): Issue {
  const en = searched.map(({ name, rows }) => `"${name}" (${rows.length === 0 ? 'empty' : `top rows: ${rows.map((row) => `[${row}]`).join(' ')}`})`);
  const zh = searched.map(({ name, rows }) => `“${name}”（${rows.length === 0 ? '空白' : `前几行：${rows.map((row) => `[${row}]`).join(' ')}`}）`);
  return {
    ...issue,
    message: `${issue.message}. Sheets searched: ${en.join('; ')}`,
    message_zh: `${issue.message_zh}。已查找的工作表：${zh.join('；')}`,
  };
}
