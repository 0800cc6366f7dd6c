import { createHash } from 'node:crypto';
import * as ed from '@noble/ed25519';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DirectoryEntry,
  type DirectoryManifest,
  type EntryRef,
  type KeyRevocation,
  type NodeKeyCertificate,
  type OrgProfile,
  type SignedManifest,
  type StewardSet,
  LIMITS,
  PROTOCOL_VERSION,
  SigningKey,
  acceptVersion,
  canonicalBytes,
  certifyNodeKey,
  compareRef,
  diff,
  directoryRef,
  entryNodeKeys,
  freshness,
  keyId,
  open,
  revokeNodeKey,
  seal,
  sha256,
  signDirectoryManifest,
  signEntry,
  signObject,
  signedBytes,
  toBase64Url,
  verifyDirectoryManifest,
  verifyEntry,
  verifyObject,
} from '../../protocol/index.js';
import { DAY, T0, astra, lefoe, openContext } from '../helpers/keys.js';
import { offer } from '../helpers/messages.js';

const enc = new TextEncoder();
const seed = (label: string) => sha256(enc.encode(`corridor directory test ${label}`));
interface Member { org: string; node: string; orgKey: SigningKey; nodeKey: SigningKey }
const member = (label: string): Member => ({ org: `org:${label}`, node: `node:${label}`, orgKey: SigningKey.fromSeed('org', seed(`${label} org`)), nodeKey: SigningKey.fromSeed('node', seed(`${label} node`)) });
const WINDOW = { notBefore: T0 - 30 * DAY, notAfter: T0 + 335 * DAY };
const certOf = (m: Member, by = m.orgKey, node = m.node, key = m.nodeKey) => certifyNodeKey(by, m.org, { node, publicKey: key.publicKey, ...WINDOW });
const ASTRA_NAME = 'ASTRA – Anti Trafficking Action';
const LOREM = 'Safe accommodation, psychosocial support, legal counselling and assisted return for presumed victims of trafficking along the route; referrals accepted around the clock from partner organisations and the national referral mechanism. ';

/** A small HSDS 3.0-like organization with services, a location and the Corridor profile; `services` sets the size. */
function profile(m: Member, name: string, services = 2): OrgProfile {
  const slug = m.org.slice(4);
  return {
    id: m.org, name, description: 'Non-governmental organisation assisting presumed victims of trafficking.', email: `info@${slug}.example`, website: `https://${slug}.example`,
    services: Array.from({ length: services }, (_, i) => ({ id: `${m.org}/svc-${i}`, name: `Service ${i}`, status: 'active', description: LOREM + LOREM.slice(0, 120), languages: [{ id: `${m.org}/svc-${i}/sr`, code: 'sr' }, { id: `${m.org}/svc-${i}/en`, code: 'en' }], eligibility_description: 'Adults and children, any nationality', corridor: { types: ['shelter', 'legal_aid'], served: ['women', 'girls'], hotline24h: true, areas: [{ country: 'RS' }, { country: 'MK' }] } })),
    locations: [{ id: `${m.org}/loc-1`, location_type: 'physical', name: 'Belgrade office', latitude: 44.8125, longitude: 20.4612, addresses: [{ city: 'Beograd', country: 'RS' }] }],
    corridor: { country: 'RS' },
  };
}

function entryOf(m: Member, o: { seq?: number; name?: string; services?: number; nodeKeys?: NodeKeyCertificate[]; revocations?: KeyRevocation[] } = {}): DirectoryEntry {
  const name = o.name ?? `Org ${m.org}`;
  return {
    v: PROTOCOL_VERSION, org: m.org, seq: o.seq ?? 1, updated: T0 - DAY, name, profile: profile(m, name, o.services),
    nodes: [{ node: m.node, url: `https://${m.node.slice(5)}.corridor.example/`, protocols: ['corridor/1'], maxBytes: LIMITS.maxEnvelopeBytes, nodeKeys: o.nodeKeys ?? [certOf(m)], revocations: o.revocations ?? [] }],
  };
}
const astraEntry = entryOf(astra, { name: ASTRA_NAME });
const astraSigned = signEntry(astra.orgKey, astraEntry);
const lefoeSigned = signEntry(lefoe.orgKey, entryOf(lefoe, { name: 'LEFÖ-IBF' }));

const stewards = [1, 2, 3].map((i) => SigningKey.fromSeed('org', seed(`steward ${i}`)));
const newStewards = [1, 2, 3].map((i) => SigningKey.fromSeed('org', seed(`new steward ${i}`)));
const outsider = SigningKey.fromSeed('org', seed('outsider'));
const setOf = (keys: SigningKey[], threshold: number): StewardSet => ({ keys: keys.map((k) => ({ kid: k.kid, publicKey: toBase64Url(k.publicKey) })), threshold });
const OLD = setOf(stewards, 2);
const [s1, s2, s3] = stewards as [SigningKey, SigningKey, SigningKey];
const [n1, n2] = newStewards as [SigningKey, SigningKey, SigningKey];

function manifestOf(refs: EntryRef[], over: Partial<DirectoryManifest> = {}): DirectoryManifest {
  return { network: 'western-balkans', version: 1, issued: T0, expires: T0 + 7 * DAY, stewards: OLD, entries: [...refs].sort((a, b) => (a.org < b.org ? -1 : 1)), ...over };
}
ed.hashes.sha512 = (m) => new Uint8Array(createHash('sha512').update(m).digest()) as ReturnType<NonNullable<typeof ed.hashes.sha512>>;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const le = (b: Uint8Array) => BigInt(`0x${Buffer.from(b).reverse().toString('hex')}`);
/** Another valid signature by the same key (another nonce): a verifier cannot tell it from the deterministic one. */
function otherNonceSignature(stewardSeed: Uint8Array, m: DirectoryManifest, nonce: bigint): string {
  const { scalar, pointBytes } = ed.utils.getExtendedPublicKey(stewardSeed);
  const R = ed.Point.BASE.multiply(nonce).toBytes();
  const k = le(createHash('sha512').update(R).update(pointBytes).update(signedBytes('directory', canonicalBytes(m))).digest()) % L;
  const S = Buffer.from(((nonce + k * scalar) % L).toString(16).padStart(64, '0'), 'hex').reverse();
  return toBase64Url(Uint8Array.from([...R, ...S]));
}
const sig = (k: SigningKey, m: DirectoryManifest, kid = k.kid) => ({ kid, signature: signObject(k, 'directory', m) });
const signedBy = (m: DirectoryManifest, keys: SigningKey[]): SignedManifest => ({ manifest: m, signatures: keys.map((k) => sig(k, m)) });
const base = manifestOf([astraSigned.ref, lefoeSigned.ref]);

/** An independent RFC 8785 oracle for this data (strings, integers, doubles as ECMAScript prints them). */
function jcs(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(jcs).join(',')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${jcs((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}
const refFor = (bytes: Uint8Array, ref: EntryRef = astraSigned.ref): EntryRef => ({ ...ref, hash: toBase64Url(sha256(bytes)), length: bytes.length });
const reencode = (bytes: Uint8Array, edit: (signed: { entry: DirectoryEntry; orgKid: string; signature: string }) => void) => {
  const signed = JSON.parse(new TextDecoder().decode(bytes)) as { entry: DirectoryEntry; orgKid: string; signature: string };
  edit(signed);
  return canonicalBytes(signed);
};

describe('an organisation signs its own entry', () => {
  it('ASTRA signs and a partner verifies the exact RFC 8785 bytes the manifest names by hash and length', () => {
    const { signed, bytes, ref } = astraSigned;
    expect(verifyEntry(bytes, ref)).toEqual({ ok: true, value: astraEntry });
    expect(bytes).toEqual(canonicalBytes(signed));
    expect(new TextDecoder().decode(bytes)).toBe(jcs(signed));
    expect(Buffer.from(bytes).includes(Buffer.from([0xe2, 0x80, 0x93]))).toBe(true); // the en dash, raw UTF-8
    expect(ref).toEqual({ org: 'org:astra', orgKey: { kid: astra.orgKey.kid, publicKey: toBase64Url(astra.orgKey.publicKey) }, seq: 1, hash: toBase64Url(sha256(bytes)), length: bytes.length });
    expect(signed.orgKid).toBe(astra.orgKey.kid);
    expect(() => signEntry(astra.nodeKey, astraEntry)).toThrow(TypeError);
  });

  it('forged: one field changed is refused, by the hash and, with a matching hash, by the signature', () => {
    const changed = reencode(astraSigned.bytes, (s) => { s.entry.nodes[0]!.url = 'https://attacker.example/'; });
    expect(verifyEntry(changed, astraSigned.ref)).toEqual({ ok: false, code: 'BadSignature' });
    expect(verifyEntry(changed, refFor(changed))).toEqual({ ok: false, code: 'BadSignature' });
    const renamed = reencode(astraSigned.bytes, (s) => { s.entry.name = 'ASTRA'; });
    expect(verifyEntry(renamed, refFor(renamed))).toEqual({ ok: false, code: 'BadSignature' });
    // same signed content and length, other bytes (keys reordered): only the hash tells
    const reordered = enc.encode(JSON.stringify({ signature: astraSigned.signed.signature, orgKid: astraSigned.signed.orgKid, entry: astraSigned.signed.entry }));
    expect(reordered.length).toBe(astraSigned.bytes.length);
    expect(verifyEntry(reordered, astraSigned.ref)).toEqual({ ok: false, code: 'BadSignature' });
    // the signer's kid is not covered by the signature: it must still match the manifest
    const relabelled = reencode(astraSigned.bytes, (s) => { s.orgKid = lefoe.orgKey.kid; });
    expect(verifyEntry(relabelled, refFor(relabelled))).toEqual({ ok: false, code: 'BadSignature' });
  });

  it('forged: an entry for ASTRA signed by another org key, listed under ASTRA, is refused', () => {
    const forged = signEntry(lefoe.orgKey, astraEntry);
    expect(verifyEntry(forged.bytes, refFor(forged.bytes))).toEqual({ ok: false, code: 'BadSignature' });
    // even when it claims ASTRA's kid
    const claimed = canonicalBytes({ ...forged.signed, orgKid: astra.orgKey.kid });
    expect(verifyEntry(claimed, refFor(claimed))).toEqual({ ok: false, code: 'BadSignature' });
  });

  it('wrong org key: the right bytes, but the manifest names another key or another org', () => {
    const { bytes, ref } = astraSigned;
    expect(verifyEntry(bytes, { ...ref, orgKey: lefoeSigned.ref.orgKey })).toEqual({ ok: false, code: 'BadSignature' });
    expect(verifyEntry(bytes, { ...ref, orgKey: { kid: ref.orgKey.kid, publicKey: lefoeSigned.ref.orgKey.publicKey } })).toEqual({ ok: false, code: 'BadSignature' });
    expect(verifyEntry(bytes, { ...ref, org: lefoe.org })).toEqual({ ok: false, code: 'BadSignature' });
    expect(verifyEntry(bytes, { ...ref, seq: 2 })).toMatchObject({ ok: false, code: 'SchemaViolation' });
  });

  it('length mismatch is refused, in either direction', () => {
    const { bytes, ref } = astraSigned;
    expect(verifyEntry(bytes, { ...ref, length: ref.length - 1 })).toEqual({ ok: false, code: 'BadSignature' });
    expect(verifyEntry(bytes, { ...ref, length: ref.length + 1 })).toEqual({ ok: false, code: 'BadSignature' });
    const longer = new Uint8Array([...bytes, 0x20]);
    expect(verifyEntry(longer, { ...ref, hash: toBase64Url(sha256(longer)) })).toEqual({ ok: false, code: 'BadSignature' });
  });

  it('garbage whose hash and length match is Malformed or SchemaViolation, never a throw', () => {
    const text = new TextDecoder().decode(astraSigned.bytes);
    const cases: [Uint8Array, string][] = [
      [Uint8Array.from([0xff, 0xfe, 0xfd]), 'Malformed'],
      [enc.encode('not json'), 'Malformed'],
      [astraSigned.bytes.slice(0, -1), 'Malformed'],
      [enc.encode('['.repeat(100_000)), 'Malformed'],
      [enc.encode('null'), 'SchemaViolation'],
      [enc.encode('[]'), 'SchemaViolation'],
      [enc.encode('{"entry":1}'), 'SchemaViolation'],
      [enc.encode(`${text.slice(0, -1)},"x":1}`), 'SchemaViolation'],
    ];
    for (const [bytes, code] of cases) expect(verifyEntry(bytes, refFor(bytes))).toMatchObject({ ok: false, code });
    const refused = (bytes: Uint8Array) => {
      const r = verifyEntry(bytes, refFor(bytes));
      return !r.ok && (r.code === 'Malformed' || r.code === 'SchemaViolation');
    };
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), refused), { seed: 4, numRuns: 300 });
    fc.assert(fc.property(fc.json(), (j) => refused(enc.encode(j))), { seed: 4, numRuns: 300 });
  });
});

describe('entry bytes are one text with one meaning', () => {
  it('bytes with a duplicate key, not the RFC 8785 form of the signed entry, are refused', () => {
    const text = new TextDecoder().decode(astraSigned.bytes);
    const dup = enc.encode(text.replace(`"name":${JSON.stringify(ASTRA_NAME)}`, '"name":"Recruiters Ltd",$&'));
    expect(dup.length).toBeGreaterThan(astraSigned.bytes.length);
    expect(verifyEntry(dup, refFor(dup))).toMatchObject({ ok: false, code: 'Malformed' });
  });
});

describe('the node keys an entry certifies', () => {
  const revocation = (by: SigningKey) => revokeNodeKey(by, astra.org, { node: astra.node, kid: astra.nodeKey.kid, compromisedSince: T0 - DAY, revokedAt: T0 - 3600, reason: 'compromised' });

  it('returns the certified node key; under another org key, none', () => {
    const keys = entryNodeKeys(astraEntry, astra.orgKey.publicKey);
    expect(keys).toEqual([{ node: astra.node, kid: astra.nodeKey.kid, publicKey: astra.nodeKey.publicKey, ...WINDOW }]);
    expect(entryNodeKeys(astraEntry, lefoe.orgKey.publicKey)).toEqual([]);
  });

  it('drops a certificate signed by another org key, and one for another node', () => {
    const other = SigningKey.fromSeed('node', seed('astra spare node'));
    const entry = entryOf(astra, { nodeKeys: [certOf(astra), certOf(astra, lefoe.orgKey, astra.node, other), certOf(astra, astra.orgKey, 'node:astra-backup', other)] });
    expect(entryNodeKeys(entry, astra.orgKey.publicKey).map((k) => k.kid)).toEqual([astra.nodeKey.kid]);
  });

  it('applies a revocation signed by the org key; ignores one signed by another key', () => {
    const [revoked] = entryNodeKeys(entryOf(astra, { revocations: [revocation(astra.orgKey)] }), astra.orgKey.publicKey);
    expect(revoked).toMatchObject({ kid: astra.nodeKey.kid, compromisedSince: T0 - DAY, revokedAt: T0 - 3600 });
    const [kept] = entryNodeKeys(entryOf(astra, { revocations: [revocation(lefoe.orgKey)] }), astra.orgKey.publicKey);
    expect(kept?.kid).toBe(astra.nodeKey.kid);
    expect(kept?.compromisedSince).toBeUndefined();
    expect(kept?.revokedAt).toBeUndefined();
  });

  it('open() refuses an envelope signed by the key the entry revokes (KeyRevoked), and opens it with the unrevoked entry', () => {
    const sealed = seal(offer(astra, lefoe), astra.nodeKey, lefoe.verifiedPrekey());
    const contextFrom = (entry: DirectoryEntry) => {
      const keys = entryNodeKeys(entry, astra.orgKey.publicKey);
      return openContext(lefoe, { senderKey: (node, kid) => keys.find((k) => k.node === node && k.kid === kid) });
    };
    expect(open(sealed.envelope, contextFrom(astraEntry)).ok).toBe(true);
    expect(open(sealed.envelope, contextFrom(entryOf(astra, { revocations: [revocation(astra.orgKey)] })))).toMatchObject({ ok: false, code: 'KeyRevoked' });
    expect(open(sealed.envelope, contextFrom(entryOf(astra, { revocations: [revocation(lefoe.orgKey)] }))).ok).toBe(true);
  });
});

describe('the stewards sign each directory version', () => {
  it('2 of 3 stewards verify; one signature is under-signed', () => {
    expect(verifyDirectoryManifest(signDirectoryManifest(base, [s1, s2]), OLD)).toEqual({ ok: true, value: base });
    expect(verifyDirectoryManifest(signDirectoryManifest(base, stewards), OLD).ok).toBe(true);
    expect(verifyDirectoryManifest(signDirectoryManifest(base, [s3]), OLD)).toEqual({ ok: false, code: 'DirectoryUnderSigned' });
  });

  it('the same key twice counts once: the same signature, under another steward kid, or with another nonce', () => {
    expect(verifyDirectoryManifest({ manifest: base, signatures: [sig(s1, base), sig(s1, base)] }, OLD)).toEqual({ ok: false, code: 'DirectoryUnderSigned' });
    expect(verifyDirectoryManifest({ manifest: base, signatures: [sig(s1, base), sig(s1, base, s2.kid)] }, OLD)).toEqual({ ok: false, code: 'DirectoryUnderSigned' });
    const other = otherNonceSignature(seed('steward 1'), base, 123456789n);
    expect(other).not.toBe(sig(s1, base).signature);
    expect(verifyObject(s1.publicKey, 'directory', base, other)).toBe(true);
    expect(verifyDirectoryManifest({ manifest: base, signatures: [sig(s1, base), { kid: s1.kid, signature: other }] }, OLD)).toEqual({ ok: false, code: 'DirectoryUnderSigned' });
  });

  it('a key outside the trusted set does not count', () => {
    expect(verifyDirectoryManifest(signedBy(base, [s1, outsider]), OLD)).toEqual({ ok: false, code: 'DirectoryUnderSigned' });
    expect(verifyDirectoryManifest({ manifest: base, signatures: [sig(s1, base), sig(outsider, base, s2.kid)] }, OLD)).toEqual({ ok: false, code: 'DirectoryUnderSigned' });
  });

  it('a signature over another manifest (the version bumped after signing) does not count', () => {
    const bumped = { ...base, version: base.version + 1 };
    expect(verifyDirectoryManifest({ manifest: bumped, signatures: [sig(s1, base), sig(s2, bumped)] }, OLD)).toEqual({ ok: false, code: 'DirectoryUnderSigned' });
    expect(verifyDirectoryManifest(signedBy(bumped, [s1, s2]), OLD).ok).toBe(true);
  });

  it('a steward kid not derived from its public key (or derived as a node key) does not count', () => {
    const bogus = keyId('org', sha256(enc.encode('bogus')));
    for (const kid of [bogus, keyId('node', s3.publicKey)]) {
      const set: StewardSet = { keys: [...OLD.keys.slice(0, 2), { kid, publicKey: toBase64Url(s3.publicKey) }], threshold: 2 };
      const m = manifestOf(base.entries, { stewards: set });
      expect(verifyDirectoryManifest({ manifest: m, signatures: [sig(s1, m), sig(s3, m, kid)] }, set)).toEqual({ ok: false, code: 'DirectoryUnderSigned' });
      expect(verifyDirectoryManifest(signedBy(m, [s1, s2]), set).ok).toBe(true);
    }
  });

  it('the schema refuses a threshold above the key count, duplicate steward keys, unsorted or repeated orgs, expiry before issue', () => {
    const bad: [string, DirectoryManifest][] = [
      ['threshold', { ...base, stewards: { ...OLD, threshold: 4 } }],
      ['duplicate key', { ...base, stewards: { keys: [OLD.keys[0]!, OLD.keys[0]!, OLD.keys[1]!], threshold: 2 } }],
      ['unsorted', { ...base, entries: [...base.entries].reverse() }],
      ['org twice', { ...base, entries: [astraSigned.ref, { ...astraSigned.ref, seq: 2 }] }],
      ['expiry', { ...base, expires: base.issued }],
    ];
    for (const [what, m] of bad) {
      expect(() => signDirectoryManifest(m, stewards), what).toThrow();
      expect(verifyDirectoryManifest(signedBy(m, stewards), OLD), what).toMatchObject({ ok: false, code: 'SchemaViolation' });
    }
    expect(verifyDirectoryManifest({ manifest: base, signatures: [] }, OLD)).toMatchObject({ ok: false, code: 'SchemaViolation' });
    expect(verifyDirectoryManifest('garbage', OLD)).toMatchObject({ ok: false, code: 'SchemaViolation' });
  });

  it('a new steward set needs the threshold of the old set and of the new one', () => {
    const NEW = setOf(newStewards, 2);
    const rotated = manifestOf(base.entries, { version: 2, stewards: NEW });
    expect(verifyDirectoryManifest(signedBy(rotated, [s1, s2, s3]), OLD)).toEqual({ ok: false, code: 'DirectoryUnderSigned' });
    expect(verifyDirectoryManifest(signedBy(rotated, newStewards), OLD)).toEqual({ ok: false, code: 'DirectoryUnderSigned' });
    expect(verifyDirectoryManifest(signedBy(rotated, [s1, n1, n2]), OLD)).toEqual({ ok: false, code: 'DirectoryUnderSigned' });
    expect(verifyDirectoryManifest(signedBy(rotated, [s1, s2, n1, n2]), OLD)).toEqual({ ok: true, value: rotated });
    const next = manifestOf(base.entries, { version: 3, stewards: NEW });
    expect(verifyDirectoryManifest(signedBy(next, [n1, n2]), NEW).ok).toBe(true);
    expect(verifyDirectoryManifest(signedBy(next, [s1, s2]), NEW)).toEqual({ ok: false, code: 'DirectoryUnderSigned' });
  });
});

describe('which version a node accepts', () => {
  const v = (version: number, refs = base.entries) => manifestOf(refs, { version });
  it('first, higher; not lower, not the same again; the same version with other content is a split view', () => {
    expect(acceptVersion(null, v(5))).toEqual({ ok: true });
    expect(acceptVersion(v(5), v(6))).toEqual({ ok: true });
    expect(acceptVersion(v(5), v(4))).toEqual({ ok: false, code: 'DirectoryRollback' });
    expect(acceptVersion(v(5), v(5))).toEqual({ ok: false, code: 'DirectoryRollback' });
    expect(acceptVersion(v(5), { ...v(5), expires: T0 + 8 * DAY })).toEqual({ ok: false, code: 'DirectoryConflict' });
    expect(acceptVersion(v(5), { ...v(6), network: 'another-network' })).toEqual({ ok: false, code: 'DirectoryConflict' });
  });

  it('a higher version in which one organisation’s entry went back is a rollback naming it', () => {
    const astra2 = signEntry(astra.orgKey, entryOf(astra, { seq: 2, name: ASTRA_NAME })).ref;
    const held = v(5, [astra2, lefoeSigned.ref]);
    expect(acceptVersion(held, v(6, [astraSigned.ref, lefoeSigned.ref]))).toEqual({ ok: false, code: 'DirectoryRollback', org: 'org:astra' });
    expect(acceptVersion(held, v(6, [astra2]))).toEqual({ ok: true });
  });
});

describe('expiry freezes new referrals; a stale directory still verifies', () => {
  it('fresh before expiry, stale since expiry at and after it', () => {
    expect(freshness(base, base.expires - 1)).toEqual({ fresh: true });
    expect(freshness(base, base.expires)).toEqual({ fresh: false, staleSince: base.expires });
    expect(freshness(base, base.expires + 30 * DAY)).toEqual({ fresh: false, staleSince: base.expires });
  });

  it('with a stale directory, its node keys still open a message created before expiry', () => {
    const m = manifestOf(base.entries, { issued: T0 - 6 * DAY, expires: T0 + DAY });
    const sealed = seal(offer(astra, lefoe, T0 * 1000), astra.nodeKey, lefoe.verifiedPrekey());
    const now = T0 + 3 * DAY;
    expect(freshness(m, now)).toEqual({ fresh: false, staleSince: T0 + DAY });
    const verified = verifyDirectoryManifest(signedBy(m, [s1, s2]), OLD);
    if (!verified.ok) throw new Error(verified.code);
    const ref = verified.value.entries.find((e) => e.org === astra.org)!;
    const entry = verifyEntry(astraSigned.bytes, ref);
    if (!entry.ok) throw new Error(entry.code);
    const keys = entryNodeKeys(entry.value, astra.orgKey.publicKey);
    const opened = open(sealed.envelope, openContext(lefoe, { now, senderKey: (node, kid) => keys.find((k) => k.node === node && k.kid === kid) }));
    expect(opened.ok && opened.value.message.created).toBe(T0);
  });
});

describe('directory refs, split views and refresh', () => {
  it('compareRef: same, newer, older, conflict', () => {
    const ours = directoryRef(base);
    expect(compareRef(ours, directoryRef(base))).toBe('same');
    expect(compareRef(ours, directoryRef({ ...base, version: 2 }))).toBe('newer');
    expect(compareRef(directoryRef({ ...base, version: 2 }), ours)).toBe('older');
    expect(compareRef(ours, directoryRef({ ...base, expires: base.expires + 1 }))).toBe('conflict');
  });

  it('the ref hash does not depend on key order and changes with any field', () => {
    const reversed = (x: unknown): unknown => (Array.isArray(x) ? x.map(reversed) : x !== null && typeof x === 'object' ? Object.fromEntries(Object.entries(x).reverse().map(([k, y]) => [k, reversed(y)])) : x);
    const shuffled = reversed(base) as DirectoryManifest;
    expect(Object.keys(shuffled)[0]).toBe('entries');
    expect(directoryRef(shuffled)).toEqual(directoryRef(base));
    expect(directoryRef(base)).toEqual({ version: 1, hash: toBase64Url(sha256(canonicalBytes(base))) });
    const e0 = base.entries[0]!;
    const edits: DirectoryManifest[] = [
      { ...base, network: 'other-net' }, { ...base, version: 2 }, { ...base, issued: T0 + 1 }, { ...base, expires: base.expires + 1 },
      { ...base, stewards: { ...OLD, threshold: 3 } }, { ...base, stewards: { ...OLD, keys: OLD.keys.slice(0, 2) } }, { ...base, entries: base.entries.slice(1) },
      ...(['seq', 'hash', 'length', 'org'] as const).map((f) => ({ ...base, entries: [{ ...e0, [f]: f === 'hash' ? toBase64Url(sha256(enc.encode('x'))) : f === 'org' ? 'org:aaa' : 7 }, ...base.entries.slice(1)] })),
      { ...base, entries: [{ ...e0, orgKey: lefoeSigned.ref.orgKey }, ...base.entries.slice(1)] },
    ];
    const hashes = new Set([directoryRef(base).hash, ...edits.map((m) => directoryRef(m).hash)]);
    expect(hashes.size).toBe(edits.length + 1);
  });

  const population = (n: number, services: number) =>
    Array.from({ length: n }, (_, i) => {
      const m = member(`ngo-${String(i).padStart(3, '0')}`);
      return { m, signed: signEntry(m.orgKey, entryOf(m, { services })) };
    });

  it('a refresh fetches only the changed entry and drops removed organisations', () => {
    const orgs = population(50, 1);
    const held = manifestOf(orgs.map((o) => o.signed.ref));
    expect(diff(null, held).fetch).toHaveLength(50);
    const changed = signEntry(orgs[17]!.m.orgKey, entryOf(orgs[17]!.m, { seq: 2, services: 1, name: 'Renamed' }));
    const next = manifestOf([...orgs.filter((_, i) => i !== 17 && i !== 3 && i !== 40).map((o) => o.signed.ref), changed.ref], { version: 2 });
    expect(diff(held, next)).toEqual({ fetch: [changed.ref], drop: [orgs[3]!.m.org, orgs[40]!.m.org] });
    expect(diff(held, manifestOf(held.entries, { version: 2 }))).toEqual({ fetch: [], drop: [] });
  });

  it('one changed organisation among 200 moves under 5% of a full copy', () => {
    const orgs = population(200, 8);
    const sizes = orgs.map((o) => o.signed.bytes.length);
    expect(Math.min(...sizes)).toBeGreaterThan(5000);
    expect(Math.max(...sizes)).toBeLessThan(7000);
    const held = manifestOf(orgs.map((o) => o.signed.ref));
    const changed = signEntry(orgs[99]!.m.orgKey, entryOf(orgs[99]!.m, { seq: 2, services: 8, name: 'Renamed' }));
    const next = manifestOf(held.entries.map((e) => (e.org === changed.ref.org ? changed.ref : e)), { version: 2 });
    const nextBytes = canonicalBytes(signDirectoryManifest(next, [s1, s2])).length;
    const { fetch } = diff(held, next);
    expect(fetch).toEqual([changed.ref]);
    const refresh = fetch.reduce((n, e) => n + e.length, 0) + nextBytes;
    const full = next.entries.reduce((n, e) => n + e.length, 0) + nextBytes;
    const share = refresh / full;
    console.log(`directory refresh, 1 of 200 orgs changed: ${refresh} of ${full} bytes = ${(share * 100).toFixed(2)}% of a full copy`);
    expect(share).toBeLessThan(0.05);
  });
});
