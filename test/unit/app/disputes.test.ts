import { beforeEach, describe, expect, it } from 'vitest';
import { dealerBalances, setFormStatus } from '../../../shared/app/finance/form-life.js';
import { decideFormDispute, disputeList, raiseFormDispute } from '../../../shared/app/quality/disputes.js';
import { reconcilePeriod, type ReconcileDeps } from '../../../shared/app/reconcile.js';
import { formatYuan } from '../../../shared/domain/money.js';
import { writeInvoiceWorkbook } from '../../../shared/sheets/invoice-workbook.js';
import { shipment } from '../../helpers/ledger.js';
import { myMessages } from '../../../shared/app/notices/inbox.js';
import { tell } from '../../../shared/app/notices/tell.js';
import { MemoryMailer } from '../../helpers/memory/index.js';
import { caller, demoBackOffice, type DemoBackOffice } from '../../helpers/memory/world.js';

/** D001 kept 2 valves of S1 past 2026-09-30: October's form FY-2026-10-0001 charges ¥71.00, issued; D001 disputes it. */
let office: DemoBackOffice;
let deps: ReconcileDeps & DemoBackOffice;
const FORM = 'FY-2026-10-0001';
const dealer = caller('dealer', 'D001');
const manager = caller('manager');

beforeEach(async () => {
  office = await demoBackOffice('2026-11-05T02:00:00.000Z');
  deps = { ...office, renderInvoice: writeInvoiceWorkbook, notices: { tell: (event) => tell({ ...office, mailer: new MemoryMailer() }, event) } };
  await office.ledger.record('shipments', [shipment({ shipment_id: 'S1', shipped_date: '2026-08-01', qty: 2 })], 'setup');
  await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-11-05' });
  await setFormStatus(deps, caller('finance'), FORM, 'issued');
});

describe("a dealer's dispute and the manager's decision", () => {
  it('goes to the queue with a deadline, is overdue after it, and a waiver credits the line through the journal: the form owes nothing and the balance falls', async () => {
    const raised = await raiseFormDispute(deps, dealer, FORM, 1, '两只阀已于 9 月退回，未登记');
    expect(raised).toMatchObject({ status: 'raised', dispute: { dealer: 'D001', line: 1, amount: '71.00', due_date: '2026-11-15', status: 'open', overdue: false, raised_by: 'dealer-user' } });
    await expect(raiseFormDispute(deps, dealer, FORM, 1, 'again')).resolves.toMatchObject({ status: 'rejected', errors: [{ field: 'line' }] });
    await expect(raiseFormDispute(deps, caller('dealer', 'D002'), FORM, 1, 'not mine')).rejects.toMatchObject({ code: 'not_found' });

    office.clock.set('2026-11-16T02:00:00.000Z');
    expect((await disputeList(deps, manager, { open: true })).map((d) => [d.invoice_no, d.overdue])).toEqual([[FORM, true]]);
    expect(await disputeList(deps, caller('dealer', 'D002'))).toEqual([]);
    await expect(decideFormDispute(deps, caller('admin'), { dealer: 'D001', invoice_no: FORM, line: 1 }, 'waive', '同意')).rejects.toMatchObject({ code: 'forbidden' });

    expect((await myMessages(deps, manager)).messages.map((m) => [m.kind, m.dealer])).toEqual([['dispute_raised', 'D001']]);
    const decided = await decideFormDispute(deps, manager, { dealer: 'D001', invoice_no: FORM, line: 1 }, 'waive', '经核实已退回');
    expect((await office.messages.list('D001')).filter((m) => m.kind === 'dispute_decided').map((m) => m.subject.zh)).toEqual([`收费单 ${FORM} 第 1 行的异议：免收`]);
    expect(decided).toMatchObject({ status: 'decided', dispute: { status: 'waived', overdue: false, decision: { by: 'manager-user', reason: '经核实已退回', credit_note: 'FY-2026-11-0001' } } });
    const notes = await office.invoices.byPeriod('2026-11');
    expect(notes.map((n) => [n.invoice_no, n.kind, formatYuan(n.total), n.corrects])).toEqual([['FY-2026-11-0001', 'credit_note', '-71.00', FORM]]);
    const [balance] = (await dealerBalances(deps, caller('finance'), 'D001')).dealers;
    expect(balance).toMatchObject({ charged: '71.00', credited: '71.00', balance: '0.00', owed: '0.00' });
    await expect(decideFormDispute(deps, manager, { dealer: 'D001', invoice_no: FORM, line: 1 }, 'uphold', '改判')).resolves.toMatchObject({ status: 'rejected', errors: [{ field: 'decision' }] });

    // The lot stays charged: the next run neither charges it again nor credits it.
    await reconcilePeriod(deps, { period: '2026-11', as_of: '2026-12-05' });
    expect((await office.invoices.byPeriod('2026-11')).map((n) => n.invoice_no)).toEqual(['FY-2026-11-0001']);
  });

  it('waives a line of a form voided since it was disputed with no credit note: the void form owes nothing, so nothing is credited', async () => {
    await raiseFormDispute(deps, dealer, FORM, 1, '两只阀已退回');
    await setFormStatus(deps, caller('finance'), FORM, 'void', '开错了');
    const key = { dealer: 'D001', invoice_no: FORM, line: 1 };

    await expect(decideFormDispute(deps, manager, key, 'waive', '同意')).resolves.toMatchObject({ status: 'decided', dispute: { status: 'waived', decision: { credit_note: null } } });
    await expect(decideFormDispute(deps, manager, key, 'waive', '同意')).resolves.toMatchObject({ status: 'decided', dispute: { decision: { credit_note: null } } });
    expect(await office.invoices.byPeriod('2026-11')).toEqual([]);
    const [balance] = (await dealerBalances(deps, caller('finance'), 'D001')).dealers;
    expect(balance).toMatchObject({ credited: '0.00', owed: '0.00' });
  });

  it('keeps an upheld charge as it is, with who, when and why; of two managers deciding at once one decides', async () => {
    await raiseFormDispute(deps, dealer, FORM, 1, '价格有误');
    const key = { dealer: 'D001', invoice_no: FORM, line: 1 };
    const both = await Promise.allSettled([decideFormDispute(deps, manager, key, 'uphold', '价格无误'), decideFormDispute(deps, caller('manager'), key, 'waive', '同意')]);
    const outcomes = both.map((r) => (r.status === 'fulfilled' ? r.value.status : (r.reason as { code: string }).code));
    expect(outcomes.filter((o) => o === 'decided')).toHaveLength(1);
    const [shown] = await disputeList(deps, caller('finance'));
    expect(shown!.decision).toMatchObject({ by: 'manager-user' });
    if (shown!.status === 'upheld') expect(await office.invoices.byPeriod('2026-11')).toEqual([]);
  });
});
