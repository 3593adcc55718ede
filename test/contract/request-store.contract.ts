import { beforeAll, describe, expect, it } from 'vitest';
import type { RequestStore } from '../../shared/app/ports.js';
import type { MaterialRequest, RequestLine } from '../../shared/domain/request.js';
import { purposeProposal } from '../../shared/domain/request.js';
import { fresh } from './fixtures.js';

const line = (n: number): RequestLine => ({
  line: n,
  part_code: 'P-VALVE-01',
  qty: 1,
  purpose: 'gift',
  product_model: null,
  serial_no: null,
  purchase_date: null,
  fault_description: null,
  charge_cause: null,
  repair_id: null,
  remarks: null,
  proposal: purposeProposal('gift'),
  decision: null,
  shipping: null,
});

/** A request of two gift lines, as the submit use case stores it. */
export const materialRequest = (dealer_code: string, request_id = fresh('R-')): MaterialRequest => ({
  request_id,
  dealer_code,
  requested_date: '2026-11-02',
  submitted_at: '2026-11-02T02:00:00.000Z',
  lines: [line(1), line(2)],
  version: 1,
});

/** What every RequestStore does: one request per dealer and id, versioned saves, lists by dealer or all. */
export function describeRequestStoreContract(name: string, makeStore: () => Promise<RequestStore>): void {
  describe(`${name} as the material requests`, () => {
    let store: RequestStore;
    beforeAll(async () => {
      store = await makeStore();
    });

    it('stores a new request once: the same id again for the dealer is refused and changes nothing', async () => {
      // Prepare
      const dealer = fresh('D');
      const first = materialRequest(dealer);
      // Act
      const outcomes = [await store.create(first), await store.create({ ...first, requested_date: '2026-11-03' })];
      // Assess
      expect(outcomes).toEqual(['created', 'exists']);
      expect(await store.find(dealer, first.request_id)).toEqual({ ...first, version: 1 });
    });

    it('lets one of two saves from the same read win, and the other finds a conflict', async () => {
      // Prepare
      const dealer = fresh('D');
      const request = materialRequest(dealer);
      await store.create(request);
      const read = (await store.find(dealer, request.request_id))!;
      const decided = (by: string): MaterialRequest => ({
        ...read,
        lines: read.lines.map((l) => (l.line === 1 ? { ...l, decision: { outcome: 'rejected', kind: null, return_required: null, reason: 'no', by, at: '2026-11-03T00:00:00.000Z', invoice_no: null, unit_price: null } } : l)),
      });
      // Act
      const outcomes = [await store.save(decided('alice')), await store.save(decided('bob'))];
      // Assess
      expect(outcomes).toEqual(['updated', 'conflict']);
      const stored = await store.find(dealer, request.request_id);
      expect(stored?.version).toBe(2);
      expect(stored?.lines[0]?.decision?.by).toBe('alice');
    });

    it("lists a dealer's requests, every dealer's, and finds a request by its id alone", async () => {
      // Prepare
      const [d1, d2] = [fresh('D'), fresh('D')];
      const id = fresh('R-');
      await store.create(materialRequest(d1, id));
      await store.create(materialRequest(d2, id));
      await store.create(materialRequest(d1));
      // Act
      const own = await store.list(d1);
      const all = await store.list();
      const byId = await store.findById(id);
      // Assess
      expect(own.map((r) => r.dealer_code)).toEqual([d1, d1]);
      expect(all.filter((r) => r.dealer_code === d1 || r.dealer_code === d2)).toHaveLength(3);
      expect(byId.map((r) => r.dealer_code).sort()).toEqual([d1, d2].sort());
      expect(await store.findById(fresh('R-'))).toEqual([]);
    });
  });
}
