import { beforeEach, describe, expect, it } from 'vitest';
import type { MasterStore } from '../../shared/app/ports.js';
import type { Dealer, PartPrice, Product } from '../../shared/domain/master.js';

const dealer = (dealer_code: string, overrides: Partial<Dealer> = {}): Dealer => ({
  dealer_code,
  dealer_name: `经销商 ${dealer_code}`,
  region: '华东',
  contact: '王伟',
  phone: '13800138001',
  payment_method: '银行转账',
  return_window_days: null,
  ...overrides,
});
const product = (product_model: string): Product => ({ product_model, product_name: `产品 ${product_model}`, warranty_months: 24 });
const price = (part_code: string, valid_from: string, cost_price: string): PartPrice => ({ part_code, part_name: '进水阀', unit: '个', cost_price, valid_from });

/** What every MasterStore does: records replaced by their code, prices kept per date and loaded in date order. */
export function describeMasterStoreContract(name: string, makeStore: () => Promise<MasterStore>): void {
  describe(`${name} as the master data store`, () => {
    let store: MasterStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    it('loads nothing from an empty store', async () => {
      const master = await store.load();
      expect([master.dealers.size, master.products.size, master.parts.size]).toEqual([0, 0, 0]);
    });

    it('loads what was saved: dealers and products by code in code order, prices per part in date order', async () => {
      // Prepare
      await store.save({
        dealers: [dealer('D002', { return_window_days: 45 }), dealer('D001')],
        products: [product('WC-800'), product('BT-1500')],
        parts: [price('P-VALVE-01', '2026-07-01', '35.50'), price('P-VALVE-01', '2025-01-01', '32.00'), price('P-SEAL-03', '2025-01-01', '4.20')],
      });
      // Act
      const master = await store.load();
      // Assess
      expect([...master.dealers.keys()]).toEqual(['D001', 'D002']);
      expect(master.dealers.get('D002')).toEqual(dealer('D002', { return_window_days: 45 }));
      expect([...master.products.keys()]).toEqual(['BT-1500', 'WC-800']);
      expect(master.parts.get('P-VALVE-01')?.map((p) => [p.valid_from, p.cost_price])).toEqual([
        ['2025-01-01', '32.00'],
        ['2026-07-01', '35.50'],
      ]);
      expect(master.parts.get('P-SEAL-03')).toEqual([price('P-SEAL-03', '2025-01-01', '4.20')]);
    });

    it('replaces a dealer, a product or a price of the same date saved again, and keeps the rest', async () => {
      await store.save({ dealers: [dealer('D001'), dealer('D002')], products: [product('WC-800')], parts: [price('P-VALVE-01', '2025-01-01', '32.00')] });
      await store.save({ dealers: [dealer('D001', { phone: '13900000000' })], products: [], parts: [price('P-VALVE-01', '2025-01-01', '33.00')] });
      const master = await store.load();
      expect(master.dealers.get('D001')?.phone).toBe('13900000000');
      expect(master.dealers.has('D002')).toBe(true);
      expect(master.products.has('WC-800')).toBe(true);
      expect(master.parts.get('P-VALVE-01')?.map((p) => p.cost_price)).toEqual(['33.00']);
    });
  });
}
