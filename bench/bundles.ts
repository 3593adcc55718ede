import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { FUNCTION_BUNDLE } from '../infra/constructs/function-bundles.js';

/**
 * `npx tsx bench/bundles.ts [RUNS]`: bundles every Lambda entry in functions/ with the options
 * the stack bundles them with (infra/constructs/function-bundles.ts: ESM, minified, node24,
 * source maps without sources, AWS SDK external), into a temporary directory outside the repository, and prints
 * each bundle's size, whether it contains exceljs, and the median time to import it in a fresh
 * Node process (a cold-start proxy: module loading and top-level code, no handler call).
 * The AWS SDK resolves from this repository's node_modules, as it does from the runtime's on AWS.
 * Prints one JSON line per bundle after the table.
 */
const runs = Number(process.argv[2] ?? 10);
const SIZE_TARGET = 1.5 * 2 ** 20;
const IMPORT_TARGET_MS = 300;

/** What a function's environment holds at module load; names only, nothing is called. */
const dummyEnvironment = {
  TABLE_NAME: 'bench-table',
  UPLOADS_BUCKET: 'bench-uploads',
  REPORTS_BUCKET: 'bench-reports',
  INVOICES_BUCKET: 'bench-invoices',
  RECONCILE_QUEUE_URL: 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/bench-reconcile',
  AWS_REGION: 'cn-north-1',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  POWERTOOLS_DEV: 'false',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

export interface BundleFigures {
  readonly entry: string;
  readonly bytes: number;
  readonly exceljs: boolean;
  readonly import_ms_median: number;
  readonly import_ms_min: number;
  readonly import_ms_max: number;
  /** The same for only the AWS SDK packages the bundle imports, which Lambda's runtime provides. */
  readonly sdk_import_ms_median: number;
}

function medianImportMs(specifiers: readonly string[], cwd: string): { median: number; min: number; max: number } {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const imports = specifiers.map((s) => `await import(${JSON.stringify(s)});`).join(' ');
    const script = `const t = performance.now(); ${imports} process.stdout.write(String(performance.now() - t));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, ...dummyEnvironment } });
    times.push(Number(output));
  }
  return { median: Math.round(median(times)), min: Math.round(Math.min(...times)), max: Math.round(Math.max(...times)) };
}

const out = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
try {
  // The SDK is left out of every bundle; Lambda's runtime provides it, here the repository does.
  symlinkSync(resolve('node_modules'), join(out, 'node_modules'), 'dir');
  writeFileSync(join(out, 'package.json'), '{"type":"module"}');
  const entries = readdirSync('functions').filter((f) => f.endsWith('.ts')).sort();
  const figures: BundleFigures[] = [];
  for (const entry of entries) {
    const outfile = join(out, basename(entry, '.ts'), 'index.mjs');
    const result = await build({
      entryPoints: [join('functions', entry)],
      outfile,
      ...FUNCTION_BUNDLE,
      metafile: true,
      logLevel: 'error',
    });
    const inputs = Object.keys(result.metafile.inputs);
    const sdk = [...new Set(Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external && i.path.startsWith('@aws-sdk/')).map((i) => i.path)))];
    const whole = medianImportMs([pathToFileURL(outfile).href], out);
    figures.push({
      entry,
      bytes: statSync(outfile).size,
      exceljs: inputs.some((path) => path.includes('node_modules/exceljs/')),
      import_ms_median: whole.median,
      import_ms_min: whole.min,
      import_ms_max: whole.max,
      sdk_import_ms_median: medianImportMs(sdk, out).median,
    });
  }
  console.log(`bundle                    size KB  exceljs  import ms (median of ${runs}, min–max; of which AWS SDK alone)`);
  for (const f of figures) {
    const size = `${(f.bytes / 1024).toFixed(0)}${f.bytes > SIZE_TARGET ? ' (over 1.5 MB)' : ''}`;
    const time = `${f.import_ms_median} (${f.import_ms_min}–${f.import_ms_max}; SDK ${f.sdk_import_ms_median})${f.import_ms_median > IMPORT_TARGET_MS ? ' over 300 ms' : ''}`;
    console.log(`${f.entry.padEnd(24)} ${size.padStart(8)}  ${(f.exceljs ? 'yes' : 'no').padEnd(7)}  ${time}`);
  }
  for (const f of figures) console.log(JSON.stringify(f));
} finally {
  rmSync(out, { recursive: true, force: true });
}
