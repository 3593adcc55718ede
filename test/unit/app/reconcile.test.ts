import { beforeEach, describe, expect, it } from 'vitest';
import type { LedgerStore } from '../../../shared/app/ports.js';
import {
  fanOutReconciliation,
  planReconciliation,
  reconcileDealerOfRun,
  reconcilePeriod,
  type ReconcileDeps,
} from '../../../shared/app/reconcile.js';
import { formatYuan } from '../../../shared/domain/money.js';
import type { Dealer } from '../../../shared/domain/master.js';
import { DEMO_DEALERS } from '../../../infra/local/demo.js';
import { MemoryMasterStore, memoryDealerQueue } from '../../helpers/memory/index.js';
import { demoBackOffice, type DemoBackOffice } from '../../helpers/memory/world.js';
import { returned, shipment } from '../../helpers/ledger.js';
import { outOfWarrantyRepair } from '../../contract/fixtures.js';

/**
 * The month of test/integration/reconcile.int.test.ts, on in-memory ports:
 *   D001 borrowed 4 inlet valves on 2026-07-10 (due 2026-09-08), returned 1 → 3 × ¥35.50 = ¥106.50;
 *        10 seals lent on 2026-09-20 (due 2026-11-19) are outstanding; 10 seals given as a gift do not count;
 *   D002 (45-day window) borrowed a control board on 2026-08-01, due 2026-09-15 → ¥268.00; a special
 *        approval without return is excluded; its return on 2026-11-10 is after the as-of date;
 *   D003 bought valves (charged, excluded) and returned 2 it never borrowed → surplus 2.
 */
let office: DemoBackOffice;
let deps: ReconcileDeps;
const rendered: string[] = [];

beforeEach(async () => {
  office = await demoBackOffice('2026-11-05T02:00:00.000Z');
  rendered.length = 0;
  deps = {
    ...office,
    renderInvoice: async (invoice, { partUnits }) => {
      rendered.push(`${invoice.invoice_no} ${invoice.lines.map((l) => partUnits.get(l.part_code)).join(',')}`);
      return new TextEncoder().encode(invoice.invoice_no);
    },
  };
  await office.ledger.record('shipments', [
    shipment({ shipment_id: 'S1', line: 1, qty: 4 }),
    shipment({ shipment_id: 'S1', line: 2, part_code: 'P-SEAL-03', qty: 10, kind: 'gift' }),
    shipment({ shipment_id: 'S2', shipped_date: '2026-09-20', part_code: 'P-SEAL-03', qty: 10 }),
    shipment({ shipment_id: 'S3', shipped_date: '2026-08-01', dealer_code: 'D002', part_code: 'P-BOARD-02' }),
    shipment({ shipment_id: 'S4', shipped_date: '2026-08-01', dealer_code: 'D002', part_code: 'P-BOARD-02', kind: 'special_approval', return_required: false }),
    shipment({ shipment_id: 'S5', shipped_date: '2026-07-01', dealer_code: 'D003', qty: 2, kind: 'charged' }),
  ], 'setup');
  await office.ledger.record('returns', [
    returned({ received_date: '2026-08-15' }),
    returned({ return_id: 'R2', received_date: '2026-09-01', dealer_code: 'D003', qty: 2 }),
    returned({ return_id: 'R3', received_date: '2026-11-10', dealer_code: 'D002', part_code: 'P-BOARD-02' }),
  ], 'setup');
});

const totals = async (period: string) => Object.fromEntries((await office.invoices.byPeriod(period)).map((i) => [i.dealer.code, formatYuan(i.total)]));

describe('the monthly reconciliation', () => {
  it('charges overdue lots at the price in force on the as-of date and invoices each dealer with something to pay', async () => {
    // Act
    const result = await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-11-05' });
    // Assess
    expect(result.run).toMatchObject({ status: 'done', dealers_total: 3, dealers_done: 3, failed: [], finished_at: '2026-11-05T02:00:00.000Z' });
    expect(await totals('2026-10')).toEqual({ D001: '106.50', D002: '268.00' });
    expect(result.invoices.map((i) => i.invoice_no).sort()).toEqual(['FY-2026-10-0001', 'FY-2026-10-0002']);
    const [d001] = await office.invoices.byPeriod('2026-10', 'D001');
    expect(d001?.lines).toEqual([expect.objectContaining({ part_code: 'P-VALVE-01', qty: 3, reason: 'de_facto_possession', lot: expect.objectContaining({ shipment_id: 'S1', due_date: '2026-09-08' }) })]);
    const byDealer = Object.fromEntries(result.dealers.map((d) => [d.dealer_code, d]));
    expect(byDealer.D001?.outstanding).toEqual([expect.objectContaining({ part_code: 'P-SEAL-03', qty: 10, due_date: '2026-11-19' })]);
    expect(byDealer.D003?.surplus).toEqual([expect.objectContaining({ part_code: 'P-VALVE-01', qty: 2 })]);
  });

  it('charges nothing twice: run again for the same date it adds no invoice', async () => {
    await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-11-05' });
    const again = await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-11-05' });
    expect(again.dealers.flatMap((d) => d.new_charges)).toEqual([]);
    expect(again.invoices.map((i) => i.invoice_no).sort()).toEqual(['FY-2026-10-0001', 'FY-2026-10-0002']);
  });

  it('stores one printable workbook per invoice under a readable key, with units from the price list', async () => {
    await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-11-05' });
    await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-11-05' });
    const [invoice] = await office.invoices.byPeriod('2026-10', 'D002');
    expect(invoice?.workbook_key).toBe(`invoices/2026-10/D002-${invoice?.invoice_no}.xlsx`);
    expect(new TextDecoder().decode(await office.blobs.get('invoices', invoice!.workbook_key!))).toBe(invoice?.invoice_no);
    expect(rendered.sort()).toEqual(['FY-2026-10-0001 个', 'FY-2026-10-0002 块'].sort());
  });

  it('continues the next month from where this one left off: only newly overdue lots are charged', async () => {
    await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-11-05' });
    const november = await reconcilePeriod(deps, { period: '2026-11', as_of: '2026-12-01' });
    expect(november.invoices.map((i) => [i.dealer.code, i.invoice_no, formatYuan(i.total)])).toEqual([['D001', 'FY-2026-11-0001', '48.00']]);
  });

  it('goes on with the other dealers when one fails, and finishes the run with that failure recorded', async () => {
    // Prepare: D002's ledger cannot be read
    const failing: LedgerStore = {
      find: office.ledger.find.bind(office.ledger),
      record: office.ledger.record.bind(office.ledger),
      correct: office.ledger.correct.bind(office.ledger),
      corrections: office.ledger.corrections.bind(office.ledger),
      dealerLedger: (dealer, upTo, from) => (dealer === 'D002' ? Promise.reject(new Error('ledger unavailable')) : office.ledger.dealerLedger(dealer, upTo, from)),
    };
    // Act
    const result = await reconcilePeriod({ ...deps, ledger: failing }, { period: '2026-10', as_of: '2026-11-05' });
    // Assess
    expect(result.run).toMatchObject({ status: 'done_with_failures', dealers_done: 3, failed: [{ dealer: 'D002', error: 'ledger unavailable' }] });
    expect(await totals('2026-10')).toEqual({ D001: '106.50' });
  });

  it('flags a warranty loan for a repair the dealer itself reported as chargeable', async () => {
    // Prepare: RP-1 reported out of warranty, yet its valve was taken as a warranty loan
    const target = { dealer: 'D001', type: 'repair' as const, period: '2026-10' };
    const { version } = await office.reports.claim('repairs', target, '2026-11-02T02:00:00.000Z');
    await office.reports.writeItems(target, version, [outOfWarrantyRepair('RP-1')]);
    await office.reports.commit(target, version, { received_at: '2026-11-02T02:00:00.000Z', late: false, counts: { rows: 1, records: 1, part_lines: 0 }, source: 'repairs' });
    await office.ledger.record('shipments', [shipment({ shipment_id: 'S9', shipped_date: '2026-10-09', repair_id: 'RP-1' })], 'setup');
    // Act
    await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-11-05' });
    // Assess
    const [d001] = (await office.reconciliations.dealerResults('2026-10', '2026-11-05')).filter((d) => d.dealer_code === 'D001');
    expect(d001?.flagged_loans).toEqual([{ shipment_id: 'S9', line: 1, dealer_code: 'D001', part_code: 'P-VALVE-01', qty: 1, repair_id: 'RP-1', reason: 'out_of_warranty' }]);
  });
});

describe('a reconciliation fanned out one message per dealer', () => {
  it('records the run before the first message, and sends one message per dealer, ten to a send', async () => {
    // Prepare: 23 dealers
    const dealers: Dealer[] = Array.from({ length: 23 }, (_, i) => ({ ...DEMO_DEALERS[0]!, dealer_code: `F${String(i + 1).padStart(2, '0')}` }));
    await office.master.save({ dealers, products: [], parts: [] });
    const queue = memoryDealerQueue();
    const runsSeenAtSend: (string | undefined)[] = [];
    const send = async (messages: Parameters<typeof queue.send>[0]) => {
      runsSeenAtSend.push((await office.reconciliations.findRun('2026-10', '2026-11-05'))?.status);
      await queue.send(messages);
    };
    // Act
    const plan = await fanOutReconciliation(office, { period: '2026-10', as_of: '2026-11-05' }, send);
    // Assess
    expect(plan.run).toMatchObject({ status: 'running', dealers_total: 26, dealers_done: 0 });
    expect(queue.sends.sort((a, b) => b - a)).toEqual([10, 10, 6]);
    expect(runsSeenAtSend).toEqual(['running', 'running', 'running']);
    expect(queue.sent.map((m) => m.dealer).sort()).toEqual(plan.dealers);
    expect(new Set(queue.sent.map((m) => m.run_id))).toEqual(new Set([plan.run.run_id]));
  });

  it('counts a redelivered dealer message once, and the last dealer to report closes the run', async () => {
    // Prepare
    const plan = await planReconciliation(office, { period: '2026-10', as_of: '2026-11-05' });
    const [first, second, third] = plan.dealers.map((dealer) => ({ ...plan.run, dealer }));
    // Act
    const a = await reconcileDealerOfRun(deps, first!);
    const again = await reconcileDealerOfRun(deps, first!);
    await reconcileDealerOfRun(deps, second!);
    const last = await reconcileDealerOfRun(deps, third!);
    // Assess
    expect([a.tally, again.tally, last.tally]).toEqual(['counted', 'unchanged', 'counted']);
    expect(a.run?.status).toBe('running');
    expect(last.run).toMatchObject({ status: 'done', dealers_done: 3 });
    expect((await office.invoices.byPeriod('2026-10')).map((i) => i.dealer.code).sort()).toEqual(['D001', 'D002']);
  });

  it('records a dealer that is not in the master data as failed, and does not throw', async () => {
    const plan = await planReconciliation(office, { period: '2026-10', as_of: '2026-11-05' });
    const step = await reconcileDealerOfRun(deps, { ...plan.run, dealer: 'D999' });
    expect(step).toMatchObject({ dealer: 'D999', outcome: { status: 'failed' }, tally: 'counted', result: null });
    expect((await office.reconciliations.findRun('2026-10', '2026-11-05'))?.failed.map((f) => f.dealer)).toEqual(['D999']);
  });

  it('tells a message of a run that was replaced that it is stale, and counts it nowhere', async () => {
    const old = await planReconciliation(office, { period: '2026-10', as_of: '2026-11-05' });
    // The first run never settles (its process died): hours on, a new start replaces it.
    office.clock.set('2026-11-05T05:00:00.000Z');
    const current = await planReconciliation(office, { period: '2026-10', as_of: '2026-11-05' });
    const step = await reconcileDealerOfRun(deps, { ...old.run, dealer: 'D001' });
    expect(step.tally).toBe('stale');
    expect((await office.reconciliations.findRun('2026-10', '2026-11-05'))).toMatchObject({ run_id: current.run.run_id, dealers_done: 0 });
  });

  it('retries named dealers inside the current run of the month, and refuses a dealer not in the master data', async () => {
    const run = await planReconciliation(office, { period: '2026-10', as_of: '2026-11-05' });
    const retry = await planReconciliation(office, { period: '2026-10', as_of: '2026-11-05', dealers: ['D002', 'D002'] });
    expect(retry).toEqual({ run: run.run, dealers: ['D002'] });
    await expect(planReconciliation(office, { period: '2026-10', as_of: '2026-11-05', dealers: ['D999'] })).rejects.toThrow(/D999/);
  });

  it('closes a run with no dealers at once', async () => {
    const plan = await planReconciliation({ ...office, master: new MemoryMasterStore() }, { period: '2026-10', as_of: '2026-11-05' });
    expect(plan).toMatchObject({ dealers: [], run: { status: 'done', dealers_total: 0, finished_at: plan.run.started_at } });
  });
});
