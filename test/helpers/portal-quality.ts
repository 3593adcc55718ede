import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * The portal's quality bars (issue 25), for the e2e files: what axe finds serious or critical on
 * the page as it is now, and every error the page's console reports from now on.
 */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  // Every rule runs on every node as before. Legacy mode runs axe in the page itself, without
  // the page of its own it otherwise opens to combine frames' results (the portal has no
  // frames); only violations are read, so the passes are not gathered node by node. A scan
  // took 1.1-1.5 s of Chromium's CPU, and 0.5-0.6 s so.
  const result = await new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).setLegacyMode(true).analyze();
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(', ')}`);
}

/** Collects the page's console errors, uncaught exceptions and CSP violations; read the array when done. */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  // A style or script the CSP refuses is a console error whether or not the browser logs one itself.
  void page.addInitScript(
    "document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP ${event.violatedDirective} refused ${event.blockedURI || 'inline'}: ${event.sample}`));",
  );
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** Says yes to the portal's confirmation of an action that cannot be undone, and waits until the dialog has gone. */
export async function confirmDialog(page: Page): Promise<void> {
  const dialog = page.locator('.ant-modal-confirm');
  await dialog.waitFor();
  // antd zooms the dialog in: a click while it still moves can miss its button (seen once on a
  // busy machine, the dialog then waiting for ever), so the click waits for the dialog to stand still.
  await expect.poll(async () => (await dialog.getAttribute('class')) ?? '', { timeout: 30_000 }).not.toMatch(/\bant-zoom-(appear|enter)/);
  await dialog.locator('.ant-btn-primary').click();
  await dialog.waitFor({ state: 'hidden' });
}

/** Saves a full-page picture of `page` as test/e2e/artifacts/NAME.png: what each role saw, kept for people to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(import.meta.dirname, '..', 'e2e', 'artifacts');
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
