import { beforeAll, describe, expect, it } from 'vitest';
import { archiveKey, type ArchiveEntry, type ArchiveStore } from '../../shared/app/ports.js';
import { fresh } from './fixtures.js';

const entry = (overrides: Partial<ArchiveEntry> = {}): ArchiveEntry => ({
  product_model: 'WC-800',
  serial_no: fresh('SN-'),
  dealer_code: 'D001',
  install_id: 'IN-0001',
  install_date: '2026-10-08',
  purchase_date: '2026-09-28',
  commissioning: 'passed',
  owner_name: '陈小姐',
  address: '上海市浦东新区张江路 88 号',
  ...overrides,
});

/** What every ArchiveStore does: one entry per product model and serial number, found by both. */
export function describeArchiveStoreContract(name: string, makeStore: () => Promise<ArchiveStore>): void {
  describe(`${name} as the end-user archive`, () => {
    let store: ArchiveStore;
    beforeAll(async () => {
      store = await makeStore();
    });

    it('finds the archived entries by model and serial number, and leaves out those never archived', async () => {
      const [a, b] = [entry(), entry({ product_model: 'BT-1500' })];
      await store.put([a, b]);
      const found = await store.find([a, b, { product_model: 'WC-800', serial_no: 'SN-NEVER' }, a]);
      expect(Object.fromEntries(found)).toEqual({ [archiveKey(a.product_model, a.serial_no)]: a, [archiveKey(b.product_model, b.serial_no)]: b });
    });

    it('keeps the latest entry of a product installed again', async () => {
      const first = entry();
      const again = { ...first, dealer_code: 'D002', install_id: 'IN-0002', commissioning: 'failed' as const };
      await store.put([first]);
      await store.put([again]);
      expect([...(await store.find([first])).values()]).toEqual([again]);
    });

    it('tells a serial number of one model from the same serial number of another', async () => {
      const serial_no = fresh('SN-');
      await store.put([entry({ serial_no, product_model: 'WC-800' })]);
      expect((await store.find([{ product_model: 'FC-200', serial_no }])).size).toBe(0);
    });
  });
}
