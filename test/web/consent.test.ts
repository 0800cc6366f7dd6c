import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256, toBase64Url } from '../../protocol/index.js';
import { TEST_PASSWORD, signIn } from '../helpers/network.js';
import type { DirectoryNetwork } from '../helpers/directory-network.js';
import { launchBrowser, screenshot, seriousViolations } from '../helpers/browser.js';
import { CONTACT, PERSON_CASE, offerTo, startCaseworkNetwork } from '../helpers/casework.js';

/**
 * Recording a consent with the person and withdrawing it, in a real browser at Open Gate, with
 * ASTRA a real node on the other side: exactly the chosen purposes, recipients and fields are
 * recorded; the review says it in plain sentences; the printed Arabic text is right to left and
 * its SHA-256 is the one in the signed record; a field left out never reaches ASTRA; withdrawing
 * in the browser tells ASTRA, and its deletion receipt shows on the case once it arrives.
 */

let dn: DirectoryNetwork;
let browser: Browser;
let web: string;
let elena: string;
let astraName: string;

const FIELDS = ['/person/givenName', '/person/familyName', '/riskAssessment', '/needs']; // in the form's order

async function signedIn(name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${web}/sign-in`);
  await page.getByLabel('Account name', { exact: true }).fill(name);
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
}

async function as(token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${dn.net.nodes['open-gate']!.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, json: (await res.json()) as any };
}

beforeAll(async () => {
  dn = await startCaseworkNetwork({ web: true, logLevel: 'error' });
  const og = dn.net.nodes['open-gate']!;
  web = og.webUrl!;
  elena = await signIn(og.url, og.node.localToken, { name: 'elena', role: 'case-worker', team: 'skopje' });
  astraName = (await dn.api('open-gate', 'GET', '/api/v1/directory/orgs/org:astra')).json.name;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await dn?.close();
});

describe('recording and withdrawing a consent in the web interface', () => {
  it('records exactly what was chosen, after a review, with a printable Arabic text whose hash is in the record; withdraws it and shows the deletion receipt', async () => {
    const opened = await as(elena, 'POST', '/api/v1/cases', PERSON_CASE);
    expect(opened.status).toBe(201);
    const caseId = opened.json.id as string;
    const page = await signedIn('elena');
    await page.goto(`${web}/cases/${caseId}`);
    await page.getByRole('link', { name: 'Record a consent with the person' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Record a consent');
    expect(await seriousViolations(page)).toEqual([]);

    // nothing chosen: each missing choice is named, nothing recorded
    await page.getByRole('button', { name: 'Review before recording' }).click();
    const alert = await page.getByRole('alert').textContent();
    for (const label of ['What for', 'Who receives it', 'What is shared', 'Country whose law applies']) expect(alert).toContain(label);
    // an organisation id typed by hand that cannot be one: its field is named, the value is not echoed
    await page.getByLabel('Other organisations (their Corridor ids, e.g. org:astra)').fill('Not An Org!');
    await page.getByRole('button', { name: 'Review before recording' }).click();
    const typed = await page.getByRole('alert').textContent();
    expect(typed).toContain('Other organisations');
    expect(typed).not.toContain('Not An Org');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Other organisations (their Corridor ids, e.g. org:astra)').fill('');

    await page.locator('input[name=purposes][value=referral]').check();
    await page.locator('input[name=purposes][value=assistance]').check();
    await page.getByLabel(astraName, { exact: true }).check();
    for (const field of ['first name', 'family name', 'the help you need', 'the risk assessment and safety plan']) await page.getByLabel(field, { exact: true }).check();
    await page.getByLabel('Country whose law applies').selectOption('MK');
    await page.getByLabel('The person’s language (for the consent text)').selectOption('ar');
    await page.getByLabel('An interpreter was present').check();
    await page.getByRole('button', { name: 'Review before recording' }).click();

    // the review: plain sentences in the case worker's language; the phone is not among them
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Review the consent');
    const notice = page.locator('[data-notice]');
    await expect(notice.textContent()).resolves.toContain(`Who will receive it: ${astraName}.`);
    await expect(notice.textContent()).resolves.toContain('Who you are: first name and family name');
    expect(await notice.textContent()).not.toContain('phone');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'consent-review');
    expect((await as(elena, 'GET', `/api/v1/cases/${caseId}`)).json.consents).toEqual([]);
    // the draft printed for the person before anything is recorded: Arabic, right to left
    const [draft] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('button', { name: 'Print the text for the person' }).click()]);
    await draft.waitForLoadState();
    expect(await draft.getAttribute('html', 'dir')).toBe('rtl');
    await expect(draft.getByRole('status').textContent()).resolves.toContain('not recorded yet');
    const draftLines = await draft.locator('[data-line]').allTextContents();
    expect(await seriousViolations(draft)).toEqual([]);
    await draft.close();
    await page.getByRole('button', { name: 'The person agrees: record the consent' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('The consent is recorded and signed.');

    // exactly what was chosen, signed, with the Arabic notice
    const [k] = (await as(elena, 'GET', `/api/v1/cases/${caseId}`)).json.consents;
    expect(k.processing).toEqual([
      { purposes: ['referral', 'assistance'], recipients: ['org:astra'], categories: ['identity', 'risk-assessment', 'needs'], fields: FIELDS, onwardSharing: { allowed: false, to: [] }, retention: 'P1Y' },
    ]);
    expect(k).toMatchObject({ status: 'given', jurisdiction: 'MK', given: { method: 'written', language: 'ar', interpreterPresent: true, givenBy: 'data-subject' }, notice: { id: 'corridor-consent-notice-1', language: 'ar' } });
    expect(k.expires - Math.floor(dn.net.clock.now() / 1000)).toBeLessThanOrEqual(366 * 86_400);

    // the printed text: Arabic, right to left, and word for word what the record's hash says
    await page.getByRole('link', { name: 'Print the consent text' }).click();
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    const lines = await page.locator('[data-line]').allTextContents();
    expect(toBase64Url(sha256(new TextEncoder().encode(lines.join('\n'))))).toBe(k.notice.sha256);
    expect(lines).toEqual(draftLines); // what was printed before recording is what the hash proves
    await expect(page.getByRole('status').textContent()).resolves.toContain('word for word');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'consent-print-ar');
    // the same consent in Farsi is a translation: not the text the hash was made of
    await page.getByLabel('Show in').selectOption('fa');
    await page.getByRole('button', { name: 'Show' }).click();
    expect(await page.getAttribute('html', 'lang')).toBe('fa');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await expect(page.getByRole('status').textContent()).resolves.toContain('not word for word');

    // a referral to ASTRA under it: the phone (not consented) never arrives
    const offered = await dn.api('open-gate', 'POST', '/api/v1/referrals', offerTo('org:astra', { caseId, consentId: k.id }));
    expect(offered.status).toBe(201);
    await dn.net.drain();
    await dn.api('astra', 'POST', `/api/v1/referrals/${offered.json.id}/accept`, { contact: CONTACT('Jelena ASTRA') });
    await dn.net.drain();
    expect((await dn.api('open-gate', 'POST', `/api/v1/referrals/${offered.json.id}/handover`, {})).json.state).toBe('handed-over');
    await dn.net.drain();
    const astraCase = (await dn.api('astra', 'GET', `/api/v1/referrals/${offered.json.id}`)).json.caseId as string;
    const received = (await dn.api('astra', 'GET', `/api/v1/cases/${astraCase}`)).json.data;
    expect(received.person).toEqual({ givenName: 'Marija', familyName: 'Testović' });
    expect(JSON.stringify(received)).not.toContain('555 0199');

    // withdraw in the browser: what will happen, who will be told, then the receipt
    await page.goto(`${web}/cases/${caseId}`);
    await expect(page.getByRole('table').filter({ hasText: 'Jelena ASTRA' }).count()).resolves.toBe(1);
    await page.getByRole('link', { name: 'Withdraw this consent…' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Withdraw a consent');
    await expect(page.locator('main').textContent()).resolves.toContain(astraName);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Withdraw the consent' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('The consent is withdrawn.');
    await expect(page.locator('main').textContent()).resolves.toContain('waiting for the deletion receipt');
    expect(await page.getByRole('link', { name: 'Withdraw this consent…' }).count()).toBe(0);

    await dn.net.drain();
    await page.reload();
    const card = page.locator('article.card');
    await expect(card.textContent()).resolves.toContain(`${astraName}: deletion confirmed`);
    expect(await card.textContent()).not.toContain('waiting for the deletion receipt');
    expect((await dn.api('astra', 'GET', `/api/v1/cases/${astraCase}`)).json.data).toBeNull();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'case-view-withdrawn');
    await page.context().close();
  });
});
