import { beforeEach, describe, expect, it } from 'vitest';
import type { JournalStore } from '../../shared/app/ports.js';
import type { JournalEntry } from '../../shared/domain/journal.js';
import type { Fen } from '../../shared/domain/money.js';

/** An entry of the journal: a charge of `amount` fen on a form of D001, unless told otherwise. */
export const journalEntry = (entry_id: string, amount: number, more: Partial<JournalEntry> = {}): JournalEntry => ({
  entry_id, dealer: 'D001', type: 'charge', invoice_no: 'FY-2026-10-0001', form_kind: 'possession', period: '2026-10',
  amount: amount as Fen, part_code: 'P-VALVE-01', qty: 1, counterpart: null, date: null, method: null, reference: null,
  by: 'finance', at: '2026-12-07T00:00:00.000Z', reason: 'contract', ...more,
});

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
  });
}
