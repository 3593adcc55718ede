import { gunzipSync, gzipSync } from 'node:zlib';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  Claim,
  CurrentReport,
  ReportDigest,
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
import type { ReportType } from '../domain/fields.js';
import type { RepairClassification } from '../domain/warranty.js';

const reportSk = (t: ReportTarget) => reportKeys.pointerSk(t.type, t.period);
const versionSk = (t: ReportTarget, version: number) => reportKeys.versionSk(t.type, t.period, version);
const versionPk = (t: ReportTarget, version: number) => reportKeys.versionPk(t.dealer, t.type, t.period, version);
const shardPk = (t: ReportTarget, version: number, shard: number) => reportKeys.rowsShardPk(t.dealer, t.type, t.period, version, shard);

/** The attribute of a pack item that holds its rows; an item of the older one-per-row layout has none. */
const PACKED = 'packed';

/** Parallel UpdateItems when a superseded version's packs get their expiry. */
const EXPIRY_CONCURRENCY = 8;

const SECONDS_PER_DAY = 86_400;

/**
 * Where a version's packs go. DynamoDB serves about 1,000 write units a second per partition
 * key, and a pack costs its gzipped size in them whenever it is written, given its expiry or
 * deleted (bench/partitions.ts: a 200,000-row repair report is 600 packs, 5,400 units). Packs
 * that begin before `fromRow` stay in the version's own partition, so a report of that many
 * rows (about 700 units) is one key, read with one query, as before; later packs are spread
 * over `shards` partitions by their first row, so that consecutive packs land on different
 * keys and the most rows an upload may have (200,000) put a few hundred units on each.
 */
export interface RowShards {
  readonly fromRow: number;
  readonly shards: number;
}

export const DEFAULT_ROW_SHARDS: RowShards = { fromRow: 25_000, shards: 16 };

/** Fibonacci hashing of a pack's first row: neighbouring packs fall on different shards. */
const shardOf = (firstRow: number, shards: number): number => Math.floor(((Math.imul(firstRow, 0x9e3779b1) >>> 0) / 2 ** 32) * shards);

type Stored = Record<string, unknown>;

/**
 * The most a pointer's digest may take, gzipped. A month's digests are read 25 to a page, so
 * a page stays one query page of 1 MB; a report whose digest is larger (thousands of repairs)
 * keeps none, and its rows are read instead (CurrentReport.digest null).
 */
export const DIGEST_MAX_BYTES = 32 * 1024;

/** A digest as the pointer keeps it (gzipped JSON), or null when it is too large to keep. */
export function digestAttribute(digest: ReportDigest): Uint8Array | null {
  const gzipped = gzipSync(JSON.stringify(digest));
  return gzipped.byteLength > DIGEST_MAX_BYTES ? null : new Uint8Array(gzipped);
}

/** The pointer's report, its digest only when it was made from the current version (a version committed before digests were kept has none). */
function currentReportOf(pointer: Stored): CurrentReport {
  const version = Number(pointer.current_version);
  const kept = pointer.digest instanceof Uint8Array && Number(pointer.digest_version) === version;
  return { dealer: String(pointer.dealer), period: String(pointer.period), version, digest: kept ? (JSON.parse(gunzipSync(pointer.digest as Uint8Array).toString('utf8')) as ReportDigest) : null };
}

/**
 * The items of several queries, each in sort-key order, as one sequence in sort-key order.
 * The shards of a version hold disjoint runs of rows, so their packs merged by first row are the
 * version's rows in sheet order.
 */
async function* mergeBySk(sources: AsyncGenerator<Stored>[]): AsyncGenerator<Stored> {
  const heads = await Promise.all(sources.map((source) => source.next()));
  for (;;) {
    let next = -1;
    for (const [i, head] of heads.entries()) {
      if (head.done === true) continue;
      if (next < 0 || String(head.value.sk) < String((heads[next]!.value as Stored).sk)) next = i;
    }
    if (next < 0) return;
    yield heads[next]!.value as Stored;
    heads[next] = await sources[next]!.next();
  }
}

/** Keys of several partitions taken in turn, so that requests in flight fall on different partitions. */
function interleave<T>(lists: readonly T[][]): T[] {
  const out: T[] = [];
  const longest = Math.max(0, ...lists.map((list) => list.length));
  for (let i = 0; i < longest; i++) for (const list of lists) if (i < list.length) out.push(list[i]!);
  return out;
}

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
 * gzipped JSON, see packed-rows.ts); a big version's later packs go to shards of it (`…#S07`,
 * see RowShards), announced by a `SHARDS` item in its own partition. Rows become visible only
 * when one conditional write moves the report's pointer to them, so a report of any size is replaced atomically from a reader's
 * point of view and a failure midway leaves the old one current. A superseded version's packs
 * expire after `supersededTtlDays` (the table's TTL attribute); its summary stays listed.
 */
export class DynamoReportStore implements ReportStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly supersededTtlDays = DEFAULT_SUPERSEDED_VERSION_TTL_DAYS,
    private readonly rowShards: RowShards = DEFAULT_ROW_SHARDS,
  ) {}

  /** The version whose shards this store last announced. */
  private announced: string | undefined;

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
    const { fromRow, shards } = this.rowShards;
    const packs = packRows(bySheetRow(items)).map(({ rows, gzipped }) => {
      const firstRow = rows[0]![0]!.row;
      const pk = firstRow < fromRow ? versionPk(target, version) : shardPk(target, version, shardOf(firstRow, shards));
      return { pk, sk: reportKeys.rowsSk(firstRow), [PACKED]: gzipped };
    });
    // The announcement goes first: whatever a failure leaves in the shards is found by readers,
    // by a discard and by the expiry. Once per version here, as an upload writes its chunks one
    // after another (another process resuming it announces again, which changes nothing).
    const own = versionPk(target, version);
    if (this.announced !== own && packs.some((pack) => pack.pk !== own)) {
      await this.client.send(new PutCommand({ TableName: this.table, Item: { pk: own, sk: reportKeys.shardsSk, shards } }));
      this.announced = own;
    }
    await batchWrite(this.client, this.table, packs.map(putRequest));
  }

  async commit(
    target: ReportTarget,
    version: number,
    summary: Omit<VersionSummary, 'version' | 'status'>,
    digest?: ReportDigest,
  ): Promise<'current' | 'superseded'> {
    const pointerKey = { pk: dealerPk(target.dealer), sk: reportSk(target) };
    const kept = digest === undefined ? null : digestAttribute(digest);
    const currentOf = async () => (await this.client.send(new GetCommand({ TableName: this.table, Key: pointerKey, ConsistentRead: true }))).Item?.current_version as number | undefined;
    let previous = await currentOf();
    for (;;) {
      const committed = await this.commitOver(target, version, summary, kept, pointerKey, previous);
      if (committed) break;
      // Refused: another commit moved the pointer after it was read (judge again against that
      // one, or the version it made current would stay marked accepted), or this one is older.
      const now = await currentOf();
      if (now !== previous) {
        previous = now;
        continue;
      }
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

  /** Makes `version` current over `previous` (the pointer as read; undefined: none yet) in one transaction; false when refused. */
  private async commitOver(
    target: ReportTarget,
    version: number,
    summary: Omit<VersionSummary, 'version' | 'status'>,
    kept: ReturnType<typeof digestAttribute> | null,
    pointerKey: { pk: string; sk: string },
    previous: number | undefined,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: pointerKey,
                // The digest in the same write: a page never reads one version's figures beside another's pointer.
                UpdateExpression: `SET current_version = :v, current_received_at = :at, current_late = :late${kept === null ? ' REMOVE digest, digest_version' : ', digest = :digest, digest_version = :v'}`,
                // The report received last is current, whatever order the ingests finish in: an
                // older upload claimed or finished later is superseded. Equal times fall back to
                // claim order; `<=` lets a replay of the commit that already happened succeed again.
                // And the pointer is still the one read: the caller marks that one superseded.
                ConditionExpression:
                  previous === undefined
                    ? 'attribute_not_exists(current_version)'
                    : 'current_version = :previous AND (current_received_at < :at OR (current_received_at = :at AND current_version <= :v))',
                ExpressionAttributeValues: {
                  ':v': version, ':at': summary.received_at, ':late': summary.late, ...(kept !== null && { ':digest': kept }), ...(previous !== undefined && { ':previous': previous }),
                },
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
      return false;
    }
    return true;
  }

  async keepDigest(target: ReportTarget, version: number, digest: ReportDigest): Promise<boolean> {
    const kept = digestAttribute(digest);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: dealerPk(target.dealer), sk: reportSk(target) },
          UpdateExpression: kept === null ? 'REMOVE digest, digest_version' : 'SET digest = :digest, digest_version = :v',
          ConditionExpression: 'current_version = :v',
          ExpressionAttributeValues: { ':v': version, ...(kept !== null && { ':digest': kept }) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async monthReports(type: ReportType, period: string, page: { readonly after?: string; readonly limit: number }): Promise<{ reports: CurrentReport[]; more: boolean }> {
    const reports: CurrentReport[] = [];
    // `$` follows `#`: the range holds every pointer of this type of the month, after `after`'s own.
    const from = page.after === undefined ? reportKeys.pointerGsi1sk(type, '') : `${reportKeys.pointerGsi1sk(type, page.after)}\u0000`;
    let start: Record<string, unknown> | undefined;
    // One more than the page, to know whether another follows; a pointer with no current version (only rejected uploads) is passed over.
    do {
      const found = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
          FilterExpression: 'attribute_exists(current_version)',
          ExpressionAttributeValues: { ':pk': reportKeys.periodGsi1pk(period), ':from': from, ':to': `${reportKeys.pointerPrefix(type).slice(0, -1)}$` },
          Limit: page.limit + 1 - reports.length,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of found.Items ?? []) reports.push(currentReportOf(item));
      start = found.LastEvaluatedKey;
    } while (start !== undefined && reports.length <= page.limit);
    return { reports: reports.slice(0, page.limit), more: reports.length > page.limit };
  }

  async dealerReports(dealer: string, type: ReportType, from: string, to: string): Promise<CurrentReport[]> {
    const reports: CurrentReport[] = [];
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      // Only pointers: the version items in the same key range carry no current_version.
      FilterExpression: 'attribute_exists(current_version)',
      ExpressionAttributeValues: { ':pk': dealerPk(dealer), ':from': reportKeys.pointerSk(type, from), ':to': `${reportKeys.pointerSk(type, to)}#~` },
      ConsistentRead: true,
    })) {
      reports.push(currentReportOf(item));
    }
    return reports;
  }

  async discard(target: ReportTarget, version: number, summary: Omit<VersionSummary, 'version' | 'status'>): Promise<void> {
    const keys = interleave(await this.rowKeysByPartition(target, version));
    const isAnnouncement = (key: Stored) => key.sk === reportKeys.shardsSk;
    await batchWrite(this.client, this.table, keys.filter((key) => !isAnnouncement(key)).map(deleteRequest));
    // Last, so that a discard cut short and tried again still finds the shards.
    await batchWrite(this.client, this.table, keys.filter(isAnnouncement).map(deleteRequest));
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

  async currentVersions(dealer: string, type: ReportType, from: string, to: string): Promise<Map<string, number>> {
    const current = new Map<string, number>();
    // The months' pointers and their version items (`…#V000001`, which sort before `#~`) in one key range; only pointers carry current_version.
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': dealerPk(dealer), ':from': reportKeys.pointerSk(type, from), ':to': `${reportKeys.pointerSk(type, to)}#~` },
      ConsistentRead: true,
    })) {
      if (item.current_version !== undefined) current.set(String(item.period), Number(item.current_version));
    }
    return current;
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
    for await (const item of this.rowItems(target, version)) {
      if (item[PACKED] instanceof Uint8Array) for (const row of unpackRows<ReportItem[]>(item[PACKED])) yield* row;
      else if (item.sk !== reportKeys.shardsSk) yield fromItem(item);
    }
  }

  async repairRecords(dealer: string, repairIds: readonly string[]): Promise<Map<string, Repair>> {
    return new Map([...(await this.currentRepairs(dealer, repairIds))].map(([id, item]) => [id, item.record]));
  }

  /** The repairs of the dealer's current repair reports by id, the earliest month's first. */
  private async currentRepairs(dealer: string, repairIds: readonly string[]): Promise<Map<string, Extract<ReportItem, { kind: 'repair' }>>> {
    const wanted = new Set(repairIds);
    const found = new Map<string, Extract<ReportItem, { kind: 'repair' }>>();
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
        found.set(item.record.repair_id, item);
      }
    }
    return found;
  }

  /**
   * A version's row items in sheet order: its own partition's (packs or the items of the layout
   * before packs), then, when it announces shards, theirs merged. The announcement itself is
   * yielded too, so that discard and expiry reach it.
   */
  private async *rowItems(target: ReportTarget, version: number, projection?: string): AsyncGenerator<Stored> {
    const query = (pk: string) => queryAll(this.client, { TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ProjectionExpression: projection });
    for await (const item of query(versionPk(target, version))) {
      if (item.sk !== reportKeys.shardsSk) {
        yield item;
        continue;
      }
      const shards = Number(item.shards);
      yield* mergeBySk(Array.from({ length: shards }, (_, shard) => query(shardPk(target, version, shard))));
      yield item;
    }
  }

  /** The keys of a version's row items, packed or not, the announcement of shards included, per partition. */
  private async rowKeysByPartition(target: ReportTarget, version: number): Promise<Stored[][]> {
    const byPartition = new Map<unknown, Stored[]>();
    for await (const { pk, sk } of this.rowItems(target, version, 'pk, sk, shards')) {
      const keys = byPartition.get(pk) ?? [];
      keys.push({ pk, sk });
      byPartition.set(pk, keys);
    }
    return [...byPartition.values()];
  }

  /**
   * Lets DynamoDB's TTL remove a superseded version's rows: a few packs, so a few updates, each
   * costing its pack's size in write units, taken from the partitions in turn.
   */
  private async expire(target: ReportTarget, version: number): Promise<void> {
    const expiresAt = Math.floor(Date.now() / 1000) + this.supersededTtlDays * SECONDS_PER_DAY;
    await forEachLimited(interleave(await this.rowKeysByPartition(target, version)), EXPIRY_CONCURRENCY, async (Key) => {
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
