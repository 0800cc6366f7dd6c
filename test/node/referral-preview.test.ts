import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryNetwork } from '../helpers/directory-network.js';
import { CONTACT, caseWithConsent, offerTo, startCaseworkNetwork } from '../helpers/casework.js';
import { signIn } from '../helpers/network.js';

/**
 * The dry runs behind the web interface's preview: `POST /api/v1/referrals/preview` and
 * `POST /api/v1/referrals/{id}/handover/preview` answer exactly what the offer and the handover
 * then send (computed by the same code), send and store nothing, and refuse what the real action
 * would refuse, by field.
 */

let dn: DirectoryNetwork;
const FIELDS = ['/person/givenName', '/person/languages', '/needs', '/riskAssessment'];
const get = async (name: string, path: string) => (await dn.api(name, 'GET', path)).json;
const counts = (name: string) => {
  const sqlite = dn.net.nodes[name]!.node.ctx.handle.sqlite;
  return {
    referrals: sqlite.prepare('SELECT count(*) AS n FROM referral').get() as { n: number },
    disclosures: sqlite.prepare('SELECT count(*) AS n FROM disclosure').get() as { n: number },
    outbox: sqlite.prepare('SELECT count(*) AS n FROM outbox_item').get() as { n: number },
  };
};

beforeAll(async () => {
  dn = await startCaseworkNetwork();
}, 60_000);
afterAll(async () => {
  await dn?.close();
});

describe('the referral preview', () => {
  it('equals what the receiver gets: the offer, then the handover of exactly the consented fields', async () => {
    const ids = await caseWithConsent(dn, 'open-gate', { recipients: ['org:astra'], fields: FIELDS });
    const before = counts('open-gate');
    const preview = await dn.api('open-gate', 'POST', '/api/v1/referrals/preview', offerTo('org:astra', ids));
    expect(preview.status).toBe(200);
    expect(preview.json.fields).toEqual(['/needs', '/languages', '/gender', '/ageBand', '/child', '/currentCountry', '/destinationCountry', '/urgency', '/purpose', '/summary', '/contact']);
    // nothing sent, nothing stored
    expect(counts('open-gate')).toEqual(before);

    const offered = await dn.api('open-gate', 'POST', '/api/v1/referrals', offerTo('org:astra', ids));
    expect(offered.status).toBe(201);
    await dn.net.drain();
    const atAstra = await get('astra', `/api/v1/referrals/${offered.json.id}`);
    const { referralId, ...received } = atAstra.offer;
    expect(referralId).toBe(offered.json.id);
    expect({ ...received, contact: atAstra.theirContact }).toEqual(preview.json.body);

    await dn.api('astra', 'POST', `/api/v1/referrals/${offered.json.id}/accept`, { contact: CONTACT('Jelena ASTRA') });
    await dn.net.drain();
    const handoverBefore = counts('open-gate');
    const hp = await dn.api('open-gate', 'POST', `/api/v1/referrals/${offered.json.id}/handover/preview`, {});
    expect(hp.status).toBe(200);
    expect(hp.json.fields).toEqual(['/person/givenName', '/person/languages', '/riskAssessment', '/needs']);
    expect(hp.json.body.case).toEqual({ person: { givenName: 'Marija', languages: ['sr', 'mk'] }, needs: ['shelter', 'legal-aid'], riskAssessment: expect.any(Object) });
    expect(JSON.stringify(hp.json)).not.toMatch(/Testović|555 0199|border crossing/);
    expect(counts('open-gate')).toEqual(handoverBefore);
    expect((await get('open-gate', `/api/v1/referrals/${offered.json.id}`)).state).toBe('accepted');

    // only the given name asked for: the preview narrows like the handover does
    const narrow = await dn.api('open-gate', 'POST', `/api/v1/referrals/${offered.json.id}/handover/preview`, { fields: ['/person/givenName'] });
    expect(narrow.json.fields).toEqual(['/person/givenName']);

    const handed = await dn.api('open-gate', 'POST', `/api/v1/referrals/${offered.json.id}/handover`, {});
    expect(handed.json.state).toBe('handed-over');
    await dn.net.drain();
    const theirs = await get('astra', `/api/v1/referrals/${offered.json.id}`);
    const theCase = await get('astra', `/api/v1/cases/${theirs.caseId}`);
    const { riskToLife, ...data } = theCase.data;
    expect(data).toEqual(hp.json.body.case);
    expect(riskToLife).toMatchObject({ basis: hp.json.body.riskToLife.basis, level: hp.json.body.riskToLife.level, assessedBy: 'org:open-gate' });
    const ledger = (await get('open-gate', `/api/v1/cases/${ids.caseId}`)).disclosures;
    expect(ledger.at(-1).fields).toEqual(hp.json.fields);
  });

  it('refuses what the real action would refuse, by field, storing nothing', async () => {
    const ids = await caseWithConsent(dn, 'open-gate', { recipients: ['org:astra'], fields: FIELDS });
    const before = counts('open-gate');
    const toLefoe = await dn.api('open-gate', 'POST', '/api/v1/referrals/preview', offerTo('org:lefoe-ibf', ids));
    expect(toLefoe).toMatchObject({ status: 403, json: { error: { code: 'ConsentScope', issues: [{ path: 'recipient' }] } } });
    const forCourt = await dn.api('open-gate', 'POST', '/api/v1/referrals/preview', offerTo('org:astra', ids, { purpose: 'legal-proceedings' }));
    expect(forCourt).toMatchObject({ status: 403, json: { error: { code: 'ConsentScope', issues: [{ path: 'purpose' }] } } });
    const bad = await dn.api('open-gate', 'POST', '/api/v1/referrals/preview', offerTo('org:astra', ids, { needs: [], summary: 'x'.repeat(1001) }));
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['needs', 'summary']);
    expect(JSON.stringify(bad.json)).not.toContain('xxxx');
    expect(counts('open-gate')).toEqual(before);

    const offered = await dn.api('open-gate', 'POST', '/api/v1/referrals', offerTo('org:astra', ids));
    // not yet accepted: no handover, so no preview of one
    const early = await dn.api('open-gate', 'POST', `/api/v1/referrals/${offered.json.id}/handover/preview`, {});
    expect(early).toMatchObject({ status: 400, json: { error: { issues: [{ path: 'state', problem: 'offered' }] } } });
    await dn.net.drain();
    await dn.api('astra', 'POST', `/api/v1/referrals/${offered.json.id}/accept`, { contact: CONTACT('Jelena ASTRA') });
    await dn.net.drain();
    const notes = await dn.api('open-gate', 'POST', `/api/v1/referrals/${offered.json.id}/handover/preview`, { fields: ['/notes'] });
    expect(notes).toMatchObject({ status: 403, json: { error: { code: 'ConsentScope', issues: [{ path: '/notes' }] } } });
    // the receiving side cannot preview a handover of a case it does not hold
    const wrongSide = await dn.api('astra', 'POST', `/api/v1/referrals/${offered.json.id}/handover/preview`, {});
    expect(wrongSide).toMatchObject({ status: 400, json: { error: { issues: [{ path: 'id', problem: 'wrong_side' }] } } });
  });

  it('a case worker of another team may preview neither the offer nor the handover', async () => {
    const ids = await caseWithConsent(dn, 'open-gate', { recipients: ['org:astra'], fields: FIELDS });
    const og = dn.net.nodes['open-gate']!;
    const token = await signIn(og.url, og.node.localToken, { name: 'stranger', role: 'case-worker', team: 'elsewhere' });
    const asStranger = (path: string, body: unknown) => fetch(`${og.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await asStranger('/api/v1/referrals/preview', offerTo('org:astra', ids))).status).toBe(403);
    const offered = await dn.api('open-gate', 'POST', '/api/v1/referrals', offerTo('org:astra', ids));
    expect((await asStranger(`/api/v1/referrals/${offered.json.id}/handover/preview`, {})).status).toBe(403);
  });
});
