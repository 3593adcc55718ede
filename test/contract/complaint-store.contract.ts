import { beforeAll, describe, expect, it } from 'vitest';
import type { ComplaintStore } from '../../shared/app/ports.js';
import type { Complaint } from '../../shared/domain/complaints.js';
import { fresh } from './fixtures.js';
import { complaintRecord } from '../helpers/complaints.js';

const complaint = (overrides: Partial<Complaint> = {}): Complaint => complaintRecord({ complaint_id: fresh('C-'), ...overrides });

/** What every ComplaintStore does: complaints by id, listed by the month received and dealer. */
export function describeComplaintStoreContract(name: string, makeStore: () => Promise<ComplaintStore>): void {
  describe(`${name} as the complaint register`, () => {
    let store: ComplaintStore;
    beforeAll(async () => {
      store = await makeStore();
    });

    it('finds complaints by id, and leaves out ids never recorded', async () => {
      const [a, b] = [complaint(), complaint({ product_model: null, serial_no: null })];
      await store.create(a);
      await store.create(b);
      const found = await store.find([a.complaint_id, b.complaint_id, 'C-NEVER']);
      expect(Object.fromEntries(found)).toEqual({ [a.complaint_id]: a, [b.complaint_id]: b });
    });

    it('records an id once: a second complaint under it is refused and nothing is overwritten', async () => {
      const first = complaint();
      expect(await store.create(first)).toBe('created');
      expect(await store.create({ ...first, customer_name: '别人' })).toBe('exists');
      expect([...(await store.find([first.complaint_id])).values()]).toEqual([first]);
    });

    it('keeps the complaints not closed in the open index with every write: listed from the month the rebuild reached back to, gone once closed', async () => {
      const mine = (listed: readonly Complaint[] | undefined) => listed?.filter((c) => c.dealer_code === dealer).map((c) => c.complaint_id);
      const dealer = fresh('D');
      const old = complaint({ dealer_code: dealer, received_at: '2029-01-10T10:00:00', closed_at: null });
      const closedBefore = complaint({ dealer_code: dealer, received_at: '2029-02-10T10:00:00', closed_at: '2029-02-20T10:00:00' });
      for (const c of [old, closedBefore]) expect(await store.create(c)).toBe('created');
      expect((await store.indexMonths('2029-01', '2029-03')).open).toBeGreaterThanOrEqual(1);
      expect(mine(await store.open('2029-01'))).toEqual([old.complaint_id]);

      const later = complaint({ dealer_code: dealer, received_at: '2029-03-01T08:00:00', closed_at: null });
      expect(await store.create(later)).toBe('created');
      expect(await store.replace({ ...old, closed_at: '2029-03-02T10:00:00', version: 2 })).toBe('updated');
      expect(await store.open('2029-01')).toEqual(expect.arrayContaining([later]));
      expect(mine(await store.open('2029-01'))).toEqual([later.complaint_id]);
      expect(mine(await store.open('2029-04'))).toEqual([]);
      // Each complaint also under its dealer, listed for a span of months in one read.
      const copies = await store.ofDealer(dealer, '2029-01', '2029-03');
      expect(copies?.map((c) => [c.complaint_id, c.closed_at])).toEqual([[old.complaint_id, '2029-03-02T10:00:00'], [closedBefore.complaint_id, closedBefore.closed_at], [later.complaint_id, null]]);
      expect((await store.ofDealer(dealer, '2029-02', '2029-02'))?.map((c) => c.complaint_id)).toEqual([closedBefore.complaint_id]);
    });

    it("pages a month's complaints in the index's order (dealer, time, id), of all or one dealer, after a key, stopping at the page", async () => {
      const base = fresh('P');
      const [d1, d10, d2] = ['1', '10', '2'].map((n) => `${base}-${n}`) as [string, string, string];
      const month = '2031-02';
      const made = [complaint({ dealer_code: d2, received_at: '2031-02-01T10:00:00' }), complaint({ dealer_code: d1, received_at: '2031-02-05T10:00:00' }), complaint({ dealer_code: d10, received_at: '2031-02-03T10:00:00' }), complaint({ dealer_code: d1, received_at: '2031-02-02T10:00:00' })];
      for (const c of made) await store.create(c);
      const key = (c: Complaint) => `${c.dealer_code}#${c.received_at}#${c.complaint_id}`;
      const ids = (page: { complaints: Complaint[] }) => page.complaints.map((c) => c.complaint_id);
      const first = await store.monthPage(month, { limit: 2 });
      expect([ids(first), first.more]).toEqual([[made[3]!.complaint_id, made[1]!.complaint_id], true]);
      const rest = await store.monthPage(month, { after: key(first.complaints[1]!), limit: 5 });
      expect([ids(rest), rest.more]).toEqual([[made[2]!.complaint_id, made[0]!.complaint_id], false]);
      expect(ids(await store.monthPage(month, { dealer: d1, limit: 5 }))).toEqual([made[3]!.complaint_id, made[1]!.complaint_id]);
      expect(ids(await store.monthPage(month, { dealer: d1, after: key(made[3]!), limit: 5 }))).toEqual([made[1]!.complaint_id]);
    });

    it('replaces a complaint only on the version it was read at', async () => {
      const first = complaint();
      await store.create(first);
      const resolved = { ...first, resolved_at: '2026-10-14T09:30:00', version: 2 };
      expect(await store.replace(resolved)).toBe('updated');
      expect(await store.replace({ ...first, action_taken: 'stale', version: 2 })).toBe('conflict');
      expect(await store.replace({ ...complaint(), version: 2 })).toBe('conflict');
      expect([...(await store.find([first.complaint_id])).values()]).toEqual([resolved]);
    });

    it('lists the complaints received in a span of months, of one dealer or all, by dealer and time', async () => {
      const dealer = fresh('DQ');
      const other = fresh('DR');
      const sept = complaint({ dealer_code: dealer, received_at: '2025-09-30T23:59:00' });
      const oct2 = complaint({ dealer_code: dealer, received_at: '2025-10-20T08:00:00' });
      const oct1 = complaint({ dealer_code: dealer, received_at: '2025-10-02T08:00:00' });
      const nov = complaint({ dealer_code: dealer, received_at: '2025-11-01T00:00:00' });
      const others = complaint({ dealer_code: other, received_at: '2025-10-05T08:00:00' });
      for (const c of [sept, oct2, oct1, nov, others]) await store.create(c);
      expect(await store.received('2025-10', '2025-10', dealer)).toEqual([oct1, oct2]);
      expect(await store.received('2025-09', '2025-11', dealer)).toEqual([sept, oct1, oct2, nov]);
      const all = (await store.received('2025-10', '2025-10')).filter((c) => [dealer, other].includes(c.dealer_code));
      expect(all).toEqual([oct1, oct2, others].sort((a, b) => a.dealer_code.localeCompare(b.dealer_code) || a.received_at.localeCompare(b.received_at)));
    });
  });
}
