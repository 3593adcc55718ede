import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadConfig } from '../shared/config.js';
import { createAdapters, createDocumentClient, createS3Client } from '../shared/compose.js';
import { ingestReport } from '../shared/app/ingest-report.js';
import { ensureBuckets, ensureTable } from '../infra/local/provision.js';
import { startDynamoDbLocal, startS3Server } from '../infra/local/servers.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../infra/local/demo.js';
import { generateRepairReport } from './generate.js';
import { itemSize, valueSize } from './item-size.js';
import { load } from './figures.js';

/**
 * `npm run bench -- partitions`: what a big report version costs DynamoDB per partition key,
 * which DynamoDB Local does not model (AWS serves about 1,000 write units a second per key).
 * Ingests a BENCH_PARTITION_ROWS-row repair report (default 200,000) twice into DynamoDB Local in
 * memory, the second superseding the first (so the first's rows get their expiry), through a
 * document client that prices every write as AWS does: an item's marshalled size (attribute
 * names included) / 1 KB rounded up, per item; an update or delete costs the larger of the item
 * before and after. Prints, per phase and per partition key: items, write units, the peak
 * write units in one wall-clock second here, the rate the same work would reach at AWS
 * latencies (BENCH_AWS_MS per request, default 10) and the time a 1,000 WCU/s cap implies.
 */
const ROWS = Number(process.env.BENCH_PARTITION_ROWS ?? 200_000);
const AWS_MS = Number(process.env.BENCH_AWS_MS ?? 10);
const KEY_WCU_PER_SECOND = 1_000;
/** The report store's expiry updates in flight (EXPIRY_CONCURRENCY in shared/store/dynamo-report-store.ts). */
const UPDATE_CONCURRENCY = 8;

const units = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

interface KeyTally {
  items: number;
  wcu: number;
  /** Write units by wall-clock second since the phase began. */
  perSecond: Map<number, number>;
}
interface Phase {
  readonly name: string;
  readonly started: number;
  wall: number;
  requests: number;
  /** Sum of every request's time, and the time at least one was in flight. */
  requestMs: number;
  busyMs: number;
  readonly keys: Map<string, KeyTally>;
}

/** A document client that prices every write per partition key into the current phase. */
function meteredClient(client: DynamoDBDocumentClient) {
  const sizes = new Map<string, number>();
  let phase: Phase | undefined;
  let inFlight = 0;
  let busySince = 0;
  const charge = (pk: string, sk: string, after: number | undefined, kind: string) => {
    const id = `${pk}\u0000${sk}`;
    const before = sizes.get(id);
    const wcu = units(Math.max(before ?? 0, after ?? 0));
    if (after === undefined) sizes.delete(id);
    else sizes.set(id, after);
    if (phase === undefined) return;
    const tally = phase.keys.get(`${pk} ${kind}`) ?? { items: 0, wcu: 0, perSecond: new Map<number, number>() };
    const second = Math.floor((performance.now() - phase.started) / 1000);
    tally.items += 1;
    tally.wcu += wcu;
    tally.perSecond.set(second, (tally.perSecond.get(second) ?? 0) + wcu);
    phase.keys.set(`${pk} ${kind}`, tally);
  };
  const price = (name: string, input: Record<string, any>) => {
    if (name === 'PutCommand') charge(input.Item.pk, input.Item.sk, itemSize(input.Item), 'put');
    if (name === 'DeleteCommand') charge(input.Key.pk, input.Key.sk, undefined, 'delete');
    if (name === 'UpdateCommand') {
      // Near enough for the updates here: the values set are added to the item's size.
      const id = `${input.Key.pk}\u0000${input.Key.sk}`;
      const added = Object.values(input.ExpressionAttributeValues ?? {}).reduce((sum: number, v) => sum + 8 + valueSize(v), 0);
      charge(input.Key.pk, input.Key.sk, (sizes.get(id) ?? itemSize(input.Key)) + added, 'update');
    }
    if (name === 'TransactWriteCommand') for (const t of input.TransactItems) if (t.Put) price('PutCommand', t.Put);
      else if (t.Update) price('UpdateCommand', t.Update);
    if (name === 'BatchWriteCommand')
      for (const requests of Object.values(input.RequestItems) as any[][])
        for (const r of requests) if (r.PutRequest) price('PutCommand', r.PutRequest);
          else price('DeleteCommand', r.DeleteRequest);
  };
  const metered = new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: { constructor: { name: string }; input: Record<string, any> }, ...rest: unknown[]) => {
        price(command.constructor.name, command.input);
        const started = performance.now();
        if (inFlight++ === 0) busySince = started;
        try {
          return await (target.send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
        } finally {
          const now = performance.now();
          if (--inFlight === 0 && phase !== undefined) phase.busyMs += now - Math.max(busySince, phase.started);
          if (phase !== undefined) {
            phase.requests += 1;
            phase.requestMs += now - started;
          }
        }
      };
    },
  });
  return {
    client: metered,
    begin(name: string): Phase {
      phase = { name, started: performance.now(), wall: 0, requests: 0, requestMs: 0, busyMs: 0, keys: new Map() };
      return phase;
    },
    end(): void {
      if (phase !== undefined) phase.wall = performance.now() - phase.started;
      phase = undefined;
    },
  };
}

/** The phase's figures: here, and what its requests at AWS latency would make of it. */
function report(phase: Phase): void {
  const wall = phase.wall / 1000;
  // The work between requests stays; the time spent waiting on DynamoDB Local becomes
  // AWS_MS per request at the concurrency the phase kept.
  const concurrency = phase.busyMs > 0 ? phase.requestMs / phase.busyMs : 1;
  const awsWall = Math.max(0.001, wall - phase.busyMs / 1000 + (phase.requests * AWS_MS) / 1000 / concurrency);
  const rows = [...phase.keys.entries()].sort((a, b) => b[1].wcu - a[1].wcu);
  const total = rows.reduce((sum, [, t]) => sum + t.wcu, 0);
  const items = rows.reduce((sum, [, t]) => sum + t.items, 0);
  // Puts go as fast as the ingest makes packs (the phase's time at AWS latency); a superseded
  // version's expiry updates and a discard's deletes go back to back, UPDATE_CONCURRENCY in flight.
  // Work done within a second is that second's, however short.
  const awsSeconds = (key: string, t: KeyTally) => Math.max(1, key.endsWith(' put') ? awsWall : (t.items * AWS_MS) / 1000 / UPDATE_CONCURRENCY);
  console.log(
    `\n${phase.name}: ${phase.requests} requests, ${items} items written, ${total} WCU, ${new Set(rows.map(([k]) => k.split(' ')[0])).size} partition keys; ` +
      `here ${wall.toFixed(1)} s (DynamoDB Local busy ${(phase.busyMs / 1000).toFixed(1)} s, ${concurrency.toFixed(1)} in flight); ` +
      `at ${AWS_MS} ms a request ≈ ${awsWall.toFixed(1)} s`,
  );
  console.log('partition key, write                                       items      WCU  peak WCU/s here  WCU/s at AWS latency  s at 1,000 WCU/s');
  for (const [key, t] of rows.slice(0, 12)) {
    const peak = Math.max(...t.perSecond.values());
    const awsRate = t.wcu / awsSeconds(key, t);
    console.log(
      `${key.padEnd(58)} ${String(t.items).padStart(7)} ${String(t.wcu).padStart(8)} ${String(peak).padStart(16)} ${awsRate.toFixed(0).padStart(21)}${awsRate > KEY_WCU_PER_SECOND ? ' (over)' : '       '} ${(t.wcu / KEY_WCU_PER_SECOND).toFixed(1).padStart(17)}`,
    );
  }
  if (rows.length > 12) console.log(`… and ${rows.length - 12} more`);
  const maxKey = Math.max(0, ...rows.map(([, t]) => t.wcu / KEY_WCU_PER_SECOND));
  const maxRate = Math.max(0, ...rows.map(([key, t]) => t.wcu / awsSeconds(key, t)));
  const maxPeak = Math.max(0, ...rows.map(([, t]) => Math.max(...t.perSecond.values())));
  console.log(
    `the hottest key: ${maxPeak} WCU in one second here, ${maxRate.toFixed(0)} WCU/s at AWS latency; capped at 1,000 WCU/s per key the phase needs at least ` +
      `${Math.max(maxKey, awsWall).toFixed(1)} s (the hottest key's WCU / 1,000: ${maxKey.toFixed(1)} s; all write units paced through one key: ${(total / KEY_WCU_PER_SECOND).toFixed(1)} s)`,
  );
  console.log(JSON.stringify({ phase: phase.name, requests: phase.requests, items, wcu: total, keys: rows.length, max_key_wcu: rows[0]?.[1].wcu ?? 0, hottest_wcu_per_s_here: maxPeak, aws_s: Number(awsWall.toFixed(1)), hottest_wcu_per_s_aws: Math.round(maxRate) }));
}

const dir = join('.tmp', 'bench');
mkdirSync(dir, { recursive: true });
const file = join(dir, `repair-${ROWS}.xlsx`);
if (!existsSync(file)) await generateRepairReport(ROWS, file);
const bytes = await readFile(file);
const s3Dir = await mkdtemp(join(tmpdir(), 'bench-partitions-'));
const [dynamo, s3] = await Promise.all([startDynamoDbLocal(), startS3Server({ dataDir: s3Dir })]);
try {
  const config = loadConfig({ DYNAMODB_ENDPOINT: dynamo.endpoint, S3_ENDPOINT: s3.endpoint });
  await ensureTable(createDocumentClient(config), config.tableName);
  await ensureBuckets(createS3Client(config), Object.values(config.buckets));
  const meter = meteredClient(createDocumentClient(config));
  const adapters = createAdapters(config, meter.client);
  await adapters.master.save({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
  console.log(`partitions: a ${ROWS}-row repair report (${(bytes.length / 2 ** 20).toFixed(1)} MB), ingested twice; load ${load()}`);
  for (const [name, sourceId] of [
    ['version 1', 'bench-1'],
    ['version 2, superseding version 1', 'bench-2'],
  ] as const) {
    const phase = meter.begin(name);
    const result = await ingestReport(
      { ...adapters, config },
      { bytes, target: { dealer: 'D001', type: 'repair', period: '2026-10' }, receivedAt: new Date('2026-11-02T02:00:00Z'), sourceId },
    );
    meter.end();
    if (result.status !== 'accepted') throw new Error(`rejected: ${JSON.stringify(result.errors.slice(0, 3))}`);
    report(phase);
  }
  console.log(`(load after: ${load()})`);
} finally {
  await Promise.allSettled([dynamo.stop(), s3.stop()]);
  await rm(s3Dir, { recursive: true, force: true });
}
