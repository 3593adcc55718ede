import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startDynamoDbLocal, startS3Server } from '../infra/local/servers.js';
import { generateRepairReport } from './generate.js';
import { load } from './figures.js';

/**
 * `npm run bench [-- ingest|reconcile|bundles|portal|portal-pages|corpus|latency|partitions|hostile|journal-balance|result-item|api ...]`: prints figures side by side, asserts
 * nothing. Without arguments every part runs (long: the 5,000-dealer reconciliation alone
 * takes minutes).
 *   ingest     each stage in its own Node process with a 384 MB heap (a 512 MB Lambda's budget):
 *              the floor (yauzl + saxes counting rows, bench/floor.ts), our streaming read, read +
 *              validation, the whole ingest into DynamoDB Local, and SheetJS reading the same file;
 *              sizes from BENCH_ROWS (default 10000,100000,200000), stages from BENCH_STAGES
 *              (default floor,read,validate,ingest,sheetjs)
 *   reconcile  bench/reconcile.ts for BENCH_DEALERS dealers (default 100,1000,5000), 100 ledger lines each
 *   bundles    bench/bundles.ts: every Lambda bundle's size and import time
 *   portal     bench/portal.ts: the portal's first-load JavaScript, raw and gzipped, against 350 KB gzipped
 *   portal-pages bench/portal-pages.ts: each role's pages through `npm start` in headless Chromium, each
 *              first load in a fresh context, signed in: ms to settled, navigation timing, JS/CSS bytes,
 *              API calls, their bytes and any non-2xx; p50 of BENCH_SAMPLES (default 3)
 *   corpus     bench/corpus.ts: each real-world workbook through the upload pipeline, its answer,
 *              time and peak RSS in a fresh process; the slowest file and the peak memory
 *   latency    bench/latency.ts: upload to verdict through `npm start`, now and the previous
 *              code (BENCH_BASE), on disk and in memory (BENCH_UPLOADS, BENCH_BASE_UPLOADS, BENCH_LATENCY_ROWS)
 *   partitions bench/partitions.ts: write units per partition key per second of a BENCH_PARTITION_ROWS-row
 *              version (default 200,000), here and at AWS latencies (BENCH_AWS_MS), against 1,000 WCU/s a key
 *   archive-lookup bench/archive-lookup.ts: commands, items and time of one end-user archive search as
 *              the archive grows (BENCH_ARCHIVE_UNITS, default 1000,10000,100000)
 *   year-history bench/year-history.ts: the reconciliation's time per dealer month by month over a year
 *              of history with corrections and credit notes (BENCH_DEALERS, default 1000; in-memory ports)
 *   hostile    bench/hostile.ts: each file of the hostile corpus (zip bombs, a million rows, 16,384
 *              columns, …) through the upload path: its answer, time and added RSS
 *   journal-balance bench/journal-balance.ts: a balance read from the receivables journal after a year of
 *              charges, credit notes and payments (BENCH_DEALERS, default 1000; DynamoDB Local): p50/p95 ms
 *              and DynamoDB commands for one dealer and for every dealer (BENCH_SAMPLES, BENCH_ALL_RUNS)
 *   result-item bench/result-item.ts: one dealer's reconciliation result item size per year over ten
 *              years of 100 lots a month (BENCH_YEARS, BENCH_LOTS; memory store), every lot vs open lots only
 *   api        bench/api.ts: every GET route each role's home page and lists call, through the API handler,
 *              after a year of history for BENCH_DEALERS dealers (default 2000; DynamoDB Local): status,
 *              p50/p95 ms, DynamoDB commands and scans, answer bytes (BENCH_SAMPLES, BENCH_SLOW_SAMPLES)
 * Each figure is printed with the 1-minute load average when it was taken: on a shared
 * machine a figure taken above the core count is not worth much.
 */
const parts = process.argv.slice(2);
const wanted = (part: string) => parts.length === 0 || parts.includes(part);
const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
const lastJson = <T>(output: string): T => JSON.parse(output.trim().split('\n').pop() ?? '{}') as T;
const HEAP_MB = 384;

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${new Date().toISOString()}`);

if (wanted('ingest')) {
  const sizes = (process.env.BENCH_ROWS ?? '10000,100000,200000').split(',').map(Number);
  const stages = (process.env.BENCH_STAGES ?? 'floor,read,validate,ingest,sheetjs').split(',');
  const dir = join('.tmp', 'bench');
  mkdirSync(dir, { recursive: true });
  // DynamoDB Local and s3rver for the ingest stage run here, so that a stage's peak RSS is its
  // own; s3rver serves from this process, so stages are awaited, never run synchronously.
  const s3Dir = mkdtempSync(join(tmpdir(), 'bench-s3-'));
  const [dynamo, s3] = stages.includes('ingest') ? await Promise.all([startDynamoDbLocal(), startS3Server({ dataDir: s3Dir })]) : [];
  const stageEnv = { ...env, BENCH_DYNAMODB_ENDPOINT: dynamo?.endpoint ?? '', BENCH_S3_ENDPOINT: s3?.endpoint ?? '' };
  try {
    console.log(`\ningest (each stage a fresh process, --max-old-space-size=${HEAP_MB})`);
    console.log('rows      stage      file MB   wall s    cpu s   rows/s  peak RSS MB  load');
    for (const rows of sizes) {
      const file = join(dir, `repair-${rows}.xlsx`);
      if (!existsSync(file)) await generateRepairReport(rows, file);
      const mb = (statSync(file).size / 2 ** 20).toFixed(1);
      for (const stage of stages) {
        const loadBefore = load();
        let line: string;
        let projected = '';
        try {
          const { stdout } = await promisify(execFile)(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', 'bench/ingest-stage.ts', stage, file], {
            encoding: 'utf8',
            env: stageEnv,
          });
          const result = lastJson<{ rows: number; wall_ms: number; cpu_ms: number; peak_rss_mb: number; projections_ms?: number; projections_cpu_ms?: number }>(stdout);
          const seconds = result.wall_ms / 1000;
          line = `${seconds.toFixed(1).padStart(8)} ${(result.cpu_ms / 1000).toFixed(1).padStart(8)} ${String(Math.round(result.rows / seconds)).padStart(8)} ${String(result.peak_rss_mb).padStart(12)}`;
          // The ingest is timed to the verdict; its projections, queued on AWS, after it and apart.
          if (result.projections_ms !== undefined) projected = `  (then projections ${(result.projections_ms / 1000).toFixed(1)} s wall, ${((result.projections_cpu_ms ?? 0) / 1000).toFixed(1)} s cpu)`;
        } catch (error) {
          const stderr = String((error as { stderr?: string }).stderr ?? '');
          line = /heap out of memory|Allocation failed/i.test(stderr) ? `  out of memory with a ${HEAP_MB} MB heap` : `  failed: ${stderr.trim().split('\n').pop() ?? ''}`;
        }
        console.log(`${String(rows).padEnd(9)} ${stage.padEnd(10)} ${mb.padStart(7)} ${line}  ${loadBefore}–${load()}${projected}`);
      }
    }
  } finally {
    await Promise.allSettled([dynamo?.stop(), s3?.stop()]);
    rmSync(s3Dir, { recursive: true, force: true });
  }
}

if (wanted('reconcile')) {
  const sizes = (process.env.BENCH_DEALERS ?? '100,1000,5000').split(',').map(Number);
  console.log('\nreconciliation with invoices (a year of ledger, 100 lines per dealer; DynamoDB Local)');
  console.log('dealers   lines     seed s   run s  ms/dealer  invoices  invoices/s  peak RSS MB  load');
  for (const dealers of sizes) {
    const loadBefore = load();
    const output = execFileSync(process.execPath, ['--import', 'tsx', 'bench/reconcile.ts', String(dealers)], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'inherit'] });
    const r = lastJson<{ lines: number; seed_s: number; wall_ms: number; invoices: number; peak_rss_mb: number }>(output);
    const seconds = r.wall_ms / 1000;
    console.log(
      `${String(dealers).padEnd(9)} ${String(r.lines).padEnd(9)} ${r.seed_s.toFixed(1).padStart(6)} ${seconds.toFixed(1).padStart(7)} ${((1000 * seconds) / dealers).toFixed(1).padStart(10)} ` +
        `${String(r.invoices).padStart(9)} ${(r.invoices / seconds).toFixed(1).padStart(11)} ${String(r.peak_rss_mb).padStart(12)}  ${loadBefore}–${load()}`,
    );
  }
}

if (wanted('portal')) {
  console.log(`\nportal first load (load ${load()})`);
  const output = execFileSync(process.execPath, ['--import', 'tsx', 'bench/portal.ts'], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'inherit'] });
  console.log(output.split('\n').filter((l) => !l.startsWith('{')).join('\n').trimEnd());
}

if (wanted('portal-pages')) {
  console.log('');
  execFileSync(process.execPath, ['--import', 'tsx', 'bench/portal-pages.ts'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
}

if (wanted('bundles')) {
  console.log(`\nLambda bundles (load ${load()})`);
  const output = execFileSync(process.execPath, ['--import', 'tsx', 'bench/bundles.ts'], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'inherit'] });
  console.log(output.split('\n').filter((l) => !l.startsWith('{')).join('\n').trimEnd());
  console.log(`(load after: ${load()})`);
}

if (wanted('corpus')) {
  console.log(`(load before the corpus: ${load()})`);
  execFileSync(process.execPath, ['--import', 'tsx', 'bench/corpus.ts'], { env, stdio: 'inherit' });
  console.log(`(load after: ${load()})`);
}

if (wanted('latency')) {
  console.log('');
  execFileSync(process.execPath, ['--import', 'tsx', 'bench/latency.ts'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
}

if (wanted('partitions')) {
  console.log('');
  execFileSync(process.execPath, ['--import', 'tsx', 'bench/partitions.ts'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
}

if (wanted('archive-lookup')) {
  console.log('');
  execFileSync(process.execPath, ['--import', 'tsx', 'bench/archive-lookup.ts'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
}

if (wanted('hostile')) {
  console.log(`\nthe hostile corpus through the upload path (load ${load()})`);
  execFileSync(process.execPath, ['--import', 'tsx', 'bench/hostile.ts'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
}

if (wanted('year-history')) {
  console.log('\nreconciliation time per dealer over a year of history (corrections, late returns credited; in-memory ports)');
  execFileSync(process.execPath, ['--import', 'tsx', 'bench/year-history.ts', process.env.BENCH_DEALERS ?? '1000'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
}

if (wanted('result-item')) {
  console.log(`\none dealer's reconciliation result item as its lots accumulate (memory store; load ${load()})`);
  execFileSync(process.execPath, ['--import', 'tsx', 'bench/result-item.ts', process.env.BENCH_YEARS ?? '10', process.env.BENCH_LOTS ?? '100'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  console.log(`(load after: ${load()})`);
}

if (wanted('journal-balance')) {
  console.log(`\nbalances from the receivables journal after a year of history (DynamoDB Local; load ${load()})`);
  execFileSync(process.execPath, ['--import', 'tsx', 'bench/journal-balance.ts', process.env.BENCH_DEALERS ?? '1000'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  console.log(`(load after: ${load()})`);
}

if (wanted('api')) {
  console.log(`\nevery GET route of each role's home page and lists after a year of history (DynamoDB Local; load ${load()})`);
  execFileSync(process.execPath, ['--import', 'tsx', 'bench/api.ts', process.env.BENCH_DEALERS ?? '2000'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  console.log(`(load after: ${load()})`);
}
