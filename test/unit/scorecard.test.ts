import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentOf, rankKey, scoreMonth, shortfall, twelveMonthsTo, worstShortfall, type ScoredComplaint } from '../../shared/domain/scorecard.js';
import { byWorstFigure } from '../../shared/app/quality/scorecard.js';
import type { Repair } from '../../shared/domain/report-validation.js';

type ScoredRepair = Parameters<typeof scoreMonth>[2] extends Iterable<infer R> ? R : never;

const repair = (repair_id: string, overrides: Partial<ScoredRepair> = {}): ScoredRepair => ({
  repair_id,
  called_at: '2026-10-05T09:00:00',
  arrived_at: '2026-10-05T15:00:00',
  completed_date: '2026-10-05',
  satisfaction: 'satisfied',
  service_type: 'repair',
  ...overrides,
});

const complaint = (complaint_id: string, overrides: Partial<ScoredComplaint> = {}): ScoredComplaint => ({
  complaint_id,
  dealer_code: 'D001',
  received_at: '2026-10-12T10:00:00',
  service_fault: true,
  ...overrides,
});

describe("a dealer's month, scored", () => {
  it("gives the issue's month: 83.3 % reached (fail), one 48-hour breach, 83.3 % satisfied (fail), 16.6 % complaints (1/6 truncated, fail), each naming the record", () => {
    // Prepare
    const repairs = [
      repair('W001'),
      repair('W002', { arrived_at: '2026-10-06T15:00:00' }),
      repair('W003', { completed_date: '2026-10-08' }),
      repair('W004', { satisfaction: 'dissatisfied' }),
      repair('W005', { satisfaction: 'fairly_satisfied' }),
      repair('W006'),
    ];
    // Act
    const card = scoreMonth('D001', '2026-10', repairs, [complaint('C001')]);
    // Assess
    expect(card.repairs).toBe(6);
    expect(card.reached_24h).toMatchObject({ value: '83.3', target: '90.0', pass: false, breaches: ['W002'] });
    expect(card.completed_48h).toMatchObject({ value: '83.3', target: '100.0', pass: false, breaches: ['W003'] });
    expect(card.fixed_48h).toEqual(card.completed_48h);
    expect(card.fixed_24h).toMatchObject({ value: '83.3', target: null, pass: null, breaches: ['W003'] });
    expect(card.satisfaction).toMatchObject({ value: '83.3', target: '85.0', pass: false, breaches: ['W004'] });
    expect(card.complaint_rate).toMatchObject({ value: '16.6', target: '3.0', pass: false, breaches: ['C001'] });
  });

  it('counts a repair reached exactly 24 hours after the call as in time, and one a second later as late', () => {
    const card = scoreMonth('D001', '2026-10', [
      repair('ON-TIME', { arrived_at: '2026-10-06T09:00:00' }),
      repair('LATE', { arrived_at: '2026-10-06T09:00:01' }),
    ], []);
    expect(card.reached_24h.breaches).toEqual(['LATE']);
  });

  it('fixed within 24 h / 48 h by the completion date against the date of the call + 24 h / + 48 h: a call at 23:00 completed 34 hours later is within 48 h', () => {
    const card = scoreMonth('D001', '2026-10', [
      repair('NEXT-DAY', { called_at: '2026-10-05T23:59:00', arrived_at: '2026-10-06T08:00:00', completed_date: '2026-10-06' }),
      repair('LATE-CALL', { called_at: '2026-10-05T23:00:00', arrived_at: '2026-10-06T08:00:00', completed_date: '2026-10-07' }),
      repair('THREE-DAYS', { called_at: '2026-10-05T00:01:00', arrived_at: '2026-10-05T08:00:00', completed_date: '2026-10-08' }),
    ], []);
    expect(card.fixed_24h.breaches).toEqual(['LATE-CALL', 'THREE-DAYS']);
    expect(card.fixed_48h.breaches).toEqual(['THREE-DAYS']);
  });

  it('leaves return visits out of every figure', () => {
    const card = scoreMonth('D001', '2026-10', [repair('W1'), repair('V1', { service_type: 'return_visit', satisfaction: 'dissatisfied', arrived_at: '2026-10-09T09:00:00' })], []);
    expect(card.repairs).toBe(1);
    expect(card.satisfaction).toMatchObject({ value: '100.0', pass: true, breaches: [] });
    expect(card.reached_24h.breaches).toEqual([]);
  });

  it('counts only complaints of the dealer, of the month, that are the service’s fault', () => {
    const card = scoreMonth('D001', '2026-10', Array.from({ length: 40 }, (_, i) => repair(`W${i}`)), [
      complaint('MINE'),
      complaint('NOT-FAULT', { service_fault: false }),
      complaint('OTHER-DEALER', { dealer_code: 'D002' }),
      complaint('LAST-MONTH', { received_at: '2026-09-30T23:59:00' }),
    ]);
    expect(card.complaint_rate).toMatchObject({ numerator: 1, denominator: 40, value: '2.5', pass: true, breaches: ['MINE'] });
  });

  it('does not score a month without repairs, but fails its complaint rate when the service was at fault', () => {
    const quiet = scoreMonth('D001', '2026-10', [], []);
    expect(quiet.reached_24h).toMatchObject({ value: null, pass: null });
    expect(quiet.complaint_rate).toMatchObject({ value: null, pass: null });
    expect(scoreMonth('D001', '2026-10', [], [complaint('C1')]).complaint_rate).toMatchObject({ value: null, pass: false, breaches: ['C1'] });
  });

  it('passes on the exact share and shows it truncated, so the figure never contradicts the verdict: 1,799 of 2,000 shows 89.9 and fails; 3 of 101 shows 2.9 and passes "< 3.0"', () => {
    const repairs = Array.from({ length: 2000 }, (_, i) => repair(`W${i}`, i < 201 ? { arrived_at: '2026-10-07T09:00:00' } : {}));
    expect(scoreMonth('D001', '2026-10', repairs, []).reached_24h).toMatchObject({ numerator: 1799, denominator: 2000, value: '89.9', pass: false });
    const month = scoreMonth('D001', '2026-10', Array.from({ length: 101 }, (_, i) => repair(`W${i}`)), ['C1', 'C2', 'C3'].map((id) => complaint(id)));
    expect(month.complaint_rate).toMatchObject({ numerator: 3, denominator: 101, value: '2.9', pass: true });
  });
});

describe('percentages with one decimal place', () => {
  it('are truncated, never rounded up: 1/8 is 12.5, 1/6 is 16.6, 5/6 is 83.3, 2/3 is 66.6, 1/2000 is 0.0, 1799/2000 is 89.9', () => {
    expect([percentOf(1, 8), percentOf(1, 6), percentOf(5, 6), percentOf(2, 3), percentOf(1, 2000), percentOf(1799, 2000), percentOf(0, 7), percentOf(7, 7)]).toEqual(
      ['12.5', '16.6', '83.3', '66.6', '0.0', '89.9', '0.0', '100.0'],
    );
  });

  it('agree with exact decimal truncation for every share', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.nat(), (denominator, n) => {
        const numerator = n % (denominator + 1);
        const tenths = (BigInt(numerator) * 1000n) / BigInt(denominator);
        expect(percentOf(numerator, denominator)).toBe(`${tenths / 10n}.${tenths % 10n}`);
      }),
    );
  });

  it('never contradict the verdict: a shown figure at or above a whole target means the exact share meets it, and one below means it does not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.nat(), fc.integer({ min: 1, max: 100 }), (denominator, n, target) => {
        const numerator = n % (denominator + 1);
        const shownTenths = Number(percentOf(numerator, denominator).replace('.', ''));
        expect(shownTenths >= target * 10).toBe(numerator * 100 >= target * denominator);
      }),
    );
  });
});

describe('the verdicts, for any month', () => {
  const anyRepair = fc.record({
    repair_id: fc.uuid(),
    hours: fc.integer({ min: 0, max: 80 }),
    days: fc.integer({ min: 0, max: 4 }),
    satisfaction: fc.constantFrom<Repair['satisfaction']>('satisfied', 'fairly_satisfied', 'dissatisfied'),
    service_type: fc.constantFrom<Repair['service_type']>('repair', 'repair', 'return_visit'),
  }).map(({ repair_id, hours, days, satisfaction, service_type }) => repair(repair_id, {
    called_at: '2026-10-10T12:00:00',
    arrived_at: `2026-10-${String(10 + Math.floor((12 + hours) / 24)).padStart(2, '0')}T${String((12 + hours) % 24).padStart(2, '0')}:00:00`,
    completed_date: `2026-10-${String(10 + Math.max(days, Math.floor((12 + hours) / 24))).padStart(2, '0')}`,
    satisfaction,
    service_type,
  }));

  it('list exactly the records that broke a target, and pass when the share meets it', () => {
    fc.assert(
      fc.property(fc.array(anyRepair, { maxLength: 60 }), fc.array(fc.boolean(), { maxLength: 5 }), (repairs, faults) => {
        const complaints = faults.map((fault, i) => complaint(`C${i}`, { service_fault: fault }));
        const card = scoreMonth('D001', '2026-10', repairs, complaints);
        const counted = repairs.filter((r) => r.service_type === 'repair');
        expect(card.repairs).toBe(counted.length);
        expect(card.satisfaction.breaches).toEqual(counted.filter((r) => r.satisfaction === 'dissatisfied').map((r) => r.repair_id));
        expect(card.complaint_rate.breaches).toHaveLength(faults.filter(Boolean).length);
        for (const figure of ['reached_24h', 'fixed_48h', 'satisfaction'] as const) {
          const score = card[figure];
          expect(score.numerator + score.breaches.length).toBe(counted.length);
          if (counted.length > 0) expect(score.pass).toBe(score.numerator * 100 >= Number(score.target) * counted.length);
        }
        if (counted.length > 0) expect(card.complaint_rate.pass).toBe(card.complaint_rate.numerator * 100 < 3 * counted.length);
        // A dealer that fails a figure sorts before one that passes every figure.
        const failed = [card.reached_24h, card.completed_48h, card.satisfaction, card.complaint_rate].some((s) => s.pass === false);
        if (failed) expect(worstShortfall(card)).toBeGreaterThan(0);
        else expect(worstShortfall(card)).toBeLessThanOrEqual(0);
      }),
    );
  });

  it("keys each month's card so that the keys' text order is the worst-first order, whatever the dealers' codes", () => {
    const anyCard = fc.record({
      dealer: fc.stringMatching(/^D[0-9]{3}$/),
      repairs: fc.array(anyRepair, { maxLength: 12 }),
      faults: fc.array(fc.boolean(), { maxLength: 3 }),
    }).map(({ dealer, repairs, faults }) => scoreMonth(dealer, '2026-10', repairs, faults.map((fault, i) => complaint(`C${i}`, { dealer_code: dealer, service_fault: fault }))));
    fc.assert(
      fc.property(fc.uniqueArray(anyCard, { selector: (card) => card.dealer, maxLength: 12 }), (cards) => {
        const byKey = [...cards].sort((a, b) => (rankKey(a) < rankKey(b) ? -1 : 1));
        expect(byKey.map((c) => c.dealer)).toEqual(byWorstFigure(cards).map((c) => c.dealer));
      }),
      { numRuns: 100 },
    );
  });

  it('sorts a bigger miss as worse', () => {
    const base = scoreMonth('D001', '2026-10', [repair('A')], []);
    const worse = { ...base.satisfaction, numerator: 1, denominator: 2 };
    const bad = { ...base.satisfaction, numerator: 4, denominator: 5 };
    expect(shortfall('satisfaction', worse)).toBeGreaterThan(shortfall('satisfaction', bad));
  });
});

describe('twelve months side by side', () => {
  it('end with the month asked for and cross the year', () => {
    expect(twelveMonthsTo('2026-03')).toEqual(['2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03']);
  });
});
