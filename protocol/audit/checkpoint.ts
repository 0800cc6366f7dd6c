import { z } from 'zod';
import { type Result, fail, ok } from '../errors.js';
import type { SigningKey } from '../crypto/keys.js';
import { fromBase64Url, toBase64Url } from '../crypto/native.js';
import { signObject, verifyObject } from '../crypto/signing.js';
import { type TrustedNodeKey, nodeKeyStatusAt } from '../identity.js';
import { KeyId, NodeId, Sha256, SignatureB64 } from '../ids.js';
import { UnixTime } from '../time.js';
import { parseWith } from '../validation.js';
import { HASH_BYTES, MAX_PROOF_HASHES, MerkleAccumulator, leafHash, verifyConsistency } from './merkle.js';

/**
 * A signed checkpoint of a node's audit log (C2SP tlog-checkpoint in spirit, JSON in form): the
 * log (its node id), its size and Merkle root, and when the node signed it, under the node key in
 * domain `checkpoint` over the RFC 8785 bytes. Peers keep the latest checkpoint they saw of each
 * other's log and ask for a consistency proof on the next contact (cross-witnessing): a node that
 * rewrote its history afterwards would have to rewrite its peers' copies too.
 */

export const Checkpoint = z.strictObject({
  /** the node whose log this is */
  log: NodeId,
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** RFC 6962 root, base64url */
  root: Sha256,
  at: UnixTime,
});
export type Checkpoint = z.infer<typeof Checkpoint>;

export const SignedCheckpoint = z.strictObject({
  checkpoint: Checkpoint,
  /** the node key that signed it */
  kid: KeyId,
  signature: SignatureB64,
});
export type SignedCheckpoint = z.infer<typeof SignedCheckpoint>;

/** A Merkle proof on the wire: base64url hashes, leaf side first. */
export const AuditProof = z.array(Sha256).max(MAX_PROOF_HASHES);
export type AuditProof = z.infer<typeof AuditProof>;

export function encodeProof(proof: readonly Uint8Array[]): AuditProof {
  return proof.map(toBase64Url);
}

/** Base64url strings (or bytes) to 32-byte hashes; `null` for anything else. */
export function decodeProof(input: unknown): Uint8Array[] | null {
  if (!Array.isArray(input) || input.length > MAX_PROOF_HASHES) return null;
  const out: Uint8Array[] = [];
  for (const item of input as unknown[]) {
    const bytes = typeof item === 'string' ? fromBase64Url(item) : item instanceof Uint8Array ? item : null;
    if (!bytes || bytes.length !== HASH_BYTES) return null;
    out.push(bytes);
  }
  return out;
}

export function signCheckpoint(nodeKey: SigningKey, checkpoint: Checkpoint): SignedCheckpoint {
  if (nodeKey.kind !== 'node') throw new TypeError('a checkpoint is signed by the node key');
  const parsed = Checkpoint.parse(checkpoint);
  return { checkpoint: parsed, kid: nodeKey.kid, signature: signObject(nodeKey, 'checkpoint', parsed) };
}

export type CheckpointProblem = 'SchemaViolation' | 'BadSignature' | 'KeyNotValid' | 'KeyRevoked';

/**
 * Checks a signed checkpoint against the log's node key (valid, and not compromised, when the
 * checkpoint says it was signed). Another log, another key, any changed field: `BadSignature`.
 */
export function verifyCheckpoint(input: unknown, key: TrustedNodeKey): Result<Checkpoint, CheckpointProblem> {
  const parsed = parseWith(SignedCheckpoint, input);
  if (!parsed.ok) return parsed;
  const { checkpoint, kid, signature } = parsed.value;
  if (checkpoint.log !== key.node || kid !== key.kid) return fail('BadSignature');
  if (!verifyObject(key.publicKey, 'checkpoint', checkpoint, signature)) return fail('BadSignature');
  const status = nodeKeyStatusAt(key, checkpoint.at);
  if (status) return fail(status);
  return ok(checkpoint);
}

/**
 * - `different-root`: the same size with two roots. Both checkpoints are signed: this is proof,
 *   to anyone, that the log forked.
 * - `proof-refused`: the proof does not show that the smaller checkpoint's tree is a prefix of the
 *   larger one. An honest log can always produce that proof, so until it does the log is treated
 *   as forked (ask again before telling anyone: a proof damaged in transit looks the same).
 */
export type ForkReason = 'different-root' | 'proof-refused';
export type WitnessVerdict = { verdict: 'consistent' } | { verdict: 'forked'; reason: ForkReason };

/**
 * Cross-witnessing: a partner's stored checkpoint of a log against the one it just received, with
 * the log's consistency proof between them. The two are ordered by size, not by arrival, so a
 * receipt overtaken by a later one does not raise a false alarm; the caller keeps the larger.
 * `InvalidRequest` when they are not comparable: another log, or not checkpoints at all.
 */
export function checkWitness(stored: unknown, current: unknown, proof: unknown): Result<WitnessVerdict, 'InvalidRequest'> {
  const a = Checkpoint.safeParse(stored);
  const b = Checkpoint.safeParse(current);
  if (!a.success || !b.success || a.data.log !== b.data.log) return fail('InvalidRequest');
  const [older, newer] = a.data.size <= b.data.size ? [a.data, b.data] : [b.data, a.data];
  const rootOld = fromBase64Url(older.root);
  const rootNew = fromBase64Url(newer.root);
  if (!rootOld || !rootNew) return fail('InvalidRequest'); // not the one base64url text of 32 bytes
  if (older.size === newer.size) {
    // both texts are canonical (fromBase64Url accepts nothing else): equal texts, equal bytes
    return ok(older.root === newer.root ? { verdict: 'consistent' } : { verdict: 'forked', reason: 'different-root' });
  }
  const hashes = decodeProof(proof);
  const consistent = hashes !== null && verifyConsistency(older.size, newer.size, rootOld, rootNew, hashes);
  return ok(consistent ? { verdict: 'consistent' } : { verdict: 'forked', reason: 'proof-refused' });
}

export type LogCheck =
  | { matches: true; size: number }
  | { matches: false; reason: 'too-few-entries' | 'root-differs'; size: number };

/**
 * `verify`: recomputes every leaf hash and the root from the stored entry bytes, in order, and
 * compares the root over the first `checkpoint.size` entries with the (already verified) signed
 * checkpoint. Any changed, removed, reordered or inserted entry before that point changes the root.
 * Entries after it are not read. O(log n) memory; the bytes are not parsed (tampering is what the
 * hash catches; a schema check of stored entries is separate).
 */
export function checkLogAgainst(checkpoint: Checkpoint, entryBytes: Iterable<Uint8Array>): LogCheck {
  const acc = new MerkleAccumulator();
  if (checkpoint.size > 0) {
    for (const bytes of entryBytes) {
      acc.append(leafHash(bytes));
      if (acc.size === checkpoint.size) break;
    }
  }
  if (acc.size < checkpoint.size) return { matches: false, reason: 'too-few-entries', size: acc.size };
  return toBase64Url(acc.root()) === checkpoint.root ? { matches: true, size: acc.size } : { matches: false, reason: 'root-differs', size: acc.size };
}
