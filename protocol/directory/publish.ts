import { type Result, fail, ok } from '../errors.js';
import type { SigningKey } from '../crypto/keys.js';
import { canonicalBytes } from '../crypto/canonical.js';
import { sha256, toBase64Url } from '../crypto/native.js';
import { parseJson, parseWith } from '../validation.js';
import { type EntryRef, SignedEntry, verifyEntry } from './entry.js';
import { type DirectoryManifest, type SignedManifest, type StewardSet, signDirectoryManifest } from './manifest.js';

/**
 * The stewards' side: the next directory version from the one held and the entries organisations
 * submitted. Pure, so it runs wherever the steward keys are (a laptop kept offline, the CLI),
 * never on a node. An organisation keeps the org key the directory already binds to it; a new
 * member joins only with an org key the stewards compared by fingerprint (`admit`). A listing is
 * signed by its lister's key. Each submission must verify and raise its organisation's `seq`.
 */

export interface Member {
  org: string;
  kid: string;
  /** base64url */
  publicKey: string;
}

export interface NextVersionInput {
  held: DirectoryManifest | null;
  network: string;
  /** submitted entries: the exact signed bytes */
  submissions: Uint8Array[];
  /** new members, after their fingerprints were compared */
  admit?: Member[];
  /**
   * members whose org key changes (rotation, or recovery after a loss), compared by fingerprint
   * like a new member; their next entry must be signed by the new key, which the version binds
   */
  rekey?: Member[];
  /** organisations that leave the network */
  remove?: string[];
  /** the next steward set (default: unchanged); a change must then be signed by both sets */
  stewards?: StewardSet;
  issued: number;
  expires: number;
}

export type SubmissionProblem = { index: number; org?: string; problem: 'Malformed' | 'UnknownOrganisation' | 'BadSignature' | 'NotNewer' | 'UnknownLister' };

export interface NextVersion {
  manifest: DirectoryManifest;
  /** entry bytes by hash, for the new and changed entries */
  entries: Map<string, Uint8Array>;
  /** submissions left out, and why */
  skipped: SubmissionProblem[];
}

export function nextVersion(input: NextVersionInput): Result<NextVersion, 'SchemaViolation'> {
  const stewards = input.stewards ?? input.held?.stewards;
  if (!stewards) return fail('SchemaViolation', [{ path: 'stewards', problem: 'required' }]);
  const refs = new Map<string, EntryRef>((input.held?.entries ?? []).map((e) => [e.org, e]));
  for (const org of input.remove ?? []) refs.delete(org);
  const keyOf = new Map<string, Member>();
  for (const e of refs.values()) if (!e.listedBy) keyOf.set(e.org, { org: e.org, ...e.orgKey });
  for (const m of input.admit ?? []) if (!keyOf.has(m.org)) keyOf.set(m.org, m);
  for (const m of input.rekey ?? []) keyOf.set(m.org, m);

  const entries = new Map<string, Uint8Array>();
  const skipped: SubmissionProblem[] = [];
  input.submissions.forEach((bytes, index) => {
    const json = parseJson(new TextDecoder().decode(bytes));
    const signed = json.ok ? parseWith(SignedEntry, json.value) : null;
    if (!signed?.ok) return skipped.push({ index, problem: 'Malformed' });
    const { entry } = signed.value;
    const signer = entry.listedBy ?? entry.org;
    const member = keyOf.get(signer);
    if (!member) return skipped.push({ index, org: entry.org, problem: entry.listedBy ? 'UnknownLister' : 'UnknownOrganisation' });
    const ref: EntryRef = {
      org: entry.org,
      ...(entry.listedBy ? { listedBy: entry.listedBy } : {}),
      orgKey: { kid: member.kid, publicKey: member.publicKey },
      seq: entry.seq,
      hash: toBase64Url(sha256(bytes)),
      length: bytes.length,
    };
    const previous = refs.get(entry.org);
    if (previous && previous.seq >= entry.seq) return skipped.push({ index, org: entry.org, problem: 'NotNewer' });
    // another organisation's listing cannot replace an entry its organisation publishes itself
    if (previous && !previous.listedBy && entry.listedBy) return skipped.push({ index, org: entry.org, problem: 'BadSignature' });
    if (!verifyEntry(bytes, ref).ok) return skipped.push({ index, org: entry.org, problem: 'BadSignature' });
    refs.set(entry.org, ref);
    entries.set(ref.hash, bytes);
    return undefined;
  });
  // a listing whose lister left, or changed its key, goes with it
  const sorted = [...refs.values()]
    .filter((e) => !e.listedBy || (refs.get(e.listedBy)?.orgKey.publicKey === e.orgKey.publicKey && !refs.get(e.listedBy)?.listedBy))
    .sort((a, b) => (a.org < b.org ? -1 : 1));
  const manifest: DirectoryManifest = {
    network: input.network,
    version: (input.held?.version ?? 0) + 1,
    issued: input.issued,
    expires: input.expires,
    stewards,
    entries: sorted,
  };
  return ok({ manifest, entries, skipped });
}

/** Sign the next version with the steward keys at hand; returns the bytes that travel. */
export function signVersion(manifest: DirectoryManifest, keys: readonly SigningKey[]): { signed: SignedManifest; bytes: Uint8Array } {
  const signed = signDirectoryManifest(manifest, keys);
  return { signed, bytes: canonicalBytes(signed) };
}
