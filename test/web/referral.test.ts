import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryNetwork } from '../helpers/directory-network.js';
import { CONTACT, caseWithConsent, offerTo, startCaseworkNetwork } from '../helpers/casework.js';
import { TEST_PASSWORD, signIn } from '../helpers/network.js';
import { launchBrowser, screenshot, seriousViolations } from '../helpers/browser.js';

/**
 * The referral in two real browsers over three real nodes with a signed directory: Elena (case
 * worker, Open Gate) searches the directory beside the form, picks ASTRA, sees exactly which
 * fields will leave, sends; ASTRA's coordinator, in a second browser context, finds it in the
 * inbox and accepts; Elena sees "accepted" and ASTRA's contact person, previews the handover (only
 * what the consent allows) and hands over; what arrives is what the preview listed. Also: decline,
 * a refused form that keeps what was typed, a case worker of another team refused, a phone screen.
 */

const FIELDS = ['/person/givenName', '/person/languages', '/needs', '/riskAssessment'];
const OFFER_FIELDS = ['/needs', '/languages', '/gender', '/ageBand', '/child', '/currentCountry', '/destinationCountry', '/urgency', '/purpose', '/summary', '/contact'];
const SUMMARY = 'Young woman, presumed victim of labour exploitation, wants to go home.';

let dn: DirectoryNetwork;
let browser: Browser;
let ids: { caseId: string; consentId: string };
const contexts: BrowserContext[] = [];

async function signedIn(node: string, name: string): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${dn.net.nodes[node]!.webUrl}/sign-in`);
  await page.getByLabel('Account name').fill(name);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  expect(new URL(page.url()).pathname).toBe('/');
  return page;
}
const web = (node: string) => dn.net.nodes[node]!.webUrl!;
const get = async (node: string, path: string) => (await dn.api(node, 'GET', path)).json;
const rows = (page: Page, table: string) => page.locator(`#${table} tbody tr`).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-field')));
// the state as the API names it (the words shown for it come from term() and may change)
const state = (page: Page) => page.locator('#referral-state').getAttribute('data-state');

beforeAll(async () => {
  dn = await startCaseworkNetwork({ web: true });
  const og = dn.net.nodes['open-gate']!;
  await signIn(og.url, og.node.localToken, { name: 'elena', role: 'case-worker', team: 'skopje' });
  await signIn(og.url, og.node.localToken, { name: 'marko', role: 'case-worker', team: 'ohrid' });
  ids = await caseWithConsent(dn, 'open-gate', { recipients: ['org:astra'], fields: FIELDS });
  expect((await dn.api('open-gate', 'PUT', `/api/v1/cases/${ids.caseId}/assignment`, { team: 'skopje' })).status).toBe(200);
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await dn?.close();
});

describe('a referral in the browser, from Open Gate to ASTRA', () => {
  let referralId: string;

  it('refers with the directory beside the form and a preview of exactly what leaves', async () => {
    const page = await signedIn('open-gate', 'elena');
    await page.goto(`${web('open-gate')}/cases/${ids.caseId}/refer`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Make a referral');
    // the directory beside the form: ASTRA's legal aid in Serbia
    await page.getByLabel('Country (two letters, e.g. RS)').fill('RS');
    await page.getByLabel('Service', { exact: true }).selectOption('legal_aid');
    await page.getByRole('button', { name: 'Search the directory' }).click();
    await expect(page.locator('li.card h3').allTextContents()).resolves.toEqual(['Pravna pomoć / Legal aid']);
    await page.getByRole('button', { name: 'Choose ASTRA' }).click();
    expect(await page.getByLabel('Receiving organisation (directory id, e.g. org:astra)').inputValue()).toBe('org:astra');
    await expect(page.locator('#refer-to-hint').textContent()).resolves.toBe('Chosen: ASTRA');
    // the consent that covers ASTRA for a referral is offered
    await expect(page.getByLabel('Consent the referral rests on').locator('option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value))).resolves.toEqual([ids.consentId]);
    await page.getByLabel('shelter', { exact: true }).check();
    await page.getByLabel(/^legal.aid$/).check();
    await page.getByLabel('urgent', { exact: true }).check();
    await page.getByLabel('Country the person is in now (two letters, e.g. MK)').fill('MK');
    await page.getByLabel('Destination country (two letters, optional)').fill('RS');
    await page.getByLabel('Summary, written without identifying details').fill(SUMMARY);
    await page.getByLabel('Name', { exact: true }).fill('Elena Open Gate');
    await page.getByLabel('Email', { exact: true }).fill('elena@example.org');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'refer');

    await page.getByRole('button', { name: 'Preview what will be sent' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Check what will leave this node');
    expect(await rows(page, 'offer-preview')).toEqual(OFFER_FIELDS);
    const preview = await page.locator('#offer-preview').textContent();
    expect(preview).toContain(SUMMARY);
    expect(preview).toContain('Elena Open Gate');
    // nothing identifying in the offer, nothing typed in the address bar, nothing sent yet
    expect(await page.content()).not.toMatch(/Marija|Testović|2001-04-17|555 0199|border crossing/);
    expect(new URL(page.url()).search).toBe('');
    expect((await get('open-gate', '/api/v1/referrals')).referrals).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'refer-preview');

    await page.getByRole('button', { name: 'Send the referral' }).click();
    referralId = new URL(page.url()).pathname.split('/')[2]!;
    expect(new URL(page.url()).pathname).toBe(`/referrals/${referralId}`);
    await expect(page.getByRole('status').textContent()).resolves.toContain('The referral is sent.');
    await expect(state(page)).resolves.toBe('offered');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Referral to ASTRA');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("is accepted at ASTRA in a second browser, and Open Gate sees it with ASTRA's contact person", async () => {
    await dn.net.drain();
    const astra = await signedIn('astra', 'coordinator');
    await astra.getByRole('link', { name: new RegExp(`Open …${referralId.slice(-8)}`) }).click();
    expect(new URL(astra.url()).pathname).toBe(`/referrals/${referralId}`);
    await expect(astra.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Referral from Open Gate / La Strada');
    expect(await rows(astra, 'offer')).toEqual(OFFER_FIELDS.filter((f) => f !== '/contact'));
    await expect(astra.locator('#their-contact').textContent()).resolves.toContain('Elena Open Gate');
    expect(await astra.content()).not.toMatch(/Marija|Testović|555 0199/);
    expect(await seriousViolations(astra)).toEqual([]);
    await screenshot(astra, 'referral-incoming');

    await astra.getByLabel('Name', { exact: true }).fill('Jelena ASTRA');
    await astra.getByLabel('Phone', { exact: true }).fill('+381 11 000 0000');
    await astra.getByRole('button', { name: 'Accept the referral' }).click();
    await expect(astra.getByRole('status').textContent()).resolves.toContain('You accepted the referral.');
    await expect(state(astra)).resolves.toBe('accepted');
    await dn.net.drain();

    const og = await signedIn('open-gate', 'elena');
    await og.goto(`${web('open-gate')}/referrals/${referralId}`);
    await expect(state(og)).resolves.toBe('accepted');
    await expect(og.locator('#their-contact').textContent()).resolves.toContain('Jelena ASTRA');
    expect(await seriousViolations(og)).toEqual([]);
  });

  it('hands over only the fields the consent allows, exactly as previewed', async () => {
    const og = await signedIn('open-gate', 'elena');
    await og.goto(`${web('open-gate')}/referrals/${referralId}`);
    await og.getByRole('button', { name: 'Preview the handover' }).click();
    await expect(og.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Check what will be handed over to ASTRA');
    const listed = await rows(og, 'handover-preview');
    expect(listed).toEqual(['/person/givenName', '/person/languages', '/riskAssessment', '/needs']);
    const table = await og.locator('#handover-preview').textContent();
    expect(table).toContain('Marija');
    // fields the consent does not cover are neither listed nor sent
    expect(await og.content()).not.toMatch(/Testović|555 0199|border crossing|2001-04-17/);
    expect(await seriousViolations(og)).toEqual([]);
    await screenshot(og, 'handover-preview');
    await og.getByRole('button', { name: 'Hand over these fields' }).click();
    await expect(og.getByRole('status').textContent()).resolves.toContain('The case is handed over');
    await expect(state(og)).resolves.toBe('handed-over');
    await dn.net.drain();

    const atAstra = await get('astra', `/api/v1/referrals/${referralId}`);
    const theCase = await get('astra', `/api/v1/cases/${atAstra.caseId}`);
    const { riskToLife: _risk, ...data } = theCase.data;
    expect(Object.keys(data.person)).toEqual(['givenName', 'languages']);
    expect(Object.keys(data).sort()).toEqual(['needs', 'person', 'riskAssessment']);
    const ledger = (await get('open-gate', `/api/v1/cases/${ids.caseId}`)).disclosures;
    expect(ledger.at(-1).fields).toEqual(listed);

    // the receiving side sees the case it got
    const astra = await signedIn('astra', 'coordinator');
    await astra.goto(`${web('astra')}/referrals/${referralId}`);
    await expect(astra.getByRole('link', { name: 'Open the case you received' }).getAttribute('href')).resolves.toBe(`/cases/${atAstra.caseId}`);
  });

  it('keeps what was typed when the consent does not cover the organisation, and sends nothing', async () => {
    const page = await signedIn('open-gate', 'elena');
    const before = (await get('open-gate', '/api/v1/referrals')).referrals.length;
    await page.goto(`${web('open-gate')}/cases/${ids.caseId}/refer?to=org:lefoe-ibf`);
    // no consent of this case names LEFÖ-IBF: none is offered, and the form says why
    await expect(page.locator('#refer-consent-hint').textContent()).resolves.toContain('No consent of this case covers this organisation');
    await page.getByLabel('shelter', { exact: true }).check();
    await page.getByLabel('Country the person is in now (two letters, e.g. MK)').fill('MK');
    await page.getByLabel('Summary, written without identifying details').fill(SUMMARY);
    await page.getByRole('button', { name: 'Preview what will be sent' }).click();
    const alert = await page.getByRole('alert').textContent();
    expect(alert).toContain('Consent the referral rests on');
    expect(await page.getByLabel('Summary, written without identifying details').inputValue()).toBe(SUMMARY);
    expect(await page.getByLabel('shelter', { exact: true }).isChecked()).toBe(true);
    expect((await get('open-gate', '/api/v1/referrals')).referrals.length).toBe(before);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('fits a phone screen (375 px): the form and the directory stacked, nothing wider than the screen', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${web('open-gate')}/sign-in`);
    await page.getByLabel('Account name').fill('elena');
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.goto(`${web('open-gate')}/cases/${ids.caseId}/refer`);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    const form = await page.locator('#refer-form-title').boundingBox();
    const dir = await page.locator('#refer-directory-title').boundingBox();
    expect(dir!.y).toBeGreaterThan(form!.y);
    expect(Math.abs(dir!.x - form!.x)).toBeLessThan(5);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'refer-phone');
  });
});

describe('declining, and who may see a referral', () => {
  it('ASTRA declines with a reason; Open Gate sees it', async () => {
    const second = await caseWithConsent(dn, 'open-gate', { recipients: ['org:astra'], fields: FIELDS });
    const offered = await dn.api('open-gate', 'POST', '/api/v1/referrals', offerTo('org:astra', second));
    expect(offered.status).toBe(201);
    await dn.net.drain();
    const astra = await signedIn('astra', 'coordinator');
    await astra.goto(`${web('astra')}/referrals/${offered.json.id}`);
    await astra.getByLabel('Reason').selectOption('no-capacity');
    await astra.getByLabel('Note (optional)').last().fill('Our shelter is full this month.');
    await astra.getByRole('button', { name: 'Decline the referral' }).click();
    await expect(astra.getByRole('status').textContent()).resolves.toContain('You declined the referral.');
    await expect(state(astra)).resolves.toBe('declined');
    await expect(astra.getByRole('button', { name: 'Accept the referral' }).count()).resolves.toBe(0);
    await dn.net.drain();
    expect(await get('open-gate', `/api/v1/referrals/${offered.json.id}`)).toMatchObject({ state: 'declined', reason: 'no-capacity' });
    const og = await signedIn('open-gate', 'coordinator');
    await og.goto(`${web('open-gate')}/referrals/${offered.json.id}`);
    await expect(state(og)).resolves.toBe('declined');
    await expect(og.locator('dl.facts').first().textContent()).resolves.toMatch(/declined \(no.capacity\)/);
  });

  it('a case worker of another team cannot open the referral nor refer the case', async () => {
    const offered = (await get('open-gate', '/api/v1/referrals')).referrals.find((r: { caseId: string }) => r.caseId === ids.caseId);
    const marko = await signedIn('open-gate', 'marko');
    const res = await marko.goto(`${web('open-gate')}/referrals/${offered.id}`);
    expect(res?.status()).toBe(403);
    await expect(marko.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Not allowed');
    const refer = await marko.goto(`${web('open-gate')}/cases/${ids.caseId}/refer`);
    expect(refer?.status()).toBe(403);
    expect(await marko.content()).not.toContain('Testović');
    expect(await seriousViolations(marko)).toEqual([]);
  });
});

describe('revoking and closing from the referral page', () => {
  it('Open Gate revokes an offer with a reason, closes an accepted referral with an outcome; ASTRA sees both', async () => {
    const first = await caseWithConsent(dn, 'open-gate', { recipients: ['org:astra'], fields: FIELDS });
    const toRevoke = await dn.api('open-gate', 'POST', '/api/v1/referrals', offerTo('org:astra', first));
    const toClose = await dn.api('open-gate', 'POST', '/api/v1/referrals', offerTo('org:astra', first));
    await dn.net.drain();
    await dn.api('astra', 'POST', `/api/v1/referrals/${toClose.json.id}/accept`, { contact: CONTACT('Jelena ASTRA') });
    await dn.net.drain();

    const og = await signedIn('open-gate', 'coordinator');
    await og.goto(`${web('open-gate')}/referrals/${toRevoke.json.id}`);
    // an offer not yet answered cannot be closed, only revoked
    await expect(og.getByRole('button', { name: 'Close the referral' }).count()).resolves.toBe(0);
    await og.getByLabel('Reason').selectOption('person-declined');
    await og.getByRole('button', { name: 'Revoke the referral' }).click();
    await expect(og.getByRole('status').textContent()).resolves.toContain('The referral is revoked.');
    await expect(state(og)).resolves.toBe('revoked');

    await og.goto(`${web('open-gate')}/referrals/${toClose.json.id}`);
    await og.getByLabel('Outcome').selectOption('transferred');
    await og.getByRole('button', { name: 'Close the referral' }).click();
    await expect(og.getByRole('status').textContent()).resolves.toContain('The referral is closed.');
    await expect(state(og)).resolves.toBe('closed');
    expect(await seriousViolations(og)).toEqual([]);
    await dn.net.drain();
    expect(await get('astra', `/api/v1/referrals/${toRevoke.json.id}`)).toMatchObject({ state: 'revoked', reason: 'person-declined' });
    expect(await get('astra', `/api/v1/referrals/${toClose.json.id}`)).toMatchObject({ state: 'closed', outcome: 'transferred' });
  });

  it('speaks German when asked', async () => {
    const og = await signedIn('open-gate', 'elena');
    await og.getByLabel('Language').selectOption('de');
    await og.getByRole('button', { name: 'Change' }).click();
    await og.goto(`${web('open-gate')}/cases/${ids.caseId}/refer`);
    await expect(og.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Vermittlung anlegen');
    await expect(og.getByRole('button', { name: 'Vorschau des Gesendeten' }).count()).resolves.toBe(1);
    expect(await og.getAttribute('html', 'lang')).toBe('de');
  });
});
