import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { seedSession, sessionOf, signInThroughIssuer, spawnBackOffice, type RunningBackOffice } from './back-office-process.js';

export { signInThroughIssuer, type RunningBackOffice };

/**
 * Starts `npm start` on `dataDir` and waits for the banner's portal address: what the portal
 * tests in headless Chromium run against. Its table is its own, on the e2e run's one DynamoDB
 * Local (test/helpers/chromium.global.ts, README: BACKOFFICE_DYNAMODB_ENDPOINT), in memory: a
 * test's data lives no longer than its run.
 */
export function startBackOffice(dataDir: string): Promise<RunningBackOffice> {
  return spawnBackOffice(dataDir, { BACKOFFICE_DYNAMODB_ENDPOINT: inject('e2eDynamoEndpoint'), TABLE_NAME: `e2e-${randomUUID().slice(0, 8)}` });
}

/**
 * The run's one Chromium (test/helpers/chromium.global.ts), its pages those of someone who asked
 * for less motion (portal/styles.css): a spinner or a skeleton left moving cost Chromium a tenth
 * of a core each, and they move longest when the machine is busiest. Closing what this answers
 * disconnects the file and closes its contexts; the browser serves the other files on.
 */
export async function e2eBrowser(): Promise<Browser> {
  const browser = await chromium.connect(inject('chromiumEndpoint'));
  const [newContext, newPage] = [browser.newContext.bind(browser), browser.newPage.bind(browser)];
  browser.newContext = (options = {}) => newContext({ reducedMotion: 'reduce', ...options });
  browser.newPage = (options = {}) => newPage({ reducedMotion: 'reduce', ...options });
  return browser;
}

/** Sessions the issuer gave, by portal and user, kept for the rest of the test file. */
const sessions = new Map<string, string>();

/**
 * Signs a demo user in: the first time in a test file through the issuer as a person would
 * (`signInThroughIssuer`), after that with the session the issuer gave then, put in the new
 * tab's session storage before the portal loads. Every sign-in through the issuer loads the
 * portal twice and the issuer's page once in a fresh browser context, which is most of what a
 * step of a walk costs the browser; the sign-in itself is tested through the issuer each time
 * a file first signs a user in, and on its own in portal.e2e.
 */
export async function signIn(page: Page, portalUrl: string, user: string): Promise<void> {
  const key = `${portalUrl} ${user}`;
  const session = sessions.get(key);
  if (session === undefined) {
    await signInThroughIssuer(page, portalUrl, user);
    const given = await sessionOf(page);
    if (given !== null) sessions.set(key, given);
    return;
  }
  await seedSession(page, session);
  await page.goto(portalUrl);
  await page.locator('#signout').waitFor({ state: 'visible' });
}

