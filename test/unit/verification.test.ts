import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawSample, sampleSize } from '../../shared/domain/verification.js';

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
