import { beforeAll, describe, expect, it } from 'vitest';
import type { UnboxingStore } from '../../shared/app/ports.js';
import type { UnboxingCase } from '../../shared/domain/unboxing.js';
import { fresh } from './fixtures.js';

const stored = (overrides: Partial<UnboxingCase> = {}): UnboxingCase => ({
  dealer: fresh('D'), install_id: 'IN-1', period: '2026-10', product_model: 'WC-800', serial_no: 'SN-1', owner_name: '陈小姐', phone: '13912345678',
  install_date: '2026-10-10', issue: '外观划伤', due_date: '2026-10-12', status: 'planned', plan: { text: '更换面板', by: 'admin', at: '2026-10-11T09:00:00' },
  closed: null, photos: [], version: 1, ...overrides,
});

/** What every UnboxingStore does: a dealer's month of cases acted on, each written on the version read. */
export function describeUnboxingStoreContract(name: string, makeStore: () => Promise<UnboxingStore>): void {
  describe(`${name} as the unboxing cases`, () => {
    let store: UnboxingStore;
    beforeAll(async () => {
      store = await makeStore();
    });

    it("stores a case once at version 1, replaces it only on the version read, and lists the dealer's month", async () => {
      const first = stored();
      expect(await store.save(first)).toBe('saved');
      expect(await store.save({ ...first, issue: 'other' })).toBe('conflict');
      const closed = { ...first, status: 'closed' as const, closed: { note: '已更换', by: 'admin', at: '2026-10-12T09:00:00' }, version: 2 };
      expect(await store.save(closed)).toBe('saved');
      expect(await store.save({ ...closed, photos: ['x'] })).toBe('conflict');
      await store.save(stored({ dealer: first.dealer, period: '2026-11' }));
      expect(await store.cases(first.dealer, '2026-10')).toEqual([closed]);
    });

    it("lists a month's cases of a range of dealers in one read, by dealer, a code that merely begins with the last one's left out", async () => {
      const base = fresh('U');
      const [d1, d10, d2] = ['1', '10', '2'].map((n) => `${base}-${n}`) as [string, string, string];
      const cases = [stored({ dealer: d2 }), stored({ dealer: d1, install_id: 'IN-2' }), stored({ dealer: d10 }), stored({ dealer: d1, period: '2026-11' })];
      for (const c of cases) expect(await store.save(c)).toBe('saved');
      expect(await store.monthCases('2026-10', d1, d1)).toEqual([cases[1]]);
      expect(await store.monthCases('2026-10', d1, d2)).toEqual([cases[1], cases[2], cases[0]]);
    });
  });
}
