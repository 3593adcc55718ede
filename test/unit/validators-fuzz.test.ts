import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CellValue, SheetRow } from '../../shared/domain/cells.js';
import { INSTALLATION_FIELDS, REPAIR_FIELDS, SHIPMENT_FIELDS, RETURN_FIELDS, DEALER_FIELDS, PRODUCT_FIELDS, PART_FIELDS, type FieldSpec } from '../../shared/domain/fields.js';
import type { Issue } from '../../shared/domain/issues.js';
import { createLedgerValidator } from '../../shared/domain/ledger-validation.js';
import { createMasterValidator } from '../../shared/domain/master-validation.js';
import { createReportValidator } from '../../shared/domain/report-validation.js';

/**
 * Whatever a sheet holds, every validator answers: it never throws, and every issue it
 * raises has a code and a reason in English and in Chinese, and points at a row and a
 * field of its kind. Rows below a correct header are arbitrary cells, as a dealer (or
 * anyone with a dealer's login) can type them.
 */

/** Text a hostile or careless sheet holds: formulas typed as text, control and direction characters, emoji, full-width forms, and the near misses of each kind of field. */
const nastyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '=1+1', '+SUM(A1:A9)', '-2+3', '@cmd', '\t=HYPERLINK("http://x","y")', '\r=A1', '=cmd|\' /C calc\'!A0',
    '\u202eSN-1', '\u0000\u0007\u001b', '👨‍👩‍👧', 'مريم', '１３８００１３８０００', '1.38E+10', '2026-02-30', '10/03/2026',
    '2026年10月3日 14点30分', '1899-12-31', '0', '-1', '1e308', 'NaN', 'Infinity', '¥-0.001', '__proto__', 'constructor',
    '是', '否', '合格', '保修借料', 'x'.repeat(501),
  ),
);

const anyCell: fc.Arbitrary<CellValue> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 4, arbitrary: nastyText },
  { weight: 2, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer({ min: -1e6, max: 1e16 }) },
  { weight: 1, arbitrary: fc.boolean() },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('datetime' as const),
      year: fc.integer({ min: -10, max: 10_000 }),
      month: fc.integer({ min: 0, max: 13 }),
      day: fc.integer({ min: 0, max: 32 }),
      hour: fc.integer({ min: 0, max: 25 }),
      minute: fc.integer({ min: 0, max: 61 }),
      second: fc.integer({ min: 0, max: 61 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('error' as const), text: fc.constantFrom('#N/A', '#REF!', '#VALUE!', '#DIV/0!') }) },
);

const dataRows = (width: number) => fc.array(fc.array(anyCell, { maxLength: width + 3 }), { maxLength: 12 });

interface Kind {
  readonly name: string;
  readonly fields: readonly FieldSpec[];
  readonly create: () => { push(row: SheetRow): unknown[]; finish(): { readonly errors: readonly Issue[]; readonly warnings: readonly Issue[] } };
}

const KINDS: readonly Kind[] = [
  ...(['installation', 'repair'] as const).map((type) => ({
    name: `${type} report`,
    fields: type === 'installation' ? INSTALLATION_FIELDS : REPAIR_FIELDS,
    create: () =>
      createReportValidator({ type, period: '2026-10', today: '2026-11-02', master: { warrantyMonths: (m) => (m === 'WC-800' ? 24 : undefined), hasPart: (p) => p === 'P-VALVE-01' } }),
  })),
  ...(['shipments', 'returns'] as const).map((type) => ({
    name: type,
    fields: type === 'shipments' ? SHIPMENT_FIELDS : RETURN_FIELDS,
    create: () => createLedgerValidator(type as 'shipments', { today: '2026-11-02', master: { hasDealer: (d) => d === 'D001', hasPart: (p) => p === 'P-VALVE-01' } }),
  })),
  ...(['dealers', 'products', 'parts'] as const).map((kind) => ({
    name: `master ${kind}`,
    fields: kind === 'dealers' ? DEALER_FIELDS : kind === 'products' ? PRODUCT_FIELDS : PART_FIELDS,
    create: () => createMasterValidator(kind as 'dealers'),
  })),
];

/** Every cell as a message could quote it: numbers as JavaScript prints them (NaN included), the rest as JSON. */
const textOf = (rows: readonly (readonly unknown[])[]): string =>
  rows.flatMap((cells) => cells.map((c) => (typeof c === 'number' ? String(c) : JSON.stringify(c)))).join('\n');

/**
 * What is wrong with an issue: an empty list when it has a code, a reason in English and in
 * Chinese, and points at a row of the sheet and a field of its kind. Checked in plain code, one
 * `expect` per sheet: thousands of issues a run, each through a dozen `expect`s, were most of
 * this file's CPU.
 */
function faultsOf(issue: Issue, fields: readonly FieldSpec[], lastRow: number, sheetText: string): string[] {
  const faults: string[] = [];
  if (!/^[a-z_]+$/.test(issue.code)) faults.push('code is not snake_case');
  if (issue.message.trim() === '') faults.push('no English message');
  if (!/[\u4e00-\u9fff]/.test(issue.message_zh)) faults.push('no Chinese message');
  // A message is built from its parameters only: no hole where one is missing (unless some cell
  // says so itself: a message may quote another cell of the sheet, such as the repair id of a conflict).
  for (const hole of ['undefined', 'NaN', '[object ']) {
    if (!sheetText.includes(hole) && `${issue.message} ${issue.message_zh}`.includes(hole)) faults.push(`message holds "${hole}"`);
  }
  if (issue.row !== null && (issue.row < 1 || issue.row > lastRow)) faults.push(`row outside 1..${lastRow}`);
  if (issue.column !== null && !fields.some((f) => f.name === issue.column)) faults.push('column is not a field of its kind');
  return faults.map((fault) => `${fault}: ${JSON.stringify(issue)}`);
}

describe.each(KINDS)('the $name validator, fed arbitrary cells', ({ fields, create }) => {
  it('never throws, and answers every row with values or bilingual issues', () => {
    fc.assert(
      fc.property(dataRows(fields.length), fc.boolean(), (rows, english) => {
        const validator = create();
        const sheet: SheetRow[] = [{ row: 1, cells: fields.map((f) => (english ? f.name : f.zh)) }, ...rows.map((cells, i) => ({ row: i + 2, cells }))];
        const yielded = sheet.flatMap((row) => validator.push(row));
        const summary = validator.finish();
        const sheetText = textOf(sheet.map((r) => r.cells));
        const faults = [...summary.errors, ...summary.warnings].flatMap((issue) => faultsOf(issue, fields, sheet.length, sheetText));
        // A row that raised an error yields nothing: everything yielded comes from a clean row.
        const erroneous = new Set(summary.errors.map((e) => e.row));
        for (const entity of yielded as Array<{ row?: number }>) if (entity.row !== undefined && erroneous.has(entity.row)) faults.push(`row ${entity.row} yielded despite its error`);
        expect(faults).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on a sheet with no header at all', () => {
    fc.assert(
      fc.property(dataRows(fields.length), (rows) => {
        const validator = create();
        rows.forEach((cells, i) => validator.push({ row: i + 1, cells }));
        const summary = validator.finish();
        const sheetText = textOf(rows);
        expect(summary.errors.flatMap((issue) => faultsOf(issue, fields, rows.length, sheetText))).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
