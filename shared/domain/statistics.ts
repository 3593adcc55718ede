/**
 * The month's statistics of domain.md, "Monthly statistics": outbound parts, after-sales
 * revenue, returns against what was lent, installations, repairs, unboxing problems and the
 * service levels checked against their targets.
 *
 * The accumulator is streaming: records are added one at a time as they are read from the
 * store and only counters per key are kept, so a month of a thousand dealers never sits in
 * memory. Every count is a sum of increments, so the result does not depend on the order of
 * the adds. Shares are kept as exact fractions and compared with targets in integers; they
 * become percentages only when a workbook writes them.
 *
 * Decisions the domain leaves open, taken here:
 * - **Satisfied** means 满意 or 基本满意 (satisfied or fairly satisfied): the usual 满意率 of
 *   Chinese after-sales reporting, where only 不满意 is a dissatisfied customer. The three
 *   answers are counted apart as well, so the strict share of 满意 can be read too.
 * - **The service figures** — reached within 24 h, fixed within 24 h / 48 h, satisfaction,
 *   customer confirmation and the complaint rate — are shared/domain/kpi.ts's, the very
 *   definitions the scorecard uses, over repair calls only (service type 维修); return visits
 *   (回访) are follow-ups, counted apart (`return_visits`) and in none of them.
 * - **Revenue once** (售后服务销售收入的统计表为收费材料的清单): the receivables journal's charge
 *   lines of the month's forms (possession, sale, supplement) less its credit notes, forms
 *   voided left out. A `charged` shipment is the delivery of a sale already on a form, never a
 *   second sale; one that no form names (keyed in outside the request flow) is listed for
 *   finance to form or explain, and is not revenue until it is on a form.
 * - **Period**: ledger lines are continuous, so shipments and returns count only when dated in
 *   the period. Report records are taken as given: a report for a month holds that month's
 *   records only, and the report validator already rejected any other.
 * - **Complaint rate:** the complaints received in the month that the department decided are
 *   the service's fault, over the month's repair calls, against < 3 %.
 * - **Outbound** is counted per dealer, kind and part.
 */
import { periodOf, type IsoDate, type Period } from './dates.js';
import type { InvoiceKind } from './invoice.js';
import { revenueEntries, type JournalEntry } from './journal.js';
import type { ReturnLine, ShipmentKind, ShipmentLine } from './ledger-validation.js';
import { sum, ZERO_FEN, type Fen } from './money.js';
import { isLot } from './reconciliation.js';
import { fixedWithin, isRepairCall, isServiceFault, KPI_TARGETS, meetsTarget, reachedWithin24h, secondsBetween, type Target } from './kpi.js';
import type { Installation, Repair, RepairPartLine } from './report-validation.js';
import type { LocalDateTime } from './values.js';
import type { RepairClassification } from './warranty.js';

/** An exact share, numerator over denominator; a denominator of 0 means there was nothing to count. */
export interface Share {
  readonly numerator: number;
  readonly denominator: number;
}

/** A share checked against its target: `met` is null when nothing was counted. */
export interface TargetCheck {
  readonly share: Share;
  readonly target: Share;
  readonly met: boolean | null;
}

/** A repair as the repair report holds it, with the phase and charging its classification added. */
export type ClassifiedRepair = Repair & Pick<RepairClassification, 'phase' | 'materials_charged'>;

/** Parts shipped in the month (出库), per dealer, kind and part. */
export interface OutboundRow {
  readonly dealer_code: string;
  readonly kind: ShipmentKind;
  readonly part_code: string;
  readonly qty: number;
}

/** Where a revenue line comes from: the kind of form it is on. */
export type RevenueSource = InvoiceKind;

/** After-sales revenue (售后服务销售收入) per dealer, part and source. */
export interface RevenueRow {
  readonly dealer_code: string;
  readonly part_code: string;
  readonly source: RevenueSource;
  readonly qty: number;
  readonly amount: Fen;
}

/** A charged shipment line no form names (keyed in outside the request flow): not revenue until finance forms it, or explains it. */
export interface UnformedRow {
  readonly dealer_code: string;
  readonly part_code: string;
  readonly shipment_id: string;
  readonly line: number;
  readonly shipped_date: IsoDate;
  readonly qty: number;
}

/**
 * The line as an unformed charge when it is one: a charged shipment keyed in outside the
 * request flow. One shipped through a request is the delivery of its paid sale form, never a
 * second sale; one corrected to nothing leaves nothing to form. The statistics and the
 * reconciliation workbook both list these.
 */
export function unformedCharge(line: ShipmentLine): UnformedRow | null {
  if (line.kind !== 'charged' || line.request_id !== undefined || line.qty === 0) return null;
  return { dealer_code: line.dealer_code, part_code: line.part_code, shipment_id: line.shipment_id, line: line.line, shipped_date: line.shipped_date, qty: line.qty };
}

/** Returns (退料) per dealer and part: units received in the month against units lent in it. */
export interface ReturnsRow {
  readonly dealer_code: string;
  readonly part_code: string;
  readonly lent: number;
  readonly returned: number;
}

export interface InstallationRow {
  readonly dealer_code: string;
  readonly product_model: string;
  readonly installations: number;
  readonly commissioning_failed: number;
}

/** Counts per phase of the repairs of a dealer or a product. */
interface PhaseCounts {
  readonly unboxing: number;
  readonly in_warranty: number;
  readonly out_of_warranty: number;
}

/** One dealer's service: its records, its response times and what its customers said. */
export interface DealerServiceRow extends PhaseCounts {
  readonly dealer_code: string;
  /** Every service record: repairs and return visits. */
  readonly records: number;
  /** Records of service type repair: every service figure's denominator. */
  readonly repair_calls: number;
  /** Return visits (回访): follow-ups, counted apart. */
  readonly return_visits: number;
  readonly reached_24h: number;
  readonly fixed_24h: number;
  readonly fixed_48h: number;
  readonly materials_charged: number;
  /** The answers of repair calls. */
  readonly satisfied: number;
  readonly fairly_satisfied: number;
  readonly dissatisfied: number;
  /** Repair calls the customer confirmed. */
  readonly customer_confirmed: number;
  /** Complaints of the month decided to be the service's fault. */
  readonly service_fault_complaints: number;
}

export interface ProductRepairRow extends PhaseCounts {
  readonly product_model: string;
  readonly records: number;
}

export interface FaultCauseRow {
  readonly fault_cause: string;
  readonly records: number;
}

/** Parts used on repairs per the repair reports: rows naming the part, and units. */
export interface PartUseRow {
  readonly part_code: string;
  readonly lines: number;
  readonly qty: number;
}

/**
 * The department's unboxing cases (shared/domain/unboxing.ts) of the month per dealer, by
 * status: each installation with an unboxing issue is one case; `overdue` are the open ones
 * past the due date of their written plan on the day the statistics were made.
 */
export interface UnboxingCaseRow {
  readonly dealer_code: string;
  readonly cases: number;
  readonly open: number;
  readonly planned: number;
  readonly closed: number;
  readonly overdue: number;
}

/** Unboxing problems (开箱期) per dealer and product, listed for immediate attention. */
export interface UnboxingRow {
  readonly dealer_code: string;
  readonly product_model: string;
  /** Installations with an unboxing issue, a failed commissioning or both: each counts once here. */
  readonly installations: number;
  /** Of those, installations reporting an unboxing issue. */
  readonly installation_issues: number;
  /** Of those, installations whose commissioning failed. */
  readonly commissioning_failed: number;
  /** Repairs in the unboxing phase. */
  readonly repairs: number;
}

/** The month's service levels over all dealers, with the targets of domain.md checked. */
export interface ServiceLevels {
  readonly records: number;
  readonly repair_calls: number;
  readonly return_visits: number;
  readonly reached_24h: TargetCheck;
  /** The contract's aim, reported with no target of its own. */
  readonly fixed_24h: Share;
  /** 48 hours is the outer limit: every repair within it. */
  readonly fixed_48h: TargetCheck;
  readonly satisfied: number;
  readonly fairly_satisfied: number;
  readonly dissatisfied: number;
  /** (满意 + 基本满意) / repair calls, against the 85 % target. */
  readonly satisfaction: TargetCheck;
  readonly customer_confirmed: Share;
  /** Service-fault complaints / repair calls, against < 3 %. */
  readonly complaint_rate: TargetCheck;
}

/** Everything the month's statistics workbook shows; every list in key order (code-unit), fault causes most frequent first. */
export interface MonthStatistics {
  readonly period: Period;
  readonly outbound: { readonly rows: readonly OutboundRow[]; readonly total_qty: number };
  readonly revenue: { readonly rows: readonly RevenueRow[]; readonly unformed: readonly UnformedRow[]; readonly total: Fen };
  readonly returns: { readonly rows: readonly ReturnsRow[]; readonly total_lent: number; readonly total_returned: number };
  readonly installations: { readonly rows: readonly InstallationRow[]; readonly total: number };
  readonly repairs: {
    readonly by_dealer: readonly DealerServiceRow[];
    readonly by_product: readonly ProductRepairRow[];
    readonly by_fault_cause: readonly FaultCauseRow[];
    readonly by_part: readonly PartUseRow[];
    readonly total: number;
  };
  /** `total`: installations with a problem plus unboxing repairs. */
  readonly unboxing: {
    readonly rows: readonly UnboxingRow[];
    readonly total: number;
    readonly cases: { readonly rows: readonly UnboxingCaseRow[]; readonly not_closed: number; readonly overdue: number };
  };
  readonly service: ServiceLevels;
}

/** The month's accumulator: add records in any order, then read the `result`. */
export interface StatisticsAccumulator {
  addInstallation(dealer_code: string, installation: Installation): void;
  addRepair(dealer_code: string, repair: ClassifiedRepair): void;
  /** A part used on a repair; parts are counted across dealers (the dealer's repairs are counted by `addRepair`). */
  addPartLine(dealer_code: string, line: RepairPartLine): void;
  /** Any shipment line; only the ones shipped in the period count. */
  addShipment(line: ShipmentLine): void;
  /** Any return line; only the ones received in the period count. */
  addReturn(line: ReturnLine): void;
  /** A dealer's receivables journal: its revenue entries of the period count. */
  addJournal(entries: Iterable<JournalEntry>): void;
  /** A complaint; only one received in the period and decided to be the service's fault counts. */
  addComplaint(complaint: { readonly dealer_code: string; readonly received_at: LocalDateTime; readonly service_fault: boolean | null }): void;
  /** An unboxing case of the month as it stands; `overdue`: open past its plan's due date. */
  addUnboxingCase(unboxingCase: { readonly dealer: string; readonly status: 'open' | 'planned' | 'closed' }, overdue: boolean): void;
  /** The statistics of everything added so far; adding more afterwards is allowed. */
  result(): MonthStatistics;
}

/** The fields of a row that are counted (numbers, amounts in fen included). */
type CountFields<R> = { [F in keyof R]-?: R[F] extends number ? F : never }[keyof R];
/** The fields of a row that make its key: everything that is not counted. */
type KeyFields<R> = Exclude<keyof R, CountFields<R>>;

/** Code-unit order: the same on every machine whatever its locale. */
const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Rows of counters per key: the only thing the accumulator keeps. Keys are joined with
 * U+0000, which sorts below every character a code can hold, so sorting the joined keys
 * sorts rows by their first key field, then the next.
 */
class Tally<R extends object> {
  private readonly entries = new Map<string, { readonly key: Pick<R, KeyFields<R>>; readonly counts: Record<string, number> }>();

  constructor(
    private readonly keyFields: readonly KeyFields<R>[],
    /** Every counted field at zero: a row not yet counted in some field still shows it. */
    private readonly zero: Pick<R, CountFields<R>>,
  ) {}

  add(key: Pick<R, KeyFields<R>>, increments: Partial<Pick<R, CountFields<R>>>): void {
    const id = this.keyFields.map((field) => String(key[field])).join('\u0000');
    let entry = this.entries.get(id);
    if (entry === undefined) {
      entry = { key, counts: { ...this.zero } as Record<string, number> };
      this.entries.set(id, entry);
    }
    for (const [field, increment] of Object.entries(increments) as [string, number | undefined][]) {
      const next = (entry.counts[field] ?? 0) + (increment ?? 0);
      if (!Number.isSafeInteger(next)) throw new RangeError(`A ${field} count left the safe integer range: ${next}`);
      entry.counts[field] = next;
    }
  }

  /** The rows in key order. */
  rows(): R[] {
    return [...this.entries]
      .sort(([a], [b]) => byCode(a, b))
      .map(([, { key, counts }]) => ({ ...key, ...counts }) as R);
  }
}

const oneIf = (condition: boolean): number => (condition ? 1 : 0);

/** One count in the field named by a value (a phase, a satisfaction answer), typed as the fields it may name. */
const countIn = <F extends string>(field: F): Partial<Record<F, number>> => ({ [field]: 1 }) as Partial<Record<F, number>>;

/** Seconds from `from` to `to`, both 'YYYY-MM-DDTHH:mm:ss' on the business zone's wall clock. */
export const elapsedSeconds = secondsBetween;

const sumOf = <R>(rows: readonly R[], pick: (row: R) => number): number => rows.reduce((n, row) => n + pick(row), 0);

const share = (numerator: number, denominator: number): Share => ({ numerator, denominator });

const targetShare = (target: Target): Share => ({ numerator: target.percent, denominator: 100 });

/** A share against one of kpi.ts's targets; a complaint rate over no repairs fails when there is a complaint, as on the scorecard. */
function checkKpi(share: Share, target: Target): TargetCheck {
  const met = share.denominator === 0 && target.rule === 'below' && share.numerator > 0 ? false : meetsTarget(target, share);
  return { share, target: targetShare(target), met };
}

/** The month's service levels: the sum of the dealers' rows, checked against the targets. */
function serviceLevels(rows: readonly DealerServiceRow[]): ServiceLevels {
  const total = (pick: (row: DealerServiceRow) => number): number => sumOf(rows, pick);
  const records = total((r) => r.records);
  const repair_calls = total((r) => r.repair_calls);
  const satisfied = total((r) => r.satisfied);
  const fairly_satisfied = total((r) => r.fairly_satisfied);
  return {
    records,
    repair_calls,
    return_visits: total((r) => r.return_visits),
    reached_24h: checkKpi(share(total((r) => r.reached_24h), repair_calls), KPI_TARGETS.reached_24h),
    fixed_24h: share(total((r) => r.fixed_24h), repair_calls),
    fixed_48h: checkKpi(share(total((r) => r.fixed_48h), repair_calls), KPI_TARGETS.fixed_48h),
    satisfied,
    fairly_satisfied,
    dissatisfied: total((r) => r.dissatisfied),
    satisfaction: checkKpi(share(satisfied + fairly_satisfied, repair_calls), KPI_TARGETS.satisfaction),
    customer_confirmed: share(total((r) => r.customer_confirmed), repair_calls),
    complaint_rate: checkKpi(share(total((r) => r.service_fault_complaints), repair_calls), KPI_TARGETS.complaint_rate),
  };
}

const PHASE_ZERO: PhaseCounts = { unboxing: 0, in_warranty: 0, out_of_warranty: 0 };

const SERVICE_ZERO: Omit<DealerServiceRow, 'dealer_code'> = {
  ...PHASE_ZERO,
  records: 0, repair_calls: 0, return_visits: 0, reached_24h: 0, fixed_24h: 0, fixed_48h: 0, materials_charged: 0,
  satisfied: 0, fairly_satisfied: 0, dissatisfied: 0, customer_confirmed: 0, service_fault_complaints: 0,
};


/**
 * A streaming accumulator of one month's statistics (decisions in the module comment).
 * Throws a RangeError when a count or an amount leaves the safe integer range.
 */
export function createStatistics(period: Period): StatisticsAccumulator {
  const inPeriod = (date: IsoDate): boolean => periodOf(date) === period;
  const outbound = new Tally<OutboundRow>(['dealer_code', 'kind', 'part_code'], { qty: 0 });
  const revenue = new Tally<RevenueRow>(['dealer_code', 'part_code', 'source'], { qty: 0, amount: ZERO_FEN });
  const unformed: UnformedRow[] = [];
  const returns = new Tally<ReturnsRow>(['dealer_code', 'part_code'], { lent: 0, returned: 0 });
  const installations = new Tally<InstallationRow>(['dealer_code', 'product_model'], { installations: 0, commissioning_failed: 0 });
  const unboxing = new Tally<UnboxingRow>(['dealer_code', 'product_model'], { installations: 0, installation_issues: 0, commissioning_failed: 0, repairs: 0 });
  const service = new Tally<DealerServiceRow>(['dealer_code'], SERVICE_ZERO);
  const cases = new Tally<UnboxingCaseRow>(['dealer_code'], { cases: 0, open: 0, planned: 0, closed: 0, overdue: 0 });
  const products = new Tally<ProductRepairRow>(['product_model'], { records: 0, ...PHASE_ZERO });
  const causes = new Tally<FaultCauseRow>(['fault_cause'], { records: 0 });
  const parts = new Tally<PartUseRow>(['part_code'], { lines: 0, qty: 0 });


  return {
    addInstallation(dealer_code, installation) {
      const key = { dealer_code, product_model: installation.product_model };
      const failed = installation.commissioning === 'failed';
      const issue = installation.unboxing_issue !== null;
      installations.add(key, { installations: 1, commissioning_failed: oneIf(failed) });
      if (failed || issue) unboxing.add(key, { installations: 1, installation_issues: oneIf(issue), commissioning_failed: oneIf(failed) });
    },

    addRepair(dealer_code, repair) {
      const call = isRepairCall(repair);
      const phase = countIn(repair.phase);
      service.add({ dealer_code }, {
        ...phase,
        ...(call ? countIn(repair.satisfaction) : {}),
        records: 1,
        repair_calls: oneIf(call),
        return_visits: oneIf(!call),
        reached_24h: oneIf(call && reachedWithin24h(repair)),
        fixed_24h: oneIf(call && fixedWithin(repair, 24)),
        fixed_48h: oneIf(call && fixedWithin(repair, 48)),
        materials_charged: oneIf(repair.materials_charged),
        customer_confirmed: oneIf(call && repair.customer_confirmed),
      });
      products.add({ product_model: repair.product_model }, { ...phase, records: 1 });
      causes.add({ fault_cause: repair.fault_cause }, { records: 1 });
      if (repair.phase === 'unboxing') unboxing.add({ dealer_code, product_model: repair.product_model }, { repairs: 1 });
    },

    addPartLine(_dealer_code, line) {
      parts.add({ part_code: line.part_code }, { lines: 1, qty: line.part_qty });
    },

    addShipment(line) {
      if (!inPeriod(line.shipped_date)) return;
      outbound.add({ dealer_code: line.dealer_code, kind: line.kind, part_code: line.part_code }, { qty: line.qty });
      if (isLot(line)) returns.add({ dealer_code: line.dealer_code, part_code: line.part_code }, { lent: line.qty });
      const charge = unformedCharge(line);
      if (charge !== null) unformed.push(charge);
    },

    addComplaint(complaint) {
      if (inPeriod(complaint.received_at.slice(0, 10)) && isServiceFault(complaint)) service.add({ dealer_code: complaint.dealer_code }, { service_fault_complaints: 1 });
    },

    addUnboxingCase(unboxingCase, overdue) {
      cases.add({ dealer_code: unboxingCase.dealer }, { cases: 1, [unboxingCase.status]: 1, overdue: oneIf(overdue && unboxingCase.status === 'open') });
    },

    addReturn(line) {
      if (inPeriod(line.received_date)) returns.add({ dealer_code: line.dealer_code, part_code: line.part_code }, { returned: line.qty });
    },

    addJournal(entries) {
      for (const e of revenueEntries(entries, period)) revenue.add({ dealer_code: e.dealer, part_code: e.part_code!, source: e.form_kind }, { qty: e.qty ?? 0, amount: e.amount });
    },

    result() {
      const revenueRows = revenue.rows();
      const outboundRows = outbound.rows();
      const returnRows = returns.rows();
      const installationRows = installations.rows();
      const unboxingRows = unboxing.rows();
      const serviceRows = service.rows();
      const caseRows = cases.rows();
      return {
        period,
        outbound: { rows: outboundRows, total_qty: sumOf(outboundRows, (r) => r.qty) },
        revenue: { rows: revenueRows, unformed: [...unformed].sort((a, b) => (a.dealer_code + a.shipment_id).localeCompare(b.dealer_code + b.shipment_id) || a.line - b.line), total: sum(revenueRows.map((r) => r.amount)) },
        returns: { rows: returnRows, total_lent: sumOf(returnRows, (r) => r.lent), total_returned: sumOf(returnRows, (r) => r.returned) },
        installations: { rows: installationRows, total: sumOf(installationRows, (r) => r.installations) },
        repairs: {
          by_dealer: serviceRows,
          by_product: products.rows(),
          by_fault_cause: causes.rows().sort((a, b) => b.records - a.records || byCode(a.fault_cause, b.fault_cause)),
          by_part: parts.rows(),
          total: sumOf(serviceRows, (r) => r.records),
        },
        unboxing: {
          rows: unboxingRows,
          total: sumOf(unboxingRows, (r) => r.installations + r.repairs),
          cases: { rows: caseRows, not_closed: sumOf(caseRows, (r) => r.open + r.planned), overdue: sumOf(caseRows, (r) => r.overdue) },
        },
        service: serviceLevels(serviceRows),
      };
    },
  };
}
