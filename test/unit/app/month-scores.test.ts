import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ReportItem, ReportTarget } from '../../../shared/app/ports.js';
import { recordComplaint, updateComplaint } from '../../../shared/app/quality/complaints.js';
import { recordVerificationCall } from '../../../shared/app/quality/verification.js';
import { DEFAULT_SAMPLE_RULE, drawSample } from '../../../shared/domain/verification.js';
import { keepMonthScore, scoreNow } from '../../../shared/app/quality/month-scores.js';
import { byWorstFigure, monthScorecardPage, monthScorecards } from '../../../shared/app/quality/scorecard.js';
import { rebuildReadModels } from '../../../shared/app/read-models.js';
import { ingestReport } from '../../../shared/app/ingest-report.js';
import { QUALITY_ROUTES } from '../../../functions/routes/quality.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../../infra/local/demo.js';
import { inWarranty } from '../../contract/fixtures.js';
import { complaintRecord } from '../../helpers/complaints.js';
import { repairRecord } from '../../helpers/month-fixtures.js';
import { caller, currentReport, demoBackOffice, type DemoBackOffice } from '../../helpers/memory/world.js';
import { repairRow, reportWorkbook } from '../../helpers/reports.js';

const finance = caller('finance');
const october = (dealer: string): ReportTarget => ({ dealer, type: 'repair', period: '2026-10' });

const repairItem = (repair_id: string, more: Parameters<typeof repairRecord>[0] = {}, row = 2): ReportItem => {
  const { phase: _p, materials_charged: _m, ...record } = repairRecord({ repair_id, ...more });
  return { kind: 'repair', row, record, classification: inWarranty };
};
const late = { arrived_at: '2026-10-11T15:30:00' };

let office: DemoBackOffice;

/** Every page of the month's scorecards worst first, `limit` a page: the dealers of each page and the pages' order. */
async function worstPages(limit: number) {
  const pages: string[][] = [];
  const orders = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await monthScorecardPage(office, finance, '2026-10', undefined, { cursor, limit }, 'worst');
    pages.push(page.cards.map((c) => c.dealer));
    orders.add(page.order);
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
  return { pages, orders: [...orders] };
}

/**
 * Six dealers whose codes order otherwise than their months: D004 only a service-fault complaint
 * (fails with no repair to count), D003 reached 0 %, D002 satisfied 50 %, D005 reached 75 %, D001
 * and D006 pass everything (D006 with a complaint that is not the service's fault).
 */
beforeEach(async () => {
  office = await demoBackOffice();
  const more = [4, 5, 6].map((n) => ({ ...DEMO_DEALERS[0]!, dealer_code: `D00${n}`, dealer_name: `经销商 ${n}` }));
  await office.master.save({ dealers: [...DEMO_DEALERS, ...more], products: DEMO_PRODUCTS, parts: DEMO_PARTS });
  await currentReport(office, october('D001'), [repairItem('A1')]);
  await currentReport(office, october('D002'), [repairItem('B1'), repairItem('B2', { satisfaction: 'dissatisfied' }, 3)]);
  await currentReport(office, october('D003'), [repairItem('C1', late)]);
  await currentReport(office, october('D005'), ['E1', 'E2', 'E3', 'E4'].map((id, i) => repairItem(id, i === 0 ? late : {}, i + 2)));
  await currentReport(office, october('D006'), [repairItem('F1')]);
  await office.complaints.create(complaintRecord({ complaint_id: 'C-D004', dealer_code: 'D004' }));
  await office.complaints.create(complaintRecord({ complaint_id: 'C-D006', dealer_code: 'D006', service_fault: false }));
});

describe("the month's scorecards worst first across the pages", () => {
  it("orders each page on its own until the rebuild keeps the month's scores, then pages the month worst first: three pages of two", async () => {
    const before = await worstPages(2);
    expect(before.orders).toEqual(['page']);
    // A page is two reports in code order, with the complaint-only dealers whose codes fall in its range.
    expect(before.pages).toEqual([['D002', 'D001'], ['D004', 'D003', 'D005'], ['D006']]);

    expect(await rebuildReadModels(office, '2026-10', '2026-10')).toMatchObject({ month_scores_kept: 6 });

    const after = await worstPages(2);
    expect(after.orders).toEqual(['month']);
    expect(after.pages).toEqual([['D004', 'D003'], ['D002', 'D005'], ['D001', 'D006']]);
    expect(after.pages.flat()).toEqual(byWorstFigure(await monthScorecards(office, finance, '2026-10')).map((c) => c.dealer));
    // The cards are the cards the month gives, the maker's figures and the late steps beside them.
    const cards = (await monthScorecardPage(office, finance, '2026-10', undefined, { limit: 6 }, 'worst')).cards;
    expect(byWorstFigure(await monthScorecards(office, finance, '2026-10'))).toEqual(cards);
  });

  it('pages the route as the portal asks it, `sort=worst&limit=2` and each next_cursor, the answer saying which order it gives', async () => {
    await rebuildReadModels(office, '2026-10', '2026-10');
    const route = QUALITY_ROUTES.find((r) => r.method === 'GET' && r.path === '/api/scorecards')!;
    const pages: unknown[] = [];
    let cursor: string | undefined;
    do {
      const reply = await route.run(office as never, finance, { params: {}, query: { period: '2026-10', sort: 'worst', limit: 2, ...(cursor === undefined ? {} : { cursor }) }, body: undefined });
      const json = ('json' in reply ? reply.json : undefined) as { dealers: { dealer: string }[]; next_cursor: string | null; order: string };
      pages.push({ order: json.order, dealers: json.dealers.map((d) => d.dealer) });
      cursor = json.next_cursor ?? undefined;
    } while (cursor !== undefined);
    expect(pages).toEqual([{ order: 'month', dealers: ['D004', 'D003'] }, { order: 'month', dealers: ['D002', 'D005'] }, { order: 'month', dealers: ['D001', 'D006'] }]);
  });

  it('moves a dealer up when the department decides its complaint is the service’s fault, and back when it revises that', async () => {
    await rebuildReadModels(office, '2026-10', '2026-10');
    const form = { complaint_id: 'C-9', received_at: '2026-10-20T10:00', dealer_code: 'D001', customer_name: '陈小姐', phone: '13912345678', product_model: 'WC-800', serial_no: 'SN-WC-0001', category: 'attitude', service_fault: 'no' };
    expect((await recordComplaint(office, caller('admin'), form)).status).toBe('recorded');
    expect((await worstPages(6)).pages[0]).toEqual(['D004', 'D003', 'D002', 'D005', 'D001', 'D006']);

    await updateComplaint(office, caller('admin'), 'C-9', { service_fault: true, reason: '未按约上门' }, 1);
    expect((await worstPages(6)).pages[0]).toEqual(['D004', 'D001', 'D003', 'D002', 'D005', 'D006']);

    await updateComplaint(office, caller('admin'), 'C-9', { service_fault: false, reason: '复核：客户原因' }, 2);
    expect((await worstPages(6)).pages[0]).toEqual(['D004', 'D003', 'D002', 'D005', 'D001', 'D006']);
  });

  it('moves a dealer when a new upload of its repair report becomes current', async () => {
    await rebuildReadModels(office, '2026-10', '2026-10');
    const upload = async (rows: Parameters<typeof repairRow>[0][], n: number) =>
      ingestReport(office, { bytes: await reportWorkbook('repair', rows.map(repairRow)), target: october('D006'), receivedAt: new Date(`2026-11-0${n}T08:00:00+08:00`), sourceId: `d006-${n}` });
    expect(await upload([{ repair_id: 'F1', arrived_at: '2026-10-12 09:00', completed_date: '2026-10-12' }], 3)).toMatchObject({ status: 'accepted' });
    expect((await worstPages(6)).pages[0]).toEqual(['D004', 'D003', 'D006', 'D002', 'D005', 'D001']);

    expect(await upload([{ repair_id: 'F1' }], 4)).toMatchObject({ status: 'accepted' });
    expect((await worstPages(6)).pages[0]).toEqual(['D004', 'D003', 'D002', 'D005', 'D001', 'D006']);
  });
});

describe('two writers keeping one dealer’s month at once', () => {
  it('ends with the score a recomputation gives, though the first saves on inputs the second changed', async () => {
    await rebuildReadModels(office, '2026-10', '2026-10');
    // Writer A (a complaint decided the service's fault) reads the stamp and its inputs, then waits before saving.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const readDone = new Promise<void>((resolve) => (reached = resolve));
    let saves = 0;
    const slowScores = {
      ...office.scores,
      find: office.scores.find.bind(office.scores),
      worstFirst: office.scores.worstFirst.bind(office.scores),
      completeFrom: office.scores.completeFrom.bind(office.scores),
      markComplete: office.scores.markComplete.bind(office.scores),
      save: async (...args: Parameters<typeof office.scores.save>) => {
        if ((saves += 1) === 1) {
          reached();
          await held;
        }
        return office.scores.save(...args);
      },
    };
    await office.complaints.create(complaintRecord({ complaint_id: 'C-A', dealer_code: 'D001', service_fault: true }));
    const writerA = keepMonthScore({ ...office, scores: slowScores }, 'D001', '2026-10');
    await readDone;

    // Writer B (a new upload making D001's month worse) writes and keeps meanwhile.
    await currentReport(office, october('D001'), [repairItem('A1', late), repairItem('A2', { satisfaction: 'dissatisfied' }, 3)], true);
    await keepMonthScore(office, 'D001', '2026-10');

    release();
    await writerA;

    const kept = await office.scores.find('D001', '2026-10');
    expect(kept.score).toEqual(await scoreNow(office, 'D001', '2026-10'));
    expect(kept.score?.card).toMatchObject({ repairs: 2, complaint_rate: { breaches: ['C-A'] }, reached_24h: { breaches: ['A1'] } });
    expect(saves).toBe(2);
  });

  it('ends with a recomputation whatever order the two writers’ reads and saves resolve in (fast-check’s scheduler)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.boolean(), fc.integer({ min: 0, max: 2 }), async (s, fault, lateRepairs) => {
        office = await demoBackOffice();
        await office.complaints.indexMonths('2026-10', '2026-10');
        await currentReport(office, october('D001'), [repairItem('A1'), repairItem('A2', {}, 3)]);
        // Every read and save of the keepers resolves when the scheduler says.
        const scheduled = <T extends object>(store: T): T =>
          new Proxy(store, { get: (target, name, receiver) => { const value = Reflect.get(target, name, receiver); return typeof value === 'function' ? s.scheduleFunction(value.bind(target)) : value; } });
        const deps = { ...office, scores: scheduled(office.scores), complaints: scheduled(office.complaints), reports: scheduled(office.reports), verification: scheduled(office.verification) };
        // Each writer's own write lands when the scheduler says too, so one may read before the other writes.
        const complaintWriter = (async () => {
          await s.schedule(Promise.resolve('the complaint is written'));
          await office.complaints.create(complaintRecord({ complaint_id: 'C-RACE', dealer_code: 'D001', service_fault: fault }));
          await keepMonthScore(deps, 'D001', '2026-10');
        })();
        const reportWriter = (async () => {
          await s.schedule(Promise.resolve('the report is committed'));
          await currentReport(office, october('D001'), ['B1', 'B2', 'B3'].map((id, i) => repairItem(id, i < lateRepairs ? late : {}, i + 2)), true);
          await keepMonthScore(deps, 'D001', '2026-10');
        })();
        await s.waitFor(Promise.all([complaintWriter, reportWriter]));
        expect((await office.scores.find('D001', '2026-10')).score).toEqual(await scoreNow(office, 'D001', '2026-10'));
      }),
      { numRuns: 60 },
    );
  });
});

describe('a month too large to keep its card', () => {
  it('keeps its place, and the page reads its card as the dealer’s own is read', async () => {
    await currentReport(office, october('D003'), Array.from({ length: 6_000 }, (_, i) => repairItem(`C-A-LONG-REPAIR-ID-OF-THE-DEALER-${i}`, late, i + 2)), true);
    await rebuildReadModels(office, '2026-10', '2026-10');
    expect((await office.scores.find('D003', '2026-10')).score).toMatchObject({ dealer: 'D003', card: null });
    const cards = (await monthScorecardPage(office, finance, '2026-10', undefined, { limit: 3 }, 'worst')).cards;
    expect(cards.map((c) => c.dealer)).toEqual(['D004', 'D003', 'D002']);
    expect(cards[1]).toEqual((await monthScorecards(office, finance, '2026-10', 'D003'))[0]);
    expect(cards[1]!.reached_24h.breaches).toHaveLength(6_000);
  });
});

describe("the maker's figures beside a kept card", () => {
  it('are kept again when the department records a call, without moving the dealer', async () => {
    await rebuildReadModels(office, '2026-10', '2026-10');
    const before = (await monthScorecardPage(office, finance, '2026-10', undefined, { limit: 6 }, 'worst')).cards;
    const d005 = before.find((c) => c.dealer === 'D005')!;
    expect(d005.verified?.called).toBe(0);
    const [first] = drawSample('D005', '2026-10', ['E1', 'E2', 'E3', 'E4'].map((repair_id) => ({ repair_id, service_type: 'repair' as const })), office.config.verificationSample ?? DEFAULT_SAMPLE_RULE);
    expect((await recordVerificationCall(office, caller('admin'), 'D005', first!, { reached: true, confirmed: true, satisfaction: 'satisfied' })).status).toBe('recorded');
    const after = (await monthScorecardPage(office, finance, '2026-10', undefined, { limit: 6 }, 'worst')).cards;
    expect(after.map((c) => c.dealer)).toEqual(before.map((c) => c.dealer));
    expect(after.find((c) => c.dealer === 'D005')!.verified?.called).toBe(1);
  });
});
