import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolError, newDatabaseKey, randomBytes, sealFile, sha256 } from '../../protocol/index.js';
import { createKeyRing } from '../../node/admin/key-ring.js';
import { openDb } from '../../node/db/client.js';
import { createNode } from '../../node/node.js';
import { CONTACT, PERSON_CASE, consentFor, offerTo, startCaseworkNetwork } from '../helpers/casework.js';
import type { DirectoryNetwork } from '../helpers/directory-network.js';
import { orgKeyOf, testConfig } from '../helpers/network.js';
import { TEST_CASE_KEY_WRAPPING_KEY, TEST_DATABASE_KEY, openNodeDatabase, openNodeDb } from '../helpers/node-db.js';

/**
 * Issue 7 item 2, ADR 0014: nothing personal in plaintext anywhere in a data directory. Known
 * names, a phone number, notes, a staff contact and an attachment's text go in through the
 * local API at LEFÖ-IBF, travel in a consented referral and handover to ASTRA (which stores
 * them too); then every byte of both data directories (database, WAL, shared memory,
 * attachments, key ring, org key, backups made by the node) is searched for each string, in
 * UTF-8 and UTF-16LE, while the nodes run and after they close. Then a stolen copy of a data
 * directory: without the key, with a wrong key, with plain SQLite, nothing is readable; a wrong
 * passphrase is one typed error and changes no byte.
 */

const KNOWN = {
  givenName: 'Vesnaxhe',
  familyName: 'Kovačević-Pllana',
  phone: '+389 70 918 273',
  notes: 'Hidden in the walnut orchard behind the Kumanovo bus depot',
  staff: 'Ljubinka Zdravkovska',
  attachment: 'Fracture of the left wrist, Allgemeines Krankenhaus 31.10.',
} as const;
const needles = Object.values(KNOWN).flatMap((s) => [Buffer.from(s, 'utf8'), Buffer.from(s, 'utf16le')]);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** every (file, known string) found in the clear */
function plaintextIn(dirs: string[]): string[] {
  const found: string[] = [];
  for (const dir of dirs) {
    for (const file of filesUnder(dir)) {
      const bytes = readFileSync(file);
      for (const needle of needles) if (bytes.includes(needle)) found.push(`${file}: ${needle.toString(needle.length === Buffer.byteLength(needle.toString('utf8')) ? 'utf8' : 'utf16le')}`);
    }
  }
  return found;
}

const hashDir = (dir: string) =>
  filesUnder(dir)
    .sort()
    .map((f) => `${f.slice(dir.length)} ${Buffer.from(sha256(readFileSync(f))).toString('hex')} ${statSync(f).mode & 0o777}`)
    .join('\n');

let dn: DirectoryNetwork;
const root = mkdtempSync(join(tmpdir(), 'corridor-at-rest-'));
const dirs: string[] = [];
let astraCaseId = '';
let lefoeCaseId = '';

beforeAll(async () => {
  dn = await startCaseworkNetwork();
  // in-process test nodes get their database key raw; give their data directories the key ring
  // and the sealed org key a node set up by `corridor init` has, so the scan covers those too
  for (const name of ['lefoe-ibf', 'astra']) {
    const dataDir = dn.net.nodes[name]!.dataDir;
    await createKeyRing(dataDir, { databaseKey: TEST_DATABASE_KEY, caseKeyWrappingKey: TEST_CASE_KEY_WRAPPING_KEY, passphrase: `the passphrase of ${name}`, recovery: true, kdf: { logN: 12, r: 8, p: 1 } });
    writeFileSync(join(dataDir, 'org-key'), sealFile(orgKeyOf(name).exportSeed(), TEST_DATABASE_KEY), { mode: 0o600 });
  }
  const lefoe = dn.net.nodes['lefoe-ibf']!;
  const created = await dn.api('lefoe-ibf', 'POST', '/api/v1/cases', {
    ...PERSON_CASE,
    person: { ...PERSON_CASE.person, givenName: KNOWN.givenName, familyName: KNOWN.familyName, phone: KNOWN.phone },
    notes: KNOWN.notes,
  });
  expect(created.status).toBe(201);
  lefoeCaseId = created.json.id;
  const now = Math.floor(dn.net.clock.now() / 1000);
  const fields = ['/person/givenName', '/person/familyName', '/person/phone', '/person/languages', '/needs', '/notes', '/attachments'];
  const consent = await dn.api('lefoe-ibf', 'POST', `/api/v1/cases/${lefoeCaseId}/consents`, consentFor(now, { recipients: ['org:astra'], fields }));
  expect(consent.status).toBe(201);
  const upload = await fetch(`${lefoe.url}/api/v1/cases/${lefoeCaseId}/attachments?name=wrist-x-ray.pdf`, {
    method: 'POST',
    headers: { authorization: `Bearer ${lefoe.token}`, 'content-type': 'application/pdf' },
    body: Buffer.concat([Buffer.from(`%PDF-1.7 ${KNOWN.attachment} `), Buffer.from(randomBytes(40_000))]),
  });
  expect(upload.status).toBe(201);
  const attachmentId = ((await upload.json()) as { id: string }).id;
  const offered = await dn.api('lefoe-ibf', 'POST', '/api/v1/referrals', offerTo('org:astra', { caseId: lefoeCaseId, consentId: consent.json.id }, { contact: CONTACT(KNOWN.staff), currentCountry: 'AT' }));
  expect(offered.status).toBe(201);
  await dn.net.drain();
  expect((await dn.api('astra', 'POST', `/api/v1/referrals/${offered.json.id}/accept`, { contact: CONTACT('Jelena ASTRA') })).status).toBe(200);
  await dn.net.drain();
  expect((await dn.api('lefoe-ibf', 'POST', `/api/v1/referrals/${offered.json.id}/handover`, { attachments: [attachmentId] })).status).toBe(200);
  await dn.net.drain();
  expect(await dn.net.nodes.astra!.node.ctx.casework.attachments.fetchPending()).toBe(1);
  astraCaseId = (await dn.api('astra', 'GET', `/api/v1/referrals/${offered.json.id}`)).json.caseId;
  for (const name of ['lefoe-ibf', 'astra']) dirs.push(dn.net.nodes[name]!.dataDir);
  // backups made by the running nodes, as `corridor backup` asks for them
  for (const name of ['lefoe-ibf', 'astra']) {
    const target = join(root, `backup-${name}`);
    const b = await dn.api(name, 'POST', '/api/v1/admin/backup', { path: target });
    expect(b.status, JSON.stringify(b.json)).toBe(201);
    expect(b.json.encrypted).toBe(true);
    expect(b.json.files.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(['corridor.db', 'db-key.json', 'org-key']));
    dirs.push(target);
  }
}, 120_000);

afterAll(async () => {
  await dn?.close().catch(() => undefined); // the nodes were closed already; this removes their directories
  rmSync(root, { recursive: true, force: true });
});

describe('no personal data in plaintext in a data directory (issue 7 item 2)', () => {
  it('the data arrived: LEFÖ-IBF and ASTRA both hold the names, the phone number, the notes and the attachment', async () => {
    const there = (await dn.api('astra', 'GET', `/api/v1/cases/${astraCaseId}`)).json;
    expect(JSON.stringify(there)).toContain(KNOWN.familyName);
    expect(JSON.stringify(there)).toContain(KNOWN.phone);
    expect(JSON.stringify(there)).toContain(KNOWN.notes);
    expect(JSON.stringify((await dn.api('lefoe-ibf', 'GET', `/api/v1/cases/${lefoeCaseId}`)).json)).toContain(KNOWN.givenName);
    const [attachment] = (await dn.api('astra', 'GET', `/api/v1/cases/${astraCaseId}/attachments`)).json.attachments as { id: string; state: string }[];
    const content = await fetch(`${dn.net.nodes.astra!.url}/api/v1/attachments/${attachment!.id}`, { headers: { authorization: `Bearer ${dn.net.nodes.astra!.token}` } });
    expect(Buffer.from(await content.arrayBuffer()).includes(Buffer.from(KNOWN.attachment))).toBe(true);
    // and the scanner finds them where they are in the clear (it can fail)
    const control = join(root, 'control');
    cpSync(dirs[0]!, control, { recursive: true });
    writeFileSync(join(control, 'export.txt'), JSON.stringify(there));
    writeFileSync(join(control, 'export-utf16.txt'), Buffer.from(KNOWN.staff, 'utf16le'));
    expect(plaintextIn([control]).length).toBeGreaterThanOrEqual(4);
    rmSync(control, { recursive: true });
  });

  it('while the nodes run: no known string in any file (database, WAL, shm, attachments, key ring, org key, backups)', () => {
    const files = dirs.flatMap(filesUnder).map((f) => f.split('/').pop());
    expect(files).toEqual(expect.arrayContaining(['corridor.db', 'corridor.db-wal', 'corridor.db-shm', 'db-key.json', 'org-key']));
    expect(filesUnder(join(dirs[1]!, 'attachments')).length).toBeGreaterThan(0);
    expect(plaintextIn(dirs)).toEqual([]);
  });

  it('after the nodes close: still none', async () => {
    for (const n of Object.values(dn.net.nodes)) await n.node.close(); // the data directories stay

    expect(plaintextIn(dirs)).toEqual([]);
  });
});

describe('a stolen data directory', () => {
  it('yields nothing readable without the key, with a wrong key, or with plain SQLite', async () => {
    const stolen = join(root, 'stolen');
    cpSync(dirs[1]!, stolen, { recursive: true });
    const db = join(stolen, 'corridor.db');
    // the library, no key
    const noKey = new Database(db, { readonly: true });
    expect(() => noKey.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(/not a database/);
    noKey.close();
    // the library, a wrong key: the typed error of openDb
    expect(() => openDb(db, { key: newDatabaseKey() })).toThrow(expect.objectContaining({ code: 'DatabaseUnreadable' }));
    // plain SQLite (Python's sqlite3 module, another build of SQLite)
    let plain = '';
    try {
      execFileSync('python3', ['-c', 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select name from sqlite_master").fetchall())', db], { stdio: 'pipe' });
    } catch (error) {
      plain = String((error as { stderr: Buffer }).stderr);
    }
    expect(plain).toMatch(/file is not a database/);
    // the right key reads it (the copy is whole)
    const raw = openNodeDatabase(db);
    expect((raw.prepare('SELECT count(*) AS n FROM case_file').get() as { n: number }).n).toBeGreaterThan(0);
    raw.close();
    const right = openNodeDb(stolen);
    expect((right.sqlite.prepare('SELECT count(*) AS n FROM case_file').get() as { n: number }).n).toBeGreaterThan(0);
    right.close();
  });

  it('a wrong passphrase is KeyRejected before anything opens: not one byte changes; the right one starts the node', async () => {
    const stolen = join(root, 'stolen-ring');
    cpSync(dirs[1]!, stolen, { recursive: true });
    const before = hashDir(stolen);
    const config = testConfig('astra', stolen, { logLevel: 'silent' });
    const wrong = await createNode(config, { keySource: { passphrase: 'a guess at the passphrase' } }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ProtocolError);
    expect(wrong).toMatchObject({ code: 'KeyRejected', issues: [{ path: 'passphrase', problem: 'does_not_unlock' }] });
    expect((wrong as Error).message).not.toContain('a guess');
    expect(await createNode(config, { keySource: { recoveryKey: 'AAAA-BBBB' } }).catch((e: unknown) => e)).toMatchObject({ code: 'KeyRejected' });
    // a database key that is not this database's: the other error, and still nothing written
    expect(await createNode(config, { databaseKey: newDatabaseKey() }).catch((e: unknown) => e)).toMatchObject({ code: 'DatabaseUnreadable' });
    expect(hashDir(stolen)).toBe(before);
    // no key ring at all: its own error
    const bare = join(root, 'no-ring');
    expect(await createNode(testConfig('astra', bare), { keySource: { passphrase: 'anything at all' } }).catch((e: unknown) => e)).toMatchObject({ code: 'KeyRingDamaged' });
    expect(() => statSync(bare)).toThrow();

    const node = await createNode(config, { keySource: { passphrase: 'the passphrase of astra' } });
    try {
      expect((node.ctx.handle.sqlite.prepare('SELECT count(*) AS n FROM case_file').get() as { n: number }).n).toBeGreaterThan(0);
      // the ring's second key opens the case keys: the case reads as before the restart (ADR 0014 step C)
      expect(node.ctx.casework.cases.get(astraCaseId)?.data?.person?.givenName).toBe(KNOWN.givenName);
    } finally {
      await node.close();
    }
  });
});
