import { aeadDecrypt, aeadEncrypt } from './crypto/sodium.js';
import { fromBase64Url, randomBytes, toBase64Url } from './crypto/native.js';
import { ProtocolError } from './errors.js';

/**
 * Per-case keys (ADR 0014, step C): every case has its own random 32-byte key, stored wrapped
 * (XChaCha20-Poly1305) under the node's case-key wrapping key, the second key of the key ring.
 * The case's personal fields are sealed with it; erasing a case is deleting its wrapped key, after
 * which whatever copy of its sealed fields lingers (a free page, the WAL, an index) opens no more.
 * A case key is random, never derived: a derived key can be derived again, so deleting it would
 * erase nothing. Pure: the caller stores the bytes. Needs libsodium loaded (`ready()`).
 */

export const CASE_KEY_BYTES = 32;
const NONCE_BYTES = 24;
/** the prefix of a sealed field as stored in a text column */
export const SEALED_CASE_VALUE_PREFIX = 'corridor-case/1:';

const encoder = new TextEncoder();
/** what a wrapped key or a sealed field is bound to: a value cannot be moved to another case or column unnoticed */
const wrapAad = (caseId: string) => encoder.encode(`corridor/1 case key|${caseId}`);
const valueAad = (caseId: string, field: string) => encoder.encode(`corridor/1 case value|${caseId}|${field}`);

/** A fresh random case key. */
export function newCaseKey(): Uint8Array {
  return randomBytes(CASE_KEY_BYTES);
}

function sealBytes(plain: Uint8Array, aad: Uint8Array, key: Uint8Array): Uint8Array {
  const nonce = randomBytes(NONCE_BYTES);
  const sealed = aeadEncrypt(plain, aad, nonce, key);
  if (!sealed) throw new ProtocolError('Internal', 'a case value could not be sealed');
  const out = new Uint8Array(NONCE_BYTES + sealed.length);
  out.set(nonce);
  out.set(sealed, NONCE_BYTES);
  return out;
}

function openBytes(both: Uint8Array, aad: Uint8Array, key: Uint8Array): Uint8Array | null {
  if (both.length < NONCE_BYTES + 16 || key.length !== CASE_KEY_BYTES) return null;
  return aeadDecrypt(both.subarray(NONCE_BYTES), aad, both.subarray(0, NONCE_BYTES), key);
}

/** The case key wrapped for storage (nonce ‖ ciphertext, 72 bytes), bound to its case id. */
export function wrapCaseKey(caseKey: Uint8Array, caseId: string, wrappingKey: Uint8Array): Uint8Array {
  if (caseKey.length !== CASE_KEY_BYTES || wrappingKey.length !== CASE_KEY_BYTES) throw new ProtocolError('Internal', 'case keys and their wrapping key have 32 bytes');
  return sealBytes(caseKey, wrapAad(caseId), wrappingKey);
}

/** The case key, or `null` when the bytes do not open under this wrapping key for this case. */
export function unwrapCaseKey(wrapped: Uint8Array, caseId: string, wrappingKey: Uint8Array): Uint8Array | null {
  const key = openBytes(wrapped, wrapAad(caseId), wrappingKey);
  return key && key.length === CASE_KEY_BYTES ? key : null;
}

/** A field of a case sealed with its key, as text: `corridor-case/1:` and base64url(nonce ‖ ciphertext). */
export function sealCaseValue(caseKey: Uint8Array, caseId: string, field: string, plain: Uint8Array): string {
  return `${SEALED_CASE_VALUE_PREFIX}${toBase64Url(sealBytes(plain, valueAad(caseId, field), caseKey))}`;
}

export function isSealedCaseValue(text: string): boolean {
  return text.startsWith(SEALED_CASE_VALUE_PREFIX);
}

/** The plaintext of a sealed field, or `null` (not sealed, damaged, another case, another field, another key). */
export function openCaseValue(caseKey: Uint8Array, caseId: string, field: string, text: string): Uint8Array | null {
  if (!isSealedCaseValue(text)) return null;
  const both = fromBase64Url(text.slice(SEALED_CASE_VALUE_PREFIX.length));
  return both ? openBytes(both, valueAad(caseId, field), caseKey) : null;
}
