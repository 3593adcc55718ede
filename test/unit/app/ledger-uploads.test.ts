import { beforeEach, describe, expect, it } from 'vitest';
import { Refusal } from '../../../shared/app/access.js';
import { ledgerUploadStatus, recordLedgerObject, recordLedgerUpload, requestLedgerUpload, type LedgerObject } from '../../../shared/app/ledger-uploads.js';
import { ledgerUploadKey, uploadSourceId } from '../../../shared/app/upload-keys.js';
import type { LedgerType } from '../../../shared/domain/ledger-validation.js';
import { XLSX_CONTENT_TYPE } from '../../../shared/sheets/content-type.js';
import { caller, demoBackOffice, type DemoBackOffice } from '../../helpers/memory/world.js';
import { ledgerWorkbook, returnRow, shipmentRow } from '../../helpers/reports.js';

const admin = caller('admin');
const warehouse = caller('warehouse');

let office: DemoBackOffice;
beforeEach(async () => {
  office = await demoBackOffice('2026-11-02T02:00:00.000Z');
});

async function refusal(work: Promise<unknown>): Promise<Refusal> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Refusal)) throw new Error(`expected a Refusal, got ${String(error)}`);
  return error;
}

/** Puts a file under the upload's key, as the browser's form does, and names the object as its S3 event would. */
async function land(type: LedgerType, uploadId: string, bytes: Uint8Array, receivedAt = '2026-11-02T02:05:00.000Z'): Promise<LedgerObject> {
  const key = ledgerUploadKey(type, uploadId);
  await office.blobs.put('uploads', key, bytes, XLSX_CONTENT_TYPE);
  const identity = await office.links.identity('uploads', key);
  return { type, uploadId, receivedAt: new Date(receivedAt), sourceId: uploadSourceId(office.config.buckets.uploads, key, identity!) };
}

describe('ledger uploads through the portal', () => {
  it('lets the warehouse upload returns but not shipments, and keeps a ticket for each form', async () => {
    const ticket = await requestLedgerUpload(office, warehouse, 'returns');
    expect(ticket.form.fields.key).toMatch(/^ledger\/returns\/.+\.xlsx$/);
    expect(await office.tickets.find(ticket.form.fields.key!)).toEqual({ key: ticket.form.fields.key, upload_id: ticket.upload_id, expires_at: ticket.expires_at });
    expect(await refusal(requestLedgerUpload(office, warehouse, 'shipments'))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(ledgerUploadStatus(office, warehouse, 'shipments', ticket.upload_id))).toMatchObject({ code: 'forbidden' });
  });

  it('says an upload is waiting until the file lands, processing until it is judged, then its counts', async () => {
    const ticket = await requestLedgerUpload(office, admin, 'shipments');
    expect(await ledgerUploadStatus(office, admin, 'shipments', ticket.upload_id)).toEqual({ state: 'waiting' });
    expect(await refusal(recordLedgerUpload(office, admin, 'shipments', ticket.upload_id))).toMatchObject({ code: 'not_found' });

    const object = await land('shipments', ticket.upload_id, await ledgerWorkbook('shipments', [shipmentRow()]));
    expect(await ledgerUploadStatus(office, admin, 'shipments', ticket.upload_id)).toEqual({ state: 'processing' });
    expect(await recordLedgerUpload(office, admin, 'shipments', ticket.upload_id)).toEqual({
      upload_id: ticket.upload_id,
      state: 'processing',
      status_path: `/api/ledger/shipments/uploads/${ticket.upload_id}`,
    });

    await recordLedgerObject(office, object);
    expect(await ledgerUploadStatus(office, admin, 'shipments', ticket.upload_id)).toMatchObject({
      state: 'accepted',
      counts: { rows: 1, records: 1, recorded: 1, already_recorded: 0 },
      errors: [],
      errors_total: 0,
      error_workbook_url: null,
    });
  });

  it('records a file once, however often its event is delivered', async () => {
    const ticket = await requestLedgerUpload(office, admin, 'shipments');
    const object = await land('shipments', ticket.upload_id, await ledgerWorkbook('shipments', [shipmentRow()]));
    expect(await recordLedgerObject(office, object)).toMatchObject({ replayed: false, outcome: { status: 'accepted', counts: { recorded: 1 } } });
    expect(await recordLedgerObject(office, object)).toMatchObject({ replayed: true, outcome: { status: 'accepted', counts: { recorded: 1 } } });
  });

  it('records nothing twice when the same lines come again in another upload', async () => {
    const first = await requestLedgerUpload(office, admin, 'shipments');
    await recordLedgerObject(office, await land('shipments', first.upload_id, await ledgerWorkbook('shipments', [shipmentRow()])));
    const again = await requestLedgerUpload(office, admin, 'shipments');
    await recordLedgerObject(office, await land('shipments', again.upload_id, await ledgerWorkbook('shipments', [shipmentRow()])));
    expect(await ledgerUploadStatus(office, admin, 'shipments', again.upload_id)).toMatchObject({ state: 'accepted', counts: { recorded: 0, already_recorded: 1 } });
  });

  it('stores the marked workbook of a rejected file, with every issue beside it, and links to it', async () => {
    const ticket = await requestLedgerUpload(office, warehouse, 'returns');
    await recordLedgerObject(office, await land('returns', ticket.upload_id, await ledgerWorkbook('returns', [returnRow({ dealer_code: 'D999' })])));
    const status = await ledgerUploadStatus(office, warehouse, 'returns', ticket.upload_id);
    expect(status).toMatchObject({ state: 'rejected', errors_total: 1, counts: { recorded: 0 } });
    expect(await office.blobs.list('reports', 'ledger-errors/')).toEqual([`ledger-errors/returns/${ticket.upload_id}.json`, `ledger-errors/returns/${ticket.upload_id}.xlsx`]);
    expect('error_workbook_url' in status && status.error_workbook_url).toContain('returns-errors.xlsx');
  });

  it('refuses unread a file no form was handed out for, and one that came after its form expired', async () => {
    const stray = await land('shipments', '00000000-0000-4000-8000-000000000000', await ledgerWorkbook('shipments', [shipmentRow()]));
    expect(await recordLedgerObject(office, stray)).toMatchObject({ refused: 'no_ticket', outcome: { status: 'rejected', errors: [{ code: 'upload_without_ticket' }] } });

    const ticket = await requestLedgerUpload(office, admin, 'shipments');
    const late = await land('shipments', ticket.upload_id, await ledgerWorkbook('shipments', [shipmentRow()]), '2026-11-02T02:16:00.000Z');
    expect(await recordLedgerObject(office, late)).toMatchObject({ refused: 'expired', outcome: { status: 'rejected' } });
    expect(await ledgerUploadStatus(office, admin, 'shipments', ticket.upload_id)).toMatchObject({ state: 'rejected', errors: [{ code: 'upload_without_ticket' }] });
    expect(await office.ledger.find('shipments', [{ id: String(shipmentRow().shipment_id), line: 1 }])).toEqual(new Map());
  });

  it('does not take a report form for a ledger one', async () => {
    const key = ledgerUploadKey('shipments', '00000000-0000-4000-8000-000000000001');
    await office.tickets.record({ key, upload_id: 'u', target: { dealer: 'D001', type: 'repair', period: '2026-10' }, expires_at: '2026-11-02T02:15:00.000Z' });
    const object = await land('shipments', '00000000-0000-4000-8000-000000000001', await ledgerWorkbook('shipments', [shipmentRow()]));
    expect(await recordLedgerObject(office, object)).toMatchObject({ refused: 'no_ticket' });
  });
});
