import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryNetwork } from '../helpers/directory-network.js';
import { startCaseworkNetwork } from '../helpers/casework.js';
import { TEST_PASSWORD, signIn } from '../helpers/network.js';
import { launchBrowser, screenshot, seriousViolations } from '../helpers/browser.js';

/**
 * Directory browsing in a real browser at Open Gate, over three real nodes with a signed
 * directory: the version held and its freshness, a search by country and service with why each
 * result matched, along a route grouped by country, a refused query named by field, and an
 * organisation's page with the fingerprint the API gives.
 */

let dn: DirectoryNetwork;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let web: string;

beforeAll(async () => {
  dn = await startCaseworkNetwork({ web: true });
  const og = dn.net.nodes['open-gate']!;
  web = og.webUrl!;
  await signIn(og.url, og.node.localToken, { name: 'elena', role: 'case-worker', team: 'skopje' });
  browser = await launchBrowser();
  context = await browser.newContext();
  page = await context.newPage();
  await page.goto(`${web}/sign-in`);
  await page.getByLabel('Account name').fill('elena');
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await dn?.close();
});

const cardTitles = async () => page.locator('ul.cards > li.card').locator('h3, h4').allTextContents();

describe('the directory in the browser', () => {
  it('shows the version held, fresh, and every service of the directory', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Directory' }).click();
    expect(new URL(page.url()).pathname).toBe('/directory');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Directory');
    const facts = await page.locator('dl.facts').first().textContent();
    expect(facts).toContain('Directory version1');
    expect(facts).toContain('up to date');
    expect(facts).toContain('3 organisations');
    const titles = await cardTitles();
    expect(titles).toContain('Pravna pomoć / Legal aid');
    expect(titles).toContain('Notwohnung / Emergency shelter');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'directory');
  });

  it('searches by country and service, and says why each matched', async () => {
    await page.goto(`${web}/directory`);
    await page.getByLabel('Country (two letters, e.g. RS)').fill('RS');
    await page.getByLabel('Service', { exact: true }).selectOption('legal_aid');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    expect(new URL(page.url()).searchParams.get('country')).toBe('RS');
    expect(await cardTitles()).toEqual(['Pravna pomoć / Legal aid']);
    const card = page.locator('li.card').first();
    await expect(card.textContent()).resolves.toContain('ASTRA');
    await expect(card.textContent()).resolves.toContain('country: RS');
    await expect(card.textContent()).resolves.toContain('type: legal_aid');
    // the filters stay as they were typed
    expect(await page.getByLabel('Country (two letters, e.g. RS)').inputValue()).toBe('RS');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('groups the results along a route, country by country in route order', async () => {
    await page.goto(`${web}/directory?route=MK,AT&type=shelter`);
    const groups = await page.locator('#dir-results ~ section h3, section[aria-labelledby="dir-results"] section > h3').allTextContents();
    expect(groups).toEqual(['In MK', 'In AT']);
    const titles = await page.locator('li.card h4').allTextContents();
    expect(titles).toEqual(['Shelter for victims of trafficking', 'Notwohnung / Emergency shelter']);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('refuses a bad query by naming the field, without echoing it', async () => {
    const res = await page.goto(`${web}/directory?country=Serbia`);
    expect(res?.status()).toBe(400);
    const alert = await page.getByRole('alert').textContent();
    expect(alert).toContain('Country (two letters, e.g. RS)');
    expect(alert).not.toContain('Serbia');
  });

  it("opens an organisation's page with the key fingerprint to read aloud", async () => {
    await page.goto(`${web}/directory?country=RS`);
    await page.getByRole('link', { name: 'ASTRA' }).first().click();
    expect(new URL(page.url()).pathname).toBe('/directory/orgs/org%3Aastra');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('About ASTRA');
    expect(await page.title()).not.toContain('ASTRA');
    const api = await dn.api('open-gate', 'GET', '/api/v1/directory/orgs/org:astra');
    await expect(page.locator('code').first().textContent()).resolves.toBe(api.json.orgKey.fingerprint);
    await expect(page.getByRole('heading', { level: 3 }).allTextContents()).resolves.toContain('ASTRA SOS hotline');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'directory-organisation');
    const missing = await page.goto(`${web}/directory/orgs/org:nobody`);
    expect(missing?.status()).toBe(404);
  });
});
