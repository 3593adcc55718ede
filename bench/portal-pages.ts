import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { joinRunningStack } from '../infra/local/stack.js';
import { createAdapters } from '../shared/compose.js';
import { ingestLedger } from '../shared/app/ingest-ledger.js';
import { ingestReport } from '../shared/app/ingest-report.js';
import { reconcilePeriod } from '../shared/app/reconcile.js';
import { writeInvoiceWorkbook } from '../shared/sheets/invoice-workbook.js';
import { chromiumExecutable, seedSession, sessionOf, signInThroughIssuer, spawnBackOffice } from '../test/helpers/back-office-process.js';
import { ledgerWorkbook, repairRow, reportWorkbook, shipmentRow } from '../test/helpers/reports.js';
import { load, percentile } from './figures.js';

/**
 * `npx tsx bench/portal-pages.ts`: what each page of the portal costs on its first load, per
 * role. `npm start` on a temp data directory (DynamoDB Local in memory) with a little data: D001's
 * October repair report, three valves shipped against it and October reconciled (so forms, a run
 * and its report exist). Headless Chromium; each role signs in through the issuer once, then each
 * page of its menu (`#nav-*`) is opened `BENCH_SAMPLES` times (default 3), each time in a fresh
 * context (nothing cached) on `#/<page>` with the session already in the tab, as a bookmark
 * opened in a signed-in tab would be. Per page, the median of:
 *   settled   ms from navigation start until the page is settled: the last response (API,
 *             chunks), the render that followed it, and the last antd skeleton or spinner gone,
 *             whichever is latest (taken once the network has been idle 500 ms and nothing spins)
 *   DCL, load the browser's navigation timing
 *   JS/CSS    bytes of scripts and stylesheets transferred (gzipped as served)
 *   API       `/api/` requests made until settled, their bytes transferred, and every non-2xx
 * Asserts nothing.
 */
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? '3');
const ROLES = ['dealer-d001', 'finance', 'admin', 'warehouse', 'manager'];
const BUSY = '.ant-skeleton, .ant-spin-spinning';
const IDLE_TIMEOUT_MS = 20_000;

interface Sample {
  readonly settled: number;
  readonly dcl: number;
  readonly load: number;
  readonly jsCssBytes: number;
  readonly apiCalls: number;
  readonly apiBytes: number;
  readonly refused: readonly string[];
  readonly neverIdle: boolean;
}

/** What the page's own timeline says, read in the page (the bench compiles without the DOM library). */
interface Timeline {
  readonly dcl: number;
  readonly load: number;
  readonly lastResponse: number;
  readonly jsCss: number;
  readonly api: number;
  readonly apiBytes: number;
  readonly busyGoneAt: number;
  readonly mutations: readonly number[];
}

/**
 * Runs in the page before the portal: notes when the DOM changes and when the last skeleton or
 * spinner went away, on the page's clock (ms since navigation start).
 */
function watchDom(busy: string): void {
  const w = globalThis as unknown as {
    __mutations: number[];
    __busyGoneAt: number;
    document: { documentElement: unknown; querySelector(s: string): unknown };
    MutationObserver: new (f: () => void) => { observe(target: unknown, options: object): void };
    performance: { now(): number };
  };
  w.__mutations = [];
  w.__busyGoneAt = 0;
  let wasBusy = false;
  // Init scripts run once the document exists. No named functions in here: tsx's names for
  // them refer to a helper the page does not have.
  new w.MutationObserver(() => {
    const now = w.performance.now();
    if (w.__mutations.length < 5000) w.__mutations.push(now);
    const isBusy = w.document.querySelector(busy) !== null;
    if (wasBusy && !isBusy) w.__busyGoneAt = now;
    wasBusy = isBusy;
  }).observe(w.document.documentElement, { childList: true, subtree: true, attributes: true });
}

function readTimeline(): Timeline {
  type Entry = { name: string; responseEnd: number; transferSize: number; domContentLoadedEventEnd: number; loadEventEnd: number };
  const w = globalThis as unknown as { __mutations: number[]; __busyGoneAt: number; performance: { getEntriesByType(t: string): Entry[] } };
  const nav = w.performance.getEntriesByType('navigation')[0];
  const resources = w.performance.getEntriesByType('resource');
  const jsCss = resources.filter((r) => /\.(m?js|css)$/.test(new URL(r.name).pathname));
  const api = resources.filter((r) => new URL(r.name).pathname.startsWith('/api/'));
  return {
    dcl: nav?.domContentLoadedEventEnd ?? 0,
    load: nav?.loadEventEnd ?? 0,
    lastResponse: Math.max(nav?.responseEnd ?? 0, ...resources.map((r) => r.responseEnd)),
    jsCss: jsCss.reduce((sum, r) => sum + r.transferSize, 0),
    api: api.length,
    apiBytes: api.reduce((sum, r) => sum + r.transferSize, 0),
    busyGoneAt: w.__busyGoneAt,
    mutations: w.__mutations,
  };
}

async function firstLoad(browser: Browser, url: string, session: string, page: string): Promise<Sample> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const tab = await context.newPage();
    await seedSession(tab, session);
    await tab.addInitScript(watchDom, BUSY);
    const refused: string[] = [];
    tab.on('response', (response) => {
      const { pathname } = new URL(response.url());
      if (pathname.startsWith('/api/') && (response.status() < 200 || response.status() > 299)) refused.push(`${response.status()} ${response.request().method()} ${pathname}`);
    });
    await tab.goto(`${url}#/${page}`);
    let neverIdle = false;
    try {
      await tab.waitForLoadState('networkidle', { timeout: IDLE_TIMEOUT_MS });
      await tab.waitForFunction((busy) => (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector(busy) === null, BUSY, { timeout: IDLE_TIMEOUT_MS, polling: 100 });
      await tab.waitForLoadState('networkidle', { timeout: IDLE_TIMEOUT_MS });
    } catch {
      neverIdle = true;
    }
    const t = await tab.evaluate(readTimeline);
    // The render that answered the last response: the first DOM change after it.
    const rendered = t.mutations.find((m) => m >= t.lastResponse) ?? t.lastResponse;
    return {
      settled: Math.max(t.load, t.lastResponse, rendered, t.busyGoneAt),
      dcl: t.dcl,
      load: t.load,
      jsCssBytes: t.jsCss,
      apiCalls: t.api,
      apiBytes: t.apiBytes,
      refused,
      neverIdle,
    };
  } finally {
    await context.close();
  }
}

/** The session the issuer gives `user`, and the pages of its menu in menu order. */
async function signInOnce(browser: Browser, url: string, user: string): Promise<{ session: string; pages: string[] }> {
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    await signInThroughIssuer(tab, url, user);
    const session = await sessionOf(tab);
    if (session === null) throw new Error(`${user}: no session after signing in`);
    const links = await tab.locator('a[id^="nav-"]').evaluateAll((as) => as.map((a) => (a as unknown as { id: string }).id.slice('nav-'.length)));
    return { session, pages: links };
  } finally {
    await context.close();
  }
}

const kb = (bytes: number): string => (bytes / 1024).toFixed(1);

async function seed(dataDir: string): Promise<void> {
  const config = await joinRunningStack(dataDir);
  if (config === undefined) throw new Error('npm start is not running');
  const adapters = createAdapters(config);
  const receivedAt = new Date('2026-11-02T10:00:00+08:00');
  await ingestReport({ ...adapters, config }, {
    bytes: await reportWorkbook('repair', [repairRow(), repairRow({ repair_id: 'RP-0002', serial_no: 'SN-WC-0002', charge_cause: '使用不当' }), repairRow({ repair_id: 'RP-0003', serial_no: 'SN-WC-0003' })]),
    target: { dealer: 'D001', type: 'repair', period: '2026-10' },
    receivedAt,
    sourceId: 'bench-repairs',
  });
  await ingestLedger({ ...adapters, config }, {
    bytes: await ledgerWorkbook('shipments', [
      shipmentRow({ shipment_id: 'S1', shipped_date: '2026-08-01', qty: 2 }),
      shipmentRow({ shipment_id: 'S2', shipped_date: '2026-10-09', qty: 1, repair_id: 'RP-0002' }),
      shipmentRow({ shipment_id: 'S3', shipped_date: '2026-10-09', qty: 1, repair_id: 'RP-0003' }),
    ]),
    type: 'shipments',
    receivedAt,
    sourceId: 'bench-shipments',
  });
  await reconcilePeriod({ ...adapters, config, renderInvoice: writeInvoiceWorkbook }, { period: '2026-10', as_of: '2026-11-05' });
}

const dataDir = await mkdtemp(join(tmpdir(), 'bench-portal-pages-'));
const backOffice = await spawnBackOffice(dataDir, { BACKOFFICE_DYNAMODB_IN_MEMORY: 'true', BACKOFFICE_DYNAMODB_ENDPOINT: '' });
let browser: Browser | undefined;
try {
  await seed(dataDir);
  browser = await chromium.launch({ executablePath: chromiumExecutable(), args: ['--no-sandbox'] });
  console.log(`each page's first load, p50 of ${SAMPLES} (fresh context, signed in; load ${load()})`);
  const results: Record<string, Record<string, Sample>> = {};
  for (const role of ROLES) {
    const { session, pages } = await signInOnce(browser, backOffice.url, role);
    console.log(`\n${role} (load ${load()})`);
    console.log('page              settled ms   DCL ms  load ms  JS/CSS KB  API calls  API KB  non-2xx');
    results[role] = {};
    for (const page of pages) {
      const samples: Sample[] = [];
      for (let i = 0; i < SAMPLES; i += 1) samples.push(await firstLoad(browser, backOffice.url, session, page));
      const p50 = (pick: (s: Sample) => number) => percentile(samples.map(pick).sort((a, b) => a - b), 50);
      const refused = [...new Set(samples.flatMap((s) => s.refused))];
      const row: Sample = { settled: p50((s) => s.settled), dcl: p50((s) => s.dcl), load: p50((s) => s.load), jsCssBytes: p50((s) => s.jsCssBytes), apiCalls: p50((s) => s.apiCalls), apiBytes: p50((s) => s.apiBytes), refused, neverIdle: samples.some((s) => s.neverIdle) };
      results[role][page] = row;
      console.log(
        `${page.padEnd(16)} ${row.settled.toFixed(0).padStart(11)} ${row.dcl.toFixed(0).padStart(8)} ${row.load.toFixed(0).padStart(8)} ${kb(row.jsCssBytes).padStart(10)} ${String(row.apiCalls).padStart(10)} ${kb(row.apiBytes).padStart(7)}  ${refused.join(', ') || '—'}${row.neverIdle ? '  (not settled within 20 s)' : ''}`,
      );
    }
  }
  console.log(`(load after: ${load()})`);
  console.log(JSON.stringify(results));
} finally {
  await browser?.close();
  await backOffice.stop();
  await rm(dataDir, { recursive: true, force: true });
}
