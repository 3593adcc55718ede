import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Satisfaction } from '../../shared/domain/report-validation.js';
import { drawSample, recordCall, sampleSize, verifiedFigures, verifiedJson, type VerifiedRepair } from '../../shared/domain/verification.js';

const repairs = (ids: readonly string[]) => ids.map((repair_id) => ({ repair_id, service_type: 'repair' as const }));

describe("the maker's return-call sample", () => {
  it('takes the configured share rounded up, at least the minimum, all when fewer', () => {
    expect([sampleSize(0, { sharePercent: 10, minimum: 3 }), sampleSize(2, { sharePercent: 10, minimum: 3 }), sampleSize(31, { sharePercent: 10, minimum: 3 }), sampleSize(200, { sharePercent: 10, minimum: 3 })]).toEqual([0, 2, 4, 20]);
  });

  it('leaves return visits out', () => {
    expect(drawSample('D001', '2026-10', [{ repair_id: 'V', service_type: 'return_visit' }, ...repairs(['A'])])).toEqual(['A']);
  });

  it('is the same list every time, whatever order the report lists its repairs in, and another for another month', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 80 }), fc.integer({ min: 1, max: 100 }), fc.nat({ max: 10 }), (ids, sharePercent, minimum) => {
        const rule = { sharePercent, minimum };
        const sample = drawSample('D001', '2026-10', repairs(ids), rule);
        expect(drawSample('D001', '2026-10', repairs([...ids].reverse()), rule)).toEqual(sample);
        expect(sample).toHaveLength(sampleSize(ids.length, rule));
        expect(new Set(sample).size).toBe(sample.length);
        expect(sample.every((id) => ids.includes(id))).toBe(true);
      }),
    );
    const ids = Array.from({ length: 100 }, (_, i) => `RP-${i}`);
    expect(drawSample('D001', '2026-11', repairs(ids))).not.toEqual(drawSample('D001', '2026-10', repairs(ids)));
  });
});

describe("recording the maker's call", () => {
  const key = { dealer: 'D001', period: '2026-10', repair_id: 'W1' };
  const reached = { reached: true, confirmed: true, satisfaction: 'satisfied' as const };

  it('records a call at version 1, replaces it with the earlier outcome kept, and changes nothing on the same outcome again', () => {
    const first = recordCall(undefined, key, { reached: false, confirmed: null, satisfaction: null }, 'ann', '2026-11-03T10:00:00');
    if (!('call' in first)) throw new Error('refused');
    expect(first.call).toMatchObject({ ...key, reached: false, version: 1, history: [] });
    const second = recordCall(first.call, key, reached, 'bob', '2026-11-04T09:00:00');
    if (!('call' in second)) throw new Error('refused');
    expect(second).toMatchObject({ changed: true, call: { reached: true, confirmed: true, satisfaction: 'satisfied', recorded_by: 'bob', version: 2 } });
    expect(second.call.history).toEqual([{ reached: false, confirmed: null, satisfaction: null, recorded_at: '2026-11-03T10:00:00', recorded_by: 'ann' }]);
    expect(recordCall(second.call, key, reached, 'carl', '2026-11-05T09:00:00')).toEqual({ call: second.call, changed: false });
  });

  it('refuses a confirmation or a satisfaction from a customer not reached, naming each in both languages', () => {
    const refused = recordCall(undefined, key, { reached: false, confirmed: false, satisfaction: 'dissatisfied' }, 'ann', '2026-11-03T10:00:00');
    expect('problems' in refused && refused.problems.map((p) => [p.field, p.value])).toEqual([['confirmed', 'no'], ['satisfaction', 'dissatisfied']]);
    expect('problems' in refused && refused.problems.every((p) => /[\u4e00-\u9fff]/.test(p.message_zh))).toBe(true);
  });
});

describe("the maker's figures beside the dealer's", () => {
  const report = (repair_id: string, more: Partial<VerifiedRepair> = {}): VerifiedRepair => ({ repair_id, service_type: 'repair', customer_confirmed: true, satisfaction: 'satisfied', ...more });
  const call = (repair_id: string, reached: boolean, confirmed: boolean | null = null, satisfaction: Satisfaction | null = null) => ({ repair_id, reached, confirmed, satisfaction });

  it('compares each figure with the report of the same repairs and flags a shortfall beyond the margin', () => {
    const repairs = ['A', 'B', 'C', 'D', 'E'].map((id) => report(id));
    const calls = [call('A', true, true, 'satisfied'), call('B', true, false, 'dissatisfied'), call('C', true, true, 'fairly_satisfied'), call('D', false), call('GONE', true, true, 'satisfied')];
    const figures = verifiedFigures(['A', 'B', 'C', 'D'], calls, repairs, 10);
    expect(figures).toMatchObject({ sampled: 4, called: 4, reached: { numerator: 3, denominator: 4 }, flag: true });
    expect(figures.confirmed).toEqual({ numerator: 2, denominator: 3, reported: 3, flag: true });
    expect(verifiedJson(figures)).toEqual({
      sampled: 4, called: 4, reached: { value: '75.0', of: 4 },
      confirmed: { value: '66.6', reported: '100.0', of: 3, flag: true },
      satisfaction: { value: '66.6', reported: '100.0', of: 3, flag: true },
      margin: '10.0', flag: true,
    });
    // A shortfall of exactly the margin is not beyond it: 1 of 10 short, margin 10 points.
    const ten = Array.from({ length: 10 }, (_, i) => report(`R${i}`));
    const oneShort = ten.map((r, i) => call(r.repair_id, true, i !== 0, 'satisfied'));
    expect(verifiedFigures([], oneShort, ten, 10).confirmed.flag).toBe(false);
    expect(verifiedFigures([], oneShort, ten, 9).confirmed.flag).toBe(true);
  });

  it('never flags a dealer whose report the calls bear out, flags any shortfall at a margin of 0 and none at 100', () => {
    const satisfaction = fc.constantFrom<Satisfaction>('satisfied', 'fairly_satisfied', 'dissatisfied');
    const row = fc.record({ confirmed: fc.boolean(), satisfaction, reached: fc.boolean(), callConfirmed: fc.option(fc.boolean()), callSatisfaction: fc.option(satisfaction) });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), (rows) => {
        const repairs = rows.map((r, i) => report(`R${i}`, { customer_confirmed: r.confirmed, satisfaction: r.satisfaction }));
        const truthful = rows.map((r, i) => call(`R${i}`, r.reached, r.reached ? r.confirmed : null, r.reached ? r.satisfaction : null));
        expect(verifiedFigures([], truthful, repairs, 0).flag).toBe(false);
        const calls = rows.map((r, i) => call(`R${i}`, r.reached, r.reached ? r.callConfirmed : null, r.reached ? r.callSatisfaction : null));
        const strict = verifiedFigures([], calls, repairs, 0);
        expect(strict.confirmed.flag).toBe(strict.confirmed.numerator < strict.confirmed.reported);
        expect(strict.satisfaction.flag).toBe(strict.satisfaction.numerator < strict.satisfaction.reported);
        expect(verifiedFigures([], calls, repairs, 100).flag).toBe(false);
        expect(strict.reached.denominator).toBe(rows.length);
        expect(strict.confirmed.denominator).toBeLessThanOrEqual(strict.reached.numerator);
      }),
      { numRuns: 100 },
    );
  });
});
