/**
 * The parts ledgers: lines shipped to dealers (发料单, from the after-sales department) and
 * lines received back (退料盘点, from the return warehouse). Each line is keyed by its
 * business id and its ordinal among the rows of that id in the file, so that a re-upload of
 * the same file names the same lines and is never recorded twice.
 */
import { EARLIEST_DATE, inRange, QTY_BOUNDS, rangeText } from './bounds.js';
import { compareDates, type IsoDate } from './dates.js';
import { RETURN_FIELDS, SHIPMENT_FIELDS, type FieldSpec } from './fields.js';
import { createTableValidator, fieldNamed, isOneOf, must, type RowReader, type RowRules, type TableValidator } from './table-validation.js';

export const SHIPMENT_KIND_CODES = ['warranty_loan', 'charged', 'gift', 'office_supplies', 'promotional', 'special_approval'] as const;
export type ShipmentKind = (typeof SHIPMENT_KIND_CODES)[number];

export interface ShipmentLine {
  readonly shipment_id: string;
  /** 1-based ordinal of this line among the rows of its shipment id. */
  readonly line: number;
  readonly shipped_date: IsoDate;
  readonly dealer_code: string;
  readonly part_code: string;
  readonly qty: number;
  readonly kind: ShipmentKind;
  /** Whether the old part must come back; stated for special approvals only, null otherwise. */
  readonly return_required: boolean | null;
  readonly repair_id: string | null;
  readonly remarks: string | null;
  /**
   * The return window (days) in force for the dealer when the line was recorded, so that a lot
   * keeps the terms it shipped with; absent on lines recorded before lots kept their terms.
   */
  readonly return_window_days?: number;
  /** The material request the line was shipped for, when it came through the request flow. */
  readonly request_id?: string;
}

export interface ReturnLine {
  readonly return_id: string;
  readonly line: number;
  readonly received_date: IsoDate;
  readonly dealer_code: string;
  readonly part_code: string;
  readonly qty: number;
  readonly condition: string | null;
  readonly remarks: string | null;
}

/**
 * Whether two recordings of one ledger line (same id and line number) say the same thing: the
 * date, dealer, part, quantity and kind. A line recorded again the same is a replay; recorded
 * again with other content it is a conflict, never "already recorded". The lot's frozen
 * return window, remarks and where it came from do not count: they follow from the rest.
 */
export function sameLedgerLine(a: ShipmentLine | ReturnLine, b: ShipmentLine | ReturnLine): boolean {
  const essential = (l: ShipmentLine | ReturnLine) =>
    'shipment_id' in l
      ? [l.shipped_date, l.dealer_code, l.part_code, l.qty, l.kind, l.return_required ?? null]
      : [l.received_date, l.dealer_code, l.part_code, l.qty];
  return JSON.stringify(essential(a)) === JSON.stringify(essential(b));
}

/** The two parts ledgers: what the after-sales department ships out, and what the return warehouse takes back. */
export const LEDGER_TYPES = ['shipments', 'returns'] as const;
export type LedgerType = (typeof LEDGER_TYPES)[number];

export interface LedgerContext {
  /** Business date of the upload: nothing is shipped or received after it. */
  readonly today: IsoDate;
  readonly master: { hasDealer(code: string): boolean; hasPart(code: string): boolean };
}

/** The ledger line with its row, so that a later conflict found in the store can point at the cell. */
export interface LedgerEntity<L> {
  readonly row: number;
  readonly line: L;
}

abstract class LedgerRules<L> implements RowRules<LedgerEntity<L>> {
  abstract readonly fields: readonly FieldSpec[];
  protected abstract readonly idField: string;
  protected abstract readonly dateField: string;
  private readonly linesPerId = new Map<string, number>();

  constructor(private readonly ctx: LedgerContext) {}

  protected abstract record(row: RowReader, line: number): L;

  check(row: RowReader): LedgerEntity<L>[] {
    this.fields.forEach((field) => row.read(field, field.required));
    const id = row.text(this.field(this.idField));
    // The ordinal counts every row of the id, valid or not, so that fixing one row of a
    // rejected file does not renumber the others.
    const line = id === undefined ? 0 : (this.linesPerId.get(id) ?? 0) + 1;
    if (id !== undefined) this.linesPerId.set(id, line);
    this.known(row, 'dealer_code', 'unknown_dealer', (code) => this.ctx.master.hasDealer(code));
    this.known(row, 'part_code', 'unknown_part', (code) => this.ctx.master.hasPart(code));
    this.positive(row);
    this.notInFuture(row);
    this.extraRules(row);
    return row.issueCount === 0 ? [{ row: row.row, line: this.record(row, line) }] : [];
  }

  protected extraRules(_row: RowReader): void {}

  protected field(name: string): FieldSpec {
    return fieldNamed(this.fields, name);
  }

  protected text(row: RowReader, name: string): string {
    return must(row.text(this.field(name)), this.field(name));
  }

  protected optional(row: RowReader, name: string): string | null {
    return row.text(this.field(name)) ?? null;
  }

  protected qty(row: RowReader): number {
    return must(row.integer(this.field('qty')), this.field('qty'));
  }

  private known(row: RowReader, name: string, code: 'unknown_dealer' | 'unknown_part', exists: (value: string) => boolean): void {
    const field = this.field(name);
    const value = row.text(field);
    if (value !== undefined && !exists(value)) row.flag(field, code, { field, value });
  }

  private positive(row: RowReader): void {
    const field = this.field('qty');
    const qty = row.integer(field);
    if (qty !== undefined && qty <= 0) row.flag(field, 'not_positive', { field, value: String(qty) });
    else if (qty !== undefined && !inRange(qty, QTY_BOUNDS)) row.flag(field, 'out_of_bounds', { field, value: String(qty), ...rangeText(QTY_BOUNDS) });
  }

  private notInFuture(row: RowReader): void {
    const field = this.field(this.dateField);
    const date = row.text(field);
    if (date !== undefined && compareDates(date, this.ctx.today) > 0) row.flag(field, 'future_date', { field, value: date, today: this.ctx.today });
    else if (date !== undefined && compareDates(date, EARLIEST_DATE) < 0) row.flag(field, 'out_of_bounds', { field, value: date, min: EARLIEST_DATE, max: this.ctx.today });
  }
}

class ShipmentRules extends LedgerRules<ShipmentLine> {
  readonly fields = SHIPMENT_FIELDS;
  protected readonly idField = 'shipment_id';
  protected readonly dateField = 'shipped_date';

  /** A special approval must say whether the part comes back; nothing else says it. */
  protected override extraRules(row: RowReader): void {
    const returnRequired = this.field('return_required');
    if (row.text(this.field('kind')) === 'special_approval' && row.text(returnRequired) === undefined && !row.hasIssue(returnRequired)) {
      row.flag(returnRequired, 'return_required_missing', { field: returnRequired });
    }
  }

  protected record(row: RowReader, line: number): ShipmentLine {
    const kind = row.text(this.field('kind'));
    const returnRequired = row.text(this.field('return_required'));
    return {
      shipment_id: this.text(row, 'shipment_id'),
      line,
      shipped_date: this.text(row, 'shipped_date'),
      dealer_code: this.text(row, 'dealer_code'),
      part_code: this.text(row, 'part_code'),
      qty: this.qty(row),
      kind: must(isOneOf(SHIPMENT_KIND_CODES, kind) ? kind : undefined, this.field('kind')),
      return_required: kind === 'special_approval' ? returnRequired === 'yes' : null,
      repair_id: this.optional(row, 'repair_id'),
      remarks: this.optional(row, 'remarks'),
    };
  }
}

class ReturnRules extends LedgerRules<ReturnLine> {
  readonly fields = RETURN_FIELDS;
  protected readonly idField = 'return_id';
  protected readonly dateField = 'received_date';

  protected record(row: RowReader, line: number): ReturnLine {
    return {
      return_id: this.text(row, 'return_id'),
      line,
      received_date: this.text(row, 'received_date'),
      dealer_code: this.text(row, 'dealer_code'),
      part_code: this.text(row, 'part_code'),
      qty: this.qty(row),
      condition: this.optional(row, 'condition'),
      remarks: this.optional(row, 'remarks'),
    };
  }
}

export function createLedgerValidator(type: 'shipments', ctx: LedgerContext): TableValidator<LedgerEntity<ShipmentLine>>;
export function createLedgerValidator(type: 'returns', ctx: LedgerContext): TableValidator<LedgerEntity<ReturnLine>>;
/** A streaming validator for a shipments or returns upload. */
export function createLedgerValidator(type: LedgerType, ctx: LedgerContext): TableValidator<LedgerEntity<ShipmentLine | ReturnLine>> {
  const rules: RowRules<LedgerEntity<ShipmentLine | ReturnLine>> = type === 'shipments' ? new ShipmentRules(ctx) : new ReturnRules(ctx);
  return createTableValidator(rules);
}
