import type { APIGatewayProxyEventV2, SQSEvent } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { importMasterHandler } from '../../functions/import-master.js';
import { masterOutcomeKey, masterUploadStatus, requestMasterUpload, type MasterOutcome } from '../../shared/app/master-uploads.js';
import { masterUploadKey } from '../../shared/app/upload-keys.js';
import { createApi } from '../../functions/api.js';
import { createBackOffice, createDocumentClient, type BackOffice } from '../../shared/compose.js';
import type { BackOfficeConfig } from '../../shared/config.js';
import { XLSX_CONTENT_TYPE } from '../../shared/sheets/content-type.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { lambdaContext } from '../../infra/local/lambda-context.js';
import { countingClient } from '../helpers/command-counter.js';
import { freshStack } from '../helpers/local-stack.js';
import { backOfficeAs } from '../helpers/acting-as.js';
import { caller } from '../helpers/memory/world.js';
import { masterWorkbook } from '../helpers/reports.js';

let config: BackOfficeConfig;
let office: BackOffice;
let handler: ReturnType<typeof importMasterHandler>;
const context = lambdaContext('import-master');
const admin = caller('admin');
const newDealer = { ...DEMO_DEALERS[0]!, dealer_code: 'D009', dealer_name: '新经销商' };
const badProducts = [...DEMO_PRODUCTS, { product_model: 'XX-1', product_name: '坏数据', warranty_months: 'twelve' }];

/** The SQS message S3's notification for one created object arrives in on AWS. */
function sqsEvent(key: string, eTag: string, messageId: string): SQSEvent {
  const notification = {
    Records: [
      {
        eventName: 'ObjectCreated:Put',
        eventTime: '2026-11-02T02:00:00.000Z',
        s3: { bucket: { name: config.buckets.uploads }, object: { key: encodeURIComponent(key).replace(/%2F/g, '/'), eTag, size: 1 } },
      },
    ],
  };
  return { Records: [{ messageId, eventSource: 'aws:sqs', body: JSON.stringify(notification) }] } as unknown as SQSEvent;
}

/** A workbook put into the uploads bucket under `key`, with its ETag as S3 names it. */
async function put(key: string, bytes: Uint8Array): Promise<string> {
  await office.blobs.put('uploads', key, bytes, XLSX_CONTENT_TYPE);
  return createHash('md5').update(bytes).digest('hex');
}

const outcomeOf = async (key: string, eTag: string): Promise<MasterOutcome> =>
  JSON.parse(new TextDecoder().decode(await office.blobs.get('reports', masterOutcomeKey(key, eTag)))) as MasterOutcome;

beforeAll(async () => {
  config = await freshStack();
  office = createBackOffice(config);
  handler = importMasterHandler({ ...backOfficeAs(config, 'import-master'), logLevel: 'ERROR' });
});

describe('the master-data import Lambda handler', () => {
  it('ignores a workbook put under master/ outside the portal form’s master/portal/ (no ticket; the function may not even read it)', async () => {
    // Prepare
    const key = 'master/2026-11 master data.xlsx';
    const eTag = await put(key, await masterWorkbook({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS }));
    // Act
    const answer = await handler(sqsEvent(key, eTag, 'm-drop'), context);
    // Assess
    expect(answer).toEqual({ batchItemFailures: [] });
    expect((await office.master.load()).dealers.size).toBe(0);
    expect(await office.blobs.list('reports', 'master-imports/')).toEqual([]);
  });

  it('loads a workbook an admin put through the portal form, under its ticket', async () => {
    // Prepare
    const key = masterUploadKey((await requestMasterUpload(office, admin)).upload_id);
    const eTag = await put(key, await masterWorkbook({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS }));
    // Act
    const answer = await handler(sqsEvent(key, eTag, 'm-form'), context);
    // Assess
    expect(answer).toEqual({ batchItemFailures: [] });
    const master = await office.master.load();
    expect([...master.dealers.keys()].sort()).toEqual(DEMO_DEALERS.map((d) => d.dealer_code).sort());
    expect(await outcomeOf(key, eTag)).toMatchObject({ status: 'accepted', counts: { dealers: DEMO_DEALERS.length } });
  });

  it('rejects an admin upload with an error whole: nothing saved, its errors and annotated workbook stored and answered', async () => {
    const ticket = await requestMasterUpload(office, admin);
    const key = masterUploadKey(ticket.upload_id);
    const eTag = await put(key, await masterWorkbook({ dealers: [newDealer], products: badProducts, parts: DEMO_PARTS }));
    await handler(sqsEvent(key, eTag, 'm-bad'), context);
    expect((await office.master.load()).dealers.has('D009')).toBe(false);
    const outcome = await outcomeOf(key, eTag);
    expect(outcome).toMatchObject({ status: 'rejected', errors: [{ sheet: 'products', column: 'warranty_months' }] });
    expect((await office.blobs.get('reports', outcome.error_workbook_key!)).byteLength).toBeGreaterThan(0);
    expect(await masterUploadStatus(office, admin, ticket.upload_id)).toMatchObject({ state: 'rejected', errors_total: 1, error_workbook_url: expect.stringContaining('master-imports') });
  });

  it('changes nothing when the same object is notified again', async () => {
    const ticket = await requestMasterUpload(office, admin);
    const key = masterUploadKey(ticket.upload_id);
    const eTag = await put(key, await masterWorkbook({ dealers: [newDealer], products: DEMO_PRODUCTS, parts: DEMO_PARTS }));
    await handler(sqsEvent(key, eTag, 'm-first'), context);
    await office.master.save({ dealers: [{ ...newDealer, dealer_name: '后来改的名字' }], products: [], parts: [] });
    const replay = await handler(sqsEvent(key, eTag, 'm-again'), context);
    expect(replay).toEqual({ batchItemFailures: [] });
    expect((await office.master.load()).dealers.get('D009')?.dealer_name).toBe('后来改的名字');
    expect(await masterUploadStatus(office, admin, ticket.upload_id)).toMatchObject({ state: 'accepted', counts: { dealers: 1 } });
  });

  it('refuses a file under master/portal/ that no form of the API was handed out for (s3rver lets anyone PUT)', async () => {
    const key = masterUploadKey('00000000-0000-4000-8000-00000000000f');
    const eTag = await put(key, await masterWorkbook({ dealers: [{ ...newDealer, dealer_code: 'D066' }], products: DEMO_PRODUCTS, parts: DEMO_PARTS }));
    await handler(sqsEvent(key, eTag, 'm-forged'), context);
    expect((await office.master.load()).dealers.has('D066')).toBe(false);
    expect(await outcomeOf(key, eTag)).toMatchObject({ status: 'rejected', errors: [{ code: 'upload_without_ticket' }] });
  });

  it('an API container reads master data once, then only its version item, and sees an import made through another function at its next call', async () => {
    // Prepare: the API's container, counting what it sends to DynamoDB
    const counting = countingClient(createDocumentClient(config));
    const api = createApi(createBackOffice(config, { dynamo: counting.client }), { warn: () => undefined });
    const position = async (dealer: string) => {
      const event = {
        rawPath: `/api/dealers/${dealer}/position`,
        requestContext: { http: { method: 'GET' }, authorizer: { jwt: { claims: { sub: 'd', 'cognito:groups': '[dealer]', 'custom:dealer_code': dealer } } } },
      } as unknown as APIGatewayProxyEventV2;
      counting.sent.length = 0;
      const answer = await api(event);
      const masterQueries = counting.sent.filter((c) => c.name === 'QueryCommand' && (c.input.ExpressionAttributeValues as Record<string, unknown>)[':pk'] === 'MASTER');
      return { status: answer.statusCode, masterQueries: masterQueries.length, masterItems: masterQueries.reduce((n, c) => n + c.itemsRead, 0), commands: counting.sent.length };
    };
    const ticket = await requestMasterUpload(office, admin);
    const key = masterUploadKey(ticket.upload_id);
    const eTag = await put(key, await masterWorkbook({ dealers: [{ ...newDealer, dealer_code: 'D077' }], products: DEMO_PRODUCTS, parts: DEMO_PARTS }));

    // Act
    const first = await position('D001');
    const second = await position('D001');
    const unknown = await position('D077');
    await handler(sqsEvent(key, eTag, 'm-cache'), context);
    const afterImport = await position('D077');

    // Assess: the partition once, then one GetItem of its version instead of the paged query
    expect(first).toMatchObject({ status: 200, masterQueries: 1 });
    expect(first.masterItems).toBeGreaterThan(DEMO_DEALERS.length);
    expect(second).toEqual({ status: 200, masterQueries: 0, masterItems: 0, commands: first.commands - 1 });
    expect(unknown).toMatchObject({ status: 404, masterQueries: 0 });
    expect(afterImport).toMatchObject({ status: 200, masterQueries: 1 });
  });

  it('reports a message it could not process as a batch item failure', async () => {
    const key = masterUploadKey((await requestMasterUpload(office, admin)).upload_id);
    const answer = await handler(sqsEvent(key, 'nope', 'm-missing'), context);
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-missing' }] });
  });
});
