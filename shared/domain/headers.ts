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

// A note people add to a header: 安装日期（年/月/日）, 联系电话（手机）, 产品序列号(S/N), 备注【选填】.
const BRACKETED = /（[^（）]*）|\([^()]*\)|【[^【】]*】|\[[^[\]]*\]/g;

/** The header without its bracketed notes, as a key. */
const withoutNotes = (text: string): string => headerKey(text.replace(BRACKETED, ' '));

/** The notes in brackets of a header, each as a key. */
const notesOf = (text: string): string[] => [...text.matchAll(BRACKETED)].map(([note]) => headerKey(note.slice(1, -1)));

/** Finds the field a header cell names, for one upload type's fields. */
export type HeaderMatcher = (text: string) => FieldSpec | undefined;

/** Every spelling of every field, by key; the first field to claim a key keeps it. */
function spellingsOf(fields: readonly FieldSpec[]): Map<string, FieldSpec> {
  const byKey = new Map<string, FieldSpec>();
  for (const field of fields) {
    for (const spelling of [field.name, field.zh, ...(field.aliases ?? [])]) {
      if (!byKey.has(headerKey(spelling))) byKey.set(headerKey(spelling), field);
    }
  }
  return byKey;
}

/**
 * Builds the matcher for `fields`: a cell names a field by a spelling of it as a whole, as the
 * templates' bilingual pair, or once its bracketed notes are taken off — unless a note itself
 * names another field ("安装单号(serial_no)" names neither).
 */
export function createHeaderMatcher(fields: readonly FieldSpec[]): HeaderMatcher {
  const byKey = spellingsOf(fields);
  return (text) => {
    const whole = byKey.get(headerKey(text));
    if (whole !== undefined) return whole;
    const parts = bilingualParts(text).map((key) => byKey.get(key));
    const [first] = parts;
    if (parts.length > 1 && parts.every((field) => field !== undefined && field === first)) return first;
    const bare = byKey.get(withoutNotes(text));
    if (bare === undefined) return undefined;
    return notesOf(text).every((note) => (byKey.get(note) ?? bare) === bare) ? bare : undefined;
  };
}

/** Edits (insert, delete, replace one character) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0] ?? 0;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j] ?? 0;
      previous[j] = Math.min(above + 1, (previous[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length] ?? 0;
}

/**
 * The field a header that names none probably means, among `candidates`: one spelling within
 * an edit of it (one in four characters for a longer one; none under three characters), or
 * containing it whole or contained in it (安装日, 安装日期时间 for 安装日期). Undefined when no
 * field is that close, or when two are equally close.
 */
export function probableField(text: string, candidates: readonly FieldSpec[]): FieldSpec | undefined {
  const key = withoutNotes(text);
  if (key.length < 2) return undefined;
  let best: { field: FieldSpec; distance: number } | undefined;
  let tied = false;
  for (const field of candidates) {
    for (const spelling of [field.name, field.zh, ...(field.aliases ?? [])]) {
      const target = headerKey(spelling);
      // Two-character headers are one edit from too much (序号 is not 序列号).
      const allowed = Math.min(key.length, target.length) < 3 ? 0 : Math.max(1, Math.floor(Math.max(key.length, target.length) / 4));
      const contains = target.length >= 2 && (key.includes(target) || target.includes(key));
      const distance = contains ? 0.5 : editDistance(key, target);
      if (distance > allowed) continue;
      if (best === undefined || distance < best.distance) {
        best = { field, distance };
        tied = false;
      } else if (distance === best.distance && best.field !== field) {
        tied = true;
      }
    }
  }
  return tied ? undefined : best?.field;
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
  const unknown: string[] = [];
  for (const { index, text, field } of headerCells(row, match)) {
    if (field === undefined) {
      unknown.push(text);
    } else if (columns.has(field.name)) {
      errors.push(makeIssue('duplicate_column', { row: row.row, column: field.name, value: text }, { field, header: text }));
    } else {
      columns.set(field.name, index);
    }
  }
  // A close miss is only ever a field the header has not already named.
  const unnamed = fields.filter((field) => !columns.has(field.name));
  const meant = new Map<FieldSpec, string>();
  for (const text of unknown) {
    const probable = probableField(text, unnamed);
    if (probable !== undefined && !meant.has(probable)) meant.set(probable, text);
    warnings.push(makeIssue('unknown_column', { row: row.row, column: null, value: text }, { header: text, ...(probable === undefined ? {} : { probable }) }));
  }
  for (const field of fields) {
    if (field.required && !columns.has(field.name)) {
      const near = meant.get(field);
      errors.push(makeIssue('missing_column', { row: row.row, column: field.name, value: near ?? null }, { field, ...(near === undefined ? {} : { near }) }));
    }
  }
  return { columns, errors, warnings };
}
