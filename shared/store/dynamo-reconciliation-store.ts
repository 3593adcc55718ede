import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { joinLots, latestClosedLots, splitLots, type ClosedLotVersion, type DealerReconciliation, type FlaggedLoan, type LotState } from '../domain/reconciliation.js';
import { forEachLimited } from '../app/concurrency.js';
import type { DealerOutcome, OutcomeTally, ReconciledDealer, ReconciliationRun, ReconciliationStore, RunKey } from '../app/ports.js';
import { batchGet, queryAll } from './batch.js';
import { backoff } from './backoff.js';
import { cancellationCodes, isConditionFailure } from './dynamo-errors.js';
import { dealerPk, reconciliationKeys } from './keys.js';

const runKey = (run: Pick<RunKey, 'period' | 'as_of'>) => reconciliationKeys.run(run.period, run.as_of);
const markerKey = (run: RunKey, dealer: string) => reconciliationKeys.marker(run.period, run.as_of, run.run_id, dealer);

/**
 * Dealers report into one run item at once (one Lambda per batch of dealer messages), so
 * transactions on it collide; DynamoDB cancels the loser, which tries again.
 */
const CONFLICT_RETRIES = 12;

const CLOSED_LOT_WRITES_IN_FLIGHT = 8;
const CLOSED_LOT_READS_IN_FLIGHT = 8;

/** A dealer's result item as stored: `result.lots` is expected to hold the open lots only, read with the closed ones at `lots_seq`. */
export const resultItem = (period: string, result: DealerReconciliation, flagged: readonly FlaggedLoan[], lots_seq: number) => ({
  ...reconciliationKeys.dealerResult(result.dealer_code, period, result.as_of),
  gsi1pk: reconciliationKeys.resultsGsi1pk(period, result.as_of),
  gsi1sk: reconciliationKeys.resultGsi1sk(result.dealer_code),
  period,
  ...result,
  flagged_loans: flagged,
  lots_seq,
});

function fromResultItem(item: Record<string, unknown>): { result: ReconciledDealer; lots_seq: number | undefined } {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, period: _period, lots_seq, ...result } = item;
  return { result: { flagged_loans: [], ...result } as unknown as ReconciledDealer, lots_seq: typeof lots_seq === 'number' ? lots_seq : undefined };
}

/** A run item holds counts only; each failure and its error are on the failed dealer's marker. */
type RunItem = Omit<ReconciliationRun, 'failed'> & { readonly dealers_failed: number };

/**
 * Reconciliation results per dealer (`DEALER#D001` / `RECON#2026-10#2026-11-05`, listed by
 * GSI1 `RECON#2026-10#2026-11-05`) and one item per run (`RUN#RECON` / `2026-10#2026-11-05`)
 * with its progress counts, for the console and for re-runs. Next to it, one marker per
 * dealer that reported (`RUN#RECON` / `2026-10#2026-11-05#<run_id>#D001`): written in the same
 * transaction as the run's counts, it makes a redelivered dealer message count once, and a
 * failed dealer's marker holds its error. So the run item stays small however many of
 * thousands of dealers fail, and the failures are listed from the markers.
 */
export class DynamoReconciliationStore implements ReconciliationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Closed lots go to versions of their own (`splitLots` says why), written before the result
   * item that reads them, so a result is never seen without its closed lots. Each PutItem alone:
   * the dealer's role has no BatchWriteItem, and a month closes about as many lots as it ships.
   * Versions are compared with the latest held, so two saves of one dealer at the same moment
   * (two runs reconciling it at once) could leave the later-numbered result reading the
   * other's version of a lot; runs of a dealer follow each other, one message per dealer.
   */
  async saveDealer(period: string, result: DealerReconciliation, flagged: readonly FlaggedLoan[]): Promise<void> {
    const seq = await this.nextSeq(result.dealer_code);
    const { open, versions } = splitLots(result.lots, latestClosedLots(await this.closedLotVersions(result.dealer_code)), seq);
    await forEachLimited(versions, CLOSED_LOT_WRITES_IN_FLIGHT, async (version) => {
      await this.client.send(new PutCommand({ TableName: this.table, Item: { ...reconciliationKeys.closedLot(result.dealer_code, version.lot_id, seq), ...version } }));
    });
    await this.client.send(new PutCommand({ TableName: this.table, Item: resultItem(period, { ...result, lots: open }, flagged, seq) }));
  }

  private async nextSeq(dealer: string): Promise<number> {
    const { Attributes } = await this.client.send(
      new UpdateCommand({ TableName: this.table, Key: reconciliationKeys.closedLotSeq(dealer), UpdateExpression: 'ADD seq :one', ExpressionAttributeValues: { ':one': 1 }, ReturnValues: 'UPDATED_NEW' }),
    );
    return Number(Attributes?.seq);
  }

  private async closedLotVersions(dealer: string): Promise<ClosedLotVersion[]> {
    const versions: ClosedLotVersion[] = [];
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': dealerPk(dealer), ':prefix': reconciliationKeys.closedLotPrefix },
      ProjectionExpression: 'lot_id, seq, lot',
      ConsistentRead: true,
    })) {
      versions.push({ lot_id: String(item.lot_id), seq: Number(item.seq), lot: (item.lot ?? null) as LotState | null });
    }
    return versions;
  }

  async dealerResults(period: string, as_of: string): Promise<ReconciledDealer[]> {
    const items: ReturnType<typeof fromResultItem>[] = [];
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': reconciliationKeys.resultsGsi1pk(period, as_of) },
    })) {
      items.push(fromResultItem(item));
    }
    const results: ReconciledDealer[] = new Array(items.length);
    await forEachLimited([...items.entries()], CLOSED_LOT_READS_IN_FLIGHT, async ([at, item]) => {
      results[at] = await this.withClosedLots(item);
    });
    return results;
  }

  async dealerResult(period: string, as_of: string, dealer: string): Promise<ReconciledDealer | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: reconciliationKeys.dealerResult(dealer, period, as_of) }));
    if (Item === undefined) return undefined;
    return this.withClosedLots(fromResultItem(Item));
  }

  /** An item written before closed lots left it has no sequence number and holds every lot. */
  private async withClosedLots({ result, lots_seq }: ReturnType<typeof fromResultItem>): Promise<ReconciledDealer> {
    return lots_seq === undefined ? result : { ...result, lots: joinLots(result.lots, await this.closedLotVersions(result.dealer_code), lots_seq) };
  }

  /** The run items and markers of a period sort by as-of date first: the last one names the latest run. */
  async lastAsOf(period: string): Promise<string | undefined> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': runKey({ period, as_of: '' }).pk, ':prefix': `${period}#` },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const sk = Items?.[0]?.sk as string | undefined;
    return sk?.slice(period.length + 1, period.length + 11);
  }

  async saveRun(run: Omit<ReconciliationRun, 'failed'>): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.table, Item: { ...runKey(run), ...run, dealers_failed: 0 } }));
  }

  async claimRun(run: Omit<ReconciliationRun, 'failed'>, abandonedBefore: string): Promise<'claimed' | 'running'> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...runKey(run), ...run, dealers_failed: 0 },
          ConditionExpression: 'attribute_not_exists(pk) OR #status <> :running OR started_at < :abandoned',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':running': 'running', ':abandoned': abandonedBefore },
        }),
      );
      return 'claimed';
    } catch (error) {
      if (isConditionFailure(error)) return 'running';
      throw error;
    }
  }

  async findRun(period: string, as_of: string): Promise<ReconciliationRun | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: runKey({ period, as_of }), ConsistentRead: true }));
    if (Item === undefined) return undefined;
    const { pk: _pk, sk: _sk, dealers_failed, ...run } = Item as RunItem & { pk: string; sk: string };
    return { ...run, failed: dealers_failed > 0 && run.run_id !== undefined ? await this.failures({ period, as_of, run_id: run.run_id }) : [] };
  }

  async runStatuses(runs: readonly Pick<RunKey, 'period' | 'as_of'>[]): Promise<Map<string, ReconciliationRun['status']>> {
    const keys = [...new Map(runs.map((run) => [`${run.period}#${run.as_of}`, runKey(run)])).values()];
    const items = keys.length === 0 ? [] : await batchGet(this.client, this.table, keys);
    return new Map(items.map((item) => [`${String(item.period)}#${String(item.as_of)}`, item.status as ReconciliationRun['status']]));
  }

  /** The run's failed dealers with their errors, from their markers, by dealer code. */
  private async failures(run: RunKey): Promise<ReconciliationRun['failed']> {
    const failed: Array<{ dealer: string; error: string }> = [];
    const first = markerKey(run, '');
    for await (const marker of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'outcome = :failed',
      ExpressionAttributeValues: { ':pk': first.pk, ':prefix': first.sk, ':failed': 'failed' },
      ConsistentRead: true,
    })) {
      failed.push({ dealer: String(marker.dealer), error: String(marker.error) });
    }
    return failed.sort((a, b) => (a.dealer < b.dealer ? -1 : 1));
  }

  async recordDealerOutcome(run: RunKey, dealer: string, outcome: DealerOutcome, at: string): Promise<OutcomeTally> {
    const first = await this.withConflictRetries(() => this.reportFirst(run, dealer, outcome, at));
    if (first !== 'reported_before') return first;
    return this.withConflictRetries(() => this.reportAgain(run, dealer, outcome, at));
  }

  /** The dealer's first report in the run: its marker, and the run's count (and failure) with it. */
  private async reportFirst(run: RunKey, dealer: string, outcome: DealerOutcome, at: string): Promise<OutcomeTally | 'reported_before' | 'conflict'> {
    const failed = outcome.status === 'failed';
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...markerKey(run, dealer), ...run, dealer, outcome: outcome.status, ...(failed ? { error: outcome.error } : {}), reported_at: at },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: runKey(run),
                UpdateExpression: failed ? 'ADD dealers_done :one, dealers_failed :one' : 'ADD dealers_done :one',
                ConditionExpression: 'run_id = :run_id',
                ExpressionAttributeValues: { ':one': 1, ':run_id': run.run_id },
              },
            },
          ],
        }),
      );
      return 'counted';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes === undefined) throw error;
      if (codes.includes('TransactionConflict')) return 'conflict';
      if (codes[1] === 'ConditionalCheckFailed') return 'stale';
      if (codes[0] === 'ConditionalCheckFailed') return 'reported_before';
      throw error;
    }
  }

  /**
   * A later report of a dealer that has reported: only a failure can change, into success
   * (a retry that worked) or into another error; a success is final.
   */
  private async reportAgain(run: RunKey, dealer: string, outcome: DealerOutcome, at: string): Promise<OutcomeTally | 'conflict'> {
    const failed = outcome.status === 'failed';
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: markerKey(run, dealer),
                UpdateExpression: failed ? 'SET outcome = :outcome, #error = :error, reported_at = :at' : 'SET outcome = :outcome, reported_at = :at REMOVE #error',
                ConditionExpression: failed ? 'outcome = :failed AND #error <> :error' : 'outcome = :failed',
                ExpressionAttributeNames: { '#error': 'error' },
                ExpressionAttributeValues: { ':outcome': outcome.status, ':failed': 'failed', ':at': at, ...(failed ? { ':error': outcome.error } : {}) },
              },
            },
            // Another error keeps the count; a retry that worked takes the dealer off it.
            failed
              ? { ConditionCheck: { TableName: this.table, Key: runKey(run), ConditionExpression: 'run_id = :run_id', ExpressionAttributeValues: { ':run_id': run.run_id } } }
              : {
                  Update: {
                    TableName: this.table,
                    Key: runKey(run),
                    UpdateExpression: 'ADD dealers_failed :minus_one',
                    ConditionExpression: 'run_id = :run_id',
                    ExpressionAttributeValues: { ':run_id': run.run_id, ':minus_one': -1 },
                  },
                },
          ],
        }),
      );
      return 'updated';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes === undefined) throw error;
      if (codes.includes('TransactionConflict')) return 'conflict';
      if (codes[1] === 'ConditionalCheckFailed') return 'stale';
      if (codes[0] === 'ConditionalCheckFailed') return 'unchanged';
      throw error;
    }
  }

  private async withConflictRetries<T>(attempt: () => Promise<T | 'conflict'>): Promise<T> {
    for (let n = 0; n < CONFLICT_RETRIES; n++) {
      if (n > 0) await backoff(n, 20, 1_000);
      const result = await attempt();
      if (result !== 'conflict') return result;
    }
    throw new Error(`the reconciliation run item stayed busy through ${CONFLICT_RETRIES} attempts; the message will be retried`);
  }

  async settleRun(run: RunKey, at: string): Promise<ReconciliationRun | undefined> {
    for (let n = 0; n < CONFLICT_RETRIES; n++) {
      const current = await this.findRun(run.period, run.as_of);
      if (current === undefined || current.run_id !== run.run_id || current.dealers_done < current.dealers_total) return current;
      const status = current.failed.length > 0 ? 'done_with_failures' : 'done';
      if (current.status === status) return current;
      try {
        // Only from the state just read: a dealer reporting in between makes this one read again.
        await this.client.send(
          new UpdateCommand({
            TableName: this.table,
            Key: runKey(run),
            UpdateExpression: 'SET #status = :status, finished_at = :at',
            ConditionExpression: 'run_id = :run_id AND dealers_done = :done AND dealers_failed = :failed',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':status': status, ':at': at, ':run_id': run.run_id, ':done': current.dealers_done, ':failed': current.failed.length },
          }),
        );
        return { ...current, status, finished_at: at };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new Error(`the reconciliation run ${run.period}#${run.as_of} kept changing while it was being settled`);
  }
}
