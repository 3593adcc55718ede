import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CellValue } from '../../shared/domain/cells.js';
import { COMPLAINT_FIELDS } from '../../shared/domain/fields.js';
import { applyComplaintStep, complaintState, createComplaintValidator, lateSteps, mergeComplaint, overdueComplaints, type ComplaintContext } from '../../shared/domain/complaints.js';
import { runTable, tableSheet } from '../helpers/rows.js';
import { complaintRecord } from '../helpers/complaints.js';

const ctx: ComplaintContext = {
  today: '2026-11-02',
  master: { hasDealer: (c) => ['D001', 'D002'].includes(c), hasProduct: (m) => ['WC-800'].includes(m) },
};

const row = (o: Record<string, CellValue> = {}) => ({
  complaint_id: 'C001',
  received_at: '2026-10-12 10:00',
  dealer_code: 'D001',
  customer_name: '陈小姐',
  phone: '13800138000',
  product_model: 'WC-800',
  serial_no: 'SN-1',
  category: '服务态度',
  service_fault: '是',
  action_taken: '道歉并重新上门',
  first_reply_at: '2026-10-12 16:00',
  resolved_at: '2026-10-14 09:30',
  ...o,
});

const complaint = complaintRecord;

describe('the complaint workbook', () => {
  it('reads a complaint with its category, fault and times', () => {
    const { entities, errors } = runTable(createComplaintValidator(ctx), tableSheet(COMPLAINT_FIELDS, [row({ follow_up_date: '2026-10-20', follow_up_outcome: '满意' })]));
    expect(errors).toEqual([]);
    expect(entities[0]?.complaint).toEqual({
      ...complaint(),
      resolved_at: '2026-10-14T09:30:00',
      follow_up_date: '2026-10-20',
      follow_up_outcome: '满意',
    });
  });

  it('refuses an unknown dealer, an unknown category, a resolution before receipt and a duplicate id, by row and column, in both languages', () => {
    const { errors } = runTable(
      createComplaintValidator(ctx),
      tableSheet(COMPLAINT_FIELDS, [
        row({ dealer_code: 'D999' }),
        row({ complaint_id: 'C002', category: '天气' }),
        row({ complaint_id: 'C003', resolved_at: '2026-10-11 09:00' }),
        row({ complaint_id: 'C004' }),
        row({ complaint_id: 'C004' }),
      ]),
    );
    expect(errors.map((e) => [e.row, e.column, e.code, e.value])).toEqual([
      [2, 'dealer_code', 'unknown_dealer', 'D999'],
      [3, 'category', 'invalid_choice', '天气'],
      [4, 'resolved_at', 'resolved_before_received', '2026-10-11 09:00'],
      [6, 'complaint_id', 'duplicate_id', 'C004'],
    ]);
    for (const error of errors) {
      expect(error.message.length).toBeGreaterThan(10);
      expect(error.message_zh).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('refuses a reply before the complaint, a follow-up before the resolution, a serial without its model and a complaint received after the upload', () => {
    const { errors } = runTable(
      createComplaintValidator(ctx),
      tableSheet(COMPLAINT_FIELDS, [
        row({ first_reply_at: '2026-10-12 09:00' }),
        row({ complaint_id: 'C2', follow_up_date: '2026-10-13' }),
        row({ complaint_id: 'C3', product_model: null }),
        row({ complaint_id: 'C4', received_at: '2026-11-03 08:00', first_reply_at: '2026-11-03 09:00', resolved_at: null }),
      ]),
    );
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, 'first_reply_at', 'reply_before_received'],
      [3, 'follow_up_date', 'follow_up_before_resolved'],
      [4, 'serial_no', 'serial_without_model'],
      [5, 'received_at', 'future_date'],
    ]);
  });
});

describe('a complaint id already recorded', () => {
  it('is the same complaint when every fact is the same', () => {
    expect(mergeComplaint(complaint(), complaint()).outcome).toBe('same');
  });

  it('may have its resolution and follow-up filled in later, each kept in the history', () => {
    const later = complaint({ resolved_at: '2026-10-14T09:30:00', follow_up_date: '2026-10-20', follow_up_outcome: '满意' });
    expect(mergeComplaint(complaint(), later, 'admin-1', '2026-10-21T08:00:00')).toEqual({
      outcome: 'progress',
      complaint: {
        ...later,
        history: [
          { at: '2026-10-21T08:00:00', by: 'admin-1', field: 'resolved_at', from: null, to: '2026-10-14T09:30:00', reason: null },
          { at: '2026-10-21T08:00:00', by: 'admin-1', field: 'follow_up_date', from: null, to: '2026-10-20', reason: null },
          { at: '2026-10-21T08:00:00', by: 'admin-1', field: 'follow_up_outcome', from: null, to: '满意', reason: null },
        ],
      },
    });
  });

  it('is refused with other facts, or with a filled-in value changed, and changes nothing where a row leaves it blank', () => {
    expect(mergeComplaint(complaint(), complaint({ dealer_code: 'D002', service_fault: false }))).toEqual({ outcome: 'conflict', differs: ['dealer_code', 'service_fault'] });
    const resolved = complaint({ resolved_at: '2026-10-14T09:30:00' });
    expect(mergeComplaint(resolved, complaint({ resolved_at: '2026-10-15T09:30:00' }))).toEqual({ outcome: 'conflict', differs: ['resolved_at'] });
    expect(mergeComplaint(resolved, complaint())).toEqual({ outcome: 'same', complaint: resolved });
  });
});

describe('overdue complaints', () => {
  it('lists a first reply after 24 hours and a complaint open longer than the limit, and no other', () => {
    const list = overdueComplaints(
      [
        complaint({ complaint_id: 'ON-TIME', first_reply_at: '2026-10-13T10:00:00', resolved_at: '2026-10-14T10:00:00', follow_up_date: '2026-10-21', follow_up_outcome: '满意' }),
        complaint({ complaint_id: 'LATE-REPLY', first_reply_at: '2026-10-13T10:00:01', resolved_at: '2026-10-14T10:00:00', follow_up_date: '2026-10-21', follow_up_outcome: '满意' }),
        complaint({ complaint_id: 'OPEN', received_at: '2026-10-20T10:00:00', first_reply_at: '2026-10-20T11:00:00' }),
        complaint({ complaint_id: 'STILL-IN-LIMIT', received_at: '2026-10-25T10:00:00', first_reply_at: '2026-10-25T11:00:00' }),
      ],
      '2026-11-01T10:00:00',
    );
    expect(list.map((o) => [o.complaint.complaint_id, o.late.map((l) => [l.step, l.done]), o.open_days])).toEqual([
      ['LATE-REPLY', [['first_reply', true]], 2],
      ['OPEN', [['resolution', false]], 12],
    ]);
  });

  it('follows the configured limit: open exactly the limit is not overdue, a second longer is', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), (limit) => {
        const c = complaint({ received_at: '2026-01-01T00:00:00', first_reply_at: '2026-01-01T01:00:00' });
        const day = (d: number) => `2026-${d < 31 ? '01' : d < 59 ? '02' : '03'}-${String(d < 31 ? d + 1 : d < 59 ? d - 30 : d - 58).padStart(2, '0')}`;
        expect(overdueComplaints([c], `${day(limit)}T00:00:00`, limit)).toEqual([]);
        expect(overdueComplaints([c], `${day(limit)}T00:00:01`, limit)).toHaveLength(1);
      }),
    );
  });
});

describe("a complaint's life, step by step", () => {
  const received = complaint({ service_fault: null, action_taken: null, first_reply_at: null });
  const NOW = '2026-10-30T09:00:00';

  it('is recorded at receipt and moves received → replied → resolved → followed_up → closed, each change kept with who and when', () => {
    const steps = [
      { first_reply_at: '2026-10-12 15:00' },
      { investigation: '上门迟到两小时', service_fault: true, reason: '师傅迟到', action_taken: '道歉并重新上门', compensation: '200' },
      { resolved_at: '2026-10-14T09:30' },
      { follow_up_date: '2026-10-20', follow_up_outcome: '满意' },
      { close: true },
    ];
    let c = received;
    const states = [complaintState(c)];
    for (const step of steps) {
      const applied = applyComplaintStep(c, step, 'admin-1', NOW);
      if (!('complaint' in applied)) throw new Error(JSON.stringify(applied.problems));
      c = applied.complaint;
      states.push(complaintState(c));
    }
    expect(states).toEqual(['received', 'replied', 'replied', 'resolved', 'followed_up', 'closed']);
    expect(c).toMatchObject({ version: 6, compensation: '200.00', fault_reason: '师傅迟到', first_reply_at: '2026-10-12T15:00:00', closed_at: NOW });
    expect(c.history.map((h) => [h.field, h.to, h.by, h.at])).toContainEqual(['service_fault', true, 'admin-1', NOW]);
    expect(c.history.find((h) => h.field === 'service_fault')?.reason).toBe('师傅迟到');
    expect(applyComplaintStep(c, { action_taken: 'x' }, 'admin-1', NOW)).toMatchObject({ problems: [{ field: 'complaint_id' }] });
  });

  it('revises the fault decision with a reason, keeping both decisions in the history', () => {
    const first = applyComplaintStep(received, { service_fault: true, reason: '迟到' }, 'a', NOW);
    if (!('complaint' in first)) throw new Error('refused');
    const second = applyComplaintStep(first.complaint, { service_fault: false, reason: '复核：客户未在家' }, 'b', NOW);
    if (!('complaint' in second)) throw new Error('refused');
    expect(second.complaint.history.map((h) => [h.by, h.from, h.to, h.reason])).toEqual([['a', null, true, '迟到'], ['b', true, false, '复核：客户未在家']]);
  });

  it('refuses, naming the field and the value: a fault without its reason, a reply before receipt, a bad amount, a follow-up before the resolution, a time changed once recorded', () => {
    const refused = applyComplaintStep(complaint(), { service_fault: false, first_reply_at: '2026-10-12T17:00', compensation: '12.345', follow_up_date: '2026-10-13', follow_up_outcome: '好' }, 'a', NOW);
    expect('problems' in refused && refused.problems.map((p) => [p.field, p.value])).toEqual([
      ['first_reply_at', '2026-10-12T17:00:00'],
      ['reason', null],
      ['compensation', '12.345'],
      ['follow_up_date', '2026-10-13'],
      ['follow_up_outcome', '好'],
    ]);
    const early = applyComplaintStep(received, { first_reply_at: '2026-10-12T09:00' }, 'a', NOW);
    expect('problems' in early && early.problems[0]?.message_zh).toContain('早于投诉时间');
  });

  it('is late at each step on its own: no reply past 24 h, unresolved past the limit, no follow-up call past its due date (the resolution + 7 days unless set); nothing once closed', () => {
    const limits = { openLimitDays: 7 };
    expect(lateSteps(received, '2026-10-13T10:00:00', limits)).toEqual([]);
    expect(lateSteps(received, '2026-10-13T10:00:01', limits)).toEqual([{ step: 'first_reply', due: '2026-10-13T10:00:00', done: false }]);
    expect(lateSteps(complaint(), '2026-10-19T10:00:01', limits)).toEqual([{ step: 'resolution', due: '2026-10-19T10:00:00', done: false }]);
    const resolved = complaint({ resolved_at: '2026-10-14T09:30:00' });
    expect(lateSteps(resolved, '2026-10-21T23:00:00', limits)).toEqual([]);
    expect(lateSteps(resolved, '2026-10-22T00:00:00', limits)).toEqual([{ step: 'follow_up', due: '2026-10-21T23:59:59', done: false }]);
    expect(lateSteps({ ...resolved, follow_up_due: '2026-10-16' }, '2026-10-17T00:00:00', limits).map((l) => l.step)).toEqual(['follow_up']);
    expect(lateSteps({ ...received, closed_at: '2026-10-20T00:00:00' }, '2026-12-01T00:00:00', limits)).toEqual([]);
  });
});
