import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackOfficeConfig } from '../../shared/config.js';
import { createAdapters, createBackOffice, createDocumentClient, createS3Client, type Adapters } from '../../shared/compose.js';
import { ingestHandler } from '../../functions/ingest.js';
import { ingestReport, type IngestRequest } from '../../shared/app/ingest-report.js';
import { ingestLedger } from '../../shared/app/ingest-ledger.js';
import { reconcilePeriod } from '../../shared/app/reconcile.js';
import { uploadKey } from '../../shared/app/upload-keys.js';
import { recordTicket } from '../../shared/app/uploads.js';
import type { ProjectionJobs, ReportTarget } from '../../shared/app/ports.js';
import type { Dealer } from '../../shared/domain/master.js';
import { writeInvoiceWorkbook } from '../../shared/sheets/invoice-workbook.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { lambdaContext } from '../../infra/local/lambda-context.js';
import { freshStack } from '../helpers/local-stack.js';
import { installationRow, ledgerWorkbook, reportWorkbook, shipmentRow } from '../helpers/reports.js';
import { XLSX_CONTENT_TYPE } from '../../shared/sheets/content-type.js';

/**
 * Faults a real server cannot be made to produce, injected at the edge of the SDK clients
 * while DynamoDB Local and s3rver do the real work: the process dying halfway, throttling,
 * an S3 read that breaks off, the same upload twice at once, two uploads racing, a
 * reconciliation that dies after some dealers. Each test counts rows, lines and fen.
 */

let config: BackOfficeConfig;
let adapters: Adapters;
const receivedAt = new Date('2026-11-02T08:00:00+08:00');
let uploads = 0;
/**
 * The projection queue, taking each accepted version's archive and histories for its worker as
 * on AWS: the faults here are the intake's, and building thousands of archive entries inline
 * after each verdict would only make them slow (the worker's own faults: report-projections tests).
 */
const queued: ProjectionJobs = { request: async () => undefined };

const rows = (n: number, tag: string) => Array.from({ length: n }, (_, i) => installationRow({ install_id: `${tag}-${i}`, serial_no: `SN-${tag}-${i}` }));
const request = (target: ReportTarget, bytes: Uint8Array, sourceId = `fault:${(uploads += 1)}`): IngestRequest => ({ bytes, target, receivedAt, sourceId });

async function itemCount(target: ReportTarget, version: number | null | undefined): Promise<number> {
  let n = 0;
  for await (const _ of adapters.reports.readItems(target, version ?? 0)) n += 1;
  return n;
}

type Send = DynamoDBDocumentClient['send'];

/** A document client whose `send` is `intercept`, given the command and the real send. */
function intercepted(intercept: (command: { constructor: { name: string }; input: Record<string, unknown> }, send: (command: unknown) => Promise<unknown>) => Promise<unknown>): DynamoDBDocumentClient {
  const real = createDocumentClient(config);
  const send = real.send.bind(real) as unknown as (command: unknown) => Promise<unknown>;
  return new Proxy(real, {
    get: (target, property, receiver) => (property === 'send' ? ((command: never) => intercept(command, send)) as unknown as Send : Reflect.get(target, property, receiver)),
  });
}

beforeAll(async () => {
  config = await freshStack();
  adapters = createAdapters(config);
  await adapters.master.save({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
});

describe('the ingest process dies after half its rows are written', () => {
  it('leaves the previous version current and whole; the retry writes every row once', async () => {
    // Prepare: a current version of 300 rows, then an upload of 2,000 whose process dies after 2 of its 4 batch writes (a pack of 500 rows each)
    const target: ReportTarget = { dealer: 'D001', type: 'installation', period: '2026-09' };
    const previous = await ingestReport({ ...adapters, config, projections: queued }, request(target, await reportWorkbook('installation', rows(300, 'OLD').map((r) => ({ ...r, install_date: '2026-09-08', purchase_date: '2026-09-01' })))));
    const upload = request(target, await reportWorkbook('installation', rows(2_000, 'NEW').map((r) => ({ ...r, install_date: '2026-09-08', purchase_date: '2026-09-01' }))));
    let batchWrites = 0;
    const dying = intercepted(async (command, send) => {
      if (command.constructor.name === 'BatchWriteCommand' && ++batchWrites > 2) throw new Error('Runtime exited: the Lambda was killed');
      return send(command);
    });
    // Act
    await expect(ingestReport({ ...createAdapters(config, dying), config, projections: queued }, upload)).rejects.toThrow('killed');
    // Assess: readers still see the previous version, all of it
    expect(batchWrites).toBeGreaterThan(2);
    const current = await adapters.reports.currentVersion(target);
    expect(current?.version).toBe(previous.version);
    expect(await itemCount(target, current?.version)).toBe(300);
    // Act: S3 (or the queue) delivers the same upload again
    const retried = await ingestReport({ ...adapters, config, projections: queued }, upload);
    // Assess: the new version is current with each of its rows exactly once, the old one kept apart
    expect(retried).toMatchObject({ status: 'accepted', replayed: false, counts: { rows: 2_000, records: 2_000 } });
    expect((await adapters.reports.currentVersion(target))?.version).toBe(retried.version);
    expect(await itemCount(target, retried.version)).toBe(2_000);
    expect(await itemCount(target, previous.version)).toBe(300);
    expect((await adapters.reports.versions(target)).map((v) => v.status)).toEqual(['superseded', 'accepted']);
  }, 120_000);
});

describe('DynamoDB throttles', () => {
  /** Every fourth request is refused as DynamoDB refuses it when throttling: HTTP 400 with the error type in the body. */
  function throttlingClient(): { client: DynamoDBDocumentClient; throttled: () => number } {
    let requests = 0;
    let throttled = 0;
    const base = new DynamoDBClient({
      region: config.region,
      endpoint: config.endpoints.dynamodb,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 8,
    });
    const handler = base.config.requestHandler as { handle: (request: unknown, options?: unknown) => Promise<{ response: unknown }> };
    const realHandle = handler.handle.bind(handler);
    handler.handle = async (httpRequest, options) => {
      requests += 1;
      if (requests % 4 !== 1) return realHandle(httpRequest, options);
      throttled += 1;
      const type = throttled % 2 === 0 ? 'ThrottlingException' : 'ProvisionedThroughputExceededException';
      return {
        response: {
          statusCode: 400,
          headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `throttled-${throttled}` },
          body: Readable.from([Buffer.from(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: 'Rate of requests exceeds the allowed throughput.' }))]),
        },
      };
    };
    const client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
    return { client, throttled: () => throttled };
  }

  /** DynamoDB leaves part of every other batch unprocessed, as it does when a partition is hot. */
  function partlyUnprocessed(): { client: DynamoDBDocumentClient; leftOver: () => number } {
    let batches = 0;
    let leftOver = 0;
    const client = intercepted(async (command, send) => {
      if (command.constructor.name !== 'BatchWriteCommand' || ++batches % 2 === 0) return send(command);
      const [[table, requests]] = Object.entries(command.input.RequestItems as Record<string, unknown[]>) as [[string, unknown[]]];
      const half = Math.ceil(requests.length / 2);
      const { BatchWriteCommand } = await import('@aws-sdk/lib-dynamodb');
      const result = (await send(new BatchWriteCommand({ RequestItems: { [table]: requests.slice(0, half) } as never }))) as Record<string, unknown>;
      leftOver += requests.length - half;
      return { ...result, UnprocessedItems: { [table]: requests.slice(half) } };
    });
    return { client, leftOver: () => leftOver };
  }

  it('retries throttled requests: the report is taken in whole, each row once', async () => {
    const target: ReportTarget = { dealer: 'D002', type: 'installation', period: '2026-10' };
    const { client, throttled } = throttlingClient();
    const result = await ingestReport({ ...createAdapters(config, client), config, projections: queued }, request(target, await reportWorkbook('installation', rows(300, 'THR'))));
    expect(throttled()).toBeGreaterThan(3);
    expect(result).toMatchObject({ status: 'accepted', counts: { records: 300 } });
    expect((await adapters.reports.currentVersion(target))?.version).toBe(result.version);
    expect(await itemCount(target, result.version)).toBe(300);
  }, 120_000);

  // The report's rows go in a few packed items; the batches with hundreds of items are its
  // archive's, so this one builds its projections inline, as the worker would.
  it('writes again what a batch left unprocessed: every row once', async () => {
    const target: ReportTarget = { dealer: 'D003', type: 'installation', period: '2026-10' };
    const { client, leftOver } = partlyUnprocessed();
    const result = await ingestReport({ ...createAdapters(config, client), config }, request(target, await reportWorkbook('installation', rows(600, 'UNP'))));
    expect(leftOver()).toBeGreaterThan(100);
    expect(result).toMatchObject({ status: 'accepted', counts: { records: 600 } });
    expect(await itemCount(target, result.version)).toBe(600);
  }, 120_000);

  it('records a throttled ledger upload line by line, once, and its repeat records nothing', async () => {
    const { client, throttled } = throttlingClient();
    const lines = Array.from({ length: 30 }, (_, i) => shipmentRow({ shipment_id: `TH-${i}`, dealer_code: 'D003', qty: i + 1 }));
    const bytes = await ledgerWorkbook('shipments', lines);
    const deps = { ...createAdapters(config, client), config };
    const first = await ingestLedger(deps, { bytes, type: 'shipments', receivedAt, sourceId: 'ledger-throttled' });
    const again = await ingestLedger(deps, { bytes, type: 'shipments', receivedAt, sourceId: 'ledger-throttled-again' });
    expect(throttled()).toBeGreaterThan(3);
    expect(first.counts).toMatchObject({ records: 30, recorded: 30, already_recorded: 0 });
    expect(again.counts).toMatchObject({ recorded: 0, already_recorded: 30 });
    const ledger = await adapters.ledger.dealerLedger('D003', '2026-12-31');
    const mine = ledger.shipments.filter((s) => s.shipment_id.startsWith('TH-'));
    expect(mine).toHaveLength(30);
    expect(mine.reduce((sum, s) => sum + s.qty, 0)).toBe((30 * 31) / 2);
  }, 120_000);
});

describe('the S3 read of an upload breaks off midway', () => {
  /** Switches the fault of the S3 client the ingest handler is given. */
  const faults = { s3ReadBreaksOff: false, s3Reads: 0 };

  /** An S3 client whose object reads, while the fault is on, break off after the response has begun. */
  function breakingS3() {
    const client = createS3Client(config);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName !== 'GetObjectCommand' || !faults.s3ReadBreaksOff) return result;
        faults.s3Reads += 1;
        const output = result.output as { Body?: { destroy?: () => void; transformToByteArray?: () => Promise<Uint8Array> } };
        // The body starts to arrive, then the connection is reset.
        output.Body?.destroy?.();
        output.Body = { transformToByteArray: () => Promise.reject(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })) };
        return result;
      },
      { step: 'initialize', name: 'breakOffReads' },
    );
    return client;
  }

  it('fails the message clearly, stores nothing of it, and the redelivery takes it in whole', async () => {
    // Prepare: the handler, with its adapters on this test's table and buckets and a breakable S3 client
    const handler = ingestHandler({ ...createBackOffice(config, { s3: breakingS3() }), projections: queued, logLevel: 'CRITICAL' });
    const context = lambdaContext('ingest');
    const target: ReportTarget = { dealer: 'D001', type: 'installation', period: '2026-08' };
    const bytes = await reportWorkbook('installation', rows(250, 'S3').map((r) => ({ ...r, install_date: '2026-08-08', purchase_date: '2026-08-01' })));
    const key = uploadKey(target, 'breaks-off');
    await recordTicket(adapters, target, 'breaks-off', '2026-09-02T00:15:00.000Z');
    await adapters.blobs.put('uploads', key, bytes, XLSX_CONTENT_TYPE);
    const eTag = createHash('md5').update(bytes).digest('hex');
    const notification = {
      Records: [{ eventName: 'ObjectCreated:Put', eventTime: '2026-09-02T00:00:00.000Z', s3: { bucket: { name: config.buckets.uploads }, object: { key, eTag } } }],
    };
    const message = (id: string) => ({ Records: [{ messageId: id, eventSource: 'aws:sqs', body: JSON.stringify(notification) }] }) as unknown as SQSEvent;
    // Act
    faults.s3ReadBreaksOff = true;
    const failed = await handler(message('m-1'), context);
    faults.s3ReadBreaksOff = false;
    // Assess: the message goes back to the queue; no version, no outcome, nothing current
    expect(faults.s3Reads).toBe(1);
    expect(failed).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
    expect(await adapters.reports.versions(target)).toEqual([]);
    expect(await adapters.reports.currentVersion(target)).toBeUndefined();
    expect(await adapters.reports.findOutcome(`s3://${config.buckets.uploads}/${key}#${eTag}`)).toBeUndefined();
    // Act: SQS delivers it again
    const redelivered = await handler(message('m-2'), context);
    // Assess
    expect(redelivered).toEqual({ batchItemFailures: [] });
    const current = await adapters.reports.currentVersion(target);
    expect(current?.counts.records).toBe(250);
    expect(await itemCount(target, current?.version)).toBe(250);
  }, 120_000);
});

describe('uploads that race', () => {
  it('the same upload twice at once: one version, its rows once', async () => {
    const target: ReportTarget = { dealer: 'D002', type: 'installation', period: '2026-09' };
    const upload = request(target, await reportWorkbook('installation', rows(700, 'TWICE').map((r) => ({ ...r, install_date: '2026-09-08', purchase_date: '2026-09-01' }))));
    const [a, b] = await Promise.all([ingestReport({ ...adapters, config, projections: queued }, upload), ingestReport({ ...adapters, config, projections: queued }, upload)]);
    expect(a.version).toBe(b.version);
    expect([a.status, b.status]).toEqual(['accepted', 'accepted']);
    expect(await adapters.reports.versions(target)).toHaveLength(1);
    expect((await adapters.reports.currentVersion(target))?.version).toBe(a.version);
    expect(await itemCount(target, a.version)).toBe(700);
  }, 120_000);

  it('two different uploads for the same dealer and month at once: one current version, the other superseded, no rows mixed', async () => {
    const target: ReportTarget = { dealer: 'D003', type: 'installation', period: '2026-09' };
    const monthRows = (n: number, tag: string) => rows(n, tag).map((r) => ({ ...r, install_date: '2026-09-08', purchase_date: '2026-09-01' }));
    const [first, second] = [request(target, await reportWorkbook('installation', monthRows(500, 'A'))), request(target, await reportWorkbook('installation', monthRows(800, 'B')))];
    const results = await Promise.all([ingestReport({ ...adapters, config, projections: queued }, first), ingestReport({ ...adapters, config, projections: queued }, second)]);
    const versions = await adapters.reports.versions(target);
    const current = await adapters.reports.currentVersion(target);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    // The later claim wins, whichever finished first.
    expect(current?.version).toBe(Math.max(...results.map((r) => r.version ?? 0)));
    expect(versions.map((v) => v.status).sort()).toEqual(['accepted', 'superseded']);
    const winner = results.find((r) => r.version === current?.version)!;
    const stored: string[] = [];
    for await (const item of adapters.reports.readItems(target, current!.version)) stored.push(item.kind === 'installation' ? item.record.install_id : item.kind);
    expect(stored).toHaveLength(winner.counts.records);
    expect(new Set(stored.map((id) => id.split('-')[0]))).toEqual(new Set([winner.counts.records === 500 ? 'A' : 'B']));
  }, 120_000);

  it('an upload whose commit read the month before an older upload committed: the older one ends superseded, not accepted beside it', async () => {
    // Prepare: two uploads of one month no other test touches, claimed, the second received an hour later.
    const target: ReportTarget = { dealer: 'D002', type: 'repair', period: '2026-07' };
    const summaryAt = (received_at: string, source: string) => ({ received_at, late: false, counts: { rows: 1, records: 1, part_lines: 0 }, source });
    const [older, newer] = [summaryAt('2026-09-01T08:00:00.000Z', 'race:older'), summaryAt('2026-09-01T09:00:00.000Z', 'race:newer')];
    const { version: olderVersion } = await adapters.reports.claim(older.source, target, older.received_at);
    const { version: newerVersion } = await adapters.reports.claim(newer.source, target, newer.received_at);
    // The newer upload's commit reads the month's pointer (none yet), and the older upload's
    // commit lands whole before the newer one writes.
    let held = false;
    const holding = intercepted(async (command, send) => {
      const result = await send(command);
      if (!held && command.constructor.name === 'GetCommand') {
        held = true;
        expect(await adapters.reports.commit(target, olderVersion, older)).toBe('current');
      }
      return result;
    });
    // Act
    const outcome = await createAdapters(config, holding).reports.commit(target, newerVersion, newer);
    // Assess: the newer upload is current, and the one it replaced says so.
    expect(held).toBe(true);
    expect(outcome).toBe('current');
    expect((await adapters.reports.currentVersion(target))?.version).toBe(newerVersion);
    expect(Object.fromEntries((await adapters.reports.versions(target)).map((v) => [v.source, v.status]))).toEqual({ 'race:older': 'superseded', 'race:newer': 'accepted' });
  }, 120_000);
});

describe('the reconciliation dies after some dealers', () => {
  /** Eight dealers, each keeping k (1..8) valves past their deadline: k × ¥35.50 each, ¥1,278.00 in all. */
  const DEALERS: Dealer[] = Array.from({ length: 8 }, (_, i) => ({ ...DEMO_DEALERS[0]!, dealer_code: `R${i + 1}`, dealer_name: `盘点经销商 ${i + 1}` }));
  const expectedTotals = Object.fromEntries(DEALERS.map((d, i) => [d.dealer_code, (i + 1) * 3550]));

  it('runs again to completion: every dealer charged once, numbers without gaps, nothing doubled or lost', async () => {
    // Prepare: a table of its own, so that only these dealers are reconciled
    const own = await freshStack();
    const ownAdapters = createAdapters(own);
    await ownAdapters.master.save({ dealers: DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
    const shipments = await ledgerWorkbook('shipments', DEALERS.map((d, i) => shipmentRow({ shipment_id: `L-${d.dealer_code}`, dealer_code: d.dealer_code, qty: i + 1 })));
    const loaded = await ingestLedger({ ...ownAdapters, config: own }, { bytes: shipments, type: 'shipments', receivedAt, sourceId: 'reconcile-setup' });
    expect(loaded.counts.recorded).toBe(8);
    let invoicesCreated = 0;
    let dead = false;
    const dying = intercepted(async (command, send) => {
      if (dead) throw new Error('Runtime exited: the Lambda was killed');
      const result = await send(command);
      // The process dies right after its third invoice is stored, before its workbook is.
      if (command.constructor.name === 'TransactWriteCommand' && JSON.stringify(command.input).includes('SET seq') && ++invoicesCreated === 3) dead = true;
      return result;
    });
    const renderInvoice = writeInvoiceWorkbook;
    // Act
    await expect(
      reconcilePeriod({ ...createAdapters({ ...own }, dying), config: own, renderInvoice }, { period: '2026-10', as_of: '2026-11-05', concurrency: 2 }),
    ).rejects.toThrow('killed');
    // Assess: what was stored is whole and readable
    const survived = await ownAdapters.invoices.byPeriod('2026-10');
    expect(survived).toHaveLength(3);
    for (const invoice of survived) expect(invoice.total).toBe(expectedTotals[invoice.dealer.code]);
    // Act: the month is run again
    const rerun = await reconcilePeriod({ ...ownAdapters, config: own, renderInvoice }, { period: '2026-10', as_of: '2026-11-05' });
    const again = await reconcilePeriod({ ...ownAdapters, config: own, renderInvoice }, { period: '2026-10', as_of: '2026-11-05' });
    // Assess: one invoice per dealer, each for what it kept, numbered 0001–0008, each with its workbook
    const invoices = await ownAdapters.invoices.byPeriod('2026-10');
    expect(rerun.run).toMatchObject({ status: 'done', dealers_total: 8, dealers_done: 8, failed: [] });
    expect(again.dealers.flatMap((d) => d.new_charges)).toEqual([]);
    expect(invoices).toHaveLength(8);
    expect(Object.fromEntries(invoices.map((i) => [i.dealer.code, i.total]))).toEqual(expectedTotals);
    expect(invoices.reduce((sum, i) => sum + i.total, 0)).toBe(127_800);
    expect(invoices.flatMap((i) => i.lines).map((l) => l.qty).reduce((a, b) => a + b, 0)).toBe(36);
    expect(invoices.map((i) => i.invoice_no).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `FY-2026-10-000${i + 1}`));
    for (const invoice of invoices) {
      expect(invoice.workbook_key).toBe(`invoices/2026-10/${invoice.dealer.code}-${invoice.invoice_no}.xlsx`);
      expect((await ownAdapters.blobs.get('invoices', invoice.workbook_key!)).length).toBeGreaterThan(0);
    }
  }, 180_000);
});
