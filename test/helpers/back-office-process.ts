import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/**
 * `npm start` as a child process, and signing a demo user in to its portal: what the e2e tests
 * (test/helpers/running-back-office.ts) and the portal's page bench (bench/portal-pages.ts)
 * share. Nothing here depends on vitest, so that a bench can import it.
 */

const HEADLESS_SHELL = '/usr/lib/chromium/chromium-headless-shell';

/** Debian's Chromium without its desktop user interface, the one the tests and benches drive (scripts/install-chromium.sh says why); the desktop Chromium where it is missing. */
export const chromiumExecutable = (): string => (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : '/usr/bin/chromium');

/** `npm start` running for a test or a bench: the address of its portal and API, and how to stop it. */
export interface RunningBackOffice {
  readonly url: string;
  /** Stops the back office and every server it started, and waits until it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts `npm start` (its script, without npm in between) on `dataDir`, its portal on a free
 * port, with `env` added to this process's environment (where its DynamoDB is), and waits for
 * the banner's portal address.
 */
export function spawnBackOffice(dataDir: string, env: Readonly<Record<string, string>>): Promise<RunningBackOffice> {
  const child = spawn(process.execPath, [join('bin', 'start.mjs'), '--data-dir', dataDir], {
    env: { ...process.env, BACKOFFICE_PORTAL_PORT: '0', NODE_OPTIONS: '--openssl-legacy-provider', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'ERROR', ...env },
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

/** The session the issuer gave the signed-in tab, as the portal keeps it; null when signed out. */
export const sessionOf = (page: Page): Promise<string | null> =>
  page.evaluate((name) => (globalThis as unknown as TabStorage).sessionStorage.getItem(name), SESSION_KEY);

/** Replaces the signed-in tab's session, as the portal will read it on its next load. */
export const replaceSession = (page: Page, session: string): Promise<void> =>
  page.evaluate(([name, value]) => (globalThis as unknown as TabStorage).sessionStorage.setItem(name, value), [SESSION_KEY, session] as const);

/**
 * Puts `session` in the tab's session storage before the portal's first load, so that it opens
 * signed in without the issuer's round trip. Once per tab: a sign-out, or a session a test
 * replaces, must stay so across a reload.
 */
export async function seedSession(page: Page, session: string): Promise<void> {
  await page.addInitScript(([name, value]) => {
    const storage = (globalThis as unknown as TabStorage).sessionStorage;
    if (storage.getItem('e2e.seeded') !== null) return;
    storage.setItem(name, value);
    storage.setItem('e2e.seeded', '1');
  }, [SESSION_KEY, session] as const);
}
