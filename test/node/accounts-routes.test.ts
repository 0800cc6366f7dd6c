import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../protocol/index.js';
import { type ManualClock, manualClock } from '../../node/clock.js';
import { type CorridorNode, createNode } from '../../node/node.js';
import { ACCESS_RULES } from '../../node/http/roles.js';
import { OPERATIONS } from '../../node/routes/local/openapi-get.js';
import { TEST_PASSWORD, orgKeyOf, testConfig } from '../helpers/network.js';
import { T0 } from '../helpers/time.js';
import { offerTo } from '../helpers/casework.js';
import { TEST_CASE_KEY_WRAPPING_KEY, TEST_DATABASE_KEY } from '../helpers/node-db.js';

/**
 * Accounts and roles on the local API (ADR 0018), over a real node on 127.0.0.1 with its own
 * SQLite file, real scrypt hashes and the manual clock: every route refuses a missing, malformed,
 * expired or ended token; case workers see their own cases only and a refusal is recorded; logins
 * are throttled across a restart; sessions expire.
 */

const IDLE_MIN = 30;
const MAX_HOURS = 12;
let dir: string;
let clock: ManualClock;
let node: CorridorNode;
let url: string;

async function start() {
  node = await createNode(testConfig('astra', dir, { sessions: { idleMs: IDLE_MIN * 60_000, absoluteMs: MAX_HOURS * 3600_000 } }), { clock, orgKey: orgKeyOf('astra'), databaseKey: TEST_DATABASE_KEY, caseKeyWrappingKey: TEST_CASE_KEY_WRAPPING_KEY });
  url = (await node.listen({ host: '127.0.0.1', port: 0 })).url;
}

async function call(method: string, path: string, token: string | null, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? null : JSON.parse(text), text };
}

const machine = () => node.localToken;
async function addAccount(name: string, role: string, team: string | null, by = machine()) {
  const res = await call('POST', '/api/v1/accounts', by, { name, displayName: `${name} display`, role, team, password: TEST_PASSWORD });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}
async function login(name: string, password = TEST_PASSWORD) {
  return call('POST', '/api/v1/session', null, { name, password });
}
async function tokenOf(name: string) {
  const res = await login(name);
  expect(res.status, res.text).toBe(201);
  return res.json.token as string;
}
/** the tamper-evident audit log's entries, as recorded (ids and codes only) */
const audited = () =>
  (node.ctx.handle.sqlite.prepare('SELECT bytes FROM audit_entry ORDER BY seq').all() as { bytes: Buffer }[]).map(
    (r) => JSON.parse(r.bytes.toString('utf8')) as { kind: string; actor: string; subject: { caseId?: string }; code?: string },
  );
const events = () => node.ctx.handle.sqlite.prepare('SELECT kind, accountId, caseId, subjectId, code FROM access_event ORDER BY seq').all() as { kind: string; accountId: string | null; caseId: string | null; subjectId: string | null; code: string }[];
const localRoutes = () => node.app.routes.filter((r) => r.path.startsWith('/api/v1/') && r.method !== 'ALL').map((r) => ({ method: r.method, path: r.path }));
const concrete = (path: string) => path.replace(':action', 'accept').replace(/:(\w+)/g, '01ARZ3NDEKTSV4RRFFQ69G5FAV');

const CASE = { person: { givenName: 'Marija', familyName: 'Testović' }, status: { victimStatus: 'presumed' } };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'corridor-accounts-'));
  clock = manualClock(T0 * 1000);
  await start();
});
afterAll(async () => {
  await node.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the role matrix', () => {
  it('names exactly the mounted local routes, which are exactly the OpenAPI operations', () => {
    const mounted = localRoutes().map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    const expanded = mounted.flatMap((k) => (k.endsWith('{action}') ? ['accept', 'decline', 'handover', 'update', 'onward', 'revoke', 'close'].map((a) => k.replace('{action}', a)) : [k]));
    expect(new Set(Object.keys(ACCESS_RULES))).toEqual(new Set(expanded));
    expect(new Set(Object.keys(ACCESS_RULES))).toEqual(new Set(Object.keys(OPERATIONS)));
  });
});

describe('every local route needs a valid token', () => {
  it('missing, malformed, expired (idle and absolute), ended, or of a disabled account: 401 on every route but the login', async () => {
    await addAccount('route.coordinator', 'coordinator', null);
    const idle = await tokenOf('route.coordinator');
    const ended = await tokenOf('route.coordinator');
    expect((await call('DELETE', '/api/v1/session', ended)).status).toBe(200);
    const disabledId = await addAccount('route.disabled', 'coordinator', null);
    const disabled = await tokenOf('route.disabled');
    expect((await call('PATCH', `/api/v1/accounts/${disabledId}`, machine(), { disabled: true })).status).toBe(200);
    // the absolute end: used every 20 minutes (never idle) until 12 hours have passed
    const absolute = await tokenOf('route.coordinator');
    for (let i = 0; i < (MAX_HOURS * 60) / 20; i++) {
      clock.advance({ minutes: 20 });
      const r = await call('GET', '/api/v1/session', absolute);
      if (i < (MAX_HOURS * 60) / 20 - 1) expect(r.status, `after ${(i + 1) * 20} minutes`).toBe(200);
      else expect(r.status).toBe(401);
    }
    // `idle` was not used for 12 hours
    const routes = localRoutes().filter((r) => !(r.method === 'POST' && r.path === '/api/v1/session'));
    expect(routes.length).toBeGreaterThan(40);
    const headers: [string, Record<string, string>][] = [
      ['none', {}],
      ['not bearer', { authorization: `Basic ${Buffer.from('coordinator:x').toString('base64')}` }],
      ['malformed', { authorization: 'Bearer not a token' }],
      ['unknown', { authorization: `Bearer ${'A'.repeat(43)}` }],
      ['idle-expired', { authorization: `Bearer ${idle}` }],
      ['absolute-expired', { authorization: `Bearer ${absolute}` }],
      ['logged out', { authorization: `Bearer ${ended}` }],
      ['disabled account', { authorization: `Bearer ${disabled}` }],
    ];
    for (const r of routes) {
      for (const [why, h] of headers) {
        const res = await fetch(`${url}${concrete(r.path)}`, { method: r.method, headers: { ...h, 'content-type': 'application/json' }, ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { body: '{}' }) });
        expect(res.status, `${r.method} ${r.path} (${why})`).toBe(401);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('Unauthenticated');
      }
    }
  });
});

describe('case workers see their own cases; coordinators all; operators none', () => {
  let ids: Record<string, string>;
  let tokens: Record<string, string>;
  let caseA: string;
  let caseB: string;
  let attachmentB: string;
  beforeAll(async () => {
    ids = {
      anna: await addAccount('anna', 'case-worker', 'team a'),
      ana: await addAccount('ana', 'case-worker', 'team a'),
      boris: await addAccount('boris', 'case-worker', 'team b'),
      cora: await addAccount('cora', 'coordinator', null),
      olga: await addAccount('olga', 'operator', null),
    };
    tokens = Object.fromEntries(await Promise.all(Object.keys(ids).map(async (n) => [n, await tokenOf(n)] as const)));
    caseA = (await call('POST', '/api/v1/cases', tokens.anna!, CASE)).json.id;
    caseB = (await call('POST', '/api/v1/cases', tokens.boris!, CASE)).json.id;
    expect(caseA).toBeTruthy();
    expect(caseB).toBeTruthy();
    const uploaded = await fetch(`${url}/api/v1/cases/${caseB}/attachments?name=statement.pdf`, { method: 'POST', headers: { authorization: `Bearer ${tokens.boris}`, 'content-type': 'application/pdf' }, body: new TextEncoder().encode('%PDF-1.7 statement of Marija') });
    expect(uploaded.status).toBe(201);
    attachmentB = ((await uploaded.json()) as { id: string }).id;
  });

  it("a case worker of team A cannot read, change, add consent to, close, attach to or refer team B's case: 403, and each refusal is recorded with ids and codes only", async () => {
    const before = events().length;
    const auditBefore = audited().length;
    const attempts: [string, string, unknown?][] = [
      ['GET', `/api/v1/cases/${caseB}`],
      ['PATCH', `/api/v1/cases/${caseB}`, { status: { victimStatus: 'identified', identifiedBy: 'police' } }],
      ['POST', `/api/v1/cases/${caseB}/consents`, {}],
      ['POST', `/api/v1/cases/${caseB}/close`, {}],
      ['GET', `/api/v1/cases/${caseB}/attachments`],
      ['GET', `/api/v1/attachments/${attachmentB}`], // the download: an export of the case's data
      ['PUT', `/api/v1/cases/${caseB}/assignment`, { accountId: ids.anna }],
      ['POST', '/api/v1/referrals', offerTo('org:lefoe-ibf', { caseId: caseB, consentId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' })],
    ];
    for (const [method, path, body] of attempts) {
      const res = await call(method, path, tokens.anna!, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.json.error.code).toBe('Forbidden');
      expect(res.text).not.toMatch(/Marija|Testović/);
    }
    const recorded = events().slice(before);
    expect(recorded).toHaveLength(attempts.length);
    for (const e of recorded) expect(e).toMatchObject({ kind: 'access-denied', accountId: ids.anna, code: 'Forbidden' });
    expect(recorded.filter((e) => e.caseId === caseB).length).toBe(attempts.length - 1); // the assignment route is refused by role
    // and in the tamper-evident audit log, by the account's opaque id
    const denied = audited().slice(auditBefore).filter((e) => e.kind === 'access-denied');
    expect(denied).toHaveLength(attempts.length);
    for (const e of denied) expect(e).toMatchObject({ actor: `account:${ids.anna}`, code: 'Forbidden' });
    expect(denied.filter((e) => e.subject.caseId === caseB)).toHaveLength(attempts.length - 1);
    // boris, whose team's case it is, downloads it
    expect((await fetch(`${url}/api/v1/attachments/${attachmentB}`, { headers: { authorization: `Bearer ${tokens.boris}` } })).status).toBe(200);
    // nothing changed
    const seen = await call('GET', `/api/v1/cases/${caseB}`, tokens.boris!);
    expect(seen.json.data.status.victimStatus).toBe('presumed');
    expect(JSON.stringify(events())).not.toMatch(/anna|boris|Marija|correct horse/);
  });

  it('the list shows a case worker only the cases of theirs and their team; the coordinator every case; the operator none', async () => {
    const list = async (who: string) => (await call('GET', '/api/v1/cases', tokens[who]!)).json.cases.map((c: { id: string }) => c.id);
    expect(await list('anna')).toEqual([caseA]);
    expect(await list('ana')).toEqual([caseA]); // same team
    expect(await list('boris')).toEqual([caseB]);
    expect(await list('cora')).toEqual(expect.arrayContaining([caseA, caseB]));
    expect((await call('GET', `/api/v1/cases/${caseA}`, tokens.ana!)).status).toBe(200);
    for (const token of [tokens.olga!, machine()]) {
      expect((await call('GET', '/api/v1/cases', token)).status).toBe(403);
      expect((await call('GET', `/api/v1/cases/${caseA}`, token)).status).toBe(403);
      expect((await call('GET', '/api/v1/referrals', token)).status).toBe(403);
    }
    // but the operator runs the node
    expect((await call('GET', '/api/v1/status', tokens.olga!)).status).toBe(200);
    expect((await call('GET', '/api/v1/accounts', tokens.olga!)).status).toBe(200);
    // and a case worker does not
    expect((await call('GET', '/api/v1/status', tokens.anna!)).status).toBe(403);
    expect((await call('GET', '/api/v1/accounts', tokens.anna!)).status).toBe(403);
    expect((await call('POST', '/api/v1/admin/backup', tokens.cora!, { path: join(dir, 'b') })).status).toBe(403);
  });

  it("a coordinator assigns team B's case to a case worker of team A, who may then work on it", async () => {
    expect((await call('GET', `/api/v1/cases/${caseB}`, tokens.anna!)).status).toBe(403);
    const res = await call('PUT', `/api/v1/cases/${caseB}/assignment`, tokens.cora!, { accountId: ids.anna, team: null });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ caseId: caseB, accountId: ids.anna, team: null, assignedBy: ids.cora });
    expect(events().at(-1)).toEqual({ kind: 'account-changed', accountId: ids.cora, caseId: caseB, subjectId: ids.anna, code: 'assigned' });
    expect((await call('GET', `/api/v1/cases/${caseB}`, tokens.anna!)).status).toBe(200);
    expect((await call('GET', `/api/v1/cases/${caseB}`, tokens.boris!)).status).toBe(403); // no longer their team's
    expect((await call('PUT', `/api/v1/cases/${caseB}/assignment`, tokens.cora!, { accountId: ids.olga })).json.error.issues).toEqual([{ path: 'accountId', problem: 'not_a_case_worker' }]);
    expect((await call('PUT', `/api/v1/cases/${caseB}/assignment`, tokens.cora!, {})).status).toBe(400);
  });

  it('coordinators manage case workers but not operators; disabling or a new password ends sessions; the last operator stays', async () => {
    const refused = await call('POST', '/api/v1/accounts', tokens.cora!, { name: 'eve', displayName: 'Eve', role: 'operator', password: TEST_PASSWORD });
    expect(refused.status).toBe(403);
    expect((await call('PATCH', `/api/v1/accounts/${ids.anna}`, tokens.cora!, { role: 'operator' })).status).toBe(403);
    const dup = await call('POST', '/api/v1/accounts', tokens.cora!, { name: 'Anna', displayName: 'Anna 2', role: 'case-worker', password: TEST_PASSWORD });
    expect(dup.json.error.issues).toEqual([{ path: 'name', problem: 'taken' }]);
    const short = await call('POST', '/api/v1/accounts', tokens.cora!, { name: 'x1', displayName: 'X', role: 'case-worker', password: 'short' });
    expect(short.json.error.issues).toEqual([{ path: 'password', problem: 'too_small' }]);
    expect(short.text).not.toContain('short"');

    const reset = await call('PATCH', `/api/v1/accounts/${ids.ana}`, tokens.cora!, { password: 'a new long password' });
    expect(reset.status).toBe(200);
    expect(reset.text).not.toMatch(/scrypt|salt|hash/);
    expect((await call('GET', '/api/v1/session', tokens.ana!)).status).toBe(401);
    expect((await login('ana')).status).toBe(401);
    expect((await login('ana', 'a new long password')).status).toBe(201);

    expect((await call('PATCH', `/api/v1/accounts/${ids.olga}`, machine(), { disabled: true })).json.error.issues).toEqual([{ path: 'disabled', problem: 'last_operator' }]);
    const changes = events().filter((e) => e.kind === 'account-changed' && e.subjectId === ids.ana);
    expect(changes.map((e) => e.code)).toEqual(['created', 'password']);
  });
});

describe('sessions', () => {
  it('who am I, until when; idle for longer than the limit ends the session', async () => {
    await addAccount('idle.one', 'case-worker', 'team a');
    const signedIn = await login('idle.one');
    expect(signedIn.json).toMatchObject({ expiresAt: clock.now() + MAX_HOURS * 3600_000, idleSeconds: IDLE_MIN * 60, account: { name: 'idle.one', role: 'case-worker', team: 'team a' } });
    expect(signedIn.text).not.toMatch(/password|scrypt/);
    const token = signedIn.json.token as string;
    const me = await call('GET', '/api/v1/session', token);
    expect(me.json).toMatchObject({ machine: false, role: 'case-worker', account: { name: 'idle.one' } });
    clock.advance({ minutes: IDLE_MIN - 1 });
    expect((await call('GET', '/api/v1/session', token)).status).toBe(200);
    clock.advance({ minutes: IDLE_MIN });
    expect((await call('GET', '/api/v1/session', token)).status).toBe(401);
    // the token is stored only as a hash
    const stored = node.ctx.handle.sqlite.prepare('SELECT * FROM session').all();
    expect(JSON.stringify(stored)).not.toContain(token);
    expect((await call('GET', '/api/v1/session', machine())).json).toEqual({ machine: true, role: 'operator' });
  });

  it('a login takes well under a second (scrypt N=2^15, r=8, p=1)', async () => {
    const t0 = performance.now();
    expect((await login('idle.one')).status).toBe(201);
    const ms = performance.now() - t0;
    console.log(JSON.stringify({ loginMs: Math.round(ms) }));
    expect(ms).toBeLessThan(1000);
  });
});

describe('failed logins', () => {
  it('from the 5th failure a name is locked even for the right password, across a restart, until the window passes; unknown names behave the same; each is recorded without the name', async () => {
    const id = await addAccount('locked.out', 'case-worker', 'team a');
    const before = events().length;
    const auditBefore = audited().length;
    for (let i = 0; i < 5; i++) {
      const r = await login('locked.out', `wrong password ${i}`);
      expect(r.status, `attempt ${i + 1}`).toBe(401);
      expect(r.json.error.code).toBe('LoginFailed');
    }
    const locked = await login('locked.out');
    expect(locked.status).toBe(429);
    expect(locked.json.error.code).toBe('RateLimited');
    // an unknown name: the same answers, in the same order
    for (let i = 0; i < 5; i++) expect((await login('nobody.here', 'whatever it is')).json.error.code).toBe('LoginFailed');
    expect((await login('nobody.here', 'whatever it is')).status).toBe(429);

    await node.close();
    await start();
    expect((await login('locked.out')).status).toBe(429);
    clock.advance({ minutes: 14 });
    expect((await login('locked.out')).status).toBe(429);
    clock.advance({ minutes: 2 });
    expect((await login('locked.out')).status).toBe(201);

    const recorded = events().slice(before);
    expect(recorded.filter((e) => e.accountId === id).map((e) => e.code)).toEqual(['LoginFailed', 'LoginFailed', 'LoginFailed', 'LoginFailed', 'LoginFailed', 'RateLimited', 'RateLimited', 'RateLimited']);
    expect(recorded.filter((e) => e.accountId === null).map((e) => e.code)).toEqual(['LoginFailed', 'LoginFailed', 'LoginFailed', 'LoginFailed', 'LoginFailed', 'RateLimited']);
    // the audit log: the known account by its id, the unknown name as the node's entry (nothing of the name)
    const failed = audited().slice(auditBefore).filter((e) => e.kind === 'login-failed');
    expect(failed.filter((e) => e.actor === `account:${id}`).map((e) => e.code)).toEqual(['LoginFailed', 'LoginFailed', 'LoginFailed', 'LoginFailed', 'LoginFailed', 'RateLimited', 'RateLimited', 'RateLimited']);
    expect(failed.filter((e) => e.actor.startsWith('node:')).map((e) => e.code)).toEqual(['LoginFailed', 'LoginFailed', 'LoginFailed', 'LoginFailed', 'LoginFailed', 'RateLimited']);
    expect(JSON.stringify(audited())).not.toMatch(/locked|nobody/);
    const keys = (node.ctx.handle.sqlite.prepare('SELECT key FROM login_throttle').all() as { key: string }[]).map((r) => r.key);
    expect(keys).toContain('all');
    expect(keys.join(' ')).not.toMatch(/locked|out|nobody|here/);
  });

  it('parallel guesses cannot slip past the lock while the first ones are still being checked', async () => {
    await addAccount('parallel.one', 'case-worker', null);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => login('parallel.one', `guess number ${i}`)));
    const codes = answers.map((a) => a.json.error.code);
    expect(codes.filter((c) => c === 'LoginFailed')).toHaveLength(5);
    expect(codes.filter((c) => c === 'RateLimited')).toHaveLength(7);
    expect((await login('parallel.one')).status).toBe(429);
  });

  it('bad login bodies are named by field, never echoed', async () => {
    const r = await call('POST', '/api/v1/session', null, { name: 'x', password: 42, extra: 'Marija' });
    expect(r.status).toBe(400);
    expect(r.text).not.toMatch(/Marija|42/);
    expect((await fetch(`${url}/api/v1/session`, { method: 'POST', body: 'not json' })).status).toBe(400);
  });
});

describe('the first operator account', () => {
  it('comes from first-account.json (already hashed) at the first start; the file is then gone', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'corridor-first-'));
    writeFileSync(join(fresh, 'first-account.json'), JSON.stringify({ name: 'operator', displayName: 'Operator', password: await hashPassword('the printed password') }), { mode: 0o600 });
    const first = await createNode(testConfig('lefoe', fresh), { clock, orgKey: orgKeyOf('lefoe'), databaseKey: TEST_DATABASE_KEY, caseKeyWrappingKey: TEST_CASE_KEY_WRAPPING_KEY });
    const { url: firstUrl } = await first.listen({ host: '127.0.0.1', port: 0 });
    try {
      expect(existsSync(join(fresh, 'first-account.json'))).toBe(false);
      const res = await fetch(`${firstUrl}/api/v1/session`, { method: 'POST', body: JSON.stringify({ name: 'operator', password: 'the printed password' }) });
      expect(res.status).toBe(201);
      expect(((await res.json()) as { account: { role: string } }).account.role).toBe('operator');
    } finally {
      await first.close();
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
