/**
 * Warranty rules from domain.md ("Product phases and warranty"): which phase a repair falls
 * in, and what the customer pays for it.
 */
import { addMonths, compareDates, type IsoDate } from './dates.js';

export type RepairPhase = 'unboxing' | 'in_warranty' | 'out_of_warranty';

export const CHARGE_CAUSE_CODES = ['none', 'misuse', 'self_handling', 'unauthorized_repair', 'unstable_power', 'force_majeure'] as const;
export type ChargeCause = (typeof CHARGE_CAUSE_CODES)[number];

export const SERVICE_TYPE_CODES = ['repair', 'return_visit'] as const;
export type ServiceType = (typeof SERVICE_TYPE_CODES)[number];

/** Causes that make an in-warranty repair's materials chargeable: the damage is not the product's fault. */
export const CHARGEABLE_CAUSES: ReadonlySet<ChargeCause> = new Set<ChargeCause>([
  'misuse',
  'self_handling',
  'unauthorized_repair',
  'unstable_power',
  'force_majeure',
]);

/** What the installation archive knows about a product's commissioning. */
export interface Commissioning {
  readonly install_date: IsoDate;
  readonly result: 'passed' | 'failed';
}

/**
 * Last day of the warranty: it counts from the customer's purchase date, in calendar months
 * clamped to a shorter month's end (bought 2025-08-31 with 6 months → 2026-02-28).
 */
export const warrantyEnd = (purchaseDate: IsoDate, warrantyMonths: number): IsoDate =>
  addMonths(purchaseDate, warrantyMonths);

export interface PhaseInput {
  readonly purchase_date: IsoDate;
  readonly completed_date: IsoDate;
  readonly warranty_months: number;
  /** From the installation archive; absent when the product was never reported installed. */
  readonly commissioning?: Commissioning | undefined;
}

/**
 * The phase a repair belongs to. A product is still in its unboxing phase until a successful
 * commissioning, so a repair before it (or after a failed one) is an unboxing problem. With
 * no archived installation the phase cannot be unboxing: such products were installed before
 * the system started or by another dealer.
 */
export function repairPhase({ purchase_date, completed_date, warranty_months, commissioning }: PhaseInput): RepairPhase {
  if (commissioning !== undefined && !commissionedBefore(commissioning, completed_date)) return 'unboxing';
  return compareDates(completed_date, warrantyEnd(purchase_date, warranty_months)) <= 0 ? 'in_warranty' : 'out_of_warranty';
}

const commissionedBefore = ({ result, install_date }: Commissioning, serviceDate: IsoDate): boolean =>
  result === 'passed' && compareDates(install_date, serviceDate) <= 0;

/** Who pays: the materials (parts) and the service call. */
export interface Charging {
  readonly materials_charged: boolean;
  readonly service_fee: boolean;
}

export interface ChargingInput {
  readonly phase: RepairPhase;
  readonly charge_cause: ChargeCause;
  readonly service_type: ServiceType;
}

/**
 * Whether the customer pays. Unboxing problems are the maker's; out of warranty everything is
 * charged; in warranty only the damage causes of CHARGEABLE_CAUSES are. A return visit is the
 * dealer's own follow-up: its materials follow the warranty alone and it never bears a fee.
 */
export function chargingOf({ phase, charge_cause, service_type }: ChargingInput): Charging {
  if (service_type === 'return_visit') return { materials_charged: phase === 'out_of_warranty', service_fee: false };
  const chargeable =
    phase === 'out_of_warranty' || (phase === 'in_warranty' && CHARGEABLE_CAUSES.has(charge_cause));
  return { materials_charged: chargeable, service_fee: chargeable };
}

export interface RepairClassification extends Charging {
  readonly phase: RepairPhase;
  readonly warranty_end: IsoDate;
}

/** Phase, warranty end and charging of one repair, flat so that it can be stored beside the repair. */
export function classifyRepair(input: PhaseInput & Omit<ChargingInput, 'phase'>): RepairClassification {
  const phase = repairPhase(input);
  return {
    phase,
    warranty_end: warrantyEnd(input.purchase_date, input.warranty_months),
    ...chargingOf({ phase, charge_cause: input.charge_cause, service_type: input.service_type }),
  };
}
