import { beforeEach, describe, expect, it } from 'vitest';
import { ingestReport } from '../../../shared/app/ingest-report.js';
import { Refusal, whoAmI } from '../../../shared/app/access.js';
import { invoiceDetail, listInvoices } from '../../../shared/app/invoices.js';
import { setFormStatus } from '../../../shared/app/finance/form-life.js';
import { periodReconciliation, reconciliationKeys } from '../../../shared/app/reconciliation-downloads.js';
import { monthReports, reportUploadStatus, reportVersion, requestReportUpload, uploadReport } from '../../../shared/app/reports.js';
import { refuseWithoutTicket } from '../../../shared/app/uploads.js';
import type { Issue } from '../../../shared/domain/issues.js';
import { periodStatistics, requestStatistics, runWorkerJob } from '../../../shared/app/statistics-downloads.js';
import { preparedDealerArchive, requestDealerArchive } from '../../../shared/app/quality/dealer-archive.js';
import { listTemplates, template } from '../../../shared/app/templates.js';
import { XLSX_CONTENT_TYPE } from '../../../shared/sheets/content-type.js';
import type { BlobStore, InvoiceStore, ReportTarget, StoredInvoice } from '../../../shared/app/ports.js';
import { planReconciliation, reconcilePeriod } from '../../../shared/app/reconcile.js';
import { uploadKey, uploadSourceId } from '../../../shared/app/upload-keys.js';
import { caller, currentReport, demoBackOffice, type DemoBackOffice } from '../../helpers/memory/world.js';
import { shipment } from '../../helpers/ledger.js';
import { installationRow, reportWorkbook } from '../../helpers/reports.js';
import { draftInvoice, installation, outOfWarrantyRepair } from '../../contract/fixtures.js';

const dealer = caller('dealer', 'D001');
const finance = caller('finance');
const admin = caller('admin');
const warehouse = caller('warehouse');
const october = (dealer_code = 'D001', type: ReportTarget['type'] = 'installation'): ReportTarget => ({ dealer: dealer_code, type, period: '2026-10' });

let office: DemoBackOffice;
beforeEach(async () => {
  office = await demoBackOffice('2026-11-02T02:00:00.000Z');
});

/** The refusal a portal call ends in. */
async function refusal(work: Promise<unknown>): Promise<Refusal> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Refusal)) throw new Error(`expected a Refusal, got ${String(error)}`);
  return error;
}

/** What the browser does with a ticket, then what the ingest handler does with the object that lands. */
async function uploadAndIngest(target: ReportTarget, key: string, bytes: Uint8Array): Promise<void> {
  await office.blobs.put('uploads', key, bytes, XLSX_CONTENT_TYPE);
  const identity = (await office.links.identity('uploads', key))!;
  await ingestReport(office, { bytes, target, receivedAt: office.clock.now(), sourceId: uploadSourceId(office.config.buckets.uploads, key, identity) });
}

describe('who is signed in, and the templates', () => {
  it("names a dealer user's dealer, and no dealer for back-office users", async () => {
    expect(await whoAmI(office, dealer)).toEqual({ subject: 'dealer-user', roles: ['dealer'], dealer: 'D001', dealer_name: '华东卫浴服务中心', business_time_zone: 'Asia/Shanghai' });
    expect(await whoAmI(office, finance)).toEqual({ subject: 'finance-user', roles: ['finance'], dealer: null, dealer_name: null, business_time_zone: 'Asia/Shanghai' });
  });

  it('gives every role the templates, as workbooks', async () => {
    expect(listTemplates(warehouse).map((t) => t.type)).toContain('installation');
    const { fileName, bytes } = await template(office, dealer, 'repair');
    expect(fileName).toMatch(/\.xlsx$/);
    expect([...bytes.slice(0, 2)]).toEqual([0x50, 0x4b]);
  });
});

describe("a dealer's report upload through the portal", () => {
  it('gives a form for a key made from the dealer, type and month, for a workbook of limited size, for fifteen minutes', async () => {
    const ticket = await requestReportUpload(office, dealer, october());
    expect(ticket.form.fields.key).toBe(`installation/D001/2026-10/${ticket.upload_id}.xlsx`);
    expect(ticket).toMatchObject({ content_type: XLSX_CONTENT_TYPE, max_bytes: office.config.maxUploadBytes, expires_at: '2026-11-02T02:15:00.000Z' });
  });

  it("refuses a dealer another dealer's upload, and an upload for a dealer not in the master data", async () => {
    expect(await refusal(requestReportUpload(office, dealer, october('D002')))).toMatchObject({ code: 'forbidden', denied: { reason: 'dealer', dealer: 'D002' } });
    expect(await refusal(requestReportUpload(office, admin, october('D999')))).toMatchObject({ code: 'not_found' });
    expect(await refusal(requestReportUpload(office, finance, october()))).toMatchObject({ code: 'forbidden', denied: { reason: 'role' } });
  });

  it('tells where an upload stands: waiting, being checked, then rejected with every error and the marked workbook', async () => {
    // Prepare
    const target = october();
    const ticket = await requestReportUpload(office, dealer, target);
    const key = ticket.form.fields.key!;
    const bad = await reportWorkbook('installation', [installationRow({ install_date: '2026/13/45' })]);
    // Act and assess
    expect(await reportUploadStatus(office, dealer, target, ticket.upload_id)).toEqual({ state: 'waiting' });
    await office.blobs.put('uploads', key, bad, XLSX_CONTENT_TYPE);
    expect(await reportUploadStatus(office, dealer, target, ticket.upload_id)).toEqual({ state: 'processing' });
    await uploadAndIngest(target, key, bad);
    const state = await reportUploadStatus(office, dealer, target, ticket.upload_id);
    expect(state).toMatchObject({ state: 'rejected', submission: { status: 'rejected', version: 1, errors_total: 1 } });
    expect(state.state === 'rejected' && state.submission.errors.map((e) => [e.row, e.column, e.code])).toEqual([[2, 'install_date', 'invalid_date']]);
    expect(state.state === 'rejected' && state.submission.error_workbook_url).toContain(encodeURIComponent('error-reports/D001/installation/2026-10/v1.xlsx'));
  });

  it('shows an accepted upload as superseded once a newer one is current', async () => {
    const target = october();
    const first = await requestReportUpload(office, dealer, target);
    await uploadAndIngest(target, first.form.fields.key!, await reportWorkbook('installation', [installationRow()]));
    expect(await reportUploadStatus(office, dealer, target, first.upload_id)).toMatchObject({ state: 'accepted', submission: { status: 'accepted' } });
    const second = await requestReportUpload(office, dealer, target);
    await uploadAndIngest(target, second.form.fields.key!, await reportWorkbook('installation', [installationRow({ install_id: 'IN-2' })]));
    expect(await reportUploadStatus(office, dealer, target, first.upload_id)).toMatchObject({ state: 'accepted', submission: { status: 'superseded' } });
  });

  it("shows a dealer's month: each report due, missing, late or on time, its versions newest first", async () => {
    // Prepare
    await currentReport(office, october('D001', 'installation'), [installation()]);
    await currentReport(office, october('D001', 'installation'), [installation()], true);
    // Act
    const beforeDeadline = await monthReports(office, dealer, 'D001', '2026-10');
    office.clock.set('2026-11-04T02:00:00.000Z');
    const afterDeadline = await monthReports(office, dealer, 'D001', '2026-10');
    // Assess
    expect(beforeDeadline.deadline).toBe('2026-11-03');
    expect(beforeDeadline.reports.map((r) => [r.type, r.marker, r.current_version])).toEqual([
      ['installation', 'late', 2],
      ['repair', 'due', null],
    ]);
    expect(afterDeadline.reports[1]?.marker).toBe('missing');
    expect(beforeDeadline.reports[0]?.versions.map((v) => [v.version, v.status])).toEqual([
      [2, 'accepted'],
      [1, 'superseded'],
    ]);
    expect(beforeDeadline.reports[0]?.versions[0]).not.toHaveProperty('source');
  });

  it('shows one version with the full list of its errors, and answers a version that does not exist as not found', async () => {
    const target = october();
    const ticket = await requestReportUpload(office, dealer, target);
    const rows = Array.from({ length: 3 }, (_, i) => installationRow({ install_id: `IN-${i}`, serial_no: `SN-${i}`, install_date: 'bad' }));
    await uploadAndIngest(target, ticket.form.fields.key!, await reportWorkbook('installation', rows));
    expect(await reportVersion(office, finance, target, 1)).toMatchObject({ status: 'rejected', errors_total: 3, version: 1 });
    expect(await refusal(reportVersion(office, finance, target, 7))).toMatchObject({ code: 'not_found' });
  });
});

describe('upload tickets: the second check behind the presigned form', () => {
  const receivedAt = new Date('2026-11-02T02:05:00.000Z');
  const arrival = (key: string, target = october()) => ({ key, target, receivedAt, sourceId: `s3://uploads/${key}#etag` });

  it('keeps a ticket for each form handed out: the key, whose report, until when', async () => {
    const ticket = await requestReportUpload(office, dealer, october());
    expect(await office.tickets.find(ticket.form.fields.key!)).toEqual({ key: ticket.form.fields.key, upload_id: ticket.upload_id, target: october(), expires_at: ticket.expires_at });
  });

  it('takes in an object under the key of a ticket, arrived before the ticket expired', async () => {
    const ticket = await requestReportUpload(office, dealer, october());
    expect(await refuseWithoutTicket(office, arrival(ticket.form.fields.key!))).toBeNull();
  });

  it('refuses, and records for the uploader, an object under a key no ticket names: another dealer’s key in a dealer’s form', async () => {
    // Prepare: D001 has a form; an object lands under a D002 key of D001's choosing
    await requestReportUpload(office, dealer, october());
    const forged = arrival(uploadKey(october('D002'), 'chosen-by-d001'), october('D002'));
    // Act
    const reason = await refuseWithoutTicket(office, forged);
    // Assess
    expect(reason).toBe('no_ticket');
    const outcome = await office.reports.findOutcome(forged.sourceId);
    expect(outcome).toMatchObject({ status: 'rejected', version: null, errors: [{ code: 'upload_without_ticket', message: expect.stringContaining('portal'), message_zh: expect.stringContaining('门户') }] });
    expect(await office.reports.versions(october('D002'))).toEqual([]);
  });

  it('refuses an object that arrived after its ticket expired', async () => {
    const ticket = await requestReportUpload(office, dealer, october());
    const late = { ...arrival(ticket.form.fields.key!), receivedAt: new Date('2026-11-02T02:15:00.001Z') };
    expect(await refuseWithoutTicket(office, late)).toBe('expired');
    expect((await office.reports.findOutcome(late.sourceId))?.errors[0]?.message).toContain('expired');
  });

  it('gives the command line’s upload a ticket too, the same way as the portal’s form', async () => {
    // Prepare: the ingest handler's part, played by hand once the object is there
    const bytes = await reportWorkbook('installation', [installationRow()]);
    let key = '';
    // Act
    const answer = await uploadReport(office, october(), bytes, {
      waitMs: 0,
      onUploaded: (location) => (key = location.replace(`s3://${office.config.buckets.uploads}/`, '')),
    });
    // Assess
    expect(answer).toBeUndefined();
    expect(await office.tickets.find(key)).toMatchObject({ key, target: october(), expires_at: '2026-11-02T02:15:00.000Z' });
    expect(await refuseWithoutTicket(office, arrival(key))).toBeNull();
  });
});

describe('the edges a probe found', () => {
  it('records an upload for a month out of range (9999-12) as rejected, instead of failing on the date arithmetic', async () => {
    const target = { ...october(), period: '9999-12' };
    const result = await ingestReport(office, { bytes: await reportWorkbook('installation', [installationRow()]), target, receivedAt: office.clock.now(), sourceId: 'far-future' });
    expect([result.status, result.errors.map((e) => e.code)]).toEqual(['rejected', ['invalid_period']]);
    expect(await office.reports.findOutcome('far-future')).toMatchObject({ status: 'rejected' });
  });

  it('answers an upload’s status and version in well under Lambda’s 6 MB, whatever its issues quote; the full list stays in the workbook', async () => {
    // Prepare: a rejected upload of 300 cells of 32,767 characters, its full issue list beside its workbook
    const target = october();
    const ticket = await requestReportUpload(office, dealer, target);
    const key = ticket.form.fields.key!;
    await office.blobs.put('uploads', key, 'the upload', XLSX_CONTENT_TYPE);
    const sourceId = uploadSourceId(office.config.buckets.uploads, key, (await office.links.identity('uploads', key))!);
    const huge: Issue[] = Array.from({ length: 300 }, (_, i) => ({ row: i + 2, column: 'owner_name', value: '长'.repeat(32_767), code: 'too_long', message: 'too long', message_zh: '过长' }));
    const { version } = await office.reports.claim(sourceId, target, '2026-11-02T02:00:00.000Z');
    await office.reports.discard(target, version, { received_at: '2026-11-02T02:00:00.000Z', late: false, counts: { rows: 300, records: 0, part_lines: 0 }, source: sourceId });
    const workbookKey = 'error-reports/D001/installation/2026-10/v1.xlsx';
    await office.blobs.put('reports', workbookKey.replace(/\.xlsx$/, '.json'), JSON.stringify({ errors: huge, warnings: huge }), 'application/json');
    await office.reports.recordOutcome(sourceId, { status: 'rejected', target, version, late: false, received_at: '2026-11-02T02:00:00.000Z', counts: { rows: 300, records: 0, part_lines: 0 }, errors: huge.slice(0, 1), warnings: [], error_report_key: workbookKey });
    // Act
    const status = await reportUploadStatus(office, dealer, target, ticket.upload_id);
    const shown = await reportVersion(office, dealer, target, version);
    // Assess
    for (const answer of [status, shown]) expect(Buffer.byteLength(JSON.stringify(answer))).toBeLessThan(1_000_000);
    expect(shown).toMatchObject({ errors_total: 300, warnings_total: 300 });
    expect(shown.errors).toHaveLength(300);
    expect(shown.errors[0]?.value).toBe(`${'长'.repeat(199)}…`);
  });
});

describe('invoices in the portal', () => {
  let d001: StoredInvoice;
  beforeEach(async () => {
    const made = await office.invoices.create('D001', '2026-10', 0, draftInvoice('D001', '2026-10'));
    await office.invoices.create('D002', '2026-10', 0, draftInvoice('D002', '2026-10'));
    if (made.status !== 'created') throw new Error('setup: invoice not created');
    d001 = made.invoice;
  });

  it('lists a dealer its own invoices only, and finance every dealer’s with the total', async () => {
    expect((await listInvoices(office, dealer, '2026-10')).invoices.map((i) => i.invoice_no)).toEqual(['FY-2026-10-0001']);
    expect(await listInvoices(office, finance, '2026-10')).toMatchObject({ count: 2, total: '71.00', dealer: null });
    expect(await refusal(listInvoices(office, dealer, '2026-10', 'D002'))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(listInvoices(office, warehouse, '2026-10'))).toMatchObject({ code: 'forbidden', denied: { reason: 'role' } });
  });

  it('lists every dealer’s a page at a time by number, with the period’s count and total on each page', async () => {
    const first = await listInvoices(office, finance, '2026-10', undefined, { limit: 1 });
    const second = await listInvoices(office, finance, '2026-10', undefined, { limit: 1, cursor: first.next_cursor ?? '' });
    expect([first, second].map((p) => [p.invoices.map((i) => i.invoice_no), p.count, p.total, p.next_cursor === null])).toEqual([
      [['FY-2026-10-0001'], 2, '71.00', false],
      [['FY-2026-10-0002'], 2, '71.00', true],
    ]);
  });

  it("answers another dealer's invoice number exactly like one that does not exist", async () => {
    const other = await refusal(invoiceDetail(office, dealer, 'FY-2026-10-0002'));
    const none = await refusal(invoiceDetail(office, dealer, 'FY-2026-10-0099'));
    const said = (e: Refusal) => [e.code, e.message, e.message_zh].map((text) => text.replace(/FY-2026-10-\d+/, '<number>'));
    expect(said(other)).toEqual(said(none));
    expect(other.denied).toMatchObject({ reason: 'dealer', dealer: 'D002' });
  });

  it('answers a role that may not read invoices the same for a number that exists and one that does not', async () => {
    const existing = await refusal(invoiceDetail(office, warehouse, d001.invoice_no));
    const none = await refusal(invoiceDetail(office, warehouse, 'FY-2026-10-0099'));
    expect(existing).toMatchObject({ code: 'forbidden', denied: { reason: 'role' } });
    expect([none.code, none.message, none.message_zh]).toEqual([existing.code, existing.message, existing.message_zh]);
    expect(await refusal(setFormStatus(office, dealer, 'FY-2026-10-0099', 'paid'))).toMatchObject({ code: 'forbidden', denied: { reason: 'role' } });
  });

  it('gives an invoice with its lines in yuan and a download link once its workbook is written', async () => {
    expect(await invoiceDetail(office, dealer, d001.invoice_no)).toMatchObject({ total: '35.50', download_url: null, lines: [expect.objectContaining({ unit_price: '35.50', amount: '35.50' })] });
    await office.invoices.setWorkbook(d001, 'invoices/2026-10/D001-FY-2026-10-0001.xlsx');
    expect((await invoiceDetail(office, dealer, d001.invoice_no)).download_url).toContain(encodeURIComponent('FY-2026-10-0001.xlsx'));
  });

  it('lets finance alone move an invoice on, and refuses a move the rules do not allow', async () => {
    expect(await setFormStatus(office, finance, d001.invoice_no, 'issued')).toMatchObject({ status: 'issued', next_statuses: ['void'] });
    expect(await refusal(setFormStatus(office, finance, d001.invoice_no, 'draft'))).toMatchObject({ code: 'invalid' });
    expect(await refusal(setFormStatus(office, admin, d001.invoice_no, 'paid'))).toMatchObject({ code: 'forbidden' });
  });

  it('refuses a status change when someone changed the invoice since it was read, and keeps their change', async () => {
    // Prepare: another finance user archives the invoice between this one's read and write
    const racing: InvoiceStore = Object.assign(Object.create(office.invoices) as InvoiceStore, {
      byPeriod: async (period: string, dealer_code?: string) => {
        const found = await office.invoices.byPeriod(period, dealer_code);
        await office.invoices.revise(d001, { ...d001, status: 'archived', revision: (d001.revision ?? 0) + 1 });
        return found;
      },
    });
    // Act
    const error = await refusal(setFormStatus({ ...office, invoices: racing }, finance, d001.invoice_no, 'issued'));
    // Assess
    expect(error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/changed by someone else/) });
    expect((await office.invoices.byPeriod('2026-10', 'D001'))[0]?.status).toBe('archived');
  });
});

describe('month-end figures in the portal', () => {
  it('gives the reconciliation sheet the run wrote once reconciled, with what was flagged, and says when it has not been', async () => {
    // Prepare
    await currentReport(office, october('D001', 'repair'), [outOfWarrantyRepair('RP-1')]);
    await office.ledger.record('shipments', [shipment({ shipment_id: 'S1', shipped_date: '2026-10-09', repair_id: 'RP-1' })], 'setup');
    expect(await refusal(periodReconciliation(office, finance, '2026-10', '2026-11-05'))).toMatchObject({ code: 'not_found' });
    await reconcilePeriod({ ...office, renderInvoice: async () => new Uint8Array() }, { period: '2026-10', as_of: '2026-11-05' });
    const neverRenders = async (): Promise<Uint8Array> => {
      throw new Error('the API must not build a workbook the run has written');
    };
    // Act
    const sheet = await periodReconciliation({ ...office, renderReconciliation: neverRenders }, finance, '2026-10', '2026-11-05');
    // Assess
    expect(sheet).toMatchObject({ status: 'ready', dealers: 3, flagged: 1, workbook_url: expect.stringContaining('reconciliations%2F2026-10-2026-11-05.xlsx') });
    expect(await office.blobs.list('reports', 'reconciliations/')).toEqual(['reconciliations/2026-10-2026-11-05.json', 'reconciliations/2026-10-2026-11-05.xlsx']);
    expect(await refusal(periodReconciliation(office, dealer, '2026-10', '2026-11-05'))).toMatchObject({ code: 'forbidden' });
  });

  it('says the reconciliation is being prepared while its run is still running', async () => {
    // Prepare
    await planReconciliation(office, { period: '2026-10', as_of: '2026-11-05' });
    // Act
    const sheet = await periodReconciliation(office, admin, '2026-10', '2026-11-05');
    // Assess
    expect(sheet).toEqual({ status: 'preparing', period: '2026-10', as_of: '2026-11-05', dealers_total: 3, dealers_done: 0 });
    expect(await office.blobs.list('reports', 'reconciliations/')).toEqual([]);
  });

  it('builds and keeps the sheet of a run settled before runs wrote their own', async () => {
    // Prepare
    const { stem } = reconciliationKeys('2026-10', '2026-11-05');
    const beforeThisRelease: BlobStore = {
      put: async (bucket, key, body, type) => (key.startsWith(stem) ? undefined : office.blobs.put(bucket, key, body, type)),
      get: (bucket, key, version) => office.blobs.get(bucket, key, version),
      list: (bucket, prefix) => office.blobs.list(bucket, prefix),
    };
    await reconcilePeriod({ ...office, blobs: beforeThisRelease, renderInvoice: async () => new Uint8Array() }, { period: '2026-10', as_of: '2026-11-05' });
    // Act
    const sheet = await periodReconciliation(office, finance, '2026-10', '2026-11-05');
    // Assess
    expect(sheet).toMatchObject({ status: 'ready', dealers: 3, flagged: 0 });
    expect(await office.blobs.list('reports', 'reconciliations/')).toEqual(['reconciliations/2026-10-2026-11-05.json', 'reconciliations/2026-10-2026-11-05.xlsx']);
  });

  it("makes the month's statistics when asked, per dealer with what each was charged, and stores the workbook", async () => {
    // Prepare
    await currentReport(office, october('D002'), [installation(), installation({ install_id: 'IN-2', serial_no: 'SN-2' })]);
    await office.invoices.create('D002', '2026-10', 0, draftInvoice('D002', '2026-10'));
    expect(await refusal(periodStatistics(office, admin, '2026-10'))).toMatchObject({ code: 'not_found' });
    // Act
    const asked = await requestStatistics(office, admin, '2026-10');
    const before = await periodStatistics(office, admin, '2026-10');
    for (const job of office.statisticsJobs.take()) await runWorkerJob(office, job);
    const figures = await periodStatistics(office, admin, '2026-10');
    // Assess
    expect(asked).toEqual({ status: 'preparing', period: '2026-10', requested_at: '2026-11-02T02:00:00.000Z' });
    expect(before).toEqual(asked);
    if (figures.status !== 'ready') throw new Error(`statistics still ${figures.status}`);
    expect(figures.totals).toMatchObject({ installations: 2, repairs: 0 });
    expect(figures.dealers).toEqual([{ dealer_code: 'D002', dealer_name: '华南洁具安装服务部', installations: 2, repairs: 0, charged_fen: 3550, charged: '35.50' }]);
    expect(figures).toMatchObject({ made_at: '2026-11-02T02:00:00.000Z', workbook_url: expect.stringContaining('statistics%2F2026-10.20261102T020000000Z.xlsx') });
    expect((await office.blobs.list('reports', 'statistics/')).sort()).toEqual(['statistics/2026-10.20261102T020000000Z.xlsx', 'statistics/2026-10.figures.20261102T020000000Z.json', 'statistics/2026-10.request.20261102T020000000Z.json']);
  });

  it('has the worker make the dealer archive asked for, answered preparing until then and then by link; the latest request wins', async () => {
    expect(await refusal(preparedDealerArchive(office, finance, '2026-09', '2026-10'))).toMatchObject({ code: 'not_found' });
    expect(await refusal(requestDealerArchive(office, finance, '2026-10', '2026-09'))).toMatchObject({ code: 'invalid' });
    expect(await refusal(requestDealerArchive(office, caller('dealer', 'D001'), '2026-09', '2026-10'))).toMatchObject({ code: 'forbidden' });
    const asked = await requestDealerArchive(office, finance, '2026-09', '2026-10');
    expect(await preparedDealerArchive(office, finance, '2026-09', '2026-10')).toEqual(asked);
    for (const job of office.statisticsJobs.take()) await runWorkerJob(office, job);
    expect(await preparedDealerArchive(office, finance, '2026-09', '2026-10')).toMatchObject({ status: 'ready', requested_at: asked.requested_at, workbook_url: expect.stringContaining('dealer-archive') });
    office.clock.set('2026-11-03T02:00:00.000Z');
    await requestDealerArchive(office, finance, '2026-09', '2026-10');
    expect(await preparedDealerArchive(office, finance, '2026-09', '2026-10')).toMatchObject({ status: 'preparing', requested_at: '2026-11-03T02:00:00.000Z' });
  });

  it('says statistics asked for again are being prepared until the worker has made them anew', async () => {
    // Prepare
    await requestStatistics(office, finance, '2026-10');
    for (const job of office.statisticsJobs.take()) await runWorkerJob(office, job);
    office.clock.set('2026-11-03T02:00:00.000Z');
    // Act
    await requestStatistics(office, finance, '2026-10');
    const again = await periodStatistics(office, finance, '2026-10');
    // Assess
    expect(again).toEqual({ status: 'preparing', period: '2026-10', requested_at: '2026-11-03T02:00:00.000Z' });
    expect(office.statisticsJobs.take()).toEqual([{ period: '2026-10', requested_at: '2026-11-03T02:00:00.000Z' }]);
  });

  it('answers the newest request once its job is done, whichever job finishes last: four asked at once, made in any order, never left preparing', async () => {
    // Prepare: four requests a millisecond apart, their jobs all queued.
    for (const at of ['2026-11-02T02:00:00.001Z', '2026-11-02T02:00:00.002Z', '2026-11-02T02:00:00.003Z', '2026-11-02T02:00:00.004Z']) {
      office.clock.set(at);
      await requestStatistics(office, finance, '2026-10');
    }
    const jobs = office.statisticsJobs.take();
    // Act: the newest job finishes first, the oldest last — after the data changed.
    await runWorkerJob(office, jobs[3]!);
    await currentReport(office, october('D002'), [installation()]);
    for (const job of jobs.slice(0, 3).reverse()) await runWorkerJob(office, job);
    const answer = await periodStatistics(office, finance, '2026-10');
    // Assess
    expect(answer).toMatchObject({ status: 'ready', requested_at: '2026-11-02T02:00:00.004Z', totals: { installations: 0 } });
    expect(answer.status === 'ready' && answer.workbook_url).toContain('20261102T020000004Z.xlsx');
  });

  it('lets only finance and admin ask for statistics', async () => {
    expect(await refusal(requestStatistics(office, dealer, '2026-10'))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(periodStatistics(office, dealer, '2026-10'))).toMatchObject({ code: 'forbidden' });
    expect(office.statisticsJobs.take()).toEqual([]);
  });
});
