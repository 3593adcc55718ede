import { beforeEach, describe, expect, it, vi } from 'vitest';
import { allForms, formsWorkbook, listForms } from '../../../shared/app/finance/form-list.js';
import { recordPayment, setFormStatus } from '../../../shared/app/finance/form-life.js';
import { reconcilePeriod, type ReconcileDeps } from '../../../shared/app/reconcile.js';
import { inProcessReconciliationRuns, reconciliationRunStatus, startReconciliation, type ReconciliationRuns } from '../../../shared/app/reconciliation-runs.js';
import type { ReconciliationRun } from '../../../shared/app/ports.js';
import { writeInvoiceWorkbook } from '../../../shared/sheets/invoice-workbook.js';
import { writeFormListWorkbook } from '../../../shared/sheets/form-list-workbook.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../../infra/local/demo.js';
import { shipment } from '../../helpers/ledger.js';
import { caller, demoBackOffice, type DemoBackOffice } from '../../helpers/memory/world.js';
import { loadWorkbook } from '../../helpers/workbooks.js';

/**
 * Issue 25, finance's forms page: every open form across months by default, a few dealers a
 * page, filters by state, dealer (any letter case) and month; and the month-end run started
 * from the portal. D001 kept 2 valves lent 2026-08-01 (FY-2026-10-0001, ¥71.00); D003 one lent
 * 2026-09-20 (FY-2026-11-0001, ¥35.50, a month later).
 */
let office: DemoBackOffice;
let deps: ReconcileDeps & DemoBackOffice;
const finance = caller('finance');

beforeEach(async () => {
  office = await demoBackOffice('2026-11-05T02:00:00.000Z');
  deps = { ...office, renderInvoice: writeInvoiceWorkbook };
  await office.ledger.record('shipments', [shipment({ shipment_id: 'S1', shipped_date: '2026-08-01', qty: 2 }), shipment({ shipment_id: 'S2', shipped_date: '2026-09-20', dealer_code: 'D003' })], 'setup');
  await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-11-05' });
  office.clock.set('2026-12-05T02:00:00.000Z');
  await reconcilePeriod(deps, { period: '2026-11', as_of: '2026-12-05' });
  office.clock.set('2026-12-11T02:00:00.000Z');
});

const numbers = (list: { forms: readonly { invoice_no: string }[] }) => list.forms.map((f) => f.invoice_no);

describe('the forms list', () => {
  it('lists every open form of every month by default, with what each owes', async () => {
    // Act
    const list = await listForms(deps, finance, {});

    // Assess
    expect(list.forms.map((f) => [f.invoice_no, f.dealer, f.period, f.total, f.paid, f.owed, f.settlement])).toEqual([
      ['FY-2026-10-0001', 'D001', '2026-10', '71.00', '0.00', '71.00', 'owed'],
      ['FY-2026-11-0001', 'D003', '2026-11', '35.50', '0.00', '35.50', 'owed'],
    ]);
  });

  it('keeps a part-paid form open, moves a paid one to paid, and a voided one to void', async () => {
    // Prepare
    await recordPayment(deps, finance, 'FY-2026-10-0001', { amount: '30.00', date: '2026-12-07' });
    await setFormStatus(deps, finance, 'FY-2026-11-0001', 'void', 'lost in transit');

    // Act
    const open = await listForms(deps, finance, {});
    const voided = await listForms(deps, finance, { state: 'void' });
    await recordPayment(deps, finance, 'FY-2026-10-0001', { amount: '41.00', date: '2026-12-08' });
    const paid = await listForms(deps, finance, { state: 'paid' });

    // Assess
    expect(open.forms.map((f) => [f.invoice_no, f.owed, f.settlement])).toEqual([['FY-2026-10-0001', '41.00', 'part_paid']]);
    expect(numbers(voided)).toEqual(['FY-2026-11-0001']);
    expect(numbers(paid)).toEqual(['FY-2026-10-0001']);
    expect(numbers(await listForms(deps, finance, {}))).toEqual([]);
  });

  it('finds a dealer whatever the letter case, and narrows by month', async () => {
    // Act
    const lower = await listForms(deps, finance, { dealer: 'd003' });
    const october = await listForms(deps, finance, { period: '2026-10' });

    // Assess
    expect(numbers(lower)).toEqual(['FY-2026-11-0001']);
    expect(lower.dealer).toBe('D003');
    expect(numbers(october)).toEqual(['FY-2026-10-0001']);
  });

  it('shows a dealer its own forms only, and refuses it another’s', async () => {
    // Act
    const own = await listForms(deps, caller('dealer', 'D001'), {});
    const other = listForms(deps, caller('dealer', 'D001'), { dealer: 'D003' });

    // Assess
    expect(numbers(own)).toEqual(['FY-2026-10-0001']);
    await expect(other).rejects.toMatchObject({ code: 'forbidden' });
    await expect(listForms(deps, caller('warehouse'), {})).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('reads at most three dealers a page and walks on with the cursor to the last', async () => {
    // Prepare
    const more = ['D004', 'D005', 'D006', 'D007'].map((code) => ({ ...DEMO_DEALERS[2]!, dealer_code: code, dealer_name: code }));
    await office.master.save({ dealers: [...DEMO_DEALERS, ...more], products: DEMO_PRODUCTS, parts: DEMO_PARTS });

    // Act
    const pages = [];
    let cursor: string | undefined;
    do {
      const page = await listForms(deps, finance, { state: 'all' }, cursor);
      pages.push(page);
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined);

    // Assess
    expect(pages.map((p) => p.dealers_read)).toEqual([['D001', 'D002', 'D003'], ['D004', 'D005', 'D006'], ['D007']]);
    expect(pages.flatMap(numbers)).toEqual(numbers({ forms: await allForms(deps, finance, { state: 'all' }) }));
  });

  it('exports the list as a workbook, one row a form and a total', async () => {
    // Act
    const { fileName, bytes } = await formsWorkbook({ ...deps, renderFormList: writeFormListWorkbook }, finance, { dealer: 'd001' });

    // Assess
    expect(fileName).toBe('forms-open-D001.xlsx');
    const sheet = (await loadWorkbook(bytes)).worksheets[0]!;
    const values = sheet.getSheetValues().flat().map(String);
    expect(values).toContain('FY-2026-10-0001');
    expect(values).toContain('71');
  });
});

describe('the month-end run from the portal', () => {
  const runOf = (period: string, as_of: string): ReconciliationRun => ({
    period, as_of, run_id: 'r1', status: 'running', dealers_total: 3, dealers_done: 0, failed: [], started_at: '2026-12-11T02:00:00.000Z', finished_at: null,
  });

  it('starts the run as of today’s business date and reports its progress', async () => {
    // Prepare: 2026-12-11 20:00 UTC is already the 12th in Shanghai.
    office.clock.set('2026-12-11T20:00:00.000Z');
    const started: { period: string; as_of: string }[] = [];
    const runs: ReconciliationRuns = { start: async (input) => (started.push(input), runOf(input.period, input.as_of)) };

    // Act
    const answer = await startReconciliation({ ...office, reconciliationRuns: runs }, finance, '2026-11');

    // Assess
    expect(started).toEqual([{ period: '2026-11', as_of: '2026-12-12' }]);
    expect(answer).toMatchObject({ status: 'running', dealers_total: 3, dealers_done: 0 });
  });

  it('refuses a portal start while a run of the month is in progress, the schedule’s or the portal’s, naming it; replaces one abandoned; refuses a dealer', async () => {
    // Prepare: a run of November as of the 12th, started an hour ago and still running.
    office.clock.set('2026-12-12T03:00:00.000Z');
    await office.reconciliations.saveRun({ ...runOf('2026-11', '2026-12-12'), started_at: '2026-12-12T02:00:00.000Z' });
    const runs = inProcessReconciliationRuns(deps, (error) => {
      throw error;
    });

    // Act and assess: the portal's start as of the same date or a later one
    for (const asOf of ['2026-12-12', '2026-12-13']) {
      await expect(startReconciliation({ ...office, reconciliationRuns: runs }, finance, '2026-11', asOf)).rejects.toMatchObject({ code: 'conflict', run: { period: '2026-11', as_of: '2026-12-12', run_id: 'r1' } });
    }
    expect((await office.reconciliations.findRun('2026-11', '2026-12-12'))?.run_id).toBe('r1');
    await expect(startReconciliation({ ...office, reconciliationRuns: runs }, caller('dealer', 'D001'), '2026-11', '2026-12-12')).rejects.toMatchObject({ code: 'forbidden' });

    // Act and assess: three hours on, the run that never settled is taken as abandoned
    office.clock.set('2026-12-12T05:00:00.000Z');
    expect(await startReconciliation({ ...office, reconciliationRuns: runs }, finance, '2026-11', '2026-12-12')).toMatchObject({ status: 'running', dealers_total: 3 });
    await vi.waitFor(async () => expect((await reconciliationRunStatus(office, finance, '2026-11', '2026-12-12')).status).toBe('done'));
  });

  it('lets the schedule or an operator take over a run of the month still recorded as running: the way back from a run that died', async () => {
    // Prepare: a run of November as of the 12th, started an hour ago and never settled.
    office.clock.set('2026-12-12T03:00:00.000Z');
    await office.reconciliations.saveRun({ ...runOf('2026-11', '2026-12-12'), started_at: '2026-12-12T02:00:00.000Z' });

    // Act
    const result = await reconcilePeriod(deps, { period: '2026-11', as_of: '2026-12-12' });

    // Assess
    expect(result.run).toMatchObject({ status: 'done', dealers_done: 3 });
    expect(result.run.run_id).not.toBe('r1');
  });

  it('runs every dealer in this process where no queue is configured, and the status follows it to done', async () => {
    // Prepare
    const runs = inProcessReconciliationRuns(deps, (error) => {
      throw error;
    });

    // Act
    const answer = await startReconciliation({ ...office, reconciliationRuns: runs }, finance, '2026-11', '2026-12-12');

    // Assess
    expect(answer).toMatchObject({ status: 'running', dealers_total: 3 });
    await vi.waitFor(async () => expect((await reconciliationRunStatus(office, finance, '2026-11', '2026-12-12')).status).toBe('done'));
    expect(await reconciliationRunStatus(office, finance, '2026-11', '2026-12-12')).toMatchObject({ dealers_done: 3, dealers_total: 3, failed: 0 });
    expect((await reconciliationRunStatus(office, finance, '2026-09', '2026-12-12')).status).toBe('none');
  });
});
