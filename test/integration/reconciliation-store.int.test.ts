import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_ERROR_CHARS } from '../../shared/app/reconcile.js';
import { createDocumentClient } from '../../shared/compose.js';
import { DynamoReconciliationStore } from '../../shared/store/dynamo-reconciliation-store.js';
import { reconciliationKeys } from '../../shared/store/keys.js';
import { forEachLimited } from '../../shared/app/concurrency.js';
import { freshStack } from '../helpers/local-stack.js';

// What every reconciliation store does is in test/contract/reconciliation-store.contract.ts; this is how the DynamoDB one keeps a run.

describe('a reconciliation run in DynamoDB Local', () => {
  let client: DynamoDBDocumentClient;
  let table: string;
  let store: DynamoReconciliationStore;
  beforeAll(async () => {
    const config = await freshStack();
    client = createDocumentClient(config);
    table = config.tableName;
    store = new DynamoReconciliationStore(client, table);
  });

  it('holds counts only, so that 500 dealers failing with long errors (500 KB of text) neither outgrow the item nor keep the run from settling', async () => {
    // Prepare: more error text than one DynamoDB item holds (400 KB), had it been kept on the run item
    const run = { period: '2026-10', as_of: '2026-11-05', run_id: 'run-many-failures' };
    const dealers = Array.from({ length: 500 }, (_, i) => `D${String(i).padStart(4, '0')}`);
    await store.saveRun({ ...run, status: 'running', dealers_total: dealers.length, dealers_done: 0, started_at: '2026-11-05T02:00:00Z', finished_at: null });

    // Act
    await forEachLimited(dealers, 8, async (dealer) => {
      await store.recordDealerOutcome(run, dealer, { status: 'failed', error: `${dealer}: ${'x'.repeat(MAX_ERROR_CHARS - 7)}` }, '2026-11-05T02:01:00Z');
    });
    const settled = await store.settleRun(run, '2026-11-05T02:02:00Z');

    // Assess
    expect(settled).toMatchObject({ status: 'done_with_failures', dealers_done: 500 });
    expect(settled?.failed.map((f) => f.dealer)).toEqual(dealers);
    expect(settled?.failed[0]?.error).toHaveLength(MAX_ERROR_CHARS);
    const { Item } = await client.send(new GetCommand({ TableName: table, Key: reconciliationKeys.run(run.period, run.as_of) }));
    expect(Item).toMatchObject({ dealers_done: 500, dealers_failed: 500 });
    expect(Item).not.toHaveProperty('failed');
    expect(JSON.stringify(Item).length).toBeLessThan(1_000);
  });
});
