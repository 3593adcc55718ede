import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deadlinesHandler } from '../../functions/deadlines.js';
import { ingestHandler } from '../../functions/ingest.js';
import { remindersHandler } from '../../functions/reminders.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { lambdaContext } from '../../infra/local/lambda-context.js';
import { setFormStatus } from '../../shared/app/finance/form-life.js';
import type { ReportTarget } from '../../shared/app/ports.js';
import { uploadKey } from '../../shared/app/upload-keys.js';
import { recordTicket } from '../../shared/app/uploads.js';
import { createBackOffice, type BackOffice } from '../../shared/compose.js';
import type { BackOfficeConfig } from '../../shared/config.js';
import { XLSX_CONTENT_TYPE } from '../../shared/sheets/content-type.js';
import { OutboxMailer } from '../../shared/store/outbox-mailer.js';
import { draftInvoice } from '../contract/fixtures.js';
import { shipment } from '../helpers/ledger.js';
import { freshStack } from '../helpers/local-stack.js';
import { caller } from '../helpers/memory/world.js';
import { repairRow, reportWorkbook } from '../helpers/reports.js';

let outbox: string;
let config: BackOfficeConfig;
let office: BackOffice;

const REJECTED: ReportTarget = { dealer: 'D001', type: 'repair', period: '2026-10' };

/** The S3 notification of one report put through a form of the API. */
async function rejectedUpload(): Promise<S3Event> {
  const bytes = await reportWorkbook('repair', [repairRow({ completed_date: 'soon' })]);
  const key = uploadKey(REJECTED, 'notices-month');
  await recordTicket(office, REJECTED, 'notices-month', '2026-11-02T02:15:00.000Z');
  await office.blobs.put('uploads', key, bytes, XLSX_CONTENT_TYPE);
  const eTag = createHash('md5').update(bytes).digest('hex');
  return {
    Records: [{ eventSource: 'aws:s3', eventTime: '2026-11-02T02:00:00.000Z', eventName: 'ObjectCreated:Put', s3: { bucket: { name: config.buckets.uploads }, object: { key, eTag, size: bytes.length } } }],
  } as unknown as S3Event;
}

/** Every job of the month, as the scheduler and S3 run them. */
async function runTheMonth(upload: S3Event, invoiceNo: string): Promise<void> {
  await ingestHandler({ ...office, logLevel: 'ERROR' })(upload, lambdaContext('ingest'));
  await remindersHandler({ ...office, logLevel: 'ERROR' })({ period: '2026-10' }, lambdaContext('reminders'));
  await deadlinesHandler({ ...office, logLevel: 'ERROR' })({ as_of: '2026-11-04' }, lambdaContext('deadlines'));
  await setFormStatus(office, caller('finance'), invoiceNo, 'issued').catch(() => undefined);
}

/** Each .eml in the outbox: to whom, and its subject decoded. */
async function outboxMails(): Promise<Array<{ to: string; subject: string }>> {
  const files = (await readdir(outbox)).filter((f) => f.endsWith('.eml'));
  return Promise.all(
    files.map(async (file) => {
      const eml = await readFile(join(outbox, file), 'utf8');
      const to = /^To: (.*)$/m.exec(eml)?.[1]?.trim() ?? '';
      const encoded = /^Subject: =\?UTF-8\?B\?(.*)\?=$/m.exec(eml)?.[1]?.trim() ?? '';
      return { to, subject: Buffer.from(encoded, 'base64').toString('utf8') };
    }),
  );
}

beforeAll(async () => {
  outbox = await mkdtemp(join(tmpdir(), 'notices-outbox-'));
  config = await freshStack({ OUTBOX_DIR: outbox, NOTICE_FINANCE_EMAILS: 'finance@maker.example', NOTICE_ADMIN_EMAILS: 'aftersales@maker.example' });
  office = createBackOffice(config);
  await office.master.save({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
  // D002's window is 45 days: shipped on 2026-09-25, the valve is due on 2026-11-09, five days after the 4th.
  await office.ledger.record('shipments', [shipment({ shipment_id: 'S-D002', dealer_code: 'D002', shipped_date: '2026-09-25', qty: 2 })], 'notices-test');
});

afterAll(async () => {
  await rm(outbox, { recursive: true, force: true });
});

describe('a month of telling people, on the local stack', () => {
  it('leaves the right .eml files and the same messages in each list, and nothing twice when the jobs run again', async () => {
    // Prepare: a rejected upload, missing reports, a lot due in 5 days and a form to issue
    const upload = await rejectedUpload();
    const created = await office.invoices.create('D001', '2026-10', 0, draftInvoice('D001', '2026-10'));
    if (created.status !== 'created') throw new Error('the form was not made');
    const sends = vi.spyOn(OutboxMailer.prototype, 'send');

    // Act
    await runTheMonth(upload, created.invoice.invoice_no);
    const firstMails = await outboxMails();
    const firstLists = await Promise.all(['D001', 'D002', 'D003', 'finance', 'admin'].map((r) => office.messages.list(r)));
    await runTheMonth(upload, created.invoice.invoice_no);
    await deadlinesHandler({ ...office, logLevel: 'ERROR' })({ as_of: '2026-11-05' }, lambdaContext('deadlines'));

    // Assess
    const [d001, d002, d003, finance, admin] = firstLists;
    expect(d001?.map((m) => m.kind).sort()).toEqual(['form_issued', 'reports_missing', 'upload_checked']);
    expect(d002?.map((m) => m.kind).sort()).toEqual(['lots_due', 'reports_missing']);
    expect(d003?.map((m) => [m.kind, m.mail.status])).toEqual([['reports_missing', 'no_address']]);
    expect(finance?.map((m) => m.kind)).toEqual(['form_issued']);
    expect(admin?.map((m) => m.kind)).toEqual(['reports_follow_up']);
    expect(admin?.[0]?.body.en).toContain('Not reached by mail (no address or mail failed): D003.');
    expect(d002?.find((m) => m.kind === 'lots_due')?.body.en).toContain('P-VALVE-01 进水阀: 2 out, lot S-D002/1, due 2026-11-09 (5 day(s) left), at cost 71.00');

    expect(firstMails.map((m) => m.to).sort()).toEqual([
      'aftersales@maker.example',
      'finance@maker.example',
      'service@d001.dealer.example',
      'service@d001.dealer.example',
      'service@d001.dealer.example',
      'service@d002.dealer.example',
      'service@d002.dealer.example',
    ]);
    expect(firstMails.find((m) => m.subject.includes('维修情况汇总'))?.subject).toContain('退回');
    expect(sends).toHaveBeenCalledTimes(7);
    expect(await outboxMails()).toHaveLength(7);
    for (const [i, recipient] of ['D001', 'D002', 'D003', 'finance', 'admin'].entries()) {
      expect(await office.messages.list(recipient)).toEqual(firstLists[i]);
    }
    sends.mockRestore();
  });

  it('mails, after a crash at the mail client, what was not mailed on the run again: none lost, none twice', async () => {
    // Prepare: a lot of D001 due in 3 days, and a mail client that crashes on its first mail
    await office.ledger.record('shipments', [shipment({ shipment_id: 'S-D001', shipped_date: '2026-09-07', qty: 1 })], 'notices-fault');
    const sent: string[] = [];
    let crashes = 1;
    const flaky = {
      send: async (mail: { id: string }) => {
        if (crashes-- > 0) throw new Error('connection reset');
        sent.push(mail.id);
        return { status: 'sent' as const };
      },
    };
    const job = deadlinesHandler({ ...office, mailer: flaky, logLevel: 'CRITICAL' });
    // Act
    const first = await job({ as_of: '2026-11-03' }, lambdaContext('deadlines')).catch((error: unknown) => error);
    const kept = (await office.messages.list('D001')).filter((m) => m.kind === 'lots_due');
    await job({ as_of: '2026-11-03' }, lambdaContext('deadlines'));
    await job({ as_of: '2026-11-03' }, lambdaContext('deadlines'));
    // Assess
    expect(first).toBeInstanceOf(Error);
    expect(kept.map((m) => m.mail.status)).toEqual(['pending']);
    expect(sent).toEqual([kept[0]?.id]);
    expect((await office.messages.list('D001')).find((m) => m.kind === 'lots_due')?.mail.status).toBe('sent');
  });
});
