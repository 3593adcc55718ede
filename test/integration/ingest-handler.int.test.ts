import { Logger } from '@aws-lambda-powertools/logger';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { S3Event, SQSEvent } from 'aws-lambda';
import { createHash } from 'node:crypto';
import type { BackOfficeConfig } from '../../shared/config.js';
import { createBackOffice, type BackOffice } from '../../shared/compose.js';
import { ingestHandler } from '../../functions/ingest.js';
import { uploadKey, uploadSourceId } from '../../shared/app/upload-keys.js';
import { recordTicket } from '../../shared/app/uploads.js';
import type { ReportTarget } from '../../shared/app/ports.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { lambdaContext } from '../../infra/local/lambda-context.js';
import { freshStack } from '../helpers/local-stack.js';
import { repairRow, reportWorkbook } from '../helpers/reports.js';
import { XLSX_CONTENT_TYPE } from '../../shared/sheets/content-type.js';

let config: BackOfficeConfig;
let adapters: BackOffice;
let handler: ReturnType<typeof ingestHandler>;
const context = lambdaContext('ingest');

/** The notification S3 sends for one object created, as AWS and s3rver shape it (AWS names the version of a versioned bucket). */
function s3Event(key: string, eTag: string, versionId?: string): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: config.region,
        eventTime: '2026-11-02T02:00:00.000Z',
        eventName: 'ObjectCreated:Put',
        s3: { bucket: { name: config.buckets.uploads }, object: { key: encodeURIComponent(key).replace(/%2F/g, '/'), eTag, size: 1, ...(versionId === undefined ? {} : { versionId }) } },
      },
    ],
  } as unknown as S3Event;
}

const sqsEvent = (body: unknown, messageId: string): SQSEvent =>
  ({ Records: [{ messageId, eventSource: 'aws:sqs', body: JSON.stringify(body) }] }) as unknown as SQSEvent;

/** A ticket for the upload, as the API keeps one for each form it hands out. */
const ticketFor = (target: ReportTarget, id: string) => recordTicket(adapters, target, id, '2026-11-02T02:15:00.000Z');

/** A report put into the uploads bucket; through a form of the API (with a ticket) unless `ticketed` is false. */
async function putUpload(target: ReportTarget, id: string, ticketed = true): Promise<{ key: string; eTag: string }> {
  const bytes = await reportWorkbook('repair', [repairRow()]);
  const key = uploadKey(target, id);
  if (ticketed) await ticketFor(target, id);
  await adapters.blobs.put('uploads', key, bytes, XLSX_CONTENT_TYPE);
  return { key, eTag: createHash('md5').update(bytes).digest('hex') };
}

beforeAll(async () => {
  config = await freshStack();
  adapters = createBackOffice(config);
  await adapters.master.save({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
  handler = ingestHandler({ ...adapters, logLevel: 'ERROR' });
});

describe('the ingest Lambda handler', () => {
  it('takes in the report an S3 ObjectCreated event names and makes it current', async () => {
    const target: ReportTarget = { dealer: 'D001', type: 'repair', period: '2026-10' };
    const { key, eTag } = await putUpload(target, 'first');
    await handler(s3Event(key, eTag), context);
    expect((await adapters.reports.currentVersion(target))?.counts.records).toBe(1);
  });

  it('changes nothing when S3 notifies the same object twice through SQS', async () => {
    const target: ReportTarget = { dealer: 'D002', type: 'repair', period: '2026-10' };
    const { key, eTag } = await putUpload(target, 'twice');
    const first = await handler(sqsEvent(s3Event(key, eTag), 'm-1'), context);
    const second = await handler(sqsEvent(s3Event(key, eTag), 'm-2'), context);
    expect(first).toEqual({ batchItemFailures: [] });
    expect(second).toEqual({ batchItemFailures: [] });
    expect(await adapters.reports.versions(target)).toHaveLength(1);
  });

  it('reports a message it could not process as a batch item failure, and only that one', async () => {
    const target: ReportTarget = { dealer: 'D003', type: 'repair', period: '2026-10' };
    await ticketFor(target, 'never-uploaded');
    const missing = s3Event(uploadKey(target, 'never-uploaded'), 'nope');
    const result = await handler(sqsEvent(missing, 'm-missing'), context);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-missing' }] });
  });

  it('ignores objects whose key the application did not make', async () => {
    await adapters.blobs.put('uploads', 'stray/file.xlsx', 'x', 'text/plain');
    await expect(handler(s3Event('stray/file.xlsx', 'x'), context)).resolves.toBeUndefined();
  });

  it('refuses an object put into the uploads bucket without a ticket (s3rver lets anyone PUT), records why, and logs it as suspicious', async () => {
    // Prepare
    const warn = vi.spyOn(Logger.prototype, 'warn');
    const target: ReportTarget = { dealer: 'D002', type: 'repair', period: '2026-09' };
    const { key, eTag } = await putUpload(target, 'anonymous', false);
    // Act
    await handler(s3Event(key, eTag), context);
    // Assess
    expect(await adapters.reports.versions(target)).toEqual([]);
    const outcome = await adapters.reports.findOutcome(uploadSourceId(config.buckets.uploads, key, eTag));
    expect(outcome).toMatchObject({ status: 'rejected', errors: [{ code: 'upload_without_ticket', message_zh: expect.any(String) }] });
    expect(warn).toHaveBeenCalledWith('upload without a ticket', expect.objectContaining({ reason: 'no_ticket', dealer: 'D002' }));
    warn.mockRestore();
  });

  it('reads the object version the event names, where the bucket keeps versions', async () => {
    // Prepare: s3rver keeps no versions, so the read is watched rather than served by version
    const target: ReportTarget = { dealer: 'D003', type: 'repair', period: '2026-10' };
    const { key, eTag } = await putUpload(target, 'versioned');
    const get = adapters.blobs.get.bind(adapters.blobs);
    const reads = vi.spyOn(adapters.blobs, 'get').mockImplementation((bucket, objectKey) => get(bucket, objectKey));
    // Act
    await handler(s3Event(key, eTag, 'version-7'), context);
    // Assess
    expect(reads).toHaveBeenCalledWith('uploads', key, 'version-7');
    expect(await adapters.reports.findOutcome(uploadSourceId(config.buckets.uploads, key, 'version-7'))).toMatchObject({ status: 'accepted' });
    reads.mockRestore();
  });
});
