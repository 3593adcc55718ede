import { beforeAll, describe, expect, it } from 'vitest';
import type { KeptScore, ScoreStore } from '../../shared/app/ports.js';
import { rankKey, scoreMonth } from '../../shared/domain/scorecard.js';
import { fresh } from './fixtures.js';

/** A kept month of `dealer` with `late` of its `repairs` reached after 24 h. */
function kept(dealer: string, period: string, repairs: number, late: number): KeptScore {
  const rows = Array.from({ length: repairs }, (_, i) => ({
    repair_id: `${dealer}-${i}`, called_at: '2026-10-10T09:00:00', arrived_at: i < late ? '2026-10-11T15:00:00' : '2026-10-10T15:00:00', completed_date: '2026-10-11', satisfaction: 'satisfied' as const, service_type: 'repair' as const,
  }));
  const card = scoreMonth(dealer, period, rows, []);
  return { dealer, rank: rankKey(card), card, verified: null };
}

/** What every ScoreStore does: one kept month per dealer, saved on the stamp read, listed worst first a page at a time. */
export function describeScoreStoreContract(name: string, makeStore: () => Promise<ScoreStore>): void {
  describe(`${name} as the month scores`, () => {
    let store: ScoreStore;
    beforeAll(async () => {
      store = await makeStore();
    });

    it('keeps a month on the stamp read and refuses a save on a stale one; a new rank moves the dealer, never lists it twice', async () => {
      const period = `2026-${fresh('M')}`;
      const dealer = fresh('D');
      expect(await store.find(dealer, period)).toEqual({ score: undefined, stamp: 0 });
      const good = kept(dealer, period, 4, 0);
      expect(await store.save(dealer, period, good, 0)).toBe('saved');
      expect(await store.save(dealer, period, good, 0)).toBe('conflict');
      expect(await store.find(dealer, period)).toEqual({ score: good, stamp: 1 });
      const bad = kept(dealer, period, 4, 3);
      expect(await store.save(dealer, period, bad, 1)).toBe('saved');
      expect((await store.worstFirst(period, { limit: 10 })).scores).toEqual([bad]);
      expect(await store.save(dealer, period, undefined, 2)).toBe('saved');
      expect(await store.find(dealer, period)).toEqual({ score: undefined, stamp: 3 });
      expect(await store.worstFirst(period, { limit: 10 })).toEqual({ scores: [], more: false });
    });

    it('lists a month worst first after a rank, a page at a time', async () => {
      const period = `2026-${fresh('M')}`;
      const scores = [0, 1, 2, 3, 4].map((late) => kept(fresh('D'), period, 4, late));
      for (const score of scores) expect(await store.save(score.dealer, period, score, 0)).toBe('saved');
      const first = await store.worstFirst(period, { limit: 2 });
      expect(first).toEqual({ scores: [scores[4], scores[3]], more: true });
      const second = await store.worstFirst(period, { after: first.scores[1]!.rank, limit: 2 });
      expect(second).toEqual({ scores: [scores[2], scores[1]], more: true });
      expect(await store.worstFirst(period, { after: second.scores[1]!.rank, limit: 2 })).toEqual({ scores: [scores[0]], more: false });
    });

    it('keeps the place of a month whose card is too large to keep, without the card', async () => {
      const period = `2026-${fresh('M')}`;
      const { dealer, rank } = kept(fresh('D'), period, 2, 2);
      expect(await store.save(dealer, period, { dealer, rank, card: null, verified: null }, 0)).toBe('saved');
      expect((await store.worstFirst(period, { limit: 5 })).scores).toEqual([{ dealer, rank, card: null, verified: null }]);
    });

    it('marks the months kept from the earliest month marked', async () => {
      const before = await store.completeFrom();
      await store.markComplete('2026-09');
      await store.markComplete('2026-10');
      expect(await store.completeFrom()).toBe(before !== undefined && before < '2026-09' ? before : '2026-09');
    });
  });
}
