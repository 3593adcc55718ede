import { beforeAll, describe, expect, it } from 'vitest';
import type { DisputeStore } from '../../shared/app/ports.js';
import type { Dispute } from '../../shared/domain/disputes.js';
import { fresh } from './fixtures.js';

const dispute = (overrides: Partial<Dispute> = {}): Dispute => ({
  dealer: fresh('D'), invoice_no: 'FY-2026-10-0001', line: 1, part_code: 'P-VALVE-01', qty: 4, amount: '142.00', reason: '已退回',
  raised_at: '2026-11-06T10:00:00', raised_by: 'dealer', due_date: '2026-11-16', status: 'open', decision: null, version: 1, ...overrides,
});

/** What every DisputeStore does: one dispute per form line, decided on the version read, listed per dealer and for the queue. */
export function describeDisputeStoreContract(name: string, makeStore: () => Promise<DisputeStore>): void {
  describe(`${name} as the disputes`, () => {
    let store: DisputeStore;
    beforeAll(async () => {
      store = await makeStore();
    });

    it('takes a line once, decides it only on the version read, and lists a dealer its own and the queue every dealer, oldest first', async () => {
      const first = dispute();
      expect(await store.create(first)).toBe('created');
      expect(await store.create({ ...first, reason: 'again' })).toBe('exists');
      const later = dispute({ raised_at: '2026-11-07T08:00:00', line: 2 });
      await store.create(later);
      const decided: Dispute = { ...first, status: 'waived', decision: { by: 'manager', at: '2026-11-08T09:00:00', reason: '同意', credit_note: 'FY-2026-11-0001' }, version: 2 };
      expect(await store.replace(decided)).toBe('updated');
      expect(await store.replace({ ...decided, status: 'upheld' })).toBe('conflict');
      expect(await store.find(first.dealer, first.invoice_no, 1)).toEqual(decided);
      expect(await store.list(first.dealer)).toEqual([decided]);
      const queue = (await store.list()).filter((d) => d.dealer === first.dealer || d.dealer === later.dealer);
      expect(queue).toEqual([decided, later]);
    });
  });
}
