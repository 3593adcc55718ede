import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eBrowser, signIn, startBackOffice, type RunningBackOffice } from '../helpers/running-back-office.js';
import { confirmDialog, consoleErrors, screenshot, seriousA11yViolations } from '../helpers/portal-quality.js';
import type { Browser, Page } from 'playwright-core';
import { addDays, addMonths, businessDateOf } from '../../shared/domain/dates.js';
import { requestRow, requestWorkbook } from '../helpers/requests.js';
import { clearOfBusinessMidnight } from '../helpers/business-clock.js';

/**
 * A material request in headless Chromium against `npm start` on a data directory of its own:
 * the dealer asks for a part in the form, the admin approves it, the warehouse ships the line,
 * and the dealer sees the loan's return deadline; the warehouse records a return in the form. Screenshots go to test/e2e/artifacts/.
 */
let dataDir: string;
let backOffice: RunningBackOffice | undefined;
let portalUrl: string;
let browser: Browser;

/** A tab of its own for each user: the portal keeps the sign-in in the tab's session storage. */
async function signInAs(user: string): Promise<Page> {
  const page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1400, height: 1000 } });
  await signIn(page, portalUrl, user);
  await page.locator('#nav-requests').click();
  return page;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'backoffice-e2e-requests-'));
  backOffice = await startBackOffice(dataDir);
  portalUrl = backOffice.url;
  browser = await e2eBrowser();
});

afterAll(async () => {
  await browser?.close();
  await backOffice?.stop();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

describe('a material request in the portal', () => {
  it('the dealer asks, the admin approves, the warehouse ships, and the dealer sees the due date', async () => {
    // The back office, Chromium and this test each read their own real clock.
    const today = await clearOfBusinessMidnight();

    // The dealer asks for one valve for an in-warranty repair.
    let page = await signInAs('dealer-d001');
    // The form numbers the request itself: the day's first.
    await expect.poll(() => page.locator('#rq-id').inputValue()).toBe(`R-${today.replaceAll('-', '')}-01`);
    const requestId = await page.locator('#rq-id').inputValue();
    await page.locator('#rq-date').fill(today);
    await page.locator('#rq-1-part_code').fill('P-VALVE-01');
    // The part picker names the part and its price.
    await expect.poll(() => page.locator('#rq-1-part-name').textContent()).toContain('进水阀 · ¥35.50');
    await page.locator('#rq-1-qty').fill('1');
    await page.locator('#rq-1-purpose').selectOption('repair');
    await page.locator('#rq-1-product_model').fill('WC-800');
    await page.locator('#rq-1-serial_no').fill('SN-E2E-1');
    await page.locator('#rq-1-purchase_date').fill(addDays(today, -90));
    await page.locator('#rq-1-fault_description').fill('水箱不进水');
    await page.locator('#rq-submit').click();
    await expect.poll(() => page.locator('#request-result .ant-alert-success').count()).toBe(1);
    await expect.poll(() => page.locator('#my-requests td[data-state="proposed"]').count()).toBe(1);
    // The form is cleared for the next request, numbered after this one.
    expect(await page.locator('#rq-1-part_code').inputValue()).toBe('');
    await expect.poll(() => page.locator('#rq-id').inputValue()).toBe(`R-${today.replaceAll('-', '')}-02`);
    await screenshot(page, 'requests-dealer');

    // The after-sales department approves it as proposed.
    page = await signInAs('admin');
    const approve = page.locator(`[data-request="${requestId}"] button.approve`);
    await approve.waitFor({ timeout: 30_000 });
    await screenshot(page, 'requests-queue');
    await approve.click();
    // Not undone once done: the dialog asks first.
    await confirmDialog(page);
    await expect.poll(() => page.locator(`[data-request="${requestId}"] td[data-state="approved"]`).count()).toBe(1);

    // The warehouse ships the line today and gets the issue slip.
    page = await signInAs('warehouse');
    const ship = page.locator(`[data-request="${requestId}"] button.ship-line[data-line="1"]`);
    await ship.waitFor({ timeout: 30_000 });
    await ship.click();
    await confirmDialog(page);
    await page.locator('#rq-slip').waitFor({ timeout: 30_000 });
    const [slip] = await Promise.all([page.waitForEvent('download'), page.locator('#rq-slip').click()]);
    expect(slip.suggestedFilename()).toBe(`FL-${requestId}-1.xlsx`);

    // The dealer sees the line shipped, with its return deadline.
    page = await signInAs('dealer-d001');
    await expect.poll(() => page.locator('#my-requests td[data-state="shipped"]').count()).toBe(1);
    expect(await page.locator('#my-requests td.due').first().textContent()).toBe(addDays(today, 60));
    await screenshot(page, 'requests-shipped');
  });

  it('takes a request as a workbook too, and gives a file with a mistake back with its errors and annotated', async () => {
    // Prepare: the 需求表 with a part the price list does not know
    const page = await signInAs('dealer-d001');
    const path = join(dataDir, 'request-with-a-mistake.xlsx');
    await writeFile(path, await requestWorkbook([requestRow({ request_id: 'R-E2E-WB', part_code: 'P-NOPE' })]));

    // Act
    await page.locator('#rq-file').setInputFiles(path);

    // Assess
    await expect.poll(() => page.locator('#request-result .ant-alert-error').count()).toBe(1);
    expect(await page.locator('#request-result').textContent()).toContain('配件编码');
    const [annotated] = await Promise.all([page.waitForEvent('download'), page.locator('#rq-annotated').click()]);
    expect(annotated.suggestedFilename()).toBe('request-with-a-mistake-annotated.xlsx');
    await screenshot(page, 'requests-workbook-rejected');
  });
});

describe('the return warehouse in the portal', () => {
  it('records a return line by line, each mistake named on its field, and finds it in the list of returns; the queue passes axe too', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    await signIn(page, portalUrl, 'warehouse');
    await page.locator('#nav-returns').click();

    // A part the price list does not know: refused, the error on the part's field.
    await page.locator('#ret-return_id').fill('TH-E2E-1');
    await page.locator('#ret-dealer_code').fill('d001');
    await page.locator('#ret-part_code').fill('P-NOPE');
    await page.locator('#ret-submit').click();
    await page.locator('#ret-part_code-error').waitFor({ timeout: 30_000 });
    expect(await page.locator('[id$="-error"].field-error').count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.locator('#ret-part_code').fill('P-VALVE-01');
    await page.locator('#ret-submit').click();
    await expect.poll(() => page.locator('#ret-result .ant-alert-success').count()).toBe(1);
    expect(await page.locator('#ret-result').textContent()).toContain('TH-E2E-1');
    // The dealer typed in small letters finds D001's returns.
    await page.locator('#ret-filter-dealer').fill('d001');
    await page.locator('#ret-filter').click();
    await expect.poll(() => page.locator('#returns [data-return="TH-E2E-1#1"]').count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'returns-warehouse');
    // The request queue, where the warehouse ships, passes the same bar.
    await page.locator('#nav-requests').click();
    await page.locator('#rq-queue .request').first().waitFor({ timeout: 30_000 });
    expect(await seriousA11yViolations(page)).toEqual([]);
    // The browser logs the refused line's 422 itself; the page showed it on its field.
    expect(errors.filter((e) => !(e.includes('status of 422') && e.includes('/api/returns')))).toEqual([]);
    await context.close();
  });
});

describe.concurrent('the dates the portal fills in', () => {
  // 23:30 UTC (already tomorrow in Beijing) and 00:30 UTC (08:30 there) of the last night before
  // the run: never more than half an hour ahead of the real clock, so the sign-in's token is still
  // good under the pinned clock, and far enough from it to catch a UTC date.
  const today = businessDateOf(new Date(), 'UTC');
  const moments = [`${addDays(today, -1)}T23:30:00Z`, `${today}T00:30:00Z`];
  const zones = ['America/Los_Angeles', 'Asia/Shanghai'];

  // Side by side (describe.concurrent): each moment and zone is a context of its own on its own pinned clock.
  it.for(moments.flatMap((at) => zones.map((zone) => ({ at, zone }))))(
    'are Beijing’s business date at $at with the browser in $zone',
    async ({ at, zone }, { expect }) => {
      // Prepare: signed in on the real clock, then the browser's clock pinned and the portal loaded again.
      const beijing = businessDateOf(new Date(at), 'Asia/Shanghai');
      const context = await browser.newContext({ timezoneId: zone, viewport: { width: 1400, height: 1000 } });
      const page = await context.newPage();
      await signIn(page, portalUrl, 'dealer-d001');
      await page.clock.setFixedTime(new Date(at));
      // Act
      await page.reload();
      await page.locator('#nav-requests').click();
      // Assess: the request's date is today in Beijing, the month shown the one before it.
      await expect.poll(() => page.locator('#rq-date').inputValue()).toBe(beijing);
      await page.locator('#nav-upload').click();
      await expect.poll(() => page.locator('#period').inputValue()).toBe(addMonths(beijing, -1).slice(0, 7));
      await context.close();
    },
  );
});
