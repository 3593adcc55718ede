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
 * commissioning, so a repair before it (or after a failed one) is an unboxing problem, but
 * never past the warranty's end: a failed commissioning must not keep a unit free for ever.
 * With no archived installation the phase cannot be unboxing: such products were installed
 * before the system started or by another dealer.
 */
export function repairPhase({ purchase_date, completed_date, warranty_months, commissioning }: PhaseInput): RepairPhase {
  const commissioned = commissioning === undefined || commissionedBefore(commissioning, completed_date);
  return phaseByDates(commissioned, completed_date, warrantyEnd(purchase_date, warranty_months));
}

/** Out of warranty once the warranty has ended, whether or not the unit was ever commissioned successfully (domain.md). */
const phaseByDates = (commissioned: boolean, serviceDate: IsoDate, end: IsoDate): RepairPhase =>
  compareDates(serviceDate, end) > 0 ? 'out_of_warranty' : commissioned ? 'in_warranty' : 'unboxing';

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
 * Whether the customer pays. A charging cause charges in every phase (unboxing and in-warranty
 * repairs are free only when the cause is `none`); out of warranty everything is charged. A
 * return visit is the dealer's own follow-up: its materials follow the warranty alone and it
 * never bears a fee.
 */
export function chargingOf({ phase, charge_cause, service_type }: ChargingInput): Charging {
  if (service_type === 'return_visit') return { materials_charged: phase === 'out_of_warranty', service_fee: false };
  const chargeable = phase === 'out_of_warranty' || CHARGEABLE_CAUSES.has(charge_cause);
  return { materials_charged: chargeable, service_fee: chargeable };
}

export interface RepairClassification extends Charging {
  readonly phase: RepairPhase;
  readonly warranty_end: IsoDate;
}

/** Phase, warranty end and charging of one repair from the dates it states, flat so that it can be stored beside the repair. */
export function classifyRepair(input: PhaseInput & Omit<ChargingInput, 'phase'>): RepairClassification {
  const phase = repairPhase(input);
  return {
    phase,
    warranty_end: warrantyEnd(input.purchase_date, input.warranty_months),
    ...chargingOf({ phase, charge_cause: input.charge_cause, service_type: input.service_type }),
  };
}

/** What the end-user archive (the installation reports) knows of a unit. */
export interface ArchivedUnit {
  readonly dealer_code: string;
  readonly install_date: IsoDate;
  readonly purchase_date: IsoDate;
  readonly commissioning: 'passed' | 'failed';
}

/** What a dealer states about a unit on a repair report or a material request. */
export interface StatedRepair {
  readonly dealer_code: string;
  readonly purchase_date: IsoDate;
  /** The repair's completed date, or the request's date. */
  readonly service_date: IsoDate;
  readonly charge_cause: ChargeCause;
  readonly service_type: ServiceType;
  /** Whether the problem is an unboxing one (damaged look, missing parts, dead on arrival). */
  readonly unboxing_problem: boolean;
}

export interface WarrantyDecisionInput {
  readonly stated: StatedRepair;
  /** The archive's entry for the unit; absent when no installation report has shown it. */
  readonly archived: ArchivedUnit | undefined;
  readonly warranty_months: number;
}

export type WarrantyWarning =
  | { readonly code: 'purchase_date_mismatch'; readonly archive_date: IsoDate; readonly stated_date: IsoDate }
  | { readonly code: 'unknown_serial' }
  | { readonly code: 'other_dealer_installation'; readonly dealer_code: string };

/** The kind of part a repair gets: lent free (the old part comes back) or sold. */
export type RepairPartKind = 'warranty_loan' | 'charged';

export interface WarrantyDecision extends RepairClassification {
  readonly kind: RepairPartKind;
  readonly purchase_date_used: IsoDate;
  readonly purchase_date_source: 'archive' | 'stated';
  readonly warnings: readonly WarrantyWarning[];
  readonly reason: string;
  readonly reason_zh: string;
  /**
   * The reason as the requesting dealer is told it: the same, except for a unit the archive
   * holds for another dealer, whose customer's dates are not the requesting dealer's to know
   * (domain.md, step 2 of material requests): the answer then says "per the maker's records".
   */
  readonly dealer_reason: string;
  readonly dealer_reason_zh: string;
}

/**
 * The one warranty decision of domain.md ("One warranty decision, from the facts on file"),
 * for a material request, a repair report, the cross-check of loans and the statistics:
 * the archive's purchase date wins over the stated one; a unit is in its unboxing phase only
 * until a successful commissioning (with no installation on file, only for an unboxing
 * problem) and never past the warranty's end; a charging cause charges in every phase.
 */
export function decideWarranty({ stated, archived, warranty_months }: WarrantyDecisionInput): WarrantyDecision {
  const purchase_date_used = archived?.purchase_date ?? stated.purchase_date;
  const warranty_end = warrantyEnd(purchase_date_used, warranty_months);
  const phase = phaseOf(stated, archived, warranty_end);
  const charging = chargingOf({ phase, charge_cause: stated.charge_cause, service_type: stated.service_type });
  const warnings: WarrantyWarning[] = [];
  if (archived === undefined) warnings.push({ code: 'unknown_serial' });
  else {
    if (archived.purchase_date !== stated.purchase_date) {
      warnings.push({ code: 'purchase_date_mismatch', archive_date: archived.purchase_date, stated_date: stated.purchase_date });
    }
    if (archived.dealer_code !== stated.dealer_code) warnings.push({ code: 'other_dealer_installation', dealer_code: archived.dealer_code });
  }
  const source = archived === undefined ? 'stated' : 'archive';
  const reason = reasonOf(phase, charging.materials_charged, stated, purchase_date_used, warranty_end, source);
  const told = archived !== undefined && archived.dealer_code !== stated.dealer_code ? reasonOf(phase, charging.materials_charged, stated, purchase_date_used, warranty_end, 'maker_records') : reason;
  return {
    kind: charging.materials_charged ? 'charged' : 'warranty_loan',
    phase,
    warranty_end,
    ...charging,
    purchase_date_used,
    purchase_date_source: source,
    warnings,
    ...reason,
    dealer_reason: told.reason,
    dealer_reason_zh: told.reason_zh,
  };
}

function phaseOf(stated: StatedRepair, archived: ArchivedUnit | undefined, warranty_end: IsoDate): RepairPhase {
  const commissioned =
    archived === undefined
      ? !stated.unboxing_problem
      : archived.commissioning === 'passed' && compareDates(archived.install_date, stated.service_date) <= 0;
  return phaseByDates(commissioned, stated.service_date, warranty_end);
}

const PHASE_WORDS: Record<RepairPhase, { en: string; zh: string }> = {
  unboxing: { en: 'unboxing phase (not yet commissioned successfully)', zh: '开箱期（尚未调试合格）' },
  in_warranty: { en: 'in warranty', zh: '保修期内' },
  out_of_warranty: { en: 'out of warranty', zh: '保修期外' },
};

const CAUSE_ZH: Record<ChargeCause, string> = {
  none: '无',
  misuse: '使用不当',
  self_handling: '自行搬运安装',
  unauthorized_repair: '私自维修',
  unstable_power: '电源电压不稳',
  force_majeure: '天灾不可抗力',
};

function reasonOf(
  phase: RepairPhase,
  charged: boolean,
  stated: StatedRepair,
  purchase: IsoDate,
  end: IsoDate,
  source: 'archive' | 'stated' | 'maker_records',
): { reason: string; reason_zh: string } {
  const words = PHASE_WORDS[phase];
  const from = source === 'archive' ? 'the end-user archive' : 'the stated date';
  const fromZh = source === 'archive' ? '用户档案' : '申报日期';
  const dates =
    source === 'maker_records'
      ? `per the maker's records (the unit is another dealer's), service on ${stated.service_date}`
      : `purchased ${purchase} (${from}), warranty to ${end}, service on ${stated.service_date}`;
  const datesZh =
    source === 'maker_records'
      ? `依据厂家档案（该产品属其他经销商），服务日期 ${stated.service_date}`
      : `购买日期 ${purchase}（${fromZh}），保修至 ${end}，服务日期 ${stated.service_date}`;
  if (!charged) {
    const why = stated.service_type === 'return_visit' ? { en: 'return visit', zh: '回访' } : { en: 'no charging cause', zh: '无收费原因' };
    return { reason: `Free: ${words.en}, ${why.en}; ${dates}`, reason_zh: `免费：${words.zh}，${why.zh}；${datesZh}` };
  }
  if (CHARGEABLE_CAUSES.has(stated.charge_cause) && stated.service_type === 'repair') {
    return {
      reason: `Charged: cause ${stated.charge_cause} charges in every phase (${words.en}); ${dates}`,
      reason_zh: `收费：收费原因“${CAUSE_ZH[stated.charge_cause]}”在任何阶段均收费（${words.zh}）；${datesZh}`,
    };
  }
  return { reason: `Charged: ${words.en}; ${dates}`, reason_zh: `收费：${words.zh}；${datesZh}` };
}
