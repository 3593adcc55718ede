import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DealerReconciliation, FlaggedLoan } from '../domain/reconciliation.js';
import type { ReconciliationRun, ReconciliationStore } from '../app/ports.js';
import { queryAll } from './dynamo-report-store.js';

/**
 * Reconciliation results per dealer (`DEALER#D001` / `RECON#2026-10#2026-11-05`, listed by
 * GSI1 `RECON#2026-10#2026-11-05`) and one item per run (`RUN#RECON` / `2026-10#2026-11-05`)
 * with its progress and the dealers that failed, for the console and for re-runs.
 */
export class DynamoReconciliationStore implements ReconciliationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async saveDealer(period: string, result: DealerReconciliation, flagged: readonly FlaggedLoan[]): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `DEALER#${result.dealer_code}`,
          sk: `RECON#${period}#${result.as_of}`,
          gsi1pk: `RECON#${period}#${result.as_of}`,
          gsi1sk: `DEALER#${result.dealer_code}`,
          period,
          ...result,
          flagged_loans: flagged,
        },
      }),
    );
  }

  async dealerResults(period: string, as_of: string): Promise<DealerReconciliation[]> {
    const results: DealerReconciliation[] = [];
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': `RECON#${period}#${as_of}` },
    })) {
      const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, period: _period, flagged_loans: _flagged, ...result } = item;
      results.push(result as unknown as DealerReconciliation);
    }
    return results;
  }

  async saveRun(run: ReconciliationRun): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.table, Item: { pk: 'RUN#RECON', sk: `${run.period}#${run.as_of}`, ...run } }));
  }
}
