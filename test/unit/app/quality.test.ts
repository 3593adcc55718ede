import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ReportItem } from '../../../shared/app/ports.js';
import { backfillArchiveHistory, findInArchive, recordReportHistory } from '../../../shared/app/quality/archive.js';
import { complaintList, complaintListPage, overdueList, recordComplaint, showComplaint, updateComplaint } from '../../../shared/app/quality/complaints.js';
import { dealerArchive, dealerArchiveWorkbook } from '../../../shared/app/quality/dealer-archive.js';
import { byWorstFigure, monthScorecardPage, monthScorecards, scorecardYear, scorecardYearPage, verificationSample, verificationSamplePage } from '../../../shared/app/quality/scorecard.js';
import { importVerificationCalls, recordVerificationCall } from '../../../shared/app/quality/verification.js';
import { scorecardJson } from '../../../shared/domain/scorecard.js';
import { writeTemplate } from '../../../shared/sheets/template.js';
import { statisticsWorkbook } from '../../../shared/app/statistics-downloads.js';
import { Refusal } from '../../../shared/app/access.js';
import { inWarranty, installation, partLine } from '../../contract/fixtures.js';
import { callWorkbook, complaintRecord } from '../../helpers/complaints.js';
import { installationRecord, repairRecord } from '../../helpers/month-fixtures.js';
import { caller, currentReport, demoBackOffice, type DemoBackOffice } from '../../helpers/memory/world.js';
import fc from 'fast-check';
import { DIGEST_MAX_RECORDS, DigestCollector, digestFromRows } from '../../../shared/app/report-digest.js';
import { rebuildReadModels } from '../../../shared/app/read-models.js';
import { unboxingCases } from '../../../shared/app/quality/unboxing.js';

let office: DemoBackOffice;

const repairItem = (repair_id: string, more: Parameters<typeof repairRecord>[0] = {}, row = 2): ReportItem => {
  const { phase: _p, materials_charged: _m, ...record } = repairRecord({ repair_id, ...more });
  return { kind: 'repair', row, record, classification: inWarranty };
};

const form = {
  complaint_id: 'C-1', received_at: '2026-10-20T10:00', dealer_code: 'D001', customer_name: '陈小姐', phone: '13912345678',
  product_model: 'WC-800', serial_no: 'SN-WC-0001', category: 'attitude', service_fault: 'yes', action_taken: '致歉', first_reply_at: '2026-10-20T12:00',
};

beforeEach(async () => {
  office = await demoBackOffice();
});

describe("the month pages' digests", () => {
  const upload = fc.record({
    dealer: fc.constantFrom('D001', 'D002', 'D003'),
    type: fc.constantFrom('repair' as const, 'installation' as const),
    period: fc.constantFrom('2026-09', '2026-10'),
    // Which of six repairs (or installations) the upload holds, each late or not, with an unboxing problem or not.
    rows: fc.uniqueArray(fc.record({ id: fc.integer({ min: 1, max: 6 }), late: fc.boolean(), issue: fc.boolean() }), { selector: (r) => r.id, maxLength: 4 }),
    receivedAt: fc.integer({ min: 0, max: 5 }),
    withDigest: fc.boolean(),
  });

  it('keeps each current report’s digest as its rows tell it, whatever order uploads commit in; pages read from digests equal pages read from rows, and the rebuild keeps what is missing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(upload, { minLength: 1, maxLength: 8 }), async (uploads) => {
        const office = await demoBackOffice();
        for (const [n, u] of uploads.entries()) {
          const target = { dealer: u.dealer, type: u.type, period: u.period };
          const items: ReportItem[] = u.rows.map(({ id, late, issue }, i) =>
            u.type === 'repair'
              ? repairItem(`W${id}`, { completed_date: `${u.period}-10`, called_at: `${u.period}-10T09:00:00`, arrived_at: `${u.period}-${late ? '11' : '10'}T15:30:00` }, i + 2)
              : installation({ install_id: `IN${id}`, serial_no: `SN${id}`, install_date: `${u.period}-05`, unboxing_issue: issue ? '面板划伤' : null }, i + 2),
          );
          const at = `2026-11-02T10:00:0${u.receivedAt}.000Z`;
          const { version } = await office.reports.claim(`upload-${n}`, target, at);
          await office.reports.writeItems(target, version, items);
          const digest = new DigestCollector(u.type);
          digest.add(items);
          await office.reports.commit(target, version, { received_at: at, late: false, counts: { rows: items.length, records: items.length, part_lines: 0 }, source: `upload-${n}` }, u.withDigest ? digest.digest() : undefined);
        }
        const pages = async () => ({
          cards: await monthScorecards(office, caller('finance'), '2026-10'),
          paged: (await monthScorecardPage(office, caller('finance'), '2026-10', undefined, { limit: 100 })).cards,
          samples: await verificationSample(office, caller('finance'), '2026-10'),
          cases: await unboxingCases(office, caller('finance'), '2026-10'),
          years: await scorecardYear(office, caller('finance'), '2026-10'),
        });
        const before = await pages();
        const kept = async () => {
          const all = [];
          for (const type of ['repair', 'installation'] as const) for (const period of ['2026-09', '2026-10']) all.push(...(await office.reports.monthReports(type, period, { limit: 100 })).reports.map((r) => ({ ...r, type })));
          return all;
        };
        for (const r of await kept()) if (r.digest !== null) expect(r.digest).toEqual(await digestFromRows(office.reports, { dealer: r.dealer, type: r.type, period: r.period }, r.version));

        await rebuildReadModels(office, '2026-09', '2026-10');
        for (const r of await kept()) expect(r.digest).toEqual(await digestFromRows(office.reports, { dealer: r.dealer, type: r.type, period: r.period }, r.version));
        expect(await pages()).toEqual(before);
        expect(before.paged).toEqual(before.cards);
      }),
      { numRuns: 40 },
    );
  });
});

describe('a report too large for a digest', () => {
  it('keeps none past DIGEST_MAX_RECORDS, and its pages read its rows', async () => {
    const target = { dealer: 'D001', type: 'repair' as const, period: '2026-10' };
    const items = Array.from({ length: DIGEST_MAX_RECORDS + 1 }, (_, i) => repairItem(`W${i}`, { completed_date: '2026-10-10' }, i + 2));
    const collector = new DigestCollector('repair');
    collector.add(items);
    expect(collector.digest()).toBeUndefined();
    await currentReport(office, target, items);
    expect((await office.reports.monthReports('repair', '2026-10', { limit: 5 })).reports).toEqual([{ dealer: 'D001', period: '2026-10', version: 1, digest: null }]);
    const [sample] = await verificationSample(office, caller('finance'), '2026-10');
    expect(sample).toMatchObject({ dealer: 'D001', repairs: DIGEST_MAX_RECORDS + 1 });
  });
});

describe('scorecards', () => {
  beforeEach(async () => {
    await currentReport(office, { dealer: 'D001', type: 'repair', period: '2026-10' }, [repairItem('A'), repairItem('B', { arrived_at: '2026-10-11T15:30:00' })]);
    await currentReport(office, { dealer: 'D002', type: 'repair', period: '2026-10' }, [repairItem('C')]);
  });

  it('pages every list over the dealers: one dealer a page gives what the whole list gives, each dealer once', async () => {
    const finance = caller('finance');
    const pages = async <T,>(read: (cursor: string | undefined) => Promise<{ items: T[]; next_cursor: string | null }>) => {
      const all: T[] = [];
      let cursor: string | undefined;
      do {
        const page = await read(cursor);
        all.push(...page.items);
        cursor = page.next_cursor ?? undefined;
      } while (cursor !== undefined);
      return all;
    };
    const at = (cursor: string | undefined) => ({ limit: 1, ...(cursor !== undefined && { cursor }) });

    const cards = await pages(async (c) => { const p = await monthScorecardPage(office, finance, '2026-10', undefined, at(c)); return { items: p.cards, next_cursor: p.next_cursor }; });
    const years = await pages(async (c) => { const p = await scorecardYearPage(office, finance, '2026-11', undefined, at(c)); return { items: p.years, next_cursor: p.next_cursor }; });
    const samples = await pages(async (c) => { const p = await verificationSamplePage(office, finance, '2026-10', at(c)); return { items: p.dealers, next_cursor: p.next_cursor }; });

    expect(cards).toEqual(await monthScorecards(office, finance, '2026-10'));
    expect(years).toEqual(await scorecardYear(office, finance, '2026-11'));
    expect(samples).toEqual(await verificationSample(office, finance, '2026-10'));
    expect(cards.map((c) => c.dealer)).toEqual(['D001', 'D002']);
    await expect(monthScorecardPage(office, finance, '2026-10', undefined, { cursor: 'bad' })).rejects.toMatchObject({ code: 'invalid' });
  });

  it('lists the dealers with a repair report of the month, and a dealer only its own', async () => {
    expect((await monthScorecards(office, caller('finance'), '2026-10')).map((c) => c.dealer)).toEqual(['D001', 'D002']);
    expect((await monthScorecards(office, caller('dealer', 'D002'), '2026-10')).map((c) => c.dealer)).toEqual(['D002']);
    await expect(monthScorecards(office, caller('dealer', 'D002'), '2026-10', 'D001')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(monthScorecards(office, caller('warehouse'), '2026-10')).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('sorts the worst figure first', async () => {
    const cards = byWorstFigure(await monthScorecards(office, caller('admin'), '2026-10'));
    expect(cards.map((c) => c.dealer)).toEqual(['D001', 'D002']);
  });

  it('shows twelve months side by side, the months without a report not scored', async () => {
    const [year] = await scorecardYear(office, caller('dealer', 'D001'), '2026-11');
    expect(year!.months.map((m) => [m.period, m.repairs, m.reached_24h.value])).toEqual([
      ...['2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09'].map((p) => [p, 0, null]),
      ['2026-10', 2, '50.0'],
      ['2026-11', 0, null],
    ]);
  });

  it('counts the complaints the department records from the form, once however often it is sent', async () => {
    expect((await recordComplaint(office, caller('admin'), form)).status).toBe('recorded');
    expect((await recordComplaint(office, caller('admin'), form)).status).toBe('already_recorded');
    expect((await recordComplaint(office, caller('admin'), { ...form, resolved_at: '2026-10-22T09:00' })).status).toBe('updated');
    const [d001] = await monthScorecards(office, caller('admin'), '2026-10', 'D001');
    expect(d001!.complaint_rate).toMatchObject({ value: '50.0', pass: false, breaches: ['C-1'] });
  });
});

describe('overdue complaint steps on the scorecard', () => {
  it("lists the month's complaints with a step late as of now: a first reply after 24 h (done late) and a resolution still open past the limit", async () => {
    await currentReport(office, { dealer: 'D001', type: 'repair', period: '2026-10' }, [repairItem('A')]);
    await recordComplaint(office, caller('admin'), { ...form, first_reply_at: '2026-10-21T12:00' });
    await recordComplaint(office, caller('admin'), { ...form, complaint_id: 'C-2', received_at: '2026-10-30T10:00', first_reply_at: '2026-10-30T11:00' });
    const [card] = await monthScorecards(office, caller('dealer', 'D001'), '2026-10');
    expect(card!.overdue_steps).toEqual([{ complaint_id: 'C-1', steps: [{ step: 'first_reply', done: true }, { step: 'resolution', done: false }] }]);
    expect(scorecardJson(card!).overdue_steps).toEqual(card!.overdue_steps);
  });
});

describe('recording and following a complaint', () => {
  it('answers a blank form with every required field named, in both languages, instead of failing', async () => {
    const blank = Object.fromEntries(Object.keys(form).map((k) => [k, '']));
    const result = await recordComplaint(office, caller('admin'), blank);
    expect(result.status).toBe('rejected');
    expect('errors' in result && result.errors.map((e) => [e.column, e.code])).toEqual(
      ['complaint_id', 'received_at', 'dealer_code', 'customer_name', 'phone', 'category'].map((c) => [c, 'required']),
    );
    expect('errors' in result && result.errors.every((e) => /[\u4e00-\u9fff]/.test(e.message_zh))).toBe(true);
  });

  it('records a complaint before any reply, lists it as late once 24 h pass, and shows its steps with who did them', async () => {
    const receipt = { complaint_id: 'C-9', received_at: '2026-10-30T10:00', dealer_code: 'D001', customer_name: '陈小姐', phone: '13912345678', category: 'timeliness' };
    expect((await recordComplaint(office, caller('admin'), receipt)).status).toBe('recorded');
    const late = await complaintList(office, caller('admin'), { overdue: true, asOf: new Date('2026-10-31T02:00:01Z') });
    expect(late.map((c) => [c.complaint_id, c.state, c.overdue, c.service_fault])).toEqual([['C-9', 'received', ['first_reply'], null]]);
    await updateComplaint(office, caller('admin'), 'C-9', { first_reply_at: '2026-10-31T11:00', service_fault: true, reason: '未按约上门' }, 1);
    const shown = await showComplaint(office, caller('finance'), 'C-9');
    expect(shown).toMatchObject({ state: 'replied', version: 2 });
    expect(shown.history.map((h) => [h.field, h.by])).toEqual([['first_reply_at', 'admin-user'], ['service_fault', 'admin-user']]);
    await expect(updateComplaint(office, caller('finance'), 'C-9', { close: true })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(showComplaint(office, caller('admin'), 'C-NONE')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('gives the register a page at a time in its own order, each complaint once', async () => {
    for (const [id, dealer, at] of [['C-2', 'D002', '2026-10-05T10:00'], ['C-1', 'D001', '2026-10-20T10:00'], ['C-3', 'D001', '2026-09-20T10:00']] as const) {
      await recordComplaint(office, caller('admin'), { ...form, complaint_id: id, dealer_code: dealer, received_at: at, first_reply_at: at });
    }
    const whole = await complaintList(office, caller('admin'));
    const first = await complaintListPage(office, caller('admin'), {}, { limit: 2 });
    const rest = await complaintListPage(office, caller('admin'), {}, { limit: 2, cursor: first.next_cursor ?? '' });
    expect([...first.complaints, ...rest.complaints]).toEqual(whole);
    expect([whole.map((c) => c.complaint_id), rest.next_cursor]).toEqual([['C-3', 'C-1', 'C-2'], null]);
  });
});

describe('the complaint register and the overdue list, read from the open index and month by month', () => {
  const complaint = fc.record({
    dealer: fc.constantFrom('D001', 'D002', 'D003'),
    // From 2025-09 (outside the twelve months as of 2026-11-02) to 2026-11.
    month: fc.integer({ min: 0, max: 14 }),
    day: fc.integer({ min: 1, max: 28 }),
    replied: fc.boolean(),
    closed: fc.boolean(),
  });

  it('pages the register, whole or open or overdue or one dealer’s, as the list of the twelve months gives it, and lists the overdue from the open ones as from every one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(complaint, { selector: (c) => `${c.month}-${c.day}-${c.dealer}`, maxLength: 12 }), fc.integer({ min: 1, max: 4 }), async (complaints, limit) => {
        const office = await demoBackOffice();
        for (const [i, c] of complaints.entries()) {
          const month = `${2025 + Math.floor((8 + c.month) / 12)}-${String(((8 + c.month) % 12) + 1).padStart(2, '0')}`;
          const at = `${month}-${String(c.day).padStart(2, '0')}T10:00:00`;
          await office.complaints.create(complaintRecord({ complaint_id: `C-${i}`, dealer_code: c.dealer, received_at: at, first_reply_at: c.replied ? at : null, closed_at: c.closed ? at : null }));
        }
        for (const filter of [{}, { open: true }, { overdue: true }, { dealer: 'D002' }]) {
          // The register's own order: month received, dealer, time, id.
          const keyOf = (c: { received_at: string; dealer: string; complaint_id: string }) => `${c.received_at.slice(0, 7)}#${c.dealer}#${c.received_at}#${c.complaint_id}`;
          const whole = (await complaintList(office, caller('admin'), filter)).sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
          const paged = [];
          let cursor: string | undefined;
          do {
            const page = await complaintListPage(office, caller('admin'), filter, { limit, ...(cursor !== undefined && { cursor }) });
            paged.push(...page.complaints);
            cursor = page.next_cursor ?? undefined;
          } while (cursor !== undefined);
          expect(paged).toEqual(whole);
        }
        const everyOne = { ...office, complaints: { ...office.complaints, received: office.complaints.received.bind(office.complaints), open: async () => undefined } };
        expect(await overdueList(office, caller('admin'))).toEqual(await overdueList(everyOne as unknown as typeof office, caller('admin')));
      }),
      { numRuns: 30 },
    );
  });
});

describe("the maker's return-call sample", () => {
  it('draws at least the minimum of each reporting dealer’s repair calls, the same list every time, for the department and finance only', async () => {
    await currentReport(office, { dealer: 'D001', type: 'repair', period: '2026-10' }, [...['A', 'B', 'C', 'D', 'E'].map((id) => repairItem(id)), repairItem('V', { service_type: 'return_visit' })]);
    const deps = { ...office, config: { ...office.config, verificationSample: { sharePercent: 10, minimum: 3 } } };
    const first = await verificationSample(deps, caller('admin'), '2026-10');
    expect(first.map((s) => [s.dealer, s.repairs, s.sampled.length])).toEqual([['D001', 5, 3]]);
    expect(first[0]?.sampled).not.toContain('V');
    expect(await verificationSample(deps, caller('finance'), '2026-10')).toEqual(first);
    await expect(verificationSample(deps, caller('dealer', 'D001'), '2026-10')).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe("the maker's call about a sampled repair", () => {
  const deps = () => ({ ...office, config: { ...office.config, verificationSample: { sharePercent: 10, minimum: 3 }, verificationMarginPercent: 10 } });
  beforeEach(async () => {
    await currentReport(office, { dealer: 'D001', type: 'repair', period: '2026-10' }, [...['A', 'B', 'C', 'D', 'E'].map((id) => repairItem(id)), repairItem('V', { service_type: 'return_visit' })]);
  });

  it('records a sampled repair, refuses one outside the sample, a return visit and an unknown repair, and lets finance only read', async () => {
    const [sample] = await verificationSample(deps(), caller('admin'), '2026-10');
    const [first, second, third] = sample!.sampled as [string, string, string];
    const outside = ['A', 'B', 'C', 'D', 'E'].find((id) => !sample!.sampled.includes(id))!;
    const recorded = await recordVerificationCall(deps(), caller('admin'), 'D001', first, { reached: true, confirmed: false, satisfaction: 'dissatisfied' });
    expect(recorded).toMatchObject({ status: 'recorded', call: { period: '2026-10', repair_id: first, recorded_by: 'admin-user', version: 1 } });
    await expect(recordVerificationCall(deps(), caller('admin'), 'D001', outside, { reached: true, confirmed: true, satisfaction: 'satisfied' })).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('not in the maker\'s sample') });
    await expect(recordVerificationCall(deps(), caller('admin'), 'D001', 'V', { reached: true, confirmed: true, satisfaction: 'satisfied' })).rejects.toMatchObject({ code: 'invalid' });
    await expect(recordVerificationCall(deps(), caller('admin'), 'D001', 'NONE', { reached: false, confirmed: null, satisfaction: null })).rejects.toMatchObject({ code: 'not_found' });
    await expect(recordVerificationCall(deps(), caller('finance'), 'D001', first, { reached: false, confirmed: null, satisfaction: null })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await recordVerificationCall(deps(), caller('admin'), 'D001', second, { reached: false, confirmed: true, satisfaction: null })).toMatchObject({ status: 'rejected', errors: [{ field: 'confirmed' }] });
    await recordVerificationCall(deps(), caller('admin'), 'D001', second, { reached: false, confirmed: null, satisfaction: null });
    await recordVerificationCall(deps(), caller('admin'), 'D001', third, { reached: true, confirmed: true, satisfaction: 'satisfied' });

    const [card] = await monthScorecards(deps(), caller('finance'), '2026-10', 'D001');
    expect(card!.satisfaction.value).toBe('100.0');
    expect(scorecardJson(card!).verified).toEqual({
      sampled: 3, called: 3, reached: { value: '66.6', of: 3 },
      confirmed: { value: '50.0', reported: '100.0', of: 2, flag: true },
      satisfaction: { value: '50.0', reported: '100.0', of: 2, flag: true },
      margin: '10.0', flag: true,
    });
    const [own] = await monthScorecards(deps(), caller('dealer', 'D001'), '2026-10');
    expect(own!.verified?.flag).toBe(true);

    // The statistics workbook shows the same verification beside the 考核 sheet
    const { workbook } = await statisticsWorkbook(deps(), '2026-10');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(workbook as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('核实 Verified')!;
    let d001 = 0;
    sheet.eachRow((row, n) => { if (row.getCell(1).value === 'D001') d001 = n; });
    const row = sheet.getRow(d001);
    expect([3, 4, 5, 6, 7, 8, 9].map((c) => row.getCell(c).value)).toEqual([3, 3, 0.666, 1, 0.5, 1, 0.5]);
    expect(String(row.getCell(10).value)).toContain('偏差超过 10 个百分点');
    expect((row.getCell(10).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
  });

  it('keeps both of two calls recorded at once about one repair: the later replaces the earlier, which stays in its history', async () => {
    const [sample] = await verificationSample(deps(), caller('admin'), '2026-10');
    const id = sample!.sampled[0]!;
    const results = await Promise.all([
      recordVerificationCall(deps(), caller('admin'), 'D001', id, { reached: false, confirmed: null, satisfaction: null }),
      recordVerificationCall(deps(), caller('admin'), 'D001', id, { reached: true, confirmed: true, satisfaction: 'satisfied' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['recorded', 'replaced']);
    const stored = await office.verification.find('D001', '2026-10', id);
    expect(stored).toMatchObject({ version: 2 });
    expect(stored!.history).toHaveLength(1);
    expect([stored!.reached, stored!.history[0]!.reached].sort()).toEqual([false, true]);
  });
});

describe("the maker's return calls imported from the department's workbook", () => {
  const deps = () => ({ ...office, config: { ...office.config, verificationSample: { sharePercent: 10, minimum: 3 } } });
  const receivedAt = new Date('2026-11-02T02:00:00.000Z');
  let sampled: [string, string, string];
  let outside: string;
  beforeEach(async () => {
    await currentReport(office, { dealer: 'D001', type: 'repair', period: '2026-10' }, ['A', 'B', 'C', 'D', 'E'].map((id) => repairItem(id)));
    const [sample] = await verificationSample(deps(), caller('admin'), '2026-10');
    sampled = sample!.sampled as [string, string, string];
    outside = ['A', 'B', 'C', 'D', 'E'].find((id) => !sampled.includes(id))!;
  });

  it('records every call of a clean file as `verification record` does: new, replaced with the earlier kept, unchanged', async () => {
    await recordVerificationCall(deps(), caller('admin'), 'D001', sampled[1], { reached: false, confirmed: null, satisfaction: null });
    await recordVerificationCall(deps(), caller('admin'), 'D001', sampled[2], { reached: true, confirmed: true, satisfaction: 'satisfied' });
    const bytes = await callWorkbook([
      { dealer_code: 'D001', repair_id: sampled[0], reached: '是', confirmed: '否', satisfaction: '不满意' },
      { dealer_code: 'D001', repair_id: sampled[1], reached: '是', confirmed: '是', satisfaction: '基本满意' },
      { dealer_code: 'D001', repair_id: sampled[2], reached: 'yes', confirmed: 'yes', satisfaction: '满意' },
    ]);
    const result = await importVerificationCalls(deps(), caller('admin'), { bytes, receivedAt });
    expect(result).toMatchObject({ status: 'accepted', errors: [], counts: { calls: 3, recorded: 1, replaced: 1, unchanged: 1 } });
    expect(await office.verification.find('D001', '2026-10', sampled[0])).toMatchObject({ reached: true, confirmed: false, satisfaction: 'dissatisfied', recorded_by: 'admin-user', version: 1 });
    const replaced = await office.verification.find('D001', '2026-10', sampled[1]);
    expect(replaced).toMatchObject({ reached: true, confirmed: true, satisfaction: 'fairly_satisfied', version: 2 });
    expect(replaced!.history).toMatchObject([{ reached: false }]);
    await expect(importVerificationCalls(deps(), caller('finance'), { bytes, receivedAt })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('refuses the whole file, naming row and column in both languages, for a repair outside the sample, an unknown dealer or a bad reached; nothing is recorded', async () => {
    const bytes = await callWorkbook([
      { dealer_code: 'D001', repair_id: sampled[0], reached: '是', confirmed: '是', satisfaction: '满意' },
      { dealer_code: 'D001', repair_id: outside, reached: '是' },
      { dealer_code: 'D999', repair_id: sampled[1], reached: '否' },
      { dealer_code: 'D001', repair_id: sampled[2], reached: '也许' },
      { dealer_code: 'D001', repair_id: 'NONE', reached: '否', satisfaction: '满意' },
    ]);
    const result = await importVerificationCalls(deps(), caller('admin'), { bytes, receivedAt });
    expect(result.status).toBe('rejected');
    expect(result.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [4, 'repair_id', 'repair_not_sampled'],
      [5, 'dealer_code', 'unknown_dealer'],
      [6, 'reached', 'invalid_choice'],
      [7, 'satisfaction', 'answer_without_reach'],
    ]);
    expect(result.errors[0]).toMatchObject({ value: outside, message: expect.stringContaining("not in the maker's sample of 2026-10"), message_zh: expect.stringContaining('不在 2026-10 的厂家抽查样本') });
    expect(result.errors[2]).toMatchObject({ value: '也许', message_zh: expect.stringContaining('是否联系到') });
    expect(result.errorReport).toBeInstanceOf(Uint8Array);
    expect(await office.verification.calls('D001', '2026-10')).toEqual([]);

    const blankTemplate = await importVerificationCalls(deps(), caller('admin'), { bytes: await writeTemplate('verification-calls'), receivedAt });
    expect(blankTemplate).toMatchObject({ status: 'accepted', counts: { calls: 0 } });
    const unknownRepair = await importVerificationCalls(deps(), caller('admin'), { bytes: await callWorkbook([{ dealer_code: 'D001', repair_id: 'NONE', reached: '否' }]), receivedAt });
    expect(unknownRepair.errors.map((e) => [e.row, e.column, e.code])).toEqual([[3, 'repair_id', 'repair_not_reported']]);
  });
});

describe('overdue complaints', () => {
  it('lists a complaint unresolved past the configured limit, for the department only', async () => {
    await recordComplaint(office, caller('admin'), form);
    await recordComplaint(office, caller('admin'), { ...form, complaint_id: 'C-2', received_at: '2026-10-30T10:00', first_reply_at: '2026-10-30T11:00' });
    const overdue = await overdueList({ ...office, config: { ...office.config, complaintOpenLimitDays: 7 } }, caller('admin'));
    expect(overdue.map((o) => [o.complaint.complaint_id, o.late.map((l) => l.step)])).toEqual([['C-1', ['resolution']]]);
    await expect(overdueList(office, caller('dealer', 'D001'))).rejects.toBeInstanceOf(Refusal);
  });
});

describe('the end-user archive as a history', () => {
  it('records a repair report with the parts of each repair, found by the phone however it is written', async () => {
    const target = { dealer: 'D001', type: 'repair' as const, period: '2026-10' };
    await currentReport(office, target, [repairItem('R-1', { phone: '13912345678' }), repairItem('R-2', { serial_no: 'OTHER' }, 3), partLine('R-1', 4, 'P-SEAL-03')]);
    // Act
    expect(await recordReportHistory(office, target, 1)).toBe(2);
    // Assess
    const [unit] = await findInArchive(office, caller('admin'), 'phone', '＋８６ 139-1234-5678');
    expect(unit!.events).toEqual([expect.objectContaining({ kind: 'repair', id: 'R-1', parts: [{ part_code: 'P-SEAL-03', part_qty: 1 }] })]);
  });

  it('builds the histories of reports stored before, and a second run adds no copies', async () => {
    await currentReport(office, { dealer: 'D002', type: 'installation', period: '2026-09' }, [installation({ serial_no: 'SN-OLD', phone: '13700000000' })]);
    expect(await backfillArchiveHistory(office, '2026-08', '2026-10')).toEqual({ reports: 1, events: 1 });
    await backfillArchiveHistory(office, '2026-08', '2026-10');
    expect((await findInArchive(office, caller('admin'), 'serial', 'SN-OLD'))[0]!.events).toHaveLength(1);
  });

  it('lets a dealer find only units it installed or repaired, and see only its own events', async () => {
    const { installationEvent, repairEvent } = await import('../../../shared/domain/archive-history.js');
    await office.archive.record([
      installationEvent('D001', installationRecord({ serial_no: 'SN-SHARED', phone: '13600000001' })),
      repairEvent('D002', { ...repairRecord({ serial_no: 'SN-SHARED', phone: '13600000001', repair_id: 'D2-R' }) }, [], null),
    ]);
    expect((await findInArchive(office, caller('dealer', 'D003'), 'phone', '13600000001'))).toEqual([]);
    const [seen] = await findInArchive(office, caller('dealer', 'D001'), 'phone', '13600000001');
    expect(seen!.events.map((e) => e.dealer_code)).toEqual(['D001']);
  });

  it('refuses an empty or one-character term in both languages', async () => {
    for (const term of ['', ' ', '陈', '+86 1']) {
      const refusal = await findInArchive(office, caller('admin'), term.startsWith('+') ? 'phone' : 'owner', term).catch((e: unknown) => e);
      expect(refusal).toMatchObject({ code: 'invalid', message_zh: expect.stringContaining('至少') });
    }
  });
});

describe('the dealer archive by region', () => {
  it('counts repair calls, return visits, parts replaced and complaints per dealer and month, by region', async () => {
    await currentReport(office, { dealer: 'D001', type: 'repair', period: '2026-10' }, [
      repairItem('A'), partLine('A', 3, 'P-VALVE-01'), partLine('A', 4, 'P-SEAL-03'), repairItem('V', { service_type: 'return_visit' }, 5),
    ]);
    await recordComplaint(office, caller('admin'), form);
    const rows = await dealerArchive(office, caller('finance'), '2026-10', '2026-10');
    expect(rows.find((r) => r.dealer_code === 'D001')).toMatchObject({ region: '华东', repair_calls: 1, return_visits: 1, parts_replaced: 2, complaints: 1, service_fault_complaints: 1, reported: true });
    const { bytes } = await dealerArchiveWorkbook(office, caller('finance'), '2026-09', '2026-10');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['经销商档案']);
    await expect(dealerArchive(office, caller('dealer', 'D001'), '2026-10', '2026-10')).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('the statistics workbook', () => {
  it('has a scorecard sheet with each dealer’s figures for twelve months, failed months filled red', async () => {
    await currentReport(office, { dealer: 'D001', type: 'repair', period: '2026-10' }, [repairItem('A', { satisfaction: 'dissatisfied' })]);
    const { workbook } = await statisticsWorkbook(office, '2026-10');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(workbook as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('考核 Scorecards')!;
    const values: string[] = [];
    sheet.eachRow((row) => values.push(String(row.getCell(3).value)));
    expect(values.filter((v) => v.includes('满意率'))).toHaveLength(1);
    const header = sheet.getRow(3);
    expect([header.getCell(5).value, header.getCell(16).value]).toEqual(['2025-11', '2026-10']);
    let satisfactionRow = 0;
    sheet.eachRow((row, n) => { if (String(row.getCell(3).value).includes('满意率')) satisfactionRow = n; });
    expect((sheet.getCell(satisfactionRow, 16).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
  });
});
