import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DirectoryNetwork } from '../helpers/directory-network.js';
import { caseWithConsent, startCaseworkNetwork } from '../helpers/casework.js';

/**
 * Every route of the local API, enumerated from the running app (so a new route is covered the
 * day it is added), gets bad input: a body that is not JSON, a body of the wrong shape carrying
 * a distinctive value in a wrong-typed field and in an unknown key, bad query values, and
 * unknown ids. Each answer is a 4xx with a typed error; a 400 names the field by path; the
 * distinctive value never comes back; nothing is written; the node stays up.
 */

const SECRET = 'Marija-Testovic-+381645550199';
const UNKNOWN_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
let dn: DirectoryNetwork;
let ids: { caseId: string; consentId: string };

beforeAll(async () => {
  dn = await startCaseworkNetwork();
  ids = await caseWithConsent(dn, 'astra', { recipients: ['org:lefoe-ibf'], fields: ['/needs'] });
}, 60_000);
afterAll(async () => {
  await dn?.close();
});

const node = () => dn.net.nodes.astra!;
const localRoutes = () =>
  node()
    .node.app.routes.filter((r) => r.path.startsWith('/api/v1/') && r.method !== 'ALL')
    .map((r) => ({ method: r.method, path: r.path }));

/** a concrete URL for a route pattern: the case we made for `{id}` of cases, unknown ids elsewhere */
function concrete(path: string, known: boolean): string {
  return path
    .replace(/^\/api\/v1\/cases\/:id/, `/api/v1/cases/${known ? ids.caseId : UNKNOWN_ID}`)
    .replace(/^\/api\/v1\/consents\/:id/, `/api/v1/consents/${known ? ids.consentId : UNKNOWN_ID}`)
    .replace(/:action/, 'accept')
    .replace(/:[a-zA-Z]+/g, known ? UNKNOWN_ID : UNKNOWN_ID);
}

const counts = () => {
  const db = node().node.ctx.handle.sqlite;
  const one = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { cases: one('case_file'), consents: one('consent'), referrals: one('referral'), outbox: one('outbox_item'), ledger: one('disclosure') };
};

async function call(method: string, url: string, body?: string, contentType = 'application/json') {
  const res = await fetch(`${node().url}${url}`, { method, headers: { authorization: `Bearer ${node().token}`, 'content-type': contentType }, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  return { status: res.status, text, json: (() => { try { return JSON.parse(text) as { error?: { code: string; issues?: { path: string }[] } }; } catch { return null; } })() };
}

describe('every local API route refuses bad input by field path, without echo, writing nothing', () => {
  it('the routes are enumerated from the app (and there are many)', () => {
    expect(localRoutes().length).toBeGreaterThanOrEqual(20);
  });

  it('write routes: not JSON, wrong shape with the value in a wrong-typed field and an unknown key', async () => {
    const before = counts();
    const writes = localRoutes().filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method));
    const seen: string[] = [];
    for (const r of writes) {
      if (r.path.endsWith('/attachments')) continue; // raw bytes, not JSON: covered by its own test
      for (const known of [true, false]) {
        const url = concrete(r.path, known);
        const bodies = ['{"not json', JSON.stringify({ [`x-${SECRET}`]: SECRET, to: SECRET, person: SECRET, reason: { SECRET }, document: 7, manifest: SECRET, entries: SECRET, peer: SECRET })];
        for (const body of bodies) {
          const res = await call(r.method, url, body);
          seen.push(`${r.method} ${r.path} → ${res.status}`);
          expect(res.status, `${r.method} ${url}`).toBeGreaterThanOrEqual(400);
          expect(res.status, `${r.method} ${url}`).toBeLessThan(500);
          expect(res.text).not.toContain(SECRET);
          expect(res.json?.error?.code, `${r.method} ${url}`).toMatch(/^[A-Z][A-Za-z]+$/);
          if (res.status === 400 || res.status === 422) expect(res.json?.error?.issues?.length ?? 0, `${r.method} ${url} names the field`).toBeGreaterThan(0);
        }
      }
    }
    expect(counts()).toEqual(before);
    expect(seen.length).toBeGreaterThan(20);
  });

  it('read routes: bad query values are named, unknown ids are NotFound, nothing is echoed', async () => {
    const reads = localRoutes().filter((r) => r.method === 'GET');
    for (const r of reads) {
      const url = concrete(r.path, false);
      const res = await call('GET', `${url}?limit=${SECRET}&offset=-1&page=${SECRET}&country=${SECRET}&from=${SECRET}&format=${SECRET}`);
      expect(res.status, url).toBeGreaterThanOrEqual(200);
      expect(res.status, url).toBeLessThan(500);
      expect(res.text).not.toContain(SECRET);
      if (res.status === 400) expect(res.json?.error?.issues?.length ?? 0, `${url} names the field`).toBeGreaterThan(0);
    }
  });

  it('without the token every local route answers 401 (but the login; test/node/accounts-routes.test.ts: malformed, expired, ended tokens)', async () => {
    for (const r of localRoutes().filter((x) => !(x.method === 'POST' && x.path === '/api/v1/session'))) {
      const res = await fetch(`${node().url}${concrete(r.path, true)}`, { method: r.method, headers: { 'content-type': 'application/json' }, ...(r.method === 'GET' ? {} : { body: '{}' }) });
      expect(res.status, `${r.method} ${r.path}`).toBe(401);
    }
  });
});
