import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestNetwork, TEST_PASSWORD, signIn, startNetwork } from '../helpers/network.js';
import { launchBrowser, screenshot, seriousViolations } from '../helpers/browser.js';
import { PERSON_CASE } from '../helpers/casework.js';

/**
 * The cases screens in a real browser against a real node: the paged list, a new case typed in
 * (a refused phone number named by its field, the form kept as typed), the case view with its
 * sections, the risk assessment changed, who saw the case, and a case worker of another team
 * refused ("Not allowed"). What the screens did is checked through the local API.
 */

let net: TestNetwork;
let browser: Browser;
let web: string;
const tokens: Record<string, string> = {};

async function api(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${net.nodes.astra!.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, json: (await res.json()) as any };
}

async function signedIn(name: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${web}/sign-in`);
  await page.getByLabel('Account name', { exact: true }).fill(name);
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  expect(new URL(page.url()).pathname).toBe('/');
  return page;
}

beforeAll(async () => {
  net = await startNetwork(['astra'], { web: true, logLevel: 'error' });
  const astra = net.nodes.astra!;
  web = astra.webUrl!;
  tokens.jelena = await signIn(astra.url, astra.node.localToken, { name: 'jelena', role: 'case-worker', team: 'belgrade' });
  tokens.milan = await signIn(astra.url, astra.node.localToken, { name: 'milan', role: 'case-worker', team: 'nis' });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await net?.close();
});

describe('cases in the web interface', () => {
  let caseId = '';

  it('opens a case from the form; a refused field is named and the form keeps what was typed', async () => {
    const page = await signedIn('jelena');
    await page.getByRole('navigation').getByRole('link', { name: 'Cases' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Cases');
    await expect(page.getByText('There is no case you may see yet.').count()).resolves.toBe(1);
    await page.getByRole('link', { name: 'New case' }).click();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'case-new');
    await page.getByLabel('First name', { exact: true }).fill('Vesna');
    await page.getByLabel('Family name', { exact: true }).fill('Primerović');
    await page.getByLabel('Date of birth', { exact: true }).fill('1999-03-02');
    await page.getByLabel('Nationality', { exact: true }).fill('RS');
    await page.getByLabel('Languages spoken', { exact: true }).fill('sr, de');
    await page.getByLabel('Phone number', { exact: true }).fill('call me maybe');
    await page.locator('input[name=needs][value=shelter]').check();
    await page.locator('input[name=needs][value=legal-aid]').check();
    await page.getByLabel('Risk level', { exact: true }).selectOption('medium');
    await page.getByLabel('What the risk is', { exact: true }).fill('The recruiter knows her town.');
    await page.getByLabel('Safety plan', { exact: true }).fill('Meet only at the office.');
    await page.getByRole('button', { name: 'Open the case' }).click();
    // refused: the phone is named, nothing was written, the form keeps the rest
    const alert = page.getByRole('alert');
    await expect(alert.textContent()).resolves.toContain('Phone number');
    expect(await alert.textContent()).not.toContain('call me maybe');
    // what is wrong, in words (i18n/problems.ts), not the API's code
    expect(await alert.textContent()).toMatch(/Phone number: (this is not written the expected way|this is too long or too large|this value is not accepted)/);
    await expect(page.getByLabel('First name', { exact: true }).inputValue()).resolves.toBe('Vesna');
    await expect(page.locator('input[name=needs][value=legal-aid]').isChecked()).resolves.toBe(true);
    expect((await api('GET', '/api/v1/cases', tokens.jelena!)).json.cases).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Phone number', { exact: true }).fill('+381 64 555 0101');
    await page.getByRole('button', { name: 'Open the case' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('The case is opened.');
    caseId = new URL(page.url()).pathname.split('/')[2]!;
    const stored = await api('GET', `/api/v1/cases/${caseId}`, net.nodes.astra!.token);
    expect(stored.json.data).toEqual({
      person: { givenName: 'Vesna', familyName: 'Primerović', dateOfBirth: '1999-03-02', nationality: ['RS'], languages: ['sr', 'de'], phone: '+381 64 555 0101' },
      status: { victimStatus: 'presumed' },
      needs: ['shelter', 'legal-aid'],
      riskAssessment: { level: 'medium', summary: 'The recruiter knows her town.', safetyPlan: 'Meet only at the office.', revisedAt: Math.floor(net.clock.now() / 1000) },
    });
    // the name is on the page, never in the URL or the title
    expect(page.url()).not.toContain('Vesna');
    expect(await page.title()).not.toContain('Vesna');
    await page.context().close();
  });

  it('shows the case in sections, changes the risk assessment, and lists who saw it', async () => {
    const page = await signedIn('jelena');
    await page.goto(`${web}/cases/${caseId}`);
    for (const h of ['Person', 'Status', 'Risk assessment and safety plan', 'Consents', 'Referrals', 'Documents', 'Who saw this case']) {
      await expect(page.getByRole('heading', { level: 2, name: h }).count()).resolves.toBe(1);
    }
    await expect(page.locator('main').textContent()).resolves.toContain('Vesna Primerović');
    await expect(page.getByText('No consent recorded yet', { exact: false }).count()).resolves.toBe(1);
    await page.getByLabel('Risk level', { exact: true }).selectOption('high');
    await page.getByLabel('Safety plan', { exact: true }).fill('Shelter in another city; no phone contact.');
    await page.getByRole('button', { name: 'Save the risk assessment' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('The risk assessment is saved.');
    const risk = (await api('GET', `/api/v1/cases/${caseId}`, tokens.jelena!)).json.data.riskAssessment;
    expect(risk).toMatchObject({ level: 'high', summary: 'The recruiter knows her town.', safetyPlan: 'Shelter in another city; no phone contact.' });
    // who saw it: jelena's views (display name), newest first, from the audit log
    const access = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Who' }) });
    await expect(access.getByRole('row').nth(1).textContent()).resolves.toContain('jelena');
    await expect(access.getByRole('row').nth(1).textContent()).resolves.toContain('viewed');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'case-view');
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, 'case-view-375');
    // nothing wider than the phone's screen but the tables' own scrolling boxes
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.context().close();
  });

  it('downloads a document of the case through the web layer, byte for byte, never cached; another team cannot', async () => {
    const bytes = new TextEncoder().encode('Medical certificate: fit to travel on 20 January.');
    const uploaded = await fetch(`${net.nodes.astra!.url}/api/v1/cases/${caseId}/attachments?name=certificate.txt`, { method: 'POST', headers: { authorization: `Bearer ${tokens.jelena}`, 'content-type': 'text/plain' }, body: bytes });
    expect(uploaded.status).toBe(201);
    const page = await signedIn('jelena');
    await page.goto(`${web}/cases/${caseId}`);
    const link = page.getByRole('link', { name: 'certificate.txt' });
    const href = (await link.getAttribute('href'))!;
    expect(href).not.toContain('certificate');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('certificate.txt');
    const saved = await download.path();
    const { readFileSync } = await import('node:fs');
    expect(new Uint8Array(readFileSync(saved))).toEqual(bytes);
    const res = await page.context().request.get(`${web}${href}`);
    expect(res.headers()['cache-control']).toBe('no-store');
    await page.context().close();
    const other = await signedIn('milan');
    const refused = await other.context().request.get(`${web}${href}`);
    expect(refused.status()).toBe(403);
    await other.context().close();
  });

  it('refuses the case to a case worker of another team: "Not allowed", and it is not in their list', async () => {
    const page = await signedIn('milan');
    const res = await page.goto(`${web}/cases/${caseId}`);
    expect(res?.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Not allowed');
    expect(await page.content()).not.toContain('Vesna');
    await page.goto(`${web}/cases`);
    expect(await page.getByRole('link', { name: /Open case/ }).count()).toBe(0);
    const consent = await page.goto(`${web}/cases/${caseId}/consents/new`);
    expect(consent?.status()).toBe(403);
    await page.context().close();
  });

  it('pages the list, newest change first, 25 to a page', async () => {
    for (let i = 0; i < 30; i++) {
      net.clock.advance({ seconds: 1 });
      expect((await api('POST', '/api/v1/cases', tokens.jelena!, PERSON_CASE)).status).toBe(201);
    }
    const newest = (await api('GET', '/api/v1/cases?limit=1', tokens.jelena!)).json.cases[0].id as string;
    const page = await signedIn('jelena');
    await page.goto(`${web}/cases`);
    const rows = page.locator('tbody tr');
    await expect(rows.count()).resolves.toBe(25);
    await expect(rows.first().getByRole('link').getAttribute('href')).resolves.toBe(`/cases/${newest}`);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'cases');
    await page.getByRole('link', { name: 'Next' }).click();
    await expect(rows.count()).resolves.toBe(6); // 31 in all
    expect(await page.getByRole('link', { name: 'Next' }).count()).toBe(0);
    await expect(page.getByRole('link', { name: 'Previous' }).count()).resolves.toBe(1);
    await page.context().close();
  });
});
