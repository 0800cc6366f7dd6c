import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestNetwork, signIn, startNetwork } from '../helpers/network.js';
import { PERSON_CASE } from '../helpers/casework.js';

/**
 * `GET /api/v1/cases/{id}/access`: who saw a case, read back from the audit log: the case's own
 * case workers and the coordinators may read it, a case worker of another team and the operator
 * may not; every view and export is listed, newest first, with the staff member's display name.
 */

let net: TestNetwork;
let url: string;
const tokens: Record<string, string> = {};

async function call(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, json: (await res.json()) as any };
}

beforeAll(async () => {
  net = await startNetwork(['astra']);
  const astra = net.nodes.astra!;
  url = astra.url;
  tokens.jelena = await signIn(url, astra.node.localToken, { name: 'jelena', role: 'case-worker', team: 'belgrade' });
  tokens.milan = await signIn(url, astra.node.localToken, { name: 'milan', role: 'case-worker', team: 'nis' });
  tokens.coordinator = astra.token;
  tokens.operator = astra.node.localToken;
}, 60_000);

afterAll(async () => {
  await net?.close();
});

describe('who saw this case', () => {
  it('lists each view and export, newest first, with the account and its display name', async () => {
    const opened = await call('POST', '/api/v1/cases', tokens.jelena!, PERSON_CASE);
    expect(opened.status).toBe(201);
    const id = opened.json.id as string;
    const me = (await call('GET', '/api/v1/session', tokens.jelena!)).json.account;
    const coordinator = (await call('GET', '/api/v1/session', tokens.coordinator!)).json.account;

    expect((await call('GET', `/api/v1/cases/${id}/access`, tokens.jelena!)).json).toMatchObject({ caseId: id, total: 0, entries: [] });
    expect((await call('GET', `/api/v1/cases/${id}`, tokens.jelena!)).status).toBe(200);
    net.clock.advance({ minutes: 1 });
    expect((await call('GET', `/api/v1/cases/${id}`, tokens.coordinator!)).status).toBe(200);
    expect((await call('GET', `/api/v1/cases/${id}/evidence`, tokens.coordinator!)).status).toBe(200);

    const access = await call('GET', `/api/v1/cases/${id}/access`, tokens.jelena!);
    expect(access.status).toBe(200);
    expect(access.json.total).toBe(3);
    expect(access.json.entries.map((e: { kind: string; accountId: string; name: string }) => [e.kind, e.accountId, e.name])).toEqual([
      ['case-exported', coordinator.id, coordinator.displayName],
      ['case-viewed', coordinator.id, coordinator.displayName],
      ['case-viewed', me.id, me.displayName],
    ]);
    expect(access.json.entries[0].at).toBeGreaterThan(access.json.entries[2].at);
    // no personal data of the person in the answer
    expect(JSON.stringify(access.json)).not.toContain('Marija');

    // paged: the oldest alone
    const last = await call('GET', `/api/v1/cases/${id}/access?limit=1&offset=2`, tokens.coordinator!);
    expect(last.json.entries).toHaveLength(1);
    expect(last.json.entries[0]).toMatchObject({ kind: 'case-viewed', accountId: me.id });
  });

  it("refuses a case worker of another team and the operator; a bad paging value is named; an unknown case is 404", async () => {
    const opened = await call('POST', '/api/v1/cases', tokens.jelena!, PERSON_CASE);
    const id = opened.json.id as string;
    expect((await call('GET', `/api/v1/cases/${id}/access`, tokens.milan!)).status).toBe(403);
    expect((await call('GET', `/api/v1/cases/${id}/access`, tokens.operator!)).status).toBe(403);
    const bad = await call('GET', `/api/v1/cases/${id}/access?limit=lots`, tokens.jelena!);
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues).toEqual([{ path: 'limit', problem: 'not_a_number' }]);
    expect((await call('GET', '/api/v1/cases/01JZZZZZZZZZZZZZZZZZZZZZZZ/access', tokens.coordinator!)).status).toBe(404);
  });
});
