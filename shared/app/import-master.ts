import type { Issue } from '../domain/issues.js';
import type { Dealer, PartPrice, Product } from '../domain/master.js';
import { makeIssue } from '../domain/messages.js';
import { createMasterValidator, findMasterSheet, MASTER_SHEET_NAMES, type MasterSheet } from '../domain/master-validation.js';
import type { TableValidator } from '../domain/table-validation.js';
import { DEFAULT_LIMITS } from '../sheets/guard.js';
import type { MasterStore } from './ports.js';
import { openUpload } from './upload-pipeline.js';

/** An issue of the master-data workbook names its sheet too: the same row number exists on three. */
export type MasterIssue = Issue & { readonly sheet: MasterSheet | null };

export interface MasterImportResult {
  readonly status: 'accepted' | 'rejected';
  readonly counts: { readonly dealers: number; readonly products: number; readonly parts: number };
  readonly errors: readonly MasterIssue[];
  readonly warnings: readonly MasterIssue[];
}

/**
 * Loads dealers, products and the parts price list from the master-data workbook. All three
 * sheets are checked in full; if any has an error nothing is saved. Saving adds and updates
 * (by dealer code, product model, part code and date) and removes nothing, so a workbook
 * holding only new rows is fine.
 */
export async function importMaster(deps: { readonly master: MasterStore }, bytes: Uint8Array): Promise<MasterImportResult> {
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

  const readSheet = async <E>(kind: MasterSheet, validator: TableValidator<E>, into: E[]) => {
    const name = findMasterSheet(kind, names);
    if (name === undefined) {
      errors.push({ ...makeIssue('missing_sheet', { row: null, column: null, value: null }, { names: MASTER_SHEET_NAMES[kind] }), sheet: kind });
      return;
    }
    const { summary, refusal } = await upload.read(validator, async (entities) => void into.push(...entities), name);
    if (refusal !== undefined) errors.push({ ...refusal, sheet: kind });
    errors.push(...summary.errors.map((issue) => ({ ...issue, sheet: kind })));
    warnings.push(...summary.warnings.map((issue) => ({ ...issue, sheet: kind })));
  };
  await readSheet('dealers', createMasterValidator('dealers'), dealers);
  await readSheet('products', createMasterValidator('products'), products);
  await readSheet('parts', createMasterValidator('parts'), parts);

  if (errors.length > 0) return { status: 'rejected', counts: { dealers: 0, products: 0, parts: 0 }, errors, warnings };
  await deps.master.save({ dealers, products, parts });
  return { status: 'accepted', counts: { dealers: dealers.length, products: products.length, parts: parts.length }, errors, warnings };
}
