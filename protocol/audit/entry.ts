import { z } from 'zod';
import { ErrorCode, type Result } from '../errors.js';
import { canonicalBytes } from '../crypto/canonical.js';
import { KeyId, NodeId, OrgId, Sha256, Ulid } from '../ids.js';
import { UnixTime } from '../time.js';
import { parseWith } from '../validation.js';
import { leafHash } from './merkle.js';

/**
 * One entry of a node's tamper-evident audit log (DESIGN.md section 7, protocol-anchors 10.6).
 *
 * @NOTE No personal data, ever: an entry holds ids (ULIDs, org, node and key ids), SHA-256
 * digests, a closed event kind and a closed error code, nothing else. No names, no free text, no
 * login names, no IP addresses. Every string field has a pattern that cannot hold free text, and
 * every object is strict, so a caller cannot slip a field in. The log's leaves are the RFC 8785
 * bytes of these entries; erasing a case (crypto-shredding its key) leaves them valid, and they
 * reveal nothing about the person once the case is gone.
 *
 * `seq` is the entry's leaf index in the log's Merkle tree (0 for the first entry).
 */

export const AUDIT_KINDS = [
  'consent-given',
  'consent-changed',
  'consent-withdrawn',
  'message-queued',
  'message-sent',
  'message-delivered',
  'message-acknowledged',
  'message-rejected',
  'message-quarantined',
  'case-viewed',
  'case-exported',
  'key-rotated',
  'key-revoked',
  'directory-updated',
  'withdrawal-applied',
  'login-failed',
  'access-denied',
  'account-changed',
] as const;
export const AuditKind = z.enum(AUDIT_KINDS);
export type AuditKind = z.infer<typeof AuditKind>;

/**
 * Who did it, pseudonymously: the node itself (`node:astra`, for what the node does on its own:
 * delivery, directory sync, a peer's message) or a local account by its opaque ULID
 * (`account:01J...`), never a login name. A failed login whose account does not exist is the
 * node's entry: the name that was tried is not recorded, not even hashed (a hash of a name is
 * still personal data, and easily guessed back).
 */
export const AuditActor = z.union([NodeId, z.string().regex(/^account:[0-7][0-9A-HJKMNP-TV-Z]{25}$/, 'account id')]);
export type AuditActor = z.infer<typeof AuditActor>;

/** What the event is about, by id only. */
export const AuditSubject = z.strictObject({
  caseId: Ulid.optional(),
  consentId: Ulid.optional(),
  messageId: Ulid.optional(),
  referralId: Ulid.optional(),
  /** the other organisation (a message's recipient or sender, a consent's recipient) */
  org: OrgId.optional(),
  /** the other node (a peer), when it is not the organisation that matters */
  node: NodeId.optional(),
  /** the key rotated in (key-rotated) or revoked (key-revoked) */
  kid: KeyId.optional(),
  /** the local account changed (account-changed): its opaque id, never a name */
  account: Ulid.optional(),
  /** the directory version installed (directory-updated) */
  directoryVersion: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
});
export type AuditSubject = z.infer<typeof AuditSubject>;

/** Digests that bind the entry to the evidence (base64url SHA-256), under closed names. */
export const AuditHashes = z.strictObject({
  /** the consent record version's hash (`consentHash`) */
  consent: Sha256.optional(),
  /** SHA-256 of the envelope bytes (`ctSha256`) */
  ciphertext: Sha256.optional(),
  /** SHA-256 of the signed delivery receipt's canonical bytes */
  receipt: Sha256.optional(),
  /** the directory version's hash */
  directory: Sha256.optional(),
  /** SHA-256 of the bytes exported (case-exported) */
  export: Sha256.optional(),
});
export type AuditHashes = z.infer<typeof AuditHashes>;

export const AuditEntry = z.strictObject({
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** Unix seconds, from the node's clock */
  at: UnixTime,
  kind: AuditKind,
  actor: AuditActor,
  subject: AuditSubject,
  hashes: AuditHashes.optional(),
  /** the problem code (message-rejected, message-quarantined, access-denied, login-failed) */
  code: ErrorCode.optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** An entry from storage or from outside: `SchemaViolation` with field paths, never values. */
export function parseAuditEntry(input: unknown): Result<AuditEntry, 'SchemaViolation'> {
  return parseWith(AuditEntry, input);
}

/**
 * The entry's leaf bytes: its RFC 8785 canonical JSON. The node builds its own entries, so an
 * entry that does not match the schema is a bug and throws (a ZodError), as signing does.
 */
export function auditEntryBytes(entry: AuditEntry): Uint8Array {
  return canonicalBytes(AuditEntry.parse(entry));
}

/** The entry's leaf hash: SHA-256(0x00 ‖ canonical bytes). */
export function auditLeafHash(entry: AuditEntry): Uint8Array {
  return leafHash(auditEntryBytes(entry));
}
