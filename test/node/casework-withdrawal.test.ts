import { afterEach, describe, expect, it } from 'vitest';
import { messageType } from '../../protocol/index.js';
import type { DirectoryNetwork } from '../helpers/directory-network.js';
import { CONTACT, caseWithConsent, offerTo, startCaseworkNetwork } from '../helpers/casework.js';

/**
 * Withdrawal over three real nodes: the recording organisation signs a "withdrawn" version and
 * notifies every organisation of its disclosure ledger; each purges what it received (or states
 * a legal hold), forwards the withdrawal onward, and answers with a signed deletion receipt. A
 * node offline for days purges when it comes back; a notice without a receipt escalates after 7
 * days; expiry purges on its own at a receiver that never heard of a withdrawal.
 */

let dn: DirectoryNetwork;
afterEach(async () => {
  await dn?.close();
});

const FIELDS = ['/person/givenName', '/person/familyName', '/person/phone', '/person/languages', '/needs', '/notes'];
const PERSONAL = ['Marija', 'Testović', '555 0199', 'border crossing'];
const ctxOf = (name: string) => dn.net.nodes[name]!.node.ctx;
const get = async (name: string, path: string) => (await dn.api(name, 'GET', path)).json;
const sweep = (name: string) => ctxOf(name).casework.sweep(dn.net.clock.now());

/** offer → accept → handover from `from` to `to`; returns the referral id and the case id at `to` */
async function refer(from: string, to: string, ids: { caseId: string; consentId: string }, over: Record<string, unknown> = {}) {
  const offered = await dn.api(from, 'POST', '/api/v1/referrals', offerTo(`org:${to}`, ids, over));
  expect(offered.status).toBe(201);
  await dn.net.drain();
  await dn.api(to, 'POST', `/api/v1/referrals/${offered.json.id}/accept`, { contact: CONTACT('Case Worker') });
  await dn.net.drain();
  expect((await dn.api(from, 'POST', `/api/v1/referrals/${offered.json.id}/handover`, {})).json.state).toBe('handed-over');
  await dn.net.drain();
  const received = await get(to, `/api/v1/referrals/${offered.json.id}`);
  expect(received.state).toBe('handed-over');
  return { id: offered.json.id as string, caseId: received.caseId as string };
}

/** every text and blob of every table at a node, as one string */
function everything(name: string): string {
  const db = ctxOf(name).handle.sqlite;
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((t) => t.name);
  const parts: string[] = [];
  for (const t of tables) {
    for (const row of db.prepare(`SELECT * FROM "${t}"`).all() as Record<string, unknown>[]) {
      for (const v of Object.values(row)) parts.push(Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
    }
  }
  return parts.join('\n');
}

describe('withdrawal along the chain LEFÖ-IBF → Open Gate → ASTRA, with ASTRA offline for 3 days', () => {
  it('every holder purges, forwards onward, and the controller collects every deletion receipt', async () => {
    dn = await startCaseworkNetwork();
    const ids = await caseWithConsent(dn, 'lefoe-ibf', { recipients: ['org:open-gate'], fields: FIELDS, onward: ['org:astra'] });
    const first = await refer('lefoe-ibf', 'open-gate', ids, { currentCountry: 'AT' });
    const { caseId: _c, consentId: _k, ...onwardBody } = offerTo('org:astra', ids);
    const onward = await dn.api('open-gate', 'POST', `/api/v1/referrals/${first.id}/onward`, onwardBody);
    expect(onward.status).toBe(201);
    await dn.net.drain();
    await dn.api('astra', 'POST', `/api/v1/referrals/${onward.json.id}/accept`, { contact: CONTACT('Jelena ASTRA') });
    await dn.net.drain();
    await dn.api('open-gate', 'POST', `/api/v1/referrals/${onward.json.id}/handover`, {});
    await dn.net.drain();
    const astraCase = (await get('astra', `/api/v1/referrals/${onward.json.id}`)).caseId as string;
    expect((await get('astra', `/api/v1/cases/${astraCase}`)).data.person.givenName).toBe('Marija');
    // the case's fields and the handover that carried them are sealed with the case's key (ADR 0014 step C):
    // the rows hold no name even before the purge; the case key holds the way back, until the purge shreds it
    expect(everything('astra')).not.toContain('Marija');
    expect(ctxOf('astra').handle.sqlite.prepare(`SELECT count(*) AS n FROM case_key WHERE caseId = ?`).get(astraCase)).toEqual({ n: 1 });

    dn.net.partition('astra');
    const withdrawn = await dn.api('lefoe-ibf', 'POST', `/api/v1/consents/${ids.consentId}/withdraw`, { by: 'data-subject' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.json).toMatchObject({ status: 'withdrawn', version: 2, local: true, recipients: [{ org: 'org:open-gate' }] });
    expect(withdrawn.json.notices).toEqual([expect.objectContaining({ org: 'org:open-gate', sent: true, status: 'missing' })]);
    // the controller keeps its own case, and nothing more leaves under the withdrawn consent
    expect((await get('lefoe-ibf', `/api/v1/cases/${ids.caseId}`)).data.person.givenName).toBe('Marija');
    const again = await dn.api('lefoe-ibf', 'POST', '/api/v1/referrals', offerTo('org:open-gate', ids, { currentCountry: 'AT' }));
    expect(again).toMatchObject({ status: 403, json: { error: { code: 'ConsentWithdrawn' } } });
    expect((await dn.api('lefoe-ibf', 'POST', `/api/v1/consents/${ids.consentId}/withdraw`, { by: 'data-subject' })).json.error.code).toBe('ConsentWithdrawn');

    // three days with ASTRA cut off: Open Gate purges and forwards at once; ASTRA hears nothing
    for (let hour = 0; hour < 72; hour += 6) {
      await dn.net.drain();
      dn.net.clock.advance({ hours: 6 });
      sweep('lefoe-ibf');
      sweep('open-gate');
    }
    const ogCase = (await get('open-gate', `/api/v1/referrals/${first.id}`)).caseId as string;
    expect(await get('open-gate', `/api/v1/cases/${ogCase}`)).toMatchObject({ state: 'purged', data: null, purgeReason: 'consent-withdrawn' });
    expect(everything('open-gate')).not.toMatch(/Marija|Testović|555 0199/);
    expect((await get('astra', `/api/v1/cases/${astraCase}`)).data.person.givenName).toBe('Marija');
    const atOg = await get('open-gate', `/api/v1/consents/${ids.consentId}`);
    expect(atOg).toMatchObject({ status: 'withdrawn', local: false, controller: 'org:lefoe-ibf' });
    expect(atOg.notices).toEqual([expect.objectContaining({ org: 'org:astra', sent: true, status: 'missing' })]);
    const ogReceipt = (await get('lefoe-ibf', `/api/v1/consents/${ids.consentId}`)).notices.find((n: { org: string }) => n.org === 'org:open-gate');
    expect(ogReceipt).toMatchObject({ status: 'received', receipt: { actions: ['deleted-case-data', 'stopped-processing', 'forwarded-withdrawal'], onwardNotified: ['org:astra'] } });

    // ASTRA is back: the withdrawal arrives, the case is purged, the receipts go out
    dn.net.heal('astra');
    dn.net.clock.advance({ hours: 6 });
    await dn.net.drain();
    const row = ctxOf('astra').handle.sqlite.prepare(`SELECT data, state, purgeReason FROM case_file WHERE id = ?`).get(astraCase);
    expect(row).toEqual({ data: null, state: 'purged', purgeReason: 'consent-withdrawn' });
    // the withdrawal's purge shreds the case's key too (ADR 0014 step C)
    expect(ctxOf('astra').handle.sqlite.prepare(`SELECT count(*) AS n FROM case_key WHERE caseId = ?`).get(astraCase)).toEqual({ n: 0 });
    // the purge is in ASTRA's audit log as a withdrawal applied (ids and the consent's hash)
    const audited = (ctxOf('astra').handle.sqlite.prepare('SELECT bytes FROM audit_entry ORDER BY seq').all() as { bytes: Buffer }[]).map((x) => JSON.parse(x.bytes.toString('utf8')) as { kind: string });
    expect(audited).toContainEqual(expect.objectContaining({ kind: 'withdrawal-applied', actor: 'node:astra', subject: expect.objectContaining({ org: 'org:lefoe-ibf', consentId: ids.consentId }), hashes: { consent: expect.any(String) } }));
    const astraDb = everything('astra');
    for (const word of PERSONAL) expect(astraDb).not.toContain(word);
    expect((await get('astra', `/api/v1/referrals/${onward.json.id}`)).events.map((e: { kind: string }) => e.kind)).toContain('withdrawal-received');

    // the signed receipt is kept in the controller's message table; every recipient has answered
    const atController = await get('lefoe-ibf', `/api/v1/consents/${ids.consentId}`);
    expect(atController.versions.map((v: { status: string }) => v.status)).toEqual(['given', 'withdrawn']);
    expect(atController.notices).toEqual([
      expect.objectContaining({ org: 'org:open-gate', onward: false, status: 'received' }),
      expect.objectContaining({ org: 'org:astra', onward: true, status: 'received', receipt: expect.objectContaining({ actions: ['deleted-case-data', 'stopped-processing'] }) }),
    ]);
    const receipts = ctxOf('lefoe-ibf').handle.sqlite.prepare(`SELECT sender, length(inner) AS n FROM message WHERE typ = ? ORDER BY sender`).all(messageType('consent', 'deletion-receipt'));
    expect(receipts).toEqual([expect.objectContaining({ sender: 'node:astra' }), expect.objectContaining({ sender: 'node:open-gate' })]);
    expect((await get('open-gate', `/api/v1/consents/${ids.consentId}`)).notices).toEqual([expect.objectContaining({ org: 'org:astra', status: 'received' })]);
    for (const name of ['astra', 'open-gate', 'lefoe-ibf']) expect(ctxOf(name).casework.referralStore.quarantined()).toEqual([]);
  });
});

describe('a recipient that never answers', () => {
  it('its notice escalates after 7 days with an alert; the one that answered shows its receipt', async () => {
    dn = await startCaseworkNetwork();
    const ids = await caseWithConsent(dn, 'open-gate', { recipients: ['org:astra', 'org:lefoe-ibf'], fields: FIELDS });
    await refer('open-gate', 'astra', ids);
    await refer('open-gate', 'lefoe-ibf', ids, { destinationCountry: 'AT' });
    dn.net.partition('lefoe-ibf');
    await dn.api('open-gate', 'POST', `/api/v1/consents/${ids.consentId}/withdraw`, { by: 'guardian', reason: 'withdrawn-by-guardian' });
    await dn.net.drain();

    dn.net.clock.advance({ days: 6, hours: 23 });
    expect(sweep('open-gate').escalated).toBe(0);
    dn.net.clock.advance({ hours: 2 });
    expect(sweep('open-gate').escalated).toBe(1);
    expect(sweep('open-gate').escalated).toBe(0); // once
    const status = await get('open-gate', `/api/v1/consents/${ids.consentId}`);
    const by = Object.fromEntries(status.notices.map((n: { org: string; status: string }) => [n.org, n.status]));
    expect(by).toEqual({ 'org:astra': 'received', 'org:lefoe-ibf': 'escalated' });
    expect(ctxOf('open-gate').inbox.alerts()).toContainEqual(expect.objectContaining({ kind: 'deletion-receipt-missing', peer: 'node:lefoe-ibf', code: 'DeletionReceiptMissing' }));
    const lefoeCase = ctxOf('lefoe-ibf').casework.cases.list(10, 0).find((c) => c.origin === 'received');
    expect(lefoeCase?.data?.person?.givenName).toBe('Marija'); // still cut off: nothing arrived yet
  });
});

describe('a legal hold', () => {
  it('keeps the data at the recipient, and the deletion receipt states it', async () => {
    dn = await startCaseworkNetwork();
    const ids = await caseWithConsent(dn, 'open-gate', { recipients: ['org:astra'], fields: FIELDS });
    const { caseId } = await refer('open-gate', 'astra', ids);
    const hold = { reason: 'Witness in criminal proceedings: court order to keep the file', court: 'Higher Court in Belgrade', until: '2027-06-30' };
    const put = await dn.api('astra', 'PUT', `/api/v1/cases/${caseId}/legal-hold`, hold);
    expect(put).toMatchObject({ status: 200, json: { caseId, ...hold } });

    await dn.api('open-gate', 'POST', `/api/v1/consents/${ids.consentId}/withdraw`, { by: 'data-subject' });
    await dn.net.drain();
    const kept = await get('astra', `/api/v1/cases/${caseId}`);
    expect(kept.state).toBe('open');
    expect(kept.data.person.givenName).toBe('Marija');
    // nothing goes further under the withdrawn consent, even from the holder
    expect(kept.consents[0]).toMatchObject({ status: 'withdrawn', version: 2 });

    const [notice] = (await get('open-gate', `/api/v1/consents/${ids.consentId}`)).notices;
    expect(notice).toMatchObject({ org: 'org:astra', status: 'received' });
    expect(notice.receipt).toEqual({ consentId: ids.consentId, appliedAt: expect.any(Number), actions: ['stopped-processing'], onwardNotified: [], legalHold: { basis: 'dpv:LegalObligation', ...hold } });
    // the sweeps leave it alone too
    dn.net.clock.advance({ days: 1 });
    sweep('astra');
    expect((await get('astra', `/api/v1/cases/${caseId}`)).state).toBe('open');
  });
});

describe('expiry as a dead-man\'s switch', () => {
  it('a receiver that never got the withdrawal purges at expiry; the controller records "expired" and notifies', async () => {
    dn = await startCaseworkNetwork();
    const created = await dn.api('open-gate', 'POST', '/api/v1/cases', { person: { givenName: 'Marija', phone: '+381 64 555 0199', gender: 'female', ageBand: '18-25' }, needs: ['shelter'] });
    const now = Math.floor(dn.net.clock.now() / 1000);
    const consent = {
      given: { method: 'verbal', language: 'sr', interpreterPresent: true, givenBy: 'data-subject', at: now - 60 },
      processing: [{ purposes: ['referral'], recipients: ['org:astra'], categories: ['identity', 'contact'], fields: ['/person/givenName', '/person/phone', '/needs'], onwardSharing: { allowed: false, to: [] }, retention: 'P30D' }],
      jurisdiction: 'MK',
      expires: now + 10 * 86_400,
      staffRef: 'staff:og-7',
    };
    const recorded = await dn.api('open-gate', 'POST', `/api/v1/cases/${created.json.id}/consents`, consent);
    const ids = { caseId: created.json.id as string, consentId: recorded.json.id as string };
    const { caseId } = await refer('open-gate', 'astra', ids);

    dn.net.partition('astra');
    dn.net.clock.advance({ days: 9 });
    expect(sweep('astra').purged).toBe(0);
    dn.net.clock.advance({ days: 1, minutes: 1 });
    expect(sweep('astra').purged).toBe(1);
    expect(ctxOf('astra').handle.sqlite.prepare(`SELECT data, state, purgeReason FROM case_file WHERE id = ?`).get(caseId)).toEqual({ data: null, state: 'purged', purgeReason: 'consent-expired' });
    expect(everything('astra')).not.toMatch(/Marija|555 0199/);

    expect(sweep('open-gate')).toMatchObject({ expired: 1, notified: 1 });
    const atOg = await get('open-gate', `/api/v1/consents/${ids.consentId}`);
    expect(atOg).toMatchObject({ status: 'expired', version: 2 });
    expect((await get('open-gate', `/api/v1/cases/${ids.caseId}`)).data.person.givenName).toBe('Marija');

    dn.net.heal('astra');
    dn.net.clock.advance({ hours: 6 });
    await dn.net.drain();
    const [notice] = (await get('open-gate', `/api/v1/consents/${ids.consentId}`)).notices;
    expect(notice).toMatchObject({ org: 'org:astra', status: 'received', receipt: { actions: ['deleted-case-data', 'stopped-processing'] } });
  });
});

describe('bad input on the consent and case routes', () => {
  it('names the field, never echoes the value, and refuses a consent recorded elsewhere', async () => {
    dn = await startCaseworkNetwork();
    const ids = await caseWithConsent(dn, 'open-gate', { recipients: ['org:astra'], fields: FIELDS });
    const { caseId } = await refer('open-gate', 'astra', ids);
    const secret = 'Marija Testović +381 64 555 0199';
    const cases: [string, string, string, unknown, string][] = [
      ['open-gate', 'POST', `/api/v1/consents/${ids.consentId}/withdraw`, { by: secret }, 'by'],
      ['open-gate', 'POST', `/api/v1/consents/${ids.consentId}/withdraw`, { by: 'data-subject', reason: secret }, 'reason'],
      ['open-gate', 'POST', `/api/v1/consents/${ids.consentId}/withdraw`, { by: 'data-subject', note: secret }, '(root)'],
      ['astra', 'PUT', `/api/v1/cases/${caseId}/legal-hold`, { reason: 'court order', until: secret }, 'until'],
      ['astra', 'PUT', `/api/v1/cases/${caseId}/legal-hold`, { court: secret }, 'reason'],
      ['open-gate', 'POST', `/api/v1/cases/${ids.caseId}/close`, { outcome: secret }, '(root)'],
    ];
    for (const [name, method, path, body, field] of cases) {
      const res = await dn.api(name, method, path, body);
      expect(res.status, path).toBe(400);
      expect(res.json.error.code).toBe('InvalidRequest');
      expect(res.json.error.issues.map((i: { path: string }) => i.path)).toContain(field);
      expect(JSON.stringify(res.json)).not.toMatch(/Marija|Testović|555 0199/);
    }
    // only the recording organisation can withdraw; unknown ids are 404 without echo
    expect((await dn.api('astra', 'POST', `/api/v1/consents/${ids.consentId}/withdraw`, { by: 'data-subject' })).status).toBe(404);
    expect((await dn.api('open-gate', 'GET', '/api/v1/consents/01JZZZZZZZZZZZZZZZZZZZZZZZ')).status).toBe(404);
    expect((await dn.api('open-gate', 'PUT', '/api/v1/cases/nope/legal-hold', { reason: 'court order' })).status).toBe(404);
    expect((await dn.api('open-gate', 'GET', `/api/v1/consents/${ids.consentId}`)).json.status).toBe('given');
  });
});
