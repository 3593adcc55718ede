import type { Issue } from '../domain/issues.js';
import { businessDateOf } from '../domain/dates.js';
import { withReturnWindowOf, type Dealer, type PartPrice, type Product } from '../domain/master.js';
import { makeIssue } from '../domain/messages.js';
import { createMasterValidator, findMasterSheet, MASTER_SHEET_NAMES, type MasterSheet } from '../domain/master-validation.js';
import type { TableValidator } from '../domain/table-validation.js';
import { DEFAULT_LIMITS } from '../sheets/guard.js';
import type { Clock, MasterStore } from './ports.js';
import { openUpload, type ErrorWorkbookWriter } from './upload-pipeline.js';

/** An issue of the master-data workbook names its sheet too: the same row number exists on three. */
export type MasterIssue = Issue & { readonly sheet: MasterSheet | null };

export interface MasterImportResult {
  readonly status: 'accepted' | 'rejected';
  readonly counts: { readonly dealers: number; readonly products: number; readonly parts: number };
  readonly errors: readonly MasterIssue[];
  readonly warnings: readonly MasterIssue[];
  /**
   * The annotated workbook of a rejected file, when an `errorWorkbook` writer was given and one
   * could be made: the first sheet with errors has its cells marked, and the list in front holds
   * that sheet's issues (the errors of the other sheets are in `errors`, each with its sheet).
   */
  readonly errorReport?: Uint8Array | null;
}

/**
 * Loads dealers, products and the parts price list from the master-data workbook. All three
 * sheets are checked in full; if any has an error nothing is saved. Saving adds and updates
 * (by dealer code, product model, part code and date) and removes nothing, so a workbook
 * holding only new rows is fine.
 */
export async function importMaster(
  deps: { readonly master: MasterStore; readonly clock: Clock; readonly config: { readonly businessTimeZone: string }; readonly errorWorkbook?: ErrorWorkbookWriter },
  bytes: Uint8Array,
): Promise<MasterImportResult> {
  const rejected = (issue: Issue, sheet: MasterSheet | null = null): MasterImportResult => ({
    status: 'rejected',
    counts: { dealers: 0, products: 0, parts: 0 },
    errors: [{ ...issue, sheet }],
    warnings: [],
  });
  const upload = await openUpload(bytes, { limits: DEFAULT_LIMITS });
  if (upload.status === 'refused') return rejected(upload.issue);
  const names = await upload.sheetNames();
  const errors: MasterIssue[] = [];
  const warnings: MasterIssue[] = [];
  const dealers: Dealer[] = [];
  const products: Product[] = [];
  const parts: PartPrice[] = [];
  const read = new Map<MasterSheet, { readonly name: string; readonly columns: ReadonlyMap<string, number> }>();

  const readSheet = async <E>(kind: MasterSheet, validator: TableValidator<E>, into: E[]) => {
    const name = findMasterSheet(kind, names);
    if (name === undefined) {
      errors.push({ ...makeIssue('missing_sheet', { row: null, column: null, value: null }, { names: MASTER_SHEET_NAMES[kind] }), sheet: kind });
      return;
    }
    const { summary, refusal } = await upload.read(validator, async (entities) => void into.push(...entities), name);
    read.set(kind, { name, columns: summary.columns });
    if (refusal !== undefined) errors.push({ ...refusal, sheet: kind });
    errors.push(...summary.errors.map((issue) => ({ ...issue, sheet: kind })));
    warnings.push(...summary.warnings.map((issue) => ({ ...issue, sheet: kind })));
  };
  await readSheet('dealers', createMasterValidator('dealers'), dealers);
  await readSheet('products', createMasterValidator('products'), products);
  await readSheet('parts', createMasterValidator('parts'), parts);

  if (errors.length > 0) {
    const marked = errors.find((issue) => issue.sheet !== null && read.has(issue.sheet))?.sheet ?? null;
    const sheet = marked === null ? undefined : read.get(marked);
    const errorReport =
      deps.errorWorkbook === undefined || sheet === undefined
        ? null
        : await upload.annotate(
            { errors: errors.filter((issue) => issue.sheet === marked), warnings: warnings.filter((issue) => issue.sheet === marked), columns: sheet.columns, sheetName: sheet.name },
            deps.errorWorkbook,
          );
    return { status: 'rejected', counts: { dealers: 0, products: 0, parts: 0 }, errors, warnings, errorReport };
  }
  // Each dealer keeps the windows it had, so that a lot keyed in later takes the window of its shipping date.
  const stored = await deps.master.load();
  const today = businessDateOf(deps.clock.now(), deps.config.businessTimeZone);
  await deps.master.save({ dealers: dealers.map((d) => withReturnWindowOf(d, stored.dealers.get(d.dealer_code), today)), products, parts });
  return { status: 'accepted', counts: { dealers: dealers.length, products: products.length, parts: parts.length }, errors, warnings };
}
