import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, interactiveMs, launchBrowser } from '../helpers/browser.js';
import { PERSON_CASE, startCaseworkNetwork } from '../helpers/casework.js';
import type { DirectoryNetwork } from '../helpers/directory-network.js';
import { type TestNode, TEST_PASSWORD } from '../helpers/network.js';
import type { BenchLine } from './envelope.js';
import { round2 } from './measure.js';

/**
 * Issue 8: each screen of the web interface interactive within 1 s with 10,000 cases in the
 * database. Two real nodes in this process with the signed directory, one holding 10,000 cases
 * (made through the local API) and one holding 10; headless Chromium (Debian's) signs in to each and opens every main screen
 * ROUNDS times; the figure is the median of Navigation Timing's `domInteractive` (from the start of
 * the navigation to a parsed, interactive document), and the ratio is 10,000 cases against 10,
 * measured in the same run. Not asserted anywhere: reported.
 */

const ROUNDS = 7;
const LARGE = 10_000;
const SMALL = 10;

async function seed(node: TestNode, count: number, progress: (line: string) => void): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await node.node.app.request('/api/v1/cases', {
      method: 'POST',
      headers: { authorization: `Bearer ${node.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...PERSON_CASE, person: { ...PERSON_CASE.person, givenName: `Person${i}` } }),
    });
    if (res.status !== 201) throw new Error(`seeding case ${i} answered ${res.status}`);
    ids.push(((await res.json()) as { id: string }).id);
    if ((i + 1) % 2000 === 0) progress(`  ${i + 1} cases...`);
  }
  return ids;
}

async function signedInPage(browser: Browser, web: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${web}/sign-in`);
  await page.getByLabel('Account name').fill('coordinator');
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${web}/`);
  return page;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

export async function benchWebScreens(progress: (line: string) => void): Promise<BenchLine[]> {
  if (!existsSync(CHROMIUM)) return [{ bench: 'web-screens', skipped: `no browser at ${CHROMIUM} (apt-get install chromium)` }];
  let dn: DirectoryNetwork | null = null;
  let browser: Browser | null = null;
  try {
    // two real nodes with the signed directory: ASTRA holds 10,000 cases, LEFÖ-IBF 10
    dn = await startCaseworkNetwork({ web: true });
    const [bigNode, smallNode] = [dn.net.nodes.astra!, dn.net.nodes['lefoe-ibf']!];
    progress(`seeding ${LARGE} cases through the local API...`);
    const large = await seed(bigNode, LARGE, progress);
    const small = await seed(smallNode, SMALL, progress);
    browser = await launchBrowser();
    const screens = (caseId: string): Record<string, string> => ({
      inbox: '/',
      cases: '/cases',
      'cases-last-page': `/cases?page=${Math.ceil(LARGE / 25)}`,
      'case-new': '/cases/new',
      case: `/cases/${caseId}`,
      'consent-new': `/cases/${caseId}/consents/new`,
      refer: `/cases/${caseId}/refer`,
      directory: '/directory',
      'court-trips': '/court-trips',
      'court-trip-new': '/court-trips/new',
      status: '/status',
    });
    const measure = async (node: TestNode, caseId: string) => {
      const page = await signedInPage(browser!, node.webUrl!);
      const out: Record<string, number> = {};
      const bytes: Record<string, number> = {};
      for (const [name, path] of Object.entries(screens(caseId))) {
        const times: number[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          const res = await page.goto(`${node.webUrl}${path}`);
          if (!res || res.status() !== 200) throw new Error(`${name} (${path}) answered ${res?.status()}`);
          times.push(await interactiveMs(page));
        }
        out[name] = round2(median(times));
        bytes[name] = (await page.evaluate("performance.getEntriesByType('navigation')[0].encodedBodySize")) as number;
      }
      await page.context().close();
      return { out, bytes };
    };
    progress('measuring each screen with 10,000 cases and with 10...');
    const withLarge = await measure(bigNode, large[Math.floor(large.length / 2)]!);
    const withSmall = await measure(smallNode, small[0]!);
    const lines: BenchLine[] = [];
    for (const name of Object.keys(withLarge.out)) {
      lines.push({
        bench: 'web-screen-interactive',
        screen: name,
        cases: LARGE,
        median_ms: withLarge.out[name],
        html_bytes: withLarge.bytes[name],
        baseline: `the same screen with ${SMALL} cases`,
        baseline_median_ms: withSmall.out[name],
        ratio: round2(withLarge.out[name]! / withSmall.out[name]!),
        rounds: ROUNDS,
        goal_ms: 1000,
      });
    }
    return lines;
  } finally {
    await browser?.close();
    await dn?.close();
  }
}
