import { beforeAll, describe, expect, it } from 'vitest';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import ExcelJS from 'exceljs';
import { createBackOffice, type BackOffice } from '../../shared/compose.js';
import { reconcileHandler } from '../../functions/reconcile.js';
import { reconcileDealerHandler } from '../../functions/reconcile-dealer.js';
import { periodReconciliation, reconciliationKeys } from '../../shared/app/reconciliation-downloads.js';
import type { DealerMessage } from '../../shared/app/reconcile-messages.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { lambdaContext } from '../../infra/local/lambda-context.js';
import { freshStack } from '../helpers/local-stack.js';
import { caller } from '../helpers/memory/world.js';

/**
 * The 用户借料盘点表 made by the run on AWS's fan-out path, against DynamoDB Local and
 * s3rver: the planner's messages delivered to the dealer handler as SQS would, the sheet
 * written by the dealer that closes the run, the API's use case only handing out its link.
 */
const PERIOD = '2026-10';
const AS_OF = '2026-11-05';
const finance = caller('finance');
let office: BackOffice;
let messages: DealerMessage[];

const sqsEvent = (bodies: readonly string[], id: string): SQSEvent =>
  ({ Records: bodies.map((body, i) => ({ messageId: `${id}-${i}`, eventSource: 'aws:sqs', body, attributes: {}, messageAttributes: {} })) }) as unknown as SQSEvent;

beforeAll(async () => {
  office = createBackOffice(await freshStack());
  await office.master.save({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
});

describe('the reconciliation workbook made by the run', () => {
  it('is being prepared while the run waits for its dealers', async () => {
    // Prepare
    const sends: DealerMessage[][] = [];
    await reconcileHandler({ ...office, dealerQueue: async (batch) => void sends.push([...batch]) })({ period: PERIOD, as_of: AS_OF }, lambdaContext('reconcile'));
    messages = sends.flat();
    // Act
    const answer = await periodReconciliation(office, finance, PERIOD, AS_OF);
    // Assess
    expect(answer).toEqual({ status: 'preparing', period: PERIOD, as_of: AS_OF, dealers_total: DEMO_DEALERS.length, dealers_done: 0 });
    expect(await office.blobs.list('reports', reconciliationKeys(PERIOD, AS_OF).stem)).toEqual([]);
  });

  it('is written by the dealer that closes the run, and the API hands out its link without building it', async () => {
    // Prepare
    const dealers = reconcileDealerHandler({ ...office, logLevel: 'ERROR' });
    const bodies = messages.map((m) => JSON.stringify(m));
    // Act
    const first = (await dealers(sqsEvent(bodies.slice(0, -1), 'first'), lambdaContext('reconcile-dealer'))) as SQSBatchResponse;
    const written = await office.blobs.list('reports', reconciliationKeys(PERIOD, AS_OF).stem);
    const last = (await dealers(sqsEvent(bodies.slice(-1), 'last'), lambdaContext('reconcile-dealer'))) as SQSBatchResponse;
    const noBuilding = async (): Promise<Uint8Array> => {
      throw new Error('the API must not build the sheet the run wrote');
    };
    const answer = await periodReconciliation({ ...office, renderReconciliation: noBuilding }, finance, PERIOD, AS_OF);
    // Assess
    expect([first.batchItemFailures, last.batchItemFailures]).toEqual([[], []]);
    expect(written).toEqual([]);
    expect(answer).toMatchObject({ status: 'ready', dealers: DEMO_DEALERS.length, flagged: 0 });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await office.blobs.get('reports', reconciliationKeys(PERIOD, AS_OF).workbook)) as never);
    expect(workbook.worksheets.map((s) => s.name)).toContain('盘点汇总 Summary');
  });

  it('is written again under the same keys when the last message is redelivered', async () => {
    // Prepare
    const dealers = reconcileDealerHandler({ ...office, logLevel: 'ERROR' });
    // Act
    const again = (await dealers(sqsEvent([JSON.stringify(messages.at(-1))], 'again'), lambdaContext('reconcile-dealer'))) as SQSBatchResponse;
    // Assess
    expect(again.batchItemFailures).toEqual([]);
    expect(await office.blobs.list('reports', 'reconciliations/')).toEqual([reconciliationKeys(PERIOD, AS_OF).summary, reconciliationKeys(PERIOD, AS_OF).workbook]);
  });
});
