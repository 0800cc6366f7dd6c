import { describe, expect, it } from 'vitest';
import {
  AUDIT_KINDS,
  type AuditEntry,
  type Checkpoint,
  EMPTY_ROOT,
  MerkleAccumulator,
  auditEntryBytes,
  auditLeafHash,
  canonicalJson,
  checkLogAgainst,
  checkWitness,
  consistencyProof,
  decodeProof,
  encodeProof,
  leafHash,
  parseAuditEntry,
  rootOf,
  sha256,
  signCheckpoint,
  signObject,
  toBase64Url,
  verifyCheckpoint,
} from '../../protocol/index.js';
import { DAY, T0, astra, lefoe } from '../helpers/keys.js';

const digest = (label: string) => toBase64Url(sha256(new TextEncoder().encode(label)));

const entry = (seq: number): AuditEntry => ({
  seq,
  at: T0 + seq,
  kind: AUDIT_KINDS[seq % AUDIT_KINDS.length]!,
  actor: seq % 2 ? 'node:lefoe-ibf' : 'account:01JDQ8Z3K8Q4W6X2M7N5P0R1S2',
  subject: { caseId: '01JDQ8Z3K8Q4W6X2M7N5P0R1S3', messageId: '01JDQ8Z3K8Q4W6X2M7N5P0R1S4', org: 'org:astra' },
  hashes: { ciphertext: digest(`ct ${seq}`), receipt: digest(`rcpt ${seq}`) },
  ...(seq % 5 === 0 ? { code: 'ConsentWithdrawn' as const } : {}),
});

const ENTRIES = Array.from({ length: 50 }, (_, i) => entry(i));
const BYTES = ENTRIES.map(auditEntryBytes);
const HASHES = BYTES.map(leafHash);
const root = (n: number) => toBase64Url(rootOf(HASHES.slice(0, n)));
const checkpoint = (size: number, at = T0 + size): Checkpoint => ({ log: lefoe.node, size, root: root(size), at });

describe('audit entries: ids and hashes only', () => {
  it('every kind parses; the leaf bytes are the RFC 8785 form, whatever the key order', () => {
    for (let i = 0; i < AUDIT_KINDS.length; i++) expect(parseAuditEntry(entry(i)).ok).toBe(true);
    const e = entry(3);
    const reordered = Object.fromEntries(Object.entries(e).reverse()) as AuditEntry;
    expect(auditEntryBytes(reordered)).toEqual(auditEntryBytes(e));
    expect(new TextDecoder().decode(auditEntryBytes(e))).toBe(canonicalJson(e));
    expect(auditLeafHash(e)).toEqual(leafHash(auditEntryBytes(e)));
    expect(auditLeafHash({ ...e, at: e.at + 1 })).not.toEqual(auditLeafHash(e));
  });

  it('refuses free text anywhere: unknown keys, names, emails, an open kind, an unknown code', () => {
    const e = entry(1);
    const bad: unknown[] = [
      { ...e, note: 'Client: Ana M., born 1999' },
      { ...e, subject: { ...e.subject, name: 'Ana' } },
      { ...e, hashes: { ...e.hashes, phone: digest('x') } },
      { ...e, actor: 'ana.markovic@example.org' },
      { ...e, actor: 'account:ana' },
      { ...e, actor: 'staff:ana' },
      { ...e, subject: { ...e.subject, caseId: 'Ana Markovic' } },
      { ...e, subject: { ...e.subject, org: 'Ana' } },
      { ...e, hashes: { receipt: 'not a hash' } },
      { ...e, kind: 'note' },
      { ...e, code: 'She told us...' },
      { ...e, seq: -1 },
      { ...e, seq: 1.5 },
      { ...e, at: 'yesterday' },
    ];
    for (const b of bad) {
      const parsed = parseAuditEntry(b);
      expect(parsed.ok, JSON.stringify(b)).toBe(false);
      // the problem names fields, never values
      expect(JSON.stringify(parsed)).not.toMatch(/Ana|ana\.|1999|She told/);
    }
    expect(() => auditEntryBytes(bad[0] as AuditEntry)).toThrow();
  });
});

describe('checkpoints: signed by the node key in domain checkpoint', () => {
  it('verifies, and returns the checkpoint', () => {
    const signed = signCheckpoint(lefoe.nodeKey, checkpoint(50));
    expect(verifyCheckpoint(signed, lefoe.trustedKey)).toEqual({ ok: true, value: checkpoint(50) });
    expect(verifyCheckpoint(JSON.parse(JSON.stringify(signed)), lefoe.trustedKey).ok).toBe(true);
  });

  it('a changed field, another log, another key, another domain are refused', () => {
    const signed = signCheckpoint(lefoe.nodeKey, checkpoint(50));
    for (const changed of [{ size: 49 }, { root: root(49) }, { at: T0 + 51 }, { log: astra.node }]) {
      expect(verifyCheckpoint({ ...signed, checkpoint: { ...signed.checkpoint, ...changed } }, lefoe.trustedKey)).toMatchObject({ ok: false, code: 'BadSignature' });
    }
    expect(verifyCheckpoint(signed, astra.trustedKey)).toMatchObject({ ok: false, code: 'BadSignature' });
    expect(verifyCheckpoint({ ...signed, kid: astra.nodeKey.kid }, lefoe.trustedKey)).toMatchObject({ ok: false, code: 'BadSignature' });
    expect(verifyCheckpoint({ ...signed, signature: signObject(lefoe.nodeKey, 'receipt', signed.checkpoint) }, lefoe.trustedKey)).toMatchObject({ ok: false, code: 'BadSignature' });
    const flipped = signed.signature.startsWith('A') ? `B${signed.signature.slice(1)}` : `A${signed.signature.slice(1)}`;
    expect(verifyCheckpoint({ ...signed, signature: flipped }, lefoe.trustedKey)).toMatchObject({ ok: false, code: 'BadSignature' });
  });

  it('malformed input is a SchemaViolation; a key out of its window or compromised is refused', () => {
    const signed = signCheckpoint(lefoe.nodeKey, checkpoint(50));
    for (const bad of [null, 'x', {}, { ...signed, extra: 1 }, { ...signed, checkpoint: { ...signed.checkpoint, size: -1 } }, { ...signed, checkpoint: { ...signed.checkpoint, root: 'abc' } }]) {
      expect(verifyCheckpoint(bad, lefoe.trustedKey)).toMatchObject({ ok: false, code: 'SchemaViolation' });
    }
    expect(verifyCheckpoint(signed, { ...lefoe.trustedKey, compromisedSince: T0 })).toMatchObject({ ok: false, code: 'KeyRevoked' });
    const late = signCheckpoint(lefoe.nodeKey, checkpoint(50, T0 + 400 * DAY));
    expect(verifyCheckpoint(late, lefoe.trustedKey)).toMatchObject({ ok: false, code: 'KeyNotValid' });
    expect(() => signCheckpoint(lefoe.orgKey, checkpoint(50))).toThrow(TypeError);
  });
});

describe('cross-witnessing: a partner checks a newer checkpoint against the one it stored', () => {
  const proof = (m: number, n: number, hashes = HASHES) => {
    const p = consistencyProof(hashes, m, n);
    if (!p.ok) throw new Error('no proof');
    return encodeProof(p.value);
  };

  it('an honest log that grew is consistent, in either order of arrival', () => {
    for (const [m, n] of [[1, 50], [13, 37], [32, 50], [0, 20], [20, 20]] as const) {
      expect(checkWitness(checkpoint(m), checkpoint(n), proof(m, n))).toEqual({ ok: true, value: { verdict: 'consistent' } });
      expect(checkWitness(checkpoint(n), checkpoint(m), proof(m, n))).toEqual({ ok: true, value: { verdict: 'consistent' } });
    }
  });

  it('a log that rewrote an entry the partner had witnessed is forked', () => {
    const rewritten = [...HASHES];
    rewritten[7] = auditLeafHash({ ...ENTRIES[7]!, kind: 'case-viewed' });
    const forkedAt = (n: number): Checkpoint => ({ log: lefoe.node, size: n, root: toBase64Url(rootOf(rewritten.slice(0, n))), at: T0 + n });
    // the log's best effort: an honest proof over its rewritten history
    expect(checkWitness(checkpoint(20), forkedAt(50), proof(20, 50, rewritten))).toEqual({ ok: true, value: { verdict: 'forked', reason: 'proof-refused' } });
    // or the proof of the honest history, which does not lead to the root it now signs
    expect(checkWitness(checkpoint(20), forkedAt(50), proof(20, 50))).toEqual({ ok: true, value: { verdict: 'forked', reason: 'proof-refused' } });
    // two signed roots for one size: conclusive
    expect(checkWitness(checkpoint(20), forkedAt(20), [])).toEqual({ ok: true, value: { verdict: 'forked', reason: 'different-root' } });
  });

  it('a missing, damaged or empty proof is not taken as consistency', () => {
    const good = proof(13, 37);
    const damaged = [...good];
    damaged[1] = digest('garbage');
    for (const p of [undefined, null, [], damaged, good.slice(1), [...good, good[0]], ['not base64url!'], 'x']) {
      expect(checkWitness(checkpoint(13), checkpoint(37), p)).toEqual({ ok: true, value: { verdict: 'forked', reason: 'proof-refused' } });
    }
    // bytes work as well as base64url
    expect(checkWitness(checkpoint(13), checkpoint(37), decodeProof(good))).toEqual({ ok: true, value: { verdict: 'consistent' } });
  });

  it('checkpoints of two different logs, or not checkpoints at all, are not compared', () => {
    expect(checkWitness(checkpoint(13), { ...checkpoint(37), log: astra.node }, proof(13, 37))).toEqual({ ok: false, code: 'InvalidRequest' });
    expect(checkWitness(checkpoint(13), { size: 37 }, proof(13, 37))).toEqual({ ok: false, code: 'InvalidRequest' });
    expect(checkWitness('x', checkpoint(13), [])).toEqual({ ok: false, code: 'InvalidRequest' });
    // a root in a non-canonical base64url spelling (trailing bits set) is not a root
    const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const r = checkpoint(13).root;
    const odd = r.slice(0, -1) + B64URL[B64URL.indexOf(r.at(-1)!) ^ 1]; // the last character's 2 unused bits
    expect(checkWitness({ ...checkpoint(13), root: odd }, checkpoint(13), [])).toEqual({ ok: false, code: 'InvalidRequest' });
  });
});

describe('verify: the stored entries against a signed checkpoint', () => {
  it('the untouched log matches; the checkpoint may be older than the log', () => {
    expect(checkLogAgainst(checkpoint(50), BYTES)).toEqual({ matches: true, size: 50 });
    expect(checkLogAgainst(checkpoint(31), BYTES)).toEqual({ matches: true, size: 31 });
    expect(checkLogAgainst({ ...checkpoint(0), root: toBase64Url(EMPTY_ROOT) }, BYTES)).toEqual({ matches: true, size: 0 });
  });

  it('any edit, deletion, insertion, swap or truncation is detected', () => {
    const cp = checkpoint(50);
    const edited = [...BYTES];
    edited[12] = auditEntryBytes({ ...ENTRIES[12]!, actor: 'node:astra' });
    const oneByte = BYTES.map((b, i) => (i === 40 ? Uint8Array.from(b, (x, j) => (j === 5 ? x ^ 1 : x)) : b));
    const swapped = [...BYTES];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    const deleted = BYTES.filter((_, i) => i !== 25);
    const inserted = [...BYTES.slice(0, 25), auditEntryBytes(entry(99)), ...BYTES.slice(25)];
    for (const log of [edited, oneByte, swapped, inserted]) expect(checkLogAgainst(cp, log)).toEqual({ matches: false, reason: 'root-differs', size: 50 });
    expect(checkLogAgainst(cp, deleted)).toEqual({ matches: false, reason: 'too-few-entries', size: 49 });
    expect(checkLogAgainst(cp, BYTES.slice(0, 10))).toEqual({ matches: false, reason: 'too-few-entries', size: 10 });
  });

  it('reads the entries lazily and stops at the checkpoint', () => {
    let read = 0;
    function* entries() {
      for (const b of BYTES) {
        read++;
        yield b;
      }
    }
    expect(checkLogAgainst(checkpoint(20), entries())).toEqual({ matches: true, size: 20 });
    expect(read).toBe(20);
    const acc = new MerkleAccumulator();
    for (const h of HASHES.slice(0, 20)) acc.append(h);
    expect(toBase64Url(acc.root())).toBe(checkpoint(20).root);
  });
});
