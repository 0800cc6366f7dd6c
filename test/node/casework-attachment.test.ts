import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AttachmentManifest, LIMITS, fetchAttachment, messageType, randomBytes, toBase64Url } from '../../protocol/index.js';
import type { DirectoryNetwork } from '../helpers/directory-network.js';
import { CONTACT, caseWithConsent, offerTo, startCaseworkNetwork } from '../helpers/casework.js';

/**
 * The must-show: LEFÖ-IBF (Vienna) hands a case over to ASTRA (Belgrade) with a medical
 * certificate attached. The file is sealed on upload (secretstream, a manifest signed by the node
 * key), the key travels inside the end-to-end encrypted handover, ASTRA fetches the ciphertext
 * over the signed federation route and checks it chunk by chunk against the signed manifest.
 * Neither node ever has the plaintext on disk; only the peer it was handed to may fetch it.
 */

let dn: DirectoryNetwork;
afterEach(async () => {
  await dn?.close();
});

const FIELDS = ['/person/givenName', '/person/languages', '/needs'];
const SECRET = 'Marija Testovic: fracture of the left wrist, examined in Vienna';
const CT_CHUNK = LIMITS.attachmentChunkBytes + 17;
const ctxOf = (name: string) => dn.net.nodes[name]!.node.ctx;
const get = async (name: string, path: string) => (await dn.api(name, 'GET', path)).json;
const fileAt = (name: string, id: string) => join(dn.net.nodes[name]!.dataDir, 'attachments', id);
const holdsPlaintext = (bytes: Uint8Array) => Buffer.from(bytes).includes(Buffer.from(SECRET)) || Buffer.from(bytes).includes(Buffer.from('%PDF-1.7'));

/** a PDF-like medical certificate over three chunks, the secret sentence in two of them */
function certificate(size = 150_000): Uint8Array {
  const out = randomBytes(size);
  const head = new TextEncoder().encode(`%PDF-1.7\n%\u00e2\u00e3\n1 0 obj (${SECRET}) endobj\n`);
  out.set(head, 0);
  out.set(head, 70_000);
  return out;
}

async function upload(name: string, caseId: string, bytes: Uint8Array, type = 'application/pdf', query = '?name=medical-certificate.pdf') {
  const n = dn.net.nodes[name]!;
  const res = await fetch(`${n.url}/api/v1/cases/${caseId}/attachments${query}`, { method: 'POST', headers: { authorization: `Bearer ${n.token}`, 'content-type': type }, body: bytes });
  return { status: res.status, json: (await res.json()) as any };
}

async function download(name: string, id: string) {
  const n = dn.net.nodes[name]!;
  const res = await fetch(`${n.url}/api/v1/attachments/${id}`, { headers: { authorization: `Bearer ${n.token}` } });
  return { status: res.status, type: res.headers.get('content-type'), bytes: new Uint8Array(await res.arrayBuffer()) };
}

/** a signed GET of an attachment's ciphertext at `at`, as the peer `as` */
function peerFetch(as: string, at: string, id: string) {
  const manifest = AttachmentManifest.parse(JSON.parse(ctxOf(at).casework.attachments.get(id)!.manifest));
  const me = ctxOf(as);
  return fetchAttachment({ fetch, baseUrl: dn.net.nodes[at]!.url, from: me.config.node, signer: me.keys.nodeKey, now: Math.floor(dn.net.clock.now() / 1000), nonce: toBase64Url(randomBytes(16)), timeoutMs: 5000 }, manifest);
}

/** LEFÖ-IBF records the case and consent, uploads the certificate, offers to ASTRA, ASTRA accepts */
async function prepared(fields = [...FIELDS, '/attachments']) {
  const ids = await caseWithConsent(dn, 'lefoe-ibf', { recipients: ['org:astra'], fields });
  const bytes = certificate();
  const added = await upload('lefoe-ibf', ids.caseId, bytes);
  expect(added.status).toBe(201);
  const offered = await dn.api('lefoe-ibf', 'POST', '/api/v1/referrals', offerTo('org:astra', ids, { contact: CONTACT('Anna LEFÖ'), currentCountry: 'AT' }));
  expect(offered.status).toBe(201);
  await dn.net.drain();
  await dn.api('astra', 'POST', `/api/v1/referrals/${offered.json.id}/accept`, { contact: CONTACT('Jelena ASTRA') });
  await dn.net.drain();
  return { ids, bytes, attachmentId: added.json.id as string, referralId: offered.json.id as string, added: added.json };
}

async function handOver(referralId: string, attachmentId: string) {
  const handed = await dn.api('lefoe-ibf', 'POST', `/api/v1/referrals/${referralId}/handover`, { attachments: [attachmentId] });
  await dn.net.drain();
  await ctxOf('astra').casework.attachments.fetchPending();
  const atAstra = await get('astra', `/api/v1/referrals/${referralId}`);
  return { handed, atAstra, list: (await get('astra', `/api/v1/cases/${atAstra.caseId}/attachments`)).attachments };
}

describe('ASTRA ↔ LEFÖ-IBF: a handover with a medical certificate attached', () => {
  it('is sealed on upload, travels with the handover, and ASTRA reads exactly the bytes LEFÖ-IBF uploaded', async () => {
    dn = await startCaseworkNetwork();
    const { ids, bytes, attachmentId, referralId, added } = await prepared();
    expect(added).toMatchObject({ id: attachmentId, caseId: ids.caseId, mediaType: 'application/pdf', size: bytes.length, name: 'medical-certificate.pdf', origin: 'local', state: 'stored' });
    expect(added.key).toBeUndefined();
    const listed = (await get('lefoe-ibf', `/api/v1/cases/${ids.caseId}/attachments`)).attachments;
    expect(listed).toEqual([expect.objectContaining({ id: attachmentId, state: 'stored' })]);
    expect(JSON.stringify(listed)).not.toMatch(/"key"|manifest/);
    // encrypted at rest at the sender: the ciphertext of three chunks, no plaintext in it
    const atSender = readFileSync(fileAt('lefoe-ibf', attachmentId));
    expect(atSender.length).toBe(bytes.length + 3 * 17);
    expect(holdsPlaintext(atSender)).toBe(false);
    expect((await download('lefoe-ibf', attachmentId)).bytes).toEqual(bytes);

    const { handed, atAstra, list } = await handOver(referralId, attachmentId);
    expect(handed.json.state).toBe('handed-over');
    expect(atAstra.state).toBe('handed-over');
    expect(list).toEqual([expect.objectContaining({ id: attachmentId, mediaType: 'application/pdf', size: bytes.length, name: 'medical-certificate.pdf', origin: 'received', state: 'stored', from: 'node:lefoe-ibf', problem: null })]);
    const got = await download('astra', attachmentId);
    expect(got).toMatchObject({ status: 200, type: 'application/pdf' });
    expect(got.bytes).toEqual(bytes);
    // encrypted at rest at the receiver too (the sender's ciphertext, kept as it came)
    const atReceiver = readFileSync(fileAt('astra', attachmentId));
    expect(holdsPlaintext(atReceiver)).toBe(false);
    expect(atReceiver).toEqual(atSender);
    expect(atAstra.events.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['handover-received', 'attachment-received']));
    expect(atAstra.events.find((e: { kind: string }) => e.kind === 'handover-received').detail).toContain('/attachments');

    // the ledger says one attachment went to ASTRA, under /attachments
    const [ledger] = (await get('lefoe-ibf', `/api/v1/cases/${ids.caseId}`)).disclosures;
    expect(ledger).toMatchObject({ org: 'org:astra', attachments: 1 });
    expect(ledger.fields).toContain('/attachments');

    // the federation route: ASTRA may fetch it again, Open Gate was not given it, no signature is no answer
    expect(await peerFetch('astra', 'lefoe-ibf', attachmentId)).toMatchObject({ ok: true });
    expect(await peerFetch('open-gate', 'lefoe-ibf', attachmentId)).toEqual({ ok: false, status: 404, code: 'NotFound' });
    const unsigned = await fetch(`${dn.net.nodes['lefoe-ibf']!.url}/federation/v1/attachments/${attachmentId}`);
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toEqual({ error: expect.objectContaining({ code: 'Unauthenticated' }) });

    // a purge deletes the files and the keys at both ends; the sender then serves nothing
    expect(ctxOf('astra').casework.attachments.purgeAttachments(atAstra.caseId)).toBe(1);
    expect(ctxOf('lefoe-ibf').casework.attachments.purgeAttachments(ids.caseId)).toBe(1);
    for (const name of ['astra', 'lefoe-ibf']) expect(existsSync(fileAt(name, attachmentId))).toBe(false);
    expect((ctxOf('astra').handle.sqlite.prepare(`SELECT count(*) AS n FROM attachment`).get() as { n: number }).n).toBe(0);
    expect((await download('astra', attachmentId)).status).toBe(404);
    expect((await get('astra', `/api/v1/cases/${atAstra.caseId}/attachments`)).attachments).toEqual([]);
  });

  it('a ciphertext chunk tampered with at the sender is refused by the receiver against the signed manifest', async () => {
    dn = await startCaseworkNetwork();
    const { attachmentId, referralId } = await prepared();
    const path = fileAt('lefoe-ibf', attachmentId);
    const tampered = readFileSync(path);
    tampered[CT_CHUNK + 100] = tampered[CT_CHUNK + 100]! ^ 1;
    writeFileSync(path, tampered);

    const { atAstra, list } = await handOver(referralId, attachmentId);
    // the handover itself stands (the case arrived); only the attachment is refused
    expect(atAstra.state).toBe('handed-over');
    expect(list).toEqual([expect.objectContaining({ id: attachmentId, state: 'refused', problem: 'AttachmentCorrupt' })]);
    expect(existsSync(fileAt('astra', attachmentId))).toBe(false);
    expect((await download('astra', attachmentId)).status).toBe(404);
    expect(atAstra.events).toContainEqual(expect.objectContaining({ kind: 'attachment-refused', detail: `${attachmentId} AttachmentCorrupt` }));
    // refused for good: a later sweep does not fetch it again
    dn.net.clock.advance({ hours: 1 });
    expect(await ctxOf('astra').casework.attachments.fetchPending()).toBe(0);
  });

  it('a sender that cannot be reached is tried again later: pending, then stored', async () => {
    dn = await startCaseworkNetwork();
    const { attachmentId, referralId, bytes } = await prepared();
    await handOver(referralId, attachmentId);
    // as if the fetch after the handover had met LEFÖ-IBF offline
    const astra = ctxOf('astra');
    astra.handle.sqlite.prepare(`UPDATE attachment SET state = 'pending' WHERE id = ?`).run(attachmentId);
    rmSync(fileAt('astra', attachmentId));
    dn.net.partition('lefoe-ibf');
    expect(await astra.casework.attachments.fetchPending()).toBe(0);
    expect(astra.casework.attachments.get(attachmentId)).toMatchObject({ state: 'pending', attempts: 1, problem: 'PeerUnavailable' });
    dn.net.heal('lefoe-ibf');
    expect(await astra.casework.attachments.fetchPending()).toBe(0); // not due yet
    dn.net.clock.advance({ minutes: 1 });
    expect(await astra.casework.attachments.fetchPending()).toBe(1);
    expect((await download('astra', attachmentId)).bytes).toEqual(bytes);
  });
});

describe('attachments need the consent: the pointer /attachments', () => {
  it('the sender refuses a handover with an attachment the consent does not cover, naming /attachments; the receiver quarantines a forged one', async () => {
    dn = await startCaseworkNetwork();
    const { ids, attachmentId, referralId } = await prepared(FIELDS);
    const handed = await dn.api('lefoe-ibf', 'POST', `/api/v1/referrals/${referralId}/handover`, { attachments: [attachmentId] });
    expect(handed).toMatchObject({ status: 403, json: { error: { code: 'ConsentScope', issues: [{ path: '/attachments' }] } } });
    expect(handed.json.error.message).toContain('/attachments');
    expect((await get('lefoe-ibf', `/api/v1/referrals/${referralId}`)).state).toBe('accepted');
    expect((await get('lefoe-ibf', `/api/v1/cases/${ids.caseId}`)).disclosures).toEqual([]);
    expect(await peerFetch('astra', 'lefoe-ibf', attachmentId)).toMatchObject({ ok: false, status: 404 });

    // a tampered LEFÖ-IBF node skips the check: ASTRA quarantines the whole handover
    const lefoe = ctxOf('lefoe-ibf');
    const held = lefoe.casework.consents.latest(ids.consentId)!;
    const ref = { id: held.record.id, hash: held.hash };
    lefoe.messages.send({ to: 'node:astra', typ: messageType('consent', 'record'), body: held.signed as unknown as Record<string, unknown>, thid: referralId });
    lefoe.messages.send({
      to: 'node:astra',
      typ: messageType('referral', 'handover'),
      thid: referralId,
      consent: ref,
      body: { referralId, consent: ref, purpose: 'referral', case: { person: { givenName: 'Marija' } }, riskToLife: { basis: 'vital-interests', level: 'high', threats: [], assessedAt: 1, assessedBy: 'org:lefoe-ibf' }, attachments: lefoe.casework.attachments.refs(ids.caseId, [attachmentId]) },
    });
    await dn.net.drain();
    const astra = ctxOf('astra');
    expect(astra.casework.referralStore.quarantined()).toEqual([expect.objectContaining({ sender: 'node:lefoe-ibf', typ: messageType('referral', 'handover'), code: 'ConsentScope', detail: '/attachments' })]);
    expect((await get('astra', `/api/v1/referrals/${referralId}`)).state).toBe('accepted');
    expect((astra.handle.sqlite.prepare(`SELECT count(*) AS n FROM attachment`).get() as { n: number }).n).toBe(0);
  });

  it('an update may carry an attachment under the same rule', async () => {
    dn = await startCaseworkNetwork();
    const { ids, referralId } = await prepared();
    await dn.api('lefoe-ibf', 'POST', `/api/v1/referrals/${referralId}/handover`, {});
    await dn.net.drain();
    const tickets = await upload('lefoe-ibf', ids.caseId, new TextEncoder().encode('bus ticket Vienna-Belgrade, seat 14'), 'image/png', '?name=ticket.png');
    const updated = await dn.api('lefoe-ibf', 'POST', `/api/v1/referrals/${referralId}/update`, { status: 'in-progress', attachments: [tickets.json.id] });
    expect(updated.status).toBe(200);
    await dn.net.drain();
    await ctxOf('astra').casework.attachments.fetchPending();
    const caseId = (await get('astra', `/api/v1/referrals/${referralId}`)).caseId;
    expect((await get('astra', `/api/v1/cases/${caseId}/attachments`)).attachments).toEqual([expect.objectContaining({ id: tickets.json.id, name: 'ticket.png', state: 'stored' })]);
    expect(new TextDecoder().decode((await download('astra', tickets.json.id)).bytes)).toBe('bus ticket Vienna-Belgrade, seat 14');
    const ledger = (await get('lefoe-ibf', `/api/v1/cases/${ids.caseId}`)).disclosures;
    expect(ledger.map((d: { attachments: number }) => d.attachments)).toEqual([0, 1]);
  });
});

describe('attachments: bad input', () => {
  /** a request that announces more than the limit: refused before a byte of the body is read */
  const announceTooMuch = (url: string, token: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf', 'content-length': String(LIMITS.maxAttachmentBytes + 1) } }, (res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
        req.destroy();
      });
      req.on('error', reject);
      req.write(new Uint8Array(1024));
    });

  it('over the limit → 413; bad ids, media types, names, empty bodies → 400/404; no token → 401', async () => {
    dn = await startCaseworkNetwork();
    const { ids, referralId } = await prepared();
    const n = dn.net.nodes['lefoe-ibf']!;
    expect(await announceTooMuch(`${n.url}/api/v1/cases/${ids.caseId}/attachments`, n.token)).toBe(413);
    const small = new Uint8Array([1, 2, 3]);
    expect(await upload('lefoe-ibf', '01JDZDK2BGA1C939X8REB11V73', small)).toMatchObject({ status: 404, json: { error: { code: 'NotFound' } } });
    expect(await upload('lefoe-ibf', ids.caseId, small, 'not a media type')).toMatchObject({ status: 400, json: { error: { issues: [{ path: 'content-type' }] } } });
    expect(await upload('lefoe-ibf', ids.caseId, small, 'application/pdf', `?name=${'x'.repeat(201)}`)).toMatchObject({ status: 400, json: { error: { issues: [{ path: 'name' }] } } });
    expect(await upload('lefoe-ibf', ids.caseId, small, 'application/pdf', '?name=a%0Ab')).toMatchObject({ status: 400, json: { error: { issues: [{ path: 'name' }] } } });
    expect(await upload('lefoe-ibf', ids.caseId, new Uint8Array(0))).toMatchObject({ status: 400, json: { error: { issues: [{ path: '(body)' }] } } });
    const noToken = await fetch(`${n.url}/api/v1/cases/${ids.caseId}/attachments`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: small });
    expect(noToken.status).toBe(401);
    expect((await download('lefoe-ibf', 'not-an-id')).status).toBe(400);
    expect((await download('lefoe-ibf', '01JDZDK2BGA1C939X8REB11V73')).status).toBe(404);
    expect((await dn.api('lefoe-ibf', 'GET', '/api/v1/cases/01JDZDK2BGA1C939X8REB11V73/attachments')).status).toBe(404);
    // a handover naming an attachment that is not a ULID, or not of this case
    const notAnId = await dn.api('lefoe-ibf', 'POST', `/api/v1/referrals/${referralId}/handover`, { attachments: ['../../etc/passwd'] });
    expect(notAnId).toMatchObject({ status: 400, json: { error: { code: 'InvalidRequest', issues: [{ path: 'attachments[0]' }] } } });
    const other = await caseWithConsent(dn, 'lefoe-ibf', { recipients: ['org:astra'], fields: ['/needs', '/attachments'] });
    const elsewhere = await upload('lefoe-ibf', other.caseId, small);
    const wrongCase = await dn.api('lefoe-ibf', 'POST', `/api/v1/referrals/${referralId}/handover`, { attachments: [elsewhere.json.id] });
    expect(wrongCase).toMatchObject({ status: 404, json: { error: { code: 'NotFound' } } });
    expect((await get('lefoe-ibf', `/api/v1/referrals/${referralId}`)).state).toBe('accepted');
    // the federation route: a signed request for something that is no attachment id
    expect(await peerFetch('astra', 'lefoe-ibf', elsewhere.json.id)).toMatchObject({ ok: false, status: 404 });
  });
});
