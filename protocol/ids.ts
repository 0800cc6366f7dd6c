import { monotonicFactory } from 'ulid';
import { z } from 'zod';
import { randomUnit } from './crypto/native.js';

/** ULID: 26 characters of Crockford base32, time-sortable, URL-safe. Message, thread, consent ids. */
export const Ulid = z.string().regex(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/, 'ulid');
export type Ulid = z.infer<typeof Ulid>;

const slug = '[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?';

/** An organisation, e.g. `org:astra`. */
export const OrgId = z.string().regex(new RegExp(`^org:${slug}$`), 'org id');
export type OrgId = z.infer<typeof OrgId>;

/** A node run by an organisation, e.g. `node:astra`. */
export const NodeId = z.string().regex(new RegExp(`^node:${slug}$`), 'node id');
export type NodeId = z.infer<typeof NodeId>;

/** A key id, unique within its owner: derived from the public key (see crypto/keys.ts). */
export const KeyId = z.string().regex(/^(org|nsk|spk)-[A-Za-z0-9_-]{8,43}$/, 'key id');
export type KeyId = z.infer<typeof KeyId>;

/** SHA-256 digest, base64url without padding (43 characters). */
export const Sha256 = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'sha256');
export type Sha256 = z.infer<typeof Sha256>;

/** Base64url without padding. */
export const Base64Url = z.string().regex(/^[A-Za-z0-9_-]*$/, 'base64url');

/** Ed25519 signature, base64url (86 characters). */
export const SignatureB64 = z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'signature');

/** A 32-byte public key, base64url (43 characters). */
export const PublicKeyB64 = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'public key');

// the random part from the system CSPRNG through a pool (ulid's default asks WebCrypto once per character)
const nextUlid = monotonicFactory(randomUnit);

/** A new ULID whose time part is `nowMs` (taken from the caller's clock, never read here). */
export function newId(nowMs: number): Ulid {
  return nextUlid(nowMs);
}
