/**
 * The streaming validation every table-shaped upload shares (dealers' reports, the parts
 * ledgers, master data): finding the header row below any title or notes, reading each cell
 * as its field says, one issue per cell, and a bounded issue list. What a row must satisfy
 * beyond its cells is the `RowRules` of each upload type.
 */
import { columnLetter, type CellValue, type SheetRow } from './cells.js';
import type { FieldSpec } from './fields.js';
import { createHeaderMatcher, HEADER_SCAN_LIMIT, isHeaderRow, mapHeaderRow, type HeaderMatcher } from './headers.js';
import type { Issue } from './issues.js';
import { makeIssue, severityOf, valueIssue, type IssueCode, type MessageParams } from './messages.js';
import { displayValue, isEmptyCell, issueValue, parseCell, type FieldValue, type Parsed } from './values.js';

// What a totals row begins with, and what a signature row's first cell carries (制表人：张三, 审核：, 经销商负责人签字).
const TOTALS = /^(?:合计|总计|小计|共计|累计|本页合计|本月合计|总合计|grandtotal|subtotal|total|sum)(?![a-z])/i;
const SIGNATURES = /制表|审核|签字|签名|签章|盖章|复核|批准|填表人|填报人|经办人|负责人|preparedby|checkedby|approvedby|signature/i;
/** A signature line is short; a longer first cell is a sentence of data that happens to say 审核. */
const MAX_SIGNATURE_CHARS = 40;

/**
 * The text that makes `row` a totals or signature row rather than a record, or undefined: its
 * first non-blank cell begins with 合计/总计/小计/Total…, or is a short line carrying
 * 制表/审核/签字/负责人….
 */
export function footerText(row: SheetRow): string | undefined {
  const first = row.cells.find((cell) => !isEmptyCell(cell));
  if (typeof first !== 'string') return undefined;
  const text = first.trim();
  const key = text.replace(/\s+/g, '');
  if (TOTALS.test(key)) return text;
  return key.length <= MAX_SIGNATURE_CHARS && SIGNATURES.test(key) ? text : undefined;
}

/** Collects issues up to the limit, then closes the list with a single too_many_errors. */
export class IssueLog {
  readonly errors: Issue[] = [];
  readonly warnings: Issue[] = [];
  private full = false;

  constructor(private readonly limit: number) {}

  add(issue: Issue): void {
    if (this.full) return;
    if (this.errors.length + this.warnings.length >= this.limit) {
      this.full = true;
      this.errors.push(makeIssue('too_many_errors', { row: null, column: null, value: null }, { limit: this.limit }));
      return;
    }
    (severityOf(issue.code) === 'error' ? this.errors : this.warnings).push(issue);
  }
}

/** The checks of one kind of sheet, applied to data rows once the columns are known. */
/** Another template a file in this slot may turn out to be: named, so that the refusal says what the file is. */
export interface OtherTemplate {
  readonly en: string;
  readonly zh: string;
  readonly fields: readonly FieldSpec[];
}

export interface RowRules<E> {
  readonly fields: readonly FieldSpec[];
  /** What this slot takes, and the templates of the other slots: a header row that is one of theirs, whole, and not this one's is refused as that file. */
  readonly template?: { readonly en: string; readonly zh: string };
  readonly others?: readonly OtherTemplate[];
  /** Validates one non-blank data row: the issues it raises and the entities it makes valid. */
  check(row: RowReader): E[];
}

export interface TableSummary {
  readonly errors: Issue[];
  readonly warnings: Issue[];
  /** Non-blank data rows below the header. */
  readonly rows: number;
  readonly headerRow: number | null;
  /** Field name → 0-based column index. */
  readonly columns: ReadonlyMap<string, number>;
}

export interface TableValidator<E> {
  /** Rows in sheet order (blank rows allowed); returns what this row makes valid. */
  push(row: SheetRow): E[];
  finish(): TableSummary;
  /** Errors so far, for a caller that stops writing as soon as the upload is bound to be rejected. */
  readonly errorCount: number;
}

export const DEFAULT_MAX_ISSUES = 10_000;

/**
 * A streaming validator for any upload laid out as a table: finds the header row, maps its
 * columns, then hands each non-blank data row to `rules`. Rows with an issue yield nothing.
 */
export function createTableValidator<E>(rules: RowRules<E>, maxIssues = DEFAULT_MAX_ISSUES): TableValidator<E> {
  return new StreamingValidator(maxIssues, rules);
}

class StreamingValidator<E> implements TableValidator<E> {
  private readonly log: IssueLog;
  private readonly match: HeaderMatcher;
  private header: { readonly row: number; readonly columns: ReadonlyMap<string, number>; readonly usable: boolean } | null = null;
  private scanned = 0;
  private headerMissing = false;
  private rows = 0;
  /** Totals and signature rows seen below the header; listed once as ignored. */
  private readonly footers: { readonly row: number; readonly text: string }[] = [];
  /** One reader for every data row, made when the columns are known. */
  private reader: RowReader | null = null;

  constructor(
    maxIssues: number,
    private readonly rules: RowRules<E>,
  ) {
    this.log = new IssueLog(maxIssues);
    this.match = createHeaderMatcher(rules.fields);
  }

  get errorCount(): number {
    return this.log.errors.length;
  }

  push(row: SheetRow): E[] {
    if (this.header === null) {
      this.scanForHeader(row);
      return [];
    }
    const reader = this.reader;
    if (reader === null) return [];
    reader.start(row);
    if (reader.isBlank()) return [];
    const footer = footerText(row);
    if (footer !== undefined) {
      this.footers.push({ row: row.row, text: footer });
      return [];
    }
    this.rows += 1;
    // A file without a required column is refused with that one error; its rows are not read.
    if (!this.header.usable) return [];
    const entities = this.rules.check(reader);
    for (const note of reader.notes) this.log.add(note);
    if (reader.issueCount === 0) return entities;
    for (const issue of reader.issues) this.log.add(issue);
    return [];
  }

  finish(): TableSummary {
    if (this.header === null && !this.headerMissing) this.reportHeaderMissing();
    const [first] = this.footers;
    if (first !== undefined) {
      const value = this.footers.map(({ text }) => text).join(' / ');
      this.log.add(makeIssue('ignored_rows', { row: first.row, column: null, value }, { rows: this.footers }));
    }
    return {
      errors: this.log.errors,
      warnings: this.log.warnings,
      rows: this.rows,
      headerRow: this.header?.row ?? null,
      columns: this.header?.columns ?? new Map(),
    };
  }

  private scanForHeader(row: SheetRow): void {
    if (this.headerMissing || row.cells.every((cell) => isEmptyCell(cell))) return;
    this.scanned += 1;
    const own = isHeaderRow(row, this.rules.fields, this.match) ? mapHeaderRow(row, this.rules.fields, this.match) : null;
    if (own === null || own.errors.length > 0) {
      const other = this.rules.others?.find((o) => isHeaderRow(row, o.fields) && mapHeaderRow(row, o.fields).errors.length === 0);
      if (other !== undefined && this.rules.template !== undefined) {
        this.headerMissing = true;
        this.log.add(makeIssue('wrong_template', { row: row.row, column: null, value: null }, { found: other, expected: this.rules.template }));
        return;
      }
    }
    if (own !== null) {
      const { columns, errors, warnings } = own;
      [...errors, ...warnings].forEach((issue) => this.log.add(issue));
      this.header = { row: row.row, columns, usable: errors.length === 0 };
      this.reader = new RowReader(this.rules.fields, columns);
    } else if (this.scanned >= HEADER_SCAN_LIMIT) {
      this.reportHeaderMissing();
    }
  }

  private reportHeaderMissing(): void {
    this.headerMissing = true;
    const expected = this.rules.fields.filter((f) => f.required);
    this.log.add(makeIssue('header_not_found', { row: null, column: null, value: null }, { expected, scanned: HEADER_SCAN_LIMIT }));
  }
}

/**
 * One data row: reads its cells as their fields say and holds the row's issues, at most one
 * per cell (the first found, which is the most basic: a value that cannot be read is not then
 * also out of period).
 *
 * A validator makes one reader and moves it from row to row (`start`): values and issues sit
 * in arrays by the field's position in the rules' list, and most rows are clean, so a row
 * costs no maps and no issue list of its own.
 */
export class RowReader {
  /** Field name → position in the field list. */
  private readonly positions = new Map<string, number>();
  /** Column index of each field by position; -1 when the sheet has no such column. */
  private readonly columnAt: number[];
  /** Positions of the mapped columns, for the blank-row test. */
  private readonly mapped: number[] = [];
  private readonly values: (FieldValue | undefined)[];
  /**
   * Each field's last cell and what it parsed to. A cell is often the same as the one above
   * it (a repair's further rows repeat its fields; choices, models and dates repeat down a
   * column), and parsing depends on nothing but the field and the cell.
   */
  private readonly lastCells: (CellValue | undefined)[];
  private readonly lastParsed: (Parsed<FieldValue | null> | undefined)[];
  /** Whether each field, by position, has its issue; made on the first issue of any row. */
  private flagged: boolean[] | null = null;
  /** The row's issues in the order found. */
  private readonly found: Issue[] = [];
  /** Warnings about how the row's cells were typed; they do not make the row invalid. */
  private readonly noted: Issue[] = [];
  private sheetRow: SheetRow = { row: 0, cells: [] };

  constructor(
    private readonly fields: readonly FieldSpec[],
    columns: ReadonlyMap<string, number>,
  ) {
    fields.forEach((field, i) => {
      if (!this.positions.has(field.name)) this.positions.set(field.name, i);
    });
    this.columnAt = fields.map((field) => columns.get(field.name) ?? -1);
    for (const index of columns.values()) this.mapped.push(index);
    this.values = fields.map(() => undefined);
    this.lastCells = fields.map(() => undefined);
    this.lastParsed = fields.map(() => undefined);
  }

  /** Moves the reader to the next row, forgetting the last one's values and issues. */
  start(sheetRow: SheetRow): void {
    this.sheetRow = sheetRow;
    this.values.fill(undefined);
    this.noted.length = 0;
    if (this.found.length > 0) {
      this.flagged?.fill(false);
      this.found.length = 0;
    }
  }

  get row(): number {
    return this.sheetRow.row;
  }

  get issues(): Issue[] {
    return this.found.slice();
  }

  get issueCount(): number {
    return this.found.length;
  }

  get notes(): readonly Issue[] {
    return this.noted;
  }

  /** Blank when every mapped cell is: notes beside the table do not make a data row. */
  isBlank(): boolean {
    const { cells } = this.sheetRow;
    for (const index of this.mapped) if (!isEmptyCell(cells[index])) return false;
    return true;
  }

  private position(field: FieldSpec): number {
    // The rules pass their own field objects, and a scan of twenty is cheaper than a lookup by name.
    const index = this.fields.indexOf(field);
    if (index >= 0) return index;
    const position = this.positions.get(field.name);
    if (position === undefined) throw new Error(`No field ${field.name} in the field list`);
    return position;
  }

  private cellAt(position: number): CellValue | undefined {
    const index = this.columnAt[position] ?? -1;
    return index < 0 ? undefined : this.sheetRow.cells[index];
  }

  cell(field: FieldSpec): CellValue | undefined {
    return this.cellAt(this.position(field));
  }

  /** Parses the field's cell; a blank cell is an error only when `required`. */
  read(field: FieldSpec, required: boolean): void {
    const position = this.position(field);
    const cell = this.cellAt(position);
    const parsed = this.parse(position, field, cell);
    if (parsed.ok && parsed.value !== null) {
      this.values[position] = parsed.value;
      if (field.name === 'phone' && lostLeadingZero(cell)) {
        const value = displayValue(cell);
        const at = columnLetter((this.columnAt[position] ?? 0) + 1) + String(this.row);
        this.noted.push(makeIssue('phone_lost_zero', { row: this.row, column: field.name, value }, { field, value, cell: at }));
      }
    } else if (!parsed.ok || required) {
      const at = { row: this.row, column: field.name, value: issueValue(cell) };
      this.add(position, parsed.ok ? makeIssue('required', at, { field }) : valueIssue(parsed.code, at, field, at.value ?? ''));
    }
  }

  private parse(position: number, field: FieldSpec, cell: CellValue | undefined): Parsed<FieldValue | null> {
    const last = this.lastParsed[position];
    if (last !== undefined && cell === this.lastCells[position] && field === this.fields[position]) return last;
    const parsed = parseCell(field, cell);
    this.lastCells[position] = cell;
    this.lastParsed[position] = parsed;
    return parsed;
  }

  /** Records an issue on the field's cell unless that cell already has one. */
  flag<C extends IssueCode>(field: FieldSpec, code: C, params: MessageParams[C]): void {
    const position = this.position(field);
    this.add(position, makeIssue(code, { row: this.row, column: field.name, value: issueValue(this.cellAt(position)) }, params));
  }

  private add(position: number, issue: Issue): void {
    const flagged = (this.flagged ??= this.values.map(() => false));
    if (flagged[position] === true) return;
    flagged[position] = true;
    this.found.push(issue);
  }

  hasIssue(field: FieldSpec): boolean {
    return this.found.length > 0 && this.flagged?.[this.position(field)] === true;
  }

  /** The parsed value, or undefined when blank, unreadable or already flagged. */
  value(field: FieldSpec): FieldValue | undefined {
    const position = this.position(field);
    if (this.found.length > 0 && this.flagged?.[position] === true) return undefined;
    return this.values[position];
  }

  /** The value as text (every kind but integer parses to text). */
  text(field: FieldSpec): string | undefined {
    const value = this.value(field);
    return typeof value === 'string' ? value : undefined;
  }

  integer(field: FieldSpec): number | undefined {
    const value = this.value(field);
    return typeof value === 'number' ? value : undefined;
  }
}

/**
 * A phone typed as a number whose leading 0 Excel dropped: 10–11 digits not starting with 1
 * (mobiles start with 1; a landline with its area code starts with 0, so 0571 8672 3418 typed
 * as a number shows 57186723418).
 */
const lostLeadingZero = (cell: CellValue | undefined): cell is number => typeof cell === 'number' && /^[2-9]\d{9,10}$/.test(String(cell));

/** A field of the list by name; the names are this module's constants, so a miss is a bug. */
export function fieldNamed(fields: readonly FieldSpec[], name: string): FieldSpec {
  const field = fields.find((f) => f.name === name);
  if (field === undefined) throw new Error(`No field ${name} in the field list`);
  return field;
}

export const isOneOf = <T extends string>(codes: readonly T[], value: string | undefined): value is T =>
  codes.some((code) => code === value);

/** A row value the rules have already required and checked; absent only on a programming error. */
export function must<T>(value: T | undefined, field: FieldSpec): T {
  if (value === undefined) throw new Error(`Field ${field.name} has no valid value on a clean row`);
  return value;
}
