import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page, chromium } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install -y chromium`, done by .ci/run), driven by playwright-core,
 * headless, with the flags that keep it off the network; axe-core injected from node_modules for
 * the accessibility check; screenshots of the main screens under test-results/screenshots/.
 */

export const CHROMIUM = process.env.CORRIDOR_CHROMIUM ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.x A and AA) */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // evaluated through the debugging protocol, so the page's own CSP (script-src 'self') stays as it is
  await page.evaluate(`${AXE}\n;0`);
  // a string, evaluated in the page (this project's types are Node's, not the DOM's)
  const violations = (await page.evaluate(`(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  })()`)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

/** a full-page screenshot for review (test-results/screenshots/<name>.png) */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * How long the page took to become interactive (Navigation Timing: `domInteractive` of the last
 * navigation), in milliseconds: what the bench reports per screen.
 */
export async function interactiveMs(page: Page): Promise<number> {
  return page.evaluate(`(() => {
    const [nav] = performance.getEntriesByType('navigation');
    return nav ? nav.domInteractive - nav.startTime : Number.NaN;
  })()`);
}
