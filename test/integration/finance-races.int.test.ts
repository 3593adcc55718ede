import { beforeAll, describe, expect, it } from 'vitest';
import type { BackOfficeConfig } from '../../shared/config.js';
import { createAdapters, type Adapters } from '../../shared/compose.js';
import { correctLedgerLine } from '../../shared/app/finance/corrections.js';
import { recordPayment, setFormStatus, setFormTax, type FormDeps } from '../../shared/app/finance/form-life.js';
import { reconcileOneDealer, reconcilePeriod, type ReconcileDeps } from '../../shared/app/reconcile.js';
import type { LedgerStore } from '../../shared/app/ports.js';
import { formatYuan } from '../../shared/domain/money.js';
import { writeInvoiceWorkbook } from '../../shared/sheets/invoice-workbook.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { freshStack } from '../helpers/local-stack.js';
import { returned, shipment } from '../helpers/ledger.js';
import { caller } from '../helpers/memory/world.js';

/**
 * The races of issue 12 on DynamoDB Local: two finance users changing one form at once, and a
 * reconciliation reading the ledger while a correction is recorded.
 */
let config: BackOfficeConfig;
let adapters: Adapters;
let deps: ReconcileDeps & FormDeps;

beforeAll(async () => {
  config = await freshStack();
  adapters = createAdapters(config);
  deps = { ...adapters, config, renderInvoice: writeInvoiceWorkbook };
  await adapters.master.save({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
  await adapters.ledger.record('shipments', [
    shipment({ shipment_id: 'S1', shipped_date: '2026-08-01', qty: 2 }),
    shipment({ shipment_id: 'S2', shipped_date: '2026-08-01', dealer_code: 'D002', part_code: 'P-BOARD-02', qty: 3 }),
  ], 'setup');
  await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-11-05' });
}, 120_000);

describe('races on one form and one ledger', () => {
  it('lets one of two finance users changing one form at once through; the other, acting on what it read before, is told to reload (409)', async () => {
    // Prepare: the second user read the form before the first changed it.
    const [form] = await adapters.invoices.byPeriod('2026-10', 'D001');
    if (form === undefined) throw new Error('no form');
    const readBefore = await adapters.invoices.byPeriod('2026-10');
    const secondUser = { ...deps, invoices: Object.assign(Object.create(adapters.invoices), { byPeriod: async () => readBefore }) };

    // Act
    const first = await setFormTax(deps, caller('finance'), form.invoice_no, { to: 'archive' });
    const second = await setFormStatus(secondUser, caller('finance'), form.invoice_no, 'issued').catch((error: unknown) => error);

    // Assess
    expect(first.tax).toBe('archived');
    expect(second).toMatchObject({ code: 'conflict', message_zh: expect.stringContaining('刷新') });
    const [after] = await adapters.invoices.byPeriod('2026-10', 'D001');
    expect([after?.status, after?.tax, after?.revision]).toEqual(['draft', 'archived', 1]);
  });

  it('of two payments at once that together are more than is owed, records one and refuses the other: payments never exceed what is owed', async () => {
    // Prepare
    const [form] = await adapters.invoices.byPeriod('2026-10', 'D001');
    if (form === undefined) throw new Error('no form');
    const half = formatYuan(Math.ceil((form.total * 0.6) / 100) * 100 as typeof form.total);

    // Act
    const outcomes = await Promise.allSettled([0, 1, 2].map(() => recordPayment(deps, caller('finance'), form.invoice_no, { amount: half, date: '2026-12-01' })));

    // Assess
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected', 'rejected']);
    const journal = await adapters.journal.read('D001');
    expect(journal.entries.filter((e) => e.type === 'payment').map((e) => -e.amount)).toEqual([Math.ceil((form.total * 0.6) / 100) * 100]);
  });

  it('makes a run that read the ledger before a correction read it again: the correction is never invoiced from stale facts', async () => {
    // Prepare: the correction lands between the run's read of the ledger and its write.
    const dealer = DEMO_DEALERS.find((d) => d.dealer_code === 'D002')!;
    const master = await adapters.master.load();
    let corrected = false;
    const ledger: LedgerStore = Object.assign(Object.create(adapters.ledger) as LedgerStore, {
      dealerLedger: async (code: string, upTo: string, from?: string) => {
        const read = await adapters.ledger.dealerLedger(code, upTo, from);
        if (!corrected) {
          corrected = true;
          await correctLedgerLine(adapters, caller('admin'), { type: 'shipments', id: 'S2', line: 1, qty: 1, reason: 'typed 3 for 1' });
        }
        return read;
      },
    });
    await adapters.ledger.record('returns', [returned({ return_id: 'R2', dealer_code: 'D002', part_code: 'P-BOARD-02', received_date: '2026-09-01' })], 'late');

    // Act
    const result = await reconcileOneDealer({ ...deps, ledger }, master, dealer, '2026-10', '2026-12-05');

    // Assess: charged 3 as of 11-05; now 1 shipped and 1 returned in time → all 3 credited, once.
    expect(result.forms.map((f) => [f.kind, formatYuan(f.total)])).toEqual([['credit_note', '-804.00']]);
    const again = await reconcileOneDealer(deps, master, dealer, '2026-10', '2026-12-05');
    expect(again.forms).toEqual([]);
  });
});
