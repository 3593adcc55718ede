import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../shared/config.js';
import { createAdapters } from '../shared/store/adapters.js';
import { createDocumentClient, createS3Client } from '../shared/store/clients.js';
import { reconcilePeriod } from '../shared/app/reconcile.js';
import { addDays } from '../shared/domain/dates.js';
import type { Dealer } from '../shared/domain/master.js';
import type { ReturnLine, ShipmentLine } from '../shared/domain/ledger-validation.js';
import { writeInvoiceWorkbook } from '../shared/sheets/invoice-workbook.js';
import { ensureBuckets, ensureTable } from '../infra/local/provision.js';
import { startDynamoDbLocal, startS3Server } from '../infra/local/servers.js';
import { DEMO_PARTS, DEMO_PRODUCTS } from '../infra/local/demo.js';
import { countingClient } from '../test/helpers/command-counter.js';

/**
 * `npx tsx bench/reconcile.ts [DEALERS] [LINES]`: a year of ledger history (default 1,000
 * dealers, 100,000 lines: two shipments for each return) in DynamoDB Local, then one monthly
 * reconciliation with invoices. Prints seeding and reconciliation times, invoices per second
 * and peak RSS of this process (DynamoDB Local's JVM is not counted), and the DynamoDB commands the
 * reconciliation sent by name.
 */
const dealersCount = Number(process.argv[2] ?? 1_000);
const linesCount = Number(process.argv[3] ?? 100_000);
const s3Dir = await mkdtemp(join(tmpdir(), 'bench-recon-'));
const [dynamo, s3] = await Promise.all([startDynamoDbLocal(), startS3Server({ dataDir: s3Dir })]);
try {
  const config = loadConfig({ DYNAMODB_ENDPOINT: dynamo.endpoint, S3_ENDPOINT: s3.endpoint });
  await ensureTable(createDocumentClient(config), config.tableName);
  await ensureBuckets(createS3Client(config), Object.values(config.buckets));
  const counting = countingClient(createDocumentClient(config));
  const adapters = createAdapters(config, counting.client);
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
  let started = performance.now();
  await adapters.ledger.record('shipments', shipments, 'bench');
  await adapters.ledger.record('returns', returns, 'bench');
  console.log(`seeded ${dealersCount} dealers, ${linesCount} ledger lines in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  counting.sent.length = 0;
  started = performance.now();
  const result = await reconcilePeriod({ ...adapters, config, renderInvoice: writeInvoiceWorkbook }, { period: '2026-10', as_of: '2026-11-05', concurrency: 8 });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `reconciled ${result.run.dealers_done} dealers in ${seconds.toFixed(1)} s: ${result.invoices.length} invoices (${(result.invoices.length / seconds).toFixed(1)}/s), ` +
      `${result.run.failed.length} failed; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
  );
  const byName = new Map<string, { count: number; ms: number; items: number }>();
  for (const c of counting.sent) {
    const entry = byName.get(c.name) ?? { count: 0, ms: 0, items: 0 };
    byName.set(c.name, { count: entry.count + 1, ms: entry.ms + c.ms, items: entry.items + c.itemsRead });
  }
  for (const [name, { count, ms, items }] of byName) {
    console.log(`  ${name.padEnd(22)} ${String(count).padStart(7)} sent, ${(count / dealersCount).toFixed(1).padStart(5)}/dealer, ${(ms / count).toFixed(1).padStart(6)} ms each, ${items} items`);
  }
} finally {
  await Promise.allSettled([dynamo.stop(), s3.stop()]);
  await rm(s3Dir, { recursive: true, force: true });
}
