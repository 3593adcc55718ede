import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateRepairReport } from './generate.js';
import { DEV_TOKEN_PATH } from '../infra/local/identity-provider.js';
import { load, percentile } from './figures.js';

/**
 * What a dealer waits for: a report from upload to verdict through `npm start`'s own path —
 * the portal's presigned POST into the uploads bucket, the S3 event, the ingest handler, the
 * status route answering — driven over HTTP exactly as the portal does it, so the figures
 * hold whatever the code behind the routes is.
 *
 * The same run measures the previous code (`BENCH_BASE`, a git ref; default the commit before
 * the store's packed rows) from a detached worktree under .tmp/, so both sets of figures come
 * from the same machine at the same load. For each code: reports of 200 and 2,000 rows,
 * accepted (clean) and rejected (every 100th row with a date that is not one, so the
 * annotated workbook is written), on the on-disk store `npm start` keeps and, where the code
 * supports it, on the in-memory store (BACKOFFICE_DYNAMODB_IN_MEMORY=true).
 *
 * BENCH_BASE=none leaves the previous code out.
 * Prints medians and p95 of BENCH_UPLOADS uploads (default 20; BENCH_BASE_UPLOADS for the
 * previous code, default 5, because it takes seconds per upload), with the load average.
 */
const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 20);
const BASE_UPLOADS = Number(process.env.BENCH_BASE_UPLOADS ?? 5);
const BASE_REF = process.env.BENCH_BASE ?? '8976674';
const SIZES = (process.env.BENCH_LATENCY_ROWS ?? '200,2000').split(',').map(Number);
const debug = (...args: unknown[]) => {
  if (process.env.BENCH_DEBUG !== undefined) console.error(...args);
};

interface Portal {
  readonly url: string;
  readonly child: ChildProcess;
  readonly dataDir: string;
}

/** Starts `npm start`'s entry point from `codeDir` on a fresh data directory and any free port. */
async function startBackOffice(codeDir: string, inMemory: boolean): Promise<Portal> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-latency-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
    cwd: codeDir,
    env: {
      ...process.env,
      BACKOFFICE_DATA_DIR: dataDir,
      BACKOFFICE_PORTAL_PORT: '0',
      BACKOFFICE_DYNAMODB_IN_MEMORY: inMemory ? 'true' : '',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      NODE_OPTIONS: '--openssl-legacy-provider',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up in 120 s:\n${output}`)), 120_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Portal and API:\s+(http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
  return { url, child, dataDir };
}

async function stopBackOffice(portal: Portal): Promise<void> {
  const exited = new Promise((done) => portal.child.once('exit', done));
  portal.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((done) => setTimeout(done, 15_000))]);
  rmSync(portal.dataDir, { recursive: true, force: true });
}

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

interface Ticket {
  readonly upload_id: string;
  readonly form: { readonly url: string; readonly fields: Record<string, string> };
}

/**
 * One upload as the portal makes it; milliseconds from asking for the form to the verdict and,
 * where the code builds the unit histories after the verdict, to their being up to date. The
 * next upload waits for them, so every upload meets a quiet back office, as with code that
 * built them before its verdict.
 */
async function uploadOnce(portal: Portal, token: string, file: Uint8Array, period: string): Promise<{ ms: number; historiesMs: number; status: string }> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const started = performance.now();
  const ticket = await json<Ticket>(await fetch(`${portal.url}/api/dealers/D001/uploads`, { method: 'POST', headers, body: JSON.stringify({ type: 'repair', period }) }));
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.form.fields)) form.append(name, value);
  form.append('file', new Blob([file]), 'report.xlsx');
  const put = await fetch(ticket.form.url, { method: 'POST', body: form });
  debug('uploaded', put.status);
  if (!put.ok && put.status !== 204) throw new Error(`upload refused: ${put.status} ${await put.text()}`);
  const statusUrl = `${portal.url}/api/dealers/D001/uploads/repair/${period}/${ticket.upload_id}`;
  for (;;) {
    const answer = await json<{ state: string }>(await fetch(statusUrl, { headers }));
    debug('state', answer.state);
    if (answer.state === 'accepted' || answer.state === 'rejected') {
      const ms = performance.now() - started;
      return { ms, historiesMs: await historiesUpToDate(statusUrl, headers, started, ms), status: answer.state };
    }
    if (performance.now() - started > 600_000) throw new Error('no verdict in 10 minutes');
    await new Promise((done) => setTimeout(done, 20));
  }
}

/** Milliseconds from `started` until the status no longer says the histories are pending. */
async function historiesUpToDate(statusUrl: string, headers: Record<string, string>, started: number, verdictMs: number): Promise<number> {
  for (let first = true; ; first = false) {
    const answer = await json<{ submission?: { histories?: string } }>(await fetch(statusUrl, { headers }));
    if (answer.submission?.histories !== 'pending') return first ? verdictMs : performance.now() - started;
    if (performance.now() - started > 600_000) throw new Error('histories not up to date in 10 minutes');
    await new Promise((done) => setTimeout(done, 20));
  }
}

/** A checkout of `ref` beside this one, sharing its node_modules (the same dependencies). */
function baseCheckout(ref: string): string {
  const dir = resolve('.tmp', `latency-base-${ref}`);
  if (!existsSync(dir)) {
    execFileSync('git', ['worktree', 'add', '--detach', dir, ref], { stdio: 'ignore' });
    symlinkSync(resolve('node_modules'), join(dir, 'node_modules'));
  }
  return dir;
}

/** Whether the code in `dir` can keep DynamoDB Local in memory under `npm start`. */
const supportsInMemory = (dir: string): boolean => readFileSync(join(dir, 'infra/local/stack.ts'), 'utf8').includes('BACKOFFICE_DYNAMODB_IN_MEMORY');

mkdirSync(join('.tmp', 'bench'), { recursive: true });
const files = new Map<string, Uint8Array>();
for (const rows of SIZES) {
  for (const mistakes of [false, true]) {
    const file = join('.tmp', 'bench', `latency-${rows}${mistakes ? '-rejected' : ''}.xlsx`);
    if (!existsSync(file)) await generateRepairReport(rows, file, { mistakeEvery: mistakes ? 100 : 0 });
    files.set(`${rows}:${mistakes}`, readFileSync(file));
  }
}

console.log(`upload to verdict through npm start (presigned POST → S3 event → ingest → status route); ${new Date().toISOString().slice(0, 16)}Z`);
console.log('code          store    rows   case       uploads  median s   p95 s   min s   max s  histories median s  load');
// BENCH_BASE=none measures this code alone.
const codes = [{ name: 'now', dir: resolve('.') }, ...(BASE_REF === 'none' ? [] : [{ name: `base ${BASE_REF}`, dir: baseCheckout(BASE_REF) }])];
for (const code of codes) {
  for (const inMemory of [false, true]) {
    if (inMemory && !supportsInMemory(code.dir)) {
      console.log(`${code.name.padEnd(13)} memory   (this code keeps DynamoDB Local on disk only)`);
      continue;
    }
    const portal = await startBackOffice(code.dir, inMemory);
    try {
      const { token } = await json<{ token: string }>(await fetch(`${portal.url}${DEV_TOKEN_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'dealer-d001' }) }));
      // One upload first, not counted: the JVM's and Node's first calls are not what a dealer waits for.
      await uploadOnce(portal, token, files.get(`${SIZES[0]}:false`) ?? new Uint8Array(), '2026-01');
      const uploads = code.name === 'now' ? UPLOADS : BASE_UPLOADS;
      for (const rows of SIZES) {
        for (const mistakes of [false, true]) {
          const loadBefore = load();
          const times: number[] = [];
          const histories: number[] = [];
          for (let i = 0; i < uploads; i++) {
            const { ms, historiesMs, status } = await uploadOnce(portal, token, files.get(`${rows}:${mistakes}`) ?? new Uint8Array(), '2026-10');
            if (status !== (mistakes ? 'rejected' : 'accepted')) throw new Error(`expected ${mistakes ? 'rejected' : 'accepted'}, got ${status}`);
            times.push(ms / 1000);
            histories.push(historiesMs / 1000);
          }
          times.sort((a, b) => a - b);
          histories.sort((a, b) => a - b);
          const s = (n: number) => n.toFixed(2).padStart(7);
          console.log(
            `${code.name.padEnd(13)} ${(inMemory ? 'memory' : 'disk').padEnd(8)} ${String(rows).padStart(5)}   ${(mistakes ? 'rejected' : 'accepted').padEnd(9)} ${String(uploads).padStart(8)}  ${s(percentile(times, 50))} ${s(percentile(times, 95))} ${s(times[0] ?? NaN)} ${s(times.at(-1) ?? NaN)}  ${s(percentile(histories, 50)).padStart(19)}  ${loadBefore}–${load()}`,
          );
        }
      }
    } finally {
      await stopBackOffice(portal);
    }
  }
}
