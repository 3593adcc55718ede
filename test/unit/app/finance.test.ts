import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { consolidatedList, consolidatedWorkbook, invoiceConsolidated } from '../../../shared/app/finance/consolidated.js';
import { correctLedgerLine } from '../../../shared/app/finance/corrections.js';
import { chargeFlaggedLoan } from '../../../shared/app/finance/flagged-loans.js';
import { dealerBalances, formLife, movePayment, recordPayment, refundPayment, setFormStatus, setFormTax } from '../../../shared/app/finance/form-life.js';
import { reconcilePeriod, type ReconcileDeps } from '../../../shared/app/reconcile.js';
import { listInvoices } from '../../../shared/app/invoices.js';
import { rebuildReadModels } from '../../../shared/app/read-models.js';
import type { MemoryInvoiceStore } from '../../helpers/memory/invoice-store.js';
import type { MemoryJournalStore } from '../../helpers/memory/journal-store.js';
import { formatYuan } from '../../../shared/domain/money.js';
import type { NoticeEvent } from '../../../shared/domain/notices.js';
import { writeInvoiceWorkbook } from '../../../shared/sheets/invoice-workbook.js';
import { returned, shipment } from '../../helpers/ledger.js';
import { caller, demoBackOffice, type DemoBackOffice } from '../../helpers/memory/world.js';
import { DEMO_DEALERS } from '../../../infra/local/demo.js';
import { loadWorkbook } from '../../helpers/workbooks.js';
import { outOfWarrantyRepair } from '../../contract/fixtures.js';

/**
 * The month of issue 12, on in-memory ports (valves at ¥35.50):
 *   S1: 2 valves to D001 shipped 2026-08-01, due 09-30, charged as of 11-05 (¥71.00); their return,
 *       received 09-20, is recorded only afterwards → credited at the next run;
 *   S2: 5 valves recorded for 2 shipped 2026-10-01 (due 11-30), corrected to 2 and returned 11-25 → never charged;
 *   S3: 1 seal shipped 2026-08-15 (due 10-14), recorded late → the second run amends the draft.
 */
let office: DemoBackOffice;
let deps: ReconcileDeps & DemoBackOffice;
const finance = caller('finance');

beforeEach(async () => {
  office = await demoBackOffice('2026-11-05T02:00:00.000Z');
  deps = { ...office, renderInvoice: writeInvoiceWorkbook };
  await office.ledger.record('shipments', [shipment({ shipment_id: 'S1', shipped_date: '2026-08-01', qty: 2 })], 'setup');
});

const forms = async (period: string) =>
  (await office.invoices.byPeriod(period)).map((i) => [i.invoice_no, i.kind, formatYuan(i.total), i.corrects ?? null]);

describe('the month of issue 12', () => {
  it('credits a return recorded late, amends the draft, never charges a corrected typo, and keeps the numbering gapless', async () => {
    // Prepare
    await office.ledger.record('shipments', [shipment({ shipment_id: 'S2', shipped_date: '2026-10-01', qty: 5 })], 'setup');
    await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-11-05' });
    await correctLedgerLine(office, caller('admin'), { type: 'shipments', id: 'S2', line: 1, qty: 2, reason: '5 typed for 2' });
    await office.ledger.record('returns', [returned({ return_id: 'R1', received_date: '2026-09-20', qty: 2 }), returned({ return_id: 'R2', received_date: '2026-11-25', qty: 2 })], 'late');
    await office.ledger.record('shipments', [shipment({ shipment_id: 'S3', shipped_date: '2026-08-15', part_code: 'P-SEAL-03' })], 'late');

    // Act
    await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-12-05' });
    const again = await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-12-05' });

    // Assess
    expect(await forms('2026-10')).toEqual([
      ['FY-2026-10-0001', 'possession', '75.80', null],
      ['FY-2026-10-0002', 'credit_note', '-71.00', 'FY-2026-10-0001'],
    ]);
    const [draft] = again.invoices;
    expect(draft?.revision).toBe(1);
    expect(draft?.lines.map((l) => [l.lot?.lot_id, l.qty])).toEqual([['S1#1', 2], ['S3#1', 1]]);
    expect(again.invoices).toHaveLength(2);
  });

  it('tells the dealer and finance of the credit note, once, however often the run is repeated', async () => {
    // Prepare
    const told: NoticeEvent[] = [];
    const telling = { ...deps, notices: { tell: async (event: NoticeEvent) => told.push(event) } };
    await reconcilePeriod(telling, { period: '2026-10', as_of: '2026-11-05' });
    await office.ledger.record('returns', [returned({ return_id: 'R1', received_date: '2026-09-20', qty: 2 })], 'late');

    // Act
    await reconcilePeriod(telling, { period: '2026-10', as_of: '2026-12-05' });
    await reconcilePeriod(telling, { period: '2026-10', as_of: '2026-12-05' });

    // Assess
    expect(told).toEqual([{ kind: 'credit_note', dealer: 'D001', invoice_no: 'FY-2026-10-0002', corrects: 'FY-2026-10-0001', period: '2026-10', total: -7100 }]);
  });

  it('refuses a run of the period at an earlier as-of date than its last run, in both languages', async () => {
    // Prepare
    await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-11-20' });

    // Act
    const earlier = reconcilePeriod(deps, { period: '2026-10', as_of: '2026-11-05' });

    // Assess
    await expect(earlier).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('2026-11-20'), message_zh: expect.stringContaining('2026-11-20') });
  });

  it('puts new charges on a supplement naming the form once it was issued', async () => {
    // Prepare
    await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-11-05' });
    await setFormStatus(deps, finance, 'FY-2026-10-0001', 'issued');
    await office.ledger.record('shipments', [shipment({ shipment_id: 'S3', shipped_date: '2026-08-15' })], 'late');

    // Act
    await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-12-05' });

    // Assess
    expect(await forms('2026-10')).toEqual([
      ['FY-2026-10-0001', 'possession', '71.00', null],
      ['FY-2026-10-0002', 'supplement', '35.50', 'FY-2026-10-0001'],
    ]);
  });
});

describe('the fee form after the run', () => {
  beforeEach(async () => {
    await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-11-05' });
    // Finance works on the form in December: payments are dated then, never in the future.
    office.clock.set('2026-12-11T02:00:00.000Z');
  });

  it('renders the workbook again when finance marks the form issued: it says issued, by whom and when', async () => {
    // Act
    const form = await setFormStatus(deps, finance, 'FY-2026-10-0001', 'issued');

    // Assess
    const sheet = (await loadWorkbook(await office.blobs.get('invoices', form.workbook as string))).worksheets[0];
    const status = String(sheet?.getCell('H4').value);
    expect(status).toContain('已开具 Issued');
    expect(status).toContain('finance-user');
    expect(form.history.map((h) => h.status)).toEqual(['draft', 'issued']);
  });

  it('voids a draft with a reason and waives its units; refuses a void without a reason', async () => {
    // Act
    await expect(setFormStatus(deps, finance, 'FY-2026-10-0001', 'void')).rejects.toMatchObject({ code: 'invalid', message_zh: expect.stringContaining('原因') });
    const voided = await setFormStatus(deps, finance, 'FY-2026-10-0001', 'void', 'dealer proved the parts were lost in transit');
    const later = await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-12-05' });

    // Assess
    expect(voided.status).toBe('void');
    expect(later.invoices.map((i) => [i.invoice_no, i.status])).toEqual([['FY-2026-10-0001', 'void']]);
    expect(later.dealers.find((d) => d.dealer_code === 'D001')?.lots[0]).toMatchObject({ status: 'waived', waived: 2 });
    await expect(setFormStatus(deps, finance, 'FY-2026-10-0001', 'issued')).rejects.toMatchObject({ code: 'conflict' });
  });

  it('refuses a void of a tax-invoiced form: it is corrected by a credit note', async () => {
    // Prepare
    await setFormStatus(deps, finance, 'FY-2026-10-0001', 'issued');
    await setFormTax(deps, finance, 'FY-2026-10-0001', { number: 'TAX-1', date: '2026-12-10' });

    // Act
    const voiding = setFormStatus(deps, finance, 'FY-2026-10-0001', 'void', 'too late');

    // Assess
    await expect(voiding).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('credit note') });
  });

  it('records a part payment, leaves the balance, and pays the form once covered', async () => {
    // Act
    const part = await recordPayment(deps, finance, 'FY-2026-10-0001', { amount: '30.00', date: '2026-12-10', reference: 'TX-1' });
    const { dealers } = await dealerBalances(office, caller('dealer', 'D001'));
    const rest = await recordPayment(deps, finance, 'FY-2026-10-0001', { amount: '41.00', date: '2026-12-11' });

    // Assess
    expect([part.paid, part.owed, part.status, part.settlement]).toEqual(['30.00', '41.00', 'draft', 'part_paid']);
    expect(dealers).toEqual([expect.objectContaining({ dealer: 'D001', charged: '71.00', paid: '30.00', credited: '0.00', refunded: '0.00', balance: '41.00' })]);
    expect([rest.owed, rest.status, rest.settlement]).toEqual(['0.00', 'draft', 'paid']);
  });

  it('tells the dealer and finance of the form issued and of each payment, with what is still owed', async () => {
    // Prepare
    const told: NoticeEvent[] = [];
    const telling = { ...deps, notices: { tell: async (event: NoticeEvent) => told.push(event) } };

    // Act
    await setFormTax(telling, finance, 'FY-2026-10-0001', { to: 'archive' });
    await setFormStatus(telling, finance, 'FY-2026-10-0001', 'issued');
    await recordPayment(telling, finance, 'FY-2026-10-0001', { amount: '30.00', date: '2026-12-10' });
    await recordPayment(telling, finance, 'FY-2026-10-0001', { amount: '41.00', date: '2026-12-11' });

    // Assess
    expect(told).toEqual([
      { kind: 'form_issued', dealer: 'D001', invoice_no: 'FY-2026-10-0001', period: '2026-10', total: 7100 },
      { kind: 'payment_recorded', dealer: 'D001', invoice_no: 'FY-2026-10-0001', payment_id: '1', amount: 3000, owed: 4100, date: '2026-12-10' },
      { kind: 'payment_recorded', dealer: 'D001', invoice_no: 'FY-2026-10-0001', payment_id: '2', amount: 4100, owed: 0, date: '2026-12-11' },
    ]);
  });

  it('refuses a payment larger than what is owed, and one on a void form', async () => {
    // Act
    const tooMuch = recordPayment(deps, finance, 'FY-2026-10-0001', { amount: '71.01', date: '2026-12-10' });
    await expect(tooMuch).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('71.00 owed') });
    await setFormStatus(deps, finance, 'FY-2026-10-0001', 'void', 'waived');
    const onVoid = recordPayment(deps, finance, 'FY-2026-10-0001', { amount: '1.00', date: '2026-12-10' });

    // Assess
    await expect(onVoid).rejects.toMatchObject({ code: 'conflict', message_zh: expect.stringContaining('作废') });
  });

  it('of two finance users changing one form at once, one wins and the other, acting on what it read before, is told to reload', async () => {
    // Prepare
    const readBefore = await office.invoices.byPeriod('2026-10');
    const secondUser = { ...deps, invoices: Object.assign(Object.create(office.invoices), { byPeriod: async () => readBefore }) };

    // Act
    await setFormStatus(deps, finance, 'FY-2026-10-0001', 'issued');
    const second = await setFormTax(secondUser, finance, 'FY-2026-10-0001', { to: 'archive' }).catch((error: unknown) => error);

    // Assess
    expect(second).toMatchObject({ code: 'conflict', message: expect.stringContaining('reload') });
    expect((await office.invoices.byPeriod('2026-10'))[0]).toMatchObject({ status: 'issued', revision: 1 });
  });

  it('refuses "paid" and "archived" as statuses, saying what to do instead', async () => {
    await expect(setFormStatus(deps, finance, 'FY-2026-10-0001', 'paid')).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('payments record FY-2026-10-0001') });
    await expect(setFormStatus(deps, finance, 'FY-2026-10-0001', 'archived')).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('invoices tax FY-2026-10-0001 archive') });
  });

  it('refuses a payment dated before the form or more than a day ahead', async () => {
    await expect(recordPayment(deps, finance, 'FY-2026-10-0001', { amount: '1.00', date: '2026-11-04' })).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining("before the form's date 2026-11-05") });
    await expect(recordPayment(deps, finance, 'FY-2026-10-0001', { amount: '1.00', date: '2026-12-13' })).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('future') });
    expect((await recordPayment(deps, finance, 'FY-2026-10-0001', { amount: '1.00', date: '2026-12-12' })).paid).toBe('1.00');
  });

  it('refuses to void a form with money on it, naming the payment; once moved to another form the void goes through and the payment is not lost', async () => {
    // Prepare: a second form of the dealer, a supplement
    await setFormStatus(deps, finance, 'FY-2026-10-0001', 'issued');
    await office.ledger.record('shipments', [shipment({ shipment_id: 'S5', shipped_date: '2026-08-20', qty: 1 })], 'setup');
    await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-12-05' });
    await recordPayment(deps, finance, 'FY-2026-10-0001', { amount: '30.00', date: '2026-12-10', reference: 'TX-30' });

    // Act
    const refused = await setFormStatus(deps, finance, 'FY-2026-10-0001', 'void', 'wrong dealer').catch((error: unknown) => error);
    const moved = await movePayment(deps, finance, 'FY-2026-10-0001', { to: 'FY-2026-10-0002', reason: 'paid for the supplement' });
    const voided = await setFormStatus(deps, finance, 'FY-2026-10-0001', 'void', 'wrong dealer');
    const { dealers } = await dealerBalances(office, finance, 'D001');

    // Assess
    expect(refused).toMatchObject({ code: 'conflict', message: expect.stringContaining('payment 30.00 on 2026-12-10 (TX-30)') });
    expect([moved.from.paid, moved.to.paid, moved.to.owed]).toEqual(['0.00', '30.00', '5.50']);
    expect(voided.status).toBe('void');
    expect(dealers[0]).toMatchObject({ charged: '35.50', paid: '30.00', balance: '5.50' });
  });

  it('refunds from what was paid, never more', async () => {
    await recordPayment(deps, finance, 'FY-2026-10-0001', { amount: '71.00', date: '2026-12-10' });
    await expect(refundPayment(deps, finance, 'FY-2026-10-0001', { amount: '71.01', date: '2026-12-11', reason: 'x' })).rejects.toMatchObject({ code: 'conflict' });
    const refunded = await refundPayment(deps, finance, 'FY-2026-10-0001', { amount: '71.00', date: '2026-12-11', reason: 'paid twice by the bank' });
    expect([refunded.paid, refunded.refunded, refunded.owed, refunded.settlement]).toEqual(['71.00', '71.00', '71.00', 'owed']);
    expect((await setFormStatus(deps, finance, 'FY-2026-10-0001', 'void', 'waived after refund')).status).toBe('void');
  });
});

describe('ledger corrections', () => {
  it('refuses a line that does not exist (404) and a negative quantity, in both languages; a warehouse user may not correct shipments', async () => {
    await expect(correctLedgerLine(office, caller('admin'), { type: 'shipments', id: 'S9', line: 1, qty: 1, reason: 'x' })).rejects.toMatchObject({ code: 'not_found', message_zh: expect.stringContaining('S9') });
    await expect(correctLedgerLine(office, caller('admin'), { type: 'shipments', id: 'S1', line: 1, qty: -1, reason: 'x' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(correctLedgerLine(office, caller('warehouse'), { type: 'shipments', id: 'S1', line: 1, qty: 1, reason: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('keeps the line as recorded and shows every correction with who and when', async () => {
    // Prepare
    await office.ledger.record('shipments', [shipment({ shipment_id: 'S2', shipped_date: '2026-10-01', qty: 5 })], 'setup');

    // Act
    await correctLedgerLine(office, caller('admin'), { type: 'shipments', id: 'S2', line: 1, qty: 3, reason: 'first try' });
    const history = await correctLedgerLine(office, caller('admin'), { type: 'shipments', id: 'S2', line: 1, qty: 2, reason: 'typo' });

    // Assess
    expect(history).toMatchObject({ original_qty: 5, qty: 2 });
    expect(history.corrections.map((c) => [c.previous_qty, c.qty, c.by])).toEqual([[5, 3, 'admin-user'], [3, 2, 'admin-user']]);
    expect((await office.ledger.find('shipments', [{ id: 'S2', line: 1 }])).get('S2#1')?.qty).toBe(5);
  });
});

describe('consolidated invoicing and flagged loans', () => {
  it('lists the archived forms of a dealer across periods with their total, and issuing the list issues them all', async () => {
    // Prepare: one form archived in October, one in November
    await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-11-05' });
    await office.ledger.record('shipments', [shipment({ shipment_id: 'S4', shipped_date: '2026-09-01', part_code: 'P-SEAL-03', qty: 2 })], 'setup');
    await reconcilePeriod(deps, { period: '2026-11', as_of: '2026-12-05' });
    office.clock.set('2026-12-11T02:00:00.000Z');
    await setFormTax(deps, finance, 'FY-2026-10-0001', { to: 'archive' });
    await setFormTax(deps, finance, 'FY-2026-11-0001', { to: 'archive' });
    await recordPayment(deps, finance, 'FY-2026-10-0001', { amount: '71.00', date: '2026-12-10' });

    // Act
    const list = await consolidatedList(office, finance, 'D001');
    const workbook = await consolidatedWorkbook(deps, finance, 'D001');
    const issued = await invoiceConsolidated(deps, finance, 'D001', { number: 'TAX-2026-77', date: '2026-12-11' });

    // Assess
    expect(list).toMatchObject({ count: 2, total: '80.60', total_in_words: '捌拾元陆角' });
    expect(list.forms.map((f) => f.invoice_no)).toEqual(['FY-2026-10-0001', 'FY-2026-11-0001']);
    const sheet = (await loadWorkbook(workbook.bytes)).worksheets[0];
    expect(sheet?.getCell('A1').value).toBe('合并开票清单 D001 华东卫浴服务中心');
    expect(list.forms.map((f) => f.settlement)).toEqual(['paid', 'owed']);
    expect(issued.invoiced).toEqual(['FY-2026-10-0001', 'FY-2026-11-0001']);
    expect((await consolidatedList(office, finance, 'D001')).count).toBe(0);
    expect((await formLife(office, finance, 'FY-2026-10-0001'))).toMatchObject({ tax: 'invoiced', tax_invoice: { number: 'TAX-2026-77', date: '2026-12-11' }, settlement: 'paid' });
    await expect(invoiceConsolidated(deps, finance, 'D001', { number: 'TAX-2026-78', date: '2026-12-11' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('charges a flagged loan on the dealer\'s form of the period, naming the repair, and the run never charges it again', async () => {
    // Prepare: RP-1 reported out of warranty, yet its valve went out as a warranty loan
    const target = { dealer: 'D001', type: 'repair' as const, period: '2026-10' };
    const { version } = await office.reports.claim('repairs', target, '2026-11-02T02:00:00.000Z');
    await office.reports.writeItems(target, version, [outOfWarrantyRepair('RP-1')]);
    await office.reports.commit(target, version, { received_at: '2026-11-02T02:00:00.000Z', late: false, counts: { rows: 1, records: 1, part_lines: 0 }, source: 'repairs' });
    await office.ledger.record('shipments', [shipment({ shipment_id: 'S9', shipped_date: '2026-10-09', repair_id: 'RP-1' })], 'setup');

    // Act
    const refused = await chargeFlaggedLoan(deps, caller('admin'), { shipment_id: 'S1', line: 1, period: '2026-11' }).catch((error: unknown) => error);
    const otherPeriod = await chargeFlaggedLoan(deps, caller('admin'), { shipment_id: 'S9', line: 1, period: '2099-12' }).catch((error: unknown) => error);
    const form = await chargeFlaggedLoan(deps, caller('admin'), { shipment_id: 'S9', line: 1, period: '2026-11' });
    const run = await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-12-20' });

    // Assess
    expect(refused).toMatchObject({ code: 'conflict', message_zh: expect.stringContaining('待核查借料') });
    expect(otherPeriod).toMatchObject({ code: 'invalid', message: expect.stringContaining('period must be 2026-11') });
    expect(form.lines).toEqual([expect.objectContaining({ reason: 'flagged_loan', qty: 1, amount: '35.50' })]);
    expect(form.workbook).toBe('invoices/2026-11/D001-FY-2026-11-0001.xlsx');
    expect(await office.blobs.get('invoices', form.workbook as string)).toBeInstanceOf(Uint8Array);
    expect(run.invoices.flatMap((i) => i.lines.map((l) => [l.reason, l.lot?.lot_id]))).toEqual([['de_facto_possession', 'S1#1']]);
    expect(run.dealers.find((d) => d.dealer_code === 'D001')?.lots.find((l) => l.lot_id === 'S9#1')).toMatchObject({ status: 'charged', charged: 1 });
  });
});

describe('every dealer\'s balance, a page at a time', () => {
  it('gives each dealer exactly once across the pages, in code order, none over the page size', async () => {
    const codes = fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9_-]{1,6}$/), { minLength: 0, maxLength: 30 });
    await fc.assert(
      fc.asyncProperty(codes, fc.integer({ min: 1, max: 12 }), async (dealers, limit) => {
        const world = await demoBackOffice();
        const template = DEMO_DEALERS[0]!;
        await world.master.save({ dealers: dealers.map((dealer_code) => ({ ...template, dealer_code })), products: [], parts: [] });
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages < 100; pages++) {
          const page = await dealerBalances(world, finance, undefined, { limit, ...(cursor !== undefined && { cursor }) });
          expect(page.dealers.length).toBeLessThanOrEqual(limit);
          seen.push(...page.dealers.map((d) => d.dealer));
          if (page.next_cursor === null) break;
          cursor = page.next_cursor;
        }
        expect(seen).toEqual([...new Set([...dealers, ...DEMO_DEALERS.map((d) => d.dealer_code)])].sort());
      }),
      { numRuns: 40 },
    );
  });

  it('gives every dealer on one page when none is asked for (the CLI pages itself), and refuses a cursor it did not give', async () => {
    const all = await dealerBalances(office, finance);
    expect([all.dealers.map((d) => d.dealer), all.next_cursor]).toEqual([['D001', 'D002', 'D003'], null]);
    await expect(dealerBalances(office, finance, undefined, { cursor: 'eyJhZnRlciI6MX0' })).rejects.toMatchObject({ code: 'invalid', message_zh: expect.stringContaining('翻页标记') });
  });
});

describe('data taken in before the heads were kept', () => {
  it("works the balances and a period's count and total out from the entries and the index until `read-models rebuild` keeps the heads; the answers never change", async () => {
    // Prepare: a run's forms and a payment, then the heads forgotten as if written by code that kept none.
    await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-11-05' });
    await recordPayment(deps, finance, 'FY-2026-10-0001', { amount: '20.00', date: '2026-11-05' });
    const page = async () => ({ balances: await dealerBalances(office, finance, undefined, {}), forms: await listInvoices(office, finance, '2026-10', undefined, {}) });
    const before = await page();
    (office.invoices as MemoryInvoiceStore).forgetPeriodHead('2026-10');
    (office.journal as MemoryJournalStore).forgetHeads('D001');
    expect(await office.invoices.periodHead('2026-10')).toBeUndefined();
    expect((await office.journal.heads(['D001'])).dealers.size).toBe(0);

    // Act, Assess: read without the heads, then rebuilt
    expect(await page()).toEqual(before);
    const rebuilt = await rebuildReadModels(office, '2026-10', '2026-10');
    expect(rebuilt).toMatchObject({ period_heads_kept: 1, journal_heads_checked: 3 });
    expect(await office.invoices.periodHead('2026-10')).toEqual({ count: before.forms.count, total: before.forms.total_fen });
    expect((await office.journal.heads(['D001'])).dealers.get('D001')).toMatchObject({ paid: 2000, forms: 1 });
    expect(await page()).toEqual(before);
  });
});
