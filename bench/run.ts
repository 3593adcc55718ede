import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { generateRepairReport } from './generate.js';

/**
 * `npm run bench`: prints figures, asserts nothing. Sizes from BENCH_ROWS (default
 * 10000,100000); each stage runs in its own Node process with a 384 MB heap, the budget of a
 * 512 MB Lambda, and reports its wall time, rows per second and peak RSS.
 */
const sizes = (process.env.BENCH_ROWS ?? '10000,100000').split(',').map(Number);
const stages = (process.env.BENCH_STAGES ?? 'read,validate,ingest').split(',');
const dir = join('.tmp', 'bench');
mkdirSync(dir, { recursive: true });

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}`);
console.log('rows      stage      file MB   wall s   rows/s    peak RSS MB');
for (const rows of sizes) {
  const file = join(dir, `repair-${rows}.xlsx`);
  if (!existsSync(file)) await generateRepairReport(rows, file);
  const mb = (statSync(file).size / 2 ** 20).toFixed(1);
  for (const stage of stages) {
    const output = execFileSync(
      process.execPath,
      ['--max-old-space-size=384', '--import', 'tsx', 'bench/ingest-stage.ts', stage, file],
      { encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const result = JSON.parse(output.trim().split('\n').pop() ?? '{}') as { rows: number; wall_ms: number; peak_rss_mb: number };
    const seconds = result.wall_ms / 1000;
    console.log(
      `${String(rows).padEnd(9)} ${stage.padEnd(10)} ${mb.padStart(7)} ${seconds.toFixed(1).padStart(8)} ${String(Math.round(result.rows / seconds)).padStart(8)} ${String(result.peak_rss_mb).padStart(12)}`,
    );
  }
}
