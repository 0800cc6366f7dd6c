import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { term } from '../../node/web/terms.js';
import { CONTACT, caseWithConsent, offerTo, startCaseworkNetwork } from '../helpers/casework.js';
import type { DirectoryNetwork } from '../helpers/directory-network.js';
import { TEST_PASSWORD, signIn } from '../helpers/network.js';
import { launchBrowser, screenshot, seriousViolations } from '../helpers/browser.js';

/**
 * The court return trip as a shared checklist (issue 8), in a real browser against real nodes:
 * LEFÖ-IBF (Vienna) has handed a case over to ASTRA (Belgrade); at LEFÖ-IBF a coordinator plans
 * the trip to the hearing with two tasks, one owned by ASTRA; after the messages flow, ASTRA's
 * coordinator (a second browser context) sees the task it owns and marks it done; LEFÖ-IBF sees
 * it done. When the clock passes a due date the open task is marked overdue in words. A case
 * worker of another team sees neither the trip in the list nor its checklist. Every screen is
 * checked with axe-core.
 */

let dn: DirectoryNetwork;
let browser: Browser;
const web = (name: string) => dn.net.nodes[name]!.webUrl!;
const api = (name: string, method: string, path: string, body?: unknown) => dn.api(name, method, path, body);

const FIELDS = ['/person/givenName', '/person/languages', '/needs'];
const PURPOSES = ['referral', 'assistance', 'legal-proceedings', 'return-travel'];
let referralId: string;
/** a second referral whose consent covers legal proceedings but not return travel */
let videoOnlyReferral: string;

/** LEFÖ-IBF refers a case to ASTRA under a consent for these purposes, ASTRA accepts, LEFÖ-IBF hands it over */
async function handedOver(purposes: string[]): Promise<string> {
  const ids = await caseWithConsent(dn, 'lefoe-ibf', { recipients: ['org:astra'], purposes, fields: FIELDS });
  const offered = await api('lefoe-ibf', 'POST', '/api/v1/referrals', offerTo('org:astra', ids, { contact: CONTACT('Anna LEFÖ'), currentCountry: 'AT' }));
  expect(offered.status).toBe(201);
  await dn.net.drain();
  await api('astra', 'POST', `/api/v1/referrals/${offered.json.id}/accept`, { contact: CONTACT('Jelena ASTRA') });
  await dn.net.drain();
  expect((await api('lefoe-ibf', 'POST', `/api/v1/referrals/${offered.json.id}/handover`, {})).json.state).toBe('handed-over');
  await dn.net.drain();
  return offered.json.id;
}

beforeAll(async () => {
  dn = await startCaseworkNetwork({ web: true, logLevel: 'error' });
  referralId = await handedOver(PURPOSES);
  videoOnlyReferral = await handedOver(['referral', 'legal-proceedings']);
  const lefoe = dn.net.nodes['lefoe-ibf']!;
  await signIn(lefoe.url, lefoe.node.localToken, { name: 'petra', role: 'case-worker', team: 'graz' });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await dn?.close();
});

async function signedIn(name: string, account: string, viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(viewport ? { viewport } : {});
  const page = await context.newPage();
  await page.goto(`${web(name)}/sign-in`);
  await page.getByLabel('Account name').fill(account);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  expect(new URL(page.url()).pathname).toBe('/');
  return { context, page };
}

const card = (page: Page, kind: string) => page.locator('li.card').filter({ has: page.getByRole('heading', { level: 3, name: term('en', 'taskKind', kind) }) });

describe('the court return trip checklist', () => {
  let tripId: string;

  it('LEFÖ-IBF plans the trip with two tasks, one owned by ASTRA; a bad row is refused by field and nothing is sent', async () => {
    const { context, page } = await signedIn('lefoe-ibf', 'coordinator');
    await page.getByRole('link', { name: 'Court trips' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Court return trips');
    await expect(page.getByText('No court trip is planned for your cases.').count()).resolves.toBe(1);
    await page.getByRole('link', { name: 'Plan a court trip' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Plan a court trip');
    expect(await seriousViolations(page)).toEqual([]);

    const fillHearing = async () => {
      await page.getByLabel('Referral').selectOption(referralId);
      await page.getByLabel('Date of the hearing').fill('2027-01-20');
      await page.getByLabel('Time (optional, 24 hours, e.g. 09:30)').fill('09:30');
      await page.getByLabel('Court', { exact: true }).fill('Landesgericht für Strafsachen Wien');
      await page.getByLabel('City').fill('Wien');
      await page.getByLabel('Country (two letters, e.g. AT)').fill('at');
      await page.getByLabel(term('en', 'tripMode', 'in-person')).check();
    };
    const task = (n: number) => page.getByRole('group', { name: `Task ${n}` });

    // a task without a due date: refused, named by its row, what was typed is kept
    await fillHearing();
    await task(1).getByLabel('Task').selectOption('tickets');
    await task(1).getByLabel('Owner').selectOption('theirs');
    await page.getByRole('button', { name: 'Plan the trip' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Task 1: Due date');
    await expect(page.getByLabel('City').inputValue()).resolves.toBe('Wien');
    await expect(task(1).getByLabel('Task').inputValue()).resolves.toBe('tickets');
    expect((await api('lefoe-ibf', 'GET', '/api/v1/court-trips')).json.trips).toEqual([]);

    await task(1).getByLabel('Due date').fill('2026-12-03');
    await task(2).getByLabel('Task').selectOption('airport-pickup');
    await task(2).getByLabel('Owner').selectOption('ours');
    await task(2).getByLabel('Due date').fill('2026-12-05');
    await task(2).getByLabel('Note (optional)').fill('Met at VIE arrivals by Anna');
    await page.getByRole('button', { name: 'Plan the trip' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('The court trip is planned and shared with the partner organisation.');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Court trip checklist');
    tripId = new URL(page.url()).pathname.split('/')[2]!;

    // what the API holds is what was typed; task 3 (left empty) is not there
    const held = (await api('lefoe-ibf', 'GET', `/api/v1/court-trips/${tripId}`)).json.plan;
    expect(held).toMatchObject({ referralId, mode: 'in-person', revision: 0, hearing: { court: 'Landesgericht für Strafsachen Wien', city: 'Wien', country: 'AT', date: '2027-01-20', time: '09:30' } });
    expect(held.tasks.map((t: { kind: string; owner: string; due: string }) => [t.kind, t.owner, t.due])).toEqual([
      ['tickets', 'org:astra', '2026-12-03'],
      ['airport-pickup', 'org:lefoe-ibf', '2026-12-05'],
    ]);
    await expect(card(page, 'tickets').textContent()).resolves.toContain('Partner (org:astra)');
    await expect(card(page, 'airport-pickup').textContent()).resolves.toContain('Us (org:lefoe-ibf)');
    await expect(card(page, 'airport-pickup').textContent()).resolves.toContain('due soon');
    expect(await seriousViolations(page)).toEqual([]);

    // the list: hearing, place, mode, open tasks and those due soon
    await page.getByRole('link', { name: 'All court trips' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Landesgericht' });
    await expect(row.textContent()).resolves.toContain('Wien (AT)');
    await expect(row.textContent()).resolves.toContain('2 open');
    await expect(row.textContent()).resolves.toContain('2 due within 7 days');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'court-trips');

    // the inbox names the tasks due within 7 days and links to the trip
    await page.getByRole('link', { name: 'Inbox' }).click();
    const soon = page.getByRole('region', { name: 'Court trip tasks due in the next 7 days' });
    await expect(soon.getByRole('link', { name: term('en', 'taskKind', 'airport-pickup') }).getAttribute('href')).resolves.toBe(`/court-trips/${tripId}`);
    await expect(soon.getByRole('link', { name: term('en', 'taskKind', 'tickets') }).count()).resolves.toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('ASTRA sees the task it owns after the plan arrives, and marks it done; LEFÖ-IBF sees it done', async () => {
    await dn.net.drain();
    const { context, page } = await signedIn('astra', 'coordinator');
    await page.goto(`${web('astra')}/court-trips/${tripId}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Court trip checklist');
    const tickets = card(page, 'tickets');
    await expect(tickets.textContent()).resolves.toContain('Us (org:astra)');
    await expect(card(page, 'airport-pickup').textContent()).resolves.toContain('Partner (org:lefoe-ibf)');
    await tickets.getByRole('button', { name: 'Mark done' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('The task is marked done and the partner organisation is told.');
    await expect(card(page, 'tickets').textContent()).resolves.toContain(term('en', 'taskStatus', 'done'));
    await expect(card(page, 'tickets').getByRole('button', { name: 'Mark done' }).count()).resolves.toBe(0);
    // the history says who did what
    await expect(page.getByRole('region', { name: 'Latest changes' }).textContent()).resolves.toContain('Us (org:astra)');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();

    expect((await api('lefoe-ibf', 'GET', `/api/v1/court-trips/${tripId}`)).json.plan.tasks.find((t: { kind: string }) => t.kind === 'tickets').status).toBe('open');
    await dn.net.drain();
    expect((await api('lefoe-ibf', 'GET', `/api/v1/court-trips/${tripId}`)).json.plan.tasks.find((t: { kind: string }) => t.kind === 'tickets').status).toBe('done');
    const lefoe = await signedIn('lefoe-ibf', 'coordinator');
    await lefoe.page.goto(`${web('lefoe-ibf')}/court-trips/${tripId}`);
    await expect(card(lefoe.page, 'tickets').textContent()).resolves.toContain(term('en', 'taskStatus', 'done'));
    await expect(lefoe.page.getByRole('region', { name: 'Latest changes' }).textContent()).resolves.toContain('Partner (org:astra)');
    await lefoe.context.close();
  });

  it('changes a task and adds one at LEFÖ-IBF, and the partner gets both', async () => {
    const { context, page } = await signedIn('lefoe-ibf', 'coordinator');
    await page.goto(`${web('lefoe-ibf')}/court-trips/${tripId}`);
    const pickup = card(page, 'airport-pickup');
    await pickup.getByText('Change this task').click();
    await pickup.getByLabel('Note (optional)').fill('Met at VIE arrivals by Maria');
    await pickup.getByLabel('Status').selectOption('in-progress');
    await pickup.getByRole('button', { name: 'Save the task' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('The task is changed');

    const add = page.getByRole('region', { name: 'Add a task' });
    await add.getByLabel('Task').selectOption('interpreter');
    await add.getByLabel('Owner').selectOption('ours');
    await add.getByLabel('Due date').fill('2027-01-20');
    await add.getByRole('button', { name: 'Add the task' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('The task is added');
    await expect(card(page, 'interpreter').count()).resolves.toBe(1);
    await context.close();

    await dn.net.drain();
    const atAstra = (await api('astra', 'GET', `/api/v1/court-trips/${tripId}`)).json.plan.tasks as { kind: string; status: string; note?: string; owner: string }[];
    expect(atAstra.find((t) => t.kind === 'airport-pickup')).toMatchObject({ status: 'in-progress', note: 'Met at VIE arrivals by Maria' });
    expect(atAstra.find((t) => t.kind === 'interpreter')).toMatchObject({ owner: 'org:lefoe-ibf', status: 'open' });
  });

  it('marks an open task overdue in words once its date has passed, not a done one; on a phone screen too', async () => {
    dn.net.clock.advance({ hours: 24 * 10 }); // 2026-12-08: the pickup (due 12-05) is late, the tickets are done
    const { context, page } = await signedIn('lefoe-ibf', 'coordinator');
    await page.goto(`${web('lefoe-ibf')}/court-trips/${tripId}`);
    await expect(card(page, 'airport-pickup').locator('.badge.overdue').textContent()).resolves.toBe('overdue');
    await expect(card(page, 'tickets').locator('.badge.overdue').count()).resolves.toBe(0);
    await expect(card(page, 'interpreter').locator('.badge.overdue').count()).resolves.toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'court-trip-checklist');

    await page.getByRole('link', { name: 'Inbox' }).click();
    const overdue = page.getByRole('region', { name: 'Court trip tasks overdue' });
    await expect(overdue.getByRole('link', { name: term('en', 'taskKind', 'airport-pickup') }).count()).resolves.toBe(1);
    await expect(overdue.getByRole('link', { name: term('en', 'taskKind', 'tickets') }).count()).resolves.toBe(0);
    await page.goto(`${web('lefoe-ibf')}/court-trips`);
    await expect(page.getByRole('row').filter({ hasText: 'Landesgericht' }).textContent()).resolves.toContain('1 overdue');
    await context.close();

    const phone = await signedIn('lefoe-ibf', 'coordinator', { width: 375, height: 800 });
    await phone.page.goto(`${web('lefoe-ibf')}/court-trips/${tripId}`);
    await expect(card(phone.page, 'airport-pickup').locator('.badge.overdue').isVisible()).resolves.toBe(true);
    // nothing wider than the screen
    expect(await phone.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    expect(await seriousViolations(phone.page)).toEqual([]);
    await screenshot(phone.page, 'court-trip-checklist-375');
    await phone.context.close();
  });

  it('changes the hearing: a new revision, shared with the partner', async () => {
    const { context, page } = await signedIn('lefoe-ibf', 'coordinator');
    await page.goto(`${web('lefoe-ibf')}/court-trips/${tripId}`);
    const form = page.getByRole('region', { name: 'Change the hearing' });
    await form.getByLabel('Time (optional, 24 hours, e.g. 09:30)').fill('11:15');
    await form.getByLabel(term('en', 'tripMode', 'video-link')).check();
    await form.getByRole('button', { name: 'Save the hearing' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('The hearing is changed');
    // the same again changes nothing, and says so
    await page.getByRole('region', { name: 'Change the hearing' }).getByRole('button', { name: 'Save the hearing' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Nothing was changed');
    await context.close();
    await dn.net.drain();
    const lefoe = dn.net.nodes['lefoe-ibf']!.node.ctx.casework.courtTrips.view(tripId).plan;
    const astra = dn.net.nodes.astra!.node.ctx.casework.courtTrips.view(tripId).plan;
    expect(lefoe).toMatchObject({ revision: 1, mode: 'video-link', hearing: { time: '11:15' } });
    expect(astra).toEqual(lefoe);
  });

  it('keeps a case worker of another team out: the list is empty and the checklist is not allowed', async () => {
    const { context, page } = await signedIn('lefoe-ibf', 'petra');
    await page.goto(`${web('lefoe-ibf')}/court-trips`);
    await expect(page.getByText('No court trip is planned for your cases.').count()).resolves.toBe(1);
    const res = await page.goto(`${web('lefoe-ibf')}/court-trips/${tripId}`);
    expect(res?.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Not allowed');
    expect(await page.content()).not.toContain('Landesgericht');
    await context.close();
  });
  it('refuses a trip in person the consent does not cover, in words, and sends nothing; by video link it is planned', async () => {
    const trips = (name: string) => dn.net.nodes[name]!.node.ctx.casework.courtTrips.list(50, 0).filter((t) => t.referralId === videoOnlyReferral);
    const { context, page } = await signedIn('lefoe-ibf', 'coordinator');
    await page.goto(`${web('lefoe-ibf')}/court-trips/new?referral=${videoOnlyReferral}`);
    await expect(page.getByLabel('Referral').inputValue()).resolves.toBe(videoOnlyReferral);
    await page.getByLabel('Date of the hearing').fill('2027-02-10');
    await page.getByLabel('Court', { exact: true }).fill('Bezirksgericht Innere Stadt Wien');
    await page.getByLabel('City').fill('Wien');
    await page.getByLabel('Country (two letters, e.g. AT)').fill('AT');
    await page.getByLabel(term('en', 'tripMode', 'in-person')).check();
    const first = page.getByRole('group', { name: 'Task 1' });
    await first.getByLabel('Task').selectOption('tickets');
    await first.getByLabel('Owner').selectOption('theirs');
    await first.getByLabel('Due date').fill('2027-02-01');
    await page.getByRole('button', { name: 'Plan the trip' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('consent does not cover this plan');
    await expect(page.getByLabel('Court', { exact: true }).inputValue()).resolves.toBe('Bezirksgericht Innere Stadt Wien');
    expect(await seriousViolations(page)).toEqual([]);
    await dn.net.drain();
    expect(trips('lefoe-ibf')).toEqual([]);
    expect(trips('astra')).toEqual([]);

    await page.getByLabel(term('en', 'tripMode', 'video-link')).check();
    await page.getByRole('button', { name: 'Plan the trip' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('The court trip is planned');
    await context.close();
    await dn.net.drain();
    expect(trips('astra')).toEqual([expect.objectContaining({ mode: 'video-link', hearing: expect.objectContaining({ court: 'Bezirksgericht Innere Stadt Wien' }) })]);
  });
});
