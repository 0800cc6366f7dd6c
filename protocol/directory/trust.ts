import { type Result, fail, ok } from '../errors.js';
import { keyId } from '../crypto/keys.js';
import { fromBase64Url } from '../crypto/native.js';
import { verifyObject } from '../crypto/signing.js';
import type { DirectoryRef } from '../envelope/message.js';
import { parseWith } from '../validation.js';
import { type DirectoryManifest, SignedManifest, StewardSet, directoryRef } from './manifest.js';

/**
 * The directory's trust rules, as pure functions (TUF's rules on our own primitives, ADR 0011):
 * a threshold of distinct steward keys, a change of stewards signed by the old and the new set,
 * no rollback of the version or of any organisation's entry, expiry as a freeze on new
 * referrals (reading and verifying go on with the last good copy), and split-view detection.
 */

export type ManifestProblem = 'SchemaViolation' | 'DirectoryUnderSigned';

/** Counts distinct steward keys of `set` whose signature over the manifest verifies. */
function signers(manifest: DirectoryManifest, signatures: SignedManifest['signatures'], set: StewardSet): number {
  const good = new Set<string>();
  for (const s of signatures) {
    const key = set.keys.find((k) => k.kid === s.kid);
    const publicKey = key ? fromBase64Url(key.publicKey) : null;
    // steward keys are org-kind keys (a coordinating NGO's): the kid must be derived from the key
    if (!key || !publicKey || keyId('org', publicKey) !== key.kid) continue;
    if (good.has(key.publicKey)) continue;
    if (verifyObject(publicKey, 'directory', manifest, s.signature)) good.add(key.publicKey);
  }
  return good.size;
}

/**
 * Verifies a signed manifest against the stewards this node trusts (those of the version it
 * holds, or the network's anchor on first start). If the manifest names other stewards, it must
 * also carry the threshold of the new set: a change of stewards is signed by both.
 */
export function verifyDirectoryManifest(input: unknown, trusted: StewardSet): Result<DirectoryManifest, ManifestProblem> {
  const anchor = parseWith(StewardSet, trusted, 'trusted');
  if (!anchor.ok) return anchor;
  const parsed = parseWith(SignedManifest, input);
  if (!parsed.ok) return parsed;
  const { manifest, signatures } = parsed.value;
  if (signers(manifest, signatures, trusted) < trusted.threshold) return fail('DirectoryUnderSigned');
  if (signers(manifest, signatures, manifest.stewards) < manifest.stewards.threshold) return fail('DirectoryUnderSigned');
  return ok(manifest);
}

/**
 * Whether a verified candidate may replace the version held: only a higher version, and no
 * organisation's entry older than the one held. The same version with other content is a split view.
 */
export function acceptVersion(
  held: DirectoryManifest | null,
  candidate: DirectoryManifest,
): { ok: true } | { ok: false; code: 'DirectoryRollback' | 'DirectoryConflict'; org?: string } {
  if (!held) return { ok: true };
  if (candidate.network !== held.network) return { ok: false, code: 'DirectoryConflict' };
  if (candidate.version === held.version) {
    return directoryRef(candidate).hash === directoryRef(held).hash ? { ok: false, code: 'DirectoryRollback' } : { ok: false, code: 'DirectoryConflict' };
  }
  if (candidate.version < held.version) return { ok: false, code: 'DirectoryRollback' };
  const before = new Map(held.entries.map((e) => [e.org, e.seq]));
  for (const e of candidate.entries) {
    const seq = before.get(e.org);
    if (seq !== undefined && e.seq < seq) return { ok: false, code: 'DirectoryRollback', org: e.org };
  }
  return { ok: true };
}

/** Fresh, or stale since its expiry: a stale directory still verifies, but no new referral starts. */
export function freshness(held: DirectoryManifest, now: number): { fresh: true } | { fresh: false; staleSince: number } {
  return now < held.expires ? { fresh: true } : { fresh: false, staleSince: held.expires };
}

/** What a message's `dir` says about our view: same, newer (fetch it), older, or a conflicting view. */
export function compareRef(ours: DirectoryRef, theirs: DirectoryRef): 'same' | 'newer' | 'older' | 'conflict' {
  if (theirs.version === ours.version) return theirs.hash === ours.hash ? 'same' : 'conflict';
  return theirs.version > ours.version ? 'newer' : 'older';
}

/**
 * The entries to fetch (by hash) and the organisations to drop when moving from `held` to `next`.
 * An entry kept by hash is still re-checked against its new ref (the org key may have changed).
 */
export function diff(held: DirectoryManifest | null, next: DirectoryManifest): { fetch: DirectoryManifest['entries']; drop: string[] } {
  const have = new Set(held?.entries.map((e) => e.hash) ?? []);
  const stays = new Set(next.entries.map((e) => e.org));
  return { fetch: next.entries.filter((e) => !have.has(e.hash)), drop: (held?.entries ?? []).filter((e) => !stays.has(e.org)).map((e) => e.org) };
}
