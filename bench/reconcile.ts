import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configEnvironment, loadConfig } from '../shared/config.js';
import { createAdapters, createDocumentClient, createS3Client } from '../shared/compose.js';
import { addDays } from '../shared/domain/dates.js';
import type { Dealer } from '../shared/domain/master.js';
import type { ReturnLine, ShipmentLine } from '../shared/domain/ledger-validation.js';
import { ensureBuckets, ensureTable } from '../infra/local/provision.js';
import { startDynamoDbLocal, startS3Server } from '../infra/local/servers.js';
import { DEMO_PARTS, DEMO_PRODUCTS } from '../infra/local/demo.js';

/**
 * `npx tsx bench/reconcile.ts [DEALERS] [LINES]`: a year of ledger history (default 1,000
 * dealers, 100 lines each: two shipments for each return) in DynamoDB Local, then one monthly
 * reconciliation with invoices in a process of its own (bench/reconcile-run.ts). Prints seeding
 * and reconciliation times, invoices per second, the reconciling process's peak RSS (DynamoDB
 * Local's JVM is not counted), the DynamoDB commands it sent by name, then one JSON line.
 */
const dealersCount = Number(process.argv[2] ?? 1_000);
const linesCount = Number(process.argv[3] ?? 100 * dealersCount);
const s3Dir = await mkdtemp(join(tmpdir(), 'bench-recon-'));
const [dynamo, s3] = await Promise.all([startDynamoDbLocal(), startS3Server({ dataDir: s3Dir })]);
try {
  const config = loadConfig({ DYNAMODB_ENDPOINT: dynamo.endpoint, S3_ENDPOINT: s3.endpoint });
  await ensureTable(createDocumentClient(config), config.tableName);
  await ensureBuckets(createS3Client(config), Object.values(config.buckets));
  const adapters = createAdapters(config);
  const dealers: Dealer[] = Array.from({ length: dealersCount }, (_, i) => ({
    dealer_code: `D${String(i).padStart(5, '0')}`,
    dealer_name: `经销商 ${i}`,
    region: '华东',
    contact: '联系人',
    phone: '13800000000',
    payment_method: '银行转账',
    return_window_days: null,
  }));
  await adapters.master.save({ dealers, products: DEMO_PRODUCTS, parts: DEMO_PARTS });

  const parts = ['P-VALVE-01', 'P-SEAL-03', 'P-BOARD-02', 'P-CART-05'];
  const shipments: ShipmentLine[] = [];
  const returns: ReturnLine[] = [];
  for (let i = 0; i < linesCount; i++) {
    const dealer = dealers[i % dealersCount]?.dealer_code ?? 'D00000';
    const part = parts[(i >> 3) % parts.length] ?? 'P-SEAL-03';
    const date = addDays('2025-11-01', (i * 7) % 365);
    if (i % 3 === 2) returns.push({ return_id: `R${i}`, line: 1, received_date: date, dealer_code: dealer, part_code: part, qty: 1, condition: null, remarks: null });
    else shipments.push({ shipment_id: `S${i}`, line: 1, shipped_date: date, dealer_code: dealer, part_code: part, qty: 1 + (i % 3), kind: i % 5 === 0 ? 'gift' : 'warranty_loan', return_required: null, repair_id: null, remarks: null });
  }
  const started = performance.now();
  await adapters.ledger.record('shipments', shipments, 'bench');
  await adapters.ledger.record('returns', returns, 'bench');
  const seedSeconds = (performance.now() - started) / 1000;
  console.log(`seeded ${dealersCount} dealers, ${linesCount} ledger lines in ${seedSeconds.toFixed(1)} s`);

  // Not execFileSync: s3rver serves from this process, so its event loop must keep running.
  const { stdout: output } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/reconcile-run.ts'], {
    encoding: 'utf8',
    maxBuffer: 2 ** 24,
    env: { ...process.env, ...configEnvironment(config), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const lines = output.trim().split('\n');
  const run = JSON.parse(lines.pop() ?? '{}') as { dealers_done: number; failed: number; invoices: number; wall_ms: number; peak_rss_mb: number };
  const seconds = run.wall_ms / 1000;
  console.log(
    `reconciled ${run.dealers_done} dealers in ${seconds.toFixed(1)} s (${((1000 * seconds) / dealersCount).toFixed(1)} ms per dealer): ` +
      `${run.invoices} invoices (${(run.invoices / seconds).toFixed(1)}/s), ${run.failed} failed; peak RSS ${run.peak_rss_mb} MB`,
  );
  console.log(lines.join('\n'));
  console.log(JSON.stringify({ dealers: dealersCount, lines: linesCount, seed_s: Number(seedSeconds.toFixed(1)), ...run }));
} finally {
  await Promise.allSettled([dynamo.stop(), s3.stop()]);
  await rm(s3Dir, { recursive: true, force: true });
}
