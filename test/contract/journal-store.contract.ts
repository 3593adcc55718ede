import { beforeEach, describe, expect, it } from 'vitest';
import type { JournalStore } from '../../shared/app/ports.js';
import { dealerHeadOf, foldJournal, type JournalEntry, type JournalHeads } from '../../shared/domain/journal.js';
import type { Fen } from '../../shared/domain/money.js';

/** An entry of the journal: a charge of `amount` fen on a form of D001, unless told otherwise. */
export const journalEntry = (entry_id: string, amount: number, more: Partial<JournalEntry> = {}): JournalEntry => ({
  entry_id, dealer: 'D001', type: 'charge', invoice_no: 'FY-2026-10-0001', form_kind: 'possession', period: '2026-10',
  amount: amount as Fen, part_code: 'P-VALVE-01', qty: 1, counterpart: null, date: null, method: null, reference: null,
  by: 'finance', at: '2026-12-07T00:00:00.000Z', reason: 'contract', ...more,
});

/** The heads an append of `entries` onto `before` carries: the fold of both, at charge-state version 1. */
const headsAfter = (before: readonly JournalEntry[], entries: readonly JournalEntry[]): JournalHeads => {
  const fold = foldJournal([...before, ...entries]);
  return { dealer: dealerHeadOf(fold, { seq: before.length + entries.length, charges_version: 1, forms: fold.forms.size }), forms: [...fold.forms.values()] };
};

/**
 * What every JournalStore does: entries read back in the order appended, appends only after
 * the position read (of two at once one wins), all or none, each dealer's journal on its own,
 * and more entries than one DynamoDB transaction takes.
 */
export function describeJournalStoreContract(name: string, makeStore: () => Promise<JournalStore>): void {
  describe(`${name} as the receivables journal`, () => {
    let store: JournalStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    it('reads an empty journal at position 0, then the entries in the order appended with the position of the last', async () => {
      expect(await store.read('D001')).toEqual({ seq: 0, entries: [] });
      expect(await store.append('D001', 0, [journalEntry('a', 100), journalEntry('b', -30, { type: 'payment' })])).toBe('appended');
      expect(await store.append('D001', 2, [journalEntry('c', 5)])).toBe('appended');
      const read = await store.read('D001');
      expect(read.seq).toBe(3);
      expect(read.entries).toEqual([journalEntry('a', 100), journalEntry('b', -30, { type: 'payment' }), journalEntry('c', 5)]);
    });

    it('refuses an append from a position another writer moved on from, and writes none of it', async () => {
      await store.append('D001', 0, [journalEntry('a', 100)]);
      expect(await store.append('D001', 0, [journalEntry('x', 1), journalEntry('y', 2)])).toBe('conflict');
      expect((await store.read('D001')).entries.map((e) => e.entry_id)).toEqual(['a']);
    });

    it('lets one of two appends from the same position through', async () => {
      const outcomes = await Promise.all([store.append('D001', 0, [journalEntry('p1', -10)]), store.append('D001', 0, [journalEntry('p2', -20)])]);
      expect(outcomes.sort()).toEqual(['appended', 'conflict']);
      expect((await store.read('D001')).entries).toHaveLength(1);
    });

    it("keeps each dealer's journal on its own", async () => {
      await store.append('D001', 0, [journalEntry('a', 100)]);
      expect(await store.append('D002', 0, [journalEntry('a', 7, { dealer: 'D002' })])).toBe('appended');
      expect((await store.read('D002')).entries.map((e) => [e.dealer, e.amount])).toEqual([['D002', 7]]);
      expect((await store.read('D001')).seq).toBe(1);
    });

    it('appends more entries than one transaction holds, in order', async () => {
      const many = Array.from({ length: 130 }, (_, i) => journalEntry(`charge:${i}`, i + 1));
      expect(await store.append('D001', 0, many)).toBe('appended');
      const read = await store.read('D001');
      expect(read.seq).toBe(130);
      expect(read.entries.map((e) => e.entry_id)).toEqual(many.map((e) => e.entry_id));
    });

    it('writes the heads with the entries, and a refused append writes neither', async () => {
      const [a, x] = [[journalEntry('a', 100)], [journalEntry('x', -40, { type: 'payment' })]];
      expect(await store.append('D001', 0, a, headsAfter([], a))).toBe('appended');
      expect(await store.append('D001', 0, x, headsAfter([], x))).toBe('conflict');

      const heads = await store.heads(['D001', 'D002'], [{ dealer: 'D001', invoice_no: 'FY-2026-10-0001' }]);
      expect([...heads.dealers]).toEqual([['D001', headsAfter([], a).dealer]]);
      expect(heads.forms.get('FY-2026-10-0001')).toEqual(headsAfter([], a).forms[0]);
      expect((await store.read('D001')).entries.map((e) => e.entry_id)).toEqual(['a']);
    });

    it('leaves the head out of date after an append without one, until the heads are written again', async () => {
      const [a, b] = [[journalEntry('a', 100)], [journalEntry('b', -30, { type: 'payment' })]];
      await store.append('D001', 0, a, headsAfter([], a));
      await store.append('D001', 1, b);
      expect((await store.heads(['D001'])).dealers.size).toBe(0);

      expect(await store.append('D001', 2, [], headsAfter([...a, ...b], []))).toBe('appended');
      expect((await store.heads(['D001'])).dealers.get('D001')).toEqual(headsAfter([...a, ...b], []).dealer);
      // A head for an earlier position never replaces a newer one.
      expect(await store.append('D001', 1, [], headsAfter(a, []))).toBe('conflict');
      expect((await store.heads(['D001'])).dealers.get('D001')?.seq).toBe(2);
    });

    it('writes the head of more entries than one transaction holds once all are in', async () => {
      const many = Array.from({ length: 130 }, (_, i) => journalEntry(`charge:${i}`, i + 1, { invoice_no: `FY-2026-10-${String(i + 1).padStart(4, '0')}` }));
      expect(await store.append('D001', 0, many, headsAfter([], many))).toBe('appended');
      const heads = await store.heads(['D001'], many.map((e) => ({ dealer: 'D001', invoice_no: e.invoice_no })));
      expect(heads.dealers.get('D001')).toEqual(headsAfter([], many).dealer);
      expect(heads.forms.size).toBe(130);
    });
  });
}
