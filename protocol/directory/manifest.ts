import { z } from 'zod';
import { KeyId, PublicKeyB64, SignatureB64 } from '../ids.js';
import { canonicalBytes } from '../crypto/canonical.js';
import type { SigningKey } from '../crypto/keys.js';
import { sha256, toBase64Url } from '../crypto/native.js';
import { signObject } from '../crypto/signing.js';
import type { DirectoryRef } from '../envelope/message.js';
import { UnixTime } from '../time.js';
import { EntryRef } from './entry.js';

/**
 * A directory version: the list of every organisation's entry (by hash and length), the
 * stewards who may sign the next version and how many of them must, a version number and an
 * expiry. Signed by the stewards (domain `directory`, RFC 8785 bytes of `manifest`). ADR 0011.
 */

export const StewardSet = z
  .strictObject({
    keys: z.array(z.strictObject({ kid: KeyId, publicKey: PublicKeyB64 })).min(1).max(16),
    threshold: z.number().int().min(1),
  })
  .refine((s) => s.threshold <= s.keys.length, { path: ['threshold'], message: 'above the number of keys' })
  .refine((s) => new Set(s.keys.map((k) => k.publicKey)).size === s.keys.length, { path: ['keys'], message: 'duplicate key' });
export type StewardSet = z.infer<typeof StewardSet>;

/** A listing is signed by its lister's own org key, and the lister publishes itself. */
function listingsSignedByTheirLister(m: { entries: EntryRef[] }): boolean {
  const byOrg = new Map(m.entries.map((e) => [e.org, e]));
  return m.entries.every((e) => {
    if (e.listedBy === undefined) return true;
    const lister = byOrg.get(e.listedBy);
    return lister !== undefined && lister.listedBy === undefined && lister.orgKey.kid === e.orgKey.kid && lister.orgKey.publicKey === e.orgKey.publicKey;
  });
}

export const DirectoryManifest = z
  .strictObject({
    network: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
    version: z.number().int().min(1),
    issued: UnixTime,
    expires: UnixTime,
    stewards: StewardSet,
    entries: z.array(EntryRef).max(100_000),
  })
  .refine((m) => m.expires > m.issued, { path: ['expires'], message: 'before issued' })
  .refine((m) => m.entries.every((e, i) => i === 0 || (m.entries[i - 1]?.org ?? '') < e.org), { path: ['entries'], message: 'not sorted by org, or an org twice' })
  .refine(listingsSignedByTheirLister, { path: ['entries'], message: 'a listing not signed by its lister' });
export type DirectoryManifest = z.infer<typeof DirectoryManifest>;

export const SignedManifest = z.strictObject({
  manifest: DirectoryManifest,
  signatures: z.array(z.strictObject({ kid: KeyId, signature: SignatureB64 })).min(1).max(32),
});
export type SignedManifest = z.infer<typeof SignedManifest>;

/** The stewards sign a manifest (each key once). */
export function signDirectoryManifest(manifest: DirectoryManifest, stewards: readonly SigningKey[]): SignedManifest {
  const parsed = DirectoryManifest.parse(manifest);
  return { manifest: parsed, signatures: stewards.map((k) => ({ kid: k.kid, signature: signObject(k, 'directory', parsed) })) };
}

/** `{version, hash}`: what every message names, so receivers notice a split view. */
export function directoryRef(manifest: DirectoryManifest): DirectoryRef {
  return { version: manifest.version, hash: toBase64Url(sha256(canonicalBytes(manifest))) };
}
