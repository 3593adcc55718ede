import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInThroughIssuer, startBackOffice, type RunningBackOffice } from '../helpers/running-back-office.js';
import { confirmDialog } from '../helpers/portal-quality.js';
import { chromium, type Browser, type Page } from 'playwright-core';
import { joinRunningStack } from '../../infra/local/stack.js';
import { createAdapters } from '../../shared/compose.js';
import { reconcilePeriod } from '../../shared/app/reconcile.js';
import { writeInvoiceWorkbook } from '../../shared/sheets/invoice-workbook.js';
import { shipment } from '../helpers/ledger.js';

/**
 * Issue 12 in the portal, headless Chromium against `npm start` on a data directory of its
 * own: D001 kept 2 valves lent 2026-08-01 past their deadline (FY-2026-10-0001, ¥71.00);
 * finance reads the form's history, records a part payment and sees the balance, archives the
 * form and finds it on the consolidated-invoicing list; the admin corrects a ledger line; the
 * dealer sees its own balance and downloads its own form.
 */
let dataDir: string;
let backOffice: RunningBackOffice | undefined;
let portalUrl: string;
let browser: Browser;

async function signInAs(page: Page, user: string): Promise<void> {
  await signInThroughIssuer(page, portalUrl, user);
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'backoffice-finance-e2e-'));
  backOffice = await startBackOffice(dataDir);
  portalUrl = backOffice.url;
  const config = await joinRunningStack(dataDir);
  if (config === undefined) throw new Error('npm start is not running');
  const adapters = createAdapters(config);
  await adapters.ledger.record('shipments', [shipment({ shipment_id: 'S1', shipped_date: '2026-08-01', qty: 2 })], 'e2e');
  await reconcilePeriod({ ...adapters, config, renderInvoice: writeInvoiceWorkbook }, { period: '2026-10', as_of: '2026-11-05' });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await backOffice?.stop();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
}, 60_000);

describe('finance in the portal', () => {
  it('reads a form\'s history, records a part payment, sees the balance, and lists the archived form for consolidated invoicing', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInAs(page, 'finance');
    await page.locator('#nav-form').click();
    await page.locator('#life-invoice').fill('FY-2026-10-0001');
    await page.locator('#life-load').click();
    await expect.poll(() => page.locator('#life-summary').textContent()).toContain('71.00');

    await page.locator('#pay-amount').fill('30.00');
    await page.locator('#pay-date').fill('2026-12-07');
    await page.locator('#pay-reference').fill('TX-1');
    await page.locator('#life-pay').click();
    await expect.poll(() => page.locator('#life-summary').textContent()).toContain('41.00');
    expect(await page.locator('#life-payments li').count()).toBe(1);

    await page.locator('#pay-amount').fill('99.00');
    await page.locator('#life-pay').click();
    await expect.poll(() => page.locator('#life-result').textContent()).toContain('尚欠');

    await page.locator('#life-tax-archive').click();
    await expect.poll(() => page.locator('#life-summary').textContent()).toContain('存档待合并开票');

    await page.locator('#nav-balances').click();
    await expect.poll(() => page.locator('#balance-D001 .balance').textContent()).toBe('¥41.00');

    await page.locator('#nav-invoices').click();
    await page.locator('#period').fill('2026-10');
    await page.locator('#search').click();
    await page.locator('#download-FY-2026-10-0001').waitFor();
    expect(await page.locator('#status-FY-2026-10-0001 option[value="paid"]').count()).toBe(0);
    await page.locator('#nav-consolidated').click();
    await page.locator('#consolidated-dealer').fill('D001');
    await page.locator('#consolidated-load').click();
    await expect.poll(() => page.locator('#consolidated-total').textContent()).toContain('71.00');
    await page.close();
  }, 180_000);

  it('the admin corrects a ledger line and sees its history; the dealer sees its own balance only and downloads its own form', async () => {
    const admin = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInAs(admin, 'admin');
    await admin.locator('#nav-corrections').click();
    await admin.locator('#correct-type').selectOption('shipments');
    await admin.locator('#correct-id').fill('S1');
    await admin.locator('#correct-qty').fill('1');
    await admin.locator('#correct-reason').fill('typed 2 for 1');
    await admin.locator('#correct-submit').click();
    await confirmDialog(admin);
    await expect.poll(() => admin.locator('#correct-result').textContent()).toContain('S1 #1: 2 → 1');
    await admin.close();

    const dealer = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInAs(dealer, 'dealer-d001');
    await dealer.locator('#nav-balances').click();
    await expect.poll(() => dealer.locator('#balances tbody tr').count()).toBe(1);
    expect(await dealer.locator('#balance-D001 .balance').textContent()).toBe('¥41.00');
    await dealer.locator('#nav-position').click();
    const [form] = await Promise.all([dealer.waitForEvent('download'), dealer.locator('#form-download-FY-2026-10-0001').click()]);
    expect(form.suggestedFilename()).toBe('FY-2026-10-0001.xlsx');
    await dealer.close();
  }, 180_000);
});
