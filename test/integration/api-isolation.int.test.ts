import { request as httpRequest } from 'node:http';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateKeyPair, SignJWT } from 'jose';
import type { S3Event, SQSEvent } from 'aws-lambda';
import type { BackOfficeConfig } from '../../shared/config.js';
import { createBackOffice, type BackOffice } from '../../shared/compose.js';
import { createApi } from '../../functions/api.js';
import { statisticsHandler } from '../../functions/statistics.js';
import { MemoryStatisticsJobs } from '../helpers/memory/statistics-jobs.js';
import { ingestHandler } from '../../functions/ingest.js';
import { buildInvoice } from '../../shared/domain/invoice.js';
import { parseYuan } from '../../shared/domain/money.js';
import type { StoredInvoice } from '../../shared/app/ports.js';
import { uploadKey } from '../../shared/app/upload-keys.js';
import { invoiceWorkbookKey, reconcilePeriod } from '../../shared/app/reconcile.js';
import { writeInvoiceWorkbook } from '../../shared/sheets/invoice-workbook.js';
import { startPortalServer, type PortalServer } from '../../infra/local/api-server.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { lambdaContext } from '../../infra/local/lambda-context.js';
import { freshStack } from '../helpers/local-stack.js';
import { backOfficeAs } from '../helpers/acting-as.js';
import { installationRow, repairRow, reportWorkbook } from '../helpers/reports.js';
import { XLSX_CONTENT_TYPE } from '../../shared/sheets/content-type.js';
import { addDays } from '../../shared/domain/dates.js';
import { atBusinessNoon } from '../helpers/business-clock.js';

/**
 * The HTTP API as a browser reaches it through `npm start`'s local server: real tokens, the
 * same API Gateway event and handler as on AWS, DynamoDB Local and s3rver behind. Dealer D002
 * has a rejected report and an invoice; nothing of them may reach anyone but D002 and the back office.
 */
/** The audit log of refused requests, as the API function's logger receives it. */
const audit = { warn: vi.fn<(message: string, attributes: Record<string, unknown>) => void>() };
let config: BackOfficeConfig;
let adapters: BackOffice;
let server: PortalServer;
let d002UploadId: string;
let d002InvoiceNo: string;
let d001InvoiceNo: string;
/** Strings only D002's data contains: its name, its invoice number, a value from its rejected report. */
let d002Secrets: string[];

const D002_BAD_SERIAL = 'SN-ONLY-D002-KNOWS';
const XLSX = XLSX_CONTENT_TYPE;

const anInvoice = (dealer: string, name: string) => (invoice_no: string): StoredInvoice => ({
  ...buildInvoice({
    invoice_no,
    dealer: { code: dealer, name, payment_method: '银行转账' },
    period: '2026-10',
    issued_on: '2026-11-05',
    tax_invoice_now: false,
    lines: [{ part_code: 'P-VALVE-01', part_name: '进水阀', qty: 2, unit_price: parseYuan('35.50'), reason: 'de_facto_possession', lot: { lot_id: `${dealer}-L1`, shipment_id: 'S1', shipped_date: '2026-07-10', due_date: '2026-09-08' } }],
  }),
  as_of: '2026-11-05',
  workbook_key: null,
});

interface Answer {
  status: number;
  body: string;
  json: any;
}

async function call(method: string, path: string, token: string | null, body?: unknown): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, body: text, json };
}

/** A request with the path sent exactly as written: fetch would resolve `..` before sending. */
function rawGet(path: string, token: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(server.url);
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: 'GET', headers: { authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, json: null }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** What the browser does with an upload ticket: a multipart POST of the form fields and the file to S3. */
async function postToS3(ticket: { form: { url: string; fields: Record<string, string> } }, bytes: Uint8Array): Promise<number> {
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.form.fields)) form.append(name, value);
  form.append('file', new Blob([bytes], { type: XLSX }), 'report.xlsx');
  return (await fetch(ticket.form.url, { method: 'POST', body: form })).status;
}

/** What S3 does next: the ObjectCreated event to the ingest handler. */
async function runIngest(key: string): Promise<void> {
  const eTag = await adapters.links.identity('uploads', key);
  const handler = ingestHandler({ ...backOfficeAs(config, 'ingest'), logLevel: 'ERROR' });
  const event = {
    Records: [{ eventSource: 'aws:s3', eventTime: '2026-11-02T02:00:00.000Z', eventName: 'ObjectCreated:Post', s3: { bucket: { name: config.buckets.uploads }, object: { key, eTag, size: 1 } } }],
  } as unknown as S3Event;
  await handler(event, lambdaContext('ingest'));
}

const tokens: Record<string, string> = {};
/** The statistics queue: the API's requests wait here until a test delivers them to the worker, as SQS would. */
const statisticsQueue = new MemoryStatisticsJobs();

/** What SQS and Lambda do with the requests sent so far: each to the statistics worker, one per message. */
async function runStatisticsWorker(): Promise<void> {
  const worker = statisticsHandler({ ...backOfficeAs(config, 'statistics'), logLevel: 'ERROR' });
  for (const job of statisticsQueue.take()) {
    const event = { Records: [{ messageId: `stats-${job.requested_at}`, eventSource: 'aws:sqs', body: JSON.stringify(job), attributes: {}, messageAttributes: {} }] } as unknown as SQSEvent;
    expect((await worker(event, lambdaContext('statistics'))).batchItemFailures).toEqual([]);
  }
}

beforeAll(async () => {
  config = await freshStack();
  adapters = createBackOffice(config);
  await adapters.master.save({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
  // The API acts as its Lambda function: every call checked against the API role's synthesized policy.
  server = await startPortalServer({ config, handler: createApi({ ...backOfficeAs(config, 'api'), statisticsJobs: statisticsQueue }, audit) });
  for (const user of ['dealer-d001', 'dealer-d002', 'warehouse', 'admin', 'finance', 'manager']) tokens[user] = await server.signIn(user);

  // D002's month: a rejected repair report, uploaded the way the portal does it, and an invoice.
  const ticket = (await call('POST', '/api/dealers/D002/uploads', tokens['dealer-d002']!, { type: 'repair', period: '2026-10' })).json;
  d002UploadId = ticket.upload_id;
  await postToS3(ticket, await reportWorkbook('repair', [repairRow({ serial_no: D002_BAD_SERIAL, part_qty: 0 })]));
  await runIngest(uploadKey({ dealer: 'D002', type: 'repair', period: '2026-10' }, d002UploadId));
  const d002 = await adapters.invoices.create('D002', '2026-10', 0, anInvoice('D002', '华南洁具安装服务部'));
  const d001 = await adapters.invoices.create('D001', '2026-10', 0, anInvoice('D001', '华东卫浴服务中心'));
  if (d002.status !== 'created' || d001.status !== 'created') throw new Error('invoices not created');
  d002InvoiceNo = d002.invoice.invoice_no;
  d001InvoiceNo = d001.invoice.invoice_no;
  const workbookKey = invoiceWorkbookKey(d001.invoice);
  await adapters.blobs.put('invoices', workbookKey, await writeInvoiceWorkbook(d001.invoice), XLSX);
  await adapters.invoices.setWorkbook(d001.invoice, workbookKey);
  d002Secrets = ['华南洁具', d002InvoiceNo, D002_BAD_SERIAL, d002UploadId];
});

afterAll(async () => {
  await server?.stop();
});

/** Every route a dealer might aim at another dealer's data, with D002's ids filled in. */
const againstD002 = () => [
  ['POST', '/api/dealers/D002/uploads', { type: 'repair', period: '2026-10' }],
  ['GET', `/api/dealers/D002/uploads/repair/2026-10/${d002UploadId}`],
  ['GET', '/api/dealers/D002/reports?period=2026-10'],
  ['GET', '/api/dealers/D002/reports/repair/2026-10/versions/1'],
  ['GET', '/api/invoices?period=2026-10&dealer=D002'],
  ['GET', `/api/invoices/${d002InvoiceNo}`],
  ['POST', `/api/invoices/${d002InvoiceNo}/status`, { status: 'issued' }],
  ['GET', '/api/dealers/D002/position'],
  ['GET', '/api/dealers/D002/reconciliations/2026-10?as_of=2026-11-05'],
  ['GET', `/api/invoices/${d002InvoiceNo}/history`],
  ['POST', `/api/invoices/${d002InvoiceNo}/payments`, { amount: '1.00', date: '2026-12-01' }],
  ['GET', '/api/balances?dealer=D002'],
  ['GET', '/api/dealers/D002/consolidated'],
  ['POST', `/api/invoices/${d002InvoiceNo}/lines/1/disputes`, { reason: '不认可' }],
  ['GET', '/api/disputes?dealer=D002'],
  ['GET', '/api/design-hazards?dealer=D002'],
  ['POST', '/api/design-hazards', { dealer: 'D002', repair_id: 'RP-1', note: 'x' }],
  ['GET', '/api/balances/workbook?dealer=D002'],
  ['GET', '/api/scorecards/workbook?period=2026-10&dealer=D002'],
  ['GET', '/api/complaints/register/workbook?dealer=D002'],
  ['GET', '/api/unboxing/workbook?period=2026-10&dealer=D002'],
  ['GET', '/api/verification/sample/workbook?period=2026-10'],
  ['GET', '/api/returns/workbook?dealer=D002'],
] as const;

describe('a dealer sees only its own dealer code', () => {
  it('is refused every route aimed at another dealer, and gets nothing of it back', async () => {
    for (const [method, path, body] of againstD002()) {
      const answer = await call(method, path, tokens['dealer-d001']!, body);
      expect([403, 404], `${method} ${path}`).toContain(answer.status);
      expect(answer.json.error.message_zh, `${method} ${path}`).toEqual(expect.any(String));
      // An id the caller sent may be echoed in the message; anything else of D002's may not appear.
      for (const secret of d002Secrets.filter((s) => !path.includes(s))) expect(answer.body, `${method} ${path}`).not.toContain(secret);
    }
  });

  it('logs each refused attempt with who asked, for what and for which dealer', async () => {
    audit.warn.mockClear();
    await call('GET', '/api/dealers/D002/reports?period=2026-10', tokens['dealer-d001']!);
    await call('GET', '/api/statistics/2026-10', tokens['dealer-d001']!);
    const denials = audit.warn.mock.calls.filter(([message]) => message === 'access denied').map(([, attributes]) => attributes);
    expect(denials).toEqual([
      expect.objectContaining({ caller_dealer: 'D001', roles: ['dealer'], route: 'GET /api/dealers/{dealer}/reports', dealer: 'D002', reason: 'dealer' }),
      expect.objectContaining({ caller_dealer: 'D001', route: 'GET /api/statistics/{period}', reason: 'role' }),
    ]);
  });

  it('answers another dealer’s invoice number exactly like one that does not exist', async () => {
    const theirs = await call('GET', `/api/invoices/${d002InvoiceNo}`, tokens['dealer-d001']!);
    const none = await call('GET', '/api/invoices/FY-2026-10-0999', tokens['dealer-d001']!);
    expect(theirs.status).toBe(404);
    expect(theirs.json.error.code).toBe(none.json.error.code);
    expect(theirs.body).not.toContain('download_url');
  });

  it('downloads its own form through the presigned link its detail gives', async () => {
    const mine = await call('GET', `/api/invoices/${d001InvoiceNo}`, tokens['dealer-d001']!);
    expect(mine.status).toBe(200);
    expect(mine.json).toMatchObject({ invoice_no: d001InvoiceNo, dealer: { code: 'D001' } });
    const download = await fetch(mine.json.download_url);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
  });

  it('reads its own messages only: another dealer’s message is not found and its list shows nothing of it', async () => {
    const theirs = (await adapters.messages.list('D002')).find((m) => m.kind === 'upload_checked');
    expect(theirs).toBeDefined();
    const mine = await call('GET', '/api/messages', tokens['dealer-d001']!);
    const markTheirs = await call('POST', `/api/messages/${theirs?.id}/read`, tokens['dealer-d001']!);
    expect(mine.status).toBe(200);
    for (const secret of d002Secrets) expect(mine.body).not.toContain(secret);
    expect(markTheirs.status).toBe(404);
    expect((await adapters.messages.get('D002', theirs?.id ?? ''))?.read_at).toBeNull();
    const own = await call('GET', '/api/messages', tokens['dealer-d002']!);
    expect(own.json.messages.map((m: { id: string }) => m.id)).toContain(theirs?.id);
  });

  it('sees its own position', async () => {
    const position = await call('GET', '/api/dealers/D001/position', tokens['dealer-d001']!);
    expect(position.status).toBe(200);
    expect(position.json).toMatchObject({ dealer: 'D001', forms: [{ invoice_no: d001InvoiceNo }] });
    for (const secret of d002Secrets) expect(position.body).not.toContain(secret);
  });

  it('lists only its own invoices when it names no dealer', async () => {
    const list = await call('GET', '/api/invoices?period=2026-10', tokens['dealer-d001']!);
    expect(list.status).toBe(200);
    expect(list.json.invoices.map((i: { invoice_no: string }) => i.invoice_no)).toEqual([d001InvoiceNo]);
    for (const secret of d002Secrets) expect(list.body).not.toContain(secret);
  });

  it('cannot slip another dealer into an upload through the body', async () => {
    const answer = await call('POST', '/api/dealers/D001/uploads', tokens['dealer-d001']!, { type: 'repair', period: '2026-10', dealer: 'D002' });
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('invalid_request');
  });

  it('reaches nothing through ../ in a path, encoded or not', async () => {
    const d001 = tokens['dealer-d001']!;
    for (const path of [
      '/api/dealers/D001/../D002/reports?period=2026-10',
      '/api/dealers/D001%2F..%2FD002/reports?period=2026-10',
      '/api/dealers/..%2FD002/reports?period=2026-10',
      `/api/dealers/D001/uploads/repair/2026-10/..%2F..%2F..%2FD002%2Frepair%2F2026-10%2F${d002UploadId}`,
      '/api/templates/..%2F..%2Fpackage.json',
    ]) {
      const answer = await rawGet(path, d001);
      expect([400, 403, 404], path).toContain(answer.status);
      for (const secret of d002Secrets.filter((s) => !path.includes(s))) expect(answer.body, path).not.toContain(secret);
    }
  });

  it('still sees its own data: the other dealer’s report is there for D002 itself and for finance', async () => {
    for (const who of ['dealer-d002', 'finance', 'admin']) {
      const answer = await call('GET', '/api/dealers/D002/reports/repair/2026-10/versions/1', tokens[who]!);
      expect(answer.status, who).toBe(200);
      expect(answer.json.status).toBe('rejected');
    }
  });
});

describe('each role does only its own work', () => {
  const cases: ReadonlyArray<readonly [string, string, string, unknown?]> = [
    ['warehouse', 'POST', '/api/dealers/D001/uploads', { type: 'repair', period: '2026-10' }],
    ['warehouse', 'GET', '/api/dealers/D001/reports?period=2026-10'],
    ['warehouse', 'GET', '/api/invoices?period=2026-10'],
    ['warehouse', 'GET', '/api/statistics/2026-10'],
    ['warehouse', 'POST', '/api/statistics/2026-10'],
    ['warehouse', 'GET', '/api/reconciliations/2026-10?as_of=2026-11-05'],
    ['warehouse', 'POST', '/api/ledger/shipments/uploads'],
    ['finance', 'POST', '/api/dealers/D001/uploads', { type: 'repair', period: '2026-10' }],
    ['finance', 'POST', '/api/ledger/returns/uploads'],
    ['finance', 'POST', '/api/ledger/shipments/uploads'],
    ['admin', 'POST', '/api/invoices/FY-2026-10-0001/status', { status: 'issued' }],
    ['dealer-d001', 'POST', `/api/invoices/FY-2026-10-0002/status`, { status: 'issued' }],
    ['dealer-d001', 'GET', '/api/statistics/2026-10'],
    ['dealer-d001', 'POST', '/api/statistics/2026-10'],
    ['dealer-d001', 'GET', '/api/reconciliations/2026-10?as_of=2026-11-05'],
    ['dealer-d001', 'POST', '/api/ledger/returns/uploads'],
    ['dealer-d001', 'POST', '/api/ledger/shipments/uploads'],
    ['dealer-d001', 'POST', '/api/ledger/returns/uploads/00000000-0000-4000-8000-000000000000/record'],
    ...(['dealer-d001', 'warehouse', 'finance'] as const).flatMap((who) => [
      [who, 'POST', '/api/master/uploads'] as const,
      [who, 'GET', '/api/master/uploads/00000000-0000-4000-8000-000000000000'] as const,
    ]),
    ['dealer-d001', 'GET', '/api/ledger/returns/uploads/00000000-0000-4000-8000-000000000000'],
    ['warehouse', 'GET', '/api/ledger/shipments/uploads/00000000-0000-4000-8000-000000000000'],
    ['warehouse', 'POST', '/api/ledger/shipments/S1/lines/1/corrections', { qty: 1, reason: 'x' }],
    ['finance', 'POST', '/api/ledger/returns/R1/lines/1/corrections', { qty: 1, reason: 'x' }],
    ['dealer-d001', 'POST', '/api/ledger/returns/R1/lines/1/corrections', { qty: 1, reason: 'x' }],
    ['admin', 'POST', '/api/invoices/FY-2026-10-0001/payments', { amount: '1.00', date: '2026-12-01' }],
    ['dealer-d001', 'POST', '/api/invoices/FY-2026-10-0001/payments', { amount: '1.00', date: '2026-12-01' }],
    ['admin', 'GET', '/api/dealers/D001/consolidated'],
    ['dealer-d001', 'POST', '/api/dealers/D001/consolidated/issue', { number: 'TAX-1', date: '2026-12-01' }],
    // Charging a flagged loan is the after-sales department's decision alone.
    ['dealer-d001', 'POST', '/api/flagged-loans/S1/lines/1/charge', { period: '2026-10' }],
    ['finance', 'POST', '/api/flagged-loans/S1/lines/1/charge', { period: '2026-10' }],
    ['warehouse', 'POST', '/api/flagged-loans/S1/lines/1/charge', { period: '2026-10' }],
    // The maker's calls and unboxing cases are the department's; a dispute is the manager's to decide, not the admin's.
    ['finance', 'POST', '/api/verification/calls', { dealer: 'D001', repair_id: 'RP-1', reached: false }],
    ['dealer-d001', 'GET', '/api/verification/sample?period=2026-10'],
    ['admin', 'POST', '/api/disputes/D001/FY-2026-10-0001/1/decision', { decision: 'waive', reason: 'x' }],
    ['finance', 'POST', '/api/disputes/D001/FY-2026-10-0001/1/decision', { decision: 'waive', reason: 'x' }],
    ['admin', 'POST', '/api/invoices/FY-2026-10-0001/lines/1/disputes', { reason: 'x' }],
    ['dealer-d001', 'GET', '/api/unboxing?period=2026-10'],
    ['finance', 'POST', '/api/unboxing/D001/2026-10/IN-1/steps', { plan: 'x' }],
    ['finance', 'POST', '/api/unboxing/D001/2026-10/IN-1/photos', { content_type: 'image/jpeg' }],
  ];

  it('refuses every route to the wrong role with 403 and the uniform error body', async () => {
    for (const [who, method, path, body] of cases) {
      const answer = await call(method, path, tokens[who]!, body);
      expect(answer.status, `${who} ${method} ${path}`).toBe(403);
      expect(answer.json.error).toEqual({ code: 'forbidden', message: expect.any(String), message_zh: expect.any(String) });
    }
  });

  it('lets the admin alone upload master data: a form for master/, then the upload waiting', async () => {
    const ticket = await call('POST', '/api/master/uploads', tokens.admin!);
    expect(ticket.status).toBe(201);
    expect(ticket.json.form.fields.key).toBe(`master/portal/${ticket.json.upload_id}.xlsx`);
    const status = await call('GET', `/api/master/uploads/${ticket.json.upload_id}`, tokens.admin!);
    expect(status.json).toEqual({ state: 'waiting' });
  });

  it('lets finance move an invoice on, and refuses a move the rules do not allow', async () => {
    // Nobody sets "paid": the money received is recorded instead.
    const paid = await call('POST', `/api/invoices/${d001InvoiceNo}/status`, tokens.finance!, { status: 'paid' });
    expect(paid.status).toBe(409);
    expect(paid.json.error.message).toContain('payments record');
    const issued = await call('POST', `/api/invoices/${d001InvoiceNo}/status`, tokens.finance!, { status: 'issued' });
    expect(issued.status).toBe(200);
    expect(issued.json.status).toBe('issued');
    const back = await call('POST', `/api/invoices/${d001InvoiceNo}/status`, tokens.finance!, { status: 'draft' });
    // A form's life goes forward only: draft is no status one can ask for.
    expect(back.status).toBe(400);
  });
});

describe('tokens', () => {
  it('refuses a request without a token, with an expired token, or one signed with another key', async () => {
    const expired = await server.signIn('finance', -60);
    const forged = await new SignJWT({ 'cognito:groups': ['finance', 'admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setIssuer(server.issuer)
      .setAudience('backoffice-portal')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another key, thirty-two bytes long!!'));
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', 'cognito:groups': ['finance'] })).toString('base64url')}.`;
    for (const token of [null, expired, forged, unsigned]) {
      const answer = await call('GET', '/api/invoices?period=2026-10', token);
      expect(answer.status).toBe(401);
      expect(answer.json.error.code).toBe('unauthorized');
      expect(answer.body).not.toContain(d002InvoiceNo);
    }
  });

  it('refuses a well-formed RS256 token of another issuer, and one naming this issuer but signed by another key', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const sign = (issuer: string) =>
      new SignJWT({ 'cognito:groups': ['finance'] })
        .setProtectedHeader({ alg: 'RS256', kid: 'other' })
        .setSubject('finance')
        .setIssuer(issuer)
        .setAudience('backoffice-portal')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey);
    for (const token of [await sign('https://sso.other.example/realms/x'), await sign(server.issuer)]) {
      const answer = await call('GET', '/api/invoices?period=2026-10', token);
      expect(answer.status).toBe(401);
    }
    // The same claims from the local issuer are accepted: the refusal is the issuer's and the key's.
    expect((await call('GET', '/api/invoices?period=2026-10', await server.signIn('finance'))).status).toBe(200);
  });
});

describe('CORS', () => {
  it('lets the portal’s origin in and no other', async () => {
    const own = await fetch(`${server.url}/api/me`, { headers: { origin: server.url, authorization: `Bearer ${tokens.finance}` } });
    expect(own.headers.get('access-control-allow-origin')).toBe(server.url);
    const other = await fetch(`${server.url}/api/me`, { headers: { origin: 'https://evil.example', authorization: `Bearer ${tokens.finance}` } });
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('a dealer’s month through the API', () => {
  it('uploads a report with mistakes, reads them, uploads the fixed report and sees it accepted', async () => {
    const d001 = tokens['dealer-d001']!;
    const target = { dealer: 'D001', type: 'repair' as const, period: '2026-10' };

    const ticket = (await call('POST', '/api/dealers/D001/uploads', d001, { type: 'repair', period: '2026-10' })).json;
    const policy = JSON.parse(Buffer.from(ticket.form.fields.Policy, 'base64').toString('utf8'));
    expect(policy.conditions).toContainEqual(['content-length-range', 1, config.maxUploadBytes]);
    expect(policy.conditions).toContainEqual({ key: uploadKey(target, ticket.upload_id) });
    expect((await call('GET', `/api/dealers/D001/uploads/repair/2026-10/${ticket.upload_id}`, d001)).json).toEqual({ state: 'waiting' });

    expect(await postToS3(ticket, await reportWorkbook('repair', [repairRow({ part_qty: 0 })]))).toBe(204);
    expect((await call('GET', `/api/dealers/D001/uploads/repair/2026-10/${ticket.upload_id}`, d001)).json).toEqual({ state: 'processing' });
    await runIngest(uploadKey(target, ticket.upload_id));

    const rejected = (await call('GET', `/api/dealers/D001/uploads/repair/2026-10/${ticket.upload_id}`, d001)).json;
    expect(rejected.state).toBe('rejected');
    expect(rejected.submission.errors).toContainEqual(expect.objectContaining({ row: 2, column: 'part_qty', message_zh: expect.any(String) }));
    const workbook = await fetch(rejected.submission.error_workbook_url);
    expect(workbook.status).toBe(200);
    expect(Buffer.from(await workbook.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');

    const fixed = (await call('POST', '/api/dealers/D001/uploads', d001, { type: 'repair', period: '2026-10' })).json;
    await postToS3(fixed, await reportWorkbook('repair', [repairRow()]));
    await runIngest(uploadKey(target, fixed.upload_id));
    expect((await call('GET', `/api/dealers/D001/uploads/repair/2026-10/${fixed.upload_id}`, d001)).json.state).toBe('accepted');

    const month = (await call('GET', '/api/dealers/D001/reports?period=2026-10', d001)).json;
    const repair = month.reports.find((r: { type: string }) => r.type === 'repair');
    expect(repair.current_version).toBe(2);
    expect(repair.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [2, 'accepted'],
      [1, 'rejected'],
    ]);
  });

  it('gives finance the invoice as a presigned download and the month’s statistics', async () => {
    const detail = (await call('GET', `/api/invoices/${d001InvoiceNo}`, tokens.finance!)).json;
    expect(detail.total).toBe('71.00');
    const download = await fetch(detail.download_url);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
    const neverAsked = await call('GET', '/api/statistics/2026-10', tokens.finance!);
    const asked = await call('POST', '/api/statistics/2026-10', tokens.finance!);
    const preparing = await call('GET', '/api/statistics/2026-10', tokens.finance!);
    await runStatisticsWorker();
    const stats = await call('GET', '/api/statistics/2026-10', tokens.finance!);
    expect(neverAsked.status).toBe(404);
    expect(asked).toMatchObject({ status: 202, json: { status: 'preparing', period: '2026-10' } });
    expect(preparing).toMatchObject({ status: 202, json: { status: 'preparing', requested_at: asked.json.requested_at } });
    expect(stats.status).toBe(200);
    expect(stats.json).toMatchObject({ status: 'ready', requested_at: asked.json.requested_at, made_at: expect.any(String) });
    expect(stats.json.dealers.map((d: { dealer_code: string }) => d.dealer_code)).toEqual(['D001', 'D002']);
    const workbook = await fetch(stats.json.workbook_url);
    expect(workbook.status).toBe(200);
    expect(Buffer.from(await workbook.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
  });

  it('gives finance the reconciliation sheet of a month once it has been reconciled, and says when it has not', async () => {
    const before = await call('GET', '/api/reconciliations/2026-09?as_of=2026-10-05', tokens.finance!);
    await reconcilePeriod({ ...adapters, config, renderInvoice: writeInvoiceWorkbook }, { period: '2026-09', as_of: '2026-10-05' });
    const after = await call('GET', '/api/reconciliations/2026-09?as_of=2026-10-05', tokens.finance!);
    const badDate = await call('GET', '/api/reconciliations/2026-09?as_of=5%2F10%2F2026', tokens.finance!);

    expect(before.status).toBe(404);
    expect(before.json.error).toMatchObject({ code: 'not_found', message_zh: expect.stringContaining('尚未') });
    expect(after.status).toBe(200);
    expect(after.json).toMatchObject({ status: 'ready', period: '2026-09', as_of: '2026-10-05', dealers: DEMO_DEALERS.length, flagged: 0 });
    const download = await fetch(after.json.workbook_url);
    expect(Buffer.from(await download.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
    expect(badDate.status).toBe(400);
  });

  it('gives a template as an .xlsx file', async () => {
    const response = await fetch(`${server.url}/api/templates/repair`, { headers: { authorization: `Bearer ${tokens['dealer-d001']}` } });
    expect(response.headers.get('content-type')).toBe(XLSX);
    expect(Buffer.from(await response.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
  });
});

describe('the second check behind the upload form (s3rver enforces no POST policy)', () => {
  it('refuses D001’s form posted with a key of D002’s, and says so to D002’s status route: D002’s report stays as it was', async () => {
    // Prepare: D001's form with the key swapped for one of D002's
    const d002 = { dealer: 'D002', type: 'repair' as const, period: '2026-10' };
    const before = await adapters.reports.versions(d002);
    const ticket = (await call('POST', '/api/dealers/D001/uploads', tokens['dealer-d001']!, { type: 'repair', period: '2026-10' })).json;
    const forgedId = '3f1c2d4e-5a6b-4c7d-8e9f-a0b1c2d3e4f5';
    const forged = { ...ticket, form: { ...ticket.form, fields: { ...ticket.form.fields, key: uploadKey(d002, forgedId) } } };
    // Act
    expect(await postToS3(forged, await reportWorkbook('repair', [repairRow()]))).toBe(204);
    await runIngest(uploadKey(d002, forgedId));
    // Assess
    const status = await call('GET', `/api/dealers/D002/uploads/repair/2026-10/${forgedId}`, tokens['dealer-d002']!);
    expect(status.json).toMatchObject({ state: 'rejected', submission: { version: null, errors: [{ code: 'upload_without_ticket', message_zh: expect.any(String) }] } });
    expect(await adapters.reports.versions(d002)).toEqual(before);
  });

  it('refuses an anonymous PUT into the uploads bucket', async () => {
    // Prepare
    const d002 = { dealer: 'D002', type: 'repair' as const, period: '2026-11' };
    const key = uploadKey(d002, 'b7e6c5d4-3a2b-4c1d-9e8f-7a6b5c4d3e2f');
    // Act
    const put = await fetch(`${config.endpoints.s3}/${config.buckets.uploads}/${key}`, { method: 'PUT', body: await reportWorkbook('repair', [repairRow()]) });
    await runIngest(key);
    // Assess
    expect(put.ok).toBe(true);
    expect(await adapters.reports.versions(d002)).toEqual([]);
    expect(await adapters.reports.currentVersion(d002)).toBeUndefined();
  });
});

describe('service quality: scorecards, the end-user archive and complaints', () => {
  const D002_PHONE = '13600136002';
  const D001_PHONE = '13500135001';
  beforeAll(async () => {
    const { installationEvent, repairEvent } = await import('../../shared/domain/archive-history.js');
    const { installationRecord, repairRecord } = await import('../helpers/month-fixtures.js');
    await adapters.archive.record([
      repairEvent('D002', repairRecord({ repair_id: 'RP-D002-SECRET', serial_no: 'SN-D002-UNIT', owner_name: '赵先生', phone: D002_PHONE, fault_description: '只有D002知道' }), [], null),
      installationEvent('D001', installationRecord({ serial_no: 'SN-D001-UNIT', owner_name: '钱女士', phone: D001_PHONE })),
      repairEvent('D002', repairRecord({ repair_id: 'RP-D002-ON-D001-UNIT', serial_no: 'SN-D001-UNIT', owner_name: '钱女士', phone: D001_PHONE, fault_description: '只有D002知道' }), [], null),
    ]);
  });

  it("refuses a dealer another dealer's scorecard, and lists only its own when it names none", async () => {
    const theirs = await call('GET', '/api/scorecards?period=2026-10&dealer=D002', tokens['dealer-d001']!);
    expect(theirs.status).toBe(403);
    expect(theirs.json.error.message_zh).toEqual(expect.any(String));
    const own = await call('GET', '/api/scorecards?period=2026-10', tokens['dealer-d001']!);
    expect(own.status).toBe(200);
    expect(own.json.dealers.every((d: { dealer: string }) => d.dealer === 'D001')).toBe(true);
    const trend = await call('GET', '/api/scorecards/trend?last=2026-10&dealer=D002', tokens['dealer-d001']!);
    expect(trend.status).toBe(403);
    expect((await call('GET', '/api/scorecards?period=2026-10', tokens.warehouse!)).status).toBe(403);
    expect((await call('GET', '/api/scorecards?period=2026-10&sort=worst', tokens.finance!)).status).toBe(200);
  });

  it("finds nothing of another dealer's customer, and of its own units only its own events", async () => {
    const theirs = await call('GET', `/api/archive/units?phone=${D002_PHONE}`, tokens['dealer-d001']!);
    expect(theirs.status).toBe(200);
    expect(theirs.json.units).toEqual([]);
    expect(theirs.body).not.toContain('RP-D002-SECRET');
    const own = await call('GET', `/api/archive/units?phone=${encodeURIComponent('+86 135-0013-5001')}`, tokens['dealer-d001']!);
    expect(own.json.units.map((u: { serial_no: string }) => u.serial_no)).toEqual(['SN-D001-UNIT']);
    expect(own.body).not.toContain('只有D002知道');
    const admin = await call('GET', `/api/archive/units?phone=${D002_PHONE}`, tokens.admin!);
    expect(admin.json.units[0].events.map((e: { id: string }) => e.id)).toEqual(['RP-D002-SECRET']);
  });

  it('refuses a one-character term, and a search by two things at once, with 400 in both languages', async () => {
    for (const path of ['/api/archive/units?owner=%E9%99%88', '/api/archive/units?phone=1', '/api/archive/units?serial=SN-1&phone=13500135001']) {
      const answer = await call('GET', path, tokens.admin!);
      expect(answer.status, path).toBe(400);
      expect(answer.json.error.message_zh, path).toEqual(expect.any(String));
    }
  });

  it('lets the department record a complaint from the form, refuses a dealer, and answers bad input by column in both languages', async () => {
    const form = {
      complaint_id: 'C-API-1', received_at: '2026-10-20T10:00', dealer_code: 'D001', customer_name: '钱女士', phone: D001_PHONE,
      product_model: 'WC-800', serial_no: 'SN-D001-UNIT', category: 'attitude', service_fault: 'yes', action_taken: '致歉', first_reply_at: '2026-10-20T12:00',
    };
    expect((await call('POST', '/api/complaints', tokens['dealer-d001']!, form)).status).toBe(403);
    const recorded = await call('POST', '/api/complaints', tokens.admin!, form);
    expect([recorded.status, recorded.json.status]).toEqual([201, 'recorded']);
    const again = await call('POST', '/api/complaints', tokens.admin!, form);
    expect([again.status, again.json.status]).toEqual([200, 'already_recorded']);
    const bad = await call('POST', '/api/complaints', tokens.admin!, { ...form, complaint_id: 'C-API-2', dealer_code: 'D999', category: 'weather', resolved_at: '2026-10-19T09:00' });
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: { column: string; code: string }) => [e.column, e.code])).toEqual([
      ['dealer_code', 'unknown_dealer'],
      ['category', 'invalid_choice'],
      ['resolved_at', 'resolved_before_received'],
    ]);
    expect(bad.json.errors.every((e: { message_zh: string }) => /[\u4e00-\u9fff]/.test(e.message_zh))).toBe(true);
  });

  it('keeps complaints, the overdue list and the dealer archive from dealers, and has the statistics worker make finance the archive, handed out by link', async () => {
    for (const path of ['/api/complaints?from=2026-10&to=2026-10', '/api/complaints/overdue', '/api/dealer-archive?from=2026-09&to=2026-10']) {
      expect((await call('GET', path, tokens['dealer-d001']!)).status, path).toBe(403);
    }
    expect((await call('POST', '/api/dealer-archive', tokens['dealer-d001']!, { from: '2026-09', to: '2026-10' })).status).toBe(403);
    const overdue = await call('GET', '/api/complaints/overdue', tokens.admin!);
    expect(overdue.status).toBe(200);
    expect((await call('GET', '/api/dealer-archive?from=2026-09&to=2026-10', tokens.finance!)).status).toBe(404);

    const asked = await call('POST', '/api/dealer-archive', tokens.finance!, { from: '2026-09', to: '2026-10' });
    expect(asked).toMatchObject({ status: 202, json: { status: 'preparing', from: '2026-09', to: '2026-10' } });
    expect((await call('GET', '/api/dealer-archive?from=2026-09&to=2026-10', tokens.finance!)).status).toBe(202);
    await runStatisticsWorker();
    const ready = await call('GET', '/api/dealer-archive?from=2026-09&to=2026-10', tokens.finance!);
    expect(ready).toMatchObject({ status: 200, json: { status: 'ready', requested_at: asked.json.requested_at } });
    const response = await fetch(ready.json.workbook_url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
  });
});

describe("the maker's calls, disputes, unboxing cases and design hazards under the API's own role", () => {
  it('reads and writes where the function is allowed: the queue through gsi1, the calls, cases and disputes in the dealer partition', async () => {
    expect((await call('GET', '/api/disputes', tokens.manager!)).status).toBe(200);
    expect((await call('GET', '/api/design-hazards', tokens.finance!)).status).toBe(200);
    expect((await call('GET', '/api/unboxing?period=2026-10', tokens.admin!)).status).toBe(200);
    expect((await call('GET', '/api/verification/sample?period=2026-10', tokens.finance!)).status).toBe(200);
    expect((await call('POST', '/api/verification/calls', tokens.admin!, { dealer: 'D001', repair_id: 'NONE', reached: false })).status).toBe(404);
    expect((await call('POST', '/api/unboxing/D001/2026-10/NONE/photos', tokens.admin!, { content_type: 'image/jpeg' })).status).toBe(404);
    expect((await call('POST', '/api/disputes/D001/FY-2026-10-0001/9/decision', tokens.manager!, { decision: 'uphold', reason: 'x' })).status).toBe(404);
    // D001's own form: raised (201) when issued, refused by the rule (400) while a draft; never a fault of the grants.
    expect([201, 400]).toContain((await call('POST', `/api/invoices/${d001InvoiceNo}/lines/1/disputes`, tokens['dealer-d001']!, { reason: '不认可' })).status);
  });
});

describe('material requests through the API', () => {
  const d002Request = {
    request_id: 'R-D002-SECRET',
    requested_date: '2026-11-02',
    lines: [
      { part_code: 'P-VALVE-01', qty: 1, purpose: 'repair', product_model: 'WC-800', serial_no: 'SN-R-IN', purchase_date: '2026-01-15', fault_description: '不进水', charge_cause: 'none', repair_id: 'RP-R1' },
      { part_code: 'P-BOARD-02', qty: 1, purpose: 'repair', product_model: 'WC-800', serial_no: 'SN-R-MIS', purchase_date: '2026-02-01', fault_description: '主板烧毁', charge_cause: 'misuse', repair_id: 'RP-R2' },
    ],
  };
  const base = '/api/dealers/D002/requests/R-D002-SECRET';
  // The business date, as the API dates forms and checks payment dates (the UTC date is a day
  // behind it after 16:00 UTC): the API's clock at noon of it, so that these steps cannot run
  // across business midnight.
  const today = atBusinessNoon();

  beforeAll(async () => {
    const submitted = await call('POST', '/api/dealers/D002/requests', tokens['dealer-d002']!, d002Request);
    expect(submitted.status).toBe(201);
    expect(submitted.json.lines.map((l: { proposed_kind: string }) => l.proposed_kind)).toEqual(['warranty_loan', 'charged']);
  });

  it("keeps a dealer to its own requests: another dealer's are refused, and its list holds none of them", async () => {
    const attempts = [
      ['POST', '/api/dealers/D002/requests', d002Request],
      // A workbook is refused for the dealer before it is even read: these bytes are no workbook.
      ['POST', '/api/dealers/D002/requests/workbook', { workbook: Buffer.from('not a workbook').toString('base64') }],
      ['GET', '/api/requests?dealer=D002'],
      ['POST', `${base}/lines/1/decision`, { outcome: 'approved' }],
      ['POST', `${base}/ship`, { shipped_date: today }],
      ['GET', `${base}/slips/FL-R-D002-SECRET-1`],
    ] as const;
    for (const [method, path, body] of attempts) {
      const answer = await call(method, path, tokens['dealer-d001']!, body);
      expect(answer.status, `${method} ${path}`).toBe(403);
      expect(answer.json.error).toEqual({ code: 'forbidden', message: expect.any(String), message_zh: expect.any(String) });
    }
    const own = await call('GET', '/api/requests', tokens['dealer-d001']!);
    expect(own.status).toBe(200);
    expect(own.body).not.toContain('R-D002-SECRET');
  });

  it('lets the admin (or the manager) alone decide, the manager alone grant a special approval, and the warehouse (or admin) alone ship', async () => {
    for (const who of ['dealer-d002', 'warehouse', 'finance']) {
      expect((await call('POST', `${base}/lines/1/decision`, tokens[who]!, { outcome: 'approved' })).status, who).toBe(403);
    }
    const special = await call('POST', `${base}/lines/1/decision`, tokens.admin!, { outcome: 'approved', kind: 'special_approval', return_required: false, reason: '老客户特批' });
    expect([special.status, special.json.error?.code]).toEqual([403, 'forbidden']);
    for (const who of ['dealer-d002', 'finance', 'manager']) {
      expect((await call('POST', `${base}/ship`, tokens[who]!, { shipped_date: today })).status, who).toBe(403);
    }
  });

  it('goes from proposal to approval, payment of the charged part, shipping and the next reconciliation, on DynamoDB and S3', async () => {
    // Act: the department decides; a rejection without a reason is refused
    const noReason = await call('POST', `${base}/lines/2/decision`, tokens.admin!, { outcome: 'rejected' });
    const loan = await call('POST', `${base}/lines/1/decision`, tokens.admin!, { outcome: 'approved' });
    const charged = await call('POST', `${base}/lines/2/decision`, tokens.admin!, { outcome: 'approved' });
    const twice = await call('POST', `${base}/lines/2/decision`, tokens.admin!, { outcome: 'approved' });
    // Assess
    expect([noReason.status, loan.status, charged.status, twice.status]).toEqual([400, 200, 200, 409]);
    expect(noReason.json.error).toMatchObject({ code: 'reason_required', message_zh: expect.any(String) });
    expect(twice.json.error).toMatchObject({ code: 'conflict', message_zh: expect.any(String) });
    const saleForm = charged.json.invoice.invoice_no as string;
    expect(charged.json.line.state).toBe('awaiting_payment');

    // Act: the warehouse ships what may ship; finance then records the payment; the warehouse ships the rest
    const first = await call('POST', `${base}/ship`, tokens.warehouse!, { shipped_date: today });
    const unpaid = await call('POST', `${base}/ship`, tokens.warehouse!, { shipped_date: today });
    expect((await call('POST', `/api/invoices/${saleForm}/status`, tokens.finance!, { status: 'issued' })).status).toBe(200);
    expect((await call('POST', `/api/invoices/${saleForm}/payments`, tokens.finance!, { amount: charged.json.invoice.total, date: today })).status).toBe(201);
    const second = await call('POST', `${base}/ship`, tokens.admin!, { shipped_date: today });
    // Assess
    expect(first.status).toBe(200);
    expect(first.json.shipped).toEqual([expect.objectContaining({ line: 1, state: 'shipped', shipment_id: 'FL-R-D002-SECRET-1', due_date: expect.any(String) })]);
    expect((await fetch(first.json.slip_url)).status).toBe(200);
    expect(unpaid.status).toBe(409);
    expect(second.json.shipped).toEqual([expect.objectContaining({ line: 2, state: 'shipped', shipment_id: 'FL-R-D002-SECRET-2', due_date: null })]);
    const seen = await call('GET', '/api/requests', tokens['dealer-d002']!);
    expect(seen.json.requests[0].lines.map((l: { state: string }) => l.state)).toEqual(['shipped', 'shipped']);
    const slip = await call('GET', `${base}/slips/FL-R-D002-SECRET-1`, tokens['dealer-d002']!);
    expect(slip.status).toBe(200);

    // Act: D002's window is 45 days; the run the day after the loan's deadline charges it like an uploaded shipment
    const due = first.json.shipped[0].due_date as string;
    const asOf = addDays(due, 1);
    await reconcilePeriod({ ...adapters }, { period: asOf.slice(0, 7), as_of: asOf });
    // Assess
    const forms = await adapters.invoices.byPeriod(asOf.slice(0, 7), 'D002');
    const possession = forms.find((f) => f.kind === 'possession');
    expect(possession?.lines).toEqual([expect.objectContaining({ part_code: 'P-VALVE-01', qty: 1, reason: 'de_facto_possession', lot: expect.objectContaining({ shipment_id: 'FL-R-D002-SECRET-1', due_date: due }) })]);
  });
});

describe("the portal's lists as .xlsx, every page, under the list's own access", () => {
  /** D001's September: a repair and an installation with an unboxing problem, a complaint against D002, a return from D001. */
  beforeAll(async () => {
    const d001 = tokens['dealer-d001']!;
    const sept = { called_at: '2026-09-10 09:00', arrived_at: '2026-09-10 15:30', completed_date: '2026-09-10' };
    for (const [type, rows] of [
      ['repair', [repairRow({ repair_id: 'RP-XLSX-1', ...sept })]],
      ['installation', [installationRow({ install_id: 'IN-XLSX-1', install_date: '2026-09-08', purchase_date: '2026-09-01', serial_no: 'SN-XLSX-1', unboxing_issue: '外壳裂纹' })]],
    ] as const) {
      const ticket = (await call('POST', '/api/dealers/D001/uploads', d001, { type, period: '2026-09' })).json;
      await postToS3(ticket, await reportWorkbook(type, rows));
      await runIngest(uploadKey({ dealer: 'D001', type, period: '2026-09' }, ticket.upload_id));
      expect((await call('GET', `/api/dealers/D001/uploads/${type}/2026-09/${ticket.upload_id}`, d001)).json.state, type).toBe('accepted');
    }
    const complaint = { complaint_id: 'C-XLSX-1', received_at: '2026-10-21T09:30', dealer_code: 'D002', customer_name: '孙先生', phone: '13800138000', category: 'timeliness' };
    expect((await call('POST', '/api/complaints', tokens.admin!, complaint)).status).toBe(201);
    const returned = await call('POST', '/api/returns', tokens.warehouse!, { return_id: 'RT-XLSX-1', received_date: '2026-11-20', dealer_code: 'D001', part_code: 'P-VALVE-01', qty: 2 });
    expect(returned.status, returned.body).toBe(201);
  });

  /** A workbook route's answer: the first sheet's rows under the header (row 3), each as its cells' values. */
  async function exported(path: string, token: string): Promise<{ status: number; fileName: string; rows: unknown[][]; numFmts: (string | undefined)[] }> {
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (response.status !== 200) return { status: response.status, fileName: '', rows: [], numFmts: [] };
    expect(response.headers.get('content-type')).toBe(XLSX);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const rows: unknown[][] = [];
    for (let r = 4; r <= sheet.rowCount; r += 1) rows.push((sheet.getRow(r).values as unknown[]).slice(1));
    const numFmts = (sheet.getRow(4).values as unknown[]).slice(1).map((_, i) => sheet.getRow(4).getCell(i + 1).numFmt);
    const fileName = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? '';
    return { status: 200, fileName, rows, numFmts };
  }

  it("gives finance every dealer's balance with the list's exact amounts to the fen, and a dealer only its own", async () => {
    const listed = (await call('GET', '/api/balances', tokens.finance!)).json.dealers as { dealer: string; charged: string; paid: string; balance: string; owed: string }[];
    const all = await exported('/api/balances/workbook', tokens.finance!);
    expect(all.status).toBe(200);
    const dealers = all.rows.filter((r) => r[0] !== '合计 Total');
    expect(dealers.map((r) => r[0])).toEqual(listed.map((d) => d.dealer));
    expect(listed.some((d) => d.charged !== '0.00')).toBe(true);
    for (const d of listed) {
      const row = dealers.find((r) => r[0] === d.dealer)!;
      expect([row[3], row[5], row[7], row[8]], d.dealer).toEqual([d.charged, d.paid, d.balance, d.owed].map((y) => parseYuan(y.replace('-', '')) * (y.startsWith('-') ? -1 : 1) / 100));
    }
    expect(all.numFmts[3]).toBe('#,##0.00');
    const own = await exported('/api/balances/workbook', tokens['dealer-d001']!);
    expect(own.rows.filter((r) => r[0] !== '合计 Total').map((r) => r[0])).toEqual(['D001']);
    expect((await exported('/api/balances/workbook', tokens.warehouse!)).status).toBe(403);
  });

  it('gives the department the complaints register in words, times without a T', async () => {
    const register = await exported('/api/complaints/register/workbook?dealer=D002', tokens.admin!);
    expect(register.status).toBe(200);
    expect(register.fileName).toBe('complaints-D002.xlsx');
    expect(register.rows).toContainEqual(expect.arrayContaining(['C-XLSX-1', 'D002', '2026-10-21 09:30', '不及时', '孙先生', '已受理']));
    expect((await exported('/api/complaints/register/workbook', tokens['dealer-d001']!)).status).toBe(403);
  });

  it("gives a month's scorecards with the four figures, their targets and pass or fail; a dealer its own only", async () => {
    const cards = await exported('/api/scorecards/workbook?period=2026-09', tokens.admin!);
    expect(cards.status).toBe(200);
    const d001 = cards.rows.find((r) => r[0] === 'D001')!;
    // One repair, reached within 24 hours, done the same day, the owner satisfied, no complaint.
    expect(d001.slice(0, 14)).toEqual(['D001', 1, 1, '90.0%', '达标', 1, expect.any(String), '达标', 1, '85.0%', '达标', 0, expect.any(String), '达标']);
    const own = await exported('/api/scorecards/workbook?period=2026-09', tokens['dealer-d001']!);
    expect(own.rows.filter((r) => r[0] !== '合计 Total').map((r) => r[0])).toEqual(['D001']);
  });

  it("gives a month's unboxing cases with their dates as dates, and the return-call sample a repair a row", async () => {
    const cases = await exported('/api/unboxing/workbook?period=2026-09', tokens.finance!);
    expect(cases.rows).toEqual([expect.arrayContaining(['D001', 'IN-XLSX-1', 'SN-XLSX-1', new Date('2026-09-08T00:00:00Z'), '外壳裂纹', '待出方案（逾期）'])]);
    expect(cases.numFmts[6]).toBe('yyyy-mm-dd');
    const sample = await exported('/api/verification/sample/workbook?period=2026-09', tokens.admin!);
    expect(sample.rows).toEqual([['D001', 1, 1, 'RP-XLSX-1']]);
  });

  it('gives the warehouse the returns it recorded, every dealer read, and refuses a dealer', async () => {
    const returns = await exported('/api/returns/workbook?from=2026-11-01', tokens.warehouse!);
    expect(returns.status).toBe(200);
    expect(returns.rows).toContainEqual(expect.arrayContaining(['RT-XLSX-1', 1, new Date('2026-11-20T00:00:00Z'), 'D001', 'P-VALVE-01', 2]));
    expect((await exported('/api/returns/workbook', tokens['dealer-d001']!)).status).toBe(403);
  });
});
