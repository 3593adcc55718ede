import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, compareDates } from '../../shared/domain/dates.js';
import {
  CHARGE_CAUSE_CODES,
  CHARGEABLE_CAUSES,
  decideWarranty,
  warrantyEnd,
  type ArchivedUnit,
  type ChargeCause,
  type StatedRepair,
  type WarrantyDecisionInput,
} from '../../shared/domain/warranty.js';
import { warrantyWarningIssues } from '../../shared/domain/messages.js';
import { anyDate } from '../helpers/arbitraries.js';

const stated = (more: Partial<StatedRepair> = {}): StatedRepair => ({
  dealer_code: 'D001',
  purchase_date: '2025-06-01',
  service_date: '2026-03-10',
  charge_cause: 'none',
  service_type: 'repair',
  unboxing_problem: false,
  ...more,
});

const archived = (more: Partial<ArchivedUnit> = {}): ArchivedUnit => ({
  dealer_code: 'D001',
  install_date: '2023-01-12',
  purchase_date: '2023-01-10',
  commissioning: 'passed',
  ...more,
});

const decide = (input: Partial<WarrantyDecisionInput>) => decideWarranty({ stated: stated(), archived: undefined, warranty_months: 12, ...input });

const anyCause = fc.constantFrom<ChargeCause>(...CHARGE_CAUSE_CODES);

/** A unit's facts over a few decades: purchase, commissioning a few days to years later, service some time after the purchase. */
const anyCase = fc
  .record({
    purchase: anyDate(2000, 2040),
    statedPurchase: anyDate(2000, 2040),
    installAfter: fc.integer({ min: 0, max: 800 }),
    serviceAfter: fc.integer({ min: 0, max: 4000 }),
    months: fc.integer({ min: 1, max: 120 }),
    cause: anyCause,
    commissioning: fc.constantFrom<'passed' | 'failed'>('passed', 'failed'),
    onFile: fc.boolean(),
    unboxing: fc.boolean(),
    returnVisit: fc.boolean(),
  })
  .map((c) => ({
    ...c,
    input: {
      stated: stated({
        purchase_date: c.statedPurchase,
        service_date: addDays(c.purchase, c.serviceAfter),
        charge_cause: c.cause,
        service_type: c.returnVisit ? ('return_visit' as const) : ('repair' as const),
        unboxing_problem: c.unboxing,
      }),
      archived: c.onFile ? archived({ purchase_date: c.purchase, install_date: addDays(c.purchase, c.installAfter), commissioning: c.commissioning }) : undefined,
      warranty_months: c.months,
    },
  }));

describe('the one warranty decision: the purchase date', () => {
  it("takes the archive's purchase date over the one typed later, and warns naming the archive's date", () => {
    // Prepare: bought 2023-01-10 per the installation report, reported as bought 2025-06-01
    // Act
    const decision = decide({ archived: archived() });
    // Assess
    expect(decision).toMatchObject({ purchase_date_used: '2023-01-10', purchase_date_source: 'archive', phase: 'out_of_warranty', kind: 'charged' });
    expect(decision.warnings).toEqual([{ code: 'purchase_date_mismatch', archive_date: '2023-01-10', stated_date: '2025-06-01' }]);
  });

  it('uses the stated date when the archive does not know the unit, and marks it unknown', () => {
    const decision = decide({});
    expect(decision).toMatchObject({ purchase_date_used: '2025-06-01', purchase_date_source: 'stated', phase: 'in_warranty', kind: 'warranty_loan' });
    expect(decision.warnings).toEqual([{ code: 'unknown_serial' }]);
  });

  it('answers for a unit another dealer installed, with a warning naming that dealer', () => {
    const decision = decide({ archived: archived({ dealer_code: 'D002', purchase_date: '2025-06-01' }) });
    expect(decision.warnings).toEqual([{ code: 'other_dealer_installation', dealer_code: 'D002' }]);
    expect(decision.kind).toBe('warranty_loan');
  });

  it("tells the dealer another dealer's unit per the maker's records: the reason and the warnings (a repair report's or a request's) name neither that dealer nor its customer's dates", () => {
    // Prepare
    const decision = decide({ archived: archived({ dealer_code: 'D002', purchase_date: '2024-09-09' }) });
    const facts = { serial_no: 'SN-1', purchase_date: '2025-06-01' };
    // Act
    const dealer = warrantyWarningIssues(4, facts, decision.warnings, 'dealer');
    const backOffice = warrantyWarningIssues(4, facts, decision.warnings, 'back_office');
    // Assess
    expect(decision.reason).toContain('purchased 2024-09-09');
    expect(`${decision.dealer_reason} ${decision.dealer_reason_zh}`).not.toMatch(/2024-09-09|2026-09-09|D002/);
    expect(decision.dealer_reason).toContain("per the maker's records");
    expect(decision.dealer_reason_zh).toContain('依据厂家档案');
    expect(dealer.map((w) => w.code)).toEqual(['other_dealer_installation']);
    expect(JSON.stringify(dealer)).not.toMatch(/2024-09-09|D002/);
    expect(dealer[0]?.message_zh).toContain('依据厂家档案属其他经销商的产品');
    expect(backOffice.map((w) => w.code)).toEqual(['purchase_date_mismatch', 'other_dealer_installation']);
    expect(JSON.stringify(backOffice)).toMatch(/2024-09-09/);
    expect(backOffice[1]?.message).toContain('installed by dealer D002');
  });

  it("gives the dealer the same reason for its own unit", () => {
    const decision = decide({ archived: archived() });
    expect([decision.dealer_reason, decision.dealer_reason_zh]).toEqual([decision.reason, decision.reason_zh]);
  });

  it('property: the purchase date used is the archive\'s whenever the unit is on file, else the stated one', () => {
    fc.assert(
      fc.property(anyCase, ({ input }) => {
        const decision = decideWarranty(input);
        expect(decision.purchase_date_used).toBe(input.archived?.purchase_date ?? input.stated.purchase_date);
        const mismatch = decision.warnings.some((w) => w.code === 'purchase_date_mismatch');
        expect(mismatch).toBe(input.archived !== undefined && input.archived.purchase_date !== input.stated.purchase_date);
      }),
    );
  });
});

describe('the one warranty decision: the phase', () => {
  it('is never unboxing after a successful commissioning, whatever happened at unboxing', () => {
    const decision = decide({ stated: stated({ unboxing_problem: true, purchase_date: '2023-01-10' }), archived: archived() });
    expect(decision.phase).toBe('out_of_warranty');
  });

  it('is unboxing while the commissioning failed, and a charging cause still charges then', () => {
    // Prepare: commissioning failed in May 2020, repaired in February 2021 (inside the 12 months) for misuse
    const failed = archived({ install_date: '2020-05-02', purchase_date: '2020-05-01', commissioning: 'failed' });
    // Act
    const decision = decide({ stated: stated({ purchase_date: '2020-05-01', service_date: '2021-02-01', charge_cause: 'misuse' }), archived: failed });
    // Assess
    expect(decision).toMatchObject({ phase: 'unboxing', kind: 'charged' });
    expect(decision.reason).toContain('misuse');
    expect(decision.reason_zh).toContain('使用不当');
  });

  it('ends the unboxing phase of a failed commissioning when the warranty would have ended: bought 2015, 12 months, repaired 2026 is charged', () => {
    // Prepare: bought and installed in 2015, commissioning failed, never commissioned again
    const failed = archived({ install_date: '2015-03-02', purchase_date: '2015-03-01', commissioning: 'failed' });
    // Act
    const decision = decide({ stated: stated({ purchase_date: '2015-03-01', service_date: '2026-02-01' }), archived: failed });
    // Assess
    expect(decision).toMatchObject({ phase: 'out_of_warranty', kind: 'charged', warranty_end: '2016-03-01' });
  });

  it('ends the unboxing phase of an unboxing problem with no installation on file when the warranty would have ended', () => {
    const decision = decide({ stated: stated({ purchase_date: '2015-03-01', service_date: '2026-02-01', unboxing_problem: true }) });
    expect(decision).toMatchObject({ phase: 'out_of_warranty', kind: 'charged' });
  });

  it('property: the unboxing phase never outlasts the warranty, and a unit is out of warranty exactly after its end', () => {
    fc.assert(
      fc.property(anyCase, ({ input }) => {
        const decision = decideWarranty(input);
        const after = compareDates(input.stated.service_date, decision.warranty_end) > 0;
        expect(decision.phase === 'out_of_warranty').toBe(after);
        if (after) expect(decision.kind).toBe('charged');
      }),
    );
  });

  it('is unboxing with no installation on file only for an unboxing problem', () => {
    expect(decide({ stated: stated({ unboxing_problem: true }) }).phase).toBe('unboxing');
    expect(decide({ stated: stated({ unboxing_problem: false }) }).phase).toBe('in_warranty');
  });

  it('property: after a successful commissioning on or before the service, the phase follows the dates alone', () => {
    fc.assert(
      fc.property(anyCase, ({ input }) => {
        fc.pre(input.archived !== undefined && input.archived.commissioning === 'passed' && compareDates(input.archived.install_date, input.stated.service_date) <= 0);
        const decision = decideWarranty(input);
        const end = warrantyEnd(input.archived!.purchase_date, input.warranty_months);
        expect(decision.phase).toBe(compareDates(input.stated.service_date, end) <= 0 ? 'in_warranty' : 'out_of_warranty');
        expect(decision.warranty_end).toBe(end);
      }),
    );
  });
});

describe('the one warranty decision: who pays', () => {
  it.each([...CHARGEABLE_CAUSES])('charges a repair caused by %s in every phase', (cause) => {
    expect(decide({ stated: stated({ charge_cause: cause, unboxing_problem: true }) })).toMatchObject({ phase: 'unboxing', kind: 'charged' });
    expect(decide({ stated: stated({ charge_cause: cause }) })).toMatchObject({ phase: 'in_warranty', kind: 'charged' });
  });

  it('lends a part free for a return visit in warranty, and charges it out of warranty, never with a service fee', () => {
    expect(decide({ stated: stated({ service_type: 'return_visit', charge_cause: 'misuse' }) })).toMatchObject({ kind: 'warranty_loan', service_fee: false });
    expect(decide({ stated: stated({ service_type: 'return_visit', service_date: '2027-01-01' }) })).toMatchObject({ kind: 'charged', service_fee: false });
  });

  it('property: a repair is free exactly when it is not out of warranty and its cause is none; a return visit exactly when in warranty or unboxing', () => {
    fc.assert(
      fc.property(anyCase, ({ input }) => {
        const decision = decideWarranty(input);
        const free =
          input.stated.service_type === 'return_visit'
            ? decision.phase !== 'out_of_warranty'
            : decision.phase !== 'out_of_warranty' && input.stated.charge_cause === 'none';
        expect(decision.kind).toBe(free ? 'warranty_loan' : 'charged');
        expect(decision.materials_charged).toBe(!free);
        expect(decision.reason.length).toBeGreaterThan(0);
        expect(decision.reason_zh.length).toBeGreaterThan(0);
      }),
    );
  });
});
