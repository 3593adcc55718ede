import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { S3Event, SQSEvent } from 'aws-lambda';
import type { BackOfficeConfig } from '../../shared/config.js';
import { createBackOffice, type BackOffice } from '../../shared/compose.js';
import { ledgerIngestHandler } from '../../functions/ingest-ledger.js';
import { ledgerUploadStatus, requestLedgerUpload } from '../../shared/app/ledger-uploads.js';
import { ledgerUploadKey } from '../../shared/app/upload-keys.js';
import type { LedgerType } from '../../shared/domain/ledger-validation.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { lambdaContext } from '../../infra/local/lambda-context.js';
import { freshStack } from '../helpers/local-stack.js';
import { ledgerWorkbook, returnRow, shipmentRow } from '../helpers/reports.js';
import { caller } from '../helpers/memory/world.js';
import { XLSX_CONTENT_TYPE } from '../../shared/sheets/content-type.js';

let config: BackOfficeConfig;
let office: BackOffice;
let handler: ReturnType<typeof ledgerIngestHandler>;
const context = lambdaContext('ingest-ledger');
const admin = caller('admin');

/** The notification S3 sends for one object created under `key`, naming the object by what s3rver reports of it. */
async function s3Event(key: string): Promise<S3Event> {
  const identity = await office.links.identity('uploads', key);
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: config.region,
        eventTime: new Date().toISOString(),
        eventName: 'ObjectCreated:Post',
        s3: { bucket: { name: config.buckets.uploads }, object: { key, eTag: identity, size: 1 } },
      },
    ],
  } as unknown as S3Event;
}

const sqsEvent = (body: unknown, messageId: string): SQSEvent =>
  ({ Records: [{ messageId, eventSource: 'aws:sqs', body: JSON.stringify(body) }] }) as unknown as SQSEvent;

/** A ledger file uploaded through a form of the API, as the browser posts it. */
async function upload(type: LedgerType, bytes: Uint8Array): Promise<string> {
  const ticket = await requestLedgerUpload(office, admin, type);
  await office.blobs.put('uploads', ticket.form.fields.key!, bytes, XLSX_CONTENT_TYPE);
  return ticket.upload_id;
}

beforeAll(async () => {
  config = await freshStack();
  office = createBackOffice(config);
  await office.master.save({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
  handler = ledgerIngestHandler({ ...office, logLevel: 'ERROR' });
});

describe('the ledger worker Lambda handler', () => {
  it('records the shipments file an S3 event names, and records nothing again when the event is delivered twice through SQS', async () => {
    const id = await upload('shipments', await ledgerWorkbook('shipments', [shipmentRow(), shipmentRow({ shipment_id: 'S2' })]));
    const event = await s3Event(ledgerUploadKey('shipments', id));
    const record = vi.spyOn(office.ledger, 'record');
    expect(await handler(sqsEvent(event, 'm-1'), context)).toEqual({ batchItemFailures: [] });
    const writes = record.mock.calls.length;
    expect(writes).toBeGreaterThan(0);
    expect(await handler(sqsEvent(event, 'm-2'), context)).toEqual({ batchItemFailures: [] });
    expect(record.mock.calls.length).toBe(writes);
    record.mockRestore();
    expect(await ledgerUploadStatus(office, admin, 'shipments', id)).toMatchObject({ state: 'accepted', counts: { rows: 2, records: 2, recorded: 2, already_recorded: 0 } });
    expect((await office.ledger.find('shipments', [{ id: 'S1', line: 1 }, { id: 'S2', line: 1 }])).size).toBe(2);
  });

  it('rejects a returns file with an unknown dealer, with its annotated workbook to download', async () => {
    const id = await upload('returns', await ledgerWorkbook('returns', [returnRow({ dealer_code: 'D999' })]));
    await handler(await s3Event(ledgerUploadKey('returns', id)), context);
    const status = await ledgerUploadStatus(office, admin, 'returns', id);
    expect(status).toMatchObject({ state: 'rejected', errors_total: 1, errors: [{ code: 'unknown_dealer' }] });
    expect(await office.blobs.get('reports', `ledger-errors/returns/${id}.xlsx`)).toBeInstanceOf(Uint8Array);
    expect('error_workbook_url' in status && status.error_workbook_url).toContain(`ledger-errors/returns/${id}.xlsx`);
  });

  it('refuses unread a file that came without an upload form', async () => {
    const id = '00000000-0000-4000-8000-00000000f00d';
    const key = ledgerUploadKey('shipments', id);
    await office.blobs.put('uploads', key, await ledgerWorkbook('shipments', [shipmentRow({ shipment_id: 'S-STRAY' })]), XLSX_CONTENT_TYPE);
    await handler(await s3Event(key), context);
    expect(await ledgerUploadStatus(office, admin, 'shipments', id)).toMatchObject({ state: 'rejected', errors: [{ code: 'upload_without_ticket' }] });
    expect((await office.ledger.find('shipments', [{ id: 'S-STRAY', line: 1 }])).size).toBe(0);
  });

  it('leaves a report key to the report ingest', async () => {
    const record = vi.spyOn(office.ledger, 'record');
    await handler(await s3Event('repair/D001/2026-10/some-upload.xlsx'), context);
    expect(record).not.toHaveBeenCalled();
    record.mockRestore();
  });
});
