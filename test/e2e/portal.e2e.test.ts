import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eBrowser, signIn, signInThroughIssuer, startBackOffice, type RunningBackOffice } from '../helpers/running-back-office.js';
import { replaceSession, sessionOf } from '../helpers/back-office-process.js';
import { confirmDialog, consoleErrors, screenshot, seriousA11yViolations } from '../helpers/portal-quality.js';
import type { Browser, Page } from 'playwright-core';
import ExcelJS from 'exceljs';
import { generateKeyPair, SignJWT } from 'jose';
import { DEV_TOKEN_PATH } from '../../infra/local/identity-provider.js';
import { joinRunningStack } from '../../infra/local/stack.js';
import { createAdapters } from '../../shared/compose.js';
import { buildInvoice } from '../../shared/domain/invoice.js';
import { parseYuan } from '../../shared/domain/money.js';
import { invoiceWorkbookKey, reconcilePeriod } from '../../shared/app/reconcile.js';
import { writeInvoiceWorkbook } from '../../shared/sheets/invoice-workbook.js';
import { ledgerWorkbook, masterWorkbook, repairRow, reportWorkbook, shipmentRow } from '../helpers/reports.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { XLSX_CONTENT_TYPE } from '../../shared/sheets/content-type.js';

/**
 * The portal in headless Chromium against `npm start` on a data directory of its own: a
 * dealer does its month, finance downloads an invoice. Screenshots of the main pages go to
 * test/e2e/artifacts/, with the files the tests download.
 */
const ARTIFACTS = join(import.meta.dirname, 'artifacts');
let dataDir: string;
let backOffice: RunningBackOffice | undefined;
let portalUrl: string;
let browser: Browser;
let invoiceNo: string;

/** An invoice for D001 in October, as the month-end reconciliation leaves it. */
async function seedInvoice(): Promise<string> {
  const config = await joinRunningStack(dataDir);
  if (config === undefined) throw new Error('npm start is not running');
  const adapters = createAdapters(config);
  const created = await adapters.invoices.create('D001', '2026-10', 0, (invoice_no) => ({
    ...buildInvoice({
      invoice_no,
      dealer: { code: 'D001', name: '华东卫浴服务中心', payment_method: '银行转账' },
      period: '2026-10',
      issued_on: '2026-11-05',
      tax_invoice_now: true,
      lines: [{ part_code: 'P-VALVE-01', part_name: '进水阀', qty: 3, unit_price: parseYuan('35.50'), reason: 'de_facto_possession', lot: { lot_id: 'L1', shipment_id: 'S-0001', shipped_date: '2026-07-10', due_date: '2026-09-08' } }],
    }),
    as_of: '2026-11-05',
    workbook_key: null,
  }));
  if (created.status !== 'created') throw new Error('no invoice');
  const key = invoiceWorkbookKey(created.invoice);
  await adapters.blobs.put('invoices', key, await writeInvoiceWorkbook(created.invoice), XLSX_CONTENT_TYPE);
  await adapters.invoices.setWorkbook(created.invoice, key);
  await reconcilePeriod({ ...adapters, config, renderInvoice: writeInvoiceWorkbook }, { period: '2026-10', as_of: '2026-11-05' });
  return created.invoice.invoice_no;
}

async function signInAs(page: Page, user: string): Promise<void> {
  await signIn(page, portalUrl, user);
}

async function workbookSheets(path: string): Promise<string[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook.worksheets.map((s) => s.name);
}

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  dataDir = await mkdtemp(join(tmpdir(), 'backoffice-e2e-'));
  backOffice = await startBackOffice(dataDir);
  portalUrl = backOffice.url;
  invoiceNo = await seedInvoice();
  browser = await e2eBrowser();
});

afterAll(async () => {
  await browser?.close();
  await backOffice?.stop();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

describe('the portal', () => {
  it('a dealer downloads a template, uploads a report with mistakes, sees them, uploads the fixed one and sees it accepted', async () => {
    const page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    await signInAs(page, 'dealer-d001');
    await page.locator('#nav-upload').click();
    await page.locator('#period').fill('2026-10');
    await screenshot(page, 'dealer-home');

    const [template] = await Promise.all([page.waitForEvent('download'), page.locator('#template-repair').click()]);
    const templatePath = join(ARTIFACTS, 'repair-template.xlsx');
    await template.saveAs(templatePath);
    expect(await workbookSheets(templatePath)).toHaveLength(1);

    const bad = join(dataDir, 'repair-with-mistakes.xlsx');
    await writeFile(bad, await reportWorkbook('repair', [repairRow({ part_qty: 0 }), repairRow({ repair_id: 'RP-0002', part_code: 'P-NO-SUCH-PART' })]));
    await page.locator('#file-repair').setInputFiles(bad);
    const rejected = page.locator('#result-repair [data-state="rejected"]');
    await rejected.waitFor({ timeout: 30_000 });
    // Both rows listed, each kind of mistake counted once, the column by its Chinese heading (not its field id).
    await expect.poll(() => rejected.locator('[data-severity="error"] tr.ant-table-row').count()).toBe(2);
    expect(await rejected.locator('[data-severity="error"] .issue-groups li').count()).toBe(2);
    expect(await rejected.textContent()).toContain('数量');
    expect(await rejected.textContent()).not.toContain('part_qty');
    expect(await page.locator('#annotated').getAttribute('href')).toMatch(/^http/);
    await screenshot(page, 'dealer-errors');

    const good = join(dataDir, 'repair-fixed.xlsx');
    await writeFile(good, await reportWorkbook('repair', [repairRow(), repairRow({ repair_id: 'RP-0002' })]));
    await page.locator('#file-repair').setInputFiles(good);
    await page.locator('#result-repair [data-state="accepted"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('#history tr.ant-table-row').count()).toBe(2);
    await screenshot(page, 'dealer-accepted');
    // The rejected version reopens from the month's list, with its errors and annotated workbook.
    await page.locator('#history tr.ant-table-row').filter({ hasText: '已退回' }).locator('button.open-version').click();
    await page.locator('#version-detail [data-state="rejected"] [data-severity="error"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#version-detail a#annotated').getAttribute('href')).toMatch(/^http/);
    await page.keyboard.press('Escape');

    await page.locator('#lang').click();
    expect(await page.locator('h1').textContent()).toBe('After-sales back office');
    // The verdict stays on the page across the switch, now in English.
    expect(await page.locator('#result-repair [data-state="accepted"]').textContent()).toContain('Version');
    await page.setViewportSize({ width: 390, height: 844 });
    // Usable on a phone: nothing wider than the screen, so no sideways scrolling.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await screenshot(page, 'dealer-phone-en');
    await page.close();
  });

  it('an admin downloads the master-data template, uploads a workbook with a mistake, sees it by sheet, uploads the fixed one and sees it loaded', async () => {
    const page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    await signInAs(page, 'admin');
    await page.locator('#nav-master').click();
    const [template] = await Promise.all([page.waitForEvent('download'), page.locator('#master-template').click()]);
    const templatePath = join(ARTIFACTS, 'master-data-template.xlsx');
    await template.saveAs(templatePath);
    expect(await workbookSheets(templatePath)).toHaveLength(3);

    const newDealer = { ...DEMO_DEALERS[0]!, dealer_code: 'D004', dealer_name: '华南卫浴服务中心' };
    const bad = join(dataDir, 'master-with-mistake.xlsx');
    await writeFile(bad, await masterWorkbook({ dealers: [...DEMO_DEALERS, newDealer], products: [...DEMO_PRODUCTS, { product_model: 'XX-1', product_name: '坏数据', warranty_months: 'twelve' }], parts: DEMO_PARTS }));
    await page.locator('#file-master').setInputFiles(bad);
    const rejected = page.locator('#result-master [data-state="rejected"]');
    await rejected.waitFor({ timeout: 30_000 });
    expect(await rejected.textContent()).toContain('保修月数');
    expect(await rejected.textContent()).not.toContain('warranty_months');
    expect(await page.locator('#master-annotated').getAttribute('href')).toMatch(/^http/);
    await screenshot(page, 'admin-master-errors');

    const good = join(dataDir, 'master-fixed.xlsx');
    await writeFile(good, await masterWorkbook({ dealers: [...DEMO_DEALERS, newDealer], products: DEMO_PRODUCTS, parts: DEMO_PARTS }));
    await page.locator('#file-master').setInputFiles(good);
    const accepted = page.locator('#result-master [data-state="accepted"]');
    await accepted.waitFor({ timeout: 30_000 });
    expect(await accepted.textContent()).toContain(String(DEMO_DEALERS.length + 1));
    await screenshot(page, 'admin-master-accepted');
    await page.close();
  });

  it('an admin uploads a shipments file, sees it being recorded, then its counts', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInAs(page, 'admin');
    await page.locator('#nav-ledger').click();
    const file = join(dataDir, 'shipments.xlsx');
    await writeFile(file, await ledgerWorkbook('shipments', [shipmentRow({ shipment_id: 'S-E2E-1' }), shipmentRow({ shipment_id: 'S-E2E-2' })]));
    await page.locator('#file-shipments').setInputFiles(file);
    const done = page.locator('#result-shipments [data-state="accepted"]');
    await done.waitFor({ timeout: 60_000 });
    expect(await done.textContent()).toMatch(/^(已接收|Accepted) · 2 /);
    await screenshot(page, 'admin-shipments-recorded');
    await page.close();
  });

  it('finance finds the month’s forms, downloads one that opens, marks it issued in its drawer, asks for the statistics and sees them when made, and downloads the reconciliation the run made', async () => {
    const page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    const errors = consoleErrors(page);
    await signInAs(page, 'finance');
    await page.locator('#nav-invoices').click();
    await page.locator('#forms-period').fill('2026-10');
    await page.locator('#forms-search').click();
    await page.locator(`#form-download-${invoiceNo}`).waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`#form-download-${invoiceNo}`).click()]);
    const invoicePath = join(ARTIFACTS, `${invoiceNo}.xlsx`);
    await download.saveAs(invoicePath);
    expect((await readFile(invoicePath)).subarray(0, 2).toString()).toBe('PK');
    expect((await workbookSheets(invoicePath)).length).toBeGreaterThan(0);

    await page.locator(`#form-open-${invoiceNo}`).click();
    await page.locator('#life-issue').click();
    await confirmDialog(page);
    await expect.poll(() => page.locator('#life-summary').textContent()).toContain('已开票');
    await page.locator('.form-drawer .ant-drawer-close').click();

    await page.locator('#nav-statistics').click();
    await page.locator('#period').fill('2026-10');
    await page.locator('#load-stats').click();
    // Asked for, made by the statistics worker off the request path, then shown when ready.
    await page.locator('#statistics svg').waitFor({ timeout: 30_000 });
    expect(await page.locator('#stats-made-at').textContent()).toMatch(/^生成于 /);
    expect(await page.locator('#stats-download').getAttribute('href')).toMatch(/^http/);

    await page.locator('#nav-reconciliation').click();
    await page.locator('#run-period').fill('2026-10');
    await page.locator('#run-as-of').fill('2026-11-05');
    // The run of that date is done: its progress and the workbook it wrote.
    await expect.poll(() => page.locator('#run-progress').getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
    const [sheet] = await Promise.all([page.waitForEvent('download'), page.locator('#run-download').click()]);
    const sheetPath = join(ARTIFACTS, 'reconciliation-2026-10.xlsx');
    await sheet.saveAs(sheetPath);
    expect(await workbookSheets(sheetPath)).toContain('盘点汇总 Summary');

    // Every dealer's balance as a workbook, from the balances page.
    await page.locator('#nav-balances').click();
    const [balances] = await Promise.all([page.waitForEvent('download'), page.locator('#balances-export').click()]);
    const balancesPath = join(ARTIFACTS, 'balances.xlsx');
    await balances.saveAs(balancesPath);
    expect(await workbookSheets(balancesPath)).toEqual(['余额 Balances']);
    await screenshot(page, 'finance');
    // The drawer, the confirmation and the downloads under the portal's CSP (style-src 'self'): nothing refused.
    expect(errors.filter((e) => e.includes('Content Security Policy') || e.startsWith('CSP '))).toEqual([]);
    await page.close();
  });
});

describe('the quality bars of issue 25', () => {
  it('every role\'s to-do home has no serious or critical axe violation in either language and no console error; the dealer\'s pages never scroll sideways on a phone', async () => {
    const found: string[] = [];
    // The roles side by side, each in a context of its own: most of a role's walk is waiting on the page.
    await Promise.all(['dealer-d001', 'finance', 'admin', 'warehouse', 'manager'].map(async (user) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const errors = consoleErrors(page);
      await signInAs(page, user);
      await page.locator('#todo .ant-statistic').first().waitFor({ timeout: 30_000 });
      await expect.poll(() => page.locator('#todo .ant-skeleton').count()).toBe(0);
      for (const language of ['zh', 'en']) {
        found.push(...(await seriousA11yViolations(page)).map((v) => `${user} ${language}: ${v}`));
        await screenshot(page, `home-${user}-${language}`);
        await page.locator('#lang').click();
        await page.locator('#todo .ant-statistic').first().waitFor({ timeout: 30_000 });
      }
      if (user === 'dealer-d001') {
        await page.setViewportSize({ width: 390, height: 844 });
        for (const route of ['upload', 'requests', 'position', 'messages', 'balances', 'quality']) {
          await page.goto(`${portalUrl}/#/${route}`);
          await page.locator('main .page > div').first().waitFor();
          await page.waitForLoadState('networkidle');
          const width = await page.evaluate<number>('document.documentElement.scrollWidth');
          if (width > 390) found.push(`dealer phone: #/${route} is ${width} px wide`);
          await screenshot(page, `phone-${route}`);
        }
      }
      found.push(...errors.map((e) => `${user} console: ${e}`));
      await context.close();
    }));
    expect(found).toEqual([]);
  });

  it('names what axe finds serious or critical on a page, and leaves out what it rates lower', async () => {
    const page = await browser.newPage();
    // An image without a text (critical), faint text (serious), and text outside every landmark (moderate).
    await page.setContent(
      '<html lang="en"><head><title>scan</title></head><body><main><h1>Scan</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">' +
        '<p style="color:#c8c8c8;background:#fff">faint</p></main><div>outside</div></body></html>',
    );
    expect((await seriousA11yViolations(page)).sort()).toEqual([expect.stringMatching(/^color-contrast \(serious\): p$/), expect.stringMatching(/^image-alt \(critical\): img$/)]);
    // The same document scanned again, once the image has its text: axe is already in the page.
    await page.locator('img').evaluate((image) => image.setAttribute('alt', 'logo'));
    expect(await seriousA11yViolations(page)).toEqual(['color-contrast (serious): p']);
    await page.close();
  });

  it('stands a spinner still for someone who asked for less motion, and keeps it turning for anyone else', async () => {
    for (const reducedMotion of ['reduce', 'no-preference'] as const) {
      // Prepare: an API that never answers, so that the page stays loading.
      const context = await browser.newContext({ reducedMotion, viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await signInAs(page, 'finance');
      await page.route('**/api/**', () => undefined);
      // Act
      await page.locator('#nav-balances').click();
      await page.locator('.ant-spin-spinning').first().waitFor();
      // Assess: the spinner is shown either way; only one of the two sees it turn for ever.
      const endless = await page.evaluate<number>(
        'document.getAnimations().filter((a) => a.playState === "running" && a.effect.getComputedTiming().iterations === Infinity).length',
      );
      if (reducedMotion === 'reduce') expect(endless).toBe(0);
      else expect(endless).toBeGreaterThan(0);
      await context.close();
    }
  });

  it('serves the page, its favicon and config, and its hashed scripts compressed and cached for a year', async () => {
    const page = await fetch(`${portalUrl}/`);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const script = /src="(\/assets\/app-[A-Z0-9]+\.js)"/.exec(await page.text())?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${portalUrl}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    for (const path of ['/favicon.svg', '/config.json']) expect((await fetch(`${portalUrl}${path}`)).status).toBe(200);
  });
});

describe('sign-in through the local OpenID Connect provider', () => {
  const mint = async (body: Record<string, unknown>): Promise<string> =>
    ((await (await fetch(`${portalUrl}${DEV_TOKEN_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as { token: string }).token;
  const me = (token: string) => fetch(`${portalUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } });

  it('publishes a discovery document the portal signs in with, and the API accepts its tokens, not expired ones or another issuer’s', async () => {
    const discovery = (await (await fetch(`${portalUrl}/oidc/.well-known/openid-configuration`)).json()) as { issuer: string; code_challenge_methods_supported: string[]; grant_types_supported: string[] };
    expect(discovery.issuer).toBe(`${portalUrl}/oidc`);
    expect(discovery.code_challenge_methods_supported).toContain('S256');
    expect(discovery.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token']));

    expect((await me(await mint({ user: 'finance' }))).status).toBe(200);
    expect((await me(await mint({ user: 'finance', seconds: -60 }))).status).toBe(401);
    const { privateKey } = await generateKeyPair('RS256');
    const foreign = await new SignJWT({ 'cognito:groups': ['finance'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'foreign' })
      .setIssuer('https://sso.other.example/realms/x')
      .setAudience('backoffice-portal')
      .setSubject('finance')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    expect((await me(foreign)).status).toBe(401);
  });

  it('signs a user in in the browser, and a session whose token expired and cannot be refreshed asks to sign in again', async () => {
    const page = await browser.newPage();
    await signInThroughIssuer(page, portalUrl, 'finance');
    const session = JSON.parse((await sessionOf(page)) ?? 'null') as { idToken: string; refreshToken?: string };
    expect(session.refreshToken).toEqual(expect.any(String));
    expect((await me(session.idToken)).status).toBe(200);

    const expired = await mint({ user: 'finance', seconds: -60 });
    await replaceSession(page, JSON.stringify({ idToken: expired, expiresAt: Date.now() + 3_600_000 }));
    await page.reload();
    await page.locator('#signin').waitFor();
    expect(await page.locator('main').textContent()).toContain('登录已过期');
    await page.close();
  });
});
