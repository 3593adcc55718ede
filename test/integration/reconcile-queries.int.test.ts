import { describe, expect, it } from 'vitest';
import { createAdapters, createBackOffice, createDocumentClient } from '../../shared/compose.js';
import { monthScorecardPage, scorecardYear, verificationSamplePage } from '../../shared/app/quality/scorecard.js';
import { unboxingCasePage } from '../../shared/app/quality/unboxing.js';
import { keepMonthScores } from '../../shared/app/quality/month-scores.js';
import { DigestCollector } from '../../shared/app/report-digest.js';
import type { ReportItem } from '../../shared/app/ports.js';
import { installation } from '../contract/fixtures.js';
import { complaintRecord } from '../helpers/complaints.js';
import { reconcilePeriod } from '../../shared/app/reconcile.js';
import { dealerBalances, recordPayment } from '../../shared/app/finance/form-life.js';
import { listInvoices } from '../../shared/app/invoices.js';
import { listForms } from '../../shared/app/finance/form-list.js';
import type { ReportTarget } from '../../shared/app/ports.js';
import type { Dealer } from '../../shared/domain/master.js';
import { writeInvoiceWorkbook } from '../../shared/sheets/invoice-workbook.js';
import { DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { countingClient, type SentCommand } from '../helpers/command-counter.js';
import { freshStack } from '../helpers/local-stack.js';
import { returned, shipment, VALVE } from '../helpers/ledger.js';
import { draftInvoice, inWarranty, partLine, repair } from '../contract/fixtures.js';

const finance = { subject: 'finance-user', roles: new Set(['finance'] as const), dealer: null };

/**
 * The monthly reconciliation reads by key only: every dealer costs the same few queries
 * whatever the number of dealers, so a run grows linearly and never scans the table.
 * Each dealer borrowed two valves on 2026-07-10 (overdue by 2026-11-05) for an in-warranty
 * repair its September report shows, and returned one, so every dealer gets an invoice and
 * the loans are cross-checked against the dealer's repairs.
 */
async function reconcileMonthOf(dealerCount: number): Promise<SentCommand[]> {
  const config = await freshStack();
  const counting = countingClient(createDocumentClient(config));
  const adapters = createAdapters(config, counting.client);
  const dealers: Dealer[] = Array.from({ length: dealerCount }, (_, i) => ({
    dealer_code: `D${String(i + 1).padStart(3, '0')}`,
    dealer_name: `经销商 ${i + 1}`,
    region: '华东',
    contact: '王经理',
    phone: '13800000000',
    payment_method: '银行转账',
    return_window_days: null,
  }));
  await adapters.master.save({ dealers, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
  await adapters.ledger.record('shipments', dealers.map((d, i) => shipment({ shipment_id: `S${i}`, dealer_code: d.dealer_code, part_code: VALVE, qty: 2, repair_id: `RP-${i}` })), 'setup');
  for (const [i, d] of dealers.entries()) {
    const september: ReportTarget = { dealer: d.dealer_code, type: 'repair', period: '2026-09' };
    const { version } = await adapters.reports.claim(`setup-${i}`, september, '2026-10-02T10:00:00.000Z');
    await adapters.reports.writeItems(september, version, [repair(`RP-${i}`, inWarranty, 2), partLine(`RP-${i}`, 2)]);
    await adapters.reports.commit(september, version, { received_at: '2026-10-02T10:00:00.000Z', late: false, counts: { rows: 1, records: 1, part_lines: 1 }, source: `setup-${i}` });
  }
  await adapters.ledger.record('returns', dealers.map((d, i) => returned({ return_id: `R${i}`, dealer_code: d.dealer_code })), 'setup');
  counting.sent.length = 0;

  const result = await reconcilePeriod({ ...adapters, config, renderInvoice: writeInvoiceWorkbook }, { period: '2026-10', as_of: '2026-11-05' });

  expect(result.invoices).toHaveLength(dealerCount);
  return [...counting.sent];
}

const queries = (sent: SentCommand[]) => sent.filter((c) => c.name === 'QueryCommand');
const itemsRead = (sent: SentCommand[]) => sent.reduce((sum, c) => sum + c.itemsRead, 0);

describe('the monthly reconciliation against DynamoDB', () => {
  it('never scans, queries by key only, and reads in proportion to the dealers', async () => {
    const [two, four, eight] = [await reconcileMonthOf(2), await reconcileMonthOf(4), await reconcileMonthOf(8)];

    for (const [run, dealers] of [[two, 2], [four, 4], [eight, 8]] as const) {
      expect(run.filter((c) => c.name === 'ScanCommand')).toEqual([]);
      // The loans' repairs are read from the rows of each dealer's current repair report, one query each.
      expect(queries(run).filter((q) => /#REPORT#repair#2026-09#V/.test(String((q.input.ExpressionAttributeValues as Record<string, unknown>)[':pk'])))).toHaveLength(dealers);
      for (const query of queries(run)) {
        expect(query.input.KeyConditionExpression).toMatch(/^(pk|gsi1pk) = :pk\b/);
        expect(query.input.FilterExpression).toBeUndefined();
      }
    }
    // Each added dealer costs the same: doubling from 4 to 8 adds twice what 2 to 4 added.
    const perTwoDealers = queries(four).length - queries(two).length;
    expect(perTwoDealers).toBeGreaterThan(0);
    expect(queries(eight).length - queries(four).length).toBe(2 * perTwoDealers);
    expect(itemsRead(eight) - itemsRead(four)).toBe(2 * (itemsRead(four) - itemsRead(two)));
  });
});

/**
 * The DynamoDB commands of the first page of balances (3 dealers) and of the period's forms
 * (3 forms) with `dealerCount` dealers, each with a form of October, the first paid in part: the
 * second read of each, once the first has brought every journal's head up to date.
 */
async function firstBalanceAndFormPagesOf(dealerCount: number) {
  const config = await freshStack();
  const counting = countingClient(createDocumentClient(config));
  const adapters = createAdapters(config, counting.client);
  const dealers: Dealer[] = Array.from({ length: dealerCount }, (_, i) => ({
    dealer_code: `D${String(i + 1).padStart(3, '0')}`, dealer_name: `经销商 ${i + 1}`, region: '华东', contact: '王经理', phone: '13800000000', payment_method: '银行转账', return_window_days: null,
  }));
  await adapters.master.save({ dealers, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
  for (const { dealer_code: dealer } of dealers) await adapters.invoices.create(dealer, '2026-10', 0, draftInvoice(dealer, '2026-10'));
  // The printed form is not what is measured here.
  await recordPayment({ ...adapters, config, renderInvoice: async () => new Uint8Array() }, finance, 'FY-2026-10-0001', { amount: '10.00', date: '2026-11-05' });
  const sentBy = async <T>(read: () => Promise<T>): Promise<{ answer: T; sent: SentCommand[] }> => {
    await read();
    counting.sent.length = 0;
    const answer = await read();
    return { answer, sent: [...counting.sent] };
  };
  return {
    balances: await sentBy(() => dealerBalances(adapters, finance, undefined, { limit: 3 })),
    forms: await sentBy(() => listInvoices(adapters, finance, '2026-10', undefined, { limit: 3 })),
  };
}

describe("a page of balances and of a period's forms against DynamoDB", () => {
  it("costs the same few commands with 30 dealers as with 3: read from the journals' heads and the period's head, never every dealer or form", async () => {
    const [three, thirty] = [await firstBalanceAndFormPagesOf(3), await firstBalanceAndFormPagesOf(30)];

    expect([three.balances.answer.next_cursor, typeof thirty.balances.answer.next_cursor, three.forms.answer.next_cursor]).toEqual([null, 'string', null]);
    expect(thirty.balances.answer.dealers.map((d) => d.dealer)).toEqual(['D001', 'D002', 'D003']);
    expect(thirty.balances.answer.dealers[0]).toMatchObject({ dealer: 'D001', forms: 1, charged: '35.50', paid: '10.00', balance: '25.50', owed: '25.50' });
    expect([thirty.forms.answer.count, thirty.forms.answer.total, thirty.forms.answer.invoices.length, typeof thirty.forms.answer.next_cursor]).toEqual([30, '1065.00', 3, 'string']);
    expect(thirty.forms.answer.invoices[0]).toMatchObject({ paid: '10.00', owed: '25.50', settlement: 'part_paid' });
    for (const route of ['balances', 'forms'] as const) {
      expect(thirty[route].sent.map((c) => c.name).sort(), route).toEqual(three[route].sent.map((c) => c.name).sort());
      expect(thirty[route].sent.length, route).toBeLessThanOrEqual(5);
      expect(thirty[route].sent.filter((c) => c.name === 'ScanCommand'), route).toEqual([]);
    }
  });
});

describe('a page of the forms list against DynamoDB', () => {
  it('reads three dealers in at most ten commands with 30 dealers in the master data, never a scan', async () => {
    // Prepare
    const config = await freshStack();
    const counting = countingClient(createDocumentClient(config));
    const adapters = createAdapters(config, counting.client);
    const dealers: Dealer[] = Array.from({ length: 30 }, (_, i) => ({
      dealer_code: `D${String(i + 1).padStart(3, '0')}`, dealer_name: `经销商 ${i + 1}`, region: '华东', contact: '王经理', phone: '13800000000', payment_method: '银行转账', return_window_days: null,
    }));
    await adapters.master.save({ dealers, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
    // A warm function has the master data cached: it checks the version only.
    await adapters.master.load();
    counting.sent.length = 0;

    // Act
    const page = await listForms(adapters, { subject: 'finance-user', roles: new Set(['finance']), dealer: null }, { state: 'all' });

    // Assess
    expect(page.dealers_read).toEqual(['D001', 'D002', 'D003']);
    expect(typeof page.next_cursor).toBe('string');
    expect(counting.sent.length).toBeLessThanOrEqual(10);
    expect(counting.sent.filter((c) => c.name === 'ScanCommand')).toEqual([]);
  });
});

/**
 * The DynamoDB commands of the first page (25 dealers) of the month's scorecards, return-call
 * samples and unboxing cases with `dealerCount` dealers, each with a repair and an installation
 * report of October as the ingest commits them (with their digests) and a complaint.
 */
async function firstMonthPagesOf(dealerCount: number) {
  const config = await freshStack();
  const counting = countingClient(createDocumentClient(config));
  const office = createBackOffice(config, { dynamo: counting.client });
  const dealers: Dealer[] = Array.from({ length: dealerCount }, (_, i) => ({
    dealer_code: `D${String(i + 1).padStart(3, '0')}`, dealer_name: `经销商 ${i + 1}`, region: '华东', contact: '王经理', phone: '13800000000', payment_method: '银行转账', return_window_days: null,
  }));
  await office.master.save({ dealers, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
  for (const { dealer_code: dealer } of dealers) {
    const reports: [ReportTarget, ReportItem[]][] = [
      [{ dealer, type: 'repair', period: '2026-10' }, [repair(`W-${dealer}-1`, inWarranty, 2), repair(`W-${dealer}-2`, inWarranty, 3)]],
      [{ dealer, type: 'installation', period: '2026-10' }, [installation({ install_id: `IN-${dealer}`, serial_no: `SN-${dealer}`, unboxing_issue: '面板划伤' })]],
    ];
    for (const [target, items] of reports) {
      const { version } = await office.reports.claim(`setup-${target.type}-${dealer}`, target, '2026-11-02T10:00:00.000Z');
      await office.reports.writeItems(target, version, items);
      const digest = new DigestCollector(target.type);
      digest.add(items);
      await office.reports.commit(target, version, { received_at: '2026-11-02T10:00:00.000Z', late: false, counts: { rows: items.length, records: items.length, part_lines: 0 }, source: `setup-${target.type}-${dealer}` }, digest.digest());
    }
    await office.complaints.create(complaintRecord({ complaint_id: `C-${dealer}`, dealer_code: dealer, received_at: '2026-10-12T10:00:00' }));
  }
  const finance = { subject: 'finance-user', roles: new Set(['finance'] as const), dealer: null };
  const sentBy = async (read: () => Promise<unknown>) => {
    counting.sent.length = 0;
    await read();
    return [...counting.sent];
  };
  const cards = await monthScorecardPage(office, finance, '2026-10', undefined, {});
  const cardsSent = await sentBy(() => monthScorecardPage(office, finance, '2026-10', undefined, {}));
  expect(cards.cards).toHaveLength(Math.min(dealerCount, 25));
  expect(cards.cards.every((c) => c.repairs === 2 && c.verified !== null)).toBe(true);
  await office.complaints.indexMonths('2025-11', '2026-10');
  // The month's scores as the writers keep them, the month marked kept as the rebuild marks it; page 2 of one dealer a page.
  await keepMonthScores(office, dealers.map((d) => ({ dealer: d.dealer_code, period: '2026-10' })));
  await office.scores.markComplete('2026-10');
  const worstFirst = await monthScorecardPage(office, finance, '2026-10', undefined, { limit: 1 }, 'worst');
  expect(worstFirst.order).toBe('month');
  return {
    worst: await sentBy(() => monthScorecardPage(office, finance, '2026-10', undefined, { cursor: worstFirst.next_cursor!, limit: 1 }, 'worst')),
    trend: await sentBy(() => scorecardYear(office, finance, '2026-10', 'D001')),
    scorecards: cardsSent,
    samples: await sentBy(() => verificationSamplePage(office, finance, '2026-10', {})),
    unboxing: await sentBy(() => unboxingCasePage(office, finance, '2026-10', undefined, {})),
  };
}

describe("a page of a month's scorecards, return-call samples and unboxing cases, and a dealer's year, against DynamoDB", () => {
  it('costs the same few commands with 30 dealers as with 3, read from the digests the commit kept (worst first, page 2 from the kept scores); never a scan', async () => {
    const [three, thirty] = [await firstMonthPagesOf(3), await firstMonthPagesOf(30)];
    for (const route of ['scorecards', 'worst', 'samples', 'unboxing', 'trend'] as const) {
      expect(thirty[route].map((c) => c.name).sort(), route).toEqual(three[route].map((c) => c.name).sort());
      expect(thirty[route].length, route).toBeLessThanOrEqual(10);
      expect(thirty[route].filter((c) => c.name === 'ScanCommand'), route).toEqual([]);
    }
  });
});
