import { describe, expect, it } from 'vitest';
import { importMaster } from '../../../shared/app/import-master.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../../infra/local/demo.js';
import { fixedClock, MemoryMasterStore } from '../../helpers/memory/index.js';
import { masterWorkbook } from '../../helpers/reports.js';

const clock = fixedClock('2026-11-02T02:00:00.000Z');
const config = { businessTimeZone: 'Asia/Shanghai' };

describe('importing the master data workbook', () => {
  it('saves every dealer, product and price of a clean workbook', async () => {
    // Prepare
    const master = new MemoryMasterStore();
    // Act
    const result = await importMaster({ master, clock, config }, await masterWorkbook({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS }));
    // Assess
    expect(result).toMatchObject({ status: 'accepted', errors: [], counts: { dealers: DEMO_DEALERS.length, products: DEMO_PRODUCTS.length, parts: DEMO_PARTS.length } });
    const loaded = await master.load();
    expect([...loaded.dealers.keys()]).toEqual(DEMO_DEALERS.map((d) => d.dealer_code));
    expect(loaded.dealers.get('D002')).toEqual({ ...DEMO_DEALERS[1], return_window_history: [{ from: '2026-11-02', days: 45 }] });
    expect([...loaded.parts.values()].flat()).toHaveLength(DEMO_PARTS.length);
  });

  it('saves nothing when any sheet has an error, and names the sheet of each error', async () => {
    const master = new MemoryMasterStore();
    const products = [...DEMO_PRODUCTS, { product_model: 'XX-1', product_name: '坏数据', warranty_months: 'twelve' }];
    const result = await importMaster({ master, clock, config }, await masterWorkbook({ dealers: DEMO_DEALERS, products, parts: DEMO_PARTS }));
    expect(result.status).toBe('rejected');
    expect(result.errors.map((e) => [e.sheet, e.row, e.column])).toEqual([['products', DEMO_PRODUCTS.length + 2, 'warranty_months']]);
    expect((await master.load()).dealers.size).toBe(0);
  });

  it('adds to what is there and removes nothing: a workbook of new rows only is fine', async () => {
    const master = new MemoryMasterStore();
    await importMaster({ master, clock, config }, await masterWorkbook({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS }));
    const newDealer = { ...DEMO_DEALERS[0]!, dealer_code: 'D004', dealer_name: '新经销商' };
    const result = await importMaster({ master, clock, config }, await masterWorkbook({ dealers: [newDealer], products: DEMO_PRODUCTS.slice(0, 1), parts: DEMO_PARTS.slice(0, 1) }));
    expect(result.status).toBe('accepted');
    expect([...(await master.load()).dealers.keys()]).toEqual(['D001', 'D002', 'D003', 'D004']);
  });

  it('refuses a file that is not a workbook and saves nothing', async () => {
    const master = new MemoryMasterStore();
    const result = await importMaster({ master, clock, config }, new TextEncoder().encode('dealers,products'));
    expect(result.status).toBe('rejected');
    expect(result.errors).toHaveLength(1);
    expect((await master.load()).dealers.size).toBe(0);
  });

  it("keeps each dealer's return windows with the date each took effect, so that a lot takes the window of its shipping date", async () => {
    // Prepare: D002 had 45 days from 2026-11-02
    const master = new MemoryMasterStore();
    const at = fixedClock('2026-11-02T02:00:00.000Z');
    await importMaster({ master, clock: at, config }, await masterWorkbook({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS }));
    // Act: from 2026-12-01 it has 20 days; re-importing the same window later changes nothing
    at.set('2026-12-01T02:00:00.000Z');
    const shorter = DEMO_DEALERS.map((d) => (d.dealer_code === 'D002' ? { ...d, return_window_days: 20 } : d));
    await importMaster({ master, clock: at, config }, await masterWorkbook({ dealers: shorter, products: DEMO_PRODUCTS, parts: DEMO_PARTS }));
    at.set('2026-12-05T02:00:00.000Z');
    await importMaster({ master, clock: at, config }, await masterWorkbook({ dealers: shorter, products: DEMO_PRODUCTS, parts: DEMO_PARTS }));
    // Assess
    const d002 = (await master.load()).dealers.get('D002');
    expect(d002).toMatchObject({ return_window_days: 20, return_window_history: [{ from: '2026-11-02', days: 45 }, { from: '2026-12-01', days: 20 }] });
  });
});
