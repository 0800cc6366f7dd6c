import { z } from 'zod';
import { type Result, fail, ok } from '../errors.js';
import { KeyId, NodeId, OrgId, PublicKeyB64, SignatureB64 } from '../ids.js';
import { KeyRevocation, NodeKeyCertificate, type TrustedNodeKey, applyRevocation, verifyNodeKeyCertificate } from '../identity.js';
import { canonicalBytes, isCanonicalText } from '../crypto/canonical.js';
import type { SigningKey } from '../crypto/keys.js';
import { fromBase64Url, sha256, toBase64Url } from '../crypto/native.js';
import { signObject, verifyBytes } from '../crypto/signing.js';
import { UnixTime } from '../time.js';
import { parseJson, parseWith } from '../validation.js';
import { PROTOCOL_VERSION } from '../version.js';
import { OrgProfile } from './profile.js';

/**
 * An organisation's own directory entry, signed by its org key (domain `directoryEntry`, RFC 8785
 * bytes). It carries what partners must trust about the organisation: its public profile (HSDS
 * content, validated by the node against the official schemas) and, for an organisation that
 * runs a node, the node's address and its node keys as certificates with their revocations.
 * Prekeys are not in the entry: the node publishes them itself, signed by a node key the entry
 * certifies (so the offline org key is not needed every two weeks). ADR 0011.
 */

export const DirectoryNode = z.strictObject({
  node: NodeId,
  url: z.url({ protocol: /^https?$/ }).max(512),
  protocols: z.array(z.string().max(32)).min(1).max(8),
  maxBytes: z.number().int().positive(),
  nodeKeys: z.array(NodeKeyCertificate).min(1).max(8),
  revocations: z.array(KeyRevocation).max(32),
});
export type DirectoryNode = z.infer<typeof DirectoryNode>;

export const DirectoryEntry = z.strictObject({
  v: z.literal(PROTOCOL_VERSION),
  org: OrgId,
  /** per organisation, raised at every change: a lower one is a rollback */
  seq: z.number().int().min(1),
  updated: UnixTime,
  name: z.string().min(1).max(200),
  /**
   * An organisation without a node may be listed by another (a steward or the partner who keeps
   * the map of services): its entry is then signed by the lister's org key and carries no node,
   * so nobody can route a referral through a listing.
   */
  listedBy: OrgId.optional(),
  /** the HSDS 3.0 organization with its services and the Corridor profile */
  profile: OrgProfile,
  nodes: z.array(DirectoryNode).max(4),
}).refine((e) => e.listedBy === undefined || (e.nodes.length === 0 && e.listedBy !== e.org), { path: ['listedBy'], message: 'a listed organisation has no node' });
export type DirectoryEntry = z.infer<typeof DirectoryEntry>;

export const SignedEntry = z.strictObject({
  entry: DirectoryEntry,
  orgKid: KeyId,
  signature: SignatureB64,
});
export type SignedEntry = z.infer<typeof SignedEntry>;

/** What the directory manifest says about one organisation's entry. */
export const EntryRef = z.strictObject({
  org: OrgId,
  /** the organisation whose org key signs a listing (see DirectoryEntry.listedBy) */
  listedBy: OrgId.optional(),
  orgKey: z.strictObject({ kid: KeyId, publicKey: PublicKeyB64 }),
  seq: z.number().int().min(1),
  hash: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  length: z.number().int().min(1).max(16 * 1024 * 1024),
});
export type EntryRef = z.infer<typeof EntryRef>;

/** Signs an entry with the organisation's org key; returns the exact bytes that travel and are stored. */
export function signEntry(orgKey: SigningKey, entry: DirectoryEntry): { signed: SignedEntry; bytes: Uint8Array; ref: EntryRef } {
  if (orgKey.kind !== 'org') throw new TypeError('an entry is signed by its org key');
  const parsed = DirectoryEntry.parse(entry);
  const signed: SignedEntry = { entry: parsed, orgKid: orgKey.kid, signature: signObject(orgKey, 'directoryEntry', parsed) };
  const bytes = canonicalBytes(signed);
  return {
    signed,
    bytes,
    ref: { org: parsed.org, ...(parsed.listedBy ? { listedBy: parsed.listedBy } : {}), orgKey: { kid: orgKey.kid, publicKey: toBase64Url(orgKey.publicKey) }, seq: parsed.seq, hash: toBase64Url(sha256(bytes)), length: bytes.length },
  };
}

const ENTRY_HEAD = '{"entry":';

export type EntryProblem = 'Malformed' | 'SchemaViolation' | 'BadSignature';

/**
 * Checks entry bytes fetched from anyone (an untrusted mirror) against what the verified
 * manifest says: length and hash first (bounded download), then the organisation's own signature.
 */
export function verifyEntry(bytes: Uint8Array, ref: EntryRef): Result<DirectoryEntry, EntryProblem> {
  if (bytes.length !== ref.length || toBase64Url(sha256(bytes)) !== ref.hash) return fail('BadSignature');
  const text = new TextDecoder().decode(bytes);
  const json = parseJson(text);
  if (!json.ok) return fail('Malformed');
  const parsed = parseWith(SignedEntry, json.value);
  if (!parsed.ok) return parsed;
  // the stored bytes must be exactly the RFC 8785 form of what they say: no duplicate key, no
  // reordering or whitespace that a signature does not cover and another parser may read otherwise
  if (!isCanonicalText(text, json.value)) return fail('Malformed');
  const { entry, orgKid, signature } = parsed.value;
  const orgPublicKey = fromBase64Url(ref.orgKey.publicKey);
  const sig = fromBase64Url(signature);
  if (!orgPublicKey || !sig || sig.length !== 64 || entry.org !== ref.org || entry.listedBy !== ref.listedBy || orgKid !== ref.orgKey.kid) return fail('BadSignature');
  // RFC 8785 sorts "entry" < "orgKid" < "signature": the signed entry is the bytes between the
  // first key and the (ASCII) tail, so it is verified as it is, not serialised again
  const tail = `,"orgKid":${JSON.stringify(orgKid)},"signature":${JSON.stringify(signature)}}`;
  if (!text.startsWith(ENTRY_HEAD) || !text.endsWith(tail)) return fail('Malformed');
  if (!verifyBytes(orgPublicKey, 'directoryEntry', bytes.subarray(ENTRY_HEAD.length, bytes.length - tail.length), sig)) return fail('BadSignature');
  if (entry.seq !== ref.seq) return fail('SchemaViolation', [{ path: 'entry.seq', problem: 'mismatch' }]);
  return ok(entry);
}

/**
 * The node keys an entry certifies, with the revocations it carries applied; a certificate or a
 * revocation that does not verify under the org key is dropped (never trusted).
 */
export function entryNodeKeys(entry: DirectoryEntry, orgPublicKey: Uint8Array): TrustedNodeKey[] {
  const out: TrustedNodeKey[] = [];
  for (const n of entry.nodes) {
    for (const cert of n.nodeKeys) {
      const verified = verifyNodeKeyCertificate(cert, orgPublicKey);
      if (!verified.ok || verified.value.node !== n.node) continue;
      let key = verified.value;
      for (const r of n.revocations) {
        if (r.kid !== key.kid) continue;
        const applied = applyRevocation(key, r, orgPublicKey);
        if (applied.ok) key = applied.value;
      }
      out.push(key);
    }
  }
  return out;
}
