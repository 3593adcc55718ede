import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from '../helpers/portal-quality.js';
import { e2eBrowser, signIn, startBackOffice, type RunningBackOffice } from '../helpers/running-back-office.js';
import { joinRunningStack } from '../../infra/local/stack.js';
import { createBackOffice } from '../../shared/compose.js';
import { addDays } from '../../shared/domain/dates.js';
import { clearOfBusinessMidnight } from '../helpers/business-clock.js';
import { draftInvoice } from '../contract/fixtures.js';
import { shipment } from '../helpers/ledger.js';
import { consoleErrors, seriousA11yViolations } from '../helpers/portal-quality.js';

/**
 * The message list and the dealer's own position in headless Chromium, against `npm start`
 * on a data directory of its own. Screenshots go to test/e2e/artifacts/.
 */
let dataDir: string;
let backOffice: RunningBackOffice | undefined;
let portalUrl: string;
let browser: Browser;
let invoiceNo: string;

/** A lot of D001 due in 5 days, and a form issued to it (told as finance's status change tells it). */
async function seedDealerMonth(): Promise<string> {
  const config = await joinRunningStack(dataDir);
  if (config === undefined) throw new Error('npm start is not running');
  const office = createBackOffice(config);
  // The back office and this test each read their own real clock; the walk checks the days left.
  const today = await clearOfBusinessMidnight(3, config.businessTimeZone);
  await office.ledger.record('shipments', [shipment({ shipment_id: 'S-E2E', shipped_date: addDays(today, -55), qty: 2 })], 'e2e');
  const created = await office.invoices.create('D001', '2026-10', 0, draftInvoice('D001', '2026-10'));
  if (created.status !== 'created') throw new Error('no form');
  await office.notices.tell({ kind: 'form_issued', dealer: 'D001', invoice_no: created.invoice.invoice_no, period: '2026-10', total: created.invoice.total });
  return created.invoice.invoice_no;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'backoffice-e2e-notices-'));
  backOffice = await startBackOffice(dataDir);
  portalUrl = backOffice.url;
  invoiceNo = await seedDealerMonth();
  browser = await e2eBrowser();
});

afterAll(async () => {
  await browser?.close();
  await backOffice?.stop();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

describe('messages and the dealer position in the portal', () => {
  it('a dealer sees its open lot with its deadline and days left, its form and balance, and its message, then marks it read', async () => {
    // Prepare
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    await signIn(page, portalUrl, 'dealer-d001');

    // Act
    await page.locator('#nav-position').click();
    const lot = page.locator('#position-lots tbody tr').filter({ hasText: 'S-E2E/1' });
    await lot.waitFor({ timeout: 30_000 });
    await screenshot(page, 'dealer-position');

    // Assess
    expect(await lot.locator('td').nth(4).textContent()).toBe('5');
    expect(await lot.locator('td').nth(5).textContent()).toBe('2');
    expect(await page.locator('#position-forms').textContent()).toContain(invoiceNo);
    expect(await page.locator('#position-summary').textContent()).toContain('¥35.50');
    const found = await seriousA11yViolations(page);
    await page.locator('#nav-messages').click();
    const message = page.locator('#messages li.message').first();
    await message.waitFor({ timeout: 30_000 });
    expect(await message.textContent()).toContain(invoiceNo);
    expect(await message.locator('a').getAttribute('href')).toBe(`#/invoices/${invoiceNo}`);
    await expect.poll(() => page.locator('#unread-count').textContent()).toBe('✉ 1');

    found.push(...(await seriousA11yViolations(page)));
    await page.locator('#messages-filter .ant-segmented-item').nth(1).click();
    expect(await page.locator('#messages li.message.unread').count()).toBe(1);

    await message.locator('button').click();
    await expect.poll(() => page.locator('#unread-count').textContent()).toBe('✉ 0');
    // Read, it leaves the unread list; its link still opens the page it names.
    await page.locator('#no-messages').waitFor();
    await page.locator('#messages-filter .ant-segmented-item').nth(0).click();
    await page.locator(`#messages li.message.read a[href="#/invoices/${invoiceNo}"]`).click();
    await page.locator(`#form-download-${invoiceNo}`).waitFor();
    expect(page.url()).toContain(`#/invoices/${invoiceNo}`);
    await page.locator('#nav-messages').click();
    await page.locator('#lang').click();
    await expect.poll(() => page.locator('#messages li.message').first().textContent()).toContain(`Fee form ${invoiceNo} issued`);
    expect((await readdir(join(dataDir, 'outbox'))).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
    // Usable on a phone: the position's tables scroll inside their card, the page never sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await screenshot(page, 'dealer-position-phone');
    expect([...found, ...errors]).toEqual([]);
    await context.close();
  });

  it('another dealer sees none of it', async () => {
    const page = await browser.newPage();
    await signIn(page, portalUrl, 'dealer-d002');
    await page.locator('#nav-messages').click();
    await page.locator('#no-messages').waitFor({ timeout: 30_000 });
    await page.locator('#nav-position').click();
    await page.locator('#position-summary').waitFor();
    expect(await page.locator('body').textContent()).not.toContain('S-E2E');
    expect(await page.locator('body').textContent()).not.toContain(invoiceNo);
  });
});
