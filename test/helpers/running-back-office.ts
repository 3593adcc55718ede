import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';

/** `npm start` running for a test: the address of its portal and API, and how to stop it. */
export interface RunningBackOffice {
  readonly url: string;
  /** Stops the back office and every server it started, and waits until it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts `npm start` (its script, without npm in between) on `dataDir` and waits for the
 * banner's portal address: what the portal tests in headless Chromium run against. Its table
 * is its own, on the e2e run's one DynamoDB Local (test/helpers/chromium.global.ts,
 * README: BACKOFFICE_DYNAMODB_ENDPOINT), in memory: a test's data lives no longer than its run.
 */
export function startBackOffice(dataDir: string): Promise<RunningBackOffice> {
  const child = spawn(join('node_modules', '.bin', 'tsx'), ['infra/local/start.ts', '--data-dir', dataDir], {
    env: { ...process.env, BACKOFFICE_PORTAL_PORT: '0', BACKOFFICE_DYNAMODB_ENDPOINT: inject('e2eDynamoEndpoint'), TABLE_NAME: `e2e-${randomUUID().slice(0, 8)}`, NODE_OPTIONS: '--openssl-legacy-provider', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'ERROR' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that stopping it stops the embedded servers it started too.
    detached: true,
  });
  const stop = async (): Promise<void> => {
    if (child.pid === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  };
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Portal and API:\s+(http:\/\/\S+)/.exec(output)?.[1];
      if (url !== undefined) {
        clearTimeout(timer);
        resolve({ url, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}):\n${output}`)));
  });
}

/** Where the portal keeps a tab's sign-in (portal/src/session.ts). */
const SESSION_KEY = 'backoffice.session';

/** The page's session storage (the tests compile without the DOM library). */
type TabStorage = { sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void } };

/**
 * Signs a demo user in as a person would: the portal's sign-in button, the local OpenID
 * Connect provider's page (choose the user), and back to the portal with the code exchanged.
 */
export async function signInThroughIssuer(page: Page, portalUrl: string, user: string): Promise<void> {
  await page.goto(portalUrl);
  await page.locator('#signin').click();
  await page.locator(`button[data-user="${user}"]`).click();
  await page.locator('#signout').waitFor({ state: 'visible' });
}

/**
 * The run's one Chromium (test/helpers/chromium.global.ts). Closing what this answers
 * disconnects the file and closes its contexts; the browser serves the other files on.
 */
export const e2eBrowser = (): Promise<Browser> => chromium.connect(inject('chromiumEndpoint'));

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
    const given = await page.evaluate((name) => (globalThis as unknown as TabStorage).sessionStorage.getItem(name), SESSION_KEY);
    if (given !== null) sessions.set(key, given);
    return;
  }
  // Once per tab: a sign-out, or a session a test replaces, must stay so across a reload.
  await page.addInitScript(([name, value]) => {
    const storage = (globalThis as unknown as TabStorage).sessionStorage;
    if (storage.getItem('e2e.seeded') !== null) return;
    storage.setItem(name, value);
    storage.setItem('e2e.seeded', '1');
  }, [SESSION_KEY, session] as const);
  await page.goto(portalUrl);
  await page.locator('#signout').waitFor({ state: 'visible' });
}

