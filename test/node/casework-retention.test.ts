import { afterEach, describe, expect, it } from 'vitest';
import { type StatsReport, suppress, toCsv } from '../../node/case/stats.js';
import type { DirectoryNetwork } from '../helpers/directory-network.js';
import { CONTACT, PERSON_CASE, caseWithConsent, offerTo, startCaseworkNetwork } from '../helpers/casework.js';

/**
 * Retention and statistics over real nodes: a closed case is purged CORRIDOR_RETENTION_DAYS (730)
 * after closure unless a legal hold keeps it; what may leave a node for reporting is counts of
 * referrals with small counts suppressed, as JSON or RFC 4180 CSV.
 */

let dn: DirectoryNetwork;
afterEach(async () => {
  await dn?.close();
});

const ctxOf = (name: string) => dn.net.nodes[name]!.node.ctx;
const get = async (name: string, path: string) => (await dn.api(name, 'GET', path)).json;
const raw = async (name: string, path: string) => {
  const n = dn.net.nodes[name]!;
  const res = await fetch(`${n.url}${path}`, { headers: { authorization: `Bearer ${n.token}` } });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};

describe('retention of closed cases', () => {
  it('purges a closed case 730 days after closure, keeps open cases and cases under a legal hold', async () => {
    dn = await startCaseworkNetwork();
    const open = async () => (await dn.api('open-gate', 'POST', '/api/v1/cases', PERSON_CASE)).json.id as string;
    const [closed, stillOpen, held] = [await open(), await open(), await open()];
    const closing = await dn.api('open-gate', 'POST', `/api/v1/cases/${closed}/close`, {});
    expect(closing).toMatchObject({ status: 200, json: { id: closed, state: 'closed', closedAt: dn.net.clock.now(), purgeAfter: dn.net.clock.now() + 730 * 86_400_000 } });
    await dn.api('open-gate', 'POST', `/api/v1/cases/${held}/close`, {});
    expect((await dn.api('open-gate', 'PUT', `/api/v1/cases/${held}/legal-hold`, { reason: 'Compensation claim pending before the court' })).status).toBe(200);

    dn.net.clock.advance({ days: 729 });
    ctxOf('open-gate').casework.sweep(dn.net.clock.now());
    expect((await get('open-gate', `/api/v1/cases/${closed}`)).data.person.givenName).toBe('Marija');

    dn.net.clock.advance({ days: 1, minutes: 1 });
    expect(ctxOf('open-gate').casework.sweep(dn.net.clock.now()).retention).toBe(1);
    expect(await get('open-gate', `/api/v1/cases/${closed}`)).toMatchObject({ state: 'purged', data: null, purgeReason: 'retention' });
    expect((await get('open-gate', `/api/v1/cases/${stillOpen}`)).data.person.givenName).toBe('Marija');
    expect(await get('open-gate', `/api/v1/cases/${held}`)).toMatchObject({ state: 'closed', data: { person: { givenName: 'Marija' } } });
    // the purged case is gone from the list; a second sweep does nothing
    expect((await get('open-gate', '/api/v1/cases')).cases.map((c: { id: string }) => c.id)).not.toContain(closed);
    expect(ctxOf('open-gate').casework.sweep(dn.net.clock.now()).retention).toBe(0);

    // a hold with an end date stops holding after it
    await dn.api('open-gate', 'PUT', `/api/v1/cases/${held}/legal-hold`, { reason: 'Compensation claim pending before the court', until: new Date(dn.net.clock.now() + 86_400_000).toISOString().slice(0, 10) });
    dn.net.clock.advance({ days: 3 });
    expect(ctxOf('open-gate').casework.sweep(dn.net.clock.now()).retention).toBe(1);
    expect((await get('open-gate', `/api/v1/cases/${held}`)).state).toBe('purged');
  });
});

describe('statistics with small counts suppressed', () => {
  it('counts 13 referrals by month, direction, country pair, type, outcome, gender and age band, in JSON and CSV', async () => {
    dn = await startCaseworkNetwork();
    const ids = await caseWithConsent(dn, 'open-gate', { recipients: ['org:astra'], purposes: ['referral', 'assistance', 'return-travel'], fields: ['/person/givenName'] });
    const purposes = [...Array(6).fill('referral'), ...Array(5).fill('assistance'), 'return-travel', 'return-travel'] as string[];
    const offered: string[] = [];
    for (const purpose of purposes) offered.push((await dn.api('open-gate', 'POST', '/api/v1/referrals', offerTo('org:astra', ids, { purpose }))).json.id);
    await dn.net.drain();
    for (const id of offered.slice(0, 2)) await dn.api('astra', 'POST', `/api/v1/referrals/${id}/decline`, { reason: 'no-capacity' });
    await dn.api('astra', 'POST', `/api/v1/referrals/${offered[2]}/accept`, { contact: CONTACT('Jelena ASTRA') });
    await dn.net.drain();
    const month = new Date(dn.net.clock.now()).toISOString().slice(0, 7);

    const report = (await dn.api('open-gate', 'GET', `/api/v1/stats?from=${month}&to=${month}`)).json as StatsReport;
    expect(report).toMatchObject({ from: month, to: month, org: 'org:open-gate', total: 13 });
    const dims = Object.fromEntries(report.dimensions.map((d) => [d.name, Object.fromEntries(d.cells.map((c) => [c.value, c.count]))]));
    expect(dims).toEqual({
      month: { [month]: 13 },
      direction: { outgoing: 13 },
      'country-pair': { 'MK-RS': 13 },
      // return-travel (2) is "<5"; assistance (5), the smallest other, is suppressed so that 13 − 6 does not give it away
      'referral-type': { referral: 6, assistance: 'suppressed', 'return-travel': '<5' },
      // 2 and 1 sum to 3 = 13 − 10: either could be 1 or 2, so no complement is needed
      outcome: { 'declined:no-capacity': '<5', accepted: '<5', offered: 10 },
      gender: { female: 13 },
      'age-band': { '18-25': 13 },
    });
    expect(JSON.stringify(report)).not.toMatch(/Marija|Testović|Elena|org:astra/);

    // the receiving side counts the same referrals as incoming
    const atAstra = (await dn.api('astra', 'GET', `/api/v1/stats?from=${month}&to=${month}&format=json`)).json as StatsReport;
    expect(atAstra.dimensions.find((d) => d.name === 'direction')?.cells).toEqual([{ value: 'incoming', count: 13 }]);

    const csv = await raw('open-gate', `/api/v1/stats?from=${month}&to=${month}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe('from,to,org,dimension,value,count');
    expect(lines).toContain(`${month},${month},org:open-gate,total,all,13`);
    expect(lines).toContain(`${month},${month},org:open-gate,referral-type,referral,6`);
    expect(lines).toContain(`${month},${month},org:open-gate,referral-type,return-travel,<5`);
    expect(lines).toContain(`${month},${month},org:open-gate,referral-type,assistance,suppressed`);
    expect(lines.at(-1)).toBe('');

    // an empty period counts nothing
    expect((await dn.api('open-gate', 'GET', '/api/v1/stats?from=2020-01&to=2020-02')).json).toMatchObject({ total: 0 });
  });

  it('refuses bad query values by name, never echoing them', async () => {
    dn = await startCaseworkNetwork();
    for (const [query, field] of [
      ['from=Marija', 'from'],
      ['to=2026-13', 'to'],
      ['format=xlsx', 'format'],
      ['from=2026-12&to=2026-01', 'from'],
    ] as const) {
      const res = await dn.api('open-gate', 'GET', `/api/v1/stats?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.json.error.issues.map((i: { path: string }) => i.path)).toContain(field);
      expect(JSON.stringify(res.json)).not.toMatch(/Marija|xlsx|2026-13/);
    }
  });
});

describe('the suppression rule', () => {
  const dim = (cells: Record<string, number>) => suppress('x', new Map(Object.entries(cells)), Object.values(cells).reduce((a, b) => a + b, 0));
  const counts = (cells: Record<string, number>) => Object.fromEntries(dim(cells).cells.map((c) => [c.value, c.count]));

  it('hides 1–4, adds a complementary cell when the total would give one away, withholds what cannot be protected', () => {
    expect(counts({ a: 9, b: 7 })).toEqual({ a: 9, b: 7 });
    expect(counts({ a: 6, b: 1 })).toEqual({ a: 'suppressed', b: '<5' });
    expect(counts({ a: 20, b: 6, c: 2 })).toEqual({ a: 20, b: 'suppressed', c: '<5' });
    // two small cells whose sum could only be 2 (both 1) get a complement; 2 and 3 do not need one
    expect(counts({ a: 20, b: 1, c: 1 })).toEqual({ a: 'suppressed', b: '<5', c: '<5' });
    expect(counts({ a: 20, b: 2, c: 3 })).toEqual({ a: 20, b: '<5', c: '<5' });
    // 5 + 1 = 6: every combination is pinned (1 and 5), so the dimension is withheld
    expect(dim({ a: 5, b: 1 })).toEqual({ name: 'x', withheld: true, cells: [] });
    // a total under 5: everything is "<5"
    expect(counts({ a: 3, b: 1 })).toEqual({ a: '<5', b: '<5' });
  });

  it('writes RFC 4180 CSV: header, CRLF, quotes doubled inside quoted fields', () => {
    const report: StatsReport = { from: '2026-01', to: '2026-12', org: 'org:x', total: 7, rule: '', dimensions: [{ name: 'outcome', withheld: false, cells: [{ value: 'a,"b"', count: 7 }] }, { name: 'gender', withheld: true, cells: [] }] };
    expect(toCsv(report)).toBe('from,to,org,dimension,value,count\r\n2026-01,2026-12,org:x,total,all,7\r\n2026-01,2026-12,org:x,outcome,"a,""b""",7\r\n2026-01,2026-12,org:x,gender,(withheld),suppressed\r\n');
  });
});
