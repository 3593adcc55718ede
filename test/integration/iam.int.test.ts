import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import type { BackOfficeConfig } from '../../shared/config.js';
import { createBackOffice, type BackOffice } from '../../shared/compose.js';
import { createApi } from '../../functions/api.js';
import { reconcilePeriod } from '../../shared/app/reconcile.js';
import { startPortalServer, type PortalServer } from '../../infra/local/api-server.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { XLSX_CONTENT_TYPE } from '../../shared/sheets/content-type.js';
import { freshStack } from '../helpers/local-stack.js';
import { backOfficeAs } from '../helpers/acting-as.js';
import { draftInvoice } from '../contract/fixtures.js';
import { complaintRecord } from '../helpers/complaints.js';
import { overdueNow } from '../../shared/app/quality/complaints.js';
import { keepMonthScore } from '../../shared/app/quality/month-scores.js';

/**
 * What IAM decides on AWS, decided here too: each back office below acts as one function, and
 * every call it makes is evaluated against that function's synthesized policy. Each test is a
 * call the code makes in production that a role once did not allow (issue 23).
 */
let config: BackOfficeConfig;
/** Unchecked: puts in place what the test needs, as an operator or another function would. */
let setup: BackOffice;
let server: PortalServer;
const run = { period: '2026-10', as_of: '2026-11-05' };

beforeAll(async () => {
  config = await freshStack();
  setup = createBackOffice(config);
  await setup.master.save({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
  await reconcilePeriod(backOfficeAs(config, 'reconcile-dealer'), run);
  server = await startPortalServer({ config, handler: createApi(backOfficeAs(config, 'api'), { warn: () => undefined }) });
});

afterAll(async () => {
  await server?.stop();
});

const get = async (path: string, user: string) => {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${await server.signIn(user)}` } });
  return { status: response.status, text: await response.text() };
};

describe('the API function', () => {
  it("answers a dealer's position, which reads the month's reconciliation run (RUN#RECON)", async () => {
    const answer = await get('/api/dealers/D001/position', 'dealer-d001');
    expect(answer.text).not.toContain('internal_error');
    expect(answer.status).toBe(200);
  });

  it("answers finance the month's reconciliation workbook, which finds the run first", async () => {
    const answer = await get(`/api/reconciliations/${run.period}?as_of=${run.as_of}`, 'finance');
    expect(answer.text).not.toContain('internal_error');
    expect(answer.status).toBe(200);
  });

  it("answers finance's every-dealer lists a page at a time: the period's forms by its head, one query and BatchGetItem, balances from the journals' heads, scorecards, unboxing cases", async () => {
    await setup.invoices.create('D003', '2026-09', 0, draftInvoice('D003', '2026-09'));
    const paths = ['/api/invoices?period=2026-09&limit=1', '/api/balances?limit=2', '/api/scorecards?period=2026-10&limit=2', '/api/scorecards?period=2026-10&limit=2&sort=worst', '/api/unboxing?period=2026-10&limit=2', '/api/verification/sample?period=2026-10'];
    const answers = await Promise.all(paths.map((path) => get(path, 'finance')));
    expect(answers.map((a) => [a.status, a.text.includes('internal_error')])).toEqual(paths.map(() => [200, false]));
    expect(JSON.parse(answers[0]!.text)).toMatchObject({ count: 1, invoices: [expect.objectContaining({ invoice_no: 'FY-2026-09-0001' })], next_cursor: null });
  });

  it('records a complaint and closes it, each with its entry in the open complaints (COMPLAINT##OPEN) in the same transaction, and lists the overdue and the open ones', async () => {
    const send = async (path: string, body: unknown) => {
      const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${await server.signIn('admin')}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, text: await response.text() };
    };
    const recorded = await send('/api/complaints', { complaint_id: 'C-IAM-1', received_at: '2026-10-20T10:00', dealer_code: 'D001', customer_name: '陈小姐', phone: '13912345678', category: 'attitude' });
    expect([recorded.status, recorded.text.includes('internal_error')]).toEqual([201, false]);
    const closed = await send('/api/complaints/C-IAM-1/steps', { version: 1, close: true });
    expect(closed.text).not.toContain('internal_error');
    const answers = await Promise.all(['/api/complaints/overdue', '/api/complaints/register?open=true'].map((path) => get(path, 'finance')));
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
  });

  it('reads the uploads bucket only under the prefixes it signs forms for', async () => {
    // Prepare
    const api = backOfficeAs(config, 'api');
    await setup.blobs.put('uploads', 'master/2026-11 ops.xlsx', new Uint8Array([1]), XLSX_CONTENT_TYPE);
    await setup.blobs.put('uploads', 'repair/D001/2026-10/u1.xlsx', new Uint8Array([1]), XLSX_CONTENT_TYPE);

    // Act
    const signed = await api.blobs.get('uploads', 'repair/D001/2026-10/u1.xlsx');
    const outside = api.blobs.get('uploads', 'master/2026-11 ops.xlsx');

    // Assess
    expect(signed).toEqual(new Uint8Array([1]));
    await expect(outside).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
  });
});

describe('the ingest function', () => {
  it("keeps the month score a repair report moves from the dealer's complaint copies (COMPLAINT##OPEN says how far they reach; no index), none before they reach the month", async () => {
    const ingest = backOfficeAs(config, 'ingest');
    await setup.complaints.create(complaintRecord({ complaint_id: 'C-IAM-SCORE', dealer_code: 'D003', received_at: '2026-09-12T10:00:00' }));
    await keepMonthScore(ingest, 'D003', '2026-09');
    expect(await setup.scores.find('D003', '2026-09')).toEqual({ score: undefined, stamp: 0 });
    await setup.complaints.indexMonths('2025-01', '2026-12');
    await keepMonthScore(ingest, 'D003', '2026-09');
    expect((await setup.scores.find('D003', '2026-09')).score?.card?.complaint_rate.breaches).toEqual(['C-IAM-SCORE']);
  });
});

describe('the ReconcileDealer function', () => {
  it('records a dealer that fails again on a re-run with another error (a ConditionCheck on the run in its transaction)', async () => {
    // Prepare
    const dealer = backOfficeAs(config, 'reconcile-dealer');
    const key = { ...run, run_id: 'rerun-1' };
    await dealer.reconciliations.saveRun({ ...key, status: 'running', dealers_total: 1, dealers_done: 0, started_at: '2026-11-05T02:00:00Z', finished_at: null });
    await dealer.reconciliations.recordDealerOutcome(key, 'D001', { status: 'failed', error: 'first' }, '2026-11-05T02:01:00Z');

    // Act
    const again = dealer.reconciliations.recordDealerOutcome(key, 'D001', { status: 'failed', error: 'second' }, '2026-11-05T03:01:00Z');

    // Assess
    await expect(again).resolves.toBeDefined();
  });
});

describe('the deadlines function', () => {
  it('lists the overdue complaints from the open complaints (COMPLAINT##OPEN), as the daily job does', async () => {
    await setup.complaints.create(complaintRecord({ complaint_id: 'C-IAM-OPEN', dealer_code: 'D002', received_at: '2026-10-20T10:00:00', first_reply_at: null }));
    await setup.complaints.indexMonths('2025-01', '2026-12');
    const deadlines = backOfficeAs(config, 'deadlines');
    const overdue = await overdueNow({ ...deadlines, clock: { now: () => new Date('2026-11-04T02:00:00Z') } });
    expect(overdue.map((o) => o.complaint.complaint_id)).toContain('C-IAM-OPEN');
  });
});

describe('the master-data import function', () => {
  it('may not read a workbook put under master/ outside the portal form’s master/portal/', async () => {
    await setup.blobs.put('uploads', 'master/dropped.xlsx', new Uint8Array([1]), XLSX_CONTENT_TYPE);
    await expect(backOfficeAs(config, 'import-master').blobs.get('uploads', 'master/dropped.xlsx')).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
