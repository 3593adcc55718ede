import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toFen } from '../../shared/domain/money.js';
import { inert, NOTICE_TEMPLATES, renderNotice } from '../../shared/domain/notice-templates.js';
import { eventKey, messagesFor, NOTICE_KINDS, recipientsOf, type LotNotice, type NoticeEvent } from '../../shared/domain/notices.js';

const lot = (overrides: Partial<LotNotice> = {}): LotNotice => ({
  shipment_id: 'S1', line: 1, part_code: 'P-VALVE-01', part_name: '进水阀', qty: 4, due_date: '2026-11-07', days_left: 5, cost: toFen(14200), ...overrides,
});

const upload = (overrides: Partial<Extract<NoticeEvent, { kind: 'upload_checked' }>> = {}): NoticeEvent => ({
  kind: 'upload_checked', upload: 'repair', source: 's3://uploads/k#v1', status: 'rejected', errors: 3, warnings: 1,
  dealer: 'D001', period: '2026-10', upload_id: null, annotated: true, ...overrides,
});

/** One event of every kind, as the features that raise them will. */
const EVERY_EVENT: readonly NoticeEvent[] = [
  upload(),
  { kind: 'reports_missing', period: '2026-10', dealer: 'D002', reports: [{ dealer: 'D002', dealer_name: '华东', type: 'repair', status: 'missing' }] },
  { kind: 'reports_follow_up', period: '2026-10', reports: [{ dealer: 'D002', dealer_name: '华东', type: 'repair', status: 'missing' }], unmailed: ['D002'] },
  { kind: 'lots_due', dealer: 'D001', as_of: '2026-11-02', lots: [lot()] },
  { kind: 'lots_overdue', dealer: 'D001', as_of: '2026-11-02', lots: [lot({ due_date: '2026-11-01', days_left: -1 })] },
  { kind: 'form_issued', dealer: 'D001', invoice_no: 'FY-2026-10-0001', period: '2026-10', total: toFen(14200) },
  { kind: 'credit_note', dealer: 'D001', invoice_no: 'FY-2026-11-0002', corrects: 'FY-2026-10-0001', period: '2026-11', total: toFen(-7100) },
  { kind: 'payment_recorded', dealer: 'D001', invoice_no: 'FY-2026-10-0001', payment_id: 'PAY-1', amount: toFen(10000), owed: toFen(4200), date: '2026-11-20' },
  { kind: 'request_decided', dealer: 'D003', request_id: 'R-2026-001', lines: [{ line: 1, part_code: 'P-SEAL-03', qty: 2, state: 'approved' }] },
  { kind: 'request_shipped', dealer: 'D003', request_id: 'R-2026-001', shipment_id: 'S9', shipped_date: '2026-11-21', lines: [{ line: 1, part_code: 'P-SEAL-03', qty: 2, state: 'shipped' }] },
  { kind: 'complaint_overdue', dealer: 'D003', complaint_id: 'C-17', step: 'resolution', due: '2026-11-20' },
  { kind: 'run_failed', job: 'deadlines', run: '2026-11-02', detail: 'dealer D001: timeout', runbook: 'A scheduled job failed' },
  { kind: 'dispute_raised', dealer: 'D001', invoice_no: 'FY-2026-10-0001', line: 1, part_code: 'P-VALVE-01', qty: 2, amount: '71.00', reason: '已退回', due_date: '2026-11-15' },
  { kind: 'dispute_decided', dealer: 'D001', invoice_no: 'FY-2026-10-0001', line: 1, decision: 'waived', reason: '经核实已退回', credit_note: 'FY-2026-11-0001' },
  { kind: 'dispute_overdue', dealer: 'D001', invoice_no: 'FY-2026-10-0001', line: 1, due_date: '2026-11-15' },
  { kind: 'unboxing_reported', dealer: 'D002', period: '2026-10', cases: [{ install_id: 'IN-9', product_model: 'WC-800', serial_no: 'SN-9', issue: '缺说明书', due_date: '2026-11-02' }] },
];

describe('who is told of what', () => {
  it('tells the dealer how its report upload was checked, the return warehouse how its returns file was, and the admin how a shipments or master file was', () => {
    expect(recipientsOf(upload())).toEqual(['D001']);
    expect(recipientsOf(upload({ upload: 'shipments', dealer: null, period: null }))).toEqual(['admin']);
    expect(recipientsOf(upload({ upload: 'returns', dealer: null, period: null }))).toEqual(['warehouse']);
    expect(recipientsOf(upload({ upload: 'master', dealer: null, period: null }))).toEqual(['admin']);
  });

  it('tells each dealer its own missing reports, and the after-sales department the whole list', () => {
    expect(recipientsOf(EVERY_EVENT[1] as NoticeEvent)).toEqual(['D002']);
    expect(recipientsOf(EVERY_EVENT[2] as NoticeEvent)).toEqual(['admin']);
  });

  it('tells the dealer of its lots due and overdue', () => {
    expect(recipientsOf(EVERY_EVENT[3] as NoticeEvent)).toEqual(['D001']);
    expect(recipientsOf(EVERY_EVENT[4] as NoticeEvent)).toEqual(['D001']);
  });

  it('tells the dealer and finance of a form issued, a credit note and a payment', () => {
    for (const event of EVERY_EVENT.slice(5, 8)) expect(recipientsOf(event)).toEqual(['D001', 'finance']);
  });

  it('tells the dealer of its material requests, and admins of a failed run', () => {
    expect(recipientsOf(EVERY_EVENT[8] as NoticeEvent)).toEqual(['D003']);
    expect(recipientsOf(EVERY_EVENT[9] as NoticeEvent)).toEqual(['D003']);
    expect(recipientsOf(EVERY_EVENT[10] as NoticeEvent)).toEqual(['D003', 'admin']);
    expect(recipientsOf(EVERY_EVENT[11] as NoticeEvent)).toEqual(['admin']);
  });

  it('tells the manager and finance of a dispute raised and the manager of one past its deadline; the dealer and finance of the decision; the department of unboxing problems', () => {
    expect(recipientsOf(EVERY_EVENT[12] as NoticeEvent)).toEqual(['manager', 'finance']);
    expect(recipientsOf(EVERY_EVENT[13] as NoticeEvent)).toEqual(['D001', 'finance']);
    expect(recipientsOf(EVERY_EVENT[14] as NoticeEvent)).toEqual(['manager']);
    const decided = renderNotice(EVERY_EVENT[13] as NoticeEvent);
    expect(decided.subject.zh).toBe('收费单 FY-2026-10-0001 第 1 行的异议：免收');
    expect(decided.body.zh).toContain('红字冲销单 FY-2026-11-0001');
    expect(recipientsOf(EVERY_EVENT[15] as NoticeEvent)).toEqual(['admin']);
    const upheld = renderNotice({ ...(EVERY_EVENT[13] as Extract<NoticeEvent, { kind: 'dispute_decided' }>), decision: 'upheld', credit_note: null });
    expect(upheld.body.en).not.toContain('Credit note');
  });

  it('never addresses a dealer other than the one the event is about', () => {
    for (const event of EVERY_EVENT) {
      const dealers = recipientsOf(event).filter((r) => r !== 'admin' && r !== 'finance' && r !== 'manager');
      const about = 'dealer' in event ? event.dealer : null;
      expect(dealers.every((d) => d === about)).toBe(true);
    }
  });
});

describe('the messages of an event', () => {
  it('has a template in both languages for every kind', () => {
    expect(Object.keys(NOTICE_TEMPLATES).sort()).toEqual([...NOTICE_KINDS].sort());
    for (const event of EVERY_EVENT) {
      const { subject, body } = renderNotice(event);
      for (const text of [subject.en, subject.zh, body.en, body.zh]) {
        expect(text).not.toBe('');
        expect(text).not.toMatch(/\{[a-z_]+\}/);
      }
    }
  });

  it('makes the same ids when a job makes the same event again, whenever it runs', () => {
    for (const event of EVERY_EVENT) {
      const first = messagesFor(event, '2026-11-02T01:00:00.000Z').map((m) => m.id);
      const again = messagesFor(structuredClone(event), '2026-11-03T09:00:00.000Z').map((m) => m.id);
      expect(again).toEqual(first);
      expect(new Set(first).size).toBe(first.length);
    }
  });

  it('keys a deadline warning by the lots it names: the same lots are the same warning, a new lot a new one', () => {
    const due = (lots: LotNotice[]): NoticeEvent => ({ kind: 'lots_due', dealer: 'D001', as_of: '2026-11-02', lots });
    const nextDay: NoticeEvent = { kind: 'lots_due', dealer: 'D001', as_of: '2026-11-03', lots: [lot({ days_left: 4 })] };
    expect(eventKey(nextDay)).toBe(eventKey(due([lot()])));
    expect(eventKey(due([lot(), lot({ shipment_id: 'S2' })]))).not.toBe(eventKey(due([lot()])));
  });

  it('tells the dealer each lot: part, quantity out, deadline, days left and cost at today’s price', () => {
    const { body } = renderNotice(EVERY_EVENT[3] as NoticeEvent);
    expect(body.en).toContain('P-VALVE-01 进水阀: 4 out, lot S1/1, due 2026-11-07 (5 day(s) left), at cost 142.00');
    expect(body.zh).toContain('未退 4');
    expect(body.zh).toContain('142.00 元');
  });

  it('names the dealers the after-sales list could not mail', () => {
    expect(renderNotice(EVERY_EVENT[2] as NoticeEvent).body.en).toContain('Not reached by mail (no address or mail failed): D002.');
  });

  it('links only to portal pages, from identifiers of the right form', () => {
    for (const event of EVERY_EVENT) for (const l of renderNotice(event).links) expect(l.href).toMatch(/^#\//);
    expect(renderNotice({ ...(EVERY_EVENT[5] as Extract<NoticeEvent, { kind: 'form_issued' }>), invoice_no: 'javascript:alert(1)' }).links).toEqual([]);
  });
});

describe('values from an upload in a message', () => {
  it('never become a link, markup that matters, or a second line', () => {
    const hostile = lot({ part_name: 'Valve https://evil.example/x\n<a href="http://x">click</a> www.evil.example \u202eabc' });
    const { body } = renderNotice({ kind: 'lots_due', dealer: 'D001', as_of: '2026-11-02', lots: [hostile] });
    expect(body.en).not.toMatch(/https?:\/\//);
    expect(body.en).not.toContain('www.evil');
    expect(body.en).not.toContain('\u202e');
    expect(body.en.split('\n')).toHaveLength(2);
  });

  it('are made inert whatever they hold', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.constantFrom('http', 'https', 'javascript', 'mailto', 'ftp', 'data'), (text, scheme) => {
        const out = inert(`${text} ${scheme}://host/${text}`);
        expect(out).not.toMatch(/[a-z]+:\/\//i);
        expect(out).not.toMatch(/[\r\n\u0000\u202e]/);
      }),
    );
  });
});
