import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestNetwork, TEST_PASSWORD, sessionFor, signIn, startNetwork } from '../helpers/network.js';
import { launchBrowser, screenshot, seriousViolations } from '../helpers/browser.js';

let net: TestNetwork;
let browser: Browser;
let web: string;

beforeAll(async () => {
  net = await startNetwork(['astra'], { web: true });
  const astra = net.nodes.astra!;
  web = astra.webUrl!;
  await signIn(astra.url, astra.node.localToken, { name: 'jelena', role: 'case-worker', team: 'belgrade' });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await net?.close();
});

describe('signing in to the web interface', () => {
  it('shows the sign-in page to a stranger, and nothing else', async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${web}/`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(res?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign in to Corridor');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in');
    await page.close();
  });

  it('refuses a wrong password with one clear message, without echoing the password', async () => {
    const page = await browser.newPage();
    await page.goto(`${web}/sign-in`);
    await page.getByLabel('Account name').fill('jelena');
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('wrong');
    expect(await page.content()).not.toContain('not the password at all');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.close();
  });

  it('signs in, confirms it, keeps the token out of scripts and storage, and signs out', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${web}/sign-in`);
    await page.getByLabel('Account name').fill('jelena');
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(new URL(page.url()).pathname).toBe('/');
    await expect(page.getByRole('status').textContent()).resolves.toContain('You are signed in.');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Inbox');
    // the session cookie is HttpOnly and SameSite=Strict: no script reads it, nothing in storage
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'corridor_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');
    expect(await page.evaluate('[document.cookie, localStorage.length, sessionStorage.length]')).toEqual(['', 0, 0]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await expect(page.getByRole('status').textContent()).resolves.toContain('You are signed out.');
    // the old token no longer opens anything
    const res = await page.goto(`${web}/`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(res?.status()).toBe(200);
    await context.close();
  });

  it('an ended session (expired, or ended elsewhere) leads back to sign-in, saying so', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${web}/sign-in`);
    await page.getByLabel('Account name').fill('jelena');
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(new URL(page.url()).pathname).toBe('/');
    // the node ends the session (as it does when it expires): the cookie's token is refused
    const token = (await context.cookies()).find((c) => c.name === 'corridor_session')!.value;
    const ended = await fetch(`${net.nodes.astra!.url}/api/v1/session`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(ended.status).toBeLessThan(300);
    await page.goto(`${web}/`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await expect(page.getByRole('status').textContent()).resolves.toContain('Your session has ended.');
    expect((await context.cookies()).find((c) => c.name === 'corridor_session')).toBeUndefined();
    await context.close();
  });

  it('switches the language for this browser', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${web}/sign-in`);
    await page.getByLabel('Language').selectOption('de');
    await page.getByRole('button', { name: 'Change' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Bei Corridor anmelden');
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    await context.close();
  });

  it('the accessibility check can fail: a field without a label and an image without text are found', async () => {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html lang="en"><head><title>t</title></head><body><main><h1>x</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></main></body></html>');
    const ids = (await seriousViolations(page)).map((v) => v.id);
    expect(ids).toContain('image-alt');
    expect(ids).toContain('label');
    await page.close();
  });

  it('keeps the language a person chose with their account: it follows them to another browser', async () => {
    const first = await browser.newContext();
    const page = await first.newPage();
    await page.goto(`${web}/sign-in`);
    await page.getByLabel('Account name').fill('jelena');
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Language').selectOption('sr');
    await page.getByRole('button', { name: 'Change' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Prijemno sanduče');
    await first.close();
    // another browser, English at first; after signing in, Serbian
    const second = await browser.newContext({ locale: 'en-GB' });
    const other = await second.newPage();
    await other.goto(`${web}/sign-in`);
    await expect(other.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign in to Corridor');
    await other.getByLabel('Account name').fill('jelena');
    await other.getByLabel('Password').fill(TEST_PASSWORD);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await expect(other.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Prijemno sanduče');
    expect(await other.getAttribute('html', 'lang')).toBe('sr-Latn');
    await second.close();
    // kept by the node, not only in a cookie
    const session = await fetch(`${net.nodes.astra!.url}/api/v1/session`, { headers: { authorization: `Bearer ${await sessionFor(net.nodes.astra!.url, 'jelena')}` } });
    expect(((await session.json()) as { language: string }).language).toBe('sr');
  });

  it('refuses a form posted from another site', async () => {
    const res = await fetch(`${web}/sign-in`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' }, body: 'name=jelena&password=x' });
    expect(res.status).toBe(403);
  });
});
