import { afterEach, describe, expect, it } from 'vitest';
import { messageType } from '../../protocol/index.js';
import type { DirectoryNetwork } from '../helpers/directory-network.js';
import { CONTACT, caseWithConsent, offerTo, startCaseworkNetwork } from '../helpers/casework.js';

/**
 * The relay along the route over three real nodes: Open Gate (Skopje) refers a presumed victim to
 * ASTRA (Belgrade) with her consent; only what the consent covers leaves; a field, recipient or
 * purpose outside it is refused at the sender, and a forged message carrying more is quarantined
 * at the receiver. An onward referral LEFÖ-IBF → Open Gate → ASTRA follows the consent's onward
 * sharing and records the chain of custody.
 */

let dn: DirectoryNetwork;
afterEach(async () => {
  await dn?.close();
});

const FIELDS = ['/person/givenName', '/person/familyName', '/person/languages', '/person/gender', '/needs', '/riskAssessment'];
const get = async (name: string, path: string) => (await dn.api(name, 'GET', path)).json;
const ctxOf = (name: string) => dn.net.nodes[name]!.node.ctx;

async function offerAcceptHandover(ids: { caseId: string; consentId: string }, handover: Record<string, unknown> = {}) {
  const offered = await dn.api('open-gate', 'POST', '/api/v1/referrals', offerTo('org:astra', ids));
  expect(offered.status).toBe(201);
  await dn.net.drain();
  const accepted = await dn.api('astra', 'POST', `/api/v1/referrals/${offered.json.id}/accept`, { contact: CONTACT('Jelena ASTRA') });
  expect(accepted.json.state).toBe('accepted');
  await dn.net.drain();
  const handed = await dn.api('open-gate', 'POST', `/api/v1/referrals/${offered.json.id}/handover`, handover);
  await dn.net.drain();
  return { id: offered.json.id as string, handed };
}

describe('the relay Open Gate → ASTRA, with consent', () => {
  it('offer (not identifying) → accept (with a named contact) → handover of exactly the consented fields, in the ledger', async () => {
    dn = await startCaseworkNetwork();
    const ids = await caseWithConsent(dn, 'open-gate', { recipients: ['org:astra'], fields: FIELDS });
    const offered = await dn.api('open-gate', 'POST', '/api/v1/referrals', offerTo('org:astra', ids));
    expect(offered.json).toMatchObject({ state: 'offered', peerOrg: 'org:astra', direction: 'outgoing' });
    await dn.net.drain();

    const atAstra = await get('astra', `/api/v1/referrals/${offered.json.id}`);
    expect(atAstra).toMatchObject({ direction: 'incoming', state: 'offered', peerOrg: 'org:open-gate', theirContact: { name: 'Elena Open Gate' } });
    expect(atAstra.offer).toMatchObject({ gender: 'female', ageBand: '18-25', languages: ['sr', 'mk'], needs: ['shelter', 'legal-aid'], currentCountry: 'MK' });
    expect(JSON.stringify(atAstra)).not.toMatch(/Marija|Testović|2001-04-17|555 0199/);

    await dn.api('astra', 'POST', `/api/v1/referrals/${offered.json.id}/accept`, { contact: CONTACT('Jelena ASTRA') });
    await dn.net.drain();
    // the referrer sees where it stands and who the contact person is at the other side
    expect(await get('open-gate', `/api/v1/referrals/${offered.json.id}`)).toMatchObject({ state: 'accepted', theirContact: { name: 'Jelena ASTRA' } });

    const handed = await dn.api('open-gate', 'POST', `/api/v1/referrals/${offered.json.id}/handover`, {});
    expect(handed.json.state).toBe('handed-over');
    await dn.net.drain();

    const received = await get('astra', `/api/v1/referrals/${offered.json.id}`);
    expect(received.state).toBe('handed-over');
    const theCase = await get('astra', `/api/v1/cases/${received.caseId}`);
    expect(theCase.origin).toBe('received');
    expect(theCase.data.person).toEqual({ givenName: 'Marija', familyName: 'Testović', languages: ['sr', 'mk'], gender: 'female' });
    expect(theCase.data.needs).toEqual(['shelter', 'legal-aid']);
    expect(theCase.data.riskAssessment.level).toBe('high');
    for (const withheld of ['notes', 'indicators', 'doNotContact', 'status']) expect(theCase.data[withheld]).toBeUndefined();
    expect(theCase.data.riskToLife).toMatchObject({ basis: 'vital-interests', level: 'high', assessedBy: 'org:open-gate' });
    expect(theCase.consents).toEqual([expect.objectContaining({ id: ids.consentId, controller: 'org:open-gate', local: false, status: 'given' })]);

    const ledger = (await get('open-gate', `/api/v1/cases/${ids.caseId}`)).disclosures;
    expect(ledger).toEqual([expect.objectContaining({ org: 'org:astra', node: 'node:astra', consentId: ids.consentId, consentVersion: 1, purpose: 'referral' })]);
    expect([...ledger[0].fields].sort()).toEqual([...FIELDS].sort());
    expect(ctxOf('astra').casework.referralStore.quarantined()).toEqual([]);
  });

  it('the sender refuses a field, a recipient or a purpose outside the consent, naming it, and sends nothing', async () => {
    dn = await startCaseworkNetwork();
    const ids = await caseWithConsent(dn, 'open-gate', { recipients: ['org:astra'], fields: FIELDS });
    const toLefoe = await dn.api('open-gate', 'POST', '/api/v1/referrals', offerTo('org:lefoe-ibf', ids));
    expect(toLefoe).toMatchObject({ status: 403, json: { error: { code: 'ConsentScope', issues: [{ path: 'recipient' }] } } });
    const forCourt = await dn.api('open-gate', 'POST', '/api/v1/referrals', offerTo('org:astra', ids, { purpose: 'legal-proceedings' }));
    expect(forCourt).toMatchObject({ status: 403, json: { error: { code: 'ConsentScope', issues: [{ path: 'purpose' }] } } });

    const { id, handed } = await offerAcceptHandover(ids, { fields: ['/person/givenName', '/person/phone'] });
    expect(handed).toMatchObject({ status: 403, json: { error: { code: 'ConsentScope', issues: [{ path: '/person/phone' }] } } });
    expect(handed.json.error.message).toContain('/person/phone');
    expect(JSON.stringify(handed.json)).not.toContain('555 0199');
    expect((await get('open-gate', `/api/v1/referrals/${id}`)).state).toBe('accepted');
    expect((await get('open-gate', `/api/v1/cases/${ids.caseId}`)).disclosures).toEqual([]);
    // only the offer and the accept's ack moved; no handover, no consent record
    const typs = (ctxOf('open-gate').handle.sqlite.prepare(`SELECT typ FROM outbox_item`).all() as { typ: string }[]).map((r) => r.typ);
    expect(typs).not.toContain(messageType('referral', 'handover'));
    expect(typs).not.toContain(messageType('consent', 'record'));
  });

  it('the receiver quarantines a forged handover carrying a field outside the consent: never applied, and the sender hears why', async () => {
    dn = await startCaseworkNetwork();
    const ids = await caseWithConsent(dn, 'open-gate', { recipients: ['org:astra'], fields: FIELDS });
    const offered = await dn.api('open-gate', 'POST', '/api/v1/referrals', offerTo('org:astra', ids));
    await dn.net.drain();
    await dn.api('astra', 'POST', `/api/v1/referrals/${offered.json.id}/accept`, { contact: CONTACT('Jelena ASTRA') });
    await dn.net.drain();

    // a tampered Open Gate node skips the projection: the record and a handover with the phone number
    const og = ctxOf('open-gate');
    const held = og.casework.consents.latest(ids.consentId)!;
    const ref = { id: held.record.id, hash: held.hash };
    og.messages.send({ to: 'node:astra', typ: messageType('consent', 'record'), body: held.signed as unknown as Record<string, unknown>, thid: offered.json.id });
    og.messages.send({
      to: 'node:astra',
      typ: messageType('referral', 'handover'),
      thid: offered.json.id,
      consent: ref,
      body: { referralId: offered.json.id, consent: ref, purpose: 'referral', case: { person: { givenName: 'Marija', phone: '+381 64 555 0199' } }, riskToLife: { basis: 'vital-interests', level: 'high', threats: [], assessedAt: 1, assessedBy: 'org:open-gate' } },
    });
    await dn.net.drain();

    const astra = ctxOf('astra');
    expect(astra.casework.referralStore.quarantined()).toEqual([expect.objectContaining({ sender: 'node:open-gate', typ: messageType('referral', 'handover'), code: 'ConsentScope', detail: '/person/phone' })]);
    const r = await get('astra', `/api/v1/referrals/${offered.json.id}`);
    expect(r).toMatchObject({ state: 'accepted', caseId: null });
    expect(r.events.map((e: { kind: string }) => e.kind)).toContain('quarantined');
    expect((astra.handle.sqlite.prepare(`SELECT count(*) AS n FROM case_file`).get() as { n: number }).n).toBe(0);
    // and in ASTRA's audit log, with the code (ids only)
    const audited = (astra.handle.sqlite.prepare('SELECT bytes FROM audit_entry ORDER BY seq').all() as { bytes: Buffer }[]).map((x) => JSON.parse(x.bytes.toString('utf8')) as { kind: string });
    expect(audited).toContainEqual(expect.objectContaining({ kind: 'message-quarantined', actor: 'node:astra', code: 'ConsentScope', subject: expect.objectContaining({ node: 'node:open-gate' }) }));
    const problems = og.handle.sqlite.prepare(`SELECT body FROM message WHERE typ = ?`).all(messageType('message', 'problem-report')) as { body: string }[];
    expect(problems.map((p) => JSON.parse(p.body) as { code: string })).toContainEqual(expect.objectContaining({ code: 'ConsentScope' }));
  });
});

describe('onward referral along the route: LEFÖ-IBF → Open Gate → ASTRA', () => {
  it('goes on only where the consent allows onward sharing, carries the controller\'s signed consent, and records the chain of custody', async () => {
    dn = await startCaseworkNetwork();
    const lefoeFields = ['/person/givenName', '/person/languages', '/needs'];
    const ids = await caseWithConsent(dn, 'lefoe-ibf', { recipients: ['org:open-gate'], fields: lefoeFields, onward: ['org:astra'] });
    const first = await dn.api('lefoe-ibf', 'POST', '/api/v1/referrals', offerTo('org:open-gate', ids, { contact: CONTACT('Anna LEFÖ'), currentCountry: 'AT' }));
    await dn.net.drain();
    await dn.api('open-gate', 'POST', `/api/v1/referrals/${first.json.id}/accept`, { contact: CONTACT('Elena Open Gate') });
    await dn.net.drain();
    await dn.api('lefoe-ibf', 'POST', `/api/v1/referrals/${first.json.id}/handover`, {});
    await dn.net.drain();
    expect((await get('open-gate', `/api/v1/referrals/${first.json.id}`)).state).toBe('handed-over');

    const { caseId: _c, consentId: _k, ...onwardBody } = offerTo('org:astra', ids);
    // onward sharing covers the referral purposes only, not court proceedings
    const refused = await dn.api('open-gate', 'POST', `/api/v1/referrals/${first.json.id}/onward`, { ...onwardBody, purpose: 'legal-proceedings' });
    expect(refused).toMatchObject({ status: 403, json: { error: { code: 'ConsentScope', issues: [{ path: 'purpose' }] } } });
    // and a consent that allows no onward sharing stops it by recipient
    const closed = await caseWithConsent(dn, 'lefoe-ibf', { recipients: ['org:open-gate'], fields: lefoeFields });
    const second = await dn.api('lefoe-ibf', 'POST', '/api/v1/referrals', offerTo('org:open-gate', closed, { contact: CONTACT('Anna LEFÖ'), currentCountry: 'AT' }));
    await dn.net.drain();
    await dn.api('open-gate', 'POST', `/api/v1/referrals/${second.json.id}/accept`, { contact: CONTACT('Elena Open Gate') });
    await dn.net.drain();
    await dn.api('lefoe-ibf', 'POST', `/api/v1/referrals/${second.json.id}/handover`, {});
    await dn.net.drain();
    const noOnward = await dn.api('open-gate', 'POST', `/api/v1/referrals/${second.json.id}/onward`, onwardBody);
    expect(noOnward).toMatchObject({ status: 403, json: { error: { code: 'ConsentScope', issues: [{ path: 'recipient' }] } } });

    const onward = await dn.api('open-gate', 'POST', `/api/v1/referrals/${first.json.id}/onward`, onwardBody);
    expect(onward.status).toBe(201);
    expect(onward.json).toMatchObject({ parentId: first.json.id, chain: ['org:lefoe-ibf', 'org:open-gate'], peerOrg: 'org:astra' });
    await dn.net.drain();
    await dn.api('astra', 'POST', `/api/v1/referrals/${onward.json.id}/accept`, { contact: CONTACT('Jelena ASTRA') });
    await dn.net.drain();
    await dn.api('open-gate', 'POST', `/api/v1/referrals/${onward.json.id}/handover`, {});
    await dn.net.drain();

    const atAstra = await get('astra', `/api/v1/referrals/${onward.json.id}`);
    expect(atAstra.state).toBe('handed-over');
    expect(atAstra.events).toContainEqual(expect.objectContaining({ kind: 'custody', detail: 'org:lefoe-ibf > org:open-gate > org:astra' }));
    const theCase = await get('astra', `/api/v1/cases/${atAstra.caseId}`);
    expect(theCase.data.person).toEqual({ givenName: 'Marija', languages: ['sr', 'mk'] });
    expect(theCase.consents).toEqual([expect.objectContaining({ id: ids.consentId, controller: 'org:lefoe-ibf', local: false })]);
    // each node's ledger says what it gave to whom
    expect((await get('lefoe-ibf', `/api/v1/cases/${ids.caseId}`)).disclosures.map((d: { org: string }) => d.org)).toEqual(['org:open-gate']);
    const ogCase = (await get('open-gate', `/api/v1/referrals/${first.json.id}`)).caseId;
    expect((await get('open-gate', `/api/v1/cases/${ogCase}`)).disclosures.map((d: { org: string }) => d.org)).toEqual(['org:astra']);
  });
});
