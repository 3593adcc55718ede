import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  Claim,
  ReportItem,
  ReportStore,
  ReportTarget,
  SubmissionOutcome,
  VersionSummary,
} from '../app/ports.js';
import { forEachLimited } from '../app/concurrency.js';
import { DEFAULT_SUPERSEDED_VERSION_TTL_DAYS } from '../config.js';
import { batchWrite, deleteRequest, putRequest, queryAll } from './batch.js';
import { cancellationCodes, isConditionFailure } from './dynamo-errors.js';
import { dealerPk, reportKeys, submissionKey } from './keys.js';
import { packRows, unpackRows } from './packed-rows.js';
import { storedOutcome } from './stored-outcome.js';
import { TABLE_KEYS } from './table.js';
import type { Installation, Repair, RepairPartLine } from '../domain/report-validation.js';
import type { RepairClassification } from '../domain/warranty.js';
import type { RepairCharging } from '../domain/reconciliation.js';

const reportSk = (t: ReportTarget) => reportKeys.pointerSk(t.type, t.period);
const versionSk = (t: ReportTarget, version: number) => reportKeys.versionSk(t.type, t.period, version);
const versionPk = (t: ReportTarget, version: number) => reportKeys.versionPk(t.dealer, t.type, t.period, version);

/** The attribute of a pack item that holds its rows; an item of the older one-per-row layout has none. */
const PACKED = 'packed';

/** Parallel UpdateItems when a superseded version's packs get their expiry. */
const EXPIRY_CONCURRENCY = 8;

const SECONDS_PER_DAY = 86_400;

/** The items of a call grouped by sheet row, rows in order, so that a pack never splits a row. */
function bySheetRow(items: readonly ReportItem[]): ReportItem[][] {
  const rows = new Map<number, ReportItem[]>();
  for (const item of items) {
    const row = rows.get(item.row);
    if (row === undefined) rows.set(item.row, [item]);
    else row.push(item);
  }
  return [...rows.keys()].sort((a, b) => a - b).map((row) => rows.get(row)!);
}

/**
 * An item of the layout before packs, one per entity (`INSTALL#…`, `PART#…`, `REPAIR#…`):
 * versions written then keep their items and are still read.
 */
function fromItem(item: Record<string, unknown>): ReportItem {
  const { pk: _pk, sk: _sk, entity, row, ...fields } = item;
  if (entity === 'installation') return { kind: 'installation', row: Number(row), record: fields as unknown as Installation };
  const { phase, warranty_end, materials_charged, service_fee, ...record } = fields;
  const classification = { phase, warranty_end, materials_charged, service_fee } as RepairClassification;
  if (entity === 'repair') return { kind: 'repair', row: Number(row), record: record as unknown as Repair, classification };
  if (entity === 'part_line') return { kind: 'part_line', row: Number(row), record: record as unknown as RepairPartLine, classification };
  throw new Error(`report item ${String(item.pk)} / ${String(item.sk)} has no known entity: ${String(entity)}`);
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
 * (`DEALER#D001#REPORT#repair#2026-10#V000002`), packed many to an item (`ROWS#0000002`,
 * gzipped JSON, see packed-rows.ts), and become visible only when one conditional write moves
 * the report's pointer to them, so a report of any size is replaced atomically from a reader's
 * point of view and a failure midway leaves the old one current. A superseded version's packs
 * expire after `supersededTtlDays` (the table's TTL attribute); its summary stays listed.
 */
export class DynamoReportStore implements ReportStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly supersededTtlDays = DEFAULT_SUPERSEDED_VERSION_TTL_DAYS,
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
          ':gpk': reportKeys.periodGsi1pk(target.period),
          ':gsk': reportKeys.pointerGsi1sk(target.type, target.dealer),
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
      if (isConditionFailure(error)) return this.claim(sourceId, target, receivedAt);
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

  async writeItems(target: ReportTarget, version: number, items: readonly ReportItem[]): Promise<void> {
    const pk = versionPk(target, version);
    const packs = packRows(bySheetRow(items));
    await batchWrite(this.client, this.table, packs.map(({ rows, gzipped }) => putRequest({ pk, sk: reportKeys.rowsSk(rows[0]![0]!.row), [PACKED]: gzipped })));
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
      if (cancellationCodes(error) === undefined) throw error;
      await this.setStatus(target, version, 'superseded', summary);
      await this.expire(target, version);
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
        if (!isConditionFailure(error)) throw error;
      });
      await this.expire(target, previous);
    }
    return 'current';
  }

  async discard(target: ReportTarget, version: number, summary: Omit<VersionSummary, 'version' | 'status'>): Promise<void> {
    await batchWrite(this.client, this.table, (await this.rowKeys(target, version)).map(deleteRequest));
    await this.setStatus(target, version, 'rejected', summary);
  }

  async recordOutcome(sourceId: string, outcome: SubmissionOutcome): Promise<void> {
    const stored = storedOutcome(outcome);
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
      ExpressionAttributeValues: { ':pk': dealerPk(target.dealer), ':prefix': reportKeys.versionPrefix(target.type, target.period) },
    })) {
      out.push(toSummary(item));
    }
    return out;
  }

  async *readItems(target: ReportTarget, version: number): AsyncIterable<ReportItem> {
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': versionPk(target, version) },
    })) {
      if (item[PACKED] instanceof Uint8Array) for (const row of unpackRows<ReportItem[]>(item[PACKED])) yield* row;
      else yield fromItem(item);
    }
  }

  async repairCharging(dealer: string, repairIds: readonly string[]): Promise<Map<string, RepairCharging>> {
    const wanted = new Set(repairIds);
    const found = new Map<string, RepairCharging>();
    // The prefix also matches the reports' version items; only pointers carry current_version.
    for await (const pointer of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': dealerPk(dealer), ':prefix': reportKeys.pointerPrefix('repair') },
    })) {
      if (found.size === wanted.size) break;
      if (pointer.current_version === undefined) continue;
      const target: ReportTarget = { dealer, type: 'repair', period: String(pointer.period) };
      for await (const item of this.readItems(target, Number(pointer.current_version))) {
        if (item.kind !== 'repair' || !wanted.has(item.record.repair_id) || found.has(item.record.repair_id)) continue;
        found.set(item.record.repair_id, { phase: item.classification.phase, materials_charged: item.classification.materials_charged });
      }
    }
    return found;
  }

  /** The keys of a version's row items, packed or not. */
  private async rowKeys(target: ReportTarget, version: number): Promise<Record<string, unknown>[]> {
    const keys: Record<string, unknown>[] = [];
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': versionPk(target, version) },
      ProjectionExpression: 'pk, sk',
    })) {
      keys.push({ pk: item.pk, sk: item.sk });
    }
    return keys;
  }

  /** Lets DynamoDB's TTL remove a superseded version's rows: a few packs, so a few updates. */
  private async expire(target: ReportTarget, version: number): Promise<void> {
    const expiresAt = Math.floor(Date.now() / 1000) + this.supersededTtlDays * SECONDS_PER_DAY;
    await forEachLimited(await this.rowKeys(target, version), EXPIRY_CONCURRENCY, async (Key) => {
      await this.client
        .send(
          new UpdateCommand({
            TableName: this.table,
            Key,
            UpdateExpression: 'SET #expires = :at',
            // A row item removed meanwhile is not created again as a bare key.
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#expires': TABLE_KEYS.ttlAttribute },
            ExpressionAttributeValues: { ':at': expiresAt },
          }),
        )
        .catch((error: unknown) => {
          if (!isConditionFailure(error)) throw error;
        });
    });
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
