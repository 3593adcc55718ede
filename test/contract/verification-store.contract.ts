import { beforeAll, describe, expect, it } from 'vitest';
import type { VerificationStore } from '../../shared/app/ports.js';
import type { VerificationCall } from '../../shared/domain/verification.js';
import { fresh } from './fixtures.js';

const call = (overrides: Partial<VerificationCall> = {}): VerificationCall => ({
  dealer: fresh('D'), period: '2026-10', repair_id: 'W1', reached: true, confirmed: true, satisfaction: 'satisfied',
  recorded_at: '2026-11-03T10:00:00', recorded_by: 'ann', version: 1, history: [], ...overrides,
});

/** What every VerificationStore does: calls by dealer, month and repair, written on the version read. */
export function describeVerificationStoreContract(name: string, makeStore: () => Promise<VerificationStore>): void {
  describe(`${name} as the maker's calls`, () => {
    let store: VerificationStore;
    beforeAll(async () => {
      store = await makeStore();
    });

    it("lists a dealer's calls of one month only, and finds one by repair", async () => {
      const a = call();
      const b = call({ dealer: a.dealer, repair_id: 'W2', reached: false, confirmed: null, satisfaction: null });
      const other = call({ dealer: a.dealer, period: '2026-11' });
      for (const c of [a, b, other]) expect(await store.save(c)).toBe('saved');
      expect((await store.calls(a.dealer, '2026-10')).sort((x, y) => x.repair_id.localeCompare(y.repair_id))).toEqual([a, b]);
      expect(await store.find(a.dealer, '2026-11', 'W1')).toEqual(other);
      expect(await store.find(a.dealer, '2026-10', 'NONE')).toBeUndefined();
    });

    it("lists a month's calls of a range of dealers in one read, by dealer then repair, a code that merely begins with the last one's left out", async () => {
      const base = fresh('V');
      const [d1, d10, d2, d3] = ['1', '10', '2', '3'].map((n) => `${base}-${n}`) as [string, string, string, string];
      const calls = [call({ dealer: d2, repair_id: 'W2' }), call({ dealer: d1, repair_id: 'W5' }), call({ dealer: d1, repair_id: 'W1' }), call({ dealer: d10 }), call({ dealer: d3 }), call({ dealer: d2, period: '2026-11' })];
      for (const c of calls) expect(await store.save(c)).toBe('saved');
      expect(await store.monthCalls('2026-10', d1, d2)).toEqual([calls[2], calls[1], calls[3], calls[0]]);
      expect(await store.monthCalls('2026-10', d1, d1)).toEqual([calls[2], calls[1]]);
    });

    it('records a repair once at version 1 and replaces it only on the version read', async () => {
      const first = call();
      expect(await store.save(first)).toBe('saved');
      expect(await store.save({ ...first, recorded_by: 'bob' })).toBe('conflict');
      const second = { ...first, reached: false, confirmed: null, satisfaction: null, version: 2, history: [{ reached: true, confirmed: true, satisfaction: 'satisfied' as const, recorded_at: first.recorded_at, recorded_by: 'ann' }] };
      expect(await store.save(second)).toBe('saved');
      expect(await store.save({ ...second, recorded_by: 'stale' })).toBe('conflict');
      expect(await store.find(first.dealer, first.period, first.repair_id)).toEqual(second);
    });
  });
}
