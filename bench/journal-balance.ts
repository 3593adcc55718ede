import { loadConfig } from '../shared/config.js';
import { createAdapters, createDocumentClient } from '../shared/compose.js';
import { dealerBooks } from '../shared/app/finance/journal.js';
import { dealerBalances } from '../shared/app/finance/form-life.js';
import type { Dealer } from '../shared/domain/master.js';
import { ensureTable } from '../infra/local/provision.js';
import { startDynamoDbLocal } from '../infra/local/servers.js';
import { DEMO_PARTS, DEMO_PRODUCTS } from '../infra/local/demo.js';
import { countingClient } from '../test/helpers/command-counter.js';
import { seedJournalYear } from './seed-journal.js';
import { percentile } from './figures.js';

/**
 * `npx tsx bench/journal-balance.ts [DEALERS]` (`npm run bench -- journal-balance`): what a
 * balance read from the receivables journal costs after a year, in DynamoDB Local through the
 * real stores. DEALERS dealers (default 1,000) each get twelve months (2025-12 to 2026-11) of
 * history: a possession form a month (2 valves and a seal, ¥75.80), a credit note every third
 * month crediting a valve of the month before's form, and that form paid in full the next
 * month (a year: 16 forms, 40 journal entries per dealer), written as the invoice and journal
 * stores lay their items out, with their key helpers. Then, through the same use cases as
 * the API: one dealer's books (`dealerBooks`, what every form and payment route reads), one
 * dealer's balance (`GET /api/balances?dealer=`) and every dealer's (`GET /api/balances`);
 * p50/p95 milliseconds and the DynamoDB commands each sends. Asserts nothing; one JSON line last.
 */
const dealersCount = Number(process.argv[2] ?? 1_000);
const ONE_DEALER_SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const ALL_DEALER_RUNS = Number(process.env.BENCH_ALL_RUNS ?? 3);

const dynamo = await startDynamoDbLocal();
try {
  const config = loadConfig({ DYNAMODB_ENDPOINT: dynamo.endpoint });
  await ensureTable(createDocumentClient(config), config.tableName);
  const seed = { master: createAdapters(config).master, dynamo: createDocumentClient(config) };
  const dealers: Dealer[] = Array.from({ length: dealersCount }, (_, i) => ({
    dealer_code: `D${String(i).padStart(5, '0')}`, dealer_name: `经销商 ${i}`, region: '华东', contact: '联系人', phone: '13800000000', payment_method: '银行转账', return_window_days: null,
  }));
  await seed.master.save({ dealers, products: DEMO_PRODUCTS, parts: DEMO_PARTS });

  const seedStarted = performance.now();
  const { forms, entries } = await seedJournalYear(seed.dynamo, config.tableName, dealers);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  console.log(`seeded ${dealersCount} dealers: ${forms} forms, ${entries} journal entries in ${seedSeconds.toFixed(1)} s`);

  const counting = countingClient(createDocumentClient(config));
  const adapters = { ...createAdapters(config, counting.client), config };
  const finance = { subject: 'bench-finance', roles: new Set(['finance'] as const), dealer: null };

  /** Runs `read` `times` times, timing each and counting the DynamoDB commands it sends. */
  async function measure(label: string, times: number, read: (i: number) => Promise<unknown>) {
    const ms: number[] = [];
    const commands = new Map<string, number>();
    let items = 0;
    for (let i = 0; i < times; i++) {
      counting.sent.length = 0;
      const started = performance.now();
      await read(i);
      ms.push(performance.now() - started);
      for (const c of counting.sent) {
        commands.set(c.name, (commands.get(c.name) ?? 0) + 1);
        items += c.itemsRead;
      }
    }
    ms.sort((a, b) => a - b);
    const perRead = [...commands].map(([name, n]) => `${name.replace(/Command$/, '')} ${(n / times).toFixed(1)}`).join(', ');
    const result = { label, reads: times, p50_ms: Number(percentile(ms, 50).toFixed(1)), p95_ms: Number(percentile(ms, 95).toFixed(1)), commands_per_read: Object.fromEntries([...commands].map(([n, c]) => [n, c / times])), items_per_read: Math.round(items / times) };
    console.log(`${label.padEnd(38)} ${String(times).padStart(5)} reads  p50 ${result.p50_ms.toFixed(1).padStart(8)} ms  p95 ${result.p95_ms.toFixed(1).padStart(8)} ms  per read: ${perRead}; ${result.items_per_read} items`);
    return result;
  }
  // Spread over the dealers, the same ones every run.
  const sample = (i: number) => dealers[(i * 7919) % dealersCount]?.dealer_code ?? 'D00000';
  await dealerBooks(adapters, sample(0));
  const results = [
    await measure('one dealer\'s books (dealerBooks)', ONE_DEALER_SAMPLES, (i) => dealerBooks(adapters, sample(i))),
    await measure('GET /api/balances?dealer= (one)', ONE_DEALER_SAMPLES, (i) => dealerBalances(adapters, finance, sample(i))),
    await measure(`GET /api/balances (all ${dealersCount})`, ALL_DEALER_RUNS, () => dealerBalances(adapters, finance)),
  ];
  console.log(JSON.stringify({ dealers: dealersCount, forms, journal_entries: entries, seed_s: Number(seedSeconds.toFixed(1)), results }));
} finally {
  await dynamo.stop();
}
