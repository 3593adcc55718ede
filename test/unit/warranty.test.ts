import { describe, expect, it } from 'vitest';
import { chargingOf, classifyRepair, repairPhase, warrantyEnd, type PhaseInput } from '../../shared/domain/warranty.js';

/** A product bought on 2025-10-03 with a 12-month warranty, repaired on `completed_date`. */
const repairOn = (completed_date: string, more: Partial<PhaseInput> = {}): PhaseInput => ({
  purchase_date: '2025-10-03',
  completed_date,
  warranty_months: 12,
  ...more,
});

describe('the warranty period', () => {
  it('counts the product\'s warranty months from the purchase date', () => {
    expect(warrantyEnd('2025-10-03', 12)).toBe('2026-10-03');
  });

  it('ends at the end of a shorter month', () => {
    expect(warrantyEnd('2025-08-31', 6)).toBe('2026-02-28');
  });
});

describe('the phase of a repair', () => {
  it('is in warranty up to and including the last day of the warranty', () => {
    expect(repairPhase(repairOn('2026-10-03'))).toBe('in_warranty');
  });

  it('is out of warranty from the day after', () => {
    expect(repairPhase(repairOn('2026-10-04'))).toBe('out_of_warranty');
  });

  it('is unboxing when the commissioning failed', () => {
    expect(repairPhase(repairOn('2026-01-10', { commissioning: { install_date: '2025-10-05', result: 'failed' } }))).toBe('unboxing');
  });

  it('is out of warranty after the warranty end even when the commissioning failed', () => {
    expect(repairPhase(repairOn('2026-10-04', { commissioning: { install_date: '2025-10-05', result: 'failed' } }))).toBe('out_of_warranty');
  });

  it('is unboxing when the service came before the installation', () => {
    expect(repairPhase(repairOn('2025-10-04', { commissioning: { install_date: '2025-10-05', result: 'passed' } }))).toBe('unboxing');
  });

  it('follows the warranty once the product was commissioned successfully, the same day included', () => {
    expect(repairPhase(repairOn('2025-10-05', { commissioning: { install_date: '2025-10-05', result: 'passed' } }))).toBe('in_warranty');
  });

  it('follows the warranty when no installation is known (installed before the system, or by another dealer)', () => {
    expect(repairPhase(repairOn('2025-10-04'))).toBe('in_warranty');
  });
});

describe('charging', () => {
  it('charges materials and service out of warranty', () => {
    expect(chargingOf({ phase: 'out_of_warranty', charge_cause: 'none', service_type: 'repair' })).toEqual({ materials_charged: true, service_fee: true });
  });

  it('is free in warranty when the cause is none', () => {
    expect(chargingOf({ phase: 'in_warranty', charge_cause: 'none', service_type: 'repair' })).toEqual({ materials_charged: false, service_fee: false });
  });

  it.each([['misuse'], ['self_handling'], ['unauthorized_repair'], ['unstable_power'], ['force_majeure']] as const)(
    'charges an in-warranty repair caused by %s',
    (cause) => {
      expect(chargingOf({ phase: 'in_warranty', charge_cause: cause, service_type: 'repair' }).materials_charged).toBe(true);
    },
  );

  it('leaves an unboxing problem free when the cause is none', () => {
    expect(chargingOf({ phase: 'unboxing', charge_cause: 'none', service_type: 'repair' })).toEqual({ materials_charged: false, service_fee: false });
  });

  it('charges an unboxing problem with a charging cause: a charging cause charges in every phase', () => {
    expect(chargingOf({ phase: 'unboxing', charge_cause: 'misuse', service_type: 'repair' })).toEqual({ materials_charged: true, service_fee: true });
  });

  it('charges a return visit\'s materials only out of warranty, and never a service fee', () => {
    expect(chargingOf({ phase: 'in_warranty', charge_cause: 'misuse', service_type: 'return_visit' })).toEqual({ materials_charged: false, service_fee: false });
    expect(chargingOf({ phase: 'out_of_warranty', charge_cause: 'none', service_type: 'return_visit' })).toEqual({ materials_charged: true, service_fee: false });
  });
});

describe('classifying a repair', () => {
  it('gives its phase, warranty end and charging in one flat record', () => {
    expect(classifyRepair({ ...repairOn('2026-11-01'), charge_cause: 'none', service_type: 'repair' })).toEqual({
      phase: 'out_of_warranty',
      warranty_end: '2026-10-03',
      materials_charged: true,
      service_fee: true,
    });
  });
});
