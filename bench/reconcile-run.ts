import { loadConfig } from '../shared/config.js';
import { createAdapters, createDocumentClient } from '../shared/compose.js';
import { reconcilePeriod } from '../shared/app/reconcile.js';
import { writeInvoiceWorkbook } from '../shared/sheets/invoice-workbook.js';
import { countingClient } from '../test/helpers/command-counter.js';

/**
 * The measured half of bench/reconcile.ts, in its own process so that its peak RSS is the
 * reconciliation's, not the seeding's: one monthly reconciliation with invoices against the
 * endpoints in the environment. Prints the DynamoDB commands sent, by name, then one JSON line.
 */
const config = loadConfig();
const counting = countingClient(createDocumentClient(config));
const adapters = createAdapters(config, counting.client);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);

const started = performance.now();
const result = await reconcilePeriod({ ...adapters, config, renderInvoice: writeInvoiceWorkbook }, { period: '2026-10', as_of: '2026-11-05', concurrency });
const wall_ms = performance.now() - started;

const byName = new Map<string, { count: number; ms: number; items: number }>();
for (const c of counting.sent) {
  const entry = byName.get(c.name) ?? { count: 0, ms: 0, items: 0 };
  byName.set(c.name, { count: entry.count + 1, ms: entry.ms + c.ms, items: entry.items + c.itemsRead });
}
const dealers = result.run.dealers_total;
for (const [name, { count, ms, items }] of byName) {
  console.log(`  ${name.padEnd(22)} ${String(count).padStart(7)} sent, ${(count / dealers).toFixed(1).padStart(5)}/dealer, ${(ms / count).toFixed(1).padStart(6)} ms each, ${items} items read`);
}
console.log(
  JSON.stringify({
    dealers,
    dealers_done: result.run.dealers_done,
    failed: result.run.failed.length,
    invoices: result.invoices.length,
    wall_ms: Math.round(wall_ms),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
