import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eBrowser, signIn, startBackOffice, type RunningBackOffice } from '../helpers/running-back-office.js';
import { confirmDialog, consoleErrors, seriousA11yViolations } from '../helpers/portal-quality.js';
import type { Browser, Page } from 'playwright-core';
import { joinRunningStack } from '../../infra/local/stack.js';
import { createAdapters } from '../../shared/compose.js';
import { reconcilePeriod } from '../../shared/app/reconcile.js';
import { writeInvoiceWorkbook } from '../../shared/sheets/invoice-workbook.js';
import { shipment } from '../helpers/ledger.js';

/**
 * Issue 12 in the portal, headless Chromium against `npm start` on a data directory of its
 * own: D001 kept 2 valves lent 2026-08-01 past their deadline (FY-2026-10-0001, ¥71.00);
 * finance finds it among the open forms, records a part payment from its row, reads its
 * history in its drawer, archives it and finds it on the consolidated-invoicing list, exports
 * the list and starts a month-end run from the portal; the admin corrects a ledger line; the
 * dealer sees its own balance and downloads its own form.
 */
let dataDir: string;
let backOffice: RunningBackOffice | undefined;
let portalUrl: string;
let browser: Browser;

async function signInAs(page: Page, user: string): Promise<void> {
  await signIn(page, portalUrl, user);
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
  browser = await e2eBrowser();
});

afterAll(async () => {
  await browser?.close();
  await backOffice?.stop();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

describe('finance in the portal', () => {
  it('lists the open forms, records a part payment from the row, reads the form in its drawer, exports the list, and starts the month-end run', async () => {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    await signInAs(page, 'finance');
    await page.locator('#nav-invoices').click();
    const row = page.locator('#form-FY-2026-10-0001');
    await expect.poll(() => row.locator('.owed').textContent()).toBe('¥71.00');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The dealer filter takes the code in any letter case.
    await page.locator('#forms-dealer').fill('d001');
    await page.locator('#forms-search').click();
    await expect.poll(() => page.locator('#forms-dealers-read').textContent()).toContain('D001');

    await page.locator('#form-pay-FY-2026-10-0001').click();
    expect(await page.locator('#pay-amount').inputValue()).toBe('71.00');
    await page.locator('#pay-amount').fill('30.00');
    await page.locator('#pay-reference').fill('TX-1');
    await page.locator('#pay-ok').click();
    await expect.poll(() => row.locator('.owed').textContent()).toBe('¥41.00');

    await page.locator('#form-pay-FY-2026-10-0001').click();
    await page.locator('#pay-amount').fill('99.00');
    await page.locator('#pay-ok').click();
    await expect.poll(() => page.locator('#pay-error').textContent()).toContain('尚欠');
    await page.keyboard.press('Escape');
    await page.locator('#pay-amount').waitFor({ state: 'hidden' });

    await page.locator('#form-open-FY-2026-10-0001').click();
    await expect.poll(() => page.locator('#life-summary').textContent()).toContain('41.00');
    expect(await page.locator('#life-payments .ant-table-row').count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.locator('#life-tax-archive').click();
    await expect.poll(() => page.locator('#life-summary').textContent()).toContain('存档待合并开票');
    await page.locator('.form-drawer .ant-drawer-close').click();
    await page.locator('#life-summary').waitFor({ state: 'hidden' });

    const [exported] = await Promise.all([page.waitForEvent('download'), page.locator('#forms-export').click()]);
    expect(exported.suggestedFilename()).toBe('forms-open.xlsx');

    await page.locator('#nav-balances').click();
    await expect.poll(() => page.locator('#balance-D001 .balance').textContent()).toBe('¥41.00');
    await page.locator('#nav-consolidated').click();
    await page.locator('#consolidated-dealer').fill('D001');
    await page.locator('#consolidated-load').click();
    await expect.poll(() => page.locator('#consolidated-total').textContent()).toContain('71.00');
    expect(await page.locator('#consolidated-issue').isDisabled()).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.locator('#nav-reconciliation').click();
    await page.locator('#run-period').fill('2026-10');
    await page.locator('#run-as-of').fill('2026-12-06');
    await expect.poll(() => page.locator('#run-status').textContent()).toContain('尚未盘点');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.locator('#run-start').click();
    await confirmDialog(page);
    await expect.poll(() => page.locator('#run-progress').getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
    expect(await page.locator('#run-progress').textContent()).toContain('3/3');
    await page.locator('#run-download').waitFor();
    // The browser logs the refused over-payment's 409 itself; the page reported it as it should.
    expect(errors.filter((e) => !e.includes('status of 409 (Conflict) (http://127.0.0.1:') || !e.includes('/payments)'))).toEqual([]);
    await context.close();
  });

  it('the admin corrects a ledger line and sees its history; the dealer sees its own balance only and downloads its own form', async () => {
    const admin = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInAs(admin, 'admin');
    await admin.locator('#nav-corrections').click();
    await admin.locator('#correct-type-shipments').click();
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
    await expect.poll(() => dealer.locator('#balances .ant-table-row').count()).toBe(1);
    expect(await dealer.locator('#balance-D001 .balance').textContent()).toBe('¥41.00');
    await dealer.locator('#nav-position').click();
    const [form] = await Promise.all([dealer.waitForEvent('download'), dealer.locator('#form-download-FY-2026-10-0001').click()]);
    expect(form.suggestedFilename()).toBe('FY-2026-10-0001.xlsx');
    await dealer.close();
  });

  it('the dealer disputes a charged line of its issued form in the drawer and confirms; the manager waives it from the queue with a reason and a confirmation', async () => {
    // Only an issued form's lines may be disputed: finance issues the run's draft first.
    const finance = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInAs(finance, 'finance');
    await finance.locator('#nav-invoices').click();
    await finance.locator('#form-open-FY-2026-10-0001').click();
    await finance.locator('#life-issue').click();
    await confirmDialog(finance);
    await expect.poll(() => finance.locator('#life-summary').textContent()).toContain('已开票');
    await finance.close();

    // A context for each user, as the issuer remembers who signed in.
    const dealerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const dealer = await dealerContext.newPage();
    const errors = consoleErrors(dealer);
    await signInAs(dealer, 'dealer-d001');
    await dealer.locator('#nav-disputes').click();
    await dealer.locator('#dispute-new').click();
    await dealer.locator('#dispute-form').click();
    await dealer.locator('.ant-select-item-option').filter({ hasText: 'FY-2026-10-0001' }).click();
    await dealer.locator('#dispute-line').click();
    await dealer.locator('.ant-select-item-option').filter({ hasText: '#1 ·' }).click();
    await dealer.locator('#dispute-reason').fill('已按期退回');
    expect(await seriousA11yViolations(dealer)).toEqual([]);
    await dealer.locator('#dispute-submit').click();
    await confirmDialog(dealer);
    await expect.poll(() => dealer.locator('#dispute-result').textContent()).toContain('FY-2026-10-0001 #1');
    await expect.poll(() => dealer.locator('#dispute-mine .ant-table-row[data-status="open"]').count()).toBe(1);
    expect(await seriousA11yViolations(dealer)).toEqual([]);
    await dealerContext.close();

    const managerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const manager = await managerContext.newPage();
    const managerErrors = consoleErrors(manager);
    await signInAs(manager, 'manager');
    await manager.locator('#nav-disputes').click();
    await manager.locator('#decide-D001-FY-2026-10-0001-1').click();
    await manager.locator('#decision-waive').click();
    await manager.locator('#decision-reason').fill('退回记录迟录');
    expect(await seriousA11yViolations(manager)).toEqual([]);
    await manager.locator('#decision-submit').click();
    await confirmDialog(manager);
    await manager.locator('#decide-D001-FY-2026-10-0001-1').waitFor({ state: 'detached' });
    await manager.locator('#disputes-filter .ant-segmented-item').nth(1).click();
    await expect.poll(() => manager.locator('#dispute-queue .ant-table-row[data-status="waived"]').textContent()).toContain('退回记录迟录');
    expect([...errors, ...managerErrors]).toEqual([]);
    await managerContext.close();
  });
});
