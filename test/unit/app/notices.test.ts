import { describe, expect, it } from 'vitest';
import { deadlineNotices, reportingFailure, reportReminders } from '../../../shared/app/notices/jobs.js';
import { myMessages } from '../../../shared/app/notices/inbox.js';
import { dealerPosition, dealerReconciliationWorkbook } from '../../../shared/app/notices/position.js';
import { caller } from '../../helpers/memory/world.js';
import { reconciliation } from '../../contract/fixtures.js';
import { tell, tellAll, UndeliveredNotices } from '../../../shared/app/notices/tell.js';
import { returned, shipment } from '../../helpers/ledger.js';
import { recordPayment } from '../../../shared/app/finance/form-life.js';
import { reconcilePeriod } from '../../../shared/app/reconcile.js';
import { writeInvoiceWorkbook } from '../../../shared/sheets/invoice-workbook.js';
import { fixedClock } from '../../helpers/memory/index.js';
import { loadConfig } from '../../../shared/config.js';
import { DEALER_FIELDS } from '../../../shared/domain/fields.js';
import { createMasterValidator } from '../../../shared/domain/master-validation.js';
import { toFen } from '../../../shared/domain/money.js';
import type { NoticeEvent } from '../../../shared/domain/notices.js';
import { complaintRecord } from '../../helpers/complaints.js';
import { MemoryMailer } from '../../helpers/memory/index.js';
import { demoBackOffice } from '../../helpers/memory/world.js';
import { runTable, tableSheet } from '../../helpers/rows.js';
import { loadWorkbook } from '../../helpers/workbooks.js';

const issued = (dealer: string, invoice_no: string): NoticeEvent => ({ kind: 'form_issued', dealer, invoice_no, period: '2026-10', total: toFen(14200) });

async function office() {
  const demo = await demoBackOffice();
  const mailer = new MemoryMailer();
  return { ...demo, mailer, config: loadConfig({ NOTICE_FINANCE_EMAILS: 'finance@maker.example', NOTICE_ADMIN_EMAILS: 'aftersales@maker.example' }) };
}

describe('telling people of an event', () => {
  it('keeps a message for each recipient and mails the dealer at its contact address and finance at its group address', async () => {
    // Prepare
    const deps = await office();
    // Act
    const told = await tell(deps, issued('D001', 'FY-2026-10-0001'));
    // Assess
    expect(told.map((t) => [t.recipient, t.mail])).toEqual([['D001', 'sent'], ['finance', 'sent']]);
    expect(deps.mailer.sent.map((m) => m.to)).toEqual([['service@d001.dealer.example'], ['finance@maker.example']]);
    expect((await deps.messages.list('D001'))[0]?.mail).toMatchObject({ status: 'sent', to: ['service@d001.dealer.example'] });
  });

  it('still keeps the message of a dealer without an address, recorded as told in the portal only', async () => {
    const deps = await office();
    const told = await tell(deps, issued('D003', 'FY-2026-10-0003'));
    expect(told.find((t) => t.recipient === 'D003')?.mail).toBe('no_address');
    expect(await deps.messages.list('D003')).toHaveLength(1);
    expect(deps.mailer.sent.flatMap((m) => m.to)).toEqual(['finance@maker.example']);
  });

  it('tells the return warehouse, in its own list and at its own address, how its returns file was checked', async () => {
    // Prepare
    const deps = { ...(await office()), config: loadConfig({ NOTICE_ADMIN_EMAILS: 'aftersales@maker.example', NOTICE_WAREHOUSE_EMAILS: 'returns@maker.example' }) };
    // Act
    await tell(deps, { kind: 'upload_checked', upload: 'returns', source: 'returns-2026-11.xlsx', status: 'accepted', errors: 0, warnings: 0, dealer: null, period: null, upload_id: null, annotated: false });
    // Assess
    expect(deps.mailer.sent.map((m) => m.to)).toEqual([['returns@maker.example']]);
    expect((await myMessages(deps, caller('warehouse'))).messages.map((m) => m.kind)).toEqual(['upload_checked']);
    expect((await myMessages(deps, caller('admin'))).messages).toEqual([]);
  });

  it('sends nothing twice when the same event is told again', async () => {
    const deps = await office();
    await tell(deps, issued('D001', 'FY-2026-10-0001'));
    deps.clock.set('2026-11-03T02:00:00.000Z');
    const again = await tell(deps, issued('D001', 'FY-2026-10-0001'));
    expect(again.every((t) => !t.created && t.mail === 'sent')).toBe(true);
    expect(deps.mailer.sent).toHaveLength(2);
    expect(await deps.messages.list('D001')).toHaveLength(1);
  });

  it('records a mail refused for good as failed and goes on with the others', async () => {
    const deps = await office();
    deps.mailer.failNext(1, 'fail');
    const told = await tell(deps, issued('D001', 'FY-2026-10-0001'));
    expect(told.map((t) => t.mail)).toEqual(['failed', 'sent']);
    expect((await deps.messages.list('D001'))[0]?.mail.error).toContain('MessageRejected');
  });

  it('after a crash at the mail client, the run again mails only what was not mailed: none lost, none twice', async () => {
    // Prepare
    const deps = await office();
    const events = [issued('D001', 'FY-2026-10-0001'), issued('D002', 'FY-2026-10-0002')];
    deps.mailer.failNext(1, 'throw');
    // Act
    const first = await tellAll(deps, events).catch((error: unknown) => error);
    const second = await tellAll(deps, events);
    // Assess
    expect(first).toBeInstanceOf(UndeliveredNotices);
    expect((first as UndeliveredNotices).pending.map((t) => t.recipient)).toEqual(['D001']);
    expect(second.every((t) => t.mail === 'sent')).toBe(true);
    const mailedTo = deps.mailer.sent.map((m) => m.to[0]).sort();
    expect(mailedTo).toEqual(['finance@maker.example', 'finance@maker.example', 'service@d001.dealer.example', 'service@d002.dealer.example']);
  });
});

describe("the dealers sheet's e-mail column", () => {
  const dealer = (email?: string) => ({ dealer_code: 'D9', dealer_name: '华东', region: '华东', contact: '王', phone: '1', payment_method: '转账', ...(email === undefined ? {} : { email }) });

  it('is optional: a dealer without one is read as before, one with one keeps it', () => {
    const { entities, errors } = runTable(createMasterValidator('dealers'), tableSheet(DEALER_FIELDS, [dealer(), { ...dealer('a@b.example'), dealer_code: 'D8' }]));
    expect(errors).toEqual([]);
    expect(entities.map((d) => d.email)).toEqual([undefined, 'a@b.example']);
  });

  it('refuses what is not one plain address, in both languages', () => {
    const { errors } = runTable(createMasterValidator('dealers'), tableSheet(DEALER_FIELDS, [dealer('x@y.example, evil@z.example')]));
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([[2, 'email', 'invalid_email']]);
    expect(errors[0]?.message_zh).toContain('电子邮箱');
  });
});

describe('the daily deadline notices', () => {
  it('tells the department of a complaint still open past its limit, once, and not of one resolved late', async () => {
    // Prepare: the department's limit is 7 days; today is 2026-11-02
    const deps = await office();
    const complaint = (complaint_id: string, resolved_at: string | null) =>
      complaintRecord({ complaint_id, received_at: '2026-10-20T10:00:00', first_reply_at: '2026-10-20T12:00:00', resolved_at });
    await deps.complaints.create(complaint('C-OPEN', null));
    await deps.complaints.create(complaint('C-LATE', '2026-10-30T09:00:00'));

    // Act
    await deadlineNotices(deps, '2026-11-02');
    await deadlineNotices(deps, '2026-11-02');

    // Assess
    const told = (await deps.messages.list('admin')).filter((m) => m.kind === 'complaint_overdue');
    expect(told.map((m) => m.body.en)).toEqual([expect.stringContaining('The resolution of complaint C-OPEN of dealer D001 was due 2026-10-27 10:00:00 and is not done')]);
  });

  it('tells the manager of a dispute still open past its deadline, once, and not of one decided', async () => {
    // Prepare: today is 2026-11-02
    const deps = await office();
    const dispute = (invoice_no: string, status: 'open' | 'upheld') => ({
      dealer: 'D001', invoice_no, line: 1, part_code: 'P-VALVE-01', qty: 2, amount: '71.00', reason: '已退回', raised_at: '2026-10-20T10:00:00', raised_by: 'dealer-user',
      due_date: '2026-10-30', status, decision: status === 'open' ? null : { by: 'manager-user', at: '2026-10-25T10:00:00', reason: '维持', credit_note: null }, version: status === 'open' ? 1 : 2,
    });
    await deps.disputes.create(dispute('FY-2026-09-0001', 'open'));
    await deps.disputes.create(dispute('FY-2026-09-0002', 'upheld'));

    // Act
    await deadlineNotices(deps, '2026-11-02');
    await deadlineNotices(deps, '2026-11-02');

    // Assess
    const told = (await deps.messages.list('manager')).filter((m) => m.kind === 'dispute_overdue');
    expect(told.map((m) => m.subject.zh)).toEqual(['收费单 FY-2026-09-0001 第 1 行的异议已超过裁定期限']);
  });

  it('tells a dealer of its lots due within 7 days and of its lots overdue, and tells a dealer with nothing due nothing', async () => {
    // Prepare: D001's default window is 60 days
    const deps = await office();
    await deps.ledger.record('shipments', [
      shipment({ shipment_id: 'DUE', shipped_date: '2026-09-08' }), // due 2026-11-07: 5 days left on the 2nd
      shipment({ shipment_id: 'LATER', shipped_date: '2026-09-20' }), // due 2026-11-19: not yet
      shipment({ shipment_id: 'OVER', shipped_date: '2026-08-31', part_code: 'P-SEAL-03', qty: 3 }), // due 2026-10-30: overdue
      shipment({ shipment_id: 'QUIET', dealer_code: 'D002', shipped_date: '2026-10-20' }),
    ], 'unit');
    // Act
    const { told } = await deadlineNotices(deps, '2026-11-02');
    // Assess
    expect(told.map((t) => t.recipient)).toEqual(['D001', 'D001']);
    const [overdue, due] = await deps.messages.list('D001').then((list) => [list.find((m) => m.kind === 'lots_overdue'), list.find((m) => m.kind === 'lots_due')]);
    expect(due?.body.en).toContain('lot DUE/1, due 2026-11-07 (5 day(s) left), at cost 35.50');
    expect(due?.body.en).not.toContain('LATER');
    expect(overdue?.body.en).toContain('P-SEAL-03 密封圈: 3 out, lot OVER/1, was due 2026-10-30, at cost 14.40');
    expect(await deps.messages.list('D002')).toEqual([]);
  });
});

describe('the reminders of the 4th', () => {
  it('tells nobody anything when every report is in', async () => {
    const deps = await office();
    const master = await deps.master.load();
    for (const dealer of master.dealers.keys()) {
      for (const type of ['installation', 'repair'] as const) {
        const target = { dealer, type, period: '2026-10' };
        const { version } = await deps.reports.claim(`${dealer}-${type}`, target, '2026-11-01T00:00:00.000Z');
        await deps.reports.commit(target, version, { received_at: '2026-11-01T00:00:00.000Z', late: false, counts: { rows: 0, records: 0, part_lines: 0 }, source: `${dealer}-${type}` });
      }
    }
    expect((await reportReminders(deps, '2026-10')).told).toEqual([]);
    expect(deps.mailer.sent).toEqual([]);
  });
});

describe("a dealer's own position", () => {
  it('shows each lot with its deadline and days left, an overdue lot not yet charged as overdue, and a zero balance without forms', async () => {
    const deps = await office();
    await deps.ledger.record('shipments', [shipment({ shipment_id: 'DUE', shipped_date: '2026-09-08' }), shipment({ shipment_id: 'OVER', shipped_date: '2026-08-31' })], 'unit');
    const position = await dealerPosition(deps, caller('dealer', 'D001'), 'D001');
    expect(position.lots.map((l) => [l.shipment_id, l.due_date, l.days_left, l.out, l.status])).toEqual([
      ['OVER', '2026-10-30', -3, 1, 'overdue'],
      ['DUE', '2026-11-07', 5, 1, 'open'],
    ]);
    expect(position).toMatchObject({ open_lots: 2, charged_units: 0, forms: [], balance: '0.00' });
  });

  it('owes what finance counts: the form less its payments, less the credit notes', async () => {
    // Prepare: a lot charged as of 11-05 (¥35.50), 10.00 paid on it; the part came back in time after all
    const deps = { ...(await office()), renderInvoice: writeInvoiceWorkbook, clock: fixedClock('2026-12-06T02:00:00.000Z') };
    await deps.ledger.record('shipments', [shipment({ shipment_id: 'OVER', shipped_date: '2026-08-31' })], 'unit');
    await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-11-05' });
    await recordPayment(deps, caller('finance'), 'FY-2026-10-0001', { amount: '10.00', date: '2026-11-20' });
    const before = await dealerPosition(deps, caller('dealer', 'D001'), 'D001');
    await deps.ledger.record('returns', [returned({ return_id: 'R1', received_date: '2026-10-20' })], 'late');
    await reconcilePeriod(deps, { period: '2026-10', as_of: '2026-12-05' });

    // Act
    const after = await dealerPosition(deps, caller('dealer', 'D001'), 'D001');

    // Assess
    expect(before.balance).toBe('25.50');
    // The credit note settles the form it corrects: nothing is owed on it any more (issue 21).
    expect(after.forms.map((f) => [f.invoice_no, f.kind, f.owed, f.settlement])).toEqual([['FY-2026-10-0001', 'possession', '0.00', 'paid'], ['FY-2026-10-0002', 'credit_note', '0.00', 'paid']]);
    expect(after.balance).toBe('-10.00');
  });

  it("is refused for another dealer's position and workbook", async () => {
    const deps = await office();
    await expect(dealerPosition(deps, caller('dealer', 'D001'), 'D002')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(dealerReconciliationWorkbook(deps, caller('dealer', 'D001'), 'D002', '2026-10', '2026-11-05')).rejects.toMatchObject({ code: 'forbidden' });
  });

  it("makes the dealer's own 用户借料盘点表 from the stored reconciliation, with its rows only", async () => {
    const deps = await office();
    const withPart = (dealer: string) => ({ ...reconciliation(dealer, '2026-11-05'), totals: [{ part_code: 'P-VALVE-01', borrowed: 2, returned: 1, returned_to_lots: 1, charged: 0, waived: 0, outstanding: 1, overdue: 0, surplus: 0 }] });
    await deps.reconciliations.saveDealer('2026-10', withPart('D001'), []);
    await deps.reconciliations.saveDealer('2026-10', withPart('D002'), []);
    const { fileName, bytes } = await dealerReconciliationWorkbook(deps, caller('dealer', 'D001'), 'D001', '2026-10', '2026-11-05');
    expect(fileName).toBe('reconciliation-D001-2026-10-2026-11-05.xlsx');
    const workbook = await loadWorkbook(bytes);
    const cells: string[] = [];
    for (const sheet of workbook.worksheets) sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell.text)));
    const text = cells.join(' ');
    expect(text).toContain('D001');
    expect(text).not.toContain('D002');
  });
});

describe('a scheduled job that fails', () => {
  it('is told to the admins once per job and run, with where the runbook looks, and still fails', async () => {
    const deps = await office();
    const job = { name: 'deadlines', run: '2026-11-02', runbook: 'The daily deadline job' };
    const failing = () => Promise.reject(new Error('DynamoDB unavailable'));
    await expect(reportingFailure(deps, job, failing)).rejects.toThrow('DynamoDB unavailable');
    await expect(reportingFailure(deps, job, failing)).rejects.toThrow('DynamoDB unavailable');
    const told = await deps.messages.list('admin');
    expect(told.map((m) => m.kind)).toEqual(['run_failed']);
    expect(told[0]?.body.en).toContain('See docs/operations.md, "The daily deadline job".');
    expect(deps.mailer.sent.map((m) => m.to)).toEqual([['aftersales@maker.example']]);
  });

  it('is not told when only mail is left to send: the retry sends it', async () => {
    const deps = await office();
    const undelivered = () => Promise.reject(new UndeliveredNotices([]));
    await expect(reportingFailure(deps, { name: 'deadlines', run: '2026-11-02', runbook: 'x' }, undelivered)).rejects.toBeInstanceOf(UndeliveredNotices);
    expect(await deps.messages.list('admin')).toEqual([]);
  });
});
