import { beforeAll, describe, expect, it } from 'vitest';
import type { DesignHazardStore } from '../../shared/app/ports.js';
import type { DesignHazard } from '../../shared/domain/design-hazards.js';
import { fresh } from './fixtures.js';

const hazard = (overrides: Partial<DesignHazard> = {}): DesignHazard => ({
  dealer: fresh('D'), repair_id: 'RP-1', product_model: 'WC-800', serial_no: 'SN-1', fault_description: '冲水无力', fault_cause: '阀体设计缺陷',
  completed_date: '2026-10-10', note: '同型号多次出现', marked_by: 'admin', marked_at: '2026-11-03T10:00:00', ...overrides,
});

/** What every DesignHazardStore does: a repair marked once, listed per dealer and for the department. */
export function describeDesignHazardStoreContract(name: string, makeStore: () => Promise<DesignHazardStore>): void {
  describe(`${name} as the design hazards`, () => {
    let store: DesignHazardStore;
    beforeAll(async () => {
      store = await makeStore();
    });

    it('marks a repair once and lists a dealer its own and the department every dealer, oldest first', async () => {
      const first = hazard();
      expect(await store.create(first)).toBe('created');
      expect(await store.create({ ...first, note: 'again' })).toBe('exists');
      const later = hazard({ marked_at: '2026-11-04T10:00:00' });
      await store.create(later);
      expect(await store.list(first.dealer)).toEqual([first]);
      expect((await store.list()).filter((h) => h.dealer === first.dealer || h.dealer === later.dealer)).toEqual([first, later]);
    });
  });
}
