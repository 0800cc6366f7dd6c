import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolError, SEALED_CASE_VALUE_PREFIX, checkEvidence, formatKey, fromBase64Url, messageType, parseKeyRing, randomBytes, toBase64Url } from '../../protocol/index.js';
import { verifyAuditLog } from '../../node/audit/verify.js';
import { createKeyRing, readKeyRing } from '../../node/admin/key-ring.js';
import { createNode } from '../../node/node.js';
import { CONTACT, PERSON_CASE, caseWithConsent, offerTo, startCaseworkNetwork } from '../helpers/casework.js';
import { type DirectoryNetwork, startDirectoryNetwork } from '../helpers/directory-network.js';
import { orgKeyOf, testConfig } from '../helpers/network.js';
import { TEST_DATABASE_KEY, openNodeDatabase, openNodeDb } from '../helpers/node-db.js';

/**
 * Per-case keys (ADR 0014 step C) on a real node: the case's personal fields and its attachments'
 * keys and names are sealed with the case's own key, so even someone holding the database key
 * reads no name out of the case rows; a purge deletes the key in the same transaction, after which
 * a copy of the case's rows (taken from a backup made before, or lingering anywhere) no longer
 * opens on the node; the audit log stays valid; a key ring from before gets its second key.
 */

const KNOWN = {
  givenName: 'Dragoljubka',
  familyName: 'Hadži-Ristevska',
  phone: '+389 75 404 112',
  notes: 'Sleeps at the cousin in Gazi Baba, street with the blue gate',
  file: 'hadzi-ristevska-passport-scan.pdf',
  attachment: 'Passport No. A1234567 issued in Bitola',
} as const;
const needles = Object.values(KNOWN).flatMap((s) => [Buffer.from(s, 'utf8'), Buffer.from(s, 'utf16le')]);
const holds = (bytes: Uint8Array) => needles.some((n) => Buffer.from(bytes).includes(n));

let dn: DirectoryNetwork;
const root = mkdtempSync(join(tmpdir(), 'corridor-case-keys-'));
const ctx = () => dn.net.nodes.astra!.node.ctx;

async function openCase(over: Record<string, unknown> = {}): Promise<string> {
  const created = await dn.api('astra', 'POST', '/api/v1/cases', {
    ...PERSON_CASE,
    person: { ...PERSON_CASE.person, givenName: KNOWN.givenName, familyName: KNOWN.familyName, phone: KNOWN.phone },
    notes: KNOWN.notes,
    ...over,
  });
  expect(created.status).toBe(201);
  return created.json.id as string;
}

async function upload(caseId: string): Promise<string> {
  const n = dn.net.nodes.astra!;
  const res = await fetch(`${n.url}/api/v1/cases/${caseId}/attachments?name=${KNOWN.file}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${n.token}`, 'content-type': 'application/pdf' },
    body: Buffer.concat([Buffer.from(`%PDF-1.7 ${KNOWN.attachment} `), Buffer.from(randomBytes(2_000))]),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

beforeAll(async () => {
  dn = await startDirectoryNetwork(['astra']);
});
afterAll(async () => {
  await dn?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('per-case keys', () => {
  it('seal the case data and attachment keys and names: no plaintext in the case rows for someone holding the database key', async () => {
    const caseId = await openCase();
    const attachmentId = await upload(caseId);
    // the case worker sees everything, through the same routes as before
    const shown = await dn.api('astra', 'GET', `/api/v1/cases/${caseId}`);
    expect(shown.json).toMatchObject({ data: { person: { givenName: KNOWN.givenName, phone: KNOWN.phone }, notes: KNOWN.notes } });
    const changed = await dn.api('astra', 'PATCH', `/api/v1/cases/${caseId}`, { notes: `${KNOWN.notes}, second floor` });
    expect(changed.status).toBe(200);
    const file = await fetch(`${dn.net.nodes.astra!.url}/api/v1/attachments/${attachmentId}`, { headers: { authorization: `Bearer ${dn.net.nodes.astra!.token}` } });
    expect(Buffer.from(await file.arrayBuffer()).includes(Buffer.from(KNOWN.attachment))).toBe(true);
    expect((await dn.api('astra', 'GET', `/api/v1/cases/${caseId}/attachments`)).json.attachments[0]).toMatchObject({ name: KNOWN.file });

    // an attacker with the database file and its key: every column of the case's rows, as text and as bytes
    const db = openNodeDatabase(join(dn.net.nodes.astra!.dataDir, 'corridor.db'));
    try {
      const caseRow = db.prepare('SELECT * FROM case_file WHERE id = ?').get(caseId) as Record<string, unknown>;
      const attachmentRow = db.prepare('SELECT * FROM attachment WHERE id = ?').get(attachmentId) as Record<string, unknown>;
      const keyRow = db.prepare('SELECT * FROM case_key WHERE caseId = ?').get(caseId) as { wrapped: Buffer };
      for (const row of [caseRow, attachmentRow, keyRow]) {
        for (const value of Object.values(row)) expect(holds(Buffer.isBuffer(value) ? value : Buffer.from(String(value)))).toBe(false);
      }
      expect(String(caseRow.data).startsWith(SEALED_CASE_VALUE_PREFIX)).toBe(true);
      expect(String(attachmentRow.key).startsWith(SEALED_CASE_VALUE_PREFIX)).toBe(true);
      expect(String(attachmentRow.name).startsWith(SEALED_CASE_VALUE_PREFIX)).toBe(true);
      expect(keyRow.wrapped.length).toBe(72);
      // control: the scan finds the name where it is in the clear (the case's key opens the row)
      expect(holds(Buffer.from(ctx().casework.caseKeys.openText(caseId, String(caseRow.data))))).toBe(true);
      expect(ctx().casework.caseKeys.openText(caseId, String(attachmentRow.name), 'attachment.name')).toBe(KNOWN.file);
      // a sealed value is bound to its case and its column: moved, it does not open
      const other = await openCase({ notes: 'another person' });
      expect(() => ctx().casework.caseKeys.openText(other, String(caseRow.data))).toThrow(expect.objectContaining({ code: 'CaseDataUnreadable', issues: [{ path: 'data', problem: 'does_not_open' }] }));
      expect(() => ctx().casework.caseKeys.openText(caseId, String(caseRow.data), 'attachment.name')).toThrow(expect.objectContaining({ code: 'CaseDataUnreadable' }));
      // an attacker who moves one case's data into another's row gets a typed error, no data, nothing echoed
      db.prepare('UPDATE case_file SET data = ? WHERE id = ?').run(caseRow.data, other);
      const moved = await dn.api('astra', 'GET', `/api/v1/cases/${other}`);
      expect(moved.status).toBe(500);
      expect(moved.json.error).toMatchObject({ code: 'CaseDataUnreadable', issues: [{ path: 'data', problem: 'does_not_open' }] });
      expect(holds(Buffer.from(JSON.stringify(moved.json)))).toBe(false);
    } finally {
      db.close();
    }
  });

  it('a purge shreds the case key in its transaction: a copy of the rows from a backup made before opens no more, and the audit log verifies', async () => {
    const caseId = await openCase();
    const attachmentId = await upload(caseId);
    const target = join(root, 'backup-before');
    const backup = await dn.api('astra', 'POST', '/api/v1/admin/backup', { path: target });
    expect(backup.status, JSON.stringify(backup.json)).toBe(201);
    const live = ctx().handle.sqlite;
    const wrappedBefore = (live.prepare('SELECT wrapped FROM case_key WHERE caseId = ?').get(caseId) as { wrapped: Buffer }).wrapped;

    // retention purge (the withdrawal path calls the same purge)
    expect((await dn.api('astra', 'POST', `/api/v1/cases/${caseId}/close`, {})).status).toBe(200);
    const done = ctx().casework.retention.purge(caseId, 'retention', dn.net.clock.now());
    expect(done).toMatchObject({ purged: true, attachments: 1 });
    expect(live.prepare('SELECT count(*) AS n FROM case_key WHERE caseId = ?').get(caseId)).toEqual({ n: 0 });
    expect(live.prepare('SELECT data, state FROM case_file WHERE id = ?').get(caseId)).toEqual({ data: null, state: 'purged' });
    expect(ctx().casework.caseKeys.has(caseId)).toBe(false);

    // the wrapped key is in no page of the live database, free pages included (secure_delete, checkpoint)
    const image = live.serialize();
    expect(image.includes(wrappedBefore)).toBe(false);

    // the backup made before still holds the case and its key (what an operator must know: ADR 0014) …
    const old = openNodeDb(target);
    try {
      const sealedData = (old.sqlite.prepare('SELECT data FROM case_file WHERE id = ?').get(caseId) as { data: string }).data;
      const sealedKey = (old.sqlite.prepare('SELECT key FROM attachment WHERE id = ?').get(attachmentId) as { key: string }).key;
      expect(old.sqlite.prepare('SELECT count(*) AS n FROM case_key WHERE caseId = ?').get(caseId)).toEqual({ n: 1 });
      expect(sealedData.startsWith(SEALED_CASE_VALUE_PREFIX)).toBe(true);
      // … but its rows, brought to the node that erased the case (a restore of the rows alone, a
      // page recovered from the disk), open no more: the key they need is gone
      for (const [value, field] of [
        [sealedData, 'data'],
        [sealedKey, 'attachment.key'],
      ] as const) {
        let error: unknown;
        try {
          ctx().casework.caseKeys.openText(caseId, value, field);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ProtocolError);
        expect(error).toMatchObject({ code: 'CaseDataUnreadable', issues: [{ path: field, problem: 'does_not_open' }] });
      }
    } finally {
      old.close();
    }

    // the audit log holds ids and hashes only: it verifies after the shred, through the route and directly
    const verified = await dn.api('astra', 'POST', '/api/v1/audit/verify', {});
    expect(verified.json).toMatchObject({ ok: true });
    expect(verifyAuditLog(live, (kid) => ctx().keys.ownTrusted(kid)).ok).toBe(true);
    // the purged case reads as purged, not as an error
    expect((await dn.api('astra', 'GET', `/api/v1/cases/${caseId}`)).json).toMatchObject({ state: 'purged', data: null });
  });
});

describe('a row that does not open', () => {
  it('a pending attachment whose sealed key is damaged is refused with the code, never thrown at the fetcher', async () => {
    const caseId = await openCase();
    const id = '01JD0000000000000000000000';
    const ref = { id, mediaType: 'application/pdf', size: 10, name: KNOWN.file, key: toBase64Url(randomBytes(32)), manifest: { id }, manifestSignature: 'x' };
    const atts = ctx().casework.attachments;
    ctx().handle.sqlite.transaction(() => atts.receive([ref], { caseId, referralId: 'none', from: 'node:nowhere', nowMs: dn.net.clock.now() }))();
    ctx().handle.sqlite.prepare(`UPDATE attachment SET key = ? WHERE id = ?`).run(`${SEALED_CASE_VALUE_PREFIX}${toBase64Url(randomBytes(60))}`, id);
    expect(atts.due(dn.net.clock.now() + 86_400_000).map((r) => r.id)).not.toContain(id);
    expect(ctx().handle.sqlite.prepare('SELECT state, problem FROM attachment WHERE id = ?').get(id)).toEqual({ state: 'refused', problem: 'CaseDataUnreadable' });
    await expect(atts.fetchPending()).resolves.toBe(0);
  });
});

describe('the case-key wrapping key in the key ring', () => {
  it('a ring from before per-case keys gets one on the first start; cases read across restarts; a damaged one is refused by name, changing nothing', async () => {
    const dataDir = join(root, 'upgrade');
    const keyFileKey = randomBytes(32);
    await createKeyRing(dataDir, { databaseKey: TEST_DATABASE_KEY, keyFileKey, withoutCaseKeys: true });
    const keyFile = join(root, 'upgrade.key');
    writeFileSync(keyFile, `${formatKey(keyFileKey)}\n`, { mode: 0o600 });
    expect(readKeyRing(dataDir).caseKeys).toBeUndefined();
    const config = { ...testConfig('astra', dataDir), keyFile };

    const first = await createNode(config, { orgKey: orgKeyOf('astra') });
    let caseId: string;
    try {
      expect(readKeyRing(dataDir).caseKeys).toBeDefined();
      // a case written by an earlier version: plaintext JSON in the row, sealed at the next start
      caseId = first.ctx.casework.cases.open({ notes: KNOWN.notes }, Date.now()).id;
      first.ctx.handle.sqlite.prepare('UPDATE case_file SET data = ? WHERE id = ?').run(JSON.stringify({ notes: `${KNOWN.notes} (old)` }), caseId);
      first.ctx.casework.caseKeys.shred(caseId);
    } finally {
      await first.close();
    }
    const ringText = readFileSync(join(dataDir, 'db-key.json'), 'utf8');

    const second = await createNode(config, { orgKey: orgKeyOf('astra') });
    try {
      expect(readFileSync(join(dataDir, 'db-key.json'), 'utf8')).toBe(ringText); // the key is kept, not replaced
      const raw = (second.ctx.handle.sqlite.prepare('SELECT data FROM case_file WHERE id = ?').get(caseId) as { data: string }).data;
      expect(raw.startsWith(SEALED_CASE_VALUE_PREFIX)).toBe(true);
      expect(second.ctx.casework.cases.get(caseId)?.data).toEqual({ notes: `${KNOWN.notes} (old)` });
    } finally {
      await second.close();
    }

    // a ring whose case-key wrapping key does not open: KeyRingDamaged naming the field; the ring stays as it was
    const ring = parseKeyRing(ringText);
    const sealed = fromBase64Url(ring.caseKeys!.sealed)!;
    sealed[0] = (sealed[0] ?? 0) ^ 1;
    const damaged = `${JSON.stringify({ ...ring, caseKeys: { ...ring.caseKeys, sealed: toBase64Url(sealed) } }, null, 2)}\n`;
    writeFileSync(join(dataDir, 'db-key.json'), damaged, { mode: 0o600 });
    const refused = await createNode(config, { orgKey: orgKeyOf('astra') }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'KeyRingDamaged', issues: [{ path: 'db-key.json/caseKeys', problem: 'does_not_open' }] });
    expect(readFileSync(join(dataDir, 'db-key.json'), 'utf8')).toBe(damaged);
  });
});

describe('received messages of a case', () => {
  it('a handover is stored sealed with the receiving case\'s key: no plaintext in its body or signed bytes, the evidence bundle still checks, a purge shreds it', async () => {
    const net = await startCaseworkNetwork();
    try {
      const ids = await caseWithConsent(net, 'open-gate', { recipients: ['org:astra'], fields: ['/person/givenName', '/person/familyName', '/person/phone', '/notes'] });
      const offered = await net.api('open-gate', 'POST', '/api/v1/referrals', offerTo('org:astra', ids));
      expect(offered.status).toBe(201);
      await net.net.drain();
      expect((await net.api('astra', 'POST', `/api/v1/referrals/${offered.json.id}/accept`, { contact: CONTACT('Jelena ASTRA') })).status).toBe(200);
      await net.net.drain();
      expect((await net.api('open-gate', 'POST', `/api/v1/referrals/${offered.json.id}/handover`, {})).status).toBe(200);
      await net.net.drain();
      const astra = net.net.nodes.astra!.node.ctx;
      const astraCase = (await net.api('astra', 'GET', `/api/v1/referrals/${offered.json.id}`)).json.caseId as string;
      expect((await net.api('astra', 'GET', `/api/v1/cases/${astraCase}`)).json.data.person).toMatchObject({ givenName: 'Marija', phone: PERSON_CASE.person.phone });

      const personal = ['Marija', 'Testović', PERSON_CASE.person.phone, PERSON_CASE.notes].map((w) => Buffer.from(w, 'utf8'));
      const db = openNodeDatabase(join(net.net.nodes.astra!.dataDir, 'corridor.db'));
      let sealedInner: Buffer;
      try {
        const row = db.prepare('SELECT body, inner FROM message WHERE thid = ? AND typ = ?').get(offered.json.id, messageType('referral', 'handover')) as { body: string; inner: Buffer };
        expect(row.body.startsWith(SEALED_CASE_VALUE_PREFIX)).toBe(true);
        expect(row.inner.toString('utf8').startsWith(SEALED_CASE_VALUE_PREFIX)).toBe(true);
        for (const word of personal) expect(Buffer.from(row.body).includes(word) || row.inner.includes(word)).toBe(false);
        // control: the case's key opens the signed bytes as received
        expect(personal.every((w) => Buffer.from(astra.casework.threadMessages.openInner(astraCase, row.inner)).includes(w))).toBe(true);
        // the offer came before any case here: not identifying, left as it was
        const offer = db.prepare('SELECT body FROM message WHERE thid = ? AND typ = ?').get(offered.json.id, messageType('referral', 'offer')) as { body: string };
        expect(offer.body.startsWith('{')).toBe(true);
        sealedInner = row.inner;
      } finally {
        db.close();
      }

      // ASTRA's evidence of the case carries the handover's exact signed bytes: it checks offline
      const n = net.net.nodes.astra!;
      const res = await fetch(`${n.url}/api/v1/cases/${astraCase}/evidence`, { headers: { authorization: `Bearer ${n.token}` } });
      expect(res.status).toBe(200);
      const checked = checkEvidence(new Uint8Array(await res.arrayBuffer()));
      expect(checked).toMatchObject({ ok: true, summary: { caseId: astraCase } });
      if (checked.ok) expect(checked.summary.received).toBeGreaterThanOrEqual(2); // offer, handover

      // the purge shreds the key: the copy taken before opens no more; the audit log verifies
      expect(astra.casework.retention.purge(astraCase, 'retention', net.net.clock.now())).toMatchObject({ purged: true });
      expect(() => astra.casework.threadMessages.openInner(astraCase, sealedInner)).toThrow(expect.objectContaining({ code: 'CaseDataUnreadable', issues: [{ path: 'message.inner', problem: 'does_not_open' }] }));
      expect((await net.api('astra', 'POST', '/api/v1/audit/verify', {})).json).toMatchObject({ ok: true });

      // news that arrives on the thread after the purge: redacted as the purge would have, no key made again
      const late = 'Moved to the shelter in Kičevo on Friday';
      expect((await net.api('open-gate', 'POST', `/api/v1/referrals/${offered.json.id}/update`, { note: late })).status).toBe(200);
      await net.net.drain();
      const update = astra.handle.sqlite.prepare('SELECT body, length(inner) AS n FROM message WHERE thid = ? AND typ = ?').get(offered.json.id, messageType('referral', 'update'));
      expect(update).toEqual({ body: JSON.stringify({ purged: 'retention' }), n: 0 });
      expect(astra.casework.caseKeys.has(astraCase)).toBe(false);
      expect(() => astra.casework.caseKeys.sealText(astraCase, late)).toThrow(expect.objectContaining({ code: 'CaseDataUnreadable' }));
    } finally {
      await net.close();
    }
  });
});
