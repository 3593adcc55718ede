import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import { Refusal } from '../../../shared/app/access.js';
import { importMasterObject, masterOutcomeKey, masterUploadStatus, requestMasterUpload, type MasterOutcome } from '../../../shared/app/master-uploads.js';
import { masterUploadKey } from '../../../shared/app/upload-keys.js';
import { XLSX_CONTENT_TYPE } from '../../../shared/sheets/content-type.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../../infra/local/demo.js';
import { memoryAdapters } from '../../helpers/memory/index.js';
import { caller } from '../../helpers/memory/world.js';
import { masterWorkbook } from '../../helpers/reports.js';
import { loadConfig } from '../../../shared/config.js';

const admin = caller('admin');
const now = '2026-11-02T02:00:00.000Z';
const badProducts = [...DEMO_PRODUCTS, { product_model: 'XX-1', product_name: '坏数据', warranty_months: 'twelve' }];

let office: ReturnType<typeof memoryAdapters> & { config: ReturnType<typeof loadConfig> };
beforeEach(() => {
  office = { ...memoryAdapters(now), config: loadConfig({}) };
});

/** Puts a workbook where S3 would have it and imports it as its event names it. */
async function drop(key: string, bytes: Uint8Array, receivedAt = now) {
  await office.blobs.put('uploads', key, bytes, XLSX_CONTENT_TYPE);
  const eTag = (await office.links.identity('uploads', key))!;
  return { eTag, result: await importMasterObject(office, { key, eTag, receivedAt: new Date(receivedAt) }) };
}

/** The key of a master-data form handed out to the admin, with its ticket kept. */
const formKey = async (): Promise<string> => masterUploadKey((await requestMasterUpload(office, admin)).upload_id);

const storedOutcome = async (key: string, eTag: string): Promise<MasterOutcome> =>
  JSON.parse(new TextDecoder().decode(await office.blobs.get('reports', masterOutcomeKey(key, eTag)))) as MasterOutcome;

describe('a master-data workbook put through the admin’s form', () => {
  it('is imported under its ticket, and its outcome kept under master-imports/', async () => {
    // Prepare
    const key = await formKey();
    const bytes = await masterWorkbook({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
    // Act
    const { eTag, result } = await drop(key, bytes);
    // Assess
    expect(result).toMatchObject({ replayed: false, outcome: { status: 'accepted', counts: { dealers: DEMO_DEALERS.length, products: DEMO_PRODUCTS.length, parts: DEMO_PARTS.length } } });
    expect((await office.master.load()).dealers.size).toBe(DEMO_DEALERS.length);
    expect(masterOutcomeKey('master/portal/u1.xlsx', eTag)).toBe(`master-imports/portal/u1.${eTag}.json`);
    expect(await storedOutcome(key, eTag)).toMatchObject({ status: 'accepted', error_workbook_key: null });
  });

  it('saves nothing when any sheet has an error, and keeps every error and the annotated workbook of that sheet', async () => {
    const key = await formKey();
    const { eTag, result } = await drop(key, await masterWorkbook({ dealers: DEMO_DEALERS, products: badProducts, parts: DEMO_PARTS }));
    expect(result).toMatchObject({ outcome: { status: 'rejected', counts: { dealers: 0, products: 0, parts: 0 } } });
    expect((await office.master.load()).dealers.size).toBe(0);
    const outcome = await storedOutcome(key, eTag);
    expect(outcome.errors.map((e) => [e.sheet, e.row, e.column])).toEqual([['products', DEMO_PRODUCTS.length + 2, 'warranty_months']]);
    expect(outcome.error_workbook_key).toBe(masterOutcomeKey(key, eTag).replace(/\.json$/, '.xlsx'));
    const annotated = new ExcelJS.Workbook();
    await annotated.xlsx.load(Buffer.from(await office.blobs.get('reports', outcome.error_workbook_key!)) as unknown as ArrayBuffer);
    const products = annotated.getWorksheet('产品')!;
    const marked = products.getRow(DEMO_PRODUCTS.length + 2).getCell(3);
    expect(marked.note).toBeDefined();
  });

  it('is imported once: a replayed event finds the outcome and changes nothing', async () => {
    const key = await formKey();
    const { eTag } = await drop(key, await masterWorkbook({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS }));
    await office.master.save({ dealers: [{ ...DEMO_DEALERS[0]!, dealer_name: '改过的名字' }], products: [], parts: [] });
    const replay = await importMasterObject(office, { key, eTag, receivedAt: new Date(now) });
    expect(replay).toMatchObject({ replayed: true, outcome: { status: 'accepted' } });
    expect((await office.master.load()).dealers.get(DEMO_DEALERS[0]!.dealer_code)?.dealer_name).toBe('改过的名字');
  });

  it('ignores a key that is no master-data workbook of the form: any other name under master/ (an operator’s drop) as much as a text file', async () => {
    const bytes = await masterWorkbook({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
    expect((await drop('master/2026-11 master data.xlsx', bytes)).result).toEqual({ ignored: true });
    expect(await importMasterObject(office, { key: 'master/portal/notes.txt', eTag: 'x', receivedAt: new Date(now) })).toEqual({ ignored: true });
    expect((await office.master.load()).dealers.size).toBe(0);
  });
});

describe('the admin page’s master-data upload', () => {
  it('hands the admin alone a form for master/portal/<upload id>.xlsx, and keeps its ticket', async () => {
    const ticket = await requestMasterUpload(office, admin);
    const key = masterUploadKey(ticket.upload_id);
    expect(ticket.form.fields.key).toBe(key);
    expect(await office.tickets.find(key)).toEqual({ key, upload_id: ticket.upload_id, target: { type: 'master' }, expires_at: ticket.expires_at });
    for (const role of ['dealer', 'warehouse', 'finance'] as const) {
      await expect(requestMasterUpload(office, caller(role, role === 'dealer' ? 'D001' : null))).rejects.toBeInstanceOf(Refusal);
      await expect(masterUploadStatus(office, caller(role, role === 'dealer' ? 'D001' : null), ticket.upload_id)).rejects.toBeInstanceOf(Refusal);
    }
  });

  it('goes from waiting to processing to accepted with its counts', async () => {
    const ticket = await requestMasterUpload(office, admin);
    expect(await masterUploadStatus(office, admin, ticket.upload_id)).toEqual({ state: 'waiting' });
    const key = masterUploadKey(ticket.upload_id);
    await office.blobs.put('uploads', key, await masterWorkbook({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS }), XLSX_CONTENT_TYPE);
    expect(await masterUploadStatus(office, admin, ticket.upload_id)).toEqual({ state: 'processing' });
    await importMasterObject(office, { key, eTag: (await office.links.identity('uploads', key))!, receivedAt: new Date(now) });
    expect(await masterUploadStatus(office, admin, ticket.upload_id)).toMatchObject({
      state: 'accepted',
      counts: { dealers: DEMO_DEALERS.length, products: DEMO_PRODUCTS.length, parts: DEMO_PARTS.length },
      errors_total: 0,
      error_workbook_url: null,
    });
  });

  it('answers a rejected upload with its errors, each naming its sheet, and a link to the annotated workbook', async () => {
    const ticket = await requestMasterUpload(office, admin);
    await drop(masterUploadKey(ticket.upload_id), await masterWorkbook({ dealers: DEMO_DEALERS, products: badProducts, parts: DEMO_PARTS }));
    const state = await masterUploadStatus(office, admin, ticket.upload_id);
    expect(state).toMatchObject({ state: 'rejected', errors_total: 1, errors: [{ sheet: 'products', column: 'warranty_months' }] });
    expect('error_workbook_url' in state && state.error_workbook_url).toContain('master-imports');
  });

  it('refuses a file under master/portal/ without a ticket, or after its form expired, and saves nothing', async () => {
    const bytes = await masterWorkbook({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
    const forged = await drop(masterUploadKey('00000000-0000-4000-8000-000000000000'), bytes);
    expect(forged.result).toMatchObject({ refused: 'no_ticket', outcome: { status: 'rejected', errors: [{ code: 'upload_without_ticket' }] } });
    const ticket = await requestMasterUpload(office, admin);
    const late = await drop(masterUploadKey(ticket.upload_id), bytes, '2026-11-02T03:00:00.000Z');
    expect(late.result).toMatchObject({ refused: 'expired' });
    expect((await office.master.load()).dealers.size).toBe(0);
  });
});
