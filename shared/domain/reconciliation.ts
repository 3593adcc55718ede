/**
 * The borrowed-versus-returned reconciliation (用户借料盘点表) of domain.md, "Parts: shipped,
 * borrowed, returned, charged": pure and deterministic.
 *
 * ## Why the whole ledger is recomputed on every run
 *
 * A run at an as-of date takes every shipment and return line of a dealer up to that date and
 * the charges that earlier runs recorded (lot id → units charged), and derives everything
 * else afresh. Nothing but the charges is carried from run to run, so a run cannot drift from
 * the ledger, a late upload is simply part of the next run, and running twice with the
 * charges fed back charges nothing twice.
 *
 * ## Why the matching is a FIFO "pour" and not a day-by-day replay
 *
 * Read literally, the rules are a replay in time: a lot opens on its shipping date, a return
 * settles the oldest open lot of its part or becomes surplus, surplus settles the next lot as
 * it opens, and a run closes overdue lots by charging them. In that replay the settled or
 * charged units always form a prefix of the part's lots in FIFO order (shipped date, then
 * shipment id and line): a return goes to the oldest open lot; surplus exists only while
 * every lot is closed, so it goes to the only open one; and the overdue lots a run charges
 * are the oldest ones, because one window applies to all of a dealer's lots. The replay's
 * outcome is therefore the same as pouring all units returned up to the as-of date into the
 * lots in FIFO order, each lot taking at most its quantity minus what earlier runs charged
 * on it; what no lot can take is surplus. That is what `reconcileDealer` computes: it does
 * not depend on the order of the input lines, nor on the order of returns among themselves.
 *
 * A lot that an earlier run charged keeps its charge and is never charged again; the units
 * it can take back are the ones that were returned before it was charged, so a unit returned
 * after the charge falls through to the next lot or to surplus. Runs must come in increasing
 * as-of order: a charge recorded by a later run is a fact an earlier as-of date cannot know.
 *
 * ## Credits (rule 8) and waivers (rule 10): the rule of the charged lot
 *
 * When the run is told each lot's charge as invoiced (`charge_records`: the form, the as-of
 * date of the run that charged it and the price), a charged lot takes back, from the returns
 * received on or before that as-of date, as many units as it could have taken then: returns
 * count by their received date, not by the day they were recorded. What it takes beyond what
 * it was left uncharged, and what a correction took off its quantity, was charged wrongly
 * and is credited (`new_credits`) at the price charged, on a credit note naming that form;
 * a credit never exceeds the lot's net charge, and the next run, fed the credit back as part
 * of the lot's record, finds nothing more to credit. A shipment line corrected to 0 comes as a
 * lot of quantity 0, so its whole charge is credited. Units `waived` (a voided
 * draft) close their lot like a charge but cost nothing, take no return and are never
 * charged again. Without `charge_records` a charged lot keeps its charge as before and only
 * `previous_charges` is read. A flagged loan charged as a sale (`LotCharge.sold`) is charged
 * whole, whatever came back: it takes no return, so none is ever credited on it.
 */
import { clampedReturnWindow, RETURN_WINDOW_BOUNDS } from './bounds.js';
import { addDays, compareDates, type IsoDate } from './dates.js';
import { dealerWindowOn, priceOn, type Dealer, type PartPrice } from './master.js';
import type { ReturnLine, ShipmentLine } from './ledger-validation.js';
import { multiply, parseYuan, type Fen } from './money.js';
import type { RepairClassification } from './warranty.js';

/** The return window that applies when a dealer has none of its own (domain.md; configuration may change it). */
export const DEFAULT_RETURN_WINDOW_DAYS = 60;

/** The part of a shipment line the reconciliation reads; a recorded `ShipmentLine` is one. */
export type LedgerShipment = Pick<
  ShipmentLine,
  'shipment_id' | 'line' | 'shipped_date' | 'dealer_code' | 'part_code' | 'qty' | 'kind' | 'return_required' | 'return_window_days'
>;

/** The part of a return line the reconciliation reads; a recorded `ReturnLine` is one. */
export type LedgerReturn = Pick<ReturnLine, 'received_date' | 'dealer_code' | 'part_code' | 'qty'>;

/** The cost price of a part in force on a date: the latest whose valid_from is on or before it. */
export interface PriceList {
  costOn(part_code: string, date: IsoDate): Fen | undefined;
}

/** The master data's price list (cost prices as exact decimal strings) as a `PriceList`. */
export function priceListFrom(parts: ReadonlyMap<string, readonly PartPrice[]>): PriceList {
  return {
    costOn(part_code, date) {
      const price = priceOn(parts.get(part_code) ?? [], date);
      return price && parseYuan(price.cost_price);
    },
  };
}

/** Whether a shipment line is lent and must come back: a warranty loan, or a special approval that requires a return. */
export const isLot = (line: Pick<LedgerShipment, 'kind' | 'return_required'>): boolean =>
  line.kind === 'warranty_loan' || (line.kind === 'special_approval' && line.return_required === true);

/** The return deadline of a lot: the shipping date plus the window. The deadline day itself is still in time. */
export const dueDate = (shipped_date: IsoDate, windowDays: number): IsoDate => addDays(shipped_date, windowDays);

/** Whether a lot is overdue on `asOf`: from the day after its deadline. */
export const isOverdue = (due_date: IsoDate, asOf: IsoDate): boolean => compareDates(asOf, due_date) > 0;

/** A lot's id: its shipment line, which the ledger keeps unique. */
export const lotId = (shipment_id: string, line: number): string => `${shipment_id}#${line}`;

/** The dealer's own return window when it has one, else the configured default. */
export const returnWindowOf = (dealer: { readonly return_window_days: number | null }, defaultDays: number): number =>
  clampedReturnWindow(dealer.return_window_days ?? defaultDays).days;

/** The window a lot shipped on `shipped_date` keeps (domain.md, "A lot keeps the terms it shipped with"): the dealer's on that date, else the default. */
export const returnWindowOn = (dealer: Pick<Dealer, 'return_window_days' | 'return_window_history'>, shipped_date: IsoDate, defaultDays: number): number =>
  dealerWindowOn(dealer, shipped_date) ?? defaultDays;

export interface ReconcileDealerInput {
  readonly dealer_code: string;
  /** The window that applies to this dealer (see `returnWindowOf`) for lots recorded without their own. */
  readonly return_window_days: number;
  /** Every shipment line of the dealer, of any kind and date; the ones that are not lots or come after `as_of` are left out. */
  readonly shipments: readonly LedgerShipment[];
  /** Every return line of the dealer; the ones received after `as_of` do not count yet. */
  readonly returns: readonly LedgerReturn[];
  /** Units charged on each lot by earlier runs, net of credits (lot id → units). */
  readonly previous_charges: ReadonlyMap<string, number>;
  /** How each charged lot was invoiced; when given, late returns and corrections are credited (module comment). */
  readonly charge_records?: ReadonlyMap<string, LotCharge>;
  /** Units closed as waived on each lot (lot id → units), from voided drafts. */
  readonly waived?: ReadonlyMap<string, number>;
  readonly as_of: IsoDate;
  readonly prices: PriceList;
}

/** A lot's charge as invoiced: what a credit names and is priced at. */
export interface LotCharge {
  readonly invoice_no: string;
  /** The as-of date of the run that charged it: returns received by then were in time. */
  readonly as_of: IsoDate;
  readonly unit_price: Fen;
  readonly part_code: string;
  readonly shipment_id: string;
  readonly line: number;
  readonly shipped_date: IsoDate;
  readonly due_date: IsoDate;
  /**
   * A flagged loan charged as a sale (rule 10): the part went to a chargeable repair, so the
   * lot takes no return and is never credited for one; only a correction of its quantity is.
   */
  readonly sold?: boolean;
}

/** - `open`: units out, deadline not passed; `returned`: every unit back; `charged`: closed by a charge (this run or earlier);
 *  `overdue`: past the deadline with units out and not charged (only when something prevented the charge, see the errors). */
export type LotStatus = 'open' | 'returned' | 'charged' | 'overdue' | 'waived';

export interface LotState {
  readonly lot_id: string;
  readonly dealer_code: string;
  readonly part_code: string;
  readonly shipment_id: string;
  readonly line: number;
  readonly shipped_date: IsoDate;
  readonly due_date: IsoDate;
  readonly qty: number;
  /** Units settled by returns (or by surplus carried in). */
  readonly returned: number;
  /** Units charged, by earlier runs and this one, net of credits. */
  readonly charged: number;
  /** Units closed as waived (rule 10). */
  readonly waived: number;
  /** Units neither returned, charged nor waived. */
  readonly open: number;
  readonly status: LotStatus;
}

/** A charge for de facto possession (事实占有): the still-open units of an overdue lot, named so the dealer can check it. */
export interface ChargeLine {
  readonly lot_id: string;
  readonly shipment_id: string;
  readonly line: number;
  readonly shipped_date: IsoDate;
  readonly due_date: IsoDate;
  readonly part_code: string;
  readonly qty: number;
  /** Cost price in force on the as-of date. */
  readonly unit_price: Fen;
  readonly amount: Fen;
}

/** A credit (红字) for units of a lot charged wrongly: priced as charged, naming the form that charged them. */
export interface CreditLine {
  readonly lot_id: string;
  readonly shipment_id: string;
  readonly line: number;
  readonly shipped_date: IsoDate;
  readonly due_date: IsoDate;
  readonly part_code: string;
  /** Units credited, positive. */
  readonly qty: number;
  /** The price they were charged at. */
  readonly unit_price: Fen;
  /** The form that charged them. */
  readonly invoice_no: string;
}

export interface OutstandingUnits {
  readonly part_code: string;
  readonly qty: number;
  readonly due_date: IsoDate;
}

export interface SurplusUnits {
  readonly part_code: string;
  readonly qty: number;
}

/** One row of the 用户借料盘点表. borrowed = returned_to_lots + charged + waived + outstanding + overdue; returned = returned_to_lots + surplus. */
export interface PartTotals {
  readonly part_code: string;
  readonly borrowed: number;
  /** Units received back up to the as-of date. */
  readonly returned: number;
  readonly returned_to_lots: number;
  readonly charged: number;
  readonly waived: number;
  readonly outstanding: number;
  /** Past the deadline, still out and not charged: zero unless an error below explains it. */
  readonly overdue: number;
  readonly surplus: number;
}

/**
 * What stopped the reconciliation from closing a lot, reported instead of guessed:
 * - `missing_price`: overdue units of a part with no cost price on the as-of date; they are
 *   charged by the first run after a price exists.
 * - `charged_lot_open`: a lot charged by an earlier run has units neither returned nor
 *   charged; this happens only when the ledger changed before that run's date after it ran
 *   (an older shipment recorded late took its returns). The lot is not charged twice.
 * - `unknown_charged_lot`: an earlier charge names a lot the ledger does not have up to the as-of date.
 */
export type ReconciliationError =
  | { readonly code: 'missing_price'; readonly part_code: string; readonly qty: number; readonly as_of: IsoDate }
  | { readonly code: 'charged_lot_open'; readonly part_code: string; readonly lot_id: string; readonly qty: number }
  | { readonly code: 'unknown_charged_lot'; readonly lot_id: string; readonly qty: number }
  /** A window frozen on the lot before the bounds held (999,999,999 days), read as `days` within 1–3,650. */
  | { readonly code: 'window_clamped'; readonly part_code: string; readonly lot_id: string; readonly qty: number; readonly recorded_days: number; readonly days: number };

/** A lot whose window was clamped, in words, Chinese then English: which lot, the window recorded and the one read. */
export function windowClampedText(error: Extract<ReconciliationError, { code: 'window_clamped' }>): string {
  const range = `${RETURN_WINDOW_BOUNDS.min}–${RETURN_WINDOW_BOUNDS.max.toLocaleString('en')}`;
  const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
  return (
    `批次 ${error.lot_id}（${error.part_code}）记录的归还期限 ${error.recorded_days} 天超出 ${range} 天，按 ${error.days} 天计 / ` +
    `Lot ${error.lot_id} (${error.part_code}) was recorded with a return window of ${days(error.recorded_days)}, outside ${range} days: read as ${days(error.days)}`
  );
}

/** The lots of the dealers' reconciliations whose recorded window was read clamped (the run's output tells them). */
export const clampedWindowsOf = (dealers: readonly Pick<DealerReconciliation, 'dealer_code' | 'errors'>[]) =>
  dealers.flatMap((d) =>
    d.errors.flatMap((e) => (e.code === 'window_clamped' ? [{ dealer: d.dealer_code, ...e }] : [])),
  );

export interface DealerReconciliation {
  readonly dealer_code: string;
  readonly as_of: IsoDate;
  /** Every lot up to the as-of date, by part code and then FIFO order. */
  readonly lots: readonly LotState[];
  /** Charges made by this run only; earlier runs' charges show in `lots` and `totals`. */
  readonly new_charges: readonly ChargeLine[];
  /** Credits this run finds due (rule 8); empty unless `charge_records` was given. */
  readonly new_credits: readonly CreditLine[];
  /** Open units not yet due, by part and deadline. */
  readonly outstanding: readonly OutstandingUnits[];
  /** Units returned that no lot could take, carried forward by being recomputed on the next run. */
  readonly surplus: readonly SurplusUnits[];
  readonly totals: readonly PartTotals[];
  readonly errors: readonly ReconciliationError[];
}

/** Code-unit order: deterministic and independent of the locale the process runs in. */
const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const fifo = (a: LedgerShipment, b: LedgerShipment): number =>
  byCode(a.shipped_date, b.shipped_date) || byCode(a.shipment_id, b.shipment_id) || a.line - b.line;

function requireQuantity(qty: number, what: string, least = 1): void {
  if (!Number.isSafeInteger(qty) || qty < least) throw new RangeError(`${what} must be a whole number of at least ${least}: ${qty}`);
}

function groupByPart<T extends { readonly part_code: string }>(items: Iterable<T>): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(item.part_code);
    if (group) group.push(item);
    else groups.set(item.part_code, [item]);
  }
  return groups;
}

interface PartOutcome {
  readonly lots: LotState[];
  readonly charges: ChargeLine[];
  readonly credits: CreditLine[];
  readonly totals: PartTotals;
  readonly errors: ReconciliationError[];
}

/** Returned units of a part by received date, taken oldest first; a charged lot takes only the ones in time for its charge. */
class ReturnPool {
  private readonly batches: { date: IsoDate; qty: number }[];

  constructor(returns: readonly LedgerReturn[]) {
    this.batches = returns.map((r) => ({ date: r.received_date, qty: r.qty })).sort((a, b) => byCode(a.date, b.date));
  }

  take(wanted: number, receivedBy?: IsoDate): number {
    let taken = 0;
    for (const batch of this.batches) {
      if (taken === wanted || (receivedBy !== undefined && compareDates(batch.date, receivedBy) > 0)) break;
      const n = Math.min(batch.qty, wanted - taken);
      batch.qty -= n;
      taken += n;
    }
    return taken;
  }

  get left(): number {
    return this.batches.reduce((n, b) => n + b.qty, 0);
  }
}

/**
 * One part of the dealer: pours the units returned into its lots in FIFO order (the module
 * comment says why a pour is the replay), credits what a charged lot now takes back in time,
 * then charges the unsettled units of overdue lots.
 */
function reconcilePart(
  part_code: string,
  lines: readonly LedgerShipment[],
  returns: readonly LedgerReturn[],
  input: ReconcileDealerInput,
): PartOutcome {
  const { as_of, previous_charges, return_window_days, prices } = input;
  const pool = new ReturnPool(returns);
  const credits: CreditLine[] = [];
  const clamped: ReconciliationError[] = [];
  const settled = [...lines].sort(fifo).map((line) => {
    const lot_id = lotId(line.shipment_id, line.line);
    const waived = Math.min(input.waived?.get(lot_id) ?? 0, line.qty);
    // A lot keeps the window recorded with it; lines recorded before that take the dealer's current one.
    // A window frozen before the bounds held (999,999,999 days) is read clamped into them, not failed on, and said so.
    const window = clampedReturnWindow(line.return_window_days ?? return_window_days);
    if (window.clamped) clamped.push({ code: 'window_clamped', part_code, lot_id, qty: line.qty, recorded_days: line.return_window_days ?? return_window_days, days: window.days });
    const due_date = dueDate(line.shipped_date, window.days);
    const record = input.charge_records?.get(lot_id);
    let chargedBefore = previous_charges.get(lot_id) ?? 0;
    let returned: number;
    if (record !== undefined && chargedBefore > 0) {
      // Returning the old part does not make a sold part free: its returns go to the next lot or to surplus.
      returned = record.sold === true ? 0 : pool.take(line.qty - waived, record.as_of);
      const wrong = chargedBefore - Math.max(0, line.qty - waived - returned);
      if (wrong > 0) {
        credits.push(creditFor(lot_id, record, wrong));
        chargedBefore -= wrong;
      }
    } else {
      returned = pool.take(line.qty - waived - chargedBefore);
    }
    return { line, lot_id, chargedBefore, waived, returned, due_date, unsettled: line.qty - chargedBefore - waived - returned };
  });

  // Only lots nobody charged or waived yet are charged now: an earlier charge closed its lot for good.
  const overdue = settled.filter((s) => s.chargedBefore === 0 && s.waived === 0 && s.unsettled > 0 && isOverdue(s.due_date, as_of));
  const unitPrice = overdue.length > 0 ? prices.costOn(part_code, as_of) : undefined;
  const charges = unitPrice === undefined ? [] : overdue.map(({ line, lot_id, due_date, unsettled }): ChargeLine => ({
    lot_id, shipment_id: line.shipment_id, line: line.line, shipped_date: line.shipped_date, due_date,
    part_code, qty: unsettled, unit_price: unitPrice, amount: multiply(unitPrice, unsettled),
  }));
  const chargedNow = new Map(charges.map((c) => [c.lot_id, c.qty]));

  const lots = settled.map(({ line, lot_id, chargedBefore, waived, returned, due_date }): LotState => {
    const charged = chargedNow.get(lot_id) ?? chargedBefore;
    const open = line.qty - returned - charged - waived;
    const status: LotStatus =
      charged > 0 ? 'charged' : waived > 0 && open === 0 ? 'waived' : open === 0 ? 'returned' : isOverdue(due_date, as_of) ? 'overdue' : 'open';
    return {
      lot_id, dealer_code: line.dealer_code, part_code, shipment_id: line.shipment_id, line: line.line,
      shipped_date: line.shipped_date, due_date, qty: line.qty, returned, charged, waived, open, status,
    };
  });

  const errors: ReconciliationError[] = [
    ...clamped,
    ...(overdue.length > 0 && unitPrice === undefined
      ? [{ code: 'missing_price', part_code, qty: overdue.reduce((n, s) => n + s.unsettled, 0), as_of } as const]
      : []),
    ...lots
      .filter((lot) => (lot.charged > 0 || lot.waived > 0) && lot.open > 0)
      .map((lot) => ({ code: 'charged_lot_open', part_code, lot_id: lot.lot_id, qty: lot.open }) as const),
  ];

  const total = (pick: (lot: LotState) => number): number => lots.reduce((n, lot) => n + pick(lot), 0);
  const notDue = (lot: LotState): boolean => !isOverdue(lot.due_date, as_of);
  return {
    lots,
    charges,
    credits,
    errors,
    totals: {
      part_code,
      borrowed: total((l) => l.qty),
      returned: returns.reduce((n, r) => n + r.qty, 0),
      returned_to_lots: total((l) => l.returned),
      charged: total((l) => l.charged),
      waived: total((l) => l.waived),
      outstanding: total((l) => (notDue(l) ? l.open : 0)),
      overdue: total((l) => (notDue(l) ? 0 : l.open)),
      surplus: pool.left,
    },
  };
}

const creditFor = (lot_id: string, record: LotCharge, qty: number): CreditLine => ({
  lot_id, shipment_id: record.shipment_id, line: record.line, shipped_date: record.shipped_date, due_date: record.due_date,
  part_code: record.part_code, qty, unit_price: record.unit_price, invoice_no: record.invoice_no,
});

/**
 * Reconciles one dealer's borrowed and returned parts as of a date (rules in domain.md and the
 * module comment): returns settle lots first in, first out per part; every still-open unit of
 * a lot overdue on `as_of` is charged at the cost price in force on `as_of`, unless an earlier
 * run charged the lot; returns no lot can take are surplus. The result does not depend on the
 * order of the input lines. Throws a RangeError for input the ledger never produces: a line
 * of another dealer, a repeated lot, a quantity or window that is not a positive integer, or
 * an earlier charge larger than its lot.
 */
export function reconcileDealer(input: ReconcileDealerInput): DealerReconciliation {
  const { dealer_code, as_of, previous_charges } = input;
  requireQuantity(input.return_window_days, 'The return window');
  for (const line of [...input.shipments, ...input.returns]) {
    if (line.dealer_code !== dealer_code) throw new RangeError(`A line of dealer ${line.dealer_code} given to reconcile ${dealer_code}`);
    // A line corrected to 0 (cancelled) reads as quantity 0.
    requireQuantity(line.qty, 'A ledger quantity', 0);
  }

  // A cancelled lot counts only while a charge on it is still to be credited.
  const lots = input.shipments.filter(
    (s) => isLot(s) && compareDates(s.shipped_date, as_of) <= 0 && (s.qty > 0 || previous_charges.has(lotId(s.shipment_id, s.line))),
  );
  const lotIds = new Set<string>();
  for (const lot of lots) {
    const id = lotId(lot.shipment_id, lot.line);
    if (lotIds.has(id)) throw new RangeError(`Shipment line ${id} appears twice`);
    lotIds.add(id);
    const charged = previous_charges.get(id);
    // With the charge records a charge above a corrected quantity is credited, not refused.
    const tooMany = input.charge_records === undefined && charged !== undefined && charged > lot.qty;
    if (charged !== undefined && (!Number.isSafeInteger(charged) || charged <= 0 || tooMany)) {
      throw new RangeError(`Lot ${id} of ${lot.qty} units cannot have ${charged} charged`);
    }
  }

  const returnsByPart = groupByPart(input.returns.filter((r) => compareDates(r.received_date, as_of) <= 0));
  const lotsByPart = groupByPart(lots);
  const parts = [...new Set([...lotsByPart.keys(), ...returnsByPart.keys()])].sort(byCode);
  const outcomes = parts.map((part) => reconcilePart(part, lotsByPart.get(part) ?? [], returnsByPart.get(part) ?? [], input));

  const unknownCharges: ReconciliationError[] = [...previous_charges]
    .filter(([id]) => !lotIds.has(id))
    .sort(([a], [b]) => byCode(a, b))
    .map(([lot_id, qty]) => ({ code: 'unknown_charged_lot', lot_id, qty }));

  const allLots = outcomes.flatMap((o) => o.lots);
  return {
    dealer_code,
    as_of,
    lots: allLots,
    new_charges: outcomes.flatMap((o) => o.charges),
    new_credits: outcomes.flatMap((o) => o.credits),
    outstanding: outstandingOf(allLots, as_of),
    surplus: outcomes.filter((o) => o.totals.surplus > 0).map((o) => ({ part_code: o.totals.part_code, qty: o.totals.surplus })),
    totals: outcomes.map((o) => o.totals),
    errors: [...outcomes.flatMap((o) => o.errors), ...unknownCharges],
  };
}

/** Open units not yet due, one entry per part and deadline, in part then deadline order. */
function outstandingOf(lots: readonly LotState[], asOf: IsoDate): OutstandingUnits[] {
  const byKey = new Map<string, OutstandingUnits>();
  for (const lot of lots) {
    if (lot.open === 0 || isOverdue(lot.due_date, asOf)) continue;
    const key = `${lot.part_code}\u0000${lot.due_date}`;
    const qty = (byKey.get(key)?.qty ?? 0) + lot.open;
    byKey.set(key, { part_code: lot.part_code, qty, due_date: lot.due_date });
  }
  return [...byKey.values()].sort((a, b) => byCode(a.part_code, b.part_code) || byCode(a.due_date, b.due_date));
}

/** The repair facts the cross-check needs; a `RepairClassification` is one. */
export type RepairCharging = Pick<RepairClassification, 'phase' | 'materials_charged'>;

export interface FlaggedLoan {
  readonly shipment_id: string;
  readonly line: number;
  readonly dealer_code: string;
  readonly part_code: string;
  readonly qty: number;
  readonly repair_id: string;
  /** `out_of_warranty`, or `charge_cause` for an in-warranty repair whose damage cause makes materials chargeable. */
  readonly reason: 'out_of_warranty' | 'charge_cause';
}

/**
 * The cross-check of domain.md: warranty-loan lines whose repair, by the dealer's repair
 * report, has chargeable materials — a free part went to a chargeable repair. Lines without
 * a repair id, or whose repair is not in `repairs` (its report not uploaded yet), say nothing
 * and are not flagged. Flags come in the order of `lines`.
 */
export function flagLoansForChargeableRepairs(
  lines: readonly (LedgerShipment & Pick<ShipmentLine, 'repair_id'>)[],
  repairs: ReadonlyMap<string, RepairCharging>,
): FlaggedLoan[] {
  return lines.flatMap((line): FlaggedLoan[] => {
    const { shipment_id, line: n, dealer_code, part_code, qty, repair_id } = line;
    if (line.kind !== 'warranty_loan' || repair_id === null) return [];
    const repair = repairs.get(repair_id);
    if (!repair?.materials_charged) return [];
    return [{
      shipment_id, line: n, dealer_code, part_code, qty, repair_id,
      reason: repair.phase === 'out_of_warranty' ? 'out_of_warranty' : 'charge_cause',
    }];
  });
}

/**
 * ## Why closed lots leave the stored result
 *
 * A dealer's result item would otherwise hold every lot the dealer ever had and reach
 * DynamoDB's 400 KB item limit after about 1,500 lots. A closed lot (nothing left to return,
 * nothing left to charge: `open` is 0) rarely changes again, so it is kept once, as a version
 * of its own (`ClosedLotVersion`), written only when its closed state changes; the result
 * keeps its open lots and the write sequence number it was saved at, and its full lot list is
 * its open lots plus, per lot, the latest version at or before that number. A lot that
 * reopens or leaves the reconciliation (cancelled) gets a `null` version, so a later result
 * never shows it closed as before.
 */
export interface ClosedLotVersion {
  readonly lot_id: string;
  /** The dealer's result write sequence number this state holds from. */
  readonly seq: number;
  /** The lot's closed state, or null when from `seq` on it is not closed (open again, or gone). */
  readonly lot: LotState | null;
}

/** Closed: nothing left to return and nothing left to charge. */
export const isClosedLot = (lot: LotState): boolean => lot.open === 0;

/** The order of `DealerReconciliation.lots`: part code, then FIFO (shipped date, shipment id, line). */
export const lotOrder = (a: LotState, b: LotState): number =>
  byCode(a.part_code, b.part_code) || byCode(a.shipped_date, b.shipped_date) || byCode(a.shipment_id, b.shipment_id) || a.line - b.line;

const LOT_FIELDS: readonly (keyof LotState)[] = ['lot_id', 'dealer_code', 'part_code', 'shipment_id', 'line', 'shipped_date', 'due_date', 'qty', 'returned', 'charged', 'waived', 'open', 'status'];
const sameLot = (a: LotState | null, b: LotState | null): boolean =>
  a === null || b === null ? a === b : LOT_FIELDS.every((field) => a[field] === b[field]);

/** Each lot's latest version at or before `seq` (all of them when `seq` is omitted). */
export function latestClosedLots(versions: Iterable<ClosedLotVersion>, seq = Number.POSITIVE_INFINITY): Map<string, ClosedLotVersion> {
  const latest = new Map<string, ClosedLotVersion>();
  for (const version of versions) {
    if (version.seq > seq) continue;
    const held = latest.get(version.lot_id);
    if (held === undefined || held.seq < version.seq) latest.set(version.lot_id, version);
  }
  return latest;
}

/**
 * What saving `lots` as result number `seq` writes: the lots to keep in the result (the open
 * ones) and the closed-lot versions whose state differs from the latest one held.
 */
export function splitLots(lots: readonly LotState[], held: ReadonlyMap<string, ClosedLotVersion>, seq: number): { open: LotState[]; versions: ClosedLotVersion[] } {
  const closed = new Map(lots.filter(isClosedLot).map((lot) => [lot.lot_id, lot]));
  const versions: ClosedLotVersion[] = [];
  for (const lot_id of new Set([...closed.keys(), ...held.keys()])) {
    const want = closed.get(lot_id) ?? null;
    if (!sameLot(want, held.get(lot_id)?.lot ?? null)) versions.push({ lot_id, seq, lot: want });
  }
  return { open: lots.filter((lot) => !isClosedLot(lot)), versions };
}

/** A stored result's whole lot list again: its open lots and the closed lots as of its sequence number, in `lots` order. */
export function joinLots(open: readonly LotState[], versions: Iterable<ClosedLotVersion>, seq: number): LotState[] {
  const closed = [...latestClosedLots(versions, seq).values()].flatMap((v) => (v.lot === null ? [] : [v.lot]));
  return [...open, ...closed].sort(lotOrder);
}
