import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { term } from '../../node/web/terms.js';
import { startCaseworkNetwork } from '../helpers/casework.js';
import type { DirectoryNetwork } from '../helpers/directory-network.js';
import { TEST_PASSWORD, signIn } from '../helpers/network.js';
import { launchBrowser, screenshot, seriousViolations } from '../helpers/browser.js';

/**
 * The node status screen (issue 8) at ASTRA, in a real browser over real nodes with a signed
 * directory: an operator sees the counts, keys, partner nodes and the directory as the local API
 * gives them, runs the audit log check (and sees it fail, naming the entry, when a row of the log
 * has been changed behind the node's back), and refreshes the directory; both forms show progress
 * while they run. A case worker gets "Not allowed" and no link to the screen.
 */

let dn: DirectoryNetwork;
let browser: Browser;
const astra = () => dn.net.nodes.astra!;
const web = () => astra().webUrl!;
const machine = (method: string, path: string, body?: unknown) =>
  fetch(`${astra().url}${path}`, { method, headers: { authorization: `Bearer ${astra().node.localToken}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }).then(async (r) => ({ status: r.status, json: (await r.json()) as any }));

beforeAll(async () => {
  dn = await startCaseworkNetwork({ web: true, logLevel: 'error' });
  // something in the outbox: a message to LEFÖ-IBF, delivered
  dn.net.send('astra', 'lefoe-ibf');
  await dn.net.drain();
  await signIn(astra().url, astra().node.localToken, { name: 'olga', role: 'operator' });
  await signIn(astra().url, astra().node.localToken, { name: 'jelena', role: 'case-worker', team: 'belgrade' });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await dn?.close();
});

async function signedIn(account: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${web()}/sign-in`);
  await page.getByLabel('Account name').fill(account);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  expect(new URL(page.url()).pathname).toBe('/');
  return { context, page };
}

describe('the node status screen', () => {
  it('shows an operator the counts, keys, partner nodes and the directory as the local API gives them', async () => {
    const { context, page } = await signedIn('olga');
    await page.getByRole('link', { name: 'Node status' }).click();
    expect(new URL(page.url()).pathname).toBe('/status');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Node status');
    const status = (await machine('GET', '/api/v1/status')).json;
    const directory = (await machine('GET', '/api/v1/directory')).json;
    expect(directory.version).toBeGreaterThan(0);

    const messages = await page.getByRole('region', { name: 'Messages' }).textContent();
    for (const [state, n] of Object.entries(status.outbox as Record<string, number>)) if (n > 0) expect(messages).toContain(`${term('en', 'messageState', state)}: ${n}`);
    expect(Object.values(status.outbox as Record<string, number>).some((n) => n > 0)).toBe(true);
    const keys = await page.getByRole('region', { name: 'Keys' }).textContent();
    expect(keys).toContain(`Node key ${status.keys.node.kid}`);
    expect(keys).toContain(`Current prekey ${status.keys.prekey.kid}`);
    const peers = page.getByRole('region', { name: 'Partner nodes' });
    for (const org of ['org:lefoe-ibf', 'org:open-gate']) await expect(peers.getByRole('cell', { name: org, exact: true }).count()).resolves.toBe(1);
    const dir = await page.getByRole('region', { name: 'Directory', exact: true }).textContent();
    expect(dir).toContain(`Version held${directory.version}`);
    expect(dir).toContain('fresh');
    expect(dir).toContain(`Organisations${directory.organisations}`);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'status');

    // the two long checks show a progress line while they run (held here before the form leaves)
    await expect(page.locator('form[data-long]').count()).resolves.toBe(2);
    await expect(page.getByRole('progressbar').isVisible()).resolves.toBe(false);
    await page.evaluate(`window.addEventListener('submit', (event) => event.preventDefault(), true)`);
    await page.getByRole('button', { name: 'Sync the directory now' }).click();
    await expect(page.getByRole('progressbar').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Sync the directory now' }).isDisabled()).resolves.toBe(true);

    // in another language, the same screen
    await page.goto(`${web()}/status`);
    await page.getByLabel('Language').selectOption('mk');
    await page.getByRole('button', { name: 'Change' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Состојба на јазолот');
    await expect(page.getByRole('button', { name: 'Провери го ревизорскиот дневник' }).count()).resolves.toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    // the choice is kept with olga's account: back to English for the tests that follow
    await page.getByLabel('Јазик').selectOption('en');
    await page.getByRole('button', { name: 'Промени' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Node status');
    await context.close();
  });

  it('runs the audit log check with a confirmation, and names the first changed entry when the log was tampered with', async () => {
    const { context, page } = await signedIn('olga');
    await page.goto(`${web()}/status`);
    await page.getByRole('button', { name: 'Check the audit log' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('The audit log was checked: it verifies.');
    const result = await page.getByRole('region', { name: 'Audit log check' }).textContent();
    const entries = Number(/The audit log verifies: (\d+) entries and (\d+) checkpoints checked\./.exec(result ?? '')?.[1]);
    expect(entries).toBeGreaterThan(0);
    const again = (await machine('POST', '/api/v1/audit/verify', {})).json;
    expect(again.ok).toBe(true);
    expect(again.entries).toBeGreaterThanOrEqual(entries);
    expect(await seriousViolations(page)).toEqual([]);

    // a row of the log changed behind the node's back: the check says so and names it
    const db = astra().node.ctx.handle.sqlite;
    const seq = 1;
    const row = db.prepare('SELECT seq, bytes, leafHash, caseId FROM audit_entry WHERE seq = ?').get(seq) as { seq: number; bytes: Buffer; leafHash: Buffer; caseId: string | null };
    const forged = Buffer.from(row.bytes.toString('utf8').replace(/"at":(\d+)/, (_m, at: string) => `"at":${Number(at) + 1}`));
    expect(forged.equals(row.bytes)).toBe(false);
    const put = db.prepare('INSERT OR REPLACE INTO audit_entry (seq, bytes, leafHash, caseId) VALUES (@seq, @bytes, @leafHash, @caseId)');
    put.run({ ...row, bytes: forged });
    try {
      await page.getByRole('button', { name: 'Check the audit log' }).click();
      await expect(page.getByRole('status').textContent()).resolves.toContain('it does not verify');
      const bad = await page.getByRole('region', { name: 'Audit log check' }).textContent();
      expect(bad).toContain('The audit log does not verify.');
      expect(bad).toContain(`First problem: entry ${seq}, ${term('en', 'auditProblem', 'changed')}`);
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      put.run(row);
    }
    expect((await machine('POST', '/api/v1/audit/verify', {})).json.ok).toBe(true);
    await context.close();
  });

  it('refreshes the directory now and says what happened', async () => {
    const { context, page } = await signedIn('olga');
    await page.goto(`${web()}/status`);
    await page.getByRole('button', { name: 'Sync the directory now' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('The directory was refreshed.');
    const version = (await machine('GET', '/api/v1/directory')).json.version as number;
    await expect(page.getByRole('region', { name: 'Directory refresh' }).textContent()).resolves.toContain(`Result: ${term('en', 'syncOutcome', 'current')}. Version ${version}`);
    // the last refresh is now on the page too
    await expect(page.getByRole('region', { name: 'Directory', exact: true }).textContent()).resolves.toContain(term('en', 'syncOutcome', 'current'));
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('refuses a case worker: no link, and "Not allowed" at the address', async () => {
    const { context, page } = await signedIn('jelena');
    await expect(page.getByRole('link', { name: 'Node status' }).count()).resolves.toBe(0);
    const res = await page.goto(`${web()}/status`);
    expect(res?.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Not allowed');
    expect(await page.content()).not.toContain(astra().node.ctx.keys.trusted.kid);
    expect(await seriousViolations(page)).toEqual([]);
    // nor can the check be posted (with a valid form token of this session)
    const csrf = await page.locator('input[name="_csrf"]').first().getAttribute('value');
    expect(csrf).toBeTruthy();
    const posted = await page.request.post(`${web()}/status/audit-check`, { form: { _csrf: csrf! }, headers: { origin: web() } });
    expect(posted.status()).toBe(403);
    expect(await posted.text()).toContain('Not allowed');
    await context.close();
  });
});
