/**
 * The rules of the master-data workbook (经销商 dealers, 产品 products, 配件 parts price list),
 * on top of the shared table validation: codes unique within their sheet, a positive warranty
 * and return window, prices of 0 or more with at most two decimals, one price per part and date.
 */
import { amountRangeText, inRange, rangeText, RETURN_WINDOW_BOUNDS, WARRANTY_MONTHS_BOUNDS, withinAmount, type Range } from './bounds.js';
import { DEALER_FIELDS, PART_FIELDS, PRODUCT_FIELDS, type FieldSpec } from './fields.js';
import type { Dealer, PartPrice, Product } from './master.js';
import { createTableValidator, fieldNamed, must, type RowReader, type RowRules, type TableValidator } from './table-validation.js';

export type MasterSheet = 'dealers' | 'products' | 'parts';

/** How each sheet may be named: Chinese or English, as the template names it or close to it. */
export const MASTER_SHEET_NAMES: Readonly<Record<MasterSheet, readonly string[]>> = {
  dealers: ['经销商', 'dealers'],
  products: ['产品', 'products'],
  parts: ['配件', 'parts'],
};

/** The sheet of `kind` among a workbook's sheet names: the first whose name contains one of its names. */
export function findMasterSheet(kind: MasterSheet, sheetNames: readonly string[]): string | undefined {
  const wanted = MASTER_SHEET_NAMES[kind];
  return sheetNames.find((name) => wanted.some((w) => name.toLowerCase().includes(w.toLowerCase())));
}

/** One plain address: no display name, no list, nothing a mail header could be split on. */
const EMAIL = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

abstract class MasterRules<E> implements RowRules<E> {
  abstract readonly fields: readonly FieldSpec[];
  abstract check(row: RowReader): E[];
  private readonly firstRows = new Map<string, number>();

  protected field(name: string): FieldSpec {
    return fieldNamed(this.fields, name);
  }

  protected text(row: RowReader, name: string): string {
    return must(row.text(this.field(name)), this.field(name));
  }

  /** The row's key must not repeat an earlier row's; the issue points at `field`. */
  protected unique(row: RowReader, field: FieldSpec, key: string | undefined): void {
    if (key === undefined) return;
    const firstRow = this.firstRows.get(key);
    if (firstRow === undefined) this.firstRows.set(key, row.row);
    else row.flag(field, 'duplicate_id', { field, value: row.text(field) ?? key, firstRow });
  }

  protected positive(row: RowReader, field: FieldSpec): void {
    const value = row.integer(field);
    if (value !== undefined && value <= 0) row.flag(field, 'not_positive', { field, value: String(value) });
  }

  /** A whole number above zero must also lie within its bounds (shared/domain/bounds.ts). */
  protected within(row: RowReader, field: FieldSpec, range: Range): void {
    const value = row.integer(field);
    if (value !== undefined && value > 0 && !inRange(value, range)) row.flag(field, 'out_of_bounds', { field, value: String(value), ...rangeText(range) });
  }

  protected readAll(row: RowReader): void {
    this.fields.forEach((field) => row.read(field, field.required));
  }
}

class DealerRules extends MasterRules<Dealer> {
  readonly fields = DEALER_FIELDS;

  check(row: RowReader): Dealer[] {
    this.readAll(row);
    const code = this.field('dealer_code');
    this.unique(row, code, row.text(code));
    this.positive(row, this.field('return_window_days'));
    this.within(row, this.field('return_window_days'), RETURN_WINDOW_BOUNDS);
    const emailField = this.field('email');
    const email = row.text(emailField);
    if (email !== undefined && !EMAIL.test(email)) row.flag(emailField, 'invalid_email', { field: emailField, value: email });
    if (row.issueCount > 0) return [];
    const address = row.text(this.field('address'));
    return [
      {
        dealer_code: this.text(row, 'dealer_code'),
        dealer_name: this.text(row, 'dealer_name'),
        region: this.text(row, 'region'),
        contact: this.text(row, 'contact'),
        phone: this.text(row, 'phone'),
        payment_method: this.text(row, 'payment_method'),
        return_window_days: row.integer(this.field('return_window_days')) ?? null,
        ...(email === undefined ? {} : { email }),
        ...(address === undefined ? {} : { address }),
      },
    ];
  }
}

class ProductRules extends MasterRules<Product> {
  readonly fields = PRODUCT_FIELDS;

  check(row: RowReader): Product[] {
    this.readAll(row);
    const model = this.field('product_model');
    const months = this.field('warranty_months');
    this.unique(row, model, row.text(model));
    this.positive(row, months);
    this.within(row, months, WARRANTY_MONTHS_BOUNDS);
    if (row.issueCount > 0) return [];
    return [
      {
        product_model: this.text(row, 'product_model'),
        product_name: this.text(row, 'product_name'),
        warranty_months: must(row.integer(months), months),
      },
    ];
  }
}

class PartRules extends MasterRules<PartPrice> {
  readonly fields = PART_FIELDS;

  check(row: RowReader): PartPrice[] {
    this.readAll(row);
    const code = row.text(this.field('part_code'));
    const validFrom = this.field('valid_from');
    const from = row.text(validFrom);
    this.unique(row, validFrom, code === undefined || from === undefined ? undefined : `${code}#${from}`);
    const price = this.field('cost_price');
    const amount = row.text(price);
    if (amount !== undefined && amount.startsWith('-')) row.flag(price, 'negative_amount', { field: price, value: amount });
    else if (amount !== undefined && !row.hasIssue(price) && !withinAmount(amount)) row.flag(price, 'out_of_bounds', { field: price, value: amount, ...amountRangeText });
    if (row.issueCount > 0) return [];
    return [
      {
        part_code: this.text(row, 'part_code'),
        part_name: this.text(row, 'part_name'),
        unit: this.text(row, 'unit'),
        cost_price: this.text(row, 'cost_price'),
        valid_from: this.text(row, 'valid_from'),
      },
    ];
  }
}

export function createMasterValidator(kind: 'dealers'): TableValidator<Dealer>;
export function createMasterValidator(kind: 'products'): TableValidator<Product>;
export function createMasterValidator(kind: 'parts'): TableValidator<PartPrice>;
/** A streaming validator for one sheet of the master-data workbook. */
export function createMasterValidator(kind: MasterSheet): TableValidator<Dealer | Product | PartPrice> {
  const rules: RowRules<Dealer | Product | PartPrice> =
    kind === 'dealers' ? new DealerRules() : kind === 'products' ? new ProductRules() : new PartRules();
  return createTableValidator(rules);
}
