import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Every file of the real-world corpus (../shared/realworld-xlsx/files) through the upload
 * pipeline, each in its own Node process with a Lambda-sized heap (bench/corpus-file.ts): its
 * answer, wall and CPU time and peak RSS. A file that outlasts the limit is reported as a hang.
 * Prints the slowest files, the answers by class, and the slowest file and peak memory overall.
 */
const CORPUS = join('..', 'shared', 'realworld-xlsx', 'files');
const HEAP_MB = Number(process.env.BENCH_HEAP_MB ?? 384);
const LIMIT_MS = Number(process.env.BENCH_FILE_LIMIT_MS ?? 300_000);
const SHOWN = Number(process.env.BENCH_SHOWN ?? 12);

interface Measured {
  readonly file: string;
  readonly kb: number;
  readonly class: string;
  readonly codes: readonly string[];
  readonly wall_ms: number;
  readonly cpu_ms: number;
  readonly peak_rss_mb: number;
}

async function measure(file: string): Promise<Measured> {
  const path = join(CORPUS, file);
  const kb = Math.round(statSync(path).size / 1024);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', 'bench/corpus-file.ts', path], {
      encoding: 'utf8',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      timeout: LIMIT_MS,
    });
    return { file, kb, ...(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Omit<Measured, 'file' | 'kb'>) };
  } catch (error) {
    const failure = error as { killed?: boolean; stderr?: string };
    const what = failure.killed === true ? `hang (> ${LIMIT_MS / 1000} s)` : /heap out of memory/i.test(failure.stderr ?? '') ? 'out of memory' : 'crash';
    return { file, kb, class: what, codes: [], wall_ms: failure.killed === true ? LIMIT_MS : 0, cpu_ms: 0, peak_rss_mb: 0 };
  }
}

const files = readdirSync(CORPUS).sort();
console.log(`\nreal-world corpus: ${files.length} files, each a fresh process with --max-old-space-size=${HEAP_MB}`);
const results: Measured[] = [];
for (const file of files) results.push(await measure(file));

const bySlowest = [...results].sort((a, b) => b.wall_ms - a.wall_ms);
console.log('file                                                           KB   answer                       wall s   cpu s  peak RSS MB');
for (const r of bySlowest.slice(0, SHOWN)) {
  const answer = `${r.class} ${r.codes.join('+')}`.slice(0, 28);
  console.log(`${r.file.slice(0, 58).padEnd(58)} ${String(r.kb).padStart(7)}   ${answer.padEnd(28)} ${(r.wall_ms / 1000).toFixed(1).padStart(6)} ${(r.cpu_ms / 1000).toFixed(1).padStart(7)} ${String(r.peak_rss_mb).padStart(12)}`);
}
const classes = new Map<string, number>();
for (const r of results) classes.set(`${r.class} ${r.codes.join('+')}`, (classes.get(`${r.class} ${r.codes.join('+')}`) ?? 0) + 1);
console.log('\nanswers:');
for (const [answer, count] of [...classes].sort((a, b) => b[1] - a[1])) console.log(`  ${String(count).padStart(4)}  ${answer}`);
const slowest = bySlowest[0];
const hungriest = [...results].sort((a, b) => b.peak_rss_mb - a.peak_rss_mb)[0];
if (slowest !== undefined && hungriest !== undefined) {
  console.log(`\nslowest: ${slowest.file}, ${(slowest.wall_ms / 1000).toFixed(1)} s wall, ${(slowest.cpu_ms / 1000).toFixed(1)} s CPU`);
  console.log(`peak memory: ${hungriest.file}, ${hungriest.peak_rss_mb} MB RSS (a process that reads nothing peaks near 100 MB under tsx)`);
}
