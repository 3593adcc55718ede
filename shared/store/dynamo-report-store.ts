import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type {
  Claim,
  ReportStore,
  ReportTarget,
  SubmissionOutcome,
  VersionItem,
  VersionSummary,
} from '../app/ports.js';
import { batchGet, batchWrite, deleteRequest, putRequest } from './batch.js';
import type { Issue } from '../domain/issues.js';
import type { RepairCharging } from '../domain/reconciliation.js';

/** Issues kept on the submission item; the full list goes to S3 with the error workbook. */
const STORED_ISSUES = 200;
/**
 * Characters of a quoted cell kept on the submission item: 200 issues on cells of 32,767
 * characters would be 20 MB, fifty times what one DynamoDB item holds.
 */
const STORED_VALUE_CHARS = 200;

const storedIssue = (issue: Issue): Issue =>
  issue.value !== null && issue.value.length > STORED_VALUE_CHARS ? { ...issue, value: `${issue.value.slice(0, STORED_VALUE_CHARS - 1)}…` } : issue;

const dealerPk = (dealer: string) => `DEALER#${dealer}`;
const reportSk = (t: ReportTarget) => `REPORT#${t.type}#${t.period}`;
const versionTag = (version: number) => `V${String(version).padStart(6, '0')}`;
const versionSk = (t: ReportTarget, version: number) => `${reportSk(t)}#${versionTag(version)}`;
const versionPk = (t: ReportTarget, version: number) => `${dealerPk(t.dealer)}#${versionSk(t, version)}`;
const submissionKey = (sourceId: string) => ({ pk: `SUBMISSION#${sourceId}`, sk: 'SUBMISSION' });

/** Pages through a query, yielding items as they come so that nothing large is held. */
export async function* queryAll(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
): AsyncGenerator<Record<string, unknown>> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) yield item;
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
}

function toSummary(item: Record<string, unknown>): VersionSummary {
  return {
    version: Number(item.version),
    status: item.status as VersionSummary['status'],
    received_at: String(item.received_at),
    late: Boolean(item.late),
    counts: (item.counts as VersionSummary['counts'] | undefined) ?? { rows: 0, records: 0, part_lines: 0 },
    source: String(item.source),
  };
}

/**
 * Report versions in DynamoDB. A version's rows live in their own partition
 * (`DEALER#D001#REPORT#repair#2026-10#V000002`) and become visible only when one
 * conditional write moves the report's pointer to them, so a report of any size is replaced
 * atomically from a reader's point of view and a failure midway leaves the old one current.
 */
export class DynamoReportStore implements ReportStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async findOutcome(sourceId: string): Promise<SubmissionOutcome | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: submissionKey(sourceId), ConsistentRead: true }));
    return Item?.outcome as SubmissionOutcome | undefined;
  }

  async claim(sourceId: string, target: ReportTarget, receivedAt: string): Promise<Claim> {
    const existing = await this.client.send(new GetCommand({ TableName: this.table, Key: submissionKey(sourceId), ConsistentRead: true }));
    if (existing.Item !== undefined) return { version: Number(existing.Item.version), resumed: true };

    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: dealerPk(target.dealer), sk: reportSk(target) },
        UpdateExpression: 'ADD next_version :one SET dealer = :dealer, report_type = :type, period = :period, gsi1pk = :gpk, gsi1sk = :gsk',
        ExpressionAttributeValues: {
          ':one': 1,
          ':dealer': target.dealer,
          ':type': target.type,
          ':period': target.period,
          ':gpk': `PERIOD#${target.period}`,
          ':gsk': `REPORT#${target.type}#${target.dealer}`,
        },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const version = Number(Attributes?.next_version);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...submissionKey(sourceId), version, ...target, status: 'writing', received_at: receivedAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      // The same upload claimed concurrently: follow the claim that won; our number stays unused.
      if (error instanceof ConditionalCheckFailedException) return this.claim(sourceId, target, receivedAt);
      throw error;
    }
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: dealerPk(target.dealer),
          sk: versionSk(target, version),
          version,
          status: 'writing',
          received_at: receivedAt,
          source: sourceId,
        },
      }),
    );
    return { version, resumed: false };
  }

  async writeItems(target: ReportTarget, version: number, items: readonly VersionItem[]): Promise<void> {
    const pk = versionPk(target, version);
    await batchWrite(this.client, this.table, items.map((item) => putRequest({ ...item.attributes, pk, sk: item.sk })));
  }

  async commit(
    target: ReportTarget,
    version: number,
    summary: Omit<VersionSummary, 'version' | 'status'>,
  ): Promise<'current' | 'superseded'> {
    const pointerKey = { pk: dealerPk(target.dealer), sk: reportSk(target) };
    const { Item: pointer } = await this.client.send(new GetCommand({ TableName: this.table, Key: pointerKey, ConsistentRead: true }));
    const previous = pointer?.current_version as number | undefined;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: pointerKey,
                UpdateExpression: 'SET current_version = :v, current_received_at = :at, current_late = :late',
                // `<=` lets a replay of the commit that already happened succeed again.
                ConditionExpression: 'attribute_not_exists(current_version) OR current_version <= :v',
                ExpressionAttributeValues: { ':v': version, ':at': summary.received_at, ':late': summary.late },
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: { pk: dealerPk(target.dealer), sk: versionSk(target, version) },
                UpdateExpression: 'SET #status = :accepted, late = :late, counts = :counts, received_at = :at, #source = :source',
                ExpressionAttributeNames: { '#status': 'status', '#source': 'source' },
                ExpressionAttributeValues: {
                  ':accepted': 'accepted',
                  ':late': summary.late,
                  ':counts': summary.counts,
                  ':at': summary.received_at,
                  ':source': summary.source,
                },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      await this.setStatus(target, version, 'superseded', summary);
      return 'superseded';
    }
    if (previous !== undefined && previous !== version) {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: dealerPk(target.dealer), sk: versionSk(target, previous) },
          UpdateExpression: 'SET #status = :superseded',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':superseded': 'superseded' },
        }),
      ).catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
    }
    return 'current';
  }

  async discard(target: ReportTarget, version: number, summary: Omit<VersionSummary, 'version' | 'status'>): Promise<void> {
    const keys: Record<string, unknown>[] = [];
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': versionPk(target, version) },
      ProjectionExpression: 'pk, sk',
    })) {
      keys.push({ pk: item.pk, sk: item.sk });
    }
    await batchWrite(this.client, this.table, keys.map(deleteRequest));
    await this.setStatus(target, version, 'rejected', summary);
  }

  async recordOutcome(sourceId: string, outcome: SubmissionOutcome): Promise<void> {
    const stored: SubmissionOutcome = {
      ...outcome,
      errors: outcome.errors.slice(0, STORED_ISSUES).map(storedIssue),
      warnings: outcome.warnings.slice(0, STORED_ISSUES).map(storedIssue),
    };
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: submissionKey(sourceId),
        UpdateExpression: 'SET #status = :status, outcome = :outcome, errors_total = :et, warnings_total = :wt',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': outcome.status,
          ':outcome': stored,
          ':et': outcome.errors.length,
          ':wt': outcome.warnings.length,
        },
      }),
    );
  }

  async currentVersion(target: ReportTarget): Promise<VersionSummary | undefined> {
    const { Item: pointer } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { pk: dealerPk(target.dealer), sk: reportSk(target) }, ConsistentRead: true }),
    );
    if (pointer?.current_version === undefined) return undefined;
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: dealerPk(target.dealer), sk: versionSk(target, Number(pointer.current_version)) },
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : toSummary(Item);
  }

  async versions(target: ReportTarget): Promise<VersionSummary[]> {
    const out: VersionSummary[] = [];
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': dealerPk(target.dealer), ':prefix': `${reportSk(target)}#V` },
    })) {
      out.push(toSummary(item));
    }
    return out;
  }

  async *readItems(target: ReportTarget, version: number): AsyncIterable<VersionItem> {
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': versionPk(target, version) },
    })) {
      const { pk: _pk, sk, ...attributes } = item;
      yield { sk: String(sk), attributes };
    }
  }

  async repairCharging(dealer: string, repairIds: readonly string[]): Promise<Map<string, RepairCharging>> {
    const found = new Map<string, RepairCharging>();
    for await (const pointer of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'attribute_exists(current_version)',
      ExpressionAttributeValues: { ':pk': dealerPk(dealer), ':prefix': 'REPORT#repair#' },
    })) {
      const target: ReportTarget = { dealer, type: 'repair', period: String(pointer.period) };
      const pk = versionPk(target, Number(pointer.current_version));
      const items = await batchGet(this.client, this.table, repairIds.filter((id) => !found.has(id)).map((id) => ({ pk, sk: `REPAIR#${id}` })));
      for (const item of items) {
        found.set(String(item.repair_id), { phase: item.phase as RepairCharging['phase'], materials_charged: Boolean(item.materials_charged) });
      }
    }
    return found;
  }

  private async setStatus(
    target: ReportTarget,
    version: number,
    status: VersionSummary['status'],
    summary: Omit<VersionSummary, 'version' | 'status'>,
  ): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: dealerPk(target.dealer), sk: versionSk(target, version) },
        UpdateExpression: 'SET #status = :status, late = :late, counts = :counts, received_at = :at, #source = :source',
        ExpressionAttributeNames: { '#status': 'status', '#source': 'source' },
        ExpressionAttributeValues: {
          ':status': status,
          ':late': summary.late,
          ':counts': summary.counts,
          ':at': summary.received_at,
          ':source': summary.source,
        },
      }),
    );
  }
}
