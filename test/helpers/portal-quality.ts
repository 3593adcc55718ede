import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * The portal's quality bars (issue 25), for the e2e files: what axe finds serious or critical on
 * the page as it is now, and every error the page's console reports from now on.
 */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  // axe is put in the page once per document, not once per scan: parsing and running its source
  // cost Chromium more CPU than the scan itself (@axe-core/playwright's builder evaluated it
  // twice per scan). The minified build is the same code in less than half the bytes to parse.
  if ((await page.evaluate('typeof window.axe')) === 'undefined') await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const { axe, document, requestAnimationFrame } = globalThis as unknown as {
      axe: AxeInPage;
      document: { getAnimations(): { effect: { getComputedTiming(): { iterations?: number } } | null; finished: Promise<unknown> }[] };
      requestAnimationFrame(callback: () => void): void;
    };
    // The page as it stands once its motions end: a drawer still fading in has text of too
    // little contrast for a moment. A motion starts a frame after what caused it.
    await new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const finite = document.getAnimations().filter((animation) => animation.effect?.getComputedTiming().iterations !== Infinity);
    await Promise.all(finite.map((animation) => animation.finished.catch(() => undefined)));
    // axe gives each rule one impact, whatever it finds (every rule of this version has one):
    // a rule rated minor or moderate can never add to what this reports, so it is not run.
    // Every rule that can find something serious or critical runs on every node.
    const belowSerious = axe._audit.rules.filter((rule) => rule.impact === 'minor' || rule.impact === 'moderate');
    const result = await axe.run(document, {
      resultTypes: ['violations'],
      rules: Object.fromEntries(belowSerious.map((rule) => [rule.id, { enabled: false }])),
    });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      targets: violation.nodes.slice(0, 3).map((node) => node.target.join(' ')),
    }));
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.targets.join(', ')}`);
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** What the scan uses of axe in the page; `_audit` is axe's own rule table, read for each rule's impact. */
interface AxeInPage {
  _audit: { rules: { id: string; impact?: string }[] };
  run(
    context: unknown,
    options: { resultTypes: string[]; rules: Record<string, { enabled: boolean }> },
  ): Promise<{ violations: { id: string; impact?: string | null; nodes: { target: string[] }[] }[] }>;
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
