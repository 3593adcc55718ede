/**
 * Row rules of the material request (需求表) upload, on the shared table validation: one
 * request per file, known parts and products, whole quantities above zero, the product
 * fields on every repair line.
 */
import { EARLIEST_DATE, inRange, latestDate, plausibleDate, QTY_BOUNDS, rangeText } from './bounds.js';
import { compareDates, type IsoDate } from './dates.js';
import type { FieldSpec } from './fields.js';
import type { RequestLineInput } from './request.js';
import { REPAIR_LINE_FIELDS, REQUEST_FIELDS, REQUEST_PURPOSE_CODES } from './request-fields.js';
import { createTableValidator, fieldNamed, isOneOf, must, type RowReader, type RowRules, type TableValidator } from './table-validation.js';
import { CHARGE_CAUSE_CODES } from './warranty.js';

export interface RequestContext {
  readonly master: { hasPart(code: string): boolean; hasProduct(model: string): boolean };
  /** Today in business time: the request date lies from 2000-01-01 to tomorrow. */
  readonly today: IsoDate;
}

/** One validated line with the request it belongs to and its sheet row. */
export interface RequestEntity {
  readonly row: number;
  readonly request_id: string;
  readonly requested_date: IsoDate;
  readonly line: RequestLineInput;
}

class RequestRules implements RowRules<RequestEntity> {
  readonly fields = REQUEST_FIELDS;
  private lines = 0;
  private readonly first = new Map<string, { row: number; value: string }>();

  constructor(private readonly ctx: RequestContext) {}

  check(row: RowReader): RequestEntity[] {
    this.fields.forEach((field) => row.read(field, field.required));
    this.lines += 1;
    this.sameOnEveryRow(row, 'request_id');
    this.sameOnEveryRow(row, 'requested_date');
    this.known(row, 'part_code', 'unknown_part', (code) => this.ctx.master.hasPart(code));
    this.known(row, 'product_model', 'unknown_product', (model) => this.ctx.master.hasProduct(model));
    const qty = this.field('qty');
    const n = row.integer(qty);
    if (n !== undefined && n <= 0) row.flag(qty, 'not_positive', { field: qty, value: String(n) });
    else if (n !== undefined && !inRange(n, QTY_BOUNDS)) row.flag(qty, 'out_of_bounds', { field: qty, value: String(n), ...rangeText(QTY_BOUNDS) });
    const requested = this.field('requested_date');
    const requestedDate = row.text(requested);
    if (requestedDate !== undefined && !plausibleDate(requestedDate, this.ctx.today)) {
      row.flag(requested, 'out_of_bounds', { field: requested, value: requestedDate, min: EARLIEST_DATE, max: latestDate(this.ctx.today) });
    }
    const purchase = this.field('purchase_date');
    const purchaseDate = row.text(purchase);
    if (purchaseDate !== undefined && requestedDate !== undefined && compareDates(purchaseDate, requestedDate) > 0) {
      row.flag(purchase, 'purchase_after_request', { field: purchase, value: purchaseDate, requestedDate });
    } else if (purchaseDate !== undefined && compareDates(purchaseDate, EARLIEST_DATE) < 0) {
      row.flag(purchase, 'out_of_bounds', { field: purchase, value: purchaseDate, min: EARLIEST_DATE, max: requestedDate ?? latestDate(this.ctx.today) });
    }
    if (row.text(this.field('purpose')) === 'repair') {
      for (const name of REPAIR_LINE_FIELDS) {
        const field = this.field(name);
        if (row.text(field) === undefined && !row.hasIssue(field)) row.flag(field, 'required', { field });
      }
    }
    return row.issueCount === 0 ? [this.entity(row)] : [];
  }

  private field(name: string): FieldSpec {
    return fieldNamed(this.fields, name);
  }

  private optional(row: RowReader, name: string): string | null {
    return row.text(this.field(name)) ?? null;
  }

  private sameOnEveryRow(row: RowReader, name: string): void {
    const field = this.field(name);
    const value = row.text(field);
    if (value === undefined) return;
    const first = this.first.get(name);
    if (first === undefined) this.first.set(name, { row: row.row, value });
    else if (first.value !== value) row.flag(field, 'request_mismatch', { field, value, firstRow: first.row, firstValue: first.value });
  }

  private known(row: RowReader, name: string, code: 'unknown_part' | 'unknown_product', exists: (value: string) => boolean): void {
    const field = this.field(name);
    const value = row.text(field);
    if (value !== undefined && !exists(value)) row.flag(field, code, { field, value });
  }

  private entity(row: RowReader): RequestEntity {
    const purpose = row.text(this.field('purpose'));
    const cause = row.text(this.field('charge_cause'));
    return {
      row: row.row,
      request_id: must(row.text(this.field('request_id')), this.field('request_id')),
      requested_date: must(row.text(this.field('requested_date')), this.field('requested_date')),
      line: {
        line: this.lines,
        part_code: must(row.text(this.field('part_code')), this.field('part_code')),
        qty: must(row.integer(this.field('qty')), this.field('qty')),
        purpose: must(isOneOf(REQUEST_PURPOSE_CODES, purpose) ? purpose : undefined, this.field('purpose')),
        product_model: this.optional(row, 'product_model'),
        serial_no: this.optional(row, 'serial_no'),
        purchase_date: this.optional(row, 'purchase_date'),
        fault_description: this.optional(row, 'fault_description'),
        charge_cause: isOneOf(CHARGE_CAUSE_CODES, cause) ? cause : null,
        repair_id: this.optional(row, 'repair_id'),
        remarks: this.optional(row, 'remarks'),
      },
    };
  }
}

/** A streaming validator for a material request workbook. */
export function createRequestValidator(ctx: RequestContext): TableValidator<RequestEntity> {
  return createTableValidator(new RequestRules(ctx));
}
