import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryNetwork } from '../helpers/directory-network.js';
import { launchBrowser, screenshot, seriousViolations } from '../helpers/browser.js';
import { PERSON_CASE, startCaseworkNetwork } from '../helpers/casework.js';
import { TEST_PASSWORD, signIn } from '../helpers/network.js';
import { term } from '../../node/web/terms.js';

/**
 * Issue 8's story, end to end in headless Chromium against two real nodes, through the screens
 * only: Maria, a case worker at LEFÖ-IBF in Vienna, signs in, records the woman's consent, refers
 * her to ASTRA in Belgrade with the directory beside the form; ASTRA's coordinator, in a second
 * browser context, accepts; LEFÖ-IBF hands the case over; both plan the court return trip
 * together (ASTRA ticks off the task it owns); then the consent is withdrawn and the deletion
 * receipt from ASTRA arrives on the case. Messages travel when the test drains the network.
 */

let dn: DirectoryNetwork;
let browser: Browser;
const contexts: BrowserContext[] = [];
const web = (name: string) => dn.net.nodes[name]!.webUrl!;

async function signedIn(node: string, name: string): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${web(node)}/sign-in`);
  await page.getByLabel('Account name').fill(name);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('status').textContent()).resolves.toContain('You are signed in.');
  return page;
}

async function clean(page: Page, shot: string): Promise<void> {
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, `story-${shot}`);
}

beforeAll(async () => {
  dn = await startCaseworkNetwork({ web: true });
  const lefoe = dn.net.nodes['lefoe-ibf']!;
  await signIn(lefoe.url, lefoe.node.localToken, { name: 'maria', role: 'case-worker', team: 'vienna' });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await dn?.close();
});

describe('the story in the browser: consent, referral, acceptance, court trip, withdrawal', () => {
  it('goes from a first consent to the deletion receipt, across two nodes, through the screens', async () => {
    const astraName = (await dn.api('lefoe-ibf', 'GET', '/api/v1/directory/orgs/org:astra')).json.name as string;
    const maria = await signedIn('lefoe-ibf', 'maria');

    // a new case, opened by Maria in the browser
    await maria.getByRole('link', { name: 'Cases' }).click();
    await maria.goto(`${web('lefoe-ibf')}/cases/new`);
    await maria.getByLabel('First name').fill(PERSON_CASE.person.givenName);
    await maria.getByLabel('Family name').fill(PERSON_CASE.person.familyName);
    await maria.getByRole('button', { name: /open the case/i }).click();
    await expect(maria.getByRole('status').textContent()).resolves.toContain('The case is opened.');
    const caseId = new URL(maria.url()).pathname.split('/')[2]!;
    expect(maria.url()).not.toContain(PERSON_CASE.person.givenName);
    expect(await maria.title()).not.toContain(PERSON_CASE.person.givenName);

    // the consent, recorded with her: for the referral and the court trip, to ASTRA, her first name and needs only
    await maria.getByRole('link', { name: 'Record a consent with the person' }).click();
    for (const purpose of ['referral', 'assistance', 'legal-proceedings', 'return-travel']) await maria.locator(`input[name=purposes][value=${purpose}]`).check();
    await maria.getByLabel(astraName, { exact: true }).check();
    await maria.getByLabel('first name', { exact: true }).check();
    await maria.getByLabel('Country whose law applies').selectOption('AT');
    await maria.getByLabel('The person’s language (for the consent text)').selectOption('sr');
    await maria.getByRole('button', { name: 'Review before recording' }).click();
    await clean(maria, 'consent-review');
    await maria.getByRole('button', { name: 'The person agrees: record the consent' }).click();
    await expect(maria.getByRole('status').textContent()).resolves.toContain('The consent is recorded and signed.');
    const [consent] = (await dn.api('lefoe-ibf', 'GET', `/api/v1/cases/${caseId}`)).json.consents;
    expect(consent.processing[0]).toMatchObject({ recipients: ['org:astra'], fields: ['/person/givenName'] });

    // the referral, with the directory beside the form and a preview of what leaves
    await maria.goto(`${web('lefoe-ibf')}/cases/${caseId}/refer`);
    await maria.getByLabel('Country (two letters, e.g. RS)').fill('RS');
    await maria.getByRole('button', { name: 'Search the directory' }).click();
    await maria.getByRole('button', { name: `Choose ${astraName}` }).first().click();
    await maria.getByLabel('shelter', { exact: true }).check();
    await maria.getByLabel('urgent', { exact: true }).check();
    await maria.getByLabel('Country the person is in now (two letters, e.g. MK)').fill('AT');
    await maria.getByLabel('Summary, written without identifying details').fill('Returns home; will testify in Vienna.');
    await maria.getByLabel('Name', { exact: true }).fill('Maria LEFÖ');
    await maria.getByLabel('Email', { exact: true }).fill('maria@example.org');
    await maria.getByRole('button', { name: 'Preview what will be sent' }).click();
    await expect(maria.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Check what will leave this node');
    await clean(maria, 'refer-preview');
    await maria.getByRole('button', { name: 'Send the referral' }).click();
    await expect(maria.getByRole('status').textContent()).resolves.toContain('The referral is sent.');
    const referralId = new URL(maria.url()).pathname.split('/')[2]!;
    await dn.net.drain();

    // ASTRA, in a second browser context: the inbox shows it; the coordinator accepts
    const astra = await signedIn('astra', 'coordinator');
    await astra.getByRole('link', { name: new RegExp(`…${referralId.slice(-8)}`) }).click();
    await clean(astra, 'referral-incoming');
    await astra.getByLabel('Name', { exact: true }).fill('Jelena ASTRA');
    await astra.getByLabel('Phone', { exact: true }).fill('+381 11 000 0000');
    await astra.getByRole('button', { name: 'Accept the referral' }).click();
    await expect(astra.getByRole('status').textContent()).resolves.toContain('You accepted the referral.');
    await dn.net.drain();

    // LEFÖ-IBF sees the acceptance and ASTRA's contact person, and hands the case over
    await maria.goto(`${web('lefoe-ibf')}/referrals/${referralId}`);
    expect(await maria.locator('#referral-state').getAttribute('data-state')).toBe('accepted');
    await expect(maria.locator('#their-contact').textContent()).resolves.toContain('Jelena ASTRA');
    await maria.getByRole('button', { name: 'Preview the handover' }).click();
    await maria.getByRole('button', { name: 'Hand over these fields' }).click();
    await expect(maria.getByRole('status').textContent()).resolves.toContain('The case is handed over');
    await dn.net.drain();

    // the court return trip, planned together: LEFÖ-IBF plans, ASTRA owns the tickets and ticks them off
    await maria.goto(`${web('lefoe-ibf')}/referrals/${referralId}`);
    await maria.getByRole('link', { name: 'Plan the court return trip with the partner' }).click();
    await maria.getByLabel('Date of the hearing').fill('2027-01-20');
    await maria.getByLabel('Court', { exact: true }).fill('Landesgericht für Strafsachen Wien');
    await maria.getByLabel('City').fill('Wien');
    await maria.getByLabel('Country (two letters, e.g. AT)').fill('AT');
    await maria.getByLabel(term('en', 'tripMode', 'in-person')).check();
    const task = maria.getByRole('group', { name: 'Task 1' });
    await task.getByLabel('Task').selectOption('tickets');
    await task.getByLabel('Owner').selectOption('theirs');
    await task.getByLabel('Due date').fill('2026-12-20');
    await maria.getByRole('button', { name: 'Plan the trip' }).click();
    await expect(maria.getByRole('status').textContent()).resolves.toContain('The court trip is planned and shared with the partner organisation.');
    const tripId = new URL(maria.url()).pathname.split('/')[2]!;
    await clean(maria, 'court-trip');
    await dn.net.drain();
    await astra.goto(`${web('astra')}/court-trips/${tripId}`);
    const tickets = astra.locator('li.card').filter({ has: astra.getByRole('heading', { level: 3, name: term('en', 'taskKind', 'tickets') }) });
    await tickets.getByRole('button', { name: 'Mark done' }).click();
    await expect(astra.getByRole('status').textContent()).resolves.toContain('The task is marked done');
    await dn.net.drain();
    await maria.reload();
    await expect(maria.locator('li.card').filter({ hasText: term('en', 'taskKind', 'tickets') }).textContent()).resolves.toContain(term('en', 'taskStatus', 'done'));

    // the person withdraws her consent: ASTRA is told to delete, and its receipt arrives on the case
    await maria.goto(`${web('lefoe-ibf')}/cases/${caseId}`);
    await maria.getByRole('link', { name: 'Withdraw this consent…' }).click();
    await expect(maria.locator('main').textContent()).resolves.toContain(astraName);
    await maria.getByRole('button', { name: 'Withdraw the consent' }).click();
    await expect(maria.getByRole('status').textContent()).resolves.toContain('The consent is withdrawn.');
    await expect(maria.locator('main').textContent()).resolves.toContain('waiting for the deletion receipt');
    await dn.net.drain();
    await maria.reload();
    await expect(maria.locator('article.card').textContent()).resolves.toContain(`${astraName}: deletion confirmed`);
    await clean(maria, 'case-withdrawn');
    const atAstra = (await dn.api('astra', 'GET', `/api/v1/referrals/${referralId}`)).json.caseId as string;
    expect((await dn.api('astra', 'GET', `/api/v1/cases/${atAstra}`)).json.data).toBeNull();
  }, 240_000);
});
