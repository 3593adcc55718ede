/**
 * Finding the header row of an upload and mapping its columns to fields.
 *
 * A header cell must name a field as a whole (field name, Chinese header or alias), or be the
 * bilingual pair the templates print ("安装单号\ninstall_id", "安装单号（install_id）"). Matching
 * whole cells, never words inside them, keeps a notes row such as "安装日期须在报表月份内" from
 * passing for a header.
 */
import { isBlank, type SheetRow } from './cells.js';
import type { FieldSpec } from './fields.js';
import type { Issue } from './issues.js';
import { makeIssue } from './messages.js';
import { displayValue, normalizeText } from './values.js';

/** How many non-blank rows may precede the header row (title, notes) before the file is refused. */
export const HEADER_SCAN_LIMIT = 30;

/** Fewest distinct fields a row must name to be the header; a title row names none. */
const MIN_HEADER_MATCHES = 3;

/**
 * A header spelling reduced to what identifies it: NFKC, lower case, without spaces,
 * underscores, or the asterisk some templates put on required columns.
 */
export const headerKey = (text: string): string => normalizeText(text).toLowerCase().replace(/[\s_*]+/g, '');

// The templates pair the Chinese header with the field name; spaces, line breaks, brackets
// and slashes only separate the two, so the pair splits where the script changes.
const SEPARATORS = /[\s()[\]【】/|]+/g;
const SCRIPT_RUNS = /\p{Script=Han}+|[^\p{Script=Han}]+/gu;

/** The Chinese and Latin parts of a header cell, as keys. */
function bilingualParts(text: string): string[] {
  const runs = normalizeText(text).replace(SEPARATORS, '').match(SCRIPT_RUNS) ?? [];
  return runs.map(headerKey);
}

/** Finds the field a header cell names, for one upload type's fields. */
export type HeaderMatcher = (text: string) => FieldSpec | undefined;

/** Builds the matcher for `fields`: every spelling of every field, by key. */
export function createHeaderMatcher(fields: readonly FieldSpec[]): HeaderMatcher {
  const byKey = new Map<string, FieldSpec>();
  for (const field of fields) {
    for (const spelling of [field.name, field.zh, ...(field.aliases ?? [])]) {
      if (!byKey.has(headerKey(spelling))) byKey.set(headerKey(spelling), field);
    }
  }
  return (text) => {
    const whole = byKey.get(headerKey(text));
    if (whole !== undefined) return whole;
    const parts = bilingualParts(text).map((key) => byKey.get(key));
    const [first] = parts;
    return parts.length > 1 && parts.every((field) => field !== undefined && field === first) ? first : undefined;
  };
}

interface HeaderCell {
  readonly index: number;
  readonly text: string;
  readonly field: FieldSpec | undefined;
}

function headerCells(row: SheetRow, match: HeaderMatcher): HeaderCell[] {
  const cells: HeaderCell[] = [];
  row.cells.forEach((cell, index) => {
    if (isBlank(cell)) return;
    const text = displayValue(cell);
    cells.push({ index, text, field: match(text) });
  });
  return cells;
}

/**
 * Whether `row` is the header row: it names at least three distinct fields (fewer only when
 * the type has fewer required ones), and its cells naming a field outnumber the others, which
 * a title or a sentence of notes never does.
 */
export function isHeaderRow(row: SheetRow, fields: readonly FieldSpec[], match: HeaderMatcher = createHeaderMatcher(fields)): boolean {
  const cells = headerCells(row, match);
  const matched = cells.filter((c) => c.field !== undefined);
  const distinct = new Set(matched.map((c) => c.field));
  const needed = Math.min(MIN_HEADER_MATCHES, fields.filter((f) => f.required).length);
  return distinct.size >= needed && matched.length > cells.length - matched.length;
}

export interface HeaderMapping {
  /** Field name → 0-based column index, for the columns found. */
  readonly columns: ReadonlyMap<string, number>;
  readonly errors: readonly Issue[];
  readonly warnings: readonly Issue[];
}

/**
 * Maps the header row's columns to fields. A column the template does not know is ignored
 * with a warning; a required field without a column, or a field named twice, is an error.
 */
export function mapHeaderRow(row: SheetRow, fields: readonly FieldSpec[], match: HeaderMatcher = createHeaderMatcher(fields)): HeaderMapping {
  const columns = new Map<string, number>();
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  for (const { index, text, field } of headerCells(row, match)) {
    if (field === undefined) {
      warnings.push(makeIssue('unknown_column', { row: row.row, column: null, value: text }, { header: text }));
    } else if (columns.has(field.name)) {
      errors.push(makeIssue('duplicate_column', { row: row.row, column: field.name, value: text }, { field, header: text }));
    } else {
      columns.set(field.name, index);
    }
  }
  for (const field of fields) {
    if (field.required && !columns.has(field.name)) {
      errors.push(makeIssue('missing_column', { row: row.row, column: field.name, value: null }, { field }));
    }
  }
  return { columns, errors, warnings };
}
