import { beforeEach, describe, expect, it } from 'vitest';
import type { InvoiceStore } from '../../shared/app/ports.js';
import { draftInvoice } from './fixtures.js';

/**
 * What every InvoiceStore does: numbers per period without gaps, a new invoice refused when
 * the dealer's charges changed since they were read, a status change refused when the status did.
 */
export function describeInvoiceStoreContract(name: string, makeStore: () => Promise<InvoiceStore>): void {
  describe(`${name} as the invoice store`, () => {
    let store: InvoiceStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    it('numbers the invoices of a period one after the other across dealers, from 0001, and each period on its own', async () => {
      const a = await store.create('D001', '2026-10', 0, draftInvoice('D001', '2026-10'));
      const b = await store.create('D002', '2026-10', 0, draftInvoice('D002', '2026-10'));
      const c = await store.create('D001', '2026-11', 1, draftInvoice('D001', '2026-11'));
      expect([a, b, c].map((r) => (r.status === 'created' ? r.invoice.invoice_no : r.status))).toEqual(['FY-2026-10-0001', 'FY-2026-10-0002', 'FY-2026-11-0001']);
    });

    it("refuses an invoice as stale when the dealer's charges moved on since they were read, writes nothing and uses no number", async () => {
      await store.create('D001', '2026-10', 0, draftInvoice('D001', '2026-10'));
      expect(await store.create('D001', '2026-10', 0, draftInvoice('D001', '2026-10'))).toEqual({ status: 'stale' });
      const state = await store.chargeState('D001');
      expect(state.version).toBe(1);
      expect(state.invoices.map((i) => i.invoice_no)).toEqual(['FY-2026-10-0001']);
      const next = await store.create('D001', '2026-10', state.version, draftInvoice('D001', '2026-10'));
      expect(next.status === 'created' && next.invoice.invoice_no).toBe('FY-2026-10-0002');
    });

    it('lets one of two runs charging a dealer at once through, and tells the other it is stale', async () => {
      const results = await Promise.all([store.create('D001', '2026-10', 0, draftInvoice('D001', '2026-10')), store.create('D001', '2026-10', 0, draftInvoice('D001', '2026-10'))]);
      expect(results.map((r) => r.status).sort()).toEqual(['created', 'stale']);
      expect((await store.byPeriod('2026-10')).map((i) => i.invoice_no)).toEqual(['FY-2026-10-0001']);
    });

    it("gives a period's index light (number, dealer, total) in number order, its pages whole by number, and its head", async () => {
      await store.create('D002', '2026-10', 0, draftInvoice('D002', '2026-10'));
      await store.create('D001', '2026-10', 0, draftInvoice('D001', '2026-10'));
      await store.create('D001', '2026-11', 1, draftInvoice('D001', '2026-11'));
      const index = await store.periodIndex('2026-10');
      const whole = await store.byPeriod('2026-10');
      expect(index).toEqual(whole.map((i) => ({ invoice_no: i.invoice_no, dealer: i.dealer.code, total: i.total })));
      expect(index.map((i) => [i.invoice_no, i.dealer])).toEqual([['FY-2026-10-0001', 'D002'], ['FY-2026-10-0002', 'D001']]);
      expect(await store.periodPage('2026-10', undefined, 1)).toEqual({ invoices: [whole[0]], more: true });
      expect(await store.periodPage('2026-10', 'FY-2026-10-0001', 1)).toEqual({ invoices: [whole[1]], more: false });
      expect(await store.periodPage('2026-10', 'FY-2026-10-0002', 25)).toEqual({ invoices: [], more: false });
      expect(await store.periodHead('2026-10')).toEqual({ count: 2, total: whole[0]!.total + whole[1]!.total });
      expect(await store.periodHead('2026-12')).toEqual({ count: 0, total: 0 });
    });

    it("moves the period's head with an amended draft's total, and keeps a rebuilt head only while no form was numbered", async () => {
      const made = await store.create('D001', '2026-10', 0, draftInvoice('D001', '2026-10'));
      if (made.status !== 'created') throw new Error('not created');
      const amended = { ...made.invoice, total: (made.invoice.total + 500) as typeof made.invoice.total, revision: 1 };
      expect(await store.revise(made.invoice, amended)).toBe('updated');
      expect(await store.periodHead('2026-10')).toEqual({ count: 1, total: amended.total });

      expect(await store.keepPeriodHead('2026-10', { count: 1, total: amended.total })).toBe(true);
      expect(await store.keepPeriodHead('2026-10', { count: 2, total: amended.total })).toBe(false);
      expect(await store.periodHead('2026-10')).toEqual({ count: 1, total: amended.total });
    });

    it('gives the charge-state versions of a page of dealers in one read, 0 for a dealer with none', async () => {
      await store.create('D001', '2026-10', 0, draftInvoice('D001', '2026-10'));
      expect(await store.chargeVersions(['D001', 'D002'])).toEqual(new Map([['D001', 1], ['D002', 0]]));
    });

    it("gives a dealer's charge state: every invoice of every period, and version 0 before the first", async () => {
      expect(await store.chargeState('D009')).toEqual({ version: 0, invoices: [] });
      const made = await store.create('D009', '2026-10', 0, draftInvoice('D009', '2026-10'));
      await store.create('D009', '2026-11', 1, draftInvoice('D009', '2026-11'));
      const state = await store.chargeState('D009');
      expect(state.version).toBe(2);
      expect(state.invoices.map((i) => i.invoice_no)).toEqual(['FY-2026-10-0001', 'FY-2026-11-0001']);
      expect(made.status === 'created' && state.invoices[0]).toEqual(made.status === 'created' && made.invoice);
    });

    it("lists a period's invoices in number order, of every dealer or of one", async () => {
      await store.create('D002', '2026-10', 0, draftInvoice('D002', '2026-10'));
      await store.create('D001', '2026-10', 0, draftInvoice('D001', '2026-10'));
      await store.create('D001', '2026-11', 1, draftInvoice('D001', '2026-11'));
      expect((await store.byPeriod('2026-10')).map((i) => [i.invoice_no, i.dealer.code])).toEqual([
        ['FY-2026-10-0001', 'D002'],
        ['FY-2026-10-0002', 'D001'],
      ]);
      expect((await store.byPeriod('2026-10', 'D001')).map((i) => i.invoice_no)).toEqual(['FY-2026-10-0002']);
      expect(await store.byPeriod('2026-12')).toEqual([]);
    });

    it('remembers where the printable workbook of an invoice is', async () => {
      const made = await store.create('D001', '2026-10', 0, draftInvoice('D001', '2026-10'));
      if (made.status !== 'created') throw new Error('not created');
      await store.setWorkbook(made.invoice, 'invoices/2026-10/D001-FY-2026-10-0001.xlsx');
      expect((await store.byPeriod('2026-10', 'D001'))[0]?.workbook_key).toBe('invoices/2026-10/D001-FY-2026-10-0001.xlsx');
    });

    it('revises a form under its number only from the revision read, and moves the dealer\'s charge state on with it', async () => {
      // Prepare
      const made = await store.create('D001', '2026-10', 0, draftInvoice('D001', '2026-10'));
      if (made.status !== 'created') throw new Error('not created');
      const form = made.invoice;
      // Act
      const first = await store.revise(form, { ...form, status: 'issued', revision: 1 });
      const second = await store.revise(form, { ...form, status: 'archived', revision: 1 });
      const staleCharges = await store.revise({ ...form, status: 'issued', revision: 1 }, { ...form, status: 'paid', revision: 2 }, 1);
      // Assess
      expect([first, second, staleCharges]).toEqual(['updated', 'conflict', 'conflict']);
      const state = await store.chargeState('D001');
      expect(state.version).toBe(2);
      expect(state.invoices.map((i) => [i.invoice_no, i.status, i.revision])).toEqual([['FY-2026-10-0001', 'issued', 1]]);
      expect(await store.revise({ ...form, status: 'issued', revision: 1 }, { ...form, status: 'paid', revision: 2 }, 2)).toBe('updated');
    });
  });
}
