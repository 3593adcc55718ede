/**
 * The streaming validator of dealers' monthly installation and repair reports.
 *
 * Rows arrive one at a time in sheet order. The validator finds the header row, checks each
 * data row against the rules of domain.md and returns at once what the row makes valid, so a
 * large report never sits in memory. Only what checks across rows need is kept: each id's
 * first row and, per repair, its first row's own values and the part codes it has named.
 */
import type { SheetRow } from './cells.js';
import { isValidDate, isValidPeriod, periodOf, type IsoDate } from './dates.js';
import { INSTALLATION_FIELDS, REPAIR_FIELDS, type FieldSpec, type ReportType } from './fields.js';
import type { Issue } from './issues.js';
import { makeIssue } from './messages.js';
import { createTableValidator, DEFAULT_MAX_ISSUES, fieldNamed, isOneOf, must, type RowReader, type RowRules, type TableValidator } from './table-validation.js';
import { dateOf, isEmptyCell, issueValue, type FieldValue, type LocalDateTime } from './values.js';
import { CHARGE_CAUSE_CODES, SERVICE_TYPE_CODES, type ChargeCause, type ServiceType } from './warranty.js';

/** What the validator needs from master data. */
export interface MasterLookup {
  /** The model's warranty in months; undefined for a model not in the product list. */
  warrantyMonths(productModel: string): number | undefined;
  hasPart(partCode: string): boolean;
}

export interface ReportContext {
  readonly type: ReportType;
  /** The month the report is for, 'YYYY-MM'. */
  readonly period: string;
  /** Business date of the upload, 'YYYY-MM-DD': nothing may happen after it. */
  readonly today: IsoDate;
  readonly master: MasterLookup;
  /** Issues kept before one too_many_errors closes the list; default 10 000. */
  readonly maxIssues?: number;
}

const COMMISSIONING_CODES = ['passed', 'failed'] as const;
export type CommissioningResult = (typeof COMMISSIONING_CODES)[number];

const SATISFACTION_CODES = ['satisfied', 'fairly_satisfied', 'dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTION_CODES)[number];

export interface Installation {
  readonly install_id: string;
  readonly install_date: IsoDate;
  readonly owner_name: string;
  readonly phone: string;
  readonly address: string;
  readonly product_model: string;
  readonly serial_no: string;
  readonly purchase_date: IsoDate;
  readonly commissioning: CommissioningResult;
  readonly unboxing_issue: string | null;
  readonly installer: string;
  readonly remarks: string | null;
}

export interface Repair {
  readonly repair_id: string;
  readonly called_at: LocalDateTime;
  readonly arrived_at: LocalDateTime;
  readonly completed_date: IsoDate;
  readonly owner_name: string;
  readonly phone: string;
  readonly address: string;
  readonly product_model: string;
  readonly serial_no: string;
  readonly purchase_date: IsoDate;
  readonly fault_description: string;
  readonly fault_cause: string;
  readonly action_taken: string;
  readonly charge_cause: ChargeCause;
  readonly service_type: ServiceType;
  readonly customer_confirmed: boolean;
  readonly satisfaction: Satisfaction;
}

export interface RepairPartLine {
  readonly repair_id: string;
  readonly part_code: string;
  readonly part_qty: number;
}

export type ReportEntity =
  | { readonly kind: 'installation'; readonly row: number; readonly record: Installation }
  /** Once per repair id, at its first row. */
  | { readonly kind: 'repair'; readonly row: number; readonly record: Repair }
  /** One per row that names a part. */
  | { readonly kind: 'part_line'; readonly row: number; readonly record: RepairPartLine };

export interface ReportCounts {
  /** Non-blank data rows. */
  readonly rows: number;
  /** Installations, or distinct repair ids. */
  readonly records: number;
  /** Rows that name a part (repair reports). */
  readonly part_lines: number;
}

export interface ReportSummary {
  readonly errors: Issue[];
  readonly warnings: Issue[];
  readonly counts: ReportCounts;
  /** Excel row number of the header row; null when none was found. */
  readonly headerRow: number | null;
  /** Field name → 0-based column index. */
  readonly columns: ReadonlyMap<string, number>;
}

export interface ReportValidator {
  /** Validates the next row in sheet order (blank rows are skipped) and returns what it makes valid. */
  push(row: SheetRow): ReportEntity[];
  /** Ends the report: issues, counts and the header found. */
  finish(): ReportSummary;
  /** Errors so far, for a caller that stops writing as soon as the report is bound to be rejected. */
  readonly errorCount: number;
}

/** Creates a validator for one report; throws RangeError when the context itself is malformed. */
export function createReportValidator(ctx: ReportContext): ReportValidator {
  if (!isValidPeriod(ctx.period)) throw new RangeError(`period must be YYYY-MM: ${JSON.stringify(ctx.period)}`);
  if (!isValidDate(ctx.today)) throw new RangeError(`today must be YYYY-MM-DD: ${JSON.stringify(ctx.today)}`);
  const rules = ctx.type === 'installation' ? new InstallationRules(ctx) : new RepairRules(ctx);
  const table: TableValidator<ReportEntity> = createTableValidator(rules, ctx.maxIssues ?? DEFAULT_MAX_ISSUES);
  return {
    push: (row: SheetRow) => table.push(row),
    get errorCount() {
      return table.errorCount;
    },
    finish(): ReportSummary {
      const { rows, ...summary } = table.finish();
      const rowWarnings = rules instanceof RepairRules ? [...summary.warnings, ...rules.unconfirmed] : summary.warnings;
      // An empty month is a valid answer, but a blank template uploaded by mistake should not pass unnoticed.
      const warnings = rules.records === 0 && summary.errors.length === 0
        ? [...rowWarnings, makeIssue('empty_report', { row: null, column: null, value: null }, {})]
        : rowWarnings;
      return { ...summary, warnings, counts: { rows, records: rules.records, part_lines: rules.partLines } };
    },
  };
}



/**
 * Rules both report types share. Dates compare as text: the parsers write every date as a
 * valid fixed-width 'YYYY-MM-DD' (and `today` is checked up front), so text order is date order.
 */
abstract class ReportRules implements RowRules<ReportEntity> {
  abstract readonly fields: readonly FieldSpec[];
  abstract readonly records: number;
  abstract readonly partLines: number;

  constructor(protected readonly ctx: ReportContext) {}

  abstract check(row: RowReader): ReportEntity[];

  private byName: ReadonlyMap<string, FieldSpec> | undefined;

  /** A field by name; a map made on first use, since records are built field by field on every row. */
  protected field(name: string): FieldSpec {
    this.byName ??= new Map(this.fields.map((f) => [f.name, f]));
    return this.byName.get(name) ?? fieldNamed(this.fields, name);
  }

  /** The record's own date must fall in the report's month. */
  protected inPeriod(row: RowReader, field: FieldSpec): void {
    const date = row.text(field);
    if (date !== undefined && periodOf(date) !== this.ctx.period) {
      row.flag(field, 'out_of_period', { field, value: date, period: this.ctx.period });
    }
  }

  /** Nothing a report records can happen after the upload. */
  protected notInFuture(row: RowReader, fields: readonly FieldSpec[]): void {
    for (const field of fields) {
      const value = row.text(field);
      if (value !== undefined && dateOf(value) > this.ctx.today) {
        row.flag(field, 'future_date', { field, value, today: this.ctx.today });
      }
    }
  }

  protected knownProduct(row: RowReader, field: FieldSpec): void {
    const model = row.text(field);
    if (model !== undefined && this.ctx.master.warrantyMonths(model) === undefined) {
      row.flag(field, 'unknown_product', { field, value: model });
    }
  }

  /** Flags a second row with the same value of `field`, naming the first; remembers the first. */
  protected unique(row: RowReader, field: FieldSpec, firstRows: Map<string, number>): void {
    const value = row.text(field);
    if (value === undefined) return;
    const firstRow = firstRows.get(value);
    if (firstRow === undefined) firstRows.set(value, row.row);
    else row.flag(field, 'duplicate_id', { field, value, firstRow });
  }
}

/** The two monthly reports as their templates are called, for a file dropped in the other's slot. */
const INSTALLATION_TEMPLATE = { en: 'installation report (安装情况统计表)', zh: '安装情况统计表', fields: INSTALLATION_FIELDS };
const REPAIR_TEMPLATE = { en: 'repair report (维修情况汇总表)', zh: '维修情况汇总表', fields: REPAIR_FIELDS };

class InstallationRules extends ReportRules {
  readonly fields = INSTALLATION_FIELDS;
  readonly template = INSTALLATION_TEMPLATE;
  readonly others = [REPAIR_TEMPLATE];
  readonly partLines = 0;
  records = 0;
  private readonly installIds = new Map<string, number>();
  private readonly serials = new Map<string, number>();

  private readonly f = {
    install_id: this.field('install_id'),
    install_date: this.field('install_date'),
    product_model: this.field('product_model'),
    serial_no: this.field('serial_no'),
    purchase_date: this.field('purchase_date'),
  };

  check(row: RowReader): ReportEntity[] {
    this.records += 1;
    this.fields.forEach((field) => row.read(field, field.required));
    const { install_id, install_date, product_model, serial_no, purchase_date } = this.f;
    this.inPeriod(row, install_date);
    this.notInFuture(row, [install_date, purchase_date]);
    this.purchaseNotAfter(row, row.text(install_date));
    this.knownProduct(row, product_model);
    this.unique(row, install_id, this.installIds);
    this.unique(row, serial_no, this.serials);
    return row.issueCount === 0 ? [{ kind: 'installation', row: row.row, record: this.record(row) }] : [];
  }

  private purchaseNotAfter(row: RowReader, installDate: IsoDate | undefined): void {
    const field = this.f.purchase_date;
    const purchase = row.text(field);
    if (purchase !== undefined && installDate !== undefined && purchase > installDate) {
      row.flag(field, 'purchase_after_install', { field, value: purchase, installDate });
    }
  }

  private record(row: RowReader): Installation {
    const text = (name: string): string => must(row.text(this.field(name)), this.field(name));
    const optional = (name: string): string | null => row.text(this.field(name)) ?? null;
    const commissioning = row.text(this.field('commissioning'));
    return {
      install_id: text('install_id'),
      install_date: text('install_date'),
      owner_name: text('owner_name'),
      phone: text('phone'),
      address: text('address'),
      product_model: text('product_model'),
      serial_no: text('serial_no'),
      purchase_date: text('purchase_date'),
      commissioning: must(isOneOf(COMMISSIONING_CODES, commissioning) ? commissioning : undefined, this.field('commissioning')),
      unboxing_issue: optional('unboxing_issue'),
      installer: text('installer'),
      remarks: optional('remarks'),
    };
  }
}

const NOT_OWN_FIELDS: ReadonlySet<string> = new Set(['repair_id', 'part_code', 'part_qty']);

/** What later rows of a repair are checked against. */
interface RepairSeen {
  readonly row: number;
  /** The first row's own values, in the order of `own`; undefined where blank or flagged. */
  readonly first: readonly (FieldValue | undefined)[];
  /**
   * Part codes named so far and the rows that named them, side by side. Kept for every repair
   * to the end of the report, and most name one or two parts, so each is an array of exactly
   * its length (one grown by `push` holds room for 17), replaced when a part is added.
   */
  partCodes: readonly string[];
  partRows: readonly number[];
}

const NONE: readonly never[] = [];

/** `list` and then `item`, in a new array of exactly their length. */
function appended<T>(list: readonly T[], item: T): T[] {
  const out = new Array<T>(list.length + 1);
  for (let i = 0; i < list.length; i++) out[i] = list[i] as T;
  out[list.length] = item;
  return out;
}

class RepairRules extends ReportRules {
  readonly fields = REPAIR_FIELDS;
  readonly template = REPAIR_TEMPLATE;
  readonly others = [INSTALLATION_TEMPLATE];
  /** The repair's own fields besides its id: every field but the part line's. */
  private readonly own = REPAIR_FIELDS.filter((f) => !NOT_OWN_FIELDS.has(f.name));
  private readonly repairs = new Map<string, RepairSeen>();
  partLines = 0;
  /** Warnings for repairs the customer did not confirm (用户确认 否): accepted, but the seed files a repair only 经客户确认后. */
  readonly unconfirmed: Issue[] = [];

  private readonly f = {
    repair_id: this.field('repair_id'),
    called_at: this.field('called_at'),
    arrived_at: this.field('arrived_at'),
    completed_date: this.field('completed_date'),
    owner_name: this.field('owner_name'),
    phone: this.field('phone'),
    address: this.field('address'),
    product_model: this.field('product_model'),
    serial_no: this.field('serial_no'),
    purchase_date: this.field('purchase_date'),
    fault_description: this.field('fault_description'),
    fault_cause: this.field('fault_cause'),
    action_taken: this.field('action_taken'),
    charge_cause: this.field('charge_cause'),
    service_type: this.field('service_type'),
    customer_confirmed: this.field('customer_confirmed'),
    satisfaction: this.field('satisfaction'),
    part_code: this.field('part_code'),
    part_qty: this.field('part_qty'),
  };

  private readonly dated = [this.f.called_at, this.f.arrived_at, this.f.completed_date, this.f.purchase_date];

  get records(): number {
    return this.repairs.size;
  }

  check(row: RowReader): ReportEntity[] {
    row.read(this.f.repair_id, true);
    const repairId = row.text(this.f.repair_id);
    let seen = repairId === undefined ? undefined : this.repairs.get(repairId);
    let repair: ReportEntity | undefined;
    if (repairId !== undefined && seen !== undefined) {
      this.checkRepeat(row, repairId, seen);
    } else {
      // Without an id the row cannot be told from a further row of some repair, so its own
      // fields are checked as far as given but not required.
      this.checkRepair(row, repairId !== undefined);
      if (repairId !== undefined) {
        seen = { row: row.row, first: this.ownValues(row), partCodes: NONE, partRows: NONE };
        this.repairs.set(repairId, seen);
        repair = this.repairEntity(row, repairId);
      }
    }
    const partLine = this.checkPartLine(row, repairId, seen);
    if (row.issueCount > 0) return [];
    if (repair === undefined) return partLine === undefined ? [] : [partLine];
    if (repair.kind === 'repair' && !repair.record.customer_confirmed) this.unconfirmed.push(this.unconfirmedWarning(row, repair.record.repair_id));
    return partLine === undefined ? [repair] : [repair, partLine];
  }

  /** The first row of a repair carries all of its own fields. */
  private checkRepair(row: RowReader, requireOwn: boolean): void {
    const { completed_date, product_model } = this.f;
    for (const field of this.own) row.read(field, requireOwn && field.required);
    this.inPeriod(row, completed_date);
    this.notInFuture(row, this.dated);
    this.inOrder(row);
    this.knownProduct(row, product_model);
  }

  /** Call, arrival, completion and purchase must follow each other in time. */
  private inOrder(row: RowReader): void {
    const { called_at, arrived_at, completed_date, purchase_date } = this.f;
    const called = row.text(called_at);
    const arrived = row.text(arrived_at);
    const completed = row.text(completed_date);
    const purchased = row.text(purchase_date);
    // Local date-times are fixed-width 'YYYY-MM-DDTHH:mm:ss' too.
    if (called !== undefined && arrived !== undefined && arrived < called) {
      row.flag(arrived_at, 'arrival_before_call', { field: arrived_at, value: arrived, calledAt: called });
    }
    if (completed !== undefined && called !== undefined && completed < dateOf(called)) {
      row.flag(completed_date, 'completed_before_call', { field: completed_date, value: completed, calledAt: called });
    }
    if (completed !== undefined && arrived !== undefined && completed < dateOf(arrived)) {
      row.flag(completed_date, 'completed_before_arrival', { field: completed_date, value: completed, arrivedAt: arrived });
    }
    if (purchased !== undefined && completed !== undefined && purchased > completed) {
      row.flag(purchase_date, 'purchase_after_completion', { field: purchase_date, value: purchased, completedDate: completed });
    }
  }

  /** Kept to the end of the report, so made at its exact length. */
  private ownValues(row: RowReader): (FieldValue | undefined)[] {
    const { own } = this;
    const values = new Array<FieldValue | undefined>(own.length);
    for (let i = 0; i < own.length; i++) values[i] = row.value(own[i] as FieldSpec);
    return values;
  }

  /**
   * A further row of a known repair repeats its own fields or leaves them blank; a value that
   * differs from the first row is a conflict, since either could be the true one.
   */
  private checkRepeat(row: RowReader, repairId: string, seen: RepairSeen): void {
    const { own } = this;
    for (let i = 0; i < own.length; i++) {
      const field = own[i] as FieldSpec;
      row.read(field, false);
      const value = row.value(field);
      const first = seen.first[i];
      if (value !== undefined && first !== undefined && value !== first && String(value) !== String(first)) {
        row.flag(field, 'repair_conflict', { field, value: String(value), repairId, firstRow: seen.row, firstValue: String(first) });
      }
    }
  }

  /** The part named on this row, if any: a known part with a positive quantity, once per repair. */
  private checkPartLine(row: RowReader, repairId: string | undefined, seen: RepairSeen | undefined): ReportEntity | undefined {
    const { part_code, part_qty } = this.f;
    row.read(part_code, false);
    row.read(part_qty, false);
    const code = row.text(part_code);
    const qty = row.integer(part_qty);
    if (!isEmptyCell(row.cell(part_code))) this.partLines += 1;
    this.partAndQtyTogether(row, code, qty);
    if (code !== undefined && !this.ctx.master.hasPart(code)) row.flag(part_code, 'unknown_part', { field: part_code, value: code });
    if (qty !== undefined && qty <= 0) row.flag(part_qty, 'not_positive', { field: part_qty, value: String(qty) });
    if (code === undefined || repairId === undefined || seen === undefined) return undefined;
    this.uniquePart(row, repairId, code, seen);
    return qty === undefined ? undefined : { kind: 'part_line', row: row.row, record: { repair_id: repairId, part_code: code, part_qty: qty } };
  }

  private partAndQtyTogether(row: RowReader, code: string | undefined, qty: number | undefined): void {
    const { part_code, part_qty } = this.f;
    const codeBlank = isEmptyCell(row.cell(part_code));
    const qtyBlank = isEmptyCell(row.cell(part_qty));
    if (code !== undefined && qtyBlank) row.flag(part_qty, 'part_without_qty', { field: part_qty, partCode: code });
    if (qty !== undefined && codeBlank) row.flag(part_code, 'part_qty_without_part', { field: part_code, qty: String(qty) });
  }

  private uniquePart(row: RowReader, repairId: string, code: string, seen: RepairSeen): void {
    const i = seen.partCodes.indexOf(code);
    if (i < 0) {
      seen.partCodes = appended(seen.partCodes, code);
      seen.partRows = appended(seen.partRows, row.row);
    } else {
      row.flag(this.f.part_code, 'duplicate_part_line', { field: this.f.part_code, value: code, repairId, firstRow: seen.partRows[i] ?? row.row });
    }
  }

  private unconfirmedWarning(row: RowReader, repairId: string): Issue {
    const field = this.f.customer_confirmed;
    const value = issueValue(row.cell(field)) ?? '';
    return makeIssue('unconfirmed_repair', { row: row.row, column: field.name, value }, { field, value, repairId });
  }

  private repairEntity(row: RowReader, repairId: string): ReportEntity | undefined {
    if (row.issueCount > 0) return undefined;
    const f = this.f;
    const record: Repair = {
      repair_id: repairId,
      called_at: required(row, f.called_at),
      arrived_at: required(row, f.arrived_at),
      completed_date: required(row, f.completed_date),
      owner_name: required(row, f.owner_name),
      phone: required(row, f.phone),
      address: required(row, f.address),
      product_model: required(row, f.product_model),
      serial_no: required(row, f.serial_no),
      purchase_date: required(row, f.purchase_date),
      fault_description: required(row, f.fault_description),
      fault_cause: required(row, f.fault_cause),
      action_taken: required(row, f.action_taken),
      charge_cause: choice(row, f.charge_cause, CHARGE_CAUSE_CODES),
      service_type: choice(row, f.service_type, SERVICE_TYPE_CODES),
      customer_confirmed: choice(row, f.customer_confirmed, YES_NO_CODES) === 'yes',
      satisfaction: choice(row, f.satisfaction, SATISFACTION_CODES),
    };
    return { kind: 'repair', row: row.row, record };
  }
}

const YES_NO_CODES = ['yes', 'no'] as const;

/** A text the rules have already required and checked. */
const required = (row: RowReader, field: FieldSpec): string => must(row.text(field), field);

/** A choice the rules have already read and checked. */
function choice<T extends string>(row: RowReader, field: FieldSpec, codes: readonly T[]): T {
  const value = row.text(field);
  return must(isOneOf(codes, value) ? value : undefined, field);
}
